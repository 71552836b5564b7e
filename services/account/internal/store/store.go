// Package store persists the account schema: organizations, users,
// memberships, apps, API keys and user sessions. It is the one place that
// turns database errors into domain errors for the account service
// (Translate).
package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/services/account/internal/store/dbgen"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations are the account schema's goose migrations.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder
	}
	return sub
}

// Schema is the Postgres schema this service owns.
const Schema = "account"

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a unique constraint refuses a write; the
// constraint name is in the wrapping message.
var ErrConflict = errors.New("already exists")

// Store wraps the generated queries.
type Store struct {
	pool *pgxpool.Pool
	q    *dbgen.Queries
}

// New returns a Store on pool.
func New(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, q: dbgen.New(pool)}
}

// Queries exposes the generated queries for read paths.
func (s *Store) Queries() *dbgen.Queries { return s.q }

// InTx runs fn in a transaction with queries bound to it.
func (s *Store) InTx(ctx context.Context, fn func(q *dbgen.Queries) error) error {
	return pgdb.WithTx(ctx, s.pool, func(tx pgx.Tx) error { return fn(s.q.WithTx(tx)) })
}

// KeyRecord is what verification needs to know about a key.
type KeyRecord struct {
	ID, AppID, OrganizationID, Environment string
	Scopes                                 []string
	ExpiresAt, RevokedAt                   *time.Time
	AppStatus, OrganizationStatus          string
}

// KeyByHash finds a key by the hash of its secret.
func (s *Store) KeyByHash(ctx context.Context, hash string) (KeyRecord, error) {
	r, err := s.q.GetKeyForVerify(ctx, hash)
	if err != nil {
		return KeyRecord{}, translate(err)
	}
	return KeyRecord{
		ID: r.ID, AppID: r.AppID, OrganizationID: r.OrganizationID, Environment: r.Environment,
		Scopes: r.Scopes, ExpiresAt: tsPtr(r.ExpiresAt), RevokedAt: tsPtr(r.RevokedAt),
		AppStatus: r.AppStatus, OrganizationStatus: r.OrganizationStatus,
	}, nil
}

// TouchKey records that a key was used (at most once a minute).
func (s *Store) TouchKey(ctx context.Context, id string) error {
	return translate(s.q.TouchKeyLastUsed(ctx, id))
}

// SessionRecord is what verification needs to know about a session.
type SessionRecord struct {
	ID, UserID           string
	ExpiresAt, RevokedAt *time.Time
}

// SessionByHash finds a user session by the hash of its token.
func (s *Store) SessionByHash(ctx context.Context, hash string) (SessionRecord, error) {
	r, err := s.q.GetSessionForVerify(ctx, hash)
	if err != nil {
		return SessionRecord{}, translate(err)
	}
	return SessionRecord{ID: r.ID, UserID: r.UserID, ExpiresAt: tsPtr(r.ExpiresAt), RevokedAt: tsPtr(r.RevokedAt)}, nil
}

// MemberRole returns a user's role in an organization and the
// organization's status; ErrNotFound when the user is not a member.
func (s *Store) MemberRole(ctx context.Context, userID, organizationID string) (role, organizationStatus string, err error) {
	r, err := s.q.GetMemberRole(ctx, dbgen.GetMemberRoleParams{UserID: userID, OrganizationID: organizationID})
	if err != nil {
		return "", "", translate(err)
	}
	return r.Role, r.OrganizationStatus, nil
}

// AppStatus returns the status of an app of the organization; ErrNotFound
// when the organization has no such app.
func (s *Store) AppStatus(ctx context.Context, appID, organizationID string) (string, error) {
	st, err := s.q.GetAppStatus(ctx, dbgen.GetAppStatusParams{ID: appID, OrganizationID: organizationID})
	return st, translate(err)
}

// TouchSession records that a session was used (at most once a minute).
func (s *Store) TouchSession(ctx context.Context, id string) error {
	return translate(s.q.TouchSessionLastUsed(ctx, id))
}

func tsPtr(t pgtype.Timestamptz) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

// Translate is the store's error chokepoint: "no rows" becomes ErrNotFound,
// a unique violation ErrConflict, anything else an internal error.
func Translate(err error) error { return translate(err) }

func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrConflict):
		return err
	case pgdb.IsNotFound(err):
		return ErrNotFound
	}
	if c, ok := pgdb.IsUniqueViolation(err); ok {
		return fmt.Errorf("%w (%s)", ErrConflict, c)
	}
	return fmt.Errorf("account store: %w", err)
}
