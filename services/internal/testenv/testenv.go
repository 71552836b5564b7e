// Package testenv boots a real all-in-one Transcodely for tests: a fresh
// PostgreSQL database cloned from a migrated template, the shared MinIO, and
// the allinone server with encoder workers on a loopback port, with a
// bootstrapped organization, app and API key.
package testenv

import (
	"context"
	"io"
	"net/http"
	"net/netip"
	"os"
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
}

// Options adjust the installation.
type Options struct {
	// Encoders is the number of in-process encoder loops (default 1; -1 for none).
	Encoders int
	// LeaseDuration overrides the task lease (default 30 s).
	LeaseDuration time.Duration
	// Heartbeat overrides the encoder heartbeat interval (default 2 s).
	Heartbeat time.Duration
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
	c.Database.MaxConns = 10
	c.Server = config.Server{Addr: "127.0.0.1:0", ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute, ShutdownTimeout: 5 * time.Second}
	c.Logging = config.Logging{Level: "info", Format: "json"}
	c.ServiceToken = config.Secret(id.Random(32))
	c.Account.KeyPepper = config.Secret(id.Random(32))
	c.Origin.MasterKeys = config.Secret(keyring.NewKeySpec("test1"))
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	c.Origin.AllowNetworks, c.Job.AllowNetworks = loopback, loopback
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
	c.Encoders = 1
	switch {
	case o.Encoders > 0:
		c.Encoders = o.Encoders
	case o.Encoders < 0:
		c.Encoders = 0
	}
	c.Common.Peers = launch.Peers{}
	return c
}

// Start boots an installation for one test; it stops when the test ends.
func Start(tb testing.TB, o Options) *Env {
	tb.Helper()
	tmpl := pgdbtest.NewTemplate(tb, "allinone", migrator)
	dbURL := tmpl.NewDatabase(tb)
	cfg := Config(tb, dbURL, o)
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
	tb.Cleanup(func() {
		if err := in.Stop(); err != nil {
			tb.Errorf("allinone stopped with: %v", err)
		}
	})
	res, err := in.Account.Bootstrap(ctx, accountapp.BootstrapRequest{Email: "owner@example.com", OrgSlug: "acme", AppName: "main", Environment: "test"})
	if err != nil {
		tb.Fatalf("bootstrap: %v", err)
	}
	return &Env{URL: in.URL, ServiceToken: cfg.ServiceToken.Reveal(), OrganizationID: res.OrganizationID, AppID: res.AppID, APIKey: res.Secret,
		MinIO: miniotest.Shared(tb), Instance: in, Logs: logs}
}

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
