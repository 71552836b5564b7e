// Package migrate applies the goose SQL migrations a service embeds to that
// service's own PostgreSQL schema.
//
// Every service owns one schema (account, origin, preset, job, webhook) in a
// shared database. Run creates the schema if needed, keeps goose's version
// table inside it (<schema>.goose_db_version) so services never see each
// other's migration history, and serialises concurrent runs with a
// PostgreSQL advisory lock keyed by the schema name, so several replicas
// starting at once migrate exactly once and the others wait, then find
// nothing to do.
//
// Migration files are plain goose SQL files at the root of the fs.FS (use
// fs.Sub for an embedded sub-directory) and must schema-qualify their
// objects (CREATE TABLE job.jobs ...): the search_path is not changed, so
// unqualified names would land in public.
package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"path"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
)

// VersionTable is the goose version table name inside each service schema.
const VersionTable = goose.DefaultTablename

// schemaName is deliberately stricter than PostgreSQL identifiers: the name
// ends up in goose's table name, which goose splices into SQL unquoted.
var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

type options struct {
	logger *slog.Logger
}

// Option customises a migration run.
type Option func(*options)

// WithLogger sets where applied migrations are reported. The default is
// slog.Default().
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// Run applies fsys's pending migrations to schema using a short-lived
// connection set built from pool's configuration.
//
// It deliberately does not borrow connections from pool: the advisory lock
// is session-level, and closing a dedicated *sql.DB guarantees the session,
// and with it the lock, ends whatever happens. It also keeps long DDL from
// occupying connections the service's requests need.
func Run(ctx context.Context, pool *pgxpool.Pool, schema string, fsys fs.FS, opts ...Option) error {
	if pool == nil {
		return errors.New("migrate: pool must not be nil")
	}
	db := stdlib.OpenDB(*pool.Config().ConnConfig)
	defer db.Close()
	return RunDB(ctx, db, schema, fsys, opts...)
}

// RunURL is Run for callers that have a database URL rather than a pool,
// such as pgdbtest migrators and one-off migration commands.
func RunURL(ctx context.Context, url, schema string, fsys fs.FS, opts ...Option) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		// Not wrapped: the parse error may echo the password.
		return errors.New("migrate: invalid database URL")
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	return RunDB(ctx, db, schema, fsys, opts...)
}

// RunDB applies fsys's pending migrations to schema through db, which must
// be backed by a PostgreSQL driver (pgx's stdlib). The caller keeps
// ownership of db, which needs at least two connections: one holds the
// advisory lock while goose migrates on another.
func RunDB(ctx context.Context, db *sql.DB, schema string, fsys fs.FS, opts ...Option) (err error) {
	o := options{logger: slog.Default()}
	for _, opt := range opts {
		opt(&o)
	}
	if db == nil {
		return errors.New("migrate: db must not be nil")
	}
	if db.Stats().MaxOpenConnections == 1 {
		return errors.New("migrate: db must allow at least two connections (lock + migrations)")
	}
	if !schemaName.MatchString(schema) {
		return fmt.Errorf("migrate: invalid schema name %q (want lower-case letters, digits, underscores)", schema)
	}
	if fsys == nil {
		return fmt.Errorf("migrate: schema %s: no migrations filesystem", schema)
	}

	provider, err := goose.NewProvider(database.DialectPostgres, db, fsys,
		goose.WithTableName(schema+"."+VersionTable),
		// Go migrations registered globally (goose.AddMigration) would be
		// shared by every schema migrated from one binary; services only
		// ship SQL, so ignore the registry.
		goose.WithDisableGlobalRegistry(true),
		goose.WithSlog(o.logger.With("schema", schema)),
	)
	if err != nil {
		return fmt.Errorf("migrate: schema %s: load migrations: %w", schema, err)
	}

	// The lock is taken here rather than through goose's SessionLocker
	// because goose's Up first calls HasPending, which creates the version
	// table without any lock, and that fails while the schema does not
	// exist yet. Creating the schema and running goose entirely under our
	// own lock avoids both that and goose's polling lock loop.
	release, err := lock(ctx, db, schema)
	if err != nil {
		return fmt.Errorf("migrate: schema %s: %w", schema, err)
	}
	defer func() { err = errors.Join(err, release()) }()

	results, err := provider.Up(ctx)
	var partial *goose.PartialError
	if errors.As(err, &partial) {
		// goose returns no results on failure; the ones applied before
		// the failing file are only in the PartialError.
		results = partial.Applied
	}
	for _, r := range results {
		o.logger.InfoContext(ctx, "migration applied",
			"schema", schema,
			"version", r.Source.Version,
			"file", r.Source.Path,
			"duration", r.Duration,
		)
	}
	if partial != nil && partial.Failed != nil && partial.Failed.Source != nil {
		// goose names only the version; operators look for the file.
		return fmt.Errorf("migrate: schema %s: migration %s failed: %w",
			schema, path.Base(partial.Failed.Source.Path), partial.Err)
	}
	if err != nil {
		return fmt.Errorf("migrate: schema %s: %w", schema, err)
	}
	return nil
}

// LockID is the advisory lock key used for schema: a 64-bit FNV-1a hash of
// a namespaced string, so it cannot collide with goose's default lock id or
// with locks other code takes on plain schema names. Exposed for operators
// who need to find a stuck migration in pg_locks.
func LockID(schema string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("transcodely.migrate:" + schema))
	return int64(h.Sum64()) //nolint:gosec // Reinterpreting the bits is intended; Postgres keys are bigint.
}

// lock takes schema's advisory lock on a dedicated connection and, holding
// it, creates the schema. It blocks on pg_advisory_lock rather than polling
// pg_try_advisory_lock, so waiting replicas resume the moment the first one
// finishes; ctx cancellation still interrupts the wait because pgx cancels
// the running query.
func lock(ctx context.Context, db *sql.DB, schema string) (release func() error, err error) {
	id := LockID(schema)
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("get lock connection: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", id); err != nil {
		// A cancelled wait may leave the session in an unknown state.
		discard(conn)
		return nil, fmt.Errorf("acquire advisory lock %d: %w", id, err)
	}
	release = func() error {
		// Unlock even if ctx was cancelled: the lock must not outlive us.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		var released bool
		err := conn.QueryRowContext(ctx, "SELECT pg_advisory_unlock($1)", id).Scan(&released)
		if err != nil || !released {
			// The connection may go back to a caller-owned pool; one
			// that still holds the lock would block every later
			// migration, so close the session instead.
			discard(conn)
			if err == nil {
				err = errors.New("lock was not held")
			}
			return fmt.Errorf("release advisory lock %d: %w", id, err)
		}
		return conn.Close()
	}
	// CREATE SCHEMA IF NOT EXISTS is not safe against concurrent creators
	// (it can fail with a unique violation on pg_namespace), so it runs only
	// once the lock is held.
	if _, err := conn.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return nil, errors.Join(fmt.Errorf("create schema: %w", err), release())
	}
	return release, nil
}

// discard closes the physical connection under conn so database/sql drops it
// instead of reusing it (pgx's stdlib conn reports itself invalid once
// closed), which ends the PostgreSQL session and every lock it holds.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(dc any) error {
		if c, ok := dc.(interface{ Close() error }); ok {
			return c.Close()
		}
		return nil
	})
	_ = conn.Close()
}
