// Command job serves the job service (JobService, and the internal
// TaskService encoders pull from). Subcommand: migrate.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/services/internal/launch"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
	"github.com/transcodely/transcodely/services/job/jobapp"
)

type cfg struct {
	launch.Common
	Database config.Database
	Job      jobapp.Config
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := realMain(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "job:", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context, args []string) error {
	if handled, err := launch.MigrateCommand(ctx, args, jobapp.Migrate); handled {
		return err
	}
	var c cfg
	logger, err := launch.Load("job", &c, &c.Common)
	if err != nil {
		return err
	}
	httpc, copts := rpcwire.HTTPClient(), rpcwire.ClientOptions(c.ServiceToken.Reveal())
	return launch.Service{
		Name: "job", Common: c.Common, Database: c.Database, Logger: logger,
		Services: jobapp.Services, Migrate: jobapp.Migrate,
		Build: func(pool *pgxpool.Pool) (launch.Mounter, func(context.Context), error) {
			app, err := jobapp.New(pool, c.Job, jobapp.Clients{
				Origins: internalv1connect.NewCredentialServiceClient(httpc, c.Peers.OriginURL, copts...),
				Presets: internalv1connect.NewPresetResolverServiceClient(httpc, c.Peers.PresetURL, copts...),
				Events:  internalv1connect.NewEventServiceClient(httpc, c.Peers.WebhookURL, copts...),
			}, logger)
			if err != nil {
				return nil, nil, err
			}
			return app, app.Run, nil
		},
	}.Run(ctx, args)
}
