// Package store persists webhook endpoints, published events, their
// deliveries and every delivery attempt (schema "webhook"), and is the
// webhook service's one chokepoint for database errors. Secrets arrive
// here already sealed.
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
	"github.com/transcodely/transcodely/services/webhook/internal/store/dbgen"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the Postgres schema this service owns.
const Schema = "webhook"

// DeliveryChannel is notified whenever deliveries become due at once.
const DeliveryChannel = "webhook_delivery"

// Migrations are the webhook schema's goose migrations.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err)
	}
	return sub
}

// ErrNotFound is returned when a row does not exist for the caller.
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
// "no rows" becomes ErrNotFound, database errors are wrapped for the log
// (and masked as internal at the RPC edge).
func Translate(err error) error {
	switch {
	case err == nil:
		return nil
	case pgdb.IsNotFound(err):
		return ErrNotFound
	}
	var pgErr interface{ SQLState() string }
	if errors.As(err, &pgErr) {
		return fmt.Errorf("webhook store: %w", err)
	}
	return err
}
