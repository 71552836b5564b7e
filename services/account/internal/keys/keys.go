// Package keys decides whether a bearer token may act: an API key (format,
// revocation, expiry, the organization and app headers, the organization's
// standing) or a user session token (revocation, expiry, membership and role
// in the organization named by the header, and the app a session acts in on
// app-scoped services). It keeps the error messages generic so a caller
// cannot tell a revoked token from an unknown one.
package keys

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/account/internal/store"
)

// Lookup finds keys and sessions by the hash of their secret.
type Lookup interface {
	KeyByHash(ctx context.Context, hash string) (store.KeyRecord, error)
	TouchKey(ctx context.Context, id string) error
	SessionByHash(ctx context.Context, hash string) (store.SessionRecord, error)
	TouchSession(ctx context.Context, id string) error
	MemberRole(ctx context.Context, userID, organizationID string) (role, organizationStatus string, err error)
	AppStatus(ctx context.Context, appID, organizationID string) (string, error)
}

// Verifier checks keys and sessions against the account store. It
// implements auth.AppVerifier.
type Verifier struct {
	Store  Lookup
	Pepper []byte
	Now    func() time.Time
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// invalid is the one answer for every unusable token.
func invalid() error { return rpcerr.Unauthenticated(auth.MsgInvalidCredentials) }

// Verify implements auth.Verifier.
func (v *Verifier) Verify(ctx context.Context, token, organizationID string) (auth.Principal, error) {
	return v.VerifyInApp(ctx, token, organizationID, "", "")
}

// VerifyInApp implements auth.AppVerifier.
func (v *Verifier) VerifyInApp(ctx context.Context, token, organizationID, appID, environment string) (auth.Principal, error) {
	switch {
	case strings.HasPrefix(token, auth.LivePrefix), strings.HasPrefix(token, auth.TestPrefix):
		return v.verifyKey(ctx, token, organizationID, appID)
	case strings.HasPrefix(token, auth.SessionPrefix):
		return v.verifySession(ctx, token, organizationID, appID, environment)
	}
	return auth.Principal{}, invalid()
}

func (v *Verifier) verifyKey(ctx context.Context, token, organizationID, appID string) (auth.Principal, error) {
	k, err := v.Store.KeyByHash(ctx, auth.HashKey(v.Pepper, token))
	if errors.Is(err, store.ErrNotFound) {
		return auth.Principal{}, invalid()
	}
	if err != nil {
		return auth.Principal{}, err
	}
	// An archived app's keys are revoked when it is archived; the status
	// check also covers keys of an app archived before that rule existed.
	if k.RevokedAt != nil || (k.ExpiresAt != nil && !v.now().Before(*k.ExpiresAt)) || k.AppStatus != "active" {
		return auth.Principal{}, invalid()
	}
	if organizationID != "" && organizationID != k.OrganizationID {
		return auth.Principal{}, rpcerr.PermissionDenied("the API key does not belong to organization " + organizationID)
	}
	if appID != "" && appID != k.AppID {
		return auth.Principal{}, rpcerr.PermissionDenied("the API key does not belong to app " + appID)
	}
	if k.OrganizationStatus != "active" {
		return auth.Principal{}, rpcerr.PermissionDenied("the organization is suspended")
	}
	// Best effort: a failed bookkeeping write must not fail the request.
	_ = v.Store.TouchKey(ctx, k.ID)
	return auth.Principal{
		OrganizationID: k.OrganizationID,
		AppID:          k.AppID,
		KeyID:          k.ID,
		Environment:    k.Environment,
		Scopes:         k.Scopes,
	}, nil
}

func (v *Verifier) verifySession(ctx context.Context, token, organizationID, appID, environment string) (auth.Principal, error) {
	s, err := v.Store.SessionByHash(ctx, auth.HashKey(v.Pepper, token))
	if errors.Is(err, store.ErrNotFound) {
		return auth.Principal{}, invalid()
	}
	if err != nil {
		return auth.Principal{}, err
	}
	if s.RevokedAt != nil || (s.ExpiresAt != nil && !v.now().Before(*s.ExpiresAt)) {
		return auth.Principal{}, invalid()
	}
	p := auth.Principal{UserID: s.UserID}
	if organizationID != "" {
		role, status, err := v.Store.MemberRole(ctx, s.UserID, organizationID)
		if errors.Is(err, store.ErrNotFound) {
			// Whether the organization exists is none of a non-member's business.
			return auth.Principal{}, rpcerr.PermissionDenied("you are not a member of organization " + organizationID)
		}
		if err != nil {
			return auth.Principal{}, err
		}
		if status != "active" {
			return auth.Principal{}, rpcerr.PermissionDenied("the organization is suspended")
		}
		p.OrganizationID, p.Role = organizationID, role
	}
	if appID != "" || environment != "" {
		if appID == "" {
			return auth.Principal{}, rpcerr.InvalidField(auth.HeaderAppID, "header is required with "+auth.HeaderEnvironment)
		}
		if p.OrganizationID == "" {
			return auth.Principal{}, rpcerr.InvalidField(auth.HeaderOrganizationID, "header is required with "+auth.HeaderAppID)
		}
		switch environment {
		case "":
			environment = auth.EnvironmentLive
		case auth.EnvironmentLive, auth.EnvironmentTest:
		default:
			return auth.Principal{}, rpcerr.InvalidField(auth.HeaderEnvironment, "must be live or test")
		}
		status, err := v.Store.AppStatus(ctx, appID, p.OrganizationID)
		if errors.Is(err, store.ErrNotFound) {
			return auth.Principal{}, rpcerr.PermissionDenied("app " + appID + " is not an app of organization " + p.OrganizationID)
		}
		if err != nil {
			return auth.Principal{}, err
		}
		if status != "active" {
			return auth.Principal{}, rpcerr.PermissionDenied("app " + appID + " is archived")
		}
		p.AppID, p.Environment = appID, environment
	}
	_ = v.Store.TouchSession(ctx, s.ID)
	return p, nil
}
