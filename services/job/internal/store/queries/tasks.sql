-- name: LeaseTask :one
-- Hands out the most urgent ready task, or one whose lease expired (its
-- worker crashed), skipping rows other leasers hold.
UPDATE job.tasks t
SET status = 'leased', attempt = t.attempt + 1, lease_token = @lease_token, leased_by = @worker_id,
    lease_expires_at = now() + make_interval(secs => @lease_seconds::double precision), leased_at = now(),
    progress = 0, updated_at = now()
WHERE t.id = (
    SELECT c.id FROM job.tasks c
    WHERE c.kind = ANY(@kinds::text[])
      AND ((c.status = 'queued' AND c.run_after <= now())
           OR (c.status = 'leased' AND c.lease_expires_at < now() AND c.attempt < c.max_attempts))
    ORDER BY c.priority DESC, c.created_at
    FOR UPDATE SKIP LOCKED
    LIMIT 1
)
RETURNING *;

-- name: ExpiredExhaustedTasks :many
-- Leases that expired on their last allowed attempt: the job must fail.
UPDATE job.tasks SET status = 'failed', error_code = 'worker_lost',
    error_message = 'the encoder working on this task stopped responding ' || attempt || ' times', updated_at = now()
WHERE id IN (
    SELECT id FROM job.tasks
    WHERE status = 'leased' AND lease_expires_at < now() AND attempt >= max_attempts
    FOR UPDATE SKIP LOCKED
)
RETURNING *;

-- name: GetTaskForLease :one
SELECT * FROM job.tasks WHERE id = @id AND lease_token = @lease_token AND status = 'leased';

-- name: GetTask :one
SELECT * FROM job.tasks WHERE id = $1;

-- name: LockTask :one
SELECT * FROM job.tasks WHERE id = $1 FOR UPDATE;

-- name: ExtendLease :one
UPDATE job.tasks
SET lease_expires_at = now() + make_interval(secs => @lease_seconds::double precision), progress = @progress, updated_at = now()
WHERE id = @id AND lease_token = @lease_token AND status = 'leased'
RETURNING *;

-- name: FinishTask :exec
UPDATE job.tasks SET status = @status, error_code = @error_code, error_message = @error_message,
    elapsed_seconds = @elapsed_seconds, progress = CASE WHEN @status::text = 'done' THEN 100 ELSE progress END, updated_at = now()
WHERE id = @id;

-- name: RequeueTask :exec
UPDATE job.tasks SET status = 'queued', lease_token = '', leased_by = '', lease_expires_at = NULL,
    run_after = now() + make_interval(secs => @delay_seconds::double precision),
    error_code = @error_code, error_message = @error_message, updated_at = now()
WHERE id = @id;

-- name: ReleaseHeldTasks :exec
UPDATE job.tasks SET status = 'queued', run_after = now(), updated_at = now() WHERE job_id = $1 AND status = 'held';

-- name: CancelTasks :exec
UPDATE job.tasks SET status = 'canceled', updated_at = now()
WHERE job_id = $1 AND status IN ('held', 'waiting', 'queued', 'leased');

-- name: ListJobTasks :many
SELECT * FROM job.tasks WHERE job_id = $1 ORDER BY created_at, id;

-- name: ReleaseWaitingTasks :execrows
-- Queues a job's package tasks once none of its segment or audio tasks is
-- left unfinished.
UPDATE job.tasks t SET status = 'queued', run_after = now(), updated_at = now()
WHERE t.job_id = @job_id AND t.status = 'waiting'
  AND NOT EXISTS (
    SELECT 1 FROM job.tasks d
    WHERE d.job_id = @job_id AND d.kind IN ('segment', 'audio') AND d.status IN ('held', 'waiting', 'queued', 'leased')
  );

-- name: FailWaitingTasks :exec
-- A segment or the audio failed for good: nothing waiting on them can run.
UPDATE job.tasks SET status = 'canceled', updated_at = now()
WHERE job_id = $1 AND status IN ('waiting', 'held', 'queued', 'leased') AND kind IN ('segment', 'audio', 'package');

-- name: CancelPackageTasks :exec
-- The audio failed for good: the package tasks of outputs carrying it
-- cannot run.
UPDATE job.tasks SET status = 'canceled', updated_at = now()
WHERE job_id = @job_id AND kind = 'package' AND status IN ('waiting', 'queued', 'leased')
  AND plan->>'output_id' = ANY(@output_ids::text[]);

-- name: ListTaskProgress :many
-- What the job's progress figure needs of each task, read on every
-- heartbeat: the weight is picked out of the plan here, so the plans
-- (which list every segment key) are never shipped or parsed for it.
SELECT kind, status, progress,
    COALESCE((plan->>'weight')::double precision, 0)::double precision AS weight
FROM job.tasks WHERE job_id = $1;
