-- +goose Up
-- Segment-parallel encoding: a job's timeline is encoded in segment tasks,
-- its audio in one audio task, and each output is assembled by a package
-- task that waits ('waiting') until every segment and the audio are done.
ALTER TABLE job.tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE job.tasks ADD CONSTRAINT tasks_kind_check
    CHECK (kind IN ('probe', 'encode', 'package', 'thumbnail', 'segment', 'audio'));
ALTER TABLE job.tasks DROP CONSTRAINT tasks_status_check;
ALTER TABLE job.tasks ADD CONSTRAINT tasks_status_check
    CHECK (status IN ('held', 'waiting', 'queued', 'leased', 'done', 'failed', 'canceled'));

-- scratch_pending marks a job whose intermediate files may still exist in
-- scratch; the sweeper clears it once the job has ended and they are gone.
ALTER TABLE job.jobs ADD COLUMN scratch_pending boolean NOT NULL DEFAULT false;
CREATE INDEX jobs_scratch_idx ON job.jobs (updated_at) WHERE scratch_pending;

-- +goose Down
DROP INDEX job.jobs_scratch_idx;
ALTER TABLE job.jobs DROP COLUMN scratch_pending;
ALTER TABLE job.tasks DROP CONSTRAINT tasks_status_check;
ALTER TABLE job.tasks ADD CONSTRAINT tasks_status_check
    CHECK (status IN ('held', 'queued', 'leased', 'done', 'failed', 'canceled'));
ALTER TABLE job.tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE job.tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('probe', 'encode', 'package', 'thumbnail'));
