package devstack

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresAddr is where the machine's PostgreSQL is expected.
const PostgresAddr = "127.0.0.1:5432"

const pgAdminURL = "postgres://postgres@" + PostgresAddr + "/postgres?sslmode=disable"

// Postgres makes sure the machine's PostgreSQL runs (starting its newest
// Debian cluster if nothing listens) and has database name, and returns its
// URL. fresh drops and recreates the database, for runs that must not see
// an earlier run's rows. With $TRANSCODELY_DATABASE_URL set, that database
// is used as is.
func (s *Stack) Postgres(ctx context.Context, name string, fresh bool) (string, error) {
	if u := os.Getenv("TRANSCODELY_DATABASE_URL"); u != "" {
		conn, err := connectRetry(ctx, u, 5*time.Second)
		if err != nil {
			return "", fmt.Errorf("postgres: $TRANSCODELY_DATABASE_URL does not answer: %w", err)
		}
		s.Step("postgres", "using $TRANSCODELY_DATABASE_URL")
		return u, conn.Close(ctx)
	}
	if !Listening(PostgresAddr) {
		version, err := newestPostgres()
		if err != nil {
			return "", err
		}
		s.Step("postgres", "starting cluster %s/main", version)
		// pg_ctlcluster knows the Debian cluster layout (data dir, config,
		// socket) so nothing of it is repeated here.
		if out, err := exec.CommandContext(ctx, "pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start").CombinedOutput(); err != nil {
			return "", fmt.Errorf("pg_ctlcluster %s main start: %w\n%s", version, err, out)
		}
	}
	conn, err := connectRetry(ctx, pgAdminURL, 30*time.Second)
	if err != nil {
		return "", fmt.Errorf("postgres on %s: %w", PostgresAddr, err)
	}
	defer conn.Close(ctx)
	ident := pgx.Identifier{name}.Sanitize()
	if fresh {
		// FORCE ends sessions a killed earlier run may have left behind.
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			return "", fmt.Errorf("drop database %s: %w", name, err)
		}
	}
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
			return "", fmt.Errorf("create database %s: %w", name, err)
		}
	}
	s.Step("postgres", "ready on %s, database %s (created: %v)", PostgresAddr, name, !exists)
	return "postgres://postgres@" + PostgresAddr + "/" + name + "?sslmode=disable", nil
}

// connectRetry keeps trying while a just-started server is coming up.
func connectRetry(ctx context.Context, url string, timeout time.Duration) (*pgx.Conn, error) {
	deadline := time.Now().Add(timeout)
	for {
		conn, err := pgx.Connect(ctx, url)
		if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
			return conn, err
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// newestPostgres returns the highest version with a Debian cluster config,
// compared as numbers ("9.6" < "16").
func newestPostgres() (string, error) {
	best, bestV := "", -1.0
	entries, _ := os.ReadDir("/etc/postgresql")
	for _, e := range entries {
		if v, err := strconv.ParseFloat(e.Name(), 64); err == nil && v > bestV {
			best, bestV = e.Name(), v
		}
	}
	if best == "" {
		return "", errors.New("nothing answers on " + PostgresAddr + " and /etc/postgresql has no cluster (apt-get install -y postgresql, or set TRANSCODELY_DATABASE_URL)")
	}
	return best, nil
}
