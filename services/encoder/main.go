// Command encoder is an encoder worker: it pulls tasks from the job service
// over Connect and runs ffmpeg. It has no database access and no storage
// credentials. It serves health checks on its listen address.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/signal"
	"syscall"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/netguard"
	"github.com/transcodely/transcodely/services/encoder/encoderapp"
	"github.com/transcodely/transcodely/services/internal/launch"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
)

type cfg struct {
	launch.Common
	Encoder encoderapp.Config
	// AllowNetworks lists private networks uploads may reach (local MinIO).
	AllowNetworks []netip.Prefix `env:"TRANSCODELY_ALLOW_NETWORKS"`
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := realMain(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "encoder:", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context) error {
	var c cfg
	logger, err := launch.Load("encoder", &c, &c.Common)
	if err != nil {
		return err
	}
	w := &encoderapp.Worker{
		Client: internalv1connect.NewTaskServiceClient(rpcwire.HTTPClient(), c.Peers.JobURL, rpcwire.ClientOptions(c.ServiceToken.Reveal())...),
		// Scratch URLs relative to the job service are fetched like the
		// RPCs: the job service is the trusted control plane, which may
		// well live on a private network.
		Control: rpcwire.HTTPClient(), JobURL: c.Peers.JobURL,
		Runner: &ffmpeg.Runner{Logger: logger},
		HTTP:   netguard.Policy{Allow: c.AllowNetworks}.HTTPClient(0),
		Config: c.Encoder, Logger: logger,
	}
	handler := launch.NewHandler(rpcwire.Deps{Logger: logger, ServiceToken: c.ServiceToken.Reveal()}, nil, nil)
	// The health endpoint and the worker live and die together: an encoder
	// nobody can probe must not keep leasing work.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- launch.Serve(ctx, c.Common, logger, handler); cancel() }()
	err = w.Run(ctx)
	cancel()
	if serr := <-served; serr != nil && !errors.Is(serr, context.Canceled) {
		return fmt.Errorf("health endpoint: %w", serr)
	}
	return err
}
