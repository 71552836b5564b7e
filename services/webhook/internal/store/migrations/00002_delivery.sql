-- +goose Up
-- The signing secret, sealed with pkg/keyring (AES-256-GCM, the endpoint id
-- as associated data), and the id of the master key that sealed it.
ALTER TABLE webhook.endpoints
    ADD COLUMN secret_cipher bytea NOT NULL DEFAULT '\x',
    ADD COLUMN secret_key_id text NOT NULL DEFAULT '';

CREATE INDEX endpoints_app_created_idx ON webhook.endpoints (app_id, environment, created_at DESC, id DESC);

-- Signs a job's own webhook_url deliveries while its app (in that
-- environment) has no endpoint whose secret could: deliveries are never
-- unsigned. Sealed like endpoint secrets, with "<app_id>/<environment>" as
-- associated data; never returned by any API (docs/WEBHOOKS.md).
CREATE TABLE webhook.app_secrets (
    app_id        text NOT NULL,
    environment   text NOT NULL,
    secret_cipher bytea NOT NULL,
    secret_key_id text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (app_id, environment)
);

-- Every event published to this service, once (the id deduplicates
-- re-published outbox rows).
CREATE TABLE webhook.events (
    id              text PRIMARY KEY,
    organization_id text NOT NULL,
    app_id          text NOT NULL,
    environment     text NOT NULL,
    type            text NOT NULL,
    job_id          text NOT NULL DEFAULT '',
    output_id       text NOT NULL DEFAULT '',
    -- Binary protobuf of transcodely.v1.WebhookEvent, for ListEvents.
    envelope        bytea NOT NULL,
    -- The exact JSON body every attempt POSTs and signs.
    body            bytea NOT NULL,
    -- When the change happened (the producer's clock), and when it arrived.
    created_at      timestamptz NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX events_app_created_idx ON webhook.events (app_id, environment, created_at DESC, id DESC);
CREATE INDEX events_job_idx ON webhook.events (app_id, environment, job_id, created_at DESC, id DESC);

-- One row per (event, destination): an endpoint, or the job's own
-- webhook_url (endpoint_id ''). A pending row is due at next_attempt_at;
-- while an attempt runs, next_attempt_at is when its claim expires, so a
-- delivery whose worker died is retried by another.
CREATE TABLE webhook.deliveries (
    id              bigserial PRIMARY KEY,
    event_id        text NOT NULL REFERENCES webhook.events (id) ON DELETE CASCADE,
    endpoint_id     text NOT NULL DEFAULT '',
    url             text NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'canceled')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claim_token     text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, endpoint_id)
);

CREATE INDEX deliveries_due_idx ON webhook.deliveries (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX deliveries_endpoint_idx ON webhook.deliveries (endpoint_id) WHERE status = 'pending';

-- The log of every attempt.
CREATE TABLE webhook.attempts (
    delivery_id   bigint NOT NULL REFERENCES webhook.deliveries (id) ON DELETE CASCADE,
    attempt       integer NOT NULL,
    attempted_at  timestamptz NOT NULL,
    -- Where it went: an endpoint's URL may change between attempts.
    url           text NOT NULL,
    status_code   integer NOT NULL DEFAULT 0,
    latency_ms    double precision NOT NULL,
    error         text NOT NULL DEFAULT '',
    -- The first 1 KiB of the response body.
    response_body text NOT NULL DEFAULT '',
    success       boolean NOT NULL,
    next_retry_at timestamptz,
    PRIMARY KEY (delivery_id, attempt)
);

-- +goose Down
DROP TABLE webhook.attempts;
DROP TABLE webhook.deliveries;
DROP TABLE webhook.events;
DROP TABLE webhook.app_secrets;
DROP INDEX webhook.endpoints_app_created_idx;
ALTER TABLE webhook.endpoints DROP COLUMN secret_cipher, DROP COLUMN secret_key_id;
