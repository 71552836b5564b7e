// Package store persists the account schema: organizations, users,
// memberships, apps and API keys. It is the one place that turns database
// errors into domain errors for the account service.
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

func tsPtr(t pgtype.Timestamptz) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

// translate is the store's error chokepoint.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case pgdb.IsNotFound(err):
		return ErrNotFound
	}
	return fmt.Errorf("account store: %w", err)
}
