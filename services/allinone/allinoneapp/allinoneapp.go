// Package allinoneapp runs every service in one process on one port, plus
// encoder workers, built from the same constructors as the separate
// binaries. Services still call each other through their Connect clients
// (over loopback), so the in-process topology exercises the same paths as a
// distributed one. It is the development binary and what end-to-end tests
// boot.
package allinoneapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/netguard"
	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/pkg/rpcserve"
	"github.com/transcodely/transcodely/services/account/accountapp"
	"github.com/transcodely/transcodely/services/encoder/encoderapp"
	"github.com/transcodely/transcodely/services/internal/healthcheck"
	"github.com/transcodely/transcodely/services/internal/launch"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
	"github.com/transcodely/transcodely/services/job/jobapp"
	"github.com/transcodely/transcodely/services/origin/originapp"
	"github.com/transcodely/transcodely/services/preset/presetapp"
	"github.com/transcodely/transcodely/services/webhook/webhookapp"
)

// Config composes every service's configuration.
type Config struct {
	launch.Common
	Database config.Database
	Account  accountapp.Config
	Origin   originapp.Config
	Preset   presetapp.Config
	Job      jobapp.Config
	Webhook  webhookapp.Config
	Encoder  encoderapp.Config
	// Encoders is how many encoder loops run in this process (0 = none,
	// for a deployment that runs separate encoder binaries).
	Encoders int `env:"TRANSCODELY_ENCODERS" default:"1"`
}

// Migrate brings every schema up to date.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	for _, m := range []func(context.Context, *pgxpool.Pool) error{
		accountapp.Migrate, originapp.Migrate, presetapp.Migrate, jobapp.Migrate, webhookapp.Migrate,
	} {
		if err := m(ctx, pool); err != nil {
			return err
		}
	}
	return nil
}

// Instance is a running all-in-one server.
type Instance struct {
	// URL is the base URL every service answers on.
	URL string
	// Account is the account service, for bootstrap.
	Account *accountapp.App

	pool   *pgxpool.Pool
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	err    error
}

// Start migrates the database, listens, and serves in the background until
// ctx ends or Stop is called.
func Start(ctx context.Context, cfg Config, logger *slog.Logger) (*Instance, error) {
	pool, err := pgdb.Open(ctx, cfg.Database.URL.Reveal(), pgdb.WithMaxConns(cfg.Database.MaxConns))
	if err != nil {
		return nil, err
	}
	if err := Migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	// The handler is built after Listen, once the real address is known,
	// because the services' clients point at this very server.
	var handler http.Handler
	lazy := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) })
	srv, err := rpcserve.Listen(ctx, rpcserve.FromConfig(cfg.Server, lazy, logger))
	if err != nil {
		pool.Close()
		return nil, err
	}
	self := srv.URL()
	httpc := rpcwire.HTTPClient()
	copts := rpcwire.ClientOptions(cfg.ServiceToken.Reveal())

	account := accountapp.New(pool, cfg.Account)
	origin, err := originapp.New(pool, cfg.Origin)
	if err != nil {
		pool.Close()
		srv.Close()
		return nil, err
	}
	preset := presetapp.New(pool, cfg.Preset)
	job, err := jobapp.New(pool, cfg.Job, jobapp.Clients{
		Origins: internalv1connect.NewCredentialServiceClient(httpc, self, copts...),
		Presets: internalv1connect.NewPresetResolverServiceClient(httpc, self, copts...),
		Events:  internalv1connect.NewEventServiceClient(httpc, self, copts...),
	}, logger.With("service", "job"))
	if err != nil {
		pool.Close()
		srv.Close()
		return nil, err
	}
	webhook, err := webhookapp.New(pool, cfg.Webhook, logger.With("service", "webhook"))
	if err != nil {
		pool.Close()
		srv.Close()
		return nil, err
	}

	var services []string
	for _, s := range [][]string{accountapp.Services, originapp.Services, presetapp.Services, jobapp.Services, webhookapp.Services} {
		services = append(services, s...)
	}
	deps := rpcwire.Deps{
		Logger: logger,
		// The account service verifies keys straight from the database;
		// the other services use the same verifier in this process.
		Verifier:     account.Verifier(),
		ServiceToken: cfg.ServiceToken.Reveal(),
		RateLimit:    cfg.RateLimit,
	}
	checks := []healthcheck.Check{{Name: "database", Func: pool.Ping}, {Name: "queue", Func: job.Ping}}
	handler = launch.NewHandler(deps, services, checks, account, origin, preset, job, webhook)

	ctx, cancel := context.WithCancel(ctx)
	in := &Instance{URL: self, Account: account, pool: pool, cancel: cancel}
	in.run(func() error { return srv.Serve(ctx) })
	in.run(func() error { job.Run(ctx); return nil })
	in.run(func() error { webhook.Run(ctx); return nil })
	if cfg.Encoders > 0 {
		ecfg := cfg.Encoder
		ecfg.Concurrency = cfg.Encoders
		w := &encoderapp.Worker{
			Client: internalv1connect.NewTaskServiceClient(httpc, self, copts...),
			// Scratch files are served by the job service in this process.
			Control: httpc, JobURL: self,
			Runner: &ffmpeg.Runner{Logger: logger},
			// Uploads go to the user's storage: the same outbound policy
			// as every other connection to it.
			HTTP:   netguard.Policy{Allow: cfg.Origin.AllowNetworks}.HTTPClient(0),
			Config: ecfg, Logger: logger.With("service", "encoder"),
		}
		in.run(func() error { return w.Run(ctx) })
	}
	logger.Info("allinone listening", "url", self)
	return in, nil
}

func (in *Instance) run(fn func() error) {
	in.wg.Add(1)
	go func() {
		defer in.wg.Done()
		if err := fn(); err != nil && !errors.Is(err, context.Canceled) {
			in.mu.Lock()
			in.err = errors.Join(in.err, err)
			in.mu.Unlock()
			in.cancel()
		}
	}()
}

// Wait blocks until the instance stops and returns why.
func (in *Instance) Wait() error {
	in.wg.Wait()
	in.pool.Close()
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.err
}

// Stop shuts the instance down gracefully and waits for it.
func (in *Instance) Stop() error {
	in.cancel()
	return in.Wait()
}
