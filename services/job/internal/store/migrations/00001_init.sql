-- +goose Up
CREATE SCHEMA IF NOT EXISTS job;

CREATE TABLE job.jobs (
    id                   text PRIMARY KEY,
    organization_id      text NOT NULL,
    app_id               text NOT NULL,
    -- 'live' or 'test': what a test key creates is invisible to live keys.
    environment          text NOT NULL,
    status               text NOT NULL,
    progress             integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    priority             text NOT NULL,
    input_url            text NOT NULL DEFAULT '',
    input_origin_id      text NOT NULL DEFAULT '',
    input_origin_name    text NOT NULL DEFAULT '',
    input_path           text NOT NULL DEFAULT '',
    output_origin_id     text NOT NULL,
    output_origin_name   text NOT NULL DEFAULT '',
    output_path_template text NOT NULL DEFAULT '',
    -- The request as submitted, presets resolved (protojson of CreateJobRequest).
    request              jsonb NOT NULL,
    -- Probe result (protojson of InputMetadata); null until probed.
    input_metadata       jsonb,
    error_code           text NOT NULL DEFAULT '',
    error_message        text NOT NULL DEFAULT '',
    webhook_url          text NOT NULL DEFAULT '',
    metadata             jsonb NOT NULL DEFAULT '{}',
    delayed_start        boolean NOT NULL DEFAULT false,
    batch_id             text NOT NULL DEFAULT '',
    total_estimated_cost double precision NOT NULL DEFAULT 0,
    total_actual_cost    double precision NOT NULL DEFAULT 0,
    execution            jsonb NOT NULL DEFAULT '{}',
    traceparent          text NOT NULL DEFAULT '',
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    probed_at            timestamptz,
    started_at           timestamptz,
    completed_at         timestamptz,
    confirmed_at         timestamptz
);

-- Newest first, cursor on (created_at, id).
CREATE INDEX jobs_app_created_idx ON job.jobs (app_id, environment, created_at DESC, id DESC);

CREATE TABLE job.outputs (
    id                         text PRIMARY KEY,
    job_id                     text NOT NULL REFERENCES job.jobs (id) ON DELETE CASCADE,
    position                   integer NOT NULL,
    -- protojson of OutputSpec with presets resolved.
    spec                       jsonb NOT NULL,
    preset_id                  text NOT NULL DEFAULT '',
    status                     text NOT NULL DEFAULT 'pending',
    progress                   integer NOT NULL DEFAULT 0,
    output_url                 text NOT NULL DEFAULT '',
    output_size_bytes          bigint NOT NULL DEFAULT 0,
    duration_seconds           double precision NOT NULL DEFAULT 0,
    checksum                   text NOT NULL DEFAULT '',
    estimated_cost             double precision NOT NULL DEFAULT 0,
    actual_cost                double precision NOT NULL DEFAULT 0,
    estimated_duration_seconds double precision NOT NULL DEFAULT 0,
    error_code                 text NOT NULL DEFAULT '',
    error_message              text NOT NULL DEFAULT '',
    files                      jsonb NOT NULL DEFAULT '[]',
    started_at                 timestamptz,
    completed_at               timestamptz,
    UNIQUE (job_id, position)
);

-- Tasks are leased to encoder workers over Connect (the workers have no
-- database access), so this is a lease table rather than an in-process queue.
CREATE TABLE job.tasks (
    id               text PRIMARY KEY,
    job_id           text NOT NULL REFERENCES job.jobs (id) ON DELETE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('probe', 'encode', 'package')),
    -- held: planned but waiting for Confirm; queued; leased; done; failed; canceled.
    status           text NOT NULL CHECK (status IN ('held', 'queued', 'leased', 'done', 'failed', 'canceled')),
    priority         integer NOT NULL DEFAULT 0,
    -- protojson of the internal task plan (no URLs: those are minted at lease time).
    plan             jsonb NOT NULL DEFAULT '{}',
    attempt          integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL DEFAULT 3,
    lease_token      text NOT NULL DEFAULT '',
    leased_by        text NOT NULL DEFAULT '',
    lease_expires_at timestamptz,
    leased_at        timestamptz,
    run_after        timestamptz NOT NULL DEFAULT now(),
    progress         integer NOT NULL DEFAULT 0,
    error_code       text NOT NULL DEFAULT '',
    error_message    text NOT NULL DEFAULT '',
    elapsed_seconds  double precision NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX tasks_ready_idx ON job.tasks (priority DESC, created_at) WHERE status = 'queued';
CREATE INDEX tasks_leased_idx ON job.tasks (lease_expires_at) WHERE status = 'leased';
CREATE INDEX tasks_job_idx ON job.tasks (job_id);

-- idempotency_key is scoped to the app (and environment) and kept 24 hours.
CREATE TABLE job.idempotency_keys (
    app_id      text NOT NULL,
    environment text NOT NULL,
    key         text NOT NULL,
    job_id      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (app_id, environment, key)
);

-- +goose Down
DROP SCHEMA job CASCADE;
