-- +goose Up
-- One row per ThumbnailSpec of a job. The number of images is known only
-- after probing, so the rows start pending and their task is planned then;
-- the job ends only once every output and every thumbnail set has ended.
CREATE TABLE job.thumbnails (
    job_id        text NOT NULL REFERENCES job.jobs (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    -- protojson of ThumbnailSpec as requested.
    spec          jsonb NOT NULL,
    -- pending, processing, completed, failed, canceled (as outputs).
    status        text NOT NULL DEFAULT 'pending',
    -- Canonical object URLs of the images, in time order.
    urls          jsonb NOT NULL DEFAULT '[]',
    sprite_url    text NOT NULL DEFAULT '',
    vtt_url       text NOT NULL DEFAULT '',
    error_code    text NOT NULL DEFAULT '',
    error_message text NOT NULL DEFAULT '',
    completed_at  timestamptz,
    PRIMARY KEY (job_id, position)
);

ALTER TABLE job.tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE job.tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('probe', 'encode', 'package', 'thumbnail'));

-- +goose Down
ALTER TABLE job.tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE job.tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('probe', 'encode', 'package'));
DROP TABLE job.thumbnails;
