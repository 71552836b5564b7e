// Package originapp assembles the origin service: storage origins with
// encrypted credentials, validated against the real store, and the internal
// credential resolution the job service uses.
package originapp

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1/originv1connect"
	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/pkg/keyring"
	"github.com/transcodely/transcodely/pkg/migrate"
	"github.com/transcodely/transcodely/pkg/netguard"
	"github.com/transcodely/transcodely/services/origin/internal/access"
	"github.com/transcodely/transcodely/services/origin/internal/handler"
	"github.com/transcodely/transcodely/services/origin/internal/store"
)

// Config is the origin service's own configuration.
type Config struct {
	// MasterKeys seal origin credentials: "id:base64key[,id:base64key...]",
	// the first one current (see pkg/keyring).
	MasterKeys config.Secret `env:"TRANSCODELY_MASTER_KEYS" required:"true" secret:"true"`
	// AllowNetworks lists private networks outbound connections may reach
	// anyway, e.g. 127.0.0.0/8 for a MinIO on the same machine. Empty in
	// production.
	AllowNetworks []netip.Prefix `env:"TRANSCODELY_ALLOW_NETWORKS"`
}

// Services are the fully-qualified names the origin service serves.
var Services = []string{originv1connect.OriginServiceName, internalv1connect.CredentialServiceName}

// Migrate brings the origin schema up to date.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	return migrate.Run(ctx, pool, store.Schema, store.Migrations())
}

// App is the assembled origin service.
type App struct {
	h *handler.Origins
}

// New assembles the service.
func New(pool *pgxpool.Pool, cfg Config) (*App, error) {
	ring, err := keyring.Parse(cfg.MasterKeys.Reveal())
	if err != nil {
		return nil, fmt.Errorf("TRANSCODELY_MASTER_KEYS: %w", err)
	}
	policy := netguard.Policy{Allow: cfg.AllowNetworks}
	return &App{h: &handler.Origins{
		Store: store.New(pool), Ring: ring, Policy: policy,
		Checker: &access.Checker{Policy: policy},
	}}, nil
}

// Mount adds the service's handlers to mux.
func (a *App) Mount(mux *http.ServeMux, opts ...connect.HandlerOption) {
	mux.Handle(originv1connect.NewOriginServiceHandler(a.h, opts...))
	mux.Handle(internalv1connect.NewCredentialServiceHandler(a.h, opts...))
}
