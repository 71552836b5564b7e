package auth

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/transcodely/transcodely/pkg/rpcerr"
)

func TestRoleAtLeast(t *testing.T) {
	t.Parallel()
	tests := []struct {
		role, min string
		want      bool
	}{
		{RoleOwner, RoleAdmin, true},
		{RoleAdmin, RoleAdmin, true},
		{RoleMember, RoleAdmin, false},
		{RoleViewer, RoleMember, false},
		{RoleViewer, RoleViewer, true},
		{"", "", true},
		{"", RoleViewer, false},
		{"superuser", RoleViewer, false},
	}
	for _, tt := range tests {
		if got := RoleAtLeast(tt.role, tt.min); got != tt.want {
			t.Errorf("RoleAtLeast(%q, %q) = %v", tt.role, tt.min, got)
		}
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	if s := NewSessionToken(); len(s) != len(SessionPrefix)+48 || s[:4] != SessionPrefix {
		t.Fatalf("session token %q", s)
	}
	if s := NewKeySecret("live"); s[:len(LivePrefix)] != LivePrefix || len(s) < len(LivePrefix)+32 {
		t.Fatalf("live key %q", s)
	}
	if HashKey([]byte("a"), "x") == HashKey([]byte("b"), "x") {
		t.Fatal("the pepper does not change the hash")
	}
}

// fakeVerifier counts calls and answers by token.
type fakeVerifier struct {
	calls int
	last  [4]string
}

func (f *fakeVerifier) Verify(ctx context.Context, token, org string) (Principal, error) {
	return f.VerifyInApp(ctx, token, org, "", "")
}

func (f *fakeVerifier) VerifyInApp(_ context.Context, token, org, app, env string) (Principal, error) {
	f.calls++
	f.last = [4]string{token, org, app, env}
	switch token {
	case "ses_user":
		return Principal{UserID: "usr_1", OrganizationID: org, Role: RoleViewer, AppID: app, Environment: env}, nil
	case "ak_test_key":
		return Principal{KeyID: "ak_1", OrganizationID: "org_1", AppID: "app_1", Environment: "test"}, nil
	}
	return Principal{}, rpcerr.Unauthenticated(MsgInvalidCredentials)
}

// plainVerifier is a Verifier that knows nothing of apps.
type plainVerifier struct{}

func (plainVerifier) Verify(context.Context, string, string) (Principal, error) {
	return Principal{UserID: "usr_1"}, nil
}

func TestInterceptor_Authenticate(t *testing.T) {
	t.Parallel()
	opts := Options{
		Public:         map[string]bool{"/p.Health/Check": true},
		NoOrganization: map[string]bool{"/p.User/GetMe": true},
		AppScoped:      func(p string) bool { return p == "/p.Job/List" },
	}
	tests := []struct {
		name, procedure string
		headers         map[string]string
		kind            rpcerr.Kind
		wantApp         string
	}{
		{name: "public", procedure: "/p.Health/Check"},
		{name: "no token", procedure: "/p.User/GetMe", kind: rpcerr.KindUnauthenticated},
		{name: "not bearer", procedure: "/p.User/GetMe", headers: map[string]string{HeaderAuthorization: "Basic x"}, kind: rpcerr.KindUnauthenticated},
		{name: "bad token", procedure: "/p.User/GetMe", headers: map[string]string{HeaderAuthorization: "Bearer nope"}, kind: rpcerr.KindUnauthenticated},
		{name: "no organization needed", procedure: "/p.User/GetMe", headers: map[string]string{HeaderAuthorization: "Bearer ses_user"}},
		{name: "organization needed", procedure: "/p.App/List", headers: map[string]string{HeaderAuthorization: "Bearer ses_user"}, kind: rpcerr.KindInvalid},
		{name: "session without app", procedure: "/p.Job/List", headers: map[string]string{HeaderAuthorization: "Bearer ses_user", HeaderOrganizationID: "org_1"}, kind: rpcerr.KindInvalid},
		{name: "session with app", procedure: "/p.Job/List", headers: map[string]string{HeaderAuthorization: "Bearer ses_user", HeaderOrganizationID: "org_1", HeaderAppID: "app_1"}, wantApp: "app_1"},
		{name: "app header ignored elsewhere", procedure: "/p.App/List", headers: map[string]string{HeaderAuthorization: "Bearer ses_user", HeaderOrganizationID: "org_1", HeaderAppID: "app_1"}},
		{name: "key acts as its app", procedure: "/p.Job/List", headers: map[string]string{HeaderAuthorization: "Bearer ak_test_key", HeaderOrganizationID: "org_1"}, wantApp: "app_1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			i := NewInterceptor(&fakeVerifier{}, opts).(*interceptor)
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			ctx, err := i.authenticate(context.Background(), tt.procedure, h)
			if rpcerr.KindOf(err) != tt.kind || (tt.kind == rpcerr.KindUnknown && err != nil) {
				t.Fatalf("err = %v, want kind %v", err, tt.kind)
			}
			if p, _ := FromContext(ctx); p.AppID != tt.wantApp {
				t.Fatalf("app = %q, want %q", p.AppID, tt.wantApp)
			}
		})
	}
	t.Run("plain verifier cannot place a session in an app", func(t *testing.T) {
		t.Parallel()
		i := NewInterceptor(plainVerifier{}, opts).(*interceptor)
		h := http.Header{}
		h.Set(HeaderAuthorization, "Bearer ses_user")
		h.Set(HeaderOrganizationID, "org_1")
		h.Set(HeaderAppID, "app_1")
		if _, err := i.authenticate(context.Background(), "/p.Job/List", h); rpcerr.KindOf(err) != rpcerr.KindInvalid {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestCachingVerifier(t *testing.T) {
	t.Parallel()
	f := &fakeVerifier{}
	c := NewCachingVerifier(f, 5*time.Second)
	now := time.Unix(1000, 0)
	c.now = func() time.Time { return now }
	ctx := context.Background()
	for range 3 {
		if _, err := c.VerifyInApp(ctx, "ses_user", "org_1", "app_1", "live"); err != nil {
			t.Fatal(err)
		}
	}
	if f.calls != 1 {
		t.Fatalf("calls = %d, want 1 (cached)", f.calls)
	}
	// Another app is another answer.
	p, _ := c.VerifyInApp(ctx, "ses_user", "org_1", "app_2", "live")
	if f.calls != 2 || p.AppID != "app_2" || f.last != [4]string{"ses_user", "org_1", "app_2", "live"} {
		t.Fatalf("calls = %d, principal %+v", f.calls, p)
	}
	// After the TTL it asks again: this is how long a revoked key lives.
	now = now.Add(5 * time.Second)
	_, _ = c.VerifyInApp(ctx, "ses_user", "org_1", "app_1", "live")
	if f.calls != 3 {
		t.Fatalf("calls = %d after the TTL, want 3", f.calls)
	}
	// Failures are never cached.
	for range 2 {
		if _, err := c.Verify(ctx, "bad", "org_1"); rpcerr.KindOf(err) != rpcerr.KindUnauthenticated {
			t.Fatal(err)
		}
	}
	if f.calls != 5 {
		t.Fatalf("calls = %d, failures cached", f.calls)
	}
}
