// Command preset serves the preset service (presets, system presets and
// internal preset resolution). Subcommand: migrate.
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
	"github.com/transcodely/transcodely/services/preset/presetapp"
)

type cfg struct {
	launch.Common
	Database config.Database
	Preset   presetapp.Config
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := realMain(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "preset:", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context, args []string) error {
	if handled, err := launch.MigrateCommand(ctx, args, presetapp.Migrate); handled {
		return err
	}
	var c cfg
	logger, err := launch.Load("preset", &c, &c.Common)
	if err != nil {
		return err
	}
	return launch.Service{
		Name: "preset", Common: c.Common, Database: c.Database, Logger: logger,
		Services: presetapp.Services, Migrate: presetapp.Migrate,
		Build: func(pool *pgxpool.Pool) (launch.Mounter, func(context.Context), error) {
			return presetapp.New(pool, c.Preset), nil, nil
		},
	}.Run(ctx, args)
}
