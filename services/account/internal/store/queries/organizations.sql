-- name: GetOrganization :one
SELECT * FROM account.organizations WHERE id = $1;

-- name: SlugTaken :one
SELECT EXISTS (SELECT 1 FROM account.organizations WHERE slug = $1);

-- name: UpdateOrganization :one
-- A NULL argument keeps the column (the request's optional fields).
UPDATE account.organizations
SET name          = coalesce(sqlc.narg('name'), name),
    billing_email = coalesce(sqlc.narg('billing_email'), billing_email),
    updated_at    = now()
WHERE id = @id
RETURNING *;

-- name: SetOrganizationStatus :one
-- Operators suspend and reinstate organizations from the command line;
-- @ref is the id or the slug.
UPDATE account.organizations SET status = @status, updated_at = now()
WHERE id = @ref OR slug = @ref
RETURNING *;

-- name: LockOrganization :one
-- Serializes role changes within one organization, so two owners demoting
-- each other at once cannot leave it without an owner.
SELECT id FROM account.organizations WHERE id = $1 FOR UPDATE;

-- name: ListUserOrganizations :many
SELECT * FROM account.organizations
WHERE id IN (SELECT organization_id FROM account.memberships WHERE user_id = @user_id)
  AND (@only_id::text = '' OR id = @only_id)
  AND (sqlc.narg('cursor_created_at')::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg('cursor_created_at'), @cursor_id::text))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit OFFSET @row_offset;

-- name: ListOrganizationsByID :many
-- An API key sees only its own organization.
SELECT * FROM account.organizations
WHERE id = @id
  AND (sqlc.narg('cursor_created_at')::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg('cursor_created_at'), @cursor_id::text))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit OFFSET @row_offset;

-- name: CountUserOrganizations :one
SELECT count(*) FROM account.memberships WHERE user_id = $1;
