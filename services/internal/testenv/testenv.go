// Package testenv boots a real all-in-one Transcodely for tests: a fresh
// PostgreSQL database cloned from a migrated template, the shared MinIO, and
// the allinone server with encoder workers on a loopback port, with a
// bootstrapped organization, app and API key.
package testenv

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/keyring"
	"github.com/transcodely/transcodely/pkg/logging"
	"github.com/transcodely/transcodely/pkg/miniotest"
	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/pkg/pgdbtest"
	"github.com/transcodely/transcodely/pkg/rpcserve"
	"github.com/transcodely/transcodely/services/account/accountapp"
	"github.com/transcodely/transcodely/services/allinone/allinoneapp"
	"github.com/transcodely/transcodely/services/internal/launch"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
)

// Env is one running installation.
type Env struct {
	URL            string
	ServiceToken   string
	OrganizationID string
	AppID          string
	APIKey         string
	MinIO          *miniotest.Server
	Instance       *allinoneapp.Instance
	// Logs receives the server's logs (JSON lines), for tests that check
	// what is logged.
	Logs *SyncBuffer

	cfg    allinoneapp.Config
	logger *slog.Logger
}

// Options adjust the installation.
type Options struct {
	// Encoders is the number of in-process encoder loops (default 1; -1 for none).
	Encoders int
	// LeaseDuration overrides the task lease (default 30 s).
	LeaseDuration time.Duration
	// Heartbeat overrides the encoder heartbeat interval (default 2 s).
	Heartbeat time.Duration
	// AllowNetworks replaces the outbound allow list (default 127.0.0.0/8,
	// where MinIO and test receivers listen) of every service and encoder.
	AllowNetworks []netip.Prefix
	// NoAllowNetworks runs with the strict production policy (an empty
	// TRANSCODELY_ALLOW_NETWORKS): even the test MinIO is out of reach, so
	// only what is refused before connecting can be tested.
	NoAllowNetworks bool
	// WebhookRetryBase overrides the wait after a failed webhook attempt
	// (default 50 ms here, 1 min in production); later waits double.
	WebhookRetryBase time.Duration
	// WebhookRetryMaxDelay caps one wait (default 2 s here).
	WebhookRetryMaxDelay time.Duration
	// RateLimit sets the per-organization rate limits (default: none, so
	// tests may call as fast as they like).
	RateLimit rpcwire.RateLimit
	// TaskSeconds is the timeline length of one segment task (default 6 s
	// here, so a clip of ten seconds already takes two segment tasks).
	TaskSeconds float64
	// ScratchBucket keeps scratch in this bucket of the shared MinIO
	// instead of the job service's folder.
	ScratchBucket string
}

func migrator(ctx context.Context, url string) error {
	pool, err := pgdb.Open(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	return allinoneapp.Migrate(ctx, pool)
}

// Config returns an allinone configuration for databaseURL on loopback.
func Config(tb testing.TB, databaseURL string, o Options) allinoneapp.Config {
	tb.Helper()
	var c allinoneapp.Config
	c.Database.URL = config.Secret(databaseURL)
	// Small pools: a test run starts many installations at once and the
	// server allows 100 connections in all.
	c.Database.MaxConns = 4
	c.Server = config.Server{Addr: "127.0.0.1:0", ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute, ShutdownTimeout: 5 * time.Second}
	c.Logging = config.Logging{Level: "info", Format: "json"}
	c.ServiceToken = config.Secret(id.Random(32))
	c.Account.KeyPepper = config.Secret(id.Random(32))
	c.Origin.MasterKeys = config.Secret(keyring.NewKeySpec("test1"))
	allow := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	switch {
	case o.NoAllowNetworks:
		allow = nil
	case o.AllowNetworks != nil:
		allow = o.AllowNetworks
	}
	c.Origin.AllowNetworks, c.Job.AllowNetworks = allow, allow
	// Webhook receivers in tests listen on 127.0.0.1 (plain http is
	// accepted for allowed networks only); retries wait milliseconds.
	c.Webhook.MasterKeys = c.Origin.MasterKeys
	c.Webhook.AllowNetworks = allow
	c.Webhook.Concurrency = 8
	c.Webhook.Timeout = 10 * time.Second
	c.Webhook.RetryBase = 50 * time.Millisecond
	if o.WebhookRetryBase > 0 {
		c.Webhook.RetryBase = o.WebhookRetryBase
	}
	c.Webhook.RetryMaxDelay = 2 * time.Second
	if o.WebhookRetryMaxDelay > 0 {
		c.Webhook.RetryMaxDelay = o.WebhookRetryMaxDelay
	}
	c.Webhook.MaxAttempts = 15
	c.Webhook.Poll = 200 * time.Millisecond
	c.Job.OutboxPoll = 200 * time.Millisecond
	c.Job.LeaseDuration = 30 * time.Second
	if o.LeaseDuration > 0 {
		c.Job.LeaseDuration = o.LeaseDuration
	}
	c.Job.MaxAttempts = 3
	c.Job.URLTTL = time.Hour
	c.Job.LeasePoll = 100 * time.Millisecond
	c.Encoder.HeartbeatInterval = 2 * time.Second
	if o.Heartbeat > 0 {
		c.Encoder.HeartbeatInterval = o.Heartbeat
	}
	c.Encoder.ScratchDir = tb.TempDir()
	c.Encoder.LightConcurrency = 1 // as in production
	c.Job.ScratchDir = tb.TempDir()
	c.Job.ScratchSweep = time.Second
	c.Job.TaskSeconds = 6
	if o.TaskSeconds > 0 {
		c.Job.TaskSeconds = o.TaskSeconds
	}
	c.Encoders = 1
	switch {
	case o.Encoders > 0:
		c.Encoders = o.Encoders
	case o.Encoders < 0:
		c.Encoders = 0
	}
	c.Common.Peers = launch.Peers{}
	c.RateLimit = o.RateLimit
	return c
}

// Start boots an installation for one test; it stops when the test ends.
func Start(tb testing.TB, o Options) *Env {
	tb.Helper()
	tmpl := pgdbtest.NewTemplate(tb, "allinone", migrator)
	dbURL := tmpl.NewDatabase(tb)
	cfg := Config(tb, dbURL, o)
	if o.ScratchBucket != "" {
		m := miniotest.Shared(tb)
		cfg.Job.ScratchBucket, cfg.Job.ScratchEndpoint, cfg.Job.ScratchRegion = o.ScratchBucket, m.Endpoint, m.Region
		cfg.Job.ScratchAccessKey, cfg.Job.ScratchSecretKey = m.AccessKey, config.Secret(m.SecretKey)
	}
	logs := &SyncBuffer{}
	var w io.Writer = logs
	if os.Getenv("TRANSCODELY_TEST_LOGS") != "" {
		w = io.MultiWriter(logs, os.Stderr)
	}
	logger := logging.New(w, "info", "json")
	ctx := context.Background()
	in, err := allinoneapp.Start(ctx, cfg, logger)
	if err != nil {
		tb.Fatalf("start allinone: %v", err)
	}
	env := &Env{URL: in.URL, ServiceToken: cfg.ServiceToken.Reveal(), Instance: in, Logs: logs, cfg: cfg, logger: logger}
	tb.Cleanup(func() {
		// The current instance: Restart may have replaced the first.
		if err := env.Instance.Stop(); err != nil {
			tb.Errorf("allinone stopped with: %v", err)
		}
	})
	res, err := in.Account.Bootstrap(ctx, accountapp.BootstrapRequest{Email: "owner@example.com", OrgSlug: "acme", AppName: "main", Environment: "test"})
	if err != nil {
		tb.Fatalf("bootstrap: %v", err)
	}
	env.OrganizationID, env.AppID, env.APIKey = res.OrganizationID, res.AppID, res.Secret
	env.MinIO = miniotest.Shared(tb)
	return env
}

// Restart stops the installation and starts it again on the same database
// and address, as a redeploy would: only what is in Postgres survives, and
// clients made for URL keep working.
func (e *Env) Restart(tb testing.TB) {
	tb.Helper()
	if err := e.Instance.Stop(); err != nil {
		tb.Fatalf("stop allinone: %v", err)
	}
	cfg := e.cfg
	cfg.Server.Addr = strings.TrimPrefix(e.URL, "http://")
	in, err := allinoneapp.Start(context.Background(), cfg, e.logger)
	if err != nil {
		tb.Fatalf("restart allinone: %v", err)
	}
	e.Instance = in
}

// ScratchDir is the job service's local scratch folder.
func (e *Env) ScratchDir() string { return e.cfg.Job.ScratchDir }

// Auth returns a client option that sends the env's key and organization.
func (e *Env) Auth() connect.ClientOption {
	return WithAuth(e.APIKey, e.OrganizationID)
}

// WithAuth returns a client option that sends a key and organization header.
func WithAuth(key, org string) connect.ClientOption {
	return connect.WithInterceptors(headers{"Authorization": "Bearer " + key, "X-Organization-ID": org})
}

type headers map[string]string

func (h headers) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		for k, v := range h {
			if v != "" && v != "Bearer " {
				req.Header().Set(k, v)
			}
		}
		return next(ctx, req)
	}
}

func (h headers) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return func(ctx context.Context, spec connect.Spec) connect.StreamingClientConn {
		conn := next(ctx, spec)
		for k, v := range h {
			if v != "" && v != "Bearer " {
				conn.RequestHeader().Set(k, v)
			}
		}
		return conn
	}
}

func (h headers) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}

// GRPCClient speaks HTTP/2 without TLS, which gRPC clients need.
func GRPCClient() *http.Client { return rpcserve.ClientHTTP() }
