package handler

import (
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	apikeyv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/apikeyv1"
	appv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/appv1"
	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	organizationv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/organizationv1"
	userv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/userv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/pagination"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/account/internal/membership"
	"github.com/transcodely/transcodely/services/account/internal/store"
	"github.com/transcodely/transcodely/services/account/internal/store/dbgen"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
)

// keyScope narrows what an API key caller sees to its own app and
// environment; a user session sees the whole organization ("", "").
func keyScope(p auth.Principal) (appID, environment string) {
	if p.IsAPIKey() {
		return p.AppID, p.Environment
	}
	return "", ""
}

// storeErr gives a store error its public meaning for resource id.
func storeErr(err error, resource, id string) error {
	err = store.Translate(err)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return rpcerr.NotFound(resource, id)
	case errors.Is(err, store.ErrConflict):
		return rpcerr.AlreadyExists(resource + " already exists")
	case errors.Is(err, membership.ErrOwnerOnly):
		return rpcerr.PermissionDenied(err.Error())
	case errors.Is(err, membership.ErrLastOwner):
		return rpcerr.FailedPrecondition(err.Error())
	}
	return err
}

// page decodes a List request's pagination.
func page(pg *commonv1.PaginationRequest) (pagination.Page, pgtype.Timestamptz, string, error) {
	p, err := pagination.Parse(pg.GetLimit(), pg.GetCursor(), pg.GetOffset())
	if err != nil {
		return p, pgtype.Timestamptz{}, "", rpcerr.InvalidField("pagination.cursor", err.Error())
	}
	if !p.After {
		return p, pgtype.Timestamptz{}, "", nil
	}
	return p, pgtype.Timestamptz{Time: p.CreatedAt, Valid: true}, p.ID, nil
}

// pageResponse is the pagination block with the total count, which is a
// cheap COUNT over the caller's scoped rows for the account lists.
func pageResponse(next string, total int64) *commonv1.PaginationResponse {
	n := int32(min(total, int64(^uint32(0)>>1)))
	return &commonv1.PaginationResponse{NextCursor: next, TotalCount: &n}
}

func orgToProto(o dbgen.AccountOrganization) *organizationv1.Organization {
	st := organizationv1.OrganizationStatus_ORGANIZATION_STATUS_ACTIVE
	if o.Status == "suspended" {
		st = organizationv1.OrganizationStatus_ORGANIZATION_STATUS_SUSPENDED
	}
	return &organizationv1.Organization{
		Id: o.ID, Slug: o.Slug, Name: o.Name, BillingEmail: o.BillingEmail, Status: st,
		CreatedAt: rpcwire.Timestamp(o.CreatedAt), UpdatedAt: rpcwire.Timestamp(o.UpdatedAt),
	}
}

func orgKey(o dbgen.AccountOrganization) (time.Time, string) { return o.CreatedAt.Time, o.ID }

func appToProto(a dbgen.AccountApp) *appv1.App {
	st := appv1.AppStatus_APP_STATUS_ACTIVE
	if a.Status == "archived" {
		st = appv1.AppStatus_APP_STATUS_ARCHIVED
	}
	events := a.WebhookEvents
	if events == nil {
		events = []string{}
	}
	return &appv1.App{
		Id: a.ID, OrganizationId: a.OrganizationID, Name: a.Name, Description: a.Description, Status: st,
		Webhook:   &appv1.AppWebhook{Url: a.WebhookUrl, Events: events, HasSecret: a.WebhookSecret != ""},
		CreatedAt: rpcwire.Timestamp(a.CreatedAt), UpdatedAt: rpcwire.Timestamp(a.UpdatedAt), ArchivedAt: rpcwire.Timestamp(a.ArchivedAt),
	}
}

func appKey(a dbgen.AccountApp) (time.Time, string) { return a.CreatedAt.Time, a.ID }

// keyToProto describes a key; the secret is not in the row at all (only
// its HMAC), so no code path can return it after Create.
func keyToProto(k dbgen.AccountApiKey) *apikeyv1.APIKey {
	env, prefix := apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_TEST, auth.TestPrefix
	if k.Environment == auth.EnvironmentLive {
		env, prefix = apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_LIVE, auth.LivePrefix
	}
	scopes := k.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	return &apikeyv1.APIKey{
		Id: k.ID, AppId: k.AppID, Name: k.Name, Description: k.Description, KeyPrefix: prefix, KeyHint: k.KeyHint,
		Environment: env, Scopes: scopes,
		LastUsedAt: rpcwire.Timestamp(k.LastUsedAt), ExpiresAt: rpcwire.Timestamp(k.ExpiresAt), CreatedAt: rpcwire.Timestamp(k.CreatedAt),
		IsRevoked: k.RevokedAt.Valid, RevokedAt: rpcwire.Timestamp(k.RevokedAt),
	}
}

func keyKey(k dbgen.AccountApiKey) (time.Time, string) { return k.CreatedAt.Time, k.ID }

func userToProto(u dbgen.AccountUser) *userv1.User {
	return &userv1.User{Id: u.ID, Email: u.Email, Name: u.Name, CreatedAt: rpcwire.Timestamp(u.CreatedAt)}
}

func userKey(u dbgen.AccountUser) (time.Time, string) { return u.CreatedAt.Time, u.ID }

var roles = map[string]userv1.Role{
	auth.RoleOwner: userv1.Role_ROLE_OWNER, auth.RoleAdmin: userv1.Role_ROLE_ADMIN,
	auth.RoleMember: userv1.Role_ROLE_MEMBER, auth.RoleViewer: userv1.Role_ROLE_VIEWER,
}

// roleString is the stored form of a role ("owner", ...).
func roleString(r userv1.Role) string { return rpcwire.EnumString(r) }

func membershipToProto(m dbgen.AccountMembership, u *userv1.User) *userv1.Membership {
	return &userv1.Membership{
		Id: m.ID, UserId: m.UserID, OrganizationId: m.OrganizationID, Role: roles[m.Role],
		CreatedAt: rpcwire.Timestamp(m.CreatedAt), User: u,
	}
}
