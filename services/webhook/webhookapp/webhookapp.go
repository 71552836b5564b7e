// Package webhookapp assembles the webhook service: WebhookService
// (endpoints with sealed signing secrets, and the delivery log), the
// internal EventService other services publish events to, and the
// dispatcher that delivers them signed, with retries, from Postgres.
package webhookapp

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/webhookv1/webhookv1connect"
	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/pkg/keyring"
	"github.com/transcodely/transcodely/pkg/migrate"
	"github.com/transcodely/transcodely/pkg/netguard"
	"github.com/transcodely/transcodely/services/webhook/internal/delivery"
	"github.com/transcodely/transcodely/services/webhook/internal/handler"
	"github.com/transcodely/transcodely/services/webhook/internal/retry"
	"github.com/transcodely/transcodely/services/webhook/internal/secret"
	"github.com/transcodely/transcodely/services/webhook/internal/store"
)

// Config is the webhook service's own configuration.
type Config struct {
	// MasterKeys seal signing secrets: "id:base64key[,id:base64key...]",
	// the first one current (see pkg/keyring). The same list as the
	// origin service's in a typical deployment.
	MasterKeys config.Secret `env:"TRANSCODELY_MASTER_KEYS" required:"true" secret:"true"`
	// AllowNetworks lists private networks endpoints may point at anyway;
	// plain http:// is accepted only for hosts inside them. Empty in
	// production.
	AllowNetworks []netip.Prefix `env:"TRANSCODELY_ALLOW_NETWORKS"`
	// Concurrency is how many deliveries one process runs at once.
	Concurrency int `env:"TRANSCODELY_WEBHOOK_CONCURRENCY" default:"16"`
	// Timeout bounds one attempt; a 2xx must arrive within it.
	Timeout time.Duration `env:"TRANSCODELY_WEBHOOK_TIMEOUT" default:"10s"`
	// RetryBase is the wait after the first failed attempt; later waits
	// double up to RetryMaxDelay (with ±20 % jitter).
	RetryBase time.Duration `env:"TRANSCODELY_WEBHOOK_RETRY_BASE" default:"1m"`
	// RetryMaxDelay caps one wait.
	RetryMaxDelay time.Duration `env:"TRANSCODELY_WEBHOOK_RETRY_MAX_DELAY" default:"14h"`
	// MaxAttempts is how many attempts a delivery gets, the first included.
	MaxAttempts int `env:"TRANSCODELY_WEBHOOK_MAX_ATTEMPTS" default:"15"`
	// Poll is the longest the dispatcher sleeps without a notification.
	Poll time.Duration `env:"TRANSCODELY_WEBHOOK_POLL" default:"1s"`
}

// Services are the fully-qualified names the webhook service serves.
var Services = []string{webhookv1connect.WebhookServiceName, internalv1connect.EventServiceName}

// Migrate brings the webhook schema up to date.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	return migrate.Run(ctx, pool, store.Schema, store.Migrations())
}

// App is the assembled webhook service.
type App struct {
	h    *handler.Webhooks
	disp *delivery.Dispatcher
}

// New assembles the service.
func New(pool *pgxpool.Pool, cfg Config, logger *slog.Logger) (*App, error) {
	ring, err := keyring.Parse(cfg.MasterKeys.Reveal())
	if err != nil {
		return nil, fmt.Errorf("TRANSCODELY_MASTER_KEYS: %w", err)
	}
	if cfg.MaxAttempts < 1 {
		return nil, fmt.Errorf("TRANSCODELY_WEBHOOK_MAX_ATTEMPTS: must be at least 1")
	}
	st := store.New(pool)
	keeper := &secret.Keeper{Store: st, Ring: ring}
	policy := netguard.Policy{Allow: cfg.AllowNetworks}
	return &App{
		h: &handler.Webhooks{Store: st, Secrets: keeper, Policy: policy},
		disp: &delivery.Dispatcher{
			Store: st, Secrets: keeper, Policy: policy, Logger: logger,
			Schedule:    retry.Schedule{Base: cfg.RetryBase, MaxDelay: cfg.RetryMaxDelay, MaxAttempts: cfg.MaxAttempts},
			Concurrency: cfg.Concurrency, Timeout: cfg.Timeout, Poll: cfg.Poll,
		},
	}, nil
}

// Mount adds the service's handlers to mux.
func (a *App) Mount(mux *http.ServeMux, opts ...connect.HandlerOption) {
	mux.Handle(webhookv1connect.NewWebhookServiceHandler(a.h, opts...))
	mux.Handle(internalv1connect.NewEventServiceHandler(a.h, opts...))
}

// Run delivers events until ctx ends, then waits for attempts under way.
// Any number of processes may run it on one database.
func (a *App) Run(ctx context.Context) { a.disp.Run(ctx) }
