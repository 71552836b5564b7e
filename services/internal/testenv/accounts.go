package testenv

import (
	"context"
	"testing"

	"connectrpc.com/connect"

	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/services/account/accountapp"
)

// Tenant is an organization with an app and a test API key, made the way a
// self-hoster makes one (the bootstrap command).
type Tenant struct {
	OrganizationID, AppID, APIKey string
	// OwnerToken is a session token of the organization's owner.
	OwnerToken string
}

// NewTenant bootstraps another organization (slug) owned by ownerEmail in
// the same installation, for tests of tenant isolation.
func (e *Env) NewTenant(tb testing.TB, slug, ownerEmail string) Tenant {
	tb.Helper()
	res, err := e.Instance.Account.Bootstrap(context.Background(), accountapp.BootstrapRequest{
		Email: ownerEmail, OrgSlug: slug, AppName: "main", Environment: auth.EnvironmentTest,
	})
	if err != nil {
		tb.Fatalf("bootstrap %s: %v", slug, err)
	}
	return Tenant{OrganizationID: res.OrganizationID, AppID: res.AppID, APIKey: res.Secret, OwnerToken: res.SessionToken}
}

// Member makes sure email is a member of organization (id or slug; the
// env's own when empty) with role (an existing member keeps their role),
// and returns the user id, membership id and a fresh session token, as
// `account invite` does.
func (e *Env) Member(tb testing.TB, organization, email, role string) (userID, membershipID, token string) {
	tb.Helper()
	if organization == "" {
		organization = e.OrganizationID
	}
	res, err := e.Instance.Account.Invite(context.Background(), accountapp.InviteRequest{Email: email, Organization: organization, Role: role})
	if err != nil {
		tb.Fatalf("invite %s as %s: %v", email, role, err)
	}
	return res.UserID, res.MembershipID, res.SessionToken
}

// WithSession returns a client option that sends a user session token, the
// organization and, for app-scoped services, the app and environment
// (empty values are not sent).
func WithSession(token, org, app, environment string) connect.ClientOption {
	return WithHeaders(map[string]string{
		auth.HeaderAuthorization: "Bearer " + token, auth.HeaderOrganizationID: org,
		auth.HeaderAppID: app, auth.HeaderEnvironment: environment,
	})
}

// WithHeaders returns a client option that sends the given request headers
// (empty values and an empty bearer token are not sent).
func WithHeaders(h map[string]string) connect.ClientOption {
	return connect.WithInterceptors(headers(h))
}
