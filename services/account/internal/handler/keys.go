// Package handler translates the account service's RPCs between protobuf and
// the domain packages: the public Organization, App, APIKey and User
// services and the internal KeyService every other service verifies
// callers with.
package handler

import (
	"context"

	"connectrpc.com/connect"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
)

// KeyService serves transcodely.internal.v1.KeyService.
type KeyService struct {
	Verifier auth.Verifier
}

// Verify checks a token (API key or user session) for another service.
func (h *KeyService) Verify(ctx context.Context, req *connect.Request[internalv1.VerifyRequest]) (*connect.Response[internalv1.VerifyResponse], error) {
	m := req.Msg
	p, err := auth.VerifyIn(ctx, h.Verifier, m.GetToken(), m.GetOrganizationId(), m.GetAppId(), m.GetEnvironment())
	if err != nil {
		return nil, err
	}
	out := rpcwire.PrincipalToProto(p)
	out.CacheSeconds = int32(rpcwire.VerifyCacheTTL.Seconds())
	return connect.NewResponse(&internalv1.VerifyResponse{Principal: out}), nil
}
