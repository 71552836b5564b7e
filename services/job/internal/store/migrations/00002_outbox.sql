-- +goose Up
-- The event outbox: every job change that is a webhook event writes its
-- event here in the same transaction, so an event exists if and only if
-- its change committed. A relay (internal/relay) hands rows to the webhook
-- service in seq order and deletes them only once that service has stored
-- them; the webhook service deduplicates by event_id.
CREATE TABLE job.outbox (
    seq        bigserial PRIMARY KEY,
    event_id   text NOT NULL UNIQUE,
    event_type text NOT NULL,
    job_id     text NOT NULL,
    -- Binary protobuf of transcodely.internal.v1.Event, the job rendered as
    -- it was when the change committed.
    payload    bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE job.outbox;
