-- name: GetUser :one
SELECT * FROM account.users WHERE id = $1;

-- name: GetOrganizationUser :one
-- A user is visible only to the organizations they belong to.
SELECT * FROM account.users u
WHERE u.id = @id
  AND EXISTS (SELECT 1 FROM account.memberships m WHERE m.user_id = u.id AND m.organization_id = @organization_id);

-- name: UpdateUserName :one
UPDATE account.users SET name = coalesce(sqlc.narg('name'), name) WHERE id = @id RETURNING *;

-- name: ListUserMemberships :many
SELECT * FROM account.memberships WHERE user_id = $1 ORDER BY created_at, id;

-- name: ListOrganizationUsers :many
SELECT * FROM account.users
WHERE id IN (SELECT user_id FROM account.memberships WHERE organization_id = @organization_id)
  AND (sqlc.narg('cursor_created_at')::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg('cursor_created_at'), @cursor_id::text))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit OFFSET @row_offset;

-- name: CountMembers :one
SELECT count(*) FROM account.memberships WHERE organization_id = $1;

-- name: ListMembers :many
SELECT m.id, m.user_id, m.organization_id, m.role, m.created_at,
       u.email AS user_email, u.name AS user_name, u.created_at AS user_created_at
FROM account.memberships m
JOIN account.users u ON u.id = m.user_id
WHERE m.organization_id = @organization_id
  AND (sqlc.narg('cursor_created_at')::timestamptz IS NULL
       OR (m.created_at, m.id) < (sqlc.narg('cursor_created_at'), @cursor_id::text))
ORDER BY m.created_at DESC, m.id DESC
LIMIT @row_limit OFFSET @row_offset;

-- name: GetMembershipForUpdate :one
SELECT * FROM account.memberships WHERE id = @id AND organization_id = @organization_id FOR UPDATE;

-- name: CountOwners :one
SELECT count(*) FROM account.memberships WHERE organization_id = $1 AND role = 'owner';

-- name: SetMembershipRole :one
UPDATE account.memberships SET role = @role WHERE id = @id RETURNING *;

-- name: DeleteMembership :exec
DELETE FROM account.memberships WHERE id = $1;

-- name: InsertMembership :one
-- Does nothing (and returns no row) when the user is already a member.
INSERT INTO account.memberships (id, user_id, organization_id, role)
VALUES ($1, $2, $3, $4)
ON CONFLICT (user_id, organization_id) DO NOTHING
RETURNING *;

-- name: GetMembership :one
SELECT * FROM account.memberships WHERE user_id = $1 AND organization_id = $2;
