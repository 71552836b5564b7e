package handler_test

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"sync"
	"testing"

	"connectrpc.com/connect"

	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/keyring"
	"github.com/transcodely/transcodely/pkg/netguard"
	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/pkg/pgdbtest"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/origin/internal/access"
	"github.com/transcodely/transcodely/services/origin/internal/handler"
	"github.com/transcodely/transcodely/services/origin/internal/store"
	"github.com/transcodely/transcodely/services/origin/originapp"
)

var ctx = auth.WithPrincipal(context.Background(), auth.Principal{OrganizationID: "org_x", AppID: "app_x", Environment: "test"})

// recorder passes every check and remembers what it was asked to reach,
// so the request rules can be tested without connecting anywhere (the
// connect-time guard is access's and netguard's business).
type recorder struct {
	mu      sync.Mutex
	targets []access.Target
}

func (r *recorder) Check(_ context.Context, t access.Target, read, write bool) access.Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.targets = append(r.targets, t)
	return access.Result{Read: read, Write: write}
}

func (r *recorder) reached() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, t := range r.targets {
		out = append(out, t.Settings.Endpoint+t.Settings.BaseURL)
	}
	return out
}

func newOrigins(t *testing.T, allow ...string) (*handler.Origins, *recorder) {
	t.Helper()
	tmpl := pgdbtest.NewTemplate(t, "origin", func(ctx context.Context, url string) error {
		pool, err := pgdb.Open(ctx, url)
		if err != nil {
			return err
		}
		defer pool.Close()
		return originapp.Migrate(ctx, pool)
	})
	ring, err := keyring.Parse(keyring.NewKeySpec("k1"))
	if err != nil {
		t.Fatal(err)
	}
	var policy netguard.Policy
	for _, a := range allow {
		policy.Allow = append(policy.Allow, netip.MustParsePrefix(a))
	}
	rec := &recorder{}
	return &handler.Origins{Store: store.New(tmpl.NewPool(t)), Ring: ring, Checker: rec, Policy: policy}, rec
}

func wantViolation(t *testing.T, err error, field string) {
	t.Helper()
	var e *rpcerr.Error
	if !errors.As(err, &e) || e.Kind != rpcerr.KindInvalid {
		t.Fatalf("error = %v, want invalid_argument on %s", err, field)
	}
	for _, v := range e.Violations {
		if v.Field == field {
			return
		}
	}
	t.Fatalf("violations %v do not name %s", e.Violations, field)
}

func s3At(endpoint string) *originv1.CreateOriginRequest {
	return &originv1.CreateOriginRequest{
		Name: "x", Permissions: []originv1.OriginPermission{originv1.OriginPermission_ORIGIN_PERMISSION_READ},
		Provider: &originv1.CreateOriginRequest_S3{S3: &originv1.S3OriginInput{Bucket: "media", Endpoint: endpoint,
			Credentials: &originv1.S3Credentials{AccessKeyId: "a", SecretAccessKey: "b"}}},
	}
}

func r2At(endpoint string) *originv1.CreateOriginRequest {
	return &originv1.CreateOriginRequest{
		Name: "x", Permissions: []originv1.OriginPermission{originv1.OriginPermission_ORIGIN_PERMISSION_READ},
		Provider: &originv1.CreateOriginRequest_R2{R2: &originv1.R2OriginInput{Bucket: "media", Endpoint: endpoint,
			Credentials: &originv1.S3Credentials{AccessKeyId: "a", SecretAccessKey: "b"}}},
	}
}

func httpAt(baseURL string, headers map[string]string) *originv1.CreateOriginRequest {
	return &originv1.CreateOriginRequest{
		Name: "x", Permissions: []originv1.OriginPermission{originv1.OriginPermission_ORIGIN_PERMISSION_READ},
		Provider: &originv1.CreateOriginRequest_Http{Http: &originv1.HTTPOriginInput{BaseUrl: baseURL, Headers: headers}},
	}
}

// TestOrigins_OutboundPolicy: without an allow list, endpoints on loopback,
// private, unique-local, link-local and metadata addresses are refused
// before anything connects; listed in the allow list, the same endpoints
// are accepted and checked.
func TestOrigins_OutboundPolicy(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, field, url string
		req              *originv1.CreateOriginRequest
	}{
		{"loopback", "s3.endpoint", "http://127.0.0.1:9000", s3At("http://127.0.0.1:9000")},
		{"localhost", "s3.endpoint", "http://localhost:9000", s3At("http://localhost:9000")},
		{"ipv6 loopback", "s3.endpoint", "http://[::1]:9000", s3At("http://[::1]:9000")},
		{"unique local", "s3.endpoint", "http://[fd00::1]:9000", s3At("http://[fd00::1]:9000")},
		{"metadata", "s3.endpoint", "http://169.254.169.254", s3At("http://169.254.169.254")},
		{"private r2", "r2.endpoint", "https://10.20.30.40", r2At("https://10.20.30.40")},
		{"private http", "http.base_url", "http://10.0.0.7/videos/", httpAt("http://10.0.0.7/videos/", nil)},
	}
	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		h, rec := newOrigins(t)
		for _, c := range cases {
			_, err := h.Create(ctx, connect.NewRequest(c.req))
			wantViolation(t, err, c.field)
		}
		if got := rec.reached(); len(got) != 0 {
			t.Fatalf("refused endpoints were contacted: %v", got)
		}
	})
	t.Run("allowed", func(t *testing.T) {
		t.Parallel()
		h, rec := newOrigins(t, "127.0.0.0/8", "::1/128", "fd00::/8", "169.254.169.254/32", "10.0.0.0/8")
		for _, c := range cases {
			resp, err := h.Create(ctx, connect.NewRequest(c.req))
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if resp.Msg.GetOrigin().GetStatus() != originv1.OriginStatus_ORIGIN_STATUS_ACTIVE {
				t.Fatalf("%s: %v", c.name, resp.Msg.GetOrigin())
			}
			if !slices.Contains(rec.reached(), c.url) {
				t.Fatalf("%s: %s was not checked (checked %v)", c.name, c.url, rec.reached())
			}
		}
	})
}

// TestOrigins_Create_Rules: what Create refuses besides addresses.
func TestOrigins_Create_Rules(t *testing.T) {
	t.Parallel()
	h, rec := newOrigins(t, "127.0.0.0/8")
	writeHTTP := httpAt("http://127.0.0.1:8080/", nil)
	writeHTTP.Permissions = []originv1.OriginPermission{originv1.OriginPermission_ORIGIN_PERMISSION_READ, originv1.OriginPermission_ORIGIN_PERMISSION_WRITE}
	badAccount := r2At("")
	badAccount.GetR2().AccountId = "evil@127.0.0.1:9000/"
	badTemplate := s3At("http://127.0.0.1:9000")
	badTemplate.PathTemplate = "{job_id}/{title}"
	for _, c := range []struct {
		name, field string
		req         *originv1.CreateOriginRequest
	}{
		{"user info in endpoint", "s3.endpoint", s3At("http://minio:secret@127.0.0.1:9000")},
		{"user info in base url", "http.base_url", httpAt("http://user:pw@127.0.0.1:8080/", nil)},
		{"not a url", "s3.endpoint", s3At("ftp://127.0.0.1/")},
		{"header name", "http.headers", httpAt("http://127.0.0.1:8080/", map[string]string{"Bad Name": "x"})},
		{"header value", "http.headers", httpAt("http://127.0.0.1:8080/", map[string]string{"X-Token": "a\r\nX-Other: b"})},
		{"host header", "http.headers", httpAt("http://127.0.0.1:8080/", map[string]string{"host": "example.com"})},
		{"write on http", "permissions", writeHTTP},
		{"r2 account id", "r2.account_id", badAccount},
		{"unknown template variable", "path_template", badTemplate},
	} {
		_, err := h.Create(ctx, connect.NewRequest(c.req))
		wantViolation(t, err, c.field)
	}
	if got := rec.reached(); len(got) != 0 {
		t.Fatalf("refused requests were checked: %v", got)
	}
}

// TestOrigins_Update_Headers: new header values are checked and the shown
// header names follow them.
func TestOrigins_Update_Headers(t *testing.T) {
	t.Parallel()
	h, rec := newOrigins(t, "127.0.0.0/8")
	created, err := h.Create(ctx, connect.NewRequest(httpAt("http://127.0.0.1:8080/", map[string]string{"X-Old": "1"})))
	if err != nil {
		t.Fatal(err)
	}
	id := created.Msg.GetOrigin().GetId()
	if got := created.Msg.GetOrigin().GetHttp().GetHeaderNames(); !slices.Equal(got, []string{"X-Old"}) {
		t.Fatalf("header names %v", got)
	}
	_, err = h.Update(ctx, connect.NewRequest(&originv1.UpdateOriginRequest{Id: id, HttpHeaders: map[string]string{"X-New": "a\nb"}}))
	wantViolation(t, err, "http_headers")
	_, err = h.Update(ctx, connect.NewRequest(&originv1.UpdateOriginRequest{Id: id, S3Credentials: &originv1.S3Credentials{AccessKeyId: "a", SecretAccessKey: "b"}}))
	wantViolation(t, err, "s3_credentials")

	resp, err := h.Update(ctx, connect.NewRequest(&originv1.UpdateOriginRequest{Id: id, HttpHeaders: map[string]string{"X-New": "2", "Authorization": "Bearer t"}}))
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Msg.GetOrigin().GetHttp().GetHeaderNames(); !slices.Equal(got, []string{"Authorization", "X-New"}) {
		t.Fatalf("header names after update %v", got)
	}
	if resp.Msg.GetValidation() == nil || len(rec.targets) != 2 || rec.targets[1].Creds.Headers["X-New"] != "2" {
		t.Fatalf("new headers were not validated: %v, %+v", resp.Msg.GetValidation(), rec.targets)
	}
	got, err := h.Get(ctx, connect.NewRequest(&originv1.GetOriginRequest{Id: id}))
	if err != nil || !slices.Equal(got.Msg.GetOrigin().GetHttp().GetHeaderNames(), []string{"Authorization", "X-New"}) {
		t.Fatalf("Get after update = %v, %v", got, err)
	}
}
