// Package webhookapp assembles the webhook service. The contract
// (WebhookService) is served but not built yet: every method answers
// unimplemented until signed delivery lands.
package webhookapp

import (
	"context"
	"net/http"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/gen/go/transcodely/v1/webhookv1/webhookv1connect"
	"github.com/transcodely/transcodely/pkg/migrate"
	"github.com/transcodely/transcodely/services/webhook/internal/store"
)

// Config is the webhook service's own configuration.
type Config struct{}

// Services are the fully-qualified names the webhook service serves.
var Services = []string{webhookv1connect.WebhookServiceName}

// Migrate brings the webhook schema up to date.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	return migrate.Run(ctx, pool, store.Schema, store.Migrations())
}

// App is the assembled webhook service.
type App struct{}

// New assembles the service.
func New(*pgxpool.Pool, Config) *App { return &App{} }

// Mount adds the service's handlers to mux.
func (a *App) Mount(mux *http.ServeMux, opts ...connect.HandlerOption) {
	mux.Handle(webhookv1connect.NewWebhookServiceHandler(webhookv1connect.UnimplementedWebhookServiceHandler{}, opts...))
}
