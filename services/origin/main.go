// Command origin serves the origin service (storage origins with encrypted
// credentials, and internal credential resolution). Subcommands: migrate,
// and rotate-keys, which re-seals every origin's credentials under the
// current key of TRANSCODELY_MASTER_KEYS.
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
	if len(args) > 0 && args[0] == "rotate-keys" {
		return rotateKeys(ctx, args[1:])
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

// rotateKeys needs only the database and the key ring, like migrate needs
// only the database: an operator can run it without the serving settings.
func rotateKeys(ctx context.Context, args []string) error {
	var c struct {
		Database config.Database
		Origin   originapp.Config
	}
	if err := config.LoadEnv(&c); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	pool, err := pgdb.Open(ctx, c.Database.URL.Reveal(), pgdb.WithApplicationName("transcodely-origin-rotate-keys"))
	if err != nil {
		return err
	}
	defer pool.Close()
	return originapp.RotateKeysCommand(ctx, pool, c.Origin, args, os.Stdout)
}
