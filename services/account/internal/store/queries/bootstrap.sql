-- name: GetUserByEmail :one
SELECT * FROM account.users WHERE email = $1;

-- name: InsertUser :one
INSERT INTO account.users (id, email, name) VALUES ($1, $2, $3) RETURNING *;

-- name: GetOrganizationBySlug :one
SELECT * FROM account.organizations WHERE slug = $1;

-- name: InsertOrganization :one
INSERT INTO account.organizations (id, slug, name, billing_email)
VALUES ($1, $2, $3, $4) RETURNING *;

-- name: UpsertMembership :one
INSERT INTO account.memberships (id, user_id, organization_id, role)
VALUES ($1, $2, $3, $4)
ON CONFLICT (user_id, organization_id) DO UPDATE SET role = account.memberships.role
RETURNING *;

-- name: GetAppByName :one
SELECT * FROM account.apps
WHERE organization_id = $1 AND name = $2 AND status = 'active'
ORDER BY created_at LIMIT 1;

-- name: InsertApp :one
INSERT INTO account.apps (id, organization_id, name, description)
VALUES ($1, $2, $3, $4) RETURNING *;

-- name: CountActiveKeys :one
SELECT count(*) FROM account.api_keys
WHERE app_id = $1 AND environment = $2 AND revoked_at IS NULL;
