package rpcwire

import (
	"context"
	"time"

	"connectrpc.com/connect"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	"github.com/transcodely/transcodely/pkg/auth"
)

// VerifyCacheTTL bounds how long a verified key is trusted without asking
// the account service again: a revoked key stops working everywhere within
// this time.
const VerifyCacheTTL = 5 * time.Second

// NewKeyVerifier authenticates through the account service's internal
// KeyService, with a short cache. It answers for API keys and user session
// tokens alike, including a session's app and environment.
func NewKeyVerifier(client internalv1connect.KeyServiceClient) auth.Verifier {
	return auth.NewCachingVerifier(remoteVerifier{client: client}, VerifyCacheTTL)
}

// remoteVerifier asks the account service on every call; NewKeyVerifier
// puts the cache in front of it.
type remoteVerifier struct {
	client internalv1connect.KeyServiceClient
}

func (r remoteVerifier) Verify(ctx context.Context, token, org string) (auth.Principal, error) {
	return r.VerifyInApp(ctx, token, org, "", "")
}

func (r remoteVerifier) VerifyInApp(ctx context.Context, token, org, app, env string) (auth.Principal, error) {
	resp, err := r.client.Verify(ctx, connect.NewRequest(&internalv1.VerifyRequest{Token: token, OrganizationId: org, AppId: app, Environment: env}))
	if err != nil {
		// The account service already answered with the public code
		// and message (unauthenticated, permission_denied, ...).
		return auth.Principal{}, err
	}
	return PrincipalFromProto(resp.Msg.GetPrincipal()), nil
}

// PrincipalFromProto converts the internal wire form.
func PrincipalFromProto(p *internalv1.Principal) auth.Principal {
	return auth.Principal{
		OrganizationID: p.GetOrganizationId(),
		AppID:          p.GetAppId(),
		KeyID:          p.GetKeyId(),
		Environment:    p.GetEnvironment(),
		Scopes:         p.GetScopes(),
		UserID:         p.GetUserId(),
		Role:           p.GetRole(),
	}
}

// PrincipalToProto converts to the internal wire form.
func PrincipalToProto(p auth.Principal) *internalv1.Principal {
	return &internalv1.Principal{
		OrganizationId: p.OrganizationID,
		AppId:          p.AppID,
		KeyId:          p.KeyID,
		Environment:    p.Environment,
		Scopes:         p.Scopes,
		UserId:         p.UserID,
		Role:           p.Role,
	}
}

// Verifier is auth.Verifier, re-exported so binaries need one import.
type Verifier = auth.Verifier
