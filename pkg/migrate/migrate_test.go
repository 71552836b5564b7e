package migrate_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/pkg/migrate"
	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/pkg/pgdbtest"
)

// emptyTemplate gives each test an empty database; migrate is what is under
// test, so the template carries no migrations of its own.
func newPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	tmpl := pgdbtest.NewTemplate(t, "migrate-empty", func(context.Context, string) error { return nil })
	return tmpl.NewPool(t)
}

// quiet keeps the applied-migration log lines out of test output.
var quiet = migrate.WithLogger(slog.New(slog.DiscardHandler))

func jobMigrations() fstest.MapFS {
	return fstest.MapFS{
		"00001_jobs.sql": {Data: []byte(`-- +goose Up
CREATE TABLE job.jobs (id bigint PRIMARY KEY, name text NOT NULL);
-- +goose Down
DROP TABLE job.jobs;
`)},
		"00002_jobs_state.sql": {Data: []byte(`-- +goose Up
ALTER TABLE job.jobs ADD COLUMN state text NOT NULL DEFAULT 'queued';
-- +goose Down
ALTER TABLE job.jobs DROP COLUMN state;
`)},
		// Not a migration: goose must ignore it.
		"README.md": {Data: []byte("notes")},
	}
}

func exists(t *testing.T, pool *pgxpool.Pool, schema, table string) bool {
	t.Helper()
	var ok bool
	err := pool.QueryRow(t.Context(),
		"SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2)",
		schema, table).Scan(&ok)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func appliedVersions(t *testing.T, pool *pgxpool.Pool, schema string) []int64 {
	t.Helper()
	rows, err := pool.Query(t.Context(),
		"SELECT version_id FROM "+schema+".goose_db_version WHERE version_id > 0 ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRun(t *testing.T) {
	t.Parallel()

	t.Run("creates schema and keeps version table inside it", func(t *testing.T) {
		t.Parallel()
		pool := newPool(t)
		if err := migrate.Run(t.Context(), pool, "job", jobMigrations(), quiet); err != nil {
			t.Fatalf("Run: %v", err)
		}
		if !exists(t, pool, "job", "jobs") {
			t.Error("job.jobs missing")
		}
		if !exists(t, pool, "job", "goose_db_version") {
			t.Error("job.goose_db_version missing")
		}
		if exists(t, pool, "public", "goose_db_version") {
			t.Error("public.goose_db_version created")
		}
		if got := appliedVersions(t, pool, "job"); len(got) != 2 || got[0] != 1 || got[1] != 2 {
			t.Errorf("applied versions = %v, want [1 2]", got)
		}
		// The caller's pool is untouched and still usable.
		if _, err := pool.Exec(t.Context(), "INSERT INTO job.jobs (id, name) VALUES (1, 'x')"); err != nil {
			t.Errorf("pool after Run: %v", err)
		}
	})

	t.Run("second run is a no-op", func(t *testing.T) {
		t.Parallel()
		pool := newPool(t)
		for range 2 {
			if err := migrate.Run(t.Context(), pool, "job", jobMigrations(), quiet); err != nil {
				t.Fatalf("Run: %v", err)
			}
		}
		if got := appliedVersions(t, pool, "job"); len(got) != 2 {
			t.Errorf("applied versions = %v, want 2 entries", got)
		}
	})

	t.Run("new migrations are applied on a later run", func(t *testing.T) {
		t.Parallel()
		pool := newPool(t)
		fsys := jobMigrations()
		delete(fsys, "00002_jobs_state.sql")
		if err := migrate.Run(t.Context(), pool, "job", fsys, quiet); err != nil {
			t.Fatal(err)
		}
		if err := migrate.Run(t.Context(), pool, "job", jobMigrations(), quiet); err != nil {
			t.Fatal(err)
		}
		if got := appliedVersions(t, pool, "job"); len(got) != 2 {
			t.Errorf("applied versions = %v, want 2 entries", got)
		}
	})

	t.Run("schemas have independent histories", func(t *testing.T) {
		t.Parallel()
		pool := newPool(t)
		presets := fstest.MapFS{"00001_presets.sql": {Data: []byte(`-- +goose Up
CREATE TABLE preset.presets (id bigint PRIMARY KEY);
`)}}
		if err := migrate.Run(t.Context(), pool, "job", jobMigrations(), quiet); err != nil {
			t.Fatal(err)
		}
		// Version 1 is already applied in job; preset must still get its own.
		if err := migrate.Run(t.Context(), pool, "preset", presets, quiet); err != nil {
			t.Fatal(err)
		}
		if !exists(t, pool, "preset", "presets") {
			t.Error("preset.presets missing")
		}
		if got := appliedVersions(t, pool, "preset"); len(got) != 1 {
			t.Errorf("preset versions = %v, want [1]", got)
		}
	})

	t.Run("concurrent replicas migrate once", func(t *testing.T) {
		t.Parallel()
		pool := newPool(t)
		const replicas = 6
		var wg sync.WaitGroup
		errs := make([]error, replicas)
		for i := range replicas {
			wg.Go(func() {
				errs[i] = migrate.Run(t.Context(), pool, "job", jobMigrations(), quiet)
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("concurrent Run: %v", err)
		}
		if got := appliedVersions(t, pool, "job"); len(got) != 2 {
			t.Errorf("applied versions = %v, want exactly 2 entries", got)
		}
	})

	t.Run("waits for the advisory lock", func(t *testing.T) {
		t.Parallel()
		pool := newPool(t)
		conn, err := pool.Acquire(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		if _, err := conn.Exec(t.Context(), "SELECT pg_advisory_lock($1)", migrate.LockID("job")); err != nil {
			t.Fatal(err)
		}

		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		if err := migrate.Run(ctx, pool, "job", jobMigrations(), quiet); err == nil {
			t.Fatal("Run succeeded while another session held the lock")
		}
		if exists(t, pool, "job", "jobs") {
			t.Error("migrations ran without the lock")
		}

		if _, err := conn.Exec(t.Context(), "SELECT pg_advisory_unlock($1)", migrate.LockID("job")); err != nil {
			t.Fatal(err)
		}
		if err := migrate.Run(t.Context(), pool, "job", jobMigrations(), quiet); err != nil {
			t.Fatalf("Run after unlock: %v", err)
		}
	})

	t.Run("failed migration reports schema and releases lock", func(t *testing.T) {
		t.Parallel()
		pool := newPool(t)
		bad := jobMigrations()
		bad["00003_broken.sql"] = &fstest.MapFile{Data: []byte(`-- +goose Up
ALTER TABLE job.nope ADD COLUMN x int;
`)}
		err := migrate.Run(t.Context(), pool, "job", bad, quiet)
		if err == nil || !strings.Contains(err.Error(), "schema job") || !strings.Contains(err.Error(), "00003_broken.sql") {
			t.Fatalf("err = %v, want failure naming schema and file", err)
		}
		var held int
		if err := pool.QueryRow(t.Context(),
			"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
		).Scan(&held); err != nil {
			t.Fatal(err)
		}
		if held != 0 {
			t.Errorf("%d advisory locks still held after failure", held)
		}
		// The good migrations before the broken one stay applied.
		if got := appliedVersions(t, pool, "job"); len(got) != 2 {
			t.Errorf("applied versions = %v, want 2 entries", got)
		}
	})

	t.Run("rejects bad input", func(t *testing.T) {
		t.Parallel()
		pool := newPool(t)
		for _, schema := range []string{"", "Job", "job;drop", "job.jobs", "1job"} {
			if err := migrate.Run(t.Context(), pool, schema, jobMigrations(), quiet); err == nil {
				t.Errorf("schema %q accepted", schema)
			}
		}
		if err := migrate.Run(t.Context(), pool, "job", fstest.MapFS{}, quiet); err == nil {
			t.Error("empty migrations accepted")
		}
		if err := migrate.Run(t.Context(), nil, "job", jobMigrations(), quiet); err == nil {
			t.Error("nil pool accepted")
		}
	})
}

func TestRunURL(t *testing.T) {
	t.Parallel()
	tmpl := pgdbtest.NewTemplate(t, "migrate-empty", func(context.Context, string) error { return nil })

	t.Run("migrates the database at the URL", func(t *testing.T) {
		t.Parallel()
		url := tmpl.NewDatabase(t)
		if err := migrate.RunURL(t.Context(), url, "job", jobMigrations(), quiet); err != nil {
			t.Fatalf("RunURL: %v", err)
		}
		pool, err := pgdb.Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer pool.Close()
		if !exists(t, pool, "job", "jobs") {
			t.Error("job.jobs missing")
		}
	})

	t.Run("bad URL does not echo the password", func(t *testing.T) {
		t.Parallel()
		err := migrate.RunURL(t.Context(), "postgres://u:secret@h:x/db", "job", jobMigrations(), quiet)
		if err == nil || strings.Contains(err.Error(), "secret") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestLockID(t *testing.T) {
	t.Parallel()
	t.Run("stable and distinct per schema", func(t *testing.T) {
		t.Parallel()
		if migrate.LockID("job") != migrate.LockID("job") {
			t.Error("LockID not deterministic")
		}
		seen := map[int64]string{}
		for _, s := range []string{"account", "origin", "preset", "job", "webhook"} {
			id := migrate.LockID(s)
			if other, dup := seen[id]; dup {
				t.Errorf("LockID(%s) == LockID(%s)", s, other)
			}
			seen[id] = s
		}
	})
}
