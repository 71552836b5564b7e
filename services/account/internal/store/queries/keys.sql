-- name: InsertAPIKey :one
INSERT INTO account.api_keys (id, app_id, organization_id, name, description, environment, key_hash, key_hint, scopes, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING *;

-- name: GetKeyForVerify :one
-- Everything a verification needs in one round trip.
SELECT k.id, k.app_id, k.organization_id, k.environment, k.scopes, k.expires_at, k.revoked_at,
       a.status AS app_status, o.status AS organization_status
FROM account.api_keys k
JOIN account.apps a ON a.id = k.app_id
JOIN account.organizations o ON o.id = k.organization_id
WHERE k.key_hash = $1;

-- name: TouchKeyLastUsed :exec
-- Written at most once a minute per key, so verification stays read-mostly.
UPDATE account.api_keys SET last_used_at = now()
WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute');

-- name: GetAPIKey :one
-- @only_app_id and @only_environment narrow what an API key caller sees to
-- its own app and environment; a user session passes ''.
SELECT * FROM account.api_keys
WHERE id = @id AND organization_id = @organization_id
  AND (@only_app_id::text = '' OR app_id = @only_app_id)
  AND (@only_environment::text = '' OR environment = @only_environment);

-- name: RevokeAPIKey :one
-- Idempotent: revoking a revoked key keeps its first revocation time.
UPDATE account.api_keys SET revoked_at = coalesce(revoked_at, now())
WHERE id = @id AND organization_id = @organization_id
  AND (@only_app_id::text = '' OR app_id = @only_app_id)
  AND (@only_environment::text = '' OR environment = @only_environment)
RETURNING *;

-- name: ListAPIKeys :many
SELECT * FROM account.api_keys
WHERE organization_id = @organization_id
  AND (@only_app_id::text = '' OR app_id = @only_app_id)
  AND (@only_environment::text = '' OR environment = @only_environment)
  AND (@include_revoked::boolean OR revoked_at IS NULL)
  AND (sqlc.narg('cursor_created_at')::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg('cursor_created_at'), @cursor_id::text))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit OFFSET @row_offset;

-- name: CountAPIKeys :one
SELECT count(*) FROM account.api_keys
WHERE organization_id = @organization_id
  AND (@only_app_id::text = '' OR app_id = @only_app_id)
  AND (@only_environment::text = '' OR environment = @only_environment)
  AND (@include_revoked::boolean OR revoked_at IS NULL);
