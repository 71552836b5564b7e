// Package jobapp assembles the job service: JobService for users, the
// internal TaskService that encoder workers pull work from, and the relay
// that hands the job outbox's webhook events to the webhook service.
package jobapp

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1/jobv1connect"
	"github.com/transcodely/transcodely/pkg/migrate"
	"github.com/transcodely/transcodely/pkg/netguard"
	"github.com/transcodely/transcodely/services/job/internal/engine"
	"github.com/transcodely/transcodely/services/job/internal/handler"
	"github.com/transcodely/transcodely/services/job/internal/relay"
	"github.com/transcodely/transcodely/services/job/internal/storage"
	"github.com/transcodely/transcodely/services/job/internal/store"
	"github.com/transcodely/transcodely/services/job/internal/watch"
)

// Config is the job service's own configuration.
type Config struct {
	// LeaseDuration is how long an encoder may go silent before its task is
	// handed to another; workers heartbeat well within it.
	LeaseDuration time.Duration `env:"TRANSCODELY_LEASE_DURATION" default:"30s"`
	// MaxAttempts caps how often one task is tried.
	MaxAttempts int32 `env:"TRANSCODELY_TASK_MAX_ATTEMPTS" default:"3"`
	// URLTTL is the lifetime of presigned URLs handed to encoders.
	URLTTL time.Duration `env:"TRANSCODELY_PRESIGN_TTL" default:"6h"`
	// LeasePoll is how often a waiting Lease call looks for work.
	LeasePoll time.Duration `env:"TRANSCODELY_LEASE_POLL" default:"250ms"`
	// AllowNetworks lists private networks source URLs and webhook URLs may
	// reach anyway (local development only).
	AllowNetworks []netip.Prefix `env:"TRANSCODELY_ALLOW_NETWORKS"`
	// OutboxPoll is how often the event relay reads the outbox when no
	// notification woke it (notifications are the fast path).
	OutboxPoll time.Duration `env:"TRANSCODELY_OUTBOX_POLL" default:"1s"`
}

// Services are the fully-qualified names the job service serves.
var Services = []string{jobv1connect.JobServiceName, internalv1connect.TaskServiceName}

// Migrate brings the job schema up to date.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	return migrate.Run(ctx, pool, store.Schema, store.Migrations())
}

// Clients are the other services the job service calls.
type Clients struct {
	Origins internalv1connect.CredentialServiceClient
	Presets internalv1connect.PresetResolverServiceClient
	// Events is the webhook service's EventService, where the relay
	// publishes outbox events.
	Events internalv1connect.EventServiceClient
}

// App is the assembled job service.
type App struct {
	jobs  *handler.Jobs
	tasks *handler.Tasks
	hub   *watch.Hub
	relay *relay.Relay
	store *store.Store
}

// New assembles the service.
func New(pool *pgxpool.Pool, cfg Config, clients Clients, logger *slog.Logger) *App {
	st := store.New(pool)
	policy := netguard.Policy{Allow: cfg.AllowNetworks}
	eng := &engine.Engine{
		Store: st, Logger: logger, LeaseDuration: cfg.LeaseDuration, MaxAttempts: cfg.MaxAttempts, URLTTL: cfg.URLTTL,
		Storage: &storage.Origins{Client: clients.Origins, Policy: policy, TTL: cfg.URLTTL},
	}
	hub := &watch.Hub{Pool: pool, Channel: store.NotifyChannel, Logger: logger}
	return &App{
		jobs:  &handler.Jobs{Engine: eng, Origins: clients.Origins, Presets: clients.Presets, Policy: policy, Hub: hub},
		tasks: &handler.Tasks{Engine: eng, Poll: cfg.LeasePoll},
		hub:   hub,
		relay: &relay.Relay{Store: st, Events: clients.Events, Logger: logger, Poll: cfg.OutboxPoll},
		store: st,
	}
}

// Mount adds the service's handlers to mux.
func (a *App) Mount(mux *http.ServeMux, opts ...connect.HandlerOption) {
	mux.Handle(jobv1connect.NewJobServiceHandler(a.jobs, opts...))
	mux.Handle(internalv1connect.NewTaskServiceHandler(a.tasks, opts...))
}

// Run runs the background work (the Watch notification listener and the
// event relay) until ctx ends.
func (a *App) Run(ctx context.Context) {
	done := make(chan struct{})
	go func() { defer close(done); a.relay.Run(ctx) }()
	a.hub.Run(ctx)
	<-done
}

// Ping checks the database and the task queue table for health probes.
func (a *App) Ping(ctx context.Context) error {
	_, err := a.store.Pool.Exec(ctx, "SELECT 1 FROM job.tasks LIMIT 1")
	return err
}
