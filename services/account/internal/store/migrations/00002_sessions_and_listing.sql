-- +goose Up
-- User session tokens: users act through these (API keys act as their app).
-- Like API keys, only an HMAC of the token is stored (pkg/auth.HashKey).
CREATE TABLE account.sessions (
    id           text PRIMARY KEY,
    user_id      text NOT NULL REFERENCES account.users (id) ON DELETE CASCADE,
    token_hash   text NOT NULL UNIQUE,
    description  text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);

CREATE INDEX sessions_user_idx ON account.sessions (user_id);

-- The app's default webhook signing secret; only has_secret is ever returned.
ALTER TABLE account.apps ADD COLUMN webhook_secret text NOT NULL DEFAULT '';

-- Keyset pagination of the organization-wide lists, newest first.
CREATE INDEX memberships_organization_idx ON account.memberships (organization_id, created_at DESC, id DESC);
CREATE INDEX memberships_user_idx ON account.memberships (user_id);
CREATE INDEX api_keys_organization_idx ON account.api_keys (organization_id, created_at DESC, id DESC);

-- +goose Down
DROP INDEX account.api_keys_organization_idx;
DROP INDEX account.memberships_user_idx;
DROP INDEX account.memberships_organization_idx;
ALTER TABLE account.apps DROP COLUMN webhook_secret;
DROP TABLE account.sessions;
