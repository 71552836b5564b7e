// Package launch is what every service binary's realMain shares: the common
// configuration pieces, logger and telemetry set-up, and serving a mux with
// health and reflection until the context ends.
package launch

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/pkg/logging"
	"github.com/transcodely/transcodely/pkg/rpcserve"
	"github.com/transcodely/transcodely/pkg/telemetry"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
)

// Common is the configuration every service binary has.
type Common struct {
	Server    config.Server
	Telemetry config.Telemetry
	Logging   config.Logging
	// ServiceToken authenticates calls between services; every binary of
	// one deployment shares it.
	ServiceToken config.Secret `env:"TRANSCODELY_SERVICE_TOKEN" required:"true" secret:"true"`
	Peers        Peers
	// RateLimit is the per-organization request limit of this process's
	// public handlers (TRANSCODELY_RATE_LIMIT_*).
	RateLimit rpcwire.RateLimit
}

// Peers are the base URLs of the other services (internal addresses, not the
// public proxy). In the allinone binary they all point at itself.
type Peers struct {
	AccountURL string `env:"TRANSCODELY_ACCOUNT_URL" default:"http://127.0.0.1:8081"`
	OriginURL  string `env:"TRANSCODELY_ORIGIN_URL" default:"http://127.0.0.1:8082"`
	PresetURL  string `env:"TRANSCODELY_PRESET_URL" default:"http://127.0.0.1:8083"`
	JobURL     string `env:"TRANSCODELY_JOB_URL" default:"http://127.0.0.1:8084"`
	WebhookURL string `env:"TRANSCODELY_WEBHOOK_URL" default:"http://127.0.0.1:8085"`
}

// Load reads cfg from the environment, with serviceName pre-filled as the
// telemetry service name, and returns the logger it configures.
func Load(serviceName string, cfg any, common *Common) (*slog.Logger, error) {
	common.Telemetry.ServiceName = "transcodely-" + serviceName
	if err := config.LoadEnv(cfg); err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	logger := logging.New(os.Stderr, common.Logging.Level, common.Logging.Format).With("service", serviceName)
	logger.Info("configuration loaded", "config", config.Redacted(cfg))
	return logger, nil
}

// Serve starts telemetry and serves handler on the configured address until
// ctx ends, then shuts down gracefully.
func Serve(ctx context.Context, common Common, logger *slog.Logger, handler http.Handler) error {
	shutdown, err := telemetry.Setup(ctx, common.Telemetry)
	if err != nil {
		return fmt.Errorf("telemetry: %w", err)
	}
	defer func() {
		if err := shutdown(context.WithoutCancel(ctx)); err != nil {
			logger.Warn("telemetry shutdown", "error", err)
		}
	}()
	srv, err := rpcserve.Listen(ctx, rpcserve.FromConfig(common.Server, handler, logger))
	if err != nil {
		return err
	}
	logger.Info("listening", "addr", srv.Addr().String())
	return srv.Serve(ctx)
}
