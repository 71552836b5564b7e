-- +goose Up
CREATE SCHEMA IF NOT EXISTS webhook;

-- Endpoints and the event outbox arrive with the WebhookService; the schema
-- exists from the start so every binary migrates the same way.
CREATE TABLE webhook.endpoints (
    id          text PRIMARY KEY,
    app_id      text NOT NULL,
    environment text NOT NULL,
    url         text NOT NULL,
    events      text[] NOT NULL DEFAULT '{}',
    description text NOT NULL DEFAULT '',
    status      text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP SCHEMA webhook CASCADE;
