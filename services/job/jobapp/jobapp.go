// Package jobapp assembles the job service: JobService for users, the
// internal TaskService that encoder workers pull work from, and the relay
// that hands the job outbox's webhook events to the webhook service.
package jobapp

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"time"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1/jobv1connect"
	"github.com/transcodely/transcodely/pkg/blob/blobs3"
	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/pkg/migrate"
	"github.com/transcodely/transcodely/pkg/netguard"
	"github.com/transcodely/transcodely/services/job/internal/engine"
	"github.com/transcodely/transcodely/services/job/internal/handler"
	"github.com/transcodely/transcodely/services/job/internal/relay"
	"github.com/transcodely/transcodely/services/job/internal/scratch"
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
	// TaskSeconds is the length of source timeline one segment task
	// encodes: shorter spreads a job over more encoders, longer saves
	// per-task overhead.
	TaskSeconds float64 `env:"TRANSCODELY_SEGMENT_TASK_SECONDS" default:"60"`
	// ScratchDir holds encoded segments between tasks when no scratch
	// bucket is configured; the job service serves it to encoders under
	// /scratch/ with signed URLs. One job replica only: with several,
	// configure a scratch bucket. Default: <temp dir>/transcodely-scratch.
	ScratchDir string `env:"TRANSCODELY_JOB_SCRATCH_DIR"`
	// Scratch bucket (S3-compatible); when ScratchBucket is set it is used
	// instead of ScratchDir.
	ScratchBucket    string        `env:"TRANSCODELY_SCRATCH_S3_BUCKET"`
	ScratchEndpoint  string        `env:"TRANSCODELY_SCRATCH_S3_ENDPOINT"`
	ScratchRegion    string        `env:"TRANSCODELY_SCRATCH_S3_REGION" default:"us-east-1"`
	ScratchAccessKey string        `env:"TRANSCODELY_SCRATCH_S3_ACCESS_KEY_ID"`
	ScratchSecretKey config.Secret `env:"TRANSCODELY_SCRATCH_S3_SECRET_ACCESS_KEY" secret:"true"`
	// ScratchSweep is how often scratch of ended jobs is looked for when
	// no job ending woke the sweeper.
	ScratchSweep time.Duration `env:"TRANSCODELY_SCRATCH_SWEEP" default:"1m"`
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
	jobs    *handler.Jobs
	tasks   *handler.Tasks
	hub     *watch.Hub
	relay   *relay.Relay
	store   *store.Store
	engine  *engine.Engine
	scratch *scratch.Local // nil with a scratch bucket
	sweep   time.Duration
	ended   chan struct{}
}

// New assembles the service.
func New(pool *pgxpool.Pool, cfg Config, clients Clients, logger *slog.Logger) (*App, error) {
	st := store.New(pool)
	policy := netguard.Policy{Allow: cfg.AllowNetworks}
	ended := make(chan struct{}, 1)
	eng := &engine.Engine{
		Store: st, Logger: logger, LeaseDuration: cfg.LeaseDuration, MaxAttempts: cfg.MaxAttempts, URLTTL: cfg.URLTTL,
		Storage:     &storage.Origins{Client: clients.Origins, Policy: policy, TTL: cfg.URLTTL},
		TaskSeconds: cfg.TaskSeconds, Finished: ended,
	}
	a := &App{engine: eng, store: st, sweep: cfg.ScratchSweep, ended: ended}
	if cfg.ScratchBucket != "" {
		b, err := blobs3.New(blobs3.Config{Endpoint: cfg.ScratchEndpoint, Region: cfg.ScratchRegion, Bucket: cfg.ScratchBucket,
			AccessKeyID: cfg.ScratchAccessKey, SecretAccessKey: cfg.ScratchSecretKey.Reveal(), HTTPClient: policy.HTTPClient(30 * time.Second)})
		if err != nil {
			return nil, fmt.Errorf("scratch bucket: %w", err)
		}
		eng.Scratch = scratch.NewS3(b)
	} else {
		dir := cfg.ScratchDir
		if dir == "" {
			dir = filepath.Join(os.TempDir(), "transcodely-scratch")
		}
		secret, err := scratch.LoadOrCreateSecret(dir)
		if err != nil {
			return nil, err
		}
		if a.scratch, err = scratch.NewLocal(dir, secret); err != nil {
			return nil, err
		}
		a.scratch.Logger = logger
		eng.Scratch = a.scratch
	}
	hub := &watch.Hub{Pool: pool, Channel: store.NotifyChannel, Logger: logger}
	a.jobs = &handler.Jobs{Engine: eng, Origins: clients.Origins, Presets: clients.Presets, Policy: policy, Hub: hub}
	a.tasks = &handler.Tasks{Engine: eng, Poll: cfg.LeasePoll}
	a.hub = hub
	a.relay = &relay.Relay{Store: st, Events: clients.Events, Logger: logger, Poll: cfg.OutboxPoll}
	return a, nil
}

// Mount adds the service's handlers to mux.
func (a *App) Mount(mux *http.ServeMux, opts ...connect.HandlerOption) {
	mux.Handle(jobv1connect.NewJobServiceHandler(a.jobs, opts...))
	mux.Handle(internalv1connect.NewTaskServiceHandler(a.tasks, opts...))
	if a.scratch != nil {
		// Signed URLs are the only credential here, as with a bucket's
		// presigned URLs.
		mux.Handle("/scratch/", a.scratch.Handler())
	}
}

// Run runs the background work (the Watch notification listener, the
// event relay and the scratch sweeper) until ctx ends.
func (a *App) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a.relay.Run(ctx) }()
	go func() { defer wg.Done(); a.engine.SweepScratch(ctx, a.sweep, a.ended) }()
	a.hub.Run(ctx)
	wg.Wait()
}

// Ping checks the database and the task queue table for health probes.
func (a *App) Ping(ctx context.Context) error {
	_, err := a.store.Pool.Exec(ctx, "SELECT 1 FROM job.tasks LIMIT 1")
	return err
}
