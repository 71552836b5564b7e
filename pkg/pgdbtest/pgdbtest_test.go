package pgdbtest_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/transcodely/transcodely/pkg/pgdbtest"
)

// migrations counts Migrator calls across the binary to prove the template
// is built once.
var migrations atomic.Int32

// widgets is a small inline migration: a schema, a table and a seed row.
func widgets(ctx context.Context, url string) error {
	migrations.Add(1)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `
		CREATE SCHEMA widget;
		CREATE TABLE widget.widgets (id int PRIMARY KEY, name text NOT NULL);
		INSERT INTO widget.widgets VALUES (1, 'seed');`)
	return err
}

func TestNewTemplate(t *testing.T) {
	t.Parallel()

	t.Run("migrates once per name", func(t *testing.T) {
		t.Parallel()
		a := pgdbtest.NewTemplate(t, "widgets", widgets)
		b := pgdbtest.NewTemplate(t, "widgets", func(context.Context, string) error {
			t.Error("second migrator called")
			return nil
		})
		if a != b {
			t.Error("same name returned different templates")
		}
		if n := migrations.Load(); n != 1 {
			t.Errorf("migrator ran %d times, want 1", n)
		}
		if !strings.HasPrefix(a.Name(), "tcpgt_t") || !strings.HasSuffix(a.Name(), "_widgets") {
			t.Errorf("template name = %q", a.Name())
		}
	})

	t.Run("migration failure fails the test", func(t *testing.T) {
		t.Parallel()
		// A fake TB records the Fatalf instead of ending this test.
		ft := &fakeTB{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			pgdbtest.NewTemplate(ft, "broken", func(context.Context, string) error {
				return errors.New("boom")
			})
		}()
		<-done
		if !ft.failed.Load() || !strings.Contains(ft.msg, "boom") {
			t.Errorf("Fatalf not called with the migration error: %q", ft.msg)
		}
	})
}

func TestTemplate_NewDatabase(t *testing.T) {
	t.Parallel()
	tmpl := pgdbtest.NewTemplate(t, "widgets", widgets)

	t.Run("clone has template contents and is isolated", func(t *testing.T) {
		t.Parallel()
		urlA, urlB := tmpl.NewDatabase(t), tmpl.NewDatabase(t)
		if urlA == urlB {
			t.Fatal("two databases share a URL")
		}
		a, err := pgx.Connect(t.Context(), urlA)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close(context.Background())
		b, err := pgx.Connect(t.Context(), urlB)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close(context.Background())

		if _, err := a.Exec(t.Context(), "INSERT INTO widget.widgets VALUES (2, 'only-in-a')"); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := b.QueryRow(t.Context(), "SELECT count(*) FROM widget.widgets").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("database B sees %d rows, want only the seed", n)
		}
	})

	t.Run("database is dropped at cleanup even with open connections", func(t *testing.T) {
		t.Parallel()
		var name string
		t.Run("inner", func(t *testing.T) {
			url := tmpl.NewDatabase(t)
			conn, err := pgx.Connect(t.Context(), url)
			if err != nil {
				t.Fatal(err)
			}
			// Deliberately leaked: WITH (FORCE) must cope.
			if err := conn.QueryRow(t.Context(), "SELECT current_database()").Scan(&name); err != nil {
				t.Fatal(err)
			}
		})
		admin := adminConn(t)
		var exists bool
		if err := admin.QueryRow(t.Context(), "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
			t.Fatal(err)
		}
		if exists {
			t.Errorf("database %s still exists after cleanup", name)
		}
	})

	t.Run("template refuses connections", func(t *testing.T) {
		t.Parallel()
		admin := adminConn(t)
		var allow bool
		if err := admin.QueryRow(t.Context(), "SELECT datallowconn FROM pg_database WHERE datname = $1", tmpl.Name()).Scan(&allow); err != nil {
			t.Fatal(err)
		}
		if allow {
			t.Error("template still accepts connections")
		}
	})

	t.Run("many parallel clones", func(t *testing.T) {
		t.Parallel()
		for i := range 8 {
			t.Run("clone", func(t *testing.T) {
				t.Parallel()
				pool := tmpl.NewPool(t)
				if _, err := pool.Exec(t.Context(), "INSERT INTO widget.widgets VALUES ($1, 'x')", i+10); err != nil {
					t.Fatal(err)
				}
			})
		}
	})
}

func TestSweepOrphans(t *testing.T) {
	t.Parallel()

	t.Run("orphans of dead processes are dropped", func(t *testing.T) {
		t.Parallel()
		admin := adminConn(t)
		// A database named like another process's, whose liveness lock
		// nobody holds: exactly what a crashed test binary leaves.
		orphan := fmt.Sprintf("tcpgt_d%016x_1", rand.Uint64())
		if _, err := admin.Exec(t.Context(), "CREATE DATABASE "+orphan); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+orphan)
		})
		// The sweep runs when a process first creates a template; run it
		// directly as a fresh process would.
		if err := pgdbtest.SweepOrphans(t.Context()); err != nil {
			t.Fatal(err)
		}
		// Another test binary's sweep may have claimed the orphan first
		// and still be dropping it, so allow it a moment to disappear.
		deadline := time.Now().Add(10 * time.Second)
		for {
			var exists bool
			if err := admin.QueryRow(t.Context(), "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", orphan).Scan(&exists); err != nil {
				t.Fatal(err)
			}
			if !exists {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("orphan database survived the sweep")
			}
			time.Sleep(100 * time.Millisecond)
		}
	})

	t.Run("live processes' databases survive", func(t *testing.T) {
		t.Parallel()
		tmpl := pgdbtest.NewTemplate(t, "widgets", widgets)
		url := tmpl.NewDatabase(t)
		if err := pgdbtest.SweepOrphans(t.Context()); err != nil {
			t.Fatal(err)
		}
		conn, err := pgx.Connect(t.Context(), url)
		if err != nil {
			t.Fatalf("own database swept: %v", err)
		}
		_ = conn.Close(context.Background())
	})
}

func adminConn(t *testing.T) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), pgdbtest.BaseURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// fakeTB captures Fatalf so a failure path can be tested; it ends the
// calling goroutine like the real one does.
type fakeTB struct {
	testing.TB
	failed atomic.Bool
	msg    string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	f.failed.Store(true)
	runtime.Goexit()
}

// TestMain shows the optional eager cleanup: templates are dropped when the
// binary finishes instead of by the next run's sweep.
func TestMain(m *testing.M) {
	code := m.Run()
	if err := pgdbtest.Cleanup(); err != nil {
		fmt.Fprintln(os.Stderr, "pgdbtest cleanup:", err)
	}
	os.Exit(code)
}
