// Package store persists origins (schema "origin"). Credentials arrive here
// already sealed; this package never sees them in the clear.
package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/services/origin/internal/store/dbgen"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations are the origin schema's goose migrations.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err)
	}
	return sub
}

// Schema is the Postgres schema this service owns.
const Schema = "origin"

// ErrNotFound is returned when an origin does not exist for the caller.
var ErrNotFound = errors.New("origin not found")

// Store wraps the generated queries.
type Store struct {
	*dbgen.Queries
	pool *pgxpool.Pool
}

// New returns a Store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{Queries: dbgen.New(pool), pool: pool} }

// Translate is the store's error chokepoint.
func Translate(err error) error {
	switch {
	case err == nil:
		return nil
	case pgdb.IsNotFound(err):
		return ErrNotFound
	}
	return fmt.Errorf("origin store: %w", err)
}

// InTx runs fn on queries inside one transaction, committed if fn returns
// nil and rolled back otherwise.
func (s *Store) InTx(ctx context.Context, fn func(q *dbgen.Queries) error) error {
	return pgdb.WithTx(ctx, s.pool, func(tx pgx.Tx) error { return fn(s.WithTx(tx)) })
}

// Ping checks the database for health probes.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }
