// Package accountapp assembles the account service: organizations, apps, API
// keys, users, and the internal key verification every other service uses.
// It is the only package of the account service other code imports.
package accountapp

import (
	"context"
	"net/http"
	"time"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/apikeyv1/apikeyv1connect"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/appv1/appv1connect"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/organizationv1/organizationv1connect"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/userv1/userv1connect"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/pkg/migrate"
	"github.com/transcodely/transcodely/services/account/internal/bootstrap"
	"github.com/transcodely/transcodely/services/account/internal/handler"
	"github.com/transcodely/transcodely/services/account/internal/keys"
	"github.com/transcodely/transcodely/services/account/internal/store"
)

// Config is the account service's own configuration.
type Config struct {
	// KeyPepper is the server-side secret mixed into API key hashes. Changing
	// it invalidates every key.
	KeyPepper config.Secret `env:"TRANSCODELY_KEY_PEPPER" required:"true" secret:"true"`
}

// Services are the fully-qualified names the account service serves.
var Services = []string{
	organizationv1connect.OrganizationServiceName,
	appv1connect.AppServiceName,
	apikeyv1connect.APIKeyServiceName,
	userv1connect.UserServiceName,
	internalv1connect.KeyServiceName,
}

// Migrate brings the account schema up to date.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	return migrate.Run(ctx, pool, store.Schema, store.Migrations())
}

// App is the assembled account service.
type App struct {
	store    *store.Store
	pepper   []byte
	verifier *keys.Verifier
}

// New assembles the service on a migrated database.
func New(pool *pgxpool.Pool, cfg Config) *App {
	s := store.New(pool)
	pepper := []byte(cfg.KeyPepper.Reveal())
	return &App{store: s, pepper: pepper, verifier: &keys.Verifier{Store: s, Pepper: pepper}}
}

// Verifier authenticates API keys directly against the database; the
// account service uses it for its own handlers and serves it to the others.
func (a *App) Verifier() auth.Verifier { return a.verifier }

// Mount adds the service's handlers to mux. opts must carry
// rpcwire.HandlerOptions: the handlers rely on its authentication and
// permission table having run.
func (a *App) Mount(mux *http.ServeMux, opts ...connect.HandlerOption) {
	mux.Handle(internalv1connect.NewKeyServiceHandler(&handler.KeyService{Verifier: a.verifier}, opts...))
	mux.Handle(organizationv1connect.NewOrganizationServiceHandler(&handler.Organizations{Store: a.store}, opts...))
	mux.Handle(appv1connect.NewAppServiceHandler(&handler.Apps{Store: a.store}, opts...))
	mux.Handle(apikeyv1connect.NewAPIKeyServiceHandler(&handler.APIKeys{Store: a.store, Pepper: a.pepper}, opts...))
	mux.Handle(userv1connect.NewUserServiceHandler(&handler.Users{Store: a.store}, opts...))
}

// BootstrapRequest says what the bootstrap command creates.
type BootstrapRequest = bootstrap.Request

// BootstrapResult says what exists after it.
type BootstrapResult = bootstrap.Result

// Bootstrap creates the first user, organization, app and key if missing,
// and a session token for the user.
func (a *App) Bootstrap(ctx context.Context, req BootstrapRequest) (BootstrapResult, error) {
	return bootstrap.Run(ctx, a.store, a.pepper, req)
}

// InviteRequest says whom to add to which organization.
type InviteRequest = bootstrap.InviteRequest

// InviteResult says what exists after an invitation.
type InviteResult = bootstrap.InviteResult

// Invite creates a user if needed, makes them a member of an organization
// with a role (an existing membership keeps its role) and issues them a
// session token.
func (a *App) Invite(ctx context.Context, req InviteRequest) (InviteResult, error) {
	return bootstrap.Invite(ctx, a.store, a.pepper, req)
}

// IssueSessionToken mints a session token for an existing user.
func (a *App) IssueSessionToken(ctx context.Context, email string, ttl time.Duration) (userID, token string, err error) {
	return bootstrap.IssueSessionToken(ctx, a.store, a.pepper, email, ttl, "user-token")
}

// RevokeSessions revokes every session token of a user; it returns how
// many were revoked.
func (a *App) RevokeSessions(ctx context.Context, email string) (int64, error) {
	return bootstrap.RevokeSessions(ctx, a.store, email)
}

// SetOrganizationStatus suspends ("suspended") or reinstates ("active") an
// organization given by id or slug, and returns its id.
func (a *App) SetOrganizationStatus(ctx context.Context, organization, status string) (string, error) {
	return bootstrap.SetOrganizationStatus(ctx, a.store, organization, status)
}
