-- name: InsertEndpoint :one
INSERT INTO webhook.endpoints (id, app_id, environment, url, events, description, status, secret_cipher, secret_key_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING *;

-- name: GetEndpoint :one
SELECT * FROM webhook.endpoints WHERE id = $1 AND app_id = $2 AND environment = $3;

-- name: LockEndpoint :one
SELECT * FROM webhook.endpoints WHERE id = $1 AND app_id = $2 AND environment = $3 FOR UPDATE;

-- name: ListEndpoints :many
SELECT * FROM webhook.endpoints
WHERE app_id = @app_id AND environment = @environment
  AND (sqlc.narg('cursor_created_at')::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg('cursor_created_at'), @cursor_id::text))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit OFFSET @row_offset;

-- name: UpdateEndpoint :one
UPDATE webhook.endpoints
SET url = @url, events = @events, description = @description, status = @status,
    secret_cipher = @secret_cipher, secret_key_id = @secret_key_id, updated_at = now()
WHERE id = @id
RETURNING *;

-- name: DeleteEndpoint :execrows
DELETE FROM webhook.endpoints WHERE id = $1 AND app_id = $2 AND environment = $3;

-- name: CancelEndpointDeliveries :exec
-- A disabled or deleted endpoint receives nothing, not even retries of
-- events it was due before.
UPDATE webhook.deliveries SET status = 'canceled', claim_token = '', updated_at = now()
WHERE endpoint_id = @endpoint_id AND status = 'pending';

-- name: EnabledEndpoints :many
-- The endpoints that may receive an app's events.
SELECT id, url, events FROM webhook.endpoints
WHERE app_id = $1 AND environment = $2 AND status = 'enabled'
ORDER BY created_at, id;

-- name: FirstEndpointSecret :one
-- The app's signing secret for job webhook_url deliveries: its oldest
-- endpoint's, enabled or not.
SELECT id, secret_cipher, secret_key_id FROM webhook.endpoints
WHERE app_id = $1 AND environment = $2
ORDER BY created_at, id
LIMIT 1;

-- name: InsertAppSecret :exec
INSERT INTO webhook.app_secrets (app_id, environment, secret_cipher, secret_key_id)
VALUES ($1, $2, $3, $4)
ON CONFLICT (app_id, environment) DO NOTHING;

-- name: GetAppSecret :one
SELECT * FROM webhook.app_secrets WHERE app_id = $1 AND environment = $2;
