-- name: InsertOrigin :one
INSERT INTO origin.origins (
    id, organization_id, app_id, environment, name, description, provider, permissions, status,
    base_path, path_template, settings, credentials_cipher, credentials_key_id, last_validated_at, validation_error
) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
RETURNING *;

-- name: GetOrigin :one
SELECT * FROM origin.origins WHERE id = $1 AND app_id = $2 AND environment = $3;

-- name: ListOrigins :many
SELECT * FROM origin.origins
WHERE app_id = @app_id AND environment = @environment
  AND (@status::text = '' OR status = @status)
  AND (@provider::text = '' OR provider = @provider)
  AND (sqlc.narg('cursor_created_at')::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg('cursor_created_at'), @cursor_id::text))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit OFFSET @row_offset;

-- name: SetOriginValidation :one
UPDATE origin.origins
SET status = CASE WHEN status = 'archived' THEN status ELSE @status END,
    last_validated_at = now(), validation_error = @validation_error, updated_at = now()
WHERE id = @id
RETURNING *;

-- name: UpdateOrigin :one
UPDATE origin.origins
SET name = @name, description = @description, base_path = @base_path, path_template = @path_template,
    credentials_cipher = @credentials_cipher, credentials_key_id = @credentials_key_id, updated_at = now()
WHERE id = @id
RETURNING *;

-- name: ArchiveOrigin :one
UPDATE origin.origins SET status = 'archived', archived_at = coalesce(archived_at, now()), updated_at = now()
WHERE id = $1 AND app_id = $2 AND environment = $3
RETURNING *;

-- name: ListAllCredentials :many
-- For re-encryption under a new master key.
SELECT id, credentials_cipher, credentials_key_id FROM origin.origins WHERE credentials_cipher IS NOT NULL;

-- name: SetCredentials :exec
UPDATE origin.origins SET credentials_cipher = $2, credentials_key_id = $3 WHERE id = $1;
