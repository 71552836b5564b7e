package pgdb_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/pkg/pgdb"
)

func testURL() string {
	if u := os.Getenv("TRANSCODELY_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// newSchema opens a pool and gives the test a private schema (with a small
// table) that is dropped afterwards, so parallel tests never share rows.
func newSchema(t *testing.T) (*pgxpool.Pool, string) {
	t.Helper()
	pool, err := pgdb.Open(t.Context(), testURL(), pgdb.WithApplicationName("pgdb-test"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(pool.Close)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "pgdb_test_" + hex.EncodeToString(b)
	_, err = pool.Exec(t.Context(), fmt.Sprintf(`
		CREATE SCHEMA %[1]s;
		CREATE TABLE %[1]s.parents (id int PRIMARY KEY);
		CREATE TABLE %[1]s.items (
			id int PRIMARY KEY,
			name text NOT NULL CONSTRAINT items_name_key UNIQUE,
			parent_id int REFERENCES %[1]s.parents (id)
		);`, schema))
	if err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := pool.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	return pool, schema
}

func TestOpen(t *testing.T) {
	t.Parallel()

	t.Run("connects and applies settings", func(t *testing.T) {
		t.Parallel()
		pool, err := pgdb.Open(t.Context(), testURL(),
			pgdb.WithMaxConns(3), pgdb.WithApplicationName("pgdb-open-test"))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer pool.Close()
		if got := pool.Config().MaxConns; got != 3 {
			t.Errorf("MaxConns = %d, want 3", got)
		}
		if got := pool.Config().MaxConnLifetime; got != pgdb.DefaultMaxConnLifetime {
			t.Errorf("MaxConnLifetime = %s, want %s", got, pgdb.DefaultMaxConnLifetime)
		}
		var name string
		if err := pool.QueryRow(t.Context(), "SELECT current_setting('application_name')").Scan(&name); err != nil {
			t.Fatal(err)
		}
		if name != "pgdb-open-test" {
			t.Errorf("application_name = %q", name)
		}
	})

	t.Run("URL pool settings are kept", func(t *testing.T) {
		t.Parallel()
		u := testURL() + "&pool_max_conns=2&pool_max_conn_lifetime=7m"
		pool, err := pgdb.Open(t.Context(), u)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer pool.Close()
		if got := pool.Config().MaxConns; got != 2 {
			t.Errorf("MaxConns = %d, want 2", got)
		}
		if got := pool.Config().MaxConnLifetime; got != 7*time.Minute {
			t.Errorf("MaxConnLifetime = %s, want 7m", got)
		}
	})

	t.Run("invalid URL does not echo password", func(t *testing.T) {
		t.Parallel()
		_, err := pgdb.Open(t.Context(), "postgres://u:hunter2@host:notaport/db")
		if err == nil {
			t.Fatal("want error")
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error leaks password: %v", err)
		}
	})

	t.Run("unreachable server fails after ping timeout", func(t *testing.T) {
		t.Parallel()
		start := time.Now()
		// Port 1 on loopback refuses immediately, exercising the retry loop.
		_, err := pgdb.Open(t.Context(), "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable",
			pgdb.WithPingTimeout(700*time.Millisecond))
		if err == nil {
			t.Fatal("want error")
		}
		if !strings.Contains(err.Error(), "not reachable") {
			t.Errorf("error = %v", err)
		}
		if d := time.Since(start); d < 600*time.Millisecond || d > 5*time.Second {
			t.Errorf("took %s, want about the ping timeout", d)
		}
	})
}

func TestWithTx(t *testing.T) {
	t.Parallel()
	pool, schema := newSchema(t)
	count := func(t *testing.T, name string) int {
		t.Helper()
		var n int
		if err := pool.QueryRow(t.Context(), "SELECT count(*) FROM "+schema+".items WHERE name = $1", name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	insert := func(id int, name string) func(pgx.Tx) error {
		return func(tx pgx.Tx) error {
			_, err := tx.Exec(context.Background(), "INSERT INTO "+schema+".items (id, name) VALUES ($1, $2)", id, name)
			return err
		}
	}

	t.Run("commits on success", func(t *testing.T) {
		t.Parallel()
		if err := pgdb.WithTx(t.Context(), pool, insert(1, "committed")); err != nil {
			t.Fatal(err)
		}
		if n := count(t, "committed"); n != 1 {
			t.Errorf("rows = %d, want 1", n)
		}
	})

	t.Run("rolls back on error and returns it", func(t *testing.T) {
		t.Parallel()
		boom := errors.New("boom")
		err := pgdb.WithTx(t.Context(), pool, func(tx pgx.Tx) error {
			if err := insert(2, "rolled-back")(tx); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		if n := count(t, "rolled-back"); n != 0 {
			t.Errorf("rows = %d, want 0", n)
		}
	})

	t.Run("rolls back on panic", func(t *testing.T) {
		t.Parallel()
		func() {
			defer func() {
				if recover() == nil {
					t.Error("panic was swallowed")
				}
			}()
			_ = pgdb.WithTx(t.Context(), pool, func(tx pgx.Tx) error {
				if err := insert(3, "panicked")(tx); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		if n := count(t, "panicked"); n != 0 {
			t.Errorf("rows = %d, want 0", n)
		}
	})

	t.Run("options are applied", func(t *testing.T) {
		t.Parallel()
		err := pgdb.WithTxOptions(t.Context(), pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, insert(4, "read-only"))
		if err == nil {
			t.Fatal("insert in read-only transaction succeeded")
		}
	})
}

func TestErrorHelpers(t *testing.T) {
	t.Parallel()
	pool, schema := newSchema(t)
	if _, err := pool.Exec(t.Context(), "INSERT INTO "+schema+".items (id, name) VALUES (1, 'a')"); err != nil {
		t.Fatal(err)
	}

	t.Run("unique violation names constraint", func(t *testing.T) {
		t.Parallel()
		_, err := pool.Exec(t.Context(), "INSERT INTO "+schema+".items (id, name) VALUES (2, 'a')")
		constraint, ok := pgdb.IsUniqueViolation(fmt.Errorf("store: %w", err))
		if !ok || constraint != "items_name_key" {
			t.Errorf("IsUniqueViolation = %q, %v; err = %v", constraint, ok, err)
		}
		if _, ok := pgdb.IsForeignKeyViolation(err); ok {
			t.Error("unique violation reported as foreign key violation")
		}
	})

	t.Run("foreign key violation", func(t *testing.T) {
		t.Parallel()
		_, err := pool.Exec(t.Context(), "INSERT INTO "+schema+".items (id, name, parent_id) VALUES (3, 'b', 42)")
		constraint, ok := pgdb.IsForeignKeyViolation(err)
		if !ok || constraint != "items_parent_id_fkey" {
			t.Errorf("IsForeignKeyViolation = %q, %v; err = %v", constraint, ok, err)
		}
	})

	t.Run("not found", func(t *testing.T) {
		t.Parallel()
		var id int
		err := pool.QueryRow(t.Context(), "SELECT id FROM "+schema+".items WHERE name = 'missing'").Scan(&id)
		if !pgdb.IsNotFound(fmt.Errorf("get item: %w", err)) {
			t.Errorf("IsNotFound(%v) = false", err)
		}
	})

	t.Run("other errors are neither", func(t *testing.T) {
		t.Parallel()
		err := errors.New("other")
		if pgdb.IsNotFound(err) {
			t.Error("IsNotFound(other) = true")
		}
		if _, ok := pgdb.IsUniqueViolation(err); ok {
			t.Error("IsUniqueViolation(other) = true")
		}
		if _, ok := pgdb.IsUniqueViolation(nil); ok {
			t.Error("IsUniqueViolation(nil) = true")
		}
	})
}
