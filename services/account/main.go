// Command account serves the account service (organizations, apps, API
// keys, users and internal key verification). Subcommands: migrate, and the
// administration commands of accountapp.Commands (bootstrap, invite,
// user-token, revoke-sessions, org-status).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/services/account/accountapp"
	"github.com/transcodely/transcodely/services/internal/launch"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
)

type cfg struct {
	launch.Common
	Database config.Database
	Account  accountapp.Config
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := realMain(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "account:", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context, args []string) error {
	if handled, err := launch.MigrateCommand(ctx, args, accountapp.Migrate); handled {
		return err
	}
	var c cfg
	logger, err := launch.Load("account", &c, &c.Common)
	if err != nil {
		return err
	}
	if len(args) > 0 && accountapp.IsCommand(args[0]) {
		pool, err := pgdb.Open(ctx, c.Database.URL.Reveal())
		if err != nil {
			return err
		}
		defer pool.Close()
		if err := accountapp.Migrate(ctx, pool); err != nil {
			return err
		}
		return accountapp.New(pool, c.Account).RunCommand(ctx, args, os.Stdout)
	}
	return launch.Service{
		Name: "account", Common: c.Common, Database: c.Database, Logger: logger,
		Services: accountapp.Services, Migrate: accountapp.Migrate,
		Build: func(pool *pgxpool.Pool) (launch.Mounter, func(context.Context), error) {
			return accountapp.New(pool, c.Account), nil, nil
		},
		// The account service checks keys against its own tables.
		Verifier: func(_ *pgxpool.Pool, app launch.Mounter) rpcwire.Verifier { return app.(*accountapp.App).Verifier() },
	}.Run(ctx, args)
}
