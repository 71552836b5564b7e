// Command webhook serves the webhook service (WebhookService, the internal
// EventService, and signed delivery with retries). Subcommand: migrate.
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
	"github.com/transcodely/transcodely/services/webhook/webhookapp"
)

type cfg struct {
	launch.Common
	Database config.Database
	Webhook  webhookapp.Config
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := realMain(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "webhook:", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context, args []string) error {
	if handled, err := launch.MigrateCommand(ctx, args, webhookapp.Migrate); handled {
		return err
	}
	var c cfg
	logger, err := launch.Load("webhook", &c, &c.Common)
	if err != nil {
		return err
	}
	return launch.Service{
		Name: "webhook", Common: c.Common, Database: c.Database, Logger: logger,
		Services: webhookapp.Services, Migrate: webhookapp.Migrate,
		Build: func(pool *pgxpool.Pool) (launch.Mounter, func(context.Context), error) {
			app, err := webhookapp.New(pool, c.Webhook, logger)
			if err != nil {
				return nil, nil, err
			}
			return app, app.Run, nil
		},
	}.Run(ctx, args)
}
