// Package presetapp assembles the preset service: reusable encoding
// configurations per app, the read-only system presets its migrations
// seed, and the internal resolver the job service uses to turn a preset
// reference into settings. It is the only package of the preset service
// other code imports.
package presetapp

import (
	"context"
	"net/http"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/presetv1/presetv1connect"
	"github.com/transcodely/transcodely/pkg/migrate"
	"github.com/transcodely/transcodely/services/preset/internal/handler"
	"github.com/transcodely/transcodely/services/preset/internal/store"
)

// Config is the preset service's own configuration; it has none yet beyond
// what every service shares.
type Config struct{}

// Services are the fully-qualified names the preset service serves.
var Services = []string{presetv1connect.PresetServiceName, internalv1connect.PresetResolverServiceName}

// Migrate brings the preset schema (and the system presets) up to date.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	return migrate.Run(ctx, pool, store.Schema, store.Migrations())
}

// App is the assembled preset service.
type App struct {
	h *handler.Presets
}

// New assembles the service on a migrated database.
func New(pool *pgxpool.Pool, _ Config) *App {
	return &App{h: &handler.Presets{Store: store.New(pool)}}
}

// Mount adds the service's handlers to mux.
func (a *App) Mount(mux *http.ServeMux, opts ...connect.HandlerOption) {
	mux.Handle(presetv1connect.NewPresetServiceHandler(a.h, opts...))
	mux.Handle(internalv1connect.NewPresetResolverServiceHandler(a.h, opts...))
}

// Ping checks the database for health probes.
func (a *App) Ping(ctx context.Context) error { return a.h.Ping(ctx) }
