-- +goose Up
CREATE SCHEMA IF NOT EXISTS origin;

CREATE TABLE origin.origins (
    id                 text PRIMARY KEY,
    organization_id    text NOT NULL,
    app_id             text NOT NULL,
    environment        text NOT NULL,
    name               text NOT NULL,
    description        text NOT NULL DEFAULT '',
    provider           text NOT NULL CHECK (provider IN ('s3', 'gcs', 'r2', 'http')),
    permissions        text[] NOT NULL,
    status             text NOT NULL CHECK (status IN ('active', 'failed', 'archived')),
    base_path          text NOT NULL DEFAULT '',
    path_template      text NOT NULL DEFAULT '',
    -- Non-secret provider settings (bucket, region, endpoint, base_url, header names).
    settings           jsonb NOT NULL DEFAULT '{}',
    -- AES-256-GCM ciphertext of the credentials and the id of the key that sealed them.
    credentials_cipher bytea,
    credentials_key_id text NOT NULL DEFAULT '',
    last_validated_at  timestamptz,
    validation_error   text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    archived_at        timestamptz
);

CREATE INDEX origins_app_created_idx ON origin.origins (app_id, environment, created_at DESC, id DESC);

-- +goose Down
DROP SCHEMA origin CASCADE;
