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
