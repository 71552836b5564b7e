// Package store persists jobs, outputs, tasks, idempotency keys and the
// event outbox (schema "job") and is the job service's one chokepoint for
// database errors.
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
	"github.com/transcodely/transcodely/services/job/internal/store/dbgen"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations are the job schema's goose migrations.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err)
	}
	return sub
}

// Schema is the Postgres schema this service owns.
const Schema = "job"

// NotifyChannel carries the id of every job that changed.
const NotifyChannel = "job_changed"

// OutboxChannel is notified whenever an event is written to job.outbox.
const OutboxChannel = "job_outbox"

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("not found")

// Store wraps the generated queries.
type Store struct {
	*dbgen.Queries
	Pool *pgxpool.Pool
}

// New returns a Store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{Queries: dbgen.New(pool), Pool: pool} }

// InTx runs fn in one transaction.
func (s *Store) InTx(ctx context.Context, fn func(q *dbgen.Queries) error) error {
	return Translate(pgdb.WithTx(ctx, s.Pool, func(tx pgx.Tx) error { return fn(s.WithTx(tx)) }))
}

// Translate is the store's error chokepoint: domain errors pass through,
// "no rows" becomes ErrNotFound, anything else is wrapped for the log (and
// masked as internal at the RPC edge).
func Translate(err error) error {
	switch {
	case err == nil:
		return nil
	case pgdb.IsNotFound(err):
		return ErrNotFound
	}
	var pgErr interface{ SQLState() string }
	if errors.As(err, &pgErr) {
		return fmt.Errorf("job store: %w", err)
	}
	return err
}
