// Package pgdb opens PostgreSQL connection pools with the settings every
// Transcodely service shares, and holds the small helpers stores use at their
// error chokepoints (unique violations, not-found) and for transactions.
//
// Pool sizing can come from the URL (pgxpool's pool_max_conns,
// pool_max_conn_lifetime, ... parameters) or from Options; Options win, and
// anything set in neither falls back to the defaults documented on Open.
package pgdb

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Defaults applied by Open when neither the URL nor an Option sets a value.
const (
	// DefaultPingTimeout bounds how long Open keeps retrying the first ping.
	// Compose and Kubernetes often start services a few seconds before
	// Postgres accepts connections, so Open retries instead of failing on
	// the first refused connection.
	DefaultPingTimeout = 15 * time.Second
	// DefaultConnectTimeout bounds a single connection attempt so a
	// black-holed host does not hang the pool until the OS TCP timeout.
	DefaultConnectTimeout = 5 * time.Second
	// DefaultMaxConnLifetime recycles connections so that server-side memory
	// bloat and DNS/failover changes are picked up eventually.
	DefaultMaxConnLifetime = 30 * time.Minute
	// DefaultMaxConnIdleTime releases connections a burst opened but steady
	// traffic does not need; a schema per service shares one server, so idle
	// connections of one service are capacity taken from the others.
	DefaultMaxConnIdleTime = 5 * time.Minute
)

type options struct {
	maxConns        int32
	minConns        int32
	maxConnLifetime time.Duration
	maxConnIdleTime time.Duration
	pingTimeout     time.Duration
	applicationName string
	tracer          pgx.QueryTracer
}

// Option customises Open.
type Option func(*options)

// WithMaxConns caps the pool size. Zero or negative leaves the URL's
// pool_max_conns or the default (max(4, NumCPU)) in place.
func WithMaxConns(n int32) Option { return func(o *options) { o.maxConns = n } }

// WithMinConns keeps n connections open even when idle, trading idle
// server resources for latency on the first requests after a quiet period.
func WithMinConns(n int32) Option { return func(o *options) { o.minConns = n } }

// WithMaxConnLifetime overrides how long a connection lives before it is
// replaced.
func WithMaxConnLifetime(d time.Duration) Option {
	return func(o *options) { o.maxConnLifetime = d }
}

// WithMaxConnIdleTime overrides how long an idle connection is kept.
func WithMaxConnIdleTime(d time.Duration) Option {
	return func(o *options) { o.maxConnIdleTime = d }
}

// WithPingTimeout overrides how long Open retries the initial ping. A
// negative value skips the ping entirely (the pool then connects lazily).
func WithPingTimeout(d time.Duration) Option { return func(o *options) { o.pingTimeout = d } }

// WithApplicationName sets application_name so pg_stat_activity shows which
// service owns a connection. An application_name in the URL wins.
func WithApplicationName(name string) Option {
	return func(o *options) { o.applicationName = name }
}

// WithTracer installs a pgx query tracer (for example otelpgx). It is an
// option rather than built in so pkg does not depend on a tracing adapter
// every service may not want.
func WithTracer(t pgx.QueryTracer) Option { return func(o *options) { o.tracer = t } }

// Open parses url, builds a pool and pings it (retrying until the ping
// timeout elapses) so that a misconfigured database fails at start-up rather
// than on the first request.
//
// Defaults when not set by the URL or an Option: MaxConns max(4, NumCPU),
// MaxConnLifetime 30m (with 10% jitter), MaxConnIdleTime 5m, connect timeout
// 5s, ping timeout 15s.
func Open(ctx context.Context, url string, opts ...Option) (*pgxpool.Pool, error) {
	o := options{pingTimeout: DefaultPingTimeout}
	for _, opt := range opts {
		opt(&o)
	}

	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The parse error would echo the URL including its password, so
		// it is deliberately not wrapped.
		return nil, errors.New("pgdb: invalid database URL (check its syntax; it is not echoed because it may contain a password)")
	}

	// pgxpool reports URL-provided values only by removing them from the
	// connection string's runtime params, so inspect the raw string.
	inURL := func(param string) bool { return strings.Contains(url, param+"=") }

	switch {
	case o.maxConns > 0:
		cfg.MaxConns = o.maxConns
	case !inURL("pool_max_conns"):
		cfg.MaxConns = int32(max(4, runtime.NumCPU()))
	}
	if o.minConns > 0 {
		cfg.MinConns = min(o.minConns, cfg.MaxConns)
	}
	switch {
	case o.maxConnLifetime > 0:
		cfg.MaxConnLifetime = o.maxConnLifetime
	case !inURL("pool_max_conn_lifetime"):
		cfg.MaxConnLifetime = DefaultMaxConnLifetime
	}
	if !inURL("pool_max_conn_lifetime_jitter") {
		// Jitter keeps all connections opened together at start-up from
		// being recycled in the same instant.
		cfg.MaxConnLifetimeJitter = cfg.MaxConnLifetime / 10
	}
	switch {
	case o.maxConnIdleTime > 0:
		cfg.MaxConnIdleTime = o.maxConnIdleTime
	case !inURL("pool_max_conn_idle_time"):
		cfg.MaxConnIdleTime = DefaultMaxConnIdleTime
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	if o.applicationName != "" {
		if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
			cfg.ConnConfig.RuntimeParams["application_name"] = o.applicationName
		}
	}
	if o.tracer != nil {
		cfg.ConnConfig.Tracer = o.tracer
	}

	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgdb: create pool: %w", err)
	}
	if o.pingTimeout < 0 {
		return pool, nil
	}
	if err := pingRetry(ctx, pool, o.pingTimeout); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// pingRetry pings until success, ctx cancellation or timeout, backing off
// between attempts, and returns the last ping error.
func pingRetry(ctx context.Context, pool *pgxpool.Pool, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	backoff := 100 * time.Millisecond
	for {
		err := pool.Ping(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("pgdb: database not reachable within %s: %w", timeout, err)
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 2*time.Second)
	}
}

// Beginner is anything that can start a transaction: *pgxpool.Pool,
// *pgx.Conn, or a pgx.Tx (which starts a savepoint).
type Beginner interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

// WithTx runs fn in a transaction on db with default options. It commits when
// fn returns nil and rolls back otherwise, including when fn panics, so
// callers never leak an open transaction (and its pooled connection).
func WithTx(ctx context.Context, db Beginner, fn func(pgx.Tx) error) error {
	return WithTxOptions(ctx, db, pgx.TxOptions{}, fn)
}

// WithTxOptions is WithTx with explicit transaction options (isolation level,
// read-only, ...).
func WithTxOptions(ctx context.Context, db Beginner, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("pgdb: begin transaction: %w", err)
	}
	defer func() {
		// Rollback after a successful Commit is a harmless no-op
		// (ErrTxClosed); on panic or error it releases the connection.
		// A fresh context is used because ctx may be the reason fn failed.
		rbCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = tx.Rollback(rbCtx)
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("pgdb: commit transaction: %w", err)
	}
	return nil
}

// PostgreSQL SQLSTATE codes the helpers below look for.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
)

// IsUniqueViolation reports whether err (anywhere in its chain) is a unique
// constraint violation, and if so which constraint, so a store can map e.g.
// "presets_account_id_name_key" to a domain AlreadyExists error.
func IsUniqueViolation(err error) (constraint string, ok bool) {
	return constraintError(err, codeUniqueViolation)
}

// IsForeignKeyViolation reports whether err is a foreign key violation and
// which constraint, so a store can turn it into a domain NotFound or
// FailedPrecondition error instead of an internal one.
func IsForeignKeyViolation(err error) (constraint string, ok bool) {
	return constraintError(err, codeForeignKeyViolation)
}

func constraintError(err error, code string) (string, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == code {
		return pgErr.ConstraintName, true
	}
	return "", false
}

// IsNotFound reports whether err means a single-row query matched nothing
// (pgx.ErrNoRows anywhere in its chain).
func IsNotFound(err error) bool {
	return errors.Is(err, pgx.ErrNoRows)
}
