-- name: InsertThumbnail :exec
INSERT INTO job.thumbnails (job_id, position, spec) VALUES ($1, $2, $3);

-- name: ListThumbnails :many
SELECT * FROM job.thumbnails WHERE job_id = $1 ORDER BY position;

-- name: ListThumbnailsForJobs :many
SELECT * FROM job.thumbnails WHERE job_id = ANY(@job_ids::text[]) ORDER BY job_id, position;

-- name: StartThumbnail :exec
UPDATE job.thumbnails SET status = 'processing'
WHERE job_id = $1 AND position = $2 AND status = 'pending';

-- name: CompleteThumbnail :exec
UPDATE job.thumbnails SET status = 'completed', urls = @urls, sprite_url = @sprite_url, vtt_url = @vtt_url, completed_at = now()
WHERE job_id = @job_id AND position = @position AND status IN ('pending', 'processing');

-- name: FailThumbnail :exec
UPDATE job.thumbnails SET status = 'failed', error_code = @error_code, error_message = @error_message, completed_at = now()
WHERE job_id = @job_id AND position = @position AND status IN ('pending', 'processing');

-- name: CancelThumbnails :exec
UPDATE job.thumbnails SET status = 'canceled', completed_at = now()
WHERE job_id = $1 AND status IN ('pending', 'processing');

-- name: FailOpenThumbnails :exec
UPDATE job.thumbnails SET status = 'failed', error_code = @error_code, error_message = @error_message, completed_at = now()
WHERE job_id = @job_id AND status IN ('pending', 'processing');
