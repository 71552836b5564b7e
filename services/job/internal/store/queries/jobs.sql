-- name: ClaimIdempotencyKey :one
-- Returns the job id now bound to the key: the new one when the key was free
-- (or older than 24 hours), the existing one otherwise. Concurrent callers
-- serialize on the primary key, so only one job is ever created per key.
INSERT INTO job.idempotency_keys AS k (app_id, environment, key, job_id)
VALUES ($1, $2, $3, $4)
ON CONFLICT (app_id, environment, key) DO UPDATE
    SET job_id = CASE WHEN k.created_at < now() - interval '24 hours' THEN EXCLUDED.job_id ELSE k.job_id END,
        created_at = CASE WHEN k.created_at < now() - interval '24 hours' THEN now() ELSE k.created_at END
RETURNING job_id;

-- name: InsertJob :exec
INSERT INTO job.jobs (
    id, organization_id, app_id, environment, status, priority, input_url, input_origin_id, input_path,
    output_origin_id, output_path_template, request, webhook_url, metadata, delayed_start, batch_id, traceparent,
    input_origin_name, output_origin_name
) VALUES (
    $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19
);

-- name: InsertOutput :exec
INSERT INTO job.outputs (id, job_id, position, spec, preset_id) VALUES ($1, $2, $3, $4, $5);

-- name: InsertTask :exec
INSERT INTO job.tasks (id, job_id, kind, status, priority, plan, max_attempts)
VALUES ($1, $2, $3, $4, $5, $6, $7);

-- name: GetJob :one
SELECT * FROM job.jobs WHERE id = $1 AND app_id = $2 AND environment = $3;

-- name: GetJobByID :one
SELECT * FROM job.jobs WHERE id = $1;

-- name: LockJob :one
SELECT * FROM job.jobs WHERE id = $1 FOR UPDATE;

-- name: ListOutputs :many
SELECT * FROM job.outputs WHERE job_id = $1 ORDER BY position;

-- name: ListOutputsForJobs :many
SELECT * FROM job.outputs WHERE job_id = ANY(@job_ids::text[]) ORDER BY job_id, position;

-- name: ListJobs :many
-- Keyset pagination, newest first: (created_at, id) below the cursor.
SELECT * FROM job.jobs
WHERE app_id = @app_id AND environment = @environment
  AND (@status::text = '' OR status = @status)
  AND (sqlc.narg('created_after')::timestamptz IS NULL OR created_at > sqlc.narg('created_after'))
  AND (sqlc.narg('created_before')::timestamptz IS NULL OR created_at < sqlc.narg('created_before'))
  AND (@batch_id::text = '' OR batch_id = @batch_id)
  AND (sqlc.narg('cursor_created_at')::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg('cursor_created_at'), @cursor_id::text))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit OFFSET @row_offset;

-- name: UpdateJobProbed :exec
UPDATE job.jobs
SET status = @status, progress = @progress, input_metadata = @input_metadata, probed_at = now(),
    started_at = CASE WHEN @status::text = 'processing' THEN now() ELSE started_at END,
    total_estimated_cost = @total_estimated_cost, updated_at = now()
WHERE id = @id;

-- name: SetJobStatus :exec
UPDATE job.jobs
SET status = @status, progress = @progress, error_code = @error_code, error_message = @error_message,
    started_at = CASE WHEN @status::text = 'processing' AND started_at IS NULL THEN now() ELSE started_at END,
    confirmed_at = CASE WHEN @confirmed::boolean THEN now() ELSE confirmed_at END,
    completed_at = CASE WHEN @status::text IN ('completed', 'partial', 'failed', 'canceled') THEN now() ELSE completed_at END,
    total_actual_cost = @total_actual_cost, updated_at = now()
WHERE id = @id;

-- name: SetJobProbing :exec
UPDATE job.jobs SET status = 'probing', progress = 1, updated_at = now()
WHERE id = $1 AND status = 'pending';

-- name: SetJobProgress :execrows
-- Progress never goes backwards, even when a slower task reports late.
UPDATE job.jobs SET progress = @progress, updated_at = now()
WHERE id = @id AND status = 'processing' AND progress < @progress;

-- name: MergeJobExecution :exec
UPDATE job.jobs SET execution = execution || @patch::jsonb, updated_at = now() WHERE id = @id;

-- name: UpdateOutputStarted :exec
UPDATE job.outputs SET status = 'processing', started_at = coalesce(started_at, now())
WHERE id = $1 AND status = 'pending';

-- name: UpdateOutputProgress :exec
UPDATE job.outputs SET progress = @progress WHERE id = @id AND status = 'processing';

-- name: CompleteOutput :exec
UPDATE job.outputs
SET status = 'completed', progress = 100, output_url = @output_url, output_size_bytes = @output_size_bytes,
    duration_seconds = @duration_seconds, checksum = @checksum, actual_cost = @actual_cost,
    files = @files, completed_at = now()
WHERE id = @id AND status IN ('pending', 'processing');

-- name: FailOutput :exec
UPDATE job.outputs
SET status = 'failed', error_code = @error_code, error_message = @error_message, completed_at = now()
WHERE id = @id AND status IN ('pending', 'processing');

-- name: SetOutputEstimate :exec
UPDATE job.outputs SET estimated_cost = @estimated_cost, estimated_duration_seconds = @estimated_duration_seconds
WHERE id = @id;

-- name: CancelOutputs :exec
UPDATE job.outputs SET status = 'canceled', completed_at = now()
WHERE job_id = $1 AND status IN ('pending', 'processing');

-- name: FailOpenOutputs :exec
UPDATE job.outputs SET status = 'failed', error_code = @error_code, error_message = @error_message, completed_at = now()
WHERE job_id = @job_id AND status IN ('pending', 'processing');

-- name: NotifyJobChanged :exec
-- Delivered at commit to every job replica's Watch listener.
SELECT pg_notify('job_changed', @job_id::text);

-- name: MarkScratchPending :exec
UPDATE job.jobs SET scratch_pending = true WHERE id = $1;

-- name: ScratchToSweep :many
-- Ended jobs whose scratch may still hold files.
SELECT id, completed_at FROM job.jobs
WHERE scratch_pending AND status IN ('completed', 'partial', 'failed', 'canceled')
ORDER BY completed_at
LIMIT 100;

-- name: ClearScratchPending :exec
UPDATE job.jobs SET scratch_pending = false WHERE id = $1;
