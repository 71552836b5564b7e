// Package pgdbtest gives every test its own freshly migrated PostgreSQL
// database in milliseconds.
//
// Migrating a database per test is slow, and sharing one database between
// parallel tests makes them depend on each other. Instead, a test binary
// migrates a template database once (NewTemplate), and every test clones it
// with CREATE DATABASE ... TEMPLATE (Template.NewDatabase), which copies
// files rather than replaying migrations. This is the pattern used by
// google/exposure-notifications-server.
//
// go test ./... runs many test binaries at once against the same server, so
// every database name carries a random per-process key. The process also
// holds a session advisory lock on that key for its whole life; databases
// whose key is no longer locked belong to a process that died (or exited
// without cleaning up) and are dropped by the next NewTemplate call, which
// keeps the server from filling up with leftovers even though Go has no
// reliable at-exit hook. Call Cleanup from TestMain to drop the process's
// templates eagerly.
//
// The server is taken from TRANSCODELY_TEST_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable); its role
// needs CREATEDB. A server that cannot be reached fails the test: silently
// skipped database tests are how regressions ship.
package pgdbtest

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/pkg/pgdb"
)

// EnvDatabaseURL names the variable holding the server's base URL.
const EnvDatabaseURL = "TRANSCODELY_TEST_DATABASE_URL"

// DefaultDatabaseURL is used when EnvDatabaseURL is unset: the local
// development server with trust auth.
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// namePrefix marks databases created by this package so the orphan sweep
// never touches anything else.
const namePrefix = "tcpgt_"

// setupTimeout bounds server round trips made while creating templates and
// databases; a hung server should fail the test, not the whole binary's
// -timeout.
const setupTimeout = 2 * time.Minute

// Migrator brings the database at databaseURL up to the current schema. It
// must close every connection it opened before returning: PostgreSQL refuses
// to clone a template that has other sessions.
type Migrator func(ctx context.Context, databaseURL string) error

// Template is a migrated database that tests clone. It is safe for
// concurrent use by parallel tests.
type Template struct {
	name    string // database name on the server
	baseURL *url.URL
	err     error // sticky setup error, reported to every caller
	counter atomic.Uint64
}

var (
	templateSeq atomic.Uint64
	templatesMu sync.Mutex
	templates   = map[string]*templateOnce{}
)

type templateOnce struct {
	once sync.Once
	tmpl *Template
}

// NewTemplate returns the template called name, creating and migrating it
// the first time this test binary asks for it. Later calls with the same
// name return the same template and ignore migrate, so every test of a
// package can call it directly instead of coordinating through TestMain.
// Setup errors fail every test that asks, not just the first.
func NewTemplate(tb testing.TB, name string, migrate Migrator) *Template {
	tb.Helper()

	templatesMu.Lock()
	entry, ok := templates[name]
	if !ok {
		entry = &templateOnce{}
		templates[name] = entry
	}
	templatesMu.Unlock()

	entry.once.Do(func() {
		entry.tmpl = createTemplate(name, migrate)
	})
	if entry.tmpl.err != nil {
		tb.Fatalf("pgdbtest: template %q: %v", name, entry.tmpl.err)
	}
	return entry.tmpl
}

// Name returns the template's database name, for diagnostics.
func (t *Template) Name() string { return t.name }

// NewDatabase clones the template into a new database, drops it (forcibly,
// even if the test leaked connections) when the test ends, and returns its
// URL.
func (t *Template) NewDatabase(tb testing.TB) string {
	tb.Helper()
	if t.err != nil {
		tb.Fatalf("pgdbtest: template %q: %v", t.name, t.err)
	}

	name := fmt.Sprintf("%sd%s_%d", namePrefix, proc.key, t.counter.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()

	if err := adminExec(ctx, t.baseURL,
		"CREATE DATABASE "+quote(name)+" TEMPLATE "+quote(t.name)); err != nil {
		tb.Fatalf("pgdbtest: clone template %q: %v", t.name, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		if err := dropDatabase(ctx, t.baseURL, name); err != nil {
			tb.Errorf("pgdbtest: drop database %q: %v", name, err)
		}
	})
	return databaseURL(t.baseURL, name)
}

// NewPool is NewDatabase plus a pgdb pool on it, closed when the test ends
// (before the database is dropped).
func (t *Template) NewPool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	dbURL := t.NewDatabase(tb)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	pool, err := pgdb.Open(ctx, dbURL, pgdb.WithMaxConns(8))
	if err != nil {
		tb.Fatalf("pgdbtest: open pool: %v", err)
	}
	// Registered after NewDatabase's drop, so it runs first.
	tb.Cleanup(pool.Close)
	return pool
}

// Cleanup drops every template this process created. It is optional (the
// next run's sweep removes leftovers) and meant for TestMain after m.Run;
// templates must not be used afterwards.
func Cleanup() error {
	templatesMu.Lock()
	defer templatesMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	var errs []error
	for name, entry := range templates {
		if entry.tmpl == nil || entry.tmpl.err != nil {
			continue
		}
		if err := dropDatabase(ctx, entry.tmpl.baseURL, entry.tmpl.name); err != nil {
			errs = append(errs, err)
		}
		delete(templates, name)
	}
	return errors.Join(errs...)
}

func createTemplate(name string, migrate Migrator) *Template {
	t := &Template{}
	base, err := baseURL()
	if err != nil {
		t.err = err
		return t
	}
	t.baseURL = base

	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	if err := proc.init(ctx, base); err != nil {
		t.err = err
		return t
	}

	// The sequence number keeps names that sanitize alike ("a-b", "a_b")
	// apart.
	t.name = fmt.Sprintf("%st%s_%d_%s", namePrefix, proc.key, templateSeq.Add(1), sanitize(name))
	if err := adminExec(ctx, base, "CREATE DATABASE "+quote(t.name)); err != nil {
		t.err = fmt.Errorf("create: %w", err)
		return t
	}
	if err := migrate(ctx, databaseURL(base, t.name)); err != nil {
		t.err = fmt.Errorf("migrate: %w", err)
		// Nobody can use a half-migrated template; don't leave it
		// around until the next sweep.
		_ = dropDatabase(ctx, base, t.name)
		return t
	}
	// Connections that a Migrator closed may still be terminating server
	// side, and a careless Migrator may have leaked some. Forbid new ones
	// and end the rest so every clone succeeds; ALLOW_CONNECTIONS false also
	// stops tests from accidentally writing into the template.
	if err := adminExec(ctx, base,
		"ALTER DATABASE "+quote(t.name)+" WITH ALLOW_CONNECTIONS false"); err != nil {
		t.err = fmt.Errorf("seal: %w", err)
		return t
	}
	if err := adminExec(ctx, base,
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
		t.name); err != nil {
		t.err = fmt.Errorf("disconnect sessions: %w", err)
		return t
	}
	return t
}

// process holds this test binary's identity on the server.
type process struct {
	mu   sync.Mutex
	done bool
	key  string // 16 hex digits embedded in database names
	id   int64  // same bits, as the advisory lock key
	conn *pgx.Conn
}

var proc = &process{}

// init takes this process's liveness lock and sweeps orphans once. The
// connection is intentionally never closed: the lock must live exactly as
// long as the process, and the server releases it when the socket closes at
// exit, however the process ends.
func (p *process) init(ctx context.Context, base *url.URL) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return nil
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, base.String())
	if err != nil {
		return fmt.Errorf("connect to %s (set %s): %w", redacted(base), EnvDatabaseURL, err)
	}
	id := int64(binary.BigEndian.Uint64(b[:])) //nolint:gosec // Bits reinterpreted on purpose.
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", id); err != nil {
		_ = conn.Close(ctx)
		return fmt.Errorf("take liveness lock: %w", err)
	}
	p.key, p.id, p.conn, p.done = hex.EncodeToString(b[:]), id, conn, true

	// Sweep failures are not fatal: leftovers cost disk, not correctness.
	_ = p.sweepLocked(ctx, base)
	return nil
}

// SweepOrphans drops databases left behind by test processes that are no
// longer running. NewTemplate already does this once per process; it is
// exported for cleanup tooling and tests.
func SweepOrphans(ctx context.Context) error {
	base, err := baseURL()
	if err != nil {
		return err
	}
	if err := proc.init(ctx, base); err != nil {
		return err
	}
	proc.mu.Lock()
	defer proc.mu.Unlock()
	return proc.sweepLocked(ctx, base)
}

// BaseURL returns the server URL tests run against (EnvDatabaseURL or
// DefaultDatabaseURL), for tests that need an administrative connection.
func BaseURL() string {
	if raw := os.Getenv(EnvDatabaseURL); raw != "" {
		return raw
	}
	return DefaultDatabaseURL
}

var ownedName = regexp.MustCompile(`^` + namePrefix + `[td]([0-9a-f]{16})_`)

// sweepLocked drops databases created by processes that no longer hold
// their liveness lock. Taking the dead owner's lock while dropping also stops
// two sweeping processes from fighting over the same database. p.mu must be
// held: p.conn is not safe for concurrent use.
func (p *process) sweepLocked(ctx context.Context, base *url.URL) error {
	rows, err := p.conn.Query(ctx,
		"SELECT datname FROM pg_database WHERE datname LIKE $1", namePrefix+"%")
	if err != nil {
		return err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	byOwner := map[string][]string{}
	for _, n := range names {
		if m := ownedName.FindStringSubmatch(n); m != nil && m[1] != p.key {
			byOwner[m[1]] = append(byOwner[m[1]], n)
		}
	}
	var errs []error
	for key, dbs := range byOwner {
		raw, err := hex.DecodeString(key)
		if err != nil {
			continue
		}
		id := int64(binary.BigEndian.Uint64(raw)) //nolint:gosec // Bits reinterpreted on purpose.
		var free bool
		if err := p.conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", id).Scan(&free); err != nil {
			return err
		}
		if !free {
			continue // Owner is alive.
		}
		for _, db := range dbs {
			if err := dropDatabase(ctx, base, db); err != nil {
				errs = append(errs, err)
			}
		}
		if _, err := p.conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", id); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func dropDatabase(ctx context.Context, base *url.URL, name string) error {
	return adminExec(ctx, base, "DROP DATABASE IF EXISTS "+quote(name)+" WITH (FORCE)")
}

// adminExec runs one statement on a short-lived connection to the base
// database. CREATE/DROP DATABASE cannot run inside a transaction block, and
// a fresh connection keeps sessions off the templates.
func adminExec(ctx context.Context, base *url.URL, sql string, args ...any) error {
	conn, err := pgx.Connect(ctx, base.String())
	if err != nil {
		return fmt.Errorf("connect to %s (set %s): %w", redacted(base), EnvDatabaseURL, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, sql, args...)
	return err
}

func baseURL() (*url.URL, error) {
	u, err := url.Parse(BaseURL())
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("%s must be a postgres:// URL", EnvDatabaseURL)
	}
	return u, nil
}

func databaseURL(base *url.URL, name string) string {
	u := *base
	u.Path = "/" + name
	u.RawPath = ""
	return u.String()
}

func redacted(u *url.URL) string { return u.Redacted() }

func quote(name string) string { return pgx.Identifier{name}.Sanitize() }

var unsafeChars = regexp.MustCompile(`[^a-z0-9_]+`)

// sanitize turns a template name into a short identifier fragment; the
// random key, not this fragment, is what makes names unique.
func sanitize(name string) string {
	s := unsafeChars.ReplaceAllString(strings.ToLower(name), "_")
	// 63-byte identifier limit minus prefix, kind, key, sequence number
	// (up to 4 digits) and separators.
	const maxLen = 63 - len(namePrefix) - 1 - 16 - 1 - 4 - 1
	if len(s) > maxLen {
		s = s[:maxLen]
	}
	if s == "" {
		s = "x"
	}
	return s
}
