// Command transcodely-demo is what `make demo` runs: it brings up
// PostgreSQL, MinIO and the allinone server on this machine (reusing what
// already runs), bootstraps an organization, uploads a generated clip and
// transcodes it through the public API, printing one line per step.
//
//	transcodely-demo start   # idempotent: start what is missing, run a job
//	transcodely-demo status  # show what is running
//	transcodely-demo stop    # stop MinIO and allinone (PostgreSQL and data stay)
//
// Everything it keeps (MinIO data, logs, pids, secrets, the API key) lives in
// .demo/ at the repository root, so a second start reuses it all.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := realMain(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "transcodely-demo:", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: transcodely-demo start|status|stop")
	}
	d, err := newDemo()
	if err != nil {
		return err
	}
	switch args[0] {
	case "start":
		return d.start(ctx)
	case "status":
		return d.status(ctx)
	case "stop":
		return errors.Join(d.StopService("allinone"), d.StopService("minio"))
	}
	return fmt.Errorf("unknown command %q (want start, status or stop)", args[0])
}

// start runs every step in order; each one reuses what an earlier run left.
func (d *demo) start(ctx context.Context) error {
	for _, step := range []func(context.Context) error{
		d.postgres,  // database server and the demo database
		d.minio,     // object storage and the two buckets
		d.secrets,   // server secrets, generated once
		d.allinone,  // the API server with encoder workers
		d.bootstrap, // organization, app and API key
		d.sample,    // a generated clip in demo-input
		d.transcode, // origins, job, watch, results
	} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}
