package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"
)

// Database is the PostgreSQL connection every service embeds. Each service
// uses its own schema in the shared database, so the URL is the same for
// all of them.
type Database struct {
	// URL is a postgres:// URL; it usually carries a password.
	URL Secret `env:"TRANSCODELY_DATABASE_URL" required:"true"`
	// MaxConns caps the pool; 0 keeps pgdb's default.
	MaxConns int32 `env:"TRANSCODELY_DATABASE_MAX_CONNS" default:"0"`
}

// Validate checks the URL's shape without echoing it, since it may hold a
// password.
func (d Database) Validate() error {
	u, err := url.Parse(d.URL.Reveal())
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return &FieldError{Env: "TRANSCODELY_DATABASE_URL", Err: errors.New("must be a postgres://host/db URL")}
	}
	if d.MaxConns < 0 {
		return &FieldError{Env: "TRANSCODELY_DATABASE_MAX_CONNS", Err: errors.New("must not be negative")}
	}
	return nil
}

// Server configures the Connect/gRPC listener (see rpcserve). There is no
// write timeout on purpose: server streams stay open for minutes.
type Server struct {
	// Addr is host:port to listen on; ":8080" listens on every interface.
	Addr string `env:"TRANSCODELY_LISTEN_ADDR" default:":8080"`
	// ReadHeaderTimeout bounds slow-loris style header trickling.
	ReadHeaderTimeout time.Duration `env:"TRANSCODELY_READ_HEADER_TIMEOUT" default:"10s"`
	// IdleTimeout closes keep-alive connections nobody uses.
	IdleTimeout time.Duration `env:"TRANSCODELY_IDLE_TIMEOUT" default:"2m"`
	// ShutdownTimeout is how long in-flight requests get to finish after
	// SIGTERM before connections are cut; keep it below the orchestrator's
	// grace period.
	ShutdownTimeout time.Duration `env:"TRANSCODELY_SHUTDOWN_TIMEOUT" default:"20s"`
}

// Validate checks the listen address and timeouts.
func (s Server) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(s.Addr); err != nil {
		errs = append(errs, &FieldError{Env: "TRANSCODELY_LISTEN_ADDR", Err: fmt.Errorf("want host:port: %w", err)})
	}
	for _, f := range []struct {
		env string
		d   time.Duration
	}{
		{"TRANSCODELY_READ_HEADER_TIMEOUT", s.ReadHeaderTimeout},
		{"TRANSCODELY_IDLE_TIMEOUT", s.IdleTimeout},
		{"TRANSCODELY_SHUTDOWN_TIMEOUT", s.ShutdownTimeout},
	} {
		if f.d <= 0 {
			errs = append(errs, &FieldError{Env: f.env, Err: errors.New("must be positive")})
		}
	}
	return errors.Join(errs...)
}

// Telemetry configures OpenTelemetry tracing (see telemetry.Setup).
type Telemetry struct {
	// OTLPEndpoint is the OTLP/HTTP collector base URL, e.g.
	// http://otel-collector:4318. Empty disables exporting.
	OTLPEndpoint string `env:"TRANSCODELY_OTLP_ENDPOINT"`
	// ServiceName is the service.name resource attribute. Binaries
	// pre-fill it (e.g. "transcodely-job") so the variable is rarely set.
	ServiceName string `env:"TRANSCODELY_SERVICE_NAME"`
	// SampleRatio is the fraction of new traces recorded (0..1); child
	// spans follow their parent's decision.
	SampleRatio float64 `env:"TRANSCODELY_TRACE_SAMPLE_RATIO" default:"1"`
}

// Validate checks the endpoint URL and ratio.
func (t Telemetry) Validate() error {
	var errs []error
	if t.OTLPEndpoint != "" {
		u, err := url.Parse(t.OTLPEndpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, &FieldError{Env: "TRANSCODELY_OTLP_ENDPOINT", Err: errors.New("must be an http(s)://host:port URL")})
		}
		if t.ServiceName == "" {
			errs = append(errs, &FieldError{Env: "TRANSCODELY_SERVICE_NAME", Err: errors.New("required when exporting traces")})
		}
	}
	if t.SampleRatio < 0 || t.SampleRatio > 1 {
		errs = append(errs, &FieldError{Env: "TRANSCODELY_TRACE_SAMPLE_RATIO", Err: errors.New("must be between 0 and 1")})
	}
	return errors.Join(errs...)
}

// Logging configures the process logger (see logging.New).
type Logging struct {
	// Level is debug, info, warn or error.
	Level string `env:"TRANSCODELY_LOG_LEVEL" default:"info"`
	// Format is json (for log shippers) or text (for humans).
	Format string `env:"TRANSCODELY_LOG_FORMAT" default:"json"`
}

// Validate checks level and format so a typo fails start-up instead of
// silently logging at the wrong level.
func (l Logging) Validate() error {
	var errs []error
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(l.Level)); err != nil {
		errs = append(errs, &FieldError{Env: "TRANSCODELY_LOG_LEVEL", Err: fmt.Errorf("unknown level %q (want debug, info, warn or error)", l.Level)})
	}
	if f := strings.ToLower(l.Format); f != "json" && f != "text" {
		errs = append(errs, &FieldError{Env: "TRANSCODELY_LOG_FORMAT", Err: fmt.Errorf("unknown format %q (want json or text)", l.Format)})
	}
	return errors.Join(errs...)
}
