-- name: CreateApp :one
INSERT INTO account.apps (id, organization_id, name, description, webhook_url, webhook_events, webhook_secret)
VALUES (@id, @organization_id, @name, @description, @webhook_url, @webhook_events, @webhook_secret)
RETURNING *;

-- name: GetApp :one
-- @only_id narrows to one app (an API key sees only its own).
SELECT * FROM account.apps
WHERE id = @id AND organization_id = @organization_id AND (@only_id::text = '' OR id = @only_id);

-- name: GetAppForUpdate :one
SELECT * FROM account.apps
WHERE id = @id AND organization_id = @organization_id AND (@only_id::text = '' OR id = @only_id)
FOR UPDATE;

-- name: UpdateApp :one
UPDATE account.apps
SET name = @name, description = @description, webhook_url = @webhook_url,
    webhook_events = @webhook_events, webhook_secret = @webhook_secret, updated_at = now()
WHERE id = @id
RETURNING *;

-- name: ArchiveApp :one
UPDATE account.apps
SET status = 'archived', archived_at = now(), updated_at = now()
WHERE id = @id AND status = 'active'
RETURNING *;

-- name: RevokeAppKeys :execrows
-- Archiving an app revokes its keys in the same transaction.
UPDATE account.api_keys SET revoked_at = now() WHERE app_id = $1 AND revoked_at IS NULL;

-- name: ListApps :many
SELECT * FROM account.apps
WHERE organization_id = @organization_id
  AND (@only_id::text = '' OR id = @only_id)
  AND (@include_archived::boolean OR status = 'active')
  AND (sqlc.narg('cursor_created_at')::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg('cursor_created_at'), @cursor_id::text))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit OFFSET @row_offset;

-- name: CountApps :one
SELECT count(*) FROM account.apps
WHERE organization_id = @organization_id
  AND (@only_id::text = '' OR id = @only_id)
  AND (@include_archived::boolean OR status = 'active');

-- name: GetAppStatus :one
SELECT status FROM account.apps WHERE id = $1 AND organization_id = $2;
