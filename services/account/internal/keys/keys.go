// Package keys decides whether an API key may act: format, revocation,
// expiry, the organization header and the organization's standing. It keeps
// the error messages generic so a caller cannot tell a revoked key from an
// unknown one.
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

// msgInvalidKey is the one message every unusable key gets.
const msgInvalidKey = "missing or invalid API key"

// Lookup finds keys by the hash of their secret.
type Lookup interface {
	KeyByHash(ctx context.Context, hash string) (store.KeyRecord, error)
	TouchKey(ctx context.Context, id string) error
}

// Verifier checks keys against the account store.
type Verifier struct {
	Store  Lookup
	Pepper []byte
	Now    func() time.Time
}

// Verify implements auth.Verifier.
func (v *Verifier) Verify(ctx context.Context, token, organizationID string) (auth.Principal, error) {
	if !strings.HasPrefix(token, auth.LivePrefix) && !strings.HasPrefix(token, auth.TestPrefix) {
		return auth.Principal{}, rpcerr.Unauthenticated(msgInvalidKey)
	}
	k, err := v.Store.KeyByHash(ctx, auth.HashKey(v.Pepper, token))
	if errors.Is(err, store.ErrNotFound) {
		return auth.Principal{}, rpcerr.Unauthenticated(msgInvalidKey)
	}
	if err != nil {
		return auth.Principal{}, err
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	if k.RevokedAt != nil || (k.ExpiresAt != nil && !now().Before(*k.ExpiresAt)) || k.AppStatus != "active" {
		return auth.Principal{}, rpcerr.Unauthenticated(msgInvalidKey)
	}
	if organizationID != "" && organizationID != k.OrganizationID {
		return auth.Principal{}, rpcerr.PermissionDenied("the API key does not belong to organization " + organizationID)
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
