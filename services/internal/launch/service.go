package launch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/services/internal/healthcheck"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
)

// Service describes one database-backed service binary.
type Service struct {
	Name     string
	Common   Common
	Database config.Database
	Logger   *slog.Logger
	Services []string
	Migrate  func(context.Context, *pgxpool.Pool) error
	// Build assembles the app on an open pool. background, if not nil, runs
	// until ctx ends.
	Build func(pool *pgxpool.Pool) (app Mounter, background func(context.Context), err error)
	// Verifier overrides the default (the account service's KeyService).
	Verifier func(pool *pgxpool.Pool, app Mounter) rpcwire.Verifier
}

// Run handles the binary's subcommands: none (serve) and "migrate".
func (s Service) Run(ctx context.Context, args []string) error {
	pool, err := pgdb.Open(ctx, s.Database.URL.Reveal(), pgdb.WithMaxConns(s.Database.MaxConns), pgdb.WithApplicationName("transcodely-"+s.Name))
	if err != nil {
		return err
	}
	defer pool.Close()
	if len(args) > 0 {
		if args[0] != "migrate" {
			return fmt.Errorf("unknown command %q (want: migrate, or no command to serve)", args[0])
		}
		return s.Migrate(ctx, pool)
	}
	app, background, err := s.Build(pool)
	if err != nil {
		return err
	}
	verifier := rpcwire.NewKeyVerifier(internalv1connect.NewKeyServiceClient(rpcwire.HTTPClient(), s.Common.Peers.AccountURL, rpcwire.ClientOptions(s.Common.ServiceToken.Reveal())...))
	if s.Verifier != nil {
		verifier = s.Verifier(pool, app)
	}
	deps := rpcwire.Deps{Logger: s.Logger, Verifier: verifier, ServiceToken: s.Common.ServiceToken.Reveal(), RateLimit: s.Common.RateLimit}
	handler := NewHandler(deps, s.Services, []healthcheck.Check{{Name: "database", Func: pool.Ping}}, app)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	if background != nil {
		go func() { defer close(done); background(ctx) }()
	} else {
		close(done)
	}
	err = Serve(ctx, s.Common, s.Logger, handler)
	cancel()
	<-done
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
