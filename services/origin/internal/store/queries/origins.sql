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
-- Credentials change only when new ones are given (both NULL otherwise), so
-- an update of the name cannot write back a ciphertext that rotate-keys
-- re-sealed in the meantime; settings change with them (an http origin's
-- header names), NULL keeps them.
UPDATE origin.origins
SET name = @name, description = @description, base_path = @base_path, path_template = @path_template,
    credentials_cipher = coalesce(sqlc.narg('credentials_cipher')::bytea, credentials_cipher),
    credentials_key_id = coalesce(sqlc.narg('credentials_key_id')::text, credentials_key_id),
    settings = coalesce(sqlc.narg('settings')::jsonb, settings),
    updated_at = now()
WHERE id = @id
RETURNING *;

-- name: ArchiveOrigin :one
UPDATE origin.origins SET status = 'archived', archived_at = coalesce(archived_at, now()), updated_at = now()
WHERE id = $1 AND app_id = $2 AND environment = $3
RETURNING *;

-- name: CredentialKeySamples :many
-- One origin per key id in use, so rotate-keys can prove the ring opens
-- every key before it rewrites anything.
SELECT DISTINCT ON (credentials_key_id) id, credentials_cipher, credentials_key_id
FROM origin.origins
WHERE credentials_cipher IS NOT NULL
ORDER BY credentials_key_id, id;

-- name: LockCredentialsBatch :many
-- The next batch of sealed credentials after @after_id, in id order. The
-- rows stay locked until the transaction ends, so an Update that seals new
-- credentials meanwhile waits instead of being overwritten.
SELECT id, credentials_cipher, credentials_key_id
FROM origin.origins
WHERE credentials_cipher IS NOT NULL AND id > @after_id::text
ORDER BY id
LIMIT @batch_size
FOR UPDATE;

-- name: SetCredentials :exec
-- Re-sealing changes nothing a caller sees, so updated_at stays.
UPDATE origin.origins SET credentials_cipher = @credentials_cipher, credentials_key_id = @credentials_key_id
WHERE id = @id;
