package rpcwire

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"connectrpc.com/connect"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	"github.com/transcodely/transcodely/pkg/auth"
)

// keyService answers like the account service for one session token.
type keyService struct {
	calls int
	last  *internalv1.VerifyRequest
}

func (k *keyService) Verify(_ context.Context, req *connect.Request[internalv1.VerifyRequest]) (*connect.Response[internalv1.VerifyResponse], error) {
	k.calls++
	k.last = req.Msg
	p := auth.Principal{UserID: "usr_1", OrganizationID: req.Msg.GetOrganizationId(), Role: auth.RoleMember, AppID: req.Msg.GetAppId(), Environment: req.Msg.GetEnvironment()}
	return connect.NewResponse(&internalv1.VerifyResponse{Principal: PrincipalToProto(p)}), nil
}

// TestNewKeyVerifier: other services pass a session's app and environment
// to the account service and cache each answer for VerifyCacheTTL.
func TestNewKeyVerifier(t *testing.T) {
	t.Parallel()
	ks := &keyService{}
	mux := http.NewServeMux()
	mux.Handle(internalv1connect.NewKeyServiceHandler(ks))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	v := NewKeyVerifier(internalv1connect.NewKeyServiceClient(srv.Client(), srv.URL))
	p, err := auth.VerifyIn(context.Background(), v, "ses_x", "org_1", "app_1", "test")
	if err != nil {
		t.Fatal(err)
	}
	if p.AppID != "app_1" || p.Environment != "test" || p.Role != auth.RoleMember || !p.IsUser() {
		t.Fatalf("principal = %+v", p)
	}
	if ks.last.GetAppId() != "app_1" || ks.last.GetEnvironment() != "test" {
		t.Fatalf("request = %v", ks.last)
	}
	if _, err := auth.VerifyIn(context.Background(), v, "ses_x", "org_1", "app_1", "test"); err != nil || ks.calls != 1 {
		t.Fatalf("second call: %v, %d calls (want a cached answer)", err, ks.calls)
	}
	if VerifyCacheTTL.Seconds() != 5 {
		t.Fatalf("VerifyCacheTTL = %v; the README states 5 s", VerifyCacheTTL)
	}
}
