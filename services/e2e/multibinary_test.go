package e2e

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	apikeyv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/apikeyv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/apikeyv1/apikeyv1connect"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"connectrpc.com/connect"

	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1/jobv1connect"
	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1/originv1connect"
	"github.com/transcodely/transcodely/pkg/blob/blobs3"
	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/keyring"
	"github.com/transcodely/transcodely/pkg/miniotest"
	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/pkg/pgdbtest"
	"github.com/transcodely/transcodely/services/allinone/allinoneapp"
	"github.com/transcodely/transcodely/services/internal/testenv"
)

// multiBinaryServices are the database-backed binaries, in start order.
var multiBinaryServices = []string{"account", "origin", "preset", "job", "webhook"}

// proxyRoutes is the public routing table deploy/Caddyfile must implement
// (the test runs that very file): path prefix -> owning binary. Anything
// else, /transcodely.internal.v1.* in particular, is answered 404 by the
// proxy itself.
var proxyRoutes = []struct{ service, binary string }{
	{"transcodely.v1.OrganizationService", "account"},
	{"transcodely.v1.AppService", "account"},
	{"transcodely.v1.APIKeyService", "account"},
	{"transcodely.v1.UserService", "account"},
	{"transcodely.v1.HealthService", "account"},
	{"transcodely.v1.OriginService", "origin"},
	{"transcodely.v1.PresetService", "preset"},
	{"transcodely.v1.JobService", "job"},
	{"transcodely.v1.WebhookService", "webhook"},
}

// TestMultiBinary_JobThroughProxy runs the production topology on loopback:
// the separate account, origin, preset, job, webhook and encoder binaries,
// each its own process on its own port and talking to the others only over
// Connect, behind a real HTTP/2 proxy (Caddy) that is the one public base
// URL. A job goes through it from MinIO to MinIO.
func TestMultiBinary_JobThroughProxy(t *testing.T) {
	t.Parallel()
	began := time.Now()
	caddyBin, err := exec.LookPath("caddy")
	if err != nil {
		t.Fatalf("caddy is required for the multi-binary test and was not found (%v): apt-get install -y caddy", err)
	}
	dir := t.TempDir()
	bins := buildServiceBinaries(t, filepath.Join(dir, "bin"))
	t.Logf("built binaries in %v", time.Since(began).Round(time.Millisecond))

	dbURL := pgdbtest.NewTemplate(t, "allinone", migrateAll).NewDatabase(t)
	minio := miniotest.Shared(t)

	// Reserve every port up front (held open until just before the process
	// that gets it starts), so the peers' URLs are known to all of them and
	// no two of ours can collide.
	names := append(append([]string{}, multiBinaryServices...), "encoder", "caddy")
	ports := reservePorts(t, names)
	url := func(name string) string { return "http://" + ports[name].addr }

	shared := map[string]string{
		"TRANSCODELY_SERVICE_TOKEN":       id.Random(32),
		"TRANSCODELY_LOG_FORMAT":          "json",
		"TRANSCODELY_SHUTDOWN_TIMEOUT":    "3s",
		"TRANSCODELY_ACCOUNT_URL":         url("account"),
		"TRANSCODELY_ORIGIN_URL":          url("origin"),
		"TRANSCODELY_PRESET_URL":          url("preset"),
		"TRANSCODELY_JOB_URL":             url("job"),
		"TRANSCODELY_WEBHOOK_URL":         url("webhook"),
		"TRANSCODELY_DATABASE_MAX_CONNS":  "5",
		"TRANSCODELY_LEASE_POLL":          "100ms",
		"TRANSCODELY_HEARTBEAT_INTERVAL":  "1s",
		"TRANSCODELY_ENCODER_CONCURRENCY": "2",
	}
	// Each binary gets exactly the secrets its configuration asks for, as
	// in docker-compose.yml: a binary that needed more would fail to start.
	secrets := map[string]string{
		"TRANSCODELY_DATABASE_URL": dbURL,
		"TRANSCODELY_KEY_PEPPER":   id.Random(32),
		"TRANSCODELY_MASTER_KEYS":  keyring.NewKeySpec("k1"),
	}
	loopback := "127.0.0.0/8"
	envFor := func(name string) map[string]string {
		e := map[string]string{"TRANSCODELY_LISTEN_ADDR": ports[name].addr}
		for k, v := range shared {
			e[k] = v
		}
		if name != "encoder" {
			e["TRANSCODELY_DATABASE_URL"] = secrets["TRANSCODELY_DATABASE_URL"]
			// Small pools keep a parallel test run under the server's
			// 100 connections.
			e["TRANSCODELY_DATABASE_MAX_CONNS"] = "3"
		}
		switch name {
		case "account":
			e["TRANSCODELY_KEY_PEPPER"] = secrets["TRANSCODELY_KEY_PEPPER"]
		case "origin":
			e["TRANSCODELY_MASTER_KEYS"] = secrets["TRANSCODELY_MASTER_KEYS"]
			e["TRANSCODELY_ALLOW_NETWORKS"] = loopback
		case "job":
			e["TRANSCODELY_ALLOW_NETWORKS"] = loopback
			e["TRANSCODELY_JOB_SCRATCH_DIR"] = filepath.Join(dir, "jobscratch")
		case "webhook":
			e["TRANSCODELY_MASTER_KEYS"] = secrets["TRANSCODELY_MASTER_KEYS"]
			e["TRANSCODELY_ALLOW_NETWORKS"] = loopback
		case "encoder":
			e["TRANSCODELY_ALLOW_NETWORKS"] = loopback
			e["TRANSCODELY_SCRATCH_DIR"] = filepath.Join(dir, "scratch")
			e["TRANSCODELY_WORKER_ID"] = "multibinary-encoder"
		}
		return e
	}

	logDir := filepath.Join(dir, "logs")
	// The encoder does not create its scratch folder (a missing one fails
	// every task as scratch_unavailable): an operator's volume, here ours.
	for _, d := range []string{logDir, filepath.Join(dir, "scratch")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	g := &procGroup{t: t, logDir: logDir}
	t.Cleanup(g.stop)

	// The API key, minted by the account binary's bootstrap subcommand.
	boot := bootstrapKey(t, bins["account"], envFor("account"), logDir)

	started := time.Now()
	for _, name := range append(append([]string{}, multiBinaryServices...), "encoder") {
		ports[name].release()
		g.start(name, bins[name], nil, envFor(name))
	}
	var wg sync.WaitGroup
	for _, p := range g.procs {
		wg.Add(1)
		go func() { defer wg.Done(); g.waitHealthy(p, "http://"+ports[p.name].addr, 30*time.Second) }()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}

	// The proxy.
	caddyDir := filepath.Join(dir, "caddy")
	if err := os.MkdirAll(caddyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	caddyfile := filepath.Join(caddyDir, "Caddyfile")
	upstreams := map[string]string{}
	for _, name := range multiBinaryServices {
		upstreams[name] = ports[name].addr
	}
	deployed := filepath.Join(servicesModuleDir(t), "..", "deploy", "Caddyfile")
	if err := os.WriteFile(caddyfile, []byte(loopbackCaddyfile(t, deployed, ports["caddy"].addr, upstreams)), 0o644); err != nil {
		t.Fatal(err)
	}
	ports["caddy"].release()
	caddy := g.start("caddy", caddyBin, []string{"run", "--config", caddyfile, "--adapter", "caddyfile"},
		map[string]string{"HOME": caddyDir, "XDG_CONFIG_HOME": caddyDir, "XDG_DATA_HOME": caddyDir})
	proxy := "http://" + ports["caddy"].addr
	g.waitHealthy(caddy, proxy, 20*time.Second)
	if t.Failed() {
		t.FailNow()
	}
	t.Logf("binaries and proxy up in %v (proxy %s)", time.Since(started).Round(time.Millisecond), proxy)

	t.Run("routing", func(t *testing.T) {
		checkProxyRouting(t, proxy, "http://"+ports["account"].addr, boot)
	})
	if t.Failed() {
		t.FailNow()
	}

	// From here on, only the proxy's URL is used.
	env := &testenv.Env{URL: proxy, OrganizationID: boot["TRANSCODELY_ORGANIZATION_ID"], AppID: boot["TRANSCODELY_APP_ID"],
		APIKey: boot["TRANSCODELY_API_KEY"], MinIO: minio}
	f := &fixture{
		env:     env,
		jobs:    jobv1connect.NewJobServiceClient(http.DefaultClient, proxy, env.Auth()),
		origins: originv1connect.NewOriginServiceClient(http.DefaultClient, proxy, env.Auth()),
	}
	f.inBucket, f.outBucket = minio.NewBucket(t), minio.NewBucket(t)
	if f.out, err = blobs3.New(minio.Config(f.outBucket)); err != nil {
		t.Fatal(err)
	}
	f.inputOrigin = f.createOrigin(t, "uploads", f.inBucket, "", originv1.OriginPermission_ORIGIN_PERMISSION_READ)
	f.outputOrigin = f.createOrigin(t, "renditions", f.outBucket, "media/out", originv1.OriginPermission_ORIGIN_PERMISSION_WRITE)

	clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 320, Height: 240, FPS: 25, Seconds: 4, Audio: true})
	f.upload(t, clip, "incoming/clip.mp4")

	ctx := context.Background()
	jobStarted := time.Now()
	created, err := f.jobs.Create(ctx, connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: f.inputOrigin, InputPath: "incoming/clip.mp4", OutputOriginId: f.outputOrigin,
		Outputs: []*jobv1.OutputSpec{{
			Type:  jobv1.OutputType_OUTPUT_TYPE_MP4,
			Video: []*jobv1.VideoVariant{{Codec: commonv1.VideoCodec_VIDEO_CODEC_H264, Resolution: commonv1.Resolution_RESOLUTION_240P, Quality: commonv1.QualityTier_QUALITY_TIER_ECONOMY}},
		}},
	}))
	if err != nil {
		t.Fatalf("create job through the proxy: %v", err)
	}
	jobID := created.Msg.GetJob().GetId()

	// Watch through the proxy: the updates must arrive as they happen, not
	// all at once when the stream ends (a buffering proxy would pass the
	// status check but not the timing one).
	final, seen, firstAt := watchTimed(t, f.jobs, jobID, 90*time.Second)
	if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		t.Fatalf("job ended %s (%s: %s); statuses seen %v", final.GetStatus(), final.GetErrorCode(), final.GetErrorMessage(), seen)
	}
	if completedAt := final.GetCompletedAt().AsTime(); len(seen) < 2 || !firstAt.Before(completedAt) {
		t.Fatalf("Watch through the proxy delivered its first message at %v, the job completed at %v (%v): not streamed",
			firstAt.Format(time.StampMicro), completedAt.Format(time.StampMicro), seen)
	}
	t.Logf("job %s completed in %v; Watch saw %v, the first %v before completion", jobID, time.Since(jobStarted).Round(time.Millisecond), seen,
		final.GetCompletedAt().AsTime().Sub(firstAt).Round(time.Millisecond))

	out := final.GetOutputs()[0]
	if out.GetStatus() != jobv1.OutputStatus_OUTPUT_STATUS_COMPLETED || out.GetOutputSizeBytes() <= 0 {
		t.Fatalf("output = %v", out)
	}
	local := f.download(t, out.GetOutputUrl(), t.TempDir())
	probe, err := (&ffmpeg.Runner{}).Probe(ctx, local)
	if err != nil {
		t.Fatal(err)
	}
	if len(probe.Video) != 1 || probe.Video[0].Codec != "h264" || probe.Video[0].Width != 320 || probe.Video[0].Height != 240 {
		t.Fatalf("output video streams = %+v, want one h264 320x240", probe.Video)
	}
	if math.Abs(probe.Duration-4) > 0.1 || len(probe.Audio) != 1 || probe.Audio[0].Codec != "aac" {
		t.Fatalf("output duration %.3f s, audio %+v; want 4 s with one aac track", probe.Duration, probe.Audio)
	}
	if probe.Size != out.GetOutputSizeBytes() {
		t.Fatalf("size in bucket %d, reported %d", probe.Size, out.GetOutputSizeBytes())
	}

	t.Run("grpc through the proxy", func(t *testing.T) {
		client := jobv1connect.NewJobServiceClient(testenv.GRPCClient(), proxy, connect.WithGRPC(), env.Auth())
		resp, err := client.Get(ctx, connect.NewRequest(&jobv1.GetJobRequest{Id: jobID}))
		if err != nil || resp.Msg.GetJob().GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
			t.Fatalf("gRPC Get through the proxy = %v, %v", resp, err)
		}
		// A gRPC error must come back as trailers through the proxy too.
		_, err = client.Get(ctx, connect.NewRequest(&jobv1.GetJobRequest{Id: "job_doesnotexist0000000000"}))
		if connect.CodeOf(err) != connect.CodeNotFound && connect.CodeOf(err) != connect.CodeInvalidArgument {
			t.Fatalf("gRPC Get of a missing job through the proxy = %v (code %v), want not_found or invalid_argument", err, connect.CodeOf(err))
		}
	})

	t.Run("revocation reaches the other services", func(t *testing.T) {
		// A key revoked in the account service stops working in the job
		// service (a separate process with its own verification cache)
		// within rpcwire.VerifyCacheTTL.
		keys := apikeyv1connect.NewAPIKeyServiceClient(http.DefaultClient, proxy, env.Auth())
		created, err := keys.Create(ctx, connect.NewRequest(&apikeyv1.CreateAPIKeyRequest{
			Name: "short-lived", Environment: apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_TEST,
		}))
		if err != nil {
			t.Fatal(err)
		}
		jobs := jobv1connect.NewJobServiceClient(http.DefaultClient, proxy, testenv.WithAuth(created.Msg.GetSecret(), env.OrganizationID))
		list := func() error {
			_, err := jobs.List(ctx, connect.NewRequest(&jobv1.ListJobsRequest{}))
			return err
		}
		if err := list(); err != nil {
			t.Fatalf("new key refused by the job service: %v", err)
		}
		if _, err := keys.Revoke(ctx, connect.NewRequest(&apikeyv1.RevokeAPIKeyRequest{Id: created.Msg.GetApiKey().GetId()})); err != nil {
			t.Fatal(err)
		}
		revoked := time.Now()
		for list() == nil {
			if time.Since(revoked) > rpcwire.VerifyCacheTTL+time.Second {
				t.Fatalf("the job service still accepts a key revoked %v ago", time.Since(revoked))
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err := list(); connect.CodeOf(err) != connect.CodeUnauthenticated {
			t.Fatalf("revoked key: %v", err)
		}
		t.Logf("revoked key refused by the job service %v after Revoke", time.Since(revoked).Round(time.Millisecond))
	})
	t.Logf("whole test: %v", time.Since(began).Round(time.Millisecond))
}

// checkProxyRouting checks every public route reaches a binary and that
// everything else, internal procedures above all, stops at the proxy.
func checkProxyRouting(t *testing.T, proxy, accountDirect string, boot map[string]string) {
	noRedirect := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	post := func(base, path string) (int, string, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+boot["TRANSCODELY_API_KEY"])
		req.Header.Set("X-Organization-ID", boot["TRANSCODELY_ORGANIZATION_ID"])
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		defer resp.Body.Close()
		var body bytes.Buffer
		_, _ = body.ReadFrom(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), body.String()
	}
	methods := map[string]string{
		"transcodely.v1.OrganizationService": "List", "transcodely.v1.AppService": "List",
		"transcodely.v1.APIKeyService": "List", "transcodely.v1.UserService": "GetMe",
		"transcodely.v1.HealthService": "Check", "transcodely.v1.OriginService": "List",
		"transcodely.v1.PresetService": "List", "transcodely.v1.JobService": "List",
		"transcodely.v1.WebhookService": "List",
	}
	for _, r := range proxyRoutes {
		path := "/" + r.service + "/" + methods[r.service]
		status, ctype, body := post(proxy, path)
		// The binary answers with JSON (a result or a Connect error); the
		// proxy's own 404 has no body.
		if status == http.StatusNotFound || !strings.HasPrefix(ctype, "application/json") {
			t.Errorf("POST %s through the proxy: %d %q %s; want an answer from %s", path, status, ctype, body, r.binary)
		}
		t.Logf("%-50s -> %-7s %d", path, r.binary, status)
	}
	for _, path := range []string{
		"/transcodely.internal.v1.KeyService/Verify",
		"/transcodely.internal.v1.CredentialService/Resolve",
		"/transcodely.internal.v1.PresetResolverService/Resolve",
		"/transcodely.internal.v1.TaskService/Lease",
		"/TRANSCODELY.INTERNAL.V1.TaskService/Lease",
		"/transcodely.v1.JobService/../transcodely.internal.v1.TaskService/Lease",
		"/transcodely.v1.JobService/%2e%2e/transcodely.internal.v1.TaskService/Lease",
		"/grpc.health.v1.Health/Check",
		"/",
	} {
		if status, ctype, body := post(proxy, path); status != http.StatusNotFound || body != "" {
			t.Errorf("POST %s through the proxy: %d %q %q; want the proxy's empty 404", path, status, ctype, body)
		}
	}
	// The contrast: the account binary itself does serve KeyService (and
	// refuses a caller without the service token), so the 404 above is the
	// proxy's doing.
	if status, _, body := post(accountDirect, "/transcodely.internal.v1.KeyService/Verify"); status == http.StatusNotFound || status == http.StatusOK {
		t.Errorf("POST KeyService/Verify straight to account without a service token: %d %s", status, body)
	}
}

// watchTimed watches a job to its end and returns the last state, the
// statuses seen and when the first message arrived.
func watchTimed(t *testing.T, jobs jobv1connect.JobServiceClient, jobID string, timeout time.Duration) (*jobv1.Job, []string, time.Time) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	stream, err := jobs.Watch(ctx, connect.NewRequest(&jobv1.WatchJobRequest{Id: jobID}))
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	var last *jobv1.Job
	var seen []string
	var first time.Time
	for stream.Receive() {
		if first.IsZero() {
			first = time.Now()
		}
		last = stream.Msg().GetJob()
		seen = append(seen, fmt.Sprintf("%s@%d%%", strings.TrimPrefix(last.GetStatus().String(), "JOB_STATUS_"), int(last.GetProgress())))
	}
	if err := stream.Err(); err != nil {
		t.Fatalf("watch %s through the proxy: %v (seen %v)", jobID, err, seen)
	}
	if last == nil {
		t.Fatal("watch returned no message")
	}
	return last, seen, first
}

// loopbackCaddyfile is deploy/Caddyfile, the docker-compose proxy
// configuration, moved onto loopback: the site listens on listen (bound to
// 127.0.0.1), each h2c://<service>:8080 upstream becomes that binary's
// loopback address, and the admin endpoint is off (parallel runs would fight
// over :2019). The routing itself is tested as shipped.
func loopbackCaddyfile(t *testing.T, path, listen string, upstreams map[string]string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the proxy configuration docker-compose uses: %v", err)
	}
	s := string(b)
	replace := func(old, new string) {
		if n := strings.Count(s, old); n != 1 {
			t.Fatalf("%s has %d of %q, want 1: keep it and this test's substitutions in step", path, n, old)
		}
		s = strings.Replace(s, old, new, 1)
	}
	_, port, _ := net.SplitHostPort(listen)
	replace("\tauto_https off\n", "\tadmin off\n\tauto_https off\n")
	replace("\n:80 {\n", "\n:"+port+" {\n\tbind 127.0.0.1\n")
	for name, addr := range upstreams {
		replace("h2c://"+name+":8080", "h2c://"+addr)
	}
	if strings.Count(s, "h2c://127.0.0.1:") != strings.Count(s, "h2c://") {
		t.Fatalf("%s routes to an upstream this test does not run:\n%s", path, s)
	}
	return s
}

func migrateAll(ctx context.Context, url string) error {
	pool, err := pgdb.Open(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	return allinoneapp.Migrate(ctx, pool)
}

// buildServiceBinaries builds the service binaries into dir and returns
// their paths by name.
func buildServiceBinaries(t *testing.T, dir string) map[string]string {
	t.Helper()
	moduleDir := servicesModuleDir(t)
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build the binaries: %v", err)
	}
	names := append(append([]string{}, multiBinaryServices...), "encoder")
	args := []string{"build", "-o", dir + string(filepath.Separator)}
	for _, n := range names {
		args = append(args, "./"+n)
	}
	cmd := exec.Command(goBin, args...)
	cmd.Dir = moduleDir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s (in %s): %v\n%s", strings.Join(args, " "), moduleDir, err, out)
	}
	bins := map[string]string{}
	for _, n := range names {
		bins[n] = filepath.Join(dir, n)
	}
	return bins
}

// servicesModuleDir is the services module's folder, found from the test's
// working directory.
func servicesModuleDir(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.mod above %s", wd)
		}
	}
}

// bootstrapKey runs `account bootstrap -format env` and returns its
// variables.
func bootstrapKey(t *testing.T, account string, env map[string]string, logDir string) map[string]string {
	t.Helper()
	logf, err := os.Create(filepath.Join(logDir, "bootstrap.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, account, "bootstrap", "-format", "env", "-org", "acme", "-app", "main")
	cmd.Env, cmd.Stderr = childEnv(env), logf
	out, err := cmd.Output()
	if err != nil {
		b, _ := os.ReadFile(logf.Name())
		t.Fatalf("account bootstrap: %v\n%s", err, b)
	}
	vars := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			vars[k] = v
		}
	}
	for _, k := range []string{"TRANSCODELY_ORGANIZATION_ID", "TRANSCODELY_APP_ID", "TRANSCODELY_API_KEY"} {
		if vars[k] == "" {
			t.Fatalf("account bootstrap printed no %s:\n%s", k, out)
		}
	}
	return vars
}

// childEnv is the test's environment without any TRANSCODELY_ variable of
// the developer's shell, plus vars.
func childEnv(vars map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "TRANSCODELY_") || vars[k] != "" {
			continue
		}
		env = append(env, kv)
	}
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return env
}

type reservedPort struct {
	addr string
	ln   net.Listener
}

// release frees the port for the process about to bind it.
func (p *reservedPort) release() { _ = p.ln.Close() }

func reservePorts(t *testing.T, names []string) map[string]*reservedPort {
	t.Helper()
	ports := map[string]*reservedPort{}
	for _, n := range names {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ports[n] = &reservedPort{addr: ln.Addr().String(), ln: ln}
		t.Cleanup(func() { _ = ln.Close() })
	}
	return ports
}

// procGroup runs subprocesses, each in its own process group, with output
// in a log file, and stops them when the test ends.
type procGroup struct {
	t      *testing.T
	logDir string
	procs  []*proc
}

type proc struct {
	name    string
	cmd     *exec.Cmd
	logPath string
	exited  chan struct{}
	waitErr error
	stopped bool // a signal from stop, not a crash, ended it
}

func (g *procGroup) start(name, bin string, args []string, env map[string]string) *proc {
	g.t.Helper()
	p := &proc{name: name, logPath: filepath.Join(g.logDir, name+".log"), exited: make(chan struct{})}
	logf, err := os.Create(p.logPath)
	if err != nil {
		g.t.Fatal(err)
	}
	defer logf.Close() // the child has its own descriptor
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = childEnv(env)
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	// Own process group, so stop reaches anything the binary forks
	// (ffmpeg); killed by the kernel if the test binary dies.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	started := make(chan error, 1)
	go func() {
		// Pdeathsig fires when the starting thread exits: hold it (see
		// miniotest).
		runtime.LockOSThread()
		if err := p.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		p.waitErr = p.cmd.Wait()
		close(p.exited)
	}()
	if err := <-started; err != nil {
		g.t.Fatalf("start %s: %v", name, err)
	}
	g.procs = append(g.procs, p)
	return p
}

// waitHealthy polls POST base/transcodely.v1.HealthService/Check until it
// answers 200.
func (g *procGroup) waitHealthy(p *proc, base string, timeout time.Duration) {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	var last string
	for {
		resp, err := client.Post(base+"/transcodely.v1.HealthService/Check", "application/json", strings.NewReader("{}"))
		if err == nil {
			var body bytes.Buffer
			_, _ = body.ReadFrom(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			last = fmt.Sprintf("%s: %s", resp.Status, body.String())
		} else {
			last = err.Error()
		}
		select {
		case <-p.exited:
			g.t.Errorf("%s exited before it was healthy: %v", p.name, p.waitErr)
			return
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			g.t.Errorf("%s not healthy at %s after %v: %s", p.name, base, timeout, last)
			return
		}
	}
}

// stop sends SIGTERM to every process group, waits for a graceful exit,
// kills what is left, and prints the logs' tails if the test failed or a
// binary did not shut down cleanly.
func (g *procGroup) stop() {
	for _, p := range g.procs {
		select {
		case <-p.exited:
		default:
			p.stopped = true
			_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
		}
	}
	var unclean []string
	for _, p := range g.procs {
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
			<-p.exited
			unclean = append(unclean, p.name+": killed after 10 s")
			continue
		}
		if p.waitErr != nil {
			var ee *exec.ExitError
			if p.stopped && errors.As(p.waitErr, &ee) && ee.ExitCode() == 0 {
				continue
			}
			unclean = append(unclean, fmt.Sprintf("%s: %v", p.name, p.waitErr))
		}
	}
	if len(unclean) > 0 {
		g.t.Logf("binaries that did not shut down cleanly on SIGTERM: %s", strings.Join(unclean, "; "))
	}
	if g.t.Failed() || len(unclean) > 0 {
		for _, p := range g.procs {
			g.t.Logf("--- %s log tail (%s) ---\n%s", p.name, p.logPath, tail(p.logPath, 30))
		}
		g.t.Logf("--- bootstrap log ---\n%s", tail(filepath.Join(g.logDir, "bootstrap.log"), 10))
	}
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
