package handler

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgtype"

	apikeyv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/apikeyv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/pagination"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/account/internal/store"
	"github.com/transcodely/transcodely/services/account/internal/store/dbgen"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
)

// APIKeys serves transcodely.v1.APIKeyService. A user session manages the
// keys of every app of the organization; an API key manages only keys of
// its own app and environment, and cannot mint a key with more scopes than
// it has itself.
type APIKeys struct {
	Store  *store.Store
	Pepper []byte
}

// Create makes a key and returns its secret, this once.
func (h *APIKeys) Create(ctx context.Context, req *connect.Request[apikeyv1.CreateAPIKeyRequest]) (*connect.Response[apikeyv1.CreateAPIKeyResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	env := rpcwire.EnumString(req.Msg.GetEnvironment())
	appID := req.Msg.GetAppId()
	scopes, err := checkScopes(req.Msg.GetScopes())
	if err != nil {
		return nil, err
	}
	if p.IsAPIKey() {
		if appID == "" {
			appID = p.AppID
		}
		switch {
		case appID != p.AppID:
			return nil, rpcerr.PermissionDenied("an API key can create keys only for its own app")
		case env != p.Environment:
			return nil, rpcerr.PermissionDenied("an API key can create keys only of its own environment (" + p.Environment + ")")
		case len(p.Scopes) > 0 && len(scopes) == 0:
			return nil, rpcerr.PermissionDenied("a key with scopes can create only keys with scopes it has itself")
		}
		for i, s := range scopes {
			if !rpcwire.HasScope(p.Scopes, s) {
				return nil, rpcerr.PermissionDenied(fmt.Sprintf("scopes[%d]: the calling key does not have %q itself", i, s))
			}
		}
	} else if appID == "" {
		return nil, rpcerr.InvalidField("app_id", "is required when a user creates a key")
	}
	var expires pgtype.Timestamptz
	if req.Msg.GetExpiresAt() != nil {
		expires = pgtype.Timestamptz{Time: req.Msg.GetExpiresAt().AsTime(), Valid: true}
	}
	secret := auth.NewKeySecret(env)
	var k dbgen.AccountApiKey
	err = h.Store.InTx(ctx, func(q *dbgen.Queries) error {
		// Locking the app orders this insert with Archive, which revokes
		// every key of the app: no key can slip in after the revocation.
		a, err := q.GetAppForUpdate(ctx, dbgen.GetAppForUpdateParams{ID: appID, OrganizationID: p.OrganizationID})
		if err != nil {
			return storeErr(err, "app", appID)
		}
		if a.Status != "active" {
			return rpcerr.FailedPrecondition("app " + a.ID + " is archived")
		}
		k, err = q.InsertAPIKey(ctx, dbgen.InsertAPIKeyParams{
			ID: id.New(id.APIKey), AppID: a.ID, OrganizationID: a.OrganizationID, Name: req.Msg.GetName(),
			Description: req.Msg.GetDescription(), Environment: env, KeyHash: auth.HashKey(h.Pepper, secret),
			KeyHint: secret[len(secret)-4:], Scopes: scopes, ExpiresAt: expires,
		})
		return storeErr(err, "api key", "")
	})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&apikeyv1.CreateAPIKeyResponse{ApiKey: keyToProto(k), Secret: secret}), nil
}

// checkScopes refuses scopes nothing checks (so a typo cannot silently
// mint a key that can do nothing, or more than meant) and removes
// duplicates.
func checkScopes(in []string) ([]string, error) {
	known := rpcwire.Scopes()
	out := []string{}
	for i, s := range in {
		if !slices.Contains(known, s) {
			return nil, rpcerr.InvalidField(fmt.Sprintf("scopes[%d]", i), "unknown scope "+s+"; known scopes: "+strings.Join(known, ", "))
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// Get describes one key.
func (h *APIKeys) Get(ctx context.Context, req *connect.Request[apikeyv1.GetAPIKeyRequest]) (*connect.Response[apikeyv1.GetAPIKeyResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	app, env := keyScope(p)
	k, err := h.Store.Queries().GetAPIKey(ctx, dbgen.GetAPIKeyParams{ID: req.Msg.GetId(), OrganizationID: p.OrganizationID, OnlyAppID: app, OnlyEnvironment: env})
	if err != nil {
		return nil, storeErr(err, "api key", req.Msg.GetId())
	}
	return connect.NewResponse(&apikeyv1.GetAPIKeyResponse{ApiKey: keyToProto(k)}), nil
}

// List returns keys, newest first; revoked ones only when asked.
func (h *APIKeys) List(ctx context.Context, req *connect.Request[apikeyv1.ListAPIKeysRequest]) (*connect.Response[apikeyv1.ListAPIKeysResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	pg, at, after, err := page(req.Msg.GetPagination())
	if err != nil {
		return nil, err
	}
	app, env := keyScope(p)
	q := h.Store.Queries()
	rows, err := q.ListAPIKeys(ctx, dbgen.ListAPIKeysParams{
		OrganizationID: p.OrganizationID, OnlyAppID: app, OnlyEnvironment: env, IncludeRevoked: req.Msg.GetIncludeRevoked(),
		CursorCreatedAt: at, CursorID: after, RowLimit: pg.Fetch(), RowOffset: pg.Offset,
	})
	if err != nil {
		return nil, store.Translate(err)
	}
	total, err := q.CountAPIKeys(ctx, dbgen.CountAPIKeysParams{OrganizationID: p.OrganizationID, OnlyAppID: app, OnlyEnvironment: env, IncludeRevoked: req.Msg.GetIncludeRevoked()})
	if err != nil {
		return nil, store.Translate(err)
	}
	rows, next := pagination.Next(pg, rows, keyKey)
	resp := &apikeyv1.ListAPIKeysResponse{ApiKeys: []*apikeyv1.APIKey{}, Pagination: pageResponse(next, total)}
	for _, k := range rows {
		resp.ApiKeys = append(resp.ApiKeys, keyToProto(k))
	}
	return connect.NewResponse(resp), nil
}

// Revoke stops a key. Idempotent. Other services trust a verification
// for rpcwire.VerifyCacheTTL, so the key stops working everywhere within
// that time (at once in the account service itself).
func (h *APIKeys) Revoke(ctx context.Context, req *connect.Request[apikeyv1.RevokeAPIKeyRequest]) (*connect.Response[apikeyv1.RevokeAPIKeyResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	app, env := keyScope(p)
	k, err := h.Store.Queries().RevokeAPIKey(ctx, dbgen.RevokeAPIKeyParams{ID: req.Msg.GetId(), OrganizationID: p.OrganizationID, OnlyAppID: app, OnlyEnvironment: env})
	if err != nil {
		return nil, storeErr(err, "api key", req.Msg.GetId())
	}
	return connect.NewResponse(&apikeyv1.RevokeAPIKeyResponse{ApiKey: keyToProto(k)}), nil
}
