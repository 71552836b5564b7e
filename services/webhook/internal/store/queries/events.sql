-- name: InsertEvent :execrows
-- Zero rows when the event was published before (an outbox row sent again).
INSERT INTO webhook.events (id, organization_id, app_id, environment, type, job_id, output_id, envelope, body, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (id) DO NOTHING;

-- name: InsertDelivery :exec
INSERT INTO webhook.deliveries (event_id, endpoint_id, url) VALUES ($1, $2, $3)
ON CONFLICT (event_id, endpoint_id) DO NOTHING;

-- name: NotifyDeliveries :exec
-- Wakes the dispatchers at commit.
SELECT pg_notify('webhook_delivery', '');

-- name: ListEvents :many
-- Newest first, keyset on (created_at, id).
SELECT id, type, job_id, envelope, created_at FROM webhook.events
WHERE app_id = @app_id AND environment = @environment
  AND (@type::text = '' OR type = @type)
  AND (@job_id::text = '' OR job_id = @job_id)
  AND (sqlc.narg('cursor_created_at')::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg('cursor_created_at'), @cursor_id::text))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit OFFSET @row_offset;

-- name: ListDeliveries :many
SELECT id, event_id, endpoint_id, url, status, attempts, next_attempt_at FROM webhook.deliveries
WHERE event_id = ANY(@event_ids::text[])
ORDER BY event_id, id;

-- name: ListAttempts :many
SELECT a.* FROM webhook.attempts a JOIN webhook.deliveries d ON d.id = a.delivery_id
WHERE d.event_id = ANY(@event_ids::text[])
ORDER BY a.delivery_id, a.attempt;
