// Command origin serves the origin service (storage origins with encrypted
// credentials, and internal credential resolution). Subcommand: migrate.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/services/internal/launch"
	"github.com/transcodely/transcodely/services/origin/originapp"
)

type cfg struct {
	launch.Common
	Database config.Database
	Origin   originapp.Config
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := realMain(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "origin:", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context, args []string) error {
	if handled, err := launch.MigrateCommand(ctx, args, originapp.Migrate); handled {
		return err
	}
	var c cfg
	logger, err := launch.Load("origin", &c, &c.Common)
	if err != nil {
		return err
	}
	return launch.Service{
		Name: "origin", Common: c.Common, Database: c.Database, Logger: logger,
		Services: originapp.Services, Migrate: originapp.Migrate,
		Build: func(pool *pgxpool.Pool) (launch.Mounter, func(context.Context), error) {
			app, err := originapp.New(pool, c.Origin)
			return app, nil, err
		},
	}.Run(ctx, args)
}
