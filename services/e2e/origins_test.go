package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1/originv1connect"
	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
	"github.com/transcodely/transcodely/pkg/logging"
	"github.com/transcodely/transcodely/pkg/wirejson"
	"github.com/transcodely/transcodely/services/encoder/encoderapp"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
	"github.com/transcodely/transcodely/services/internal/testenv"
)

// wireRecorder keeps the raw bytes of every response a client receives, so
// a test can prove what never went over the wire. It strips the
// Accept-Encoding family of headers from requests: an uncompressed answer
// is the only one a byte search can read, and a secret in it would be
// in a compressed one too.
type wireRecorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	body bytes.Buffer
	n    int
}

func (w *wireRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for _, h := range []string{"Accept-Encoding", "Connect-Accept-Encoding", "Grpc-Accept-Encoding"} {
		r.Header.Del(h)
	}
	resp, err := w.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	// Unary answers are small; reading them whole also fills the gRPC
	// trailers, which the client reads after the body.
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.body.Write(body)
	for k, vs := range resp.Header {
		w.body.WriteString(k + ": " + strings.Join(vs, ",") + "\n")
	}
	for k, vs := range resp.Trailer {
		w.body.WriteString(k + ": " + strings.Join(vs, ",") + "\n")
	}
	w.n++
	w.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

func (w *wireRecorder) bytes() (string, int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.body.String(), w.n
}

// transports are the two ways the generated clients reach the server.
var transports = []struct {
	name   string
	client func() *http.Client
	opts   []connect.ClientOption
}{
	{"connect-json", func() *http.Client { return &http.Client{} }, []connect.ClientOption{wirejson.WithCodec(wirejson.Codec{DiscardUnknown: true})}},
	{"grpc", testenv.GRPCClient, []connect.ClientOption{connect.WithGRPC()}},
}

// recordedOrigins returns an OriginService client over the named transport
// and the recorder of its responses.
func recordedOrigins(env *testenv.Env, client func() *http.Client, opts ...connect.ClientOption) (originv1connect.OriginServiceClient, *wireRecorder) {
	hc := client()
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	rec := &wireRecorder{base: base}
	hc.Transport = rec
	return originv1connect.NewOriginServiceClient(hc, env.URL, append(slices.Clone(opts), env.Auth())...), rec
}

// startWorker runs an encoder loop against env until the test ends, for
// tests that must change something between a job's creation and its
// encode (they boot with Encoders: -1).
func startWorker(t *testing.T, env *testenv.Env) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	w := &encoderapp.Worker{
		Client: internalv1connect.NewTaskServiceClient(http.DefaultClient, env.URL, rpcwire.ClientOptions(env.ServiceToken)...),
		Runner: &ffmpeg.Runner{}, HTTP: http.DefaultClient, Control: http.DefaultClient, JobURL: env.URL,
		Logger: logging.New(env.Logs, "info", "json").With("service", "encoder"),
		Config: encoderapp.Config{Concurrency: 1, HeartbeatInterval: 500 * time.Millisecond, ScratchDir: t.TempDir()},
	}
	go func() { defer close(done); _ = w.Run(ctx) }()
	t.Cleanup(func() { stop(); <-done })
}

func code(t *testing.T, err error, want connect.Code) {
	t.Helper()
	if connect.CodeOf(err) != want {
		t.Fatalf("error = %v (%v), want %v", err, connect.CodeOf(err), want)
	}
}

func s3Origin(name, bucket, endpoint, key, secret string, perms ...originv1.OriginPermission) *originv1.CreateOriginRequest {
	return &originv1.CreateOriginRequest{
		Name: name, Permissions: perms,
		Provider: &originv1.CreateOriginRequest_S3{S3: &originv1.S3OriginInput{
			Bucket: bucket, Endpoint: endpoint, Region: "us-east-1",
			Credentials: &originv1.S3Credentials{AccessKeyId: key, SecretAccessKey: secret},
		}},
	}
}

var (
	read  = originv1.OriginPermission_ORIGIN_PERMISSION_READ
	write = originv1.OriginPermission_ORIGIN_PERMISSION_WRITE
)

// TestOriginService_Methods drives every OriginService method through the
// generated client over Connect and over gRPC: validation against the real
// MinIO, listing with cursors and filters, credential updates that flip
// the status, archiving with jobs on both sides of it; and no response byte
// or log line ever carries a secret.
func TestOriginService_Methods(t *testing.T) {
	t.Parallel()
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, testenv.Options{Encoders: -1})
			origins, wire := recordedOrigins(f.env, tr.client, tr.opts...)
			testOriginMethods(t, f, origins)

			got, n := wire.bytes()
			const headerSecret = "header-secret-3b1f"
			for _, secret := range []string{f.env.MinIO.SecretKey, badSecret, headerSecret} {
				if strings.Contains(got, secret) {
					t.Errorf("a secret (%.4s…) is in the %d responses", secret, n)
				}
				if strings.Contains(f.env.Logs.String(), secret) {
					t.Errorf("a secret (%.4s…) is in the logs", secret)
				}
			}
			// The search is only worth something if the bytes are readable.
			if n < 20 || !strings.Contains(got, f.outBucket) {
				t.Fatalf("%d responses recorded, bucket name readable: %v", n, strings.Contains(got, f.outBucket))
			}
		})
	}
}

// badSecret is a wrong secret key that must never be echoed either.
const badSecret = "wrong-secret-8c2e71"

func testOriginMethods(t *testing.T, f *fixture, origins originv1connect.OriginServiceClient) {
	t.Helper()
	ctx := context.Background()
	m := f.env.MinIO

	// Create: the credentials are proven on MinIO, both permissions.
	created, err := origins.Create(ctx, connect.NewRequest(&originv1.CreateOriginRequest{
		Name: "renditions", Description: "encoded files", BasePath: "renditions", PathTemplate: "{date}/{job_id}/{output_id}",
		Permissions: []originv1.OriginPermission{read, write},
		Provider: &originv1.CreateOriginRequest_S3{S3: &originv1.S3OriginInput{
			Bucket: f.outBucket, Endpoint: m.Endpoint, Region: m.Region,
			Credentials: &originv1.S3Credentials{AccessKeyId: m.AccessKey, SecretAccessKey: m.SecretKey},
		}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	out, v := created.Msg.GetOrigin(), created.Msg.GetValidation()
	if !strings.HasPrefix(out.GetId(), "ori_") || out.GetStatus() != originv1.OriginStatus_ORIGIN_STATUS_ACTIVE ||
		out.GetProvider() != originv1.OriginProvider_ORIGIN_PROVIDER_S3 || out.GetS3().GetBucket() != f.outBucket ||
		out.GetS3().GetEndpoint() != m.Endpoint || out.GetLastValidatedAt() == nil || out.GetValidationError() != "" {
		t.Fatalf("created origin = %v", out)
	}
	if !v.GetSuccess() || !slices.Equal(v.GetPermissionsVerified(), []originv1.OriginPermission{read, write}) || v.GetCheckedAt() == nil {
		t.Fatalf("validation = %v", v)
	}

	failed, err := origins.Create(ctx, connect.NewRequest(s3Origin("wrong key", f.inBucket, m.Endpoint, m.AccessKey, badSecret, read)))
	if err != nil {
		t.Fatal(err)
	}
	if o := failed.Msg.GetOrigin(); o.GetStatus() != originv1.OriginStatus_ORIGIN_STATUS_FAILED ||
		!strings.Contains(o.GetValidationError(), "access denied") || failed.Msg.GetValidation().GetSuccess() {
		t.Fatalf("origin with a wrong secret = %v", failed.Msg)
	}

	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Token") != "header-secret-3b1f" {
			w.WriteHeader(http.StatusForbidden)
		}
	}))
	t.Cleanup(site.Close)
	web, err := origins.Create(ctx, connect.NewRequest(&originv1.CreateOriginRequest{
		Name: "web", Permissions: []originv1.OriginPermission{read},
		Provider: &originv1.CreateOriginRequest_Http{Http: &originv1.HTTPOriginInput{BaseUrl: site.URL + "/videos/", Headers: map[string]string{"X-Token": "header-secret-3b1f"}}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	if o := web.Msg.GetOrigin(); o.GetStatus() != originv1.OriginStatus_ORIGIN_STATUS_ACTIVE || !slices.Equal(o.GetHttp().GetHeaderNames(), []string{"X-Token"}) {
		t.Fatalf("http origin = %v", web.Msg)
	}

	_, err = origins.Create(ctx, connect.NewRequest(&originv1.CreateOriginRequest{
		Name: "bad template", Permissions: []originv1.OriginPermission{write}, PathTemplate: "{job_id}/{customer}",
		Provider: &originv1.CreateOriginRequest_S3{S3: &originv1.S3OriginInput{Bucket: f.outBucket, Endpoint: m.Endpoint,
			Credentials: &originv1.S3Credentials{AccessKeyId: m.AccessKey, SecretAccessKey: m.SecretKey}}},
	}))
	code(t, err, connect.CodeInvalidArgument)
	if violations(t, err)["path_template"] == "" {
		t.Fatalf("unknown template variable: %v", err)
	}

	// Get.
	got, err := origins.Get(ctx, connect.NewRequest(&originv1.GetOriginRequest{Id: out.GetId()}))
	if err != nil || got.Msg.GetOrigin().GetName() != "renditions" || got.Msg.GetOrigin().GetPathTemplate() != "{date}/{job_id}/{output_id}" {
		t.Fatalf("Get = %v, %v", got, err)
	}
	_, err = origins.Get(ctx, connect.NewRequest(&originv1.GetOriginRequest{Id: "ori_doesnotexist"}))
	code(t, err, connect.CodeNotFound)

	// List: the fixture's two origins and these three, newest first, two
	// per page.
	var all []string
	cursor := ""
	for page := 0; ; page++ {
		resp, err := origins.List(ctx, connect.NewRequest(&originv1.ListOriginsRequest{Pagination: &commonv1.PaginationRequest{Limit: 2, Cursor: cursor}}))
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Msg.GetOrigins()) > 2 || page > 3 {
			t.Fatalf("page %d has %d origins", page, len(resp.Msg.GetOrigins()))
		}
		for _, o := range resp.Msg.GetOrigins() {
			all = append(all, o.GetId())
		}
		if cursor = resp.Msg.GetPagination().GetNextCursor(); cursor == "" {
			break
		}
	}
	want := []string{web.Msg.GetOrigin().GetId(), failed.Msg.GetOrigin().GetId(), out.GetId(), f.outputOrigin, f.inputOrigin}
	if !slices.Equal(all, want) {
		t.Fatalf("paged list = %v, want %v", all, want)
	}
	list := func(req *originv1.ListOriginsRequest) []string {
		t.Helper()
		resp, err := origins.List(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, o := range resp.Msg.GetOrigins() {
			ids = append(ids, o.GetId())
		}
		return ids
	}
	if ids := list(&originv1.ListOriginsRequest{Status: originv1.OriginStatus_ORIGIN_STATUS_FAILED}); !slices.Equal(ids, []string{failed.Msg.GetOrigin().GetId()}) {
		t.Fatalf("failed origins = %v", ids)
	}
	if ids := list(&originv1.ListOriginsRequest{Provider: originv1.OriginProvider_ORIGIN_PROVIDER_HTTP}); !slices.Equal(ids, []string{web.Msg.GetOrigin().GetId()}) {
		t.Fatalf("http origins = %v", ids)
	}
	if ids := list(&originv1.ListOriginsRequest{Provider: originv1.OriginProvider_ORIGIN_PROVIDER_S3, Status: originv1.OriginStatus_ORIGIN_STATUS_ACTIVE}); len(ids) != 3 || slices.Contains(ids, failed.Msg.GetOrigin().GetId()) {
		t.Fatalf("active s3 origins = %v", ids)
	}
	_, err = origins.List(ctx, connect.NewRequest(&originv1.ListOriginsRequest{Pagination: &commonv1.PaginationRequest{Cursor: "not-a-cursor"}}))
	code(t, err, connect.CodeInvalidArgument)

	// Update: a rename is not a re-validation; a wrong secret fails the
	// origin, and a job cannot use it; the right secret brings it back.
	name := "renditions (eu)"
	upd, err := origins.Update(ctx, connect.NewRequest(&originv1.UpdateOriginRequest{Id: out.GetId(), Name: &name}))
	if err != nil || upd.Msg.GetOrigin().GetName() != name || upd.Msg.GetValidation() != nil {
		t.Fatalf("rename = %v, %v", upd, err)
	}
	upd, err = origins.Update(ctx, connect.NewRequest(&originv1.UpdateOriginRequest{Id: out.GetId(), S3Credentials: &originv1.S3Credentials{AccessKeyId: m.AccessKey, SecretAccessKey: badSecret}}))
	if err != nil {
		t.Fatal(err)
	}
	if o := upd.Msg.GetOrigin(); o.GetStatus() != originv1.OriginStatus_ORIGIN_STATUS_FAILED || !strings.Contains(o.GetValidationError(), "access denied") ||
		upd.Msg.GetValidation().GetSuccess() || upd.Msg.GetValidation().GetError() != o.GetValidationError() {
		t.Fatalf("update to a wrong secret = %v", upd.Msg)
	}
	jobReq := func() *jobv1.CreateJobRequest {
		return &jobv1.CreateJobRequest{InputOriginId: f.inputOrigin, InputPath: "clip.mp4", OutputOriginId: out.GetId(), Outputs: mp4(commonv1.VideoCodec_VIDEO_CODEC_H264)}
	}
	_, err = f.jobs.Create(ctx, connect.NewRequest(jobReq()))
	code(t, err, connect.CodeFailedPrecondition)
	upd, err = origins.Update(ctx, connect.NewRequest(&originv1.UpdateOriginRequest{Id: out.GetId(), S3Credentials: &originv1.S3Credentials{AccessKeyId: m.AccessKey, SecretAccessKey: m.SecretKey}}))
	if err != nil {
		t.Fatal(err)
	}
	if o := upd.Msg.GetOrigin(); o.GetStatus() != originv1.OriginStatus_ORIGIN_STATUS_ACTIVE || o.GetValidationError() != "" || !upd.Msg.GetValidation().GetSuccess() || o.GetName() != name {
		t.Fatalf("update back to the right secret = %v", upd.Msg)
	}
	_, err = origins.Update(ctx, connect.NewRequest(&originv1.UpdateOriginRequest{Id: out.GetId(), HttpHeaders: map[string]string{"X-A": "b"}}))
	code(t, err, connect.CodeInvalidArgument)

	// Validate: the stored credentials are tried again.
	before := f.getOrigin(t, origins, f.inputOrigin).GetLastValidatedAt().AsTime()
	val, err := origins.Validate(ctx, connect.NewRequest(&originv1.ValidateOriginRequest{Id: f.inputOrigin}))
	if err != nil || !val.Msg.GetValidation().GetSuccess() || !val.Msg.GetOrigin().GetLastValidatedAt().AsTime().After(before) {
		t.Fatalf("Validate = %v, %v", val, err)
	}
	val, err = origins.Validate(ctx, connect.NewRequest(&originv1.ValidateOriginRequest{Id: failed.Msg.GetOrigin().GetId()}))
	if err != nil || val.Msg.GetValidation().GetSuccess() || val.Msg.GetOrigin().GetStatus() != originv1.OriginStatus_ORIGIN_STATUS_FAILED {
		t.Fatalf("Validate of the wrong secret = %v, %v", val, err)
	}

	// Archive: a job submitted before finishes, a new one is refused.
	dir := t.TempDir()
	f.upload(t, ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 320, Height: 240, Seconds: 2}), "clip.mp4")
	early, err := f.jobs.Create(ctx, connect.NewRequest(jobReq()))
	if err != nil {
		t.Fatal(err)
	}
	arch, err := origins.Archive(ctx, connect.NewRequest(&originv1.ArchiveOriginRequest{Id: out.GetId()}))
	if err != nil || arch.Msg.GetOrigin().GetStatus() != originv1.OriginStatus_ORIGIN_STATUS_ARCHIVED || arch.Msg.GetOrigin().GetArchivedAt() == nil {
		t.Fatalf("Archive = %v, %v", arch, err)
	}
	_, err = f.jobs.Create(ctx, connect.NewRequest(jobReq()))
	code(t, err, connect.CodeFailedPrecondition)
	if !strings.Contains(err.Error(), "archived") {
		t.Fatalf("refusal does not say why: %v", err)
	}
	_, err = origins.Update(ctx, connect.NewRequest(&originv1.UpdateOriginRequest{Id: out.GetId(), Name: &name}))
	code(t, err, connect.CodeFailedPrecondition)
	val, err = origins.Validate(ctx, connect.NewRequest(&originv1.ValidateOriginRequest{Id: out.GetId()}))
	if err != nil || val.Msg.GetOrigin().GetStatus() != originv1.OriginStatus_ORIGIN_STATUS_ARCHIVED {
		t.Fatalf("Validate of an archived origin = %v, %v", val, err)
	}
	if ids := list(&originv1.ListOriginsRequest{Status: originv1.OriginStatus_ORIGIN_STATUS_ARCHIVED}); !slices.Equal(ids, []string{out.GetId()}) {
		t.Fatalf("archived origins = %v", ids)
	}
	_, err = origins.Archive(ctx, connect.NewRequest(&originv1.ArchiveOriginRequest{Id: "ori_doesnotexist"}))
	code(t, err, connect.CodeNotFound)

	startWorker(t, f.env)
	final, seen := f.wait(t, early.Msg.GetJob().GetId(), 2*time.Minute)
	if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		t.Fatalf("job created before the archive ended %s (%s); statuses %v", final.GetStatus(), final.GetErrorMessage(), seen)
	}
	if u := final.GetOutputs()[0].GetOutputUrl(); !strings.HasPrefix(u, "s3://"+f.outBucket+"/renditions/") {
		t.Fatalf("output url %q is not under the archived origin's base path", u)
	}
}

func (f *fixture) getOrigin(t *testing.T, origins originv1connect.OriginServiceClient, id string) *originv1.Origin {
	t.Helper()
	resp, err := origins.Get(context.Background(), connect.NewRequest(&originv1.GetOriginRequest{Id: id}))
	if err != nil {
		t.Fatal(err)
	}
	return resp.Msg.GetOrigin()
}

// TestOriginService_OutboundGuard: with no TRANSCODELY_ALLOW_NETWORKS,
// endpoints on loopback (by address or by a name resolving to it),
// unique-local, link-local metadata and private addresses are
// invalid_argument naming the field, over Connect and gRPC.
func TestOriginService_OutboundGuard(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Encoders: -1, NoAllowNetworks: true})
	s3 := func(endpoint string) *originv1.CreateOriginRequest {
		return s3Origin("x", "media", endpoint, "AKIAEXAMPLE", "guard-secret-55aa", read)
	}
	cases := []struct {
		name, field string
		req         *originv1.CreateOriginRequest
	}{
		{"loopback", "s3.endpoint", s3("http://127.0.0.1:9000")},
		{"localhost", "s3.endpoint", s3("http://localhost:9000")},
		{"ipv6 loopback", "s3.endpoint", s3("http://[::1]:9000")},
		{"unique local", "s3.endpoint", s3("http://[fd00::1]:9000")},
		{"metadata", "s3.endpoint", s3("http://169.254.169.254")},
		{"test minio", "s3.endpoint", s3(env.MinIO.Endpoint)},
		{"private http base url", "http.base_url", &originv1.CreateOriginRequest{
			Name: "x", Permissions: []originv1.OriginPermission{read},
			Provider: &originv1.CreateOriginRequest_Http{Http: &originv1.HTTPOriginInput{BaseUrl: "http://10.1.2.3/videos/"}},
		}},
		{"private r2 endpoint", "r2.endpoint", &originv1.CreateOriginRequest{
			Name: "x", Permissions: []originv1.OriginPermission{read},
			Provider: &originv1.CreateOriginRequest_R2{R2: &originv1.R2OriginInput{Bucket: "media", Endpoint: "https://192.168.1.20",
				Credentials: &originv1.S3Credentials{AccessKeyId: "a", SecretAccessKey: "b"}}},
		}},
	}
	for _, tr := range transports {
		origins, _ := recordedOrigins(env, tr.client, tr.opts...)
		for _, c := range cases {
			t.Run(tr.name+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				_, err := origins.Create(context.Background(), connect.NewRequest(c.req))
				code(t, err, connect.CodeInvalidArgument)
				if d := violations(t, err)[c.field]; !strings.Contains(d, "not allowed") {
					t.Fatalf("violation on %s = %q (all: %v)", c.field, d, violations(t, err))
				}
			})
		}
	}
	t.Run("nothing was stored", func(t *testing.T) {
		t.Parallel()
		origins := originv1connect.NewOriginServiceClient(http.DefaultClient, env.URL, env.Auth())
		resp, err := origins.List(context.Background(), connect.NewRequest(&originv1.ListOriginsRequest{}))
		if err != nil || len(resp.Msg.GetOrigins()) != 0 {
			t.Fatalf("List = %v, %v", resp, err)
		}
	})
}

// TestOriginService_AllowNetworks: the loopback MinIO the guard refuses
// above is accepted, by address and by name, once the allow list names
// loopback; the other refused ranges are covered at the handler
// (services/origin/internal/handler), where nothing needs to listen there.
func TestOriginService_AllowNetworks(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Encoders: -1, AllowNetworks: []netip.Prefix{
		netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"),
	}})
	m := env.MinIO
	bucket := m.NewBucket(t)
	u, err := url.Parse(m.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	for _, endpoint := range []string{m.Endpoint, "http://localhost:" + u.Port()} {
		for _, tr := range transports {
			origins, _ := recordedOrigins(env, tr.client, tr.opts...)
			resp, err := origins.Create(context.Background(), connect.NewRequest(s3Origin("local", bucket, endpoint, m.AccessKey, m.SecretKey, read, write)))
			if err != nil {
				t.Fatalf("%s over %s: %v", endpoint, tr.name, err)
			}
			if resp.Msg.GetOrigin().GetStatus() != originv1.OriginStatus_ORIGIN_STATUS_ACTIVE {
				t.Fatalf("%s over %s: %v", endpoint, tr.name, resp.Msg)
			}
		}
	}
}

// TestOriginService_RedirectToMetadata: an http origin whose server starts
// redirecting to the metadata address fails validation, and the message
// names the refused address; the guard acts when connecting, after the
// base URL itself passed.
func TestOriginService_RedirectToMetadata(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Encoders: -1})
	var redirect atomic.Bool
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if redirect.Load() {
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		}
	}))
	t.Cleanup(site.Close)
	for _, tr := range transports {
		// Sequential: both transports share the server's redirect switch.
		t.Run(tr.name, func(t *testing.T) {
			origins, _ := recordedOrigins(env, tr.client, tr.opts...)
			ctx := context.Background()
			redirect.Store(false)
			created, err := origins.Create(ctx, connect.NewRequest(&originv1.CreateOriginRequest{
				Name: "cdn", Permissions: []originv1.OriginPermission{read},
				Provider: &originv1.CreateOriginRequest_Http{Http: &originv1.HTTPOriginInput{BaseUrl: site.URL + "/media/"}},
			}))
			if err != nil || created.Msg.GetOrigin().GetStatus() != originv1.OriginStatus_ORIGIN_STATUS_ACTIVE {
				t.Fatalf("Create = %v, %v", created, err)
			}
			redirect.Store(true)
			val, err := origins.Validate(ctx, connect.NewRequest(&originv1.ValidateOriginRequest{Id: created.Msg.GetOrigin().GetId()}))
			if err != nil {
				t.Fatal(err)
			}
			o := val.Msg.GetOrigin()
			if val.Msg.GetValidation().GetSuccess() || o.GetStatus() != originv1.OriginStatus_ORIGIN_STATUS_FAILED ||
				!strings.Contains(o.GetValidationError(), "169.254.169.254") || !strings.Contains(o.GetValidationError(), "not allowed") {
				t.Fatalf("Validate after the redirect = %v", val.Msg)
			}
		})
	}
}
