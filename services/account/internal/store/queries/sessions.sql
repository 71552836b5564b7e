-- name: InsertSession :one
INSERT INTO account.sessions (id, user_id, token_hash, description, expires_at)
VALUES ($1, $2, $3, $4, $5)
RETURNING *;

-- name: GetSessionForVerify :one
SELECT s.id, s.user_id, s.expires_at, s.revoked_at
FROM account.sessions s
WHERE s.token_hash = $1;

-- name: GetMemberRole :one
-- The user's role in an organization and the organization's standing.
SELECT m.role, o.status AS organization_status
FROM account.memberships m
JOIN account.organizations o ON o.id = m.organization_id
WHERE m.user_id = $1 AND m.organization_id = $2;

-- name: TouchSessionLastUsed :exec
-- Written at most once a minute per session, like API keys.
UPDATE account.sessions SET last_used_at = now()
WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute');

-- name: RevokeUserSessions :execrows
UPDATE account.sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL;
