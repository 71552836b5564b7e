// Package store persists presets (schema "preset"): the apps' own presets
// and the read-only system presets its migrations seed. It is the one place
// that turns database errors into domain errors for the preset service.
package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/services/preset/internal/store/dbgen"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations are the preset schema's goose migrations.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder
	}
	return sub
}

// Schema is the Postgres schema this service owns.
const Schema = "preset"

var (
	// ErrNotFound is returned when a preset does not exist for the caller.
	ErrNotFound = errors.New("preset not found")
	// ErrSlugTaken is returned when a live preset of the same app and
	// environment already has the slug.
	ErrSlugTaken = errors.New("preset slug taken")
)

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
	if c, ok := pgdb.IsUniqueViolation(err); ok && c == "presets_slug_live_idx" {
		return ErrSlugTaken
	}
	return fmt.Errorf("preset store: %w", err)
}

// Ping checks the database for health probes.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }
