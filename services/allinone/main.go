// Command allinone runs every Transcodely service in one process on one port,
// with encoder workers: the binary for development, demos and end-to-end
// tests. Subcommands: migrate, bootstrap, rotate-keys (re-seals origin
// credentials under the current key of TRANSCODELY_MASTER_KEYS).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/services/account/accountapp"
	"github.com/transcodely/transcodely/services/allinone/allinoneapp"
	"github.com/transcodely/transcodely/services/internal/launch"
	"github.com/transcodely/transcodely/services/origin/originapp"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := realMain(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "allinone:", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context, args []string) error {
	if handled, err := launch.MigrateCommand(ctx, args, allinoneapp.Migrate); handled {
		return err
	}
	var c allinoneapp.Config
	logger, err := launch.Load("allinone", &c, &c.Common)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		pool, err := pgdb.Open(ctx, c.Database.URL.Reveal())
		if err != nil {
			return err
		}
		defer pool.Close()
		if err := allinoneapp.Migrate(ctx, pool); err != nil {
			return err
		}
		switch args[0] {
		case "migrate":
			return nil
		case "bootstrap":
			return accountapp.New(pool, c.Account).BootstrapCommand(ctx, args[1:], os.Stdout)
		case "rotate-keys":
			return originapp.RotateKeysCommand(ctx, pool, c.Origin, args[1:], os.Stdout)
		}
		return fmt.Errorf("unknown command %q (want: migrate, bootstrap, rotate-keys, or no command to serve)", args[0])
	}
	in, err := allinoneapp.Start(ctx, c, logger)
	if err != nil {
		return err
	}
	return in.Wait()
}
