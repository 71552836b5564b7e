-- +goose Up
CREATE SCHEMA IF NOT EXISTS account;

CREATE TABLE account.organizations (
    id            text PRIMARY KEY,
    slug          text NOT NULL UNIQUE,
    name          text NOT NULL,
    billing_email text NOT NULL DEFAULT '',
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE account.users (
    id         text PRIMARY KEY,
    email      text NOT NULL UNIQUE,
    name       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE account.memberships (
    id              text PRIMARY KEY,
    user_id         text NOT NULL REFERENCES account.users (id) ON DELETE CASCADE,
    organization_id text NOT NULL REFERENCES account.organizations (id) ON DELETE CASCADE,
    role            text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, organization_id)
);

CREATE TABLE account.apps (
    id              text PRIMARY KEY,
    organization_id text NOT NULL REFERENCES account.organizations (id) ON DELETE CASCADE,
    name            text NOT NULL,
    description     text NOT NULL DEFAULT '',
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    webhook_url     text NOT NULL DEFAULT '',
    webhook_events  text[] NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    archived_at     timestamptz
);

CREATE INDEX apps_organization_idx ON account.apps (organization_id, created_at DESC, id DESC);

-- API keys are stored only as an HMAC of the secret (see pkg/auth.HashKey).
CREATE TABLE account.api_keys (
    id              text PRIMARY KEY,
    app_id          text NOT NULL REFERENCES account.apps (id) ON DELETE CASCADE,
    organization_id text NOT NULL REFERENCES account.organizations (id) ON DELETE CASCADE,
    name            text NOT NULL,
    description     text NOT NULL DEFAULT '',
    environment     text NOT NULL CHECK (environment IN ('live', 'test')),
    key_hash        text NOT NULL UNIQUE,
    key_hint        text NOT NULL,
    scopes          text[] NOT NULL DEFAULT '{}',
    last_used_at    timestamptz,
    expires_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz
);

CREATE INDEX api_keys_app_idx ON account.api_keys (app_id, created_at DESC, id DESC);

-- +goose Down
DROP SCHEMA account CASCADE;
