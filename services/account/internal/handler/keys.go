// Package handler translates the account service's RPCs between protobuf and
// the domain packages.
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

// Verify checks a token for another service.
func (h *KeyService) Verify(ctx context.Context, req *connect.Request[internalv1.VerifyRequest]) (*connect.Response[internalv1.VerifyResponse], error) {
	p, err := h.Verifier.Verify(ctx, req.Msg.GetToken(), req.Msg.GetOrganizationId())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&internalv1.VerifyResponse{Principal: rpcwire.PrincipalToProto(p)}), nil
}
