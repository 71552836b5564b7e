// Package rpcserve serves Connect handlers the way every Transcodely service
// needs: HTTP/1.1 and unencrypted HTTP/2 (h2c, which gRPC clients require)
// on one port, explicit timeouts, standard gRPC health and reflection, and a
// graceful shutdown when the context ends.
//
// There is deliberately no write timeout: server streams (job progress,
// watch) stay open far longer than any sensible request deadline. Slow
// clients are bounded by ReadHeaderTimeout and HTTP/2 pings instead.
package rpcserve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"
	"connectrpc.com/grpcreflect"

	"github.com/transcodely/transcodely/pkg/config"
)

// Defaults for zero ServeConfig fields.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultIdleTimeout       = 2 * time.Minute
	DefaultShutdownTimeout   = 20 * time.Second
	// pingInterval makes HTTP/2 connections that went silent (a peer that
	// vanished without FIN) get probed and closed, which matters because
	// long streams have no other timeout.
	pingInterval = 30 * time.Second
	pingTimeout  = 15 * time.Second
)

// ServeConfig describes one listener.
type ServeConfig struct {
	// Addr is host:port; port 0 picks a free port (see Server.Addr).
	Addr string
	// Handler serves every request, usually a mux from NewMux.
	Handler http.Handler
	// Logger receives lifecycle and net/http error logs; nil means
	// slog.Default().
	Logger *slog.Logger
	// ReadHeaderTimeout bounds reading request headers.
	ReadHeaderTimeout time.Duration
	// IdleTimeout closes idle keep-alive connections.
	IdleTimeout time.Duration
	// ShutdownTimeout is how long in-flight requests may run after the
	// context ends before their connections are closed.
	ShutdownTimeout time.Duration
}

// FromConfig builds a ServeConfig from the shared environment config.
func FromConfig(c config.Server, h http.Handler, l *slog.Logger) ServeConfig {
	return ServeConfig{
		Addr:              c.Addr,
		Handler:           h,
		Logger:            l,
		ReadHeaderTimeout: c.ReadHeaderTimeout,
		IdleTimeout:       c.IdleTimeout,
		ShutdownTimeout:   c.ShutdownTimeout,
	}
}

// Server is a bound listener ready to serve. Listen and Serve are separate
// so that callers (tests especially) learn the real address before serving.
type Server struct {
	srv             *http.Server
	ln              net.Listener
	log             *slog.Logger
	shutdownTimeout time.Duration
}

// Listen validates cfg and binds its address. ctx bounds the bind, and its
// values (not its cancellation) are inherited by every request context.
func Listen(ctx context.Context, cfg ServeConfig) (*Server, error) {
	if cfg.Handler == nil {
		return nil, errors.New("rpcserve: handler is required")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("rpcserve: listen on %q: %w", cfg.Addr, err)
	}

	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)

	srv := &http.Server{
		Handler:           cfg.Handler,
		ReadHeaderTimeout: orDefault(cfg.ReadHeaderTimeout, DefaultReadHeaderTimeout),
		IdleTimeout:       orDefault(cfg.IdleTimeout, DefaultIdleTimeout),
		Protocols:         protocols,
		HTTP2: &http.HTTP2Config{
			SendPingTimeout: pingInterval,
			PingTimeout:     pingTimeout,
		},
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// Request contexts inherit ctx's values (logger, ...) but not its
		// cancellation: cancelling ctx starts a graceful shutdown, which
		// must let in-flight requests finish rather than abort them.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	return &Server{
		srv:             srv,
		ln:              ln,
		log:             log,
		shutdownTimeout: orDefault(cfg.ShutdownTimeout, DefaultShutdownTimeout),
	}, nil
}

// Addr is the bound address, with the real port when ":0" was requested.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// URL is "http://" plus the bound address, for clients and tests.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Serve serves until ctx ends, then shuts down gracefully: it stops
// accepting, sends HTTP/2 GOAWAY, waits up to the shutdown timeout for
// in-flight requests, and finally closes whatever is left. It returns nil
// after a clean shutdown, and an error if serving failed or in-flight
// requests had to be cut off.
func (s *Server) Serve(ctx context.Context) error {
	s.log.InfoContext(ctx, "server listening", "addr", s.ln.Addr().String())
	serveErr := make(chan error, 1)
	go func() { serveErr <- s.srv.Serve(s.ln) }()

	select {
	case err := <-serveErr:
		return fmt.Errorf("rpcserve: serve: %w", err)
	case <-ctx.Done():
	}

	s.log.InfoContext(ctx, "server shutting down", "timeout", s.shutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.shutdownTimeout)
	defer cancel()
	if err := s.srv.Shutdown(shutdownCtx); err != nil {
		// Cancels the remaining requests' contexts so handlers stop.
		_ = s.srv.Close()
		<-serveErr
		return fmt.Errorf("rpcserve: graceful shutdown incomplete after %s: %w", s.shutdownTimeout, err)
	}
	if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("rpcserve: serve: %w", err)
	}
	s.log.InfoContext(ctx, "server stopped")
	return nil
}

// Close stops a Server that will never be served, releasing its listener.
// (http.Server.Close alone would not: it only knows listeners passed to
// Serve.)
func (s *Server) Close() error {
	err := s.srv.Close()
	if lerr := s.ln.Close(); lerr != nil && !errors.Is(lerr, net.ErrClosed) {
		err = errors.Join(err, lerr)
	}
	return err
}

// Run is Listen followed by Serve, for main functions that do not need the
// bound address.
func Run(ctx context.Context, cfg ServeConfig) error {
	s, err := Listen(ctx, cfg)
	if err != nil {
		return err
	}
	return s.Serve(ctx)
}

// NewMux returns the mux services mount their Connect handlers on
// (mux.Handle(xxxconnect.NewYyyHandler(...))). It exists so every service
// starts from the same type and MountStandard can be added uniformly.
func NewMux() *http.ServeMux { return http.NewServeMux() }

// MountStandard mounts gRPC health checking (grpc.health.v1.Health) and gRPC
// server reflection (v1 and v1alpha, for grpcurl and older tools) for
// serviceNames, fully-qualified names such as
// "transcodely.job.v1.JobService". A nil checker reports every listed
// service as SERVING for as long as the process runs; pass a
// *grpchealth.StaticChecker to flip services to NOT_SERVING during
// shutdown. opts apply to the three handlers (authentication interceptors
// do not belong here: probes and tooling call these unauthenticated).
//
// Reflection resolves services through the global protobuf registry, so the
// generated packages must be linked into the binary, which mounting their
// handlers already guarantees.
func MountStandard(mux *http.ServeMux, serviceNames []string, checker grpchealth.Checker, opts ...connect.HandlerOption) {
	if checker == nil {
		checker = grpchealth.NewStaticChecker(serviceNames...)
	}
	mux.Handle(grpchealth.NewHandler(checker, opts...))
	reflector := grpcreflect.NewStaticReflector(serviceNames...)
	mux.Handle(grpcreflect.NewHandlerV1(reflector, opts...))
	mux.Handle(grpcreflect.NewHandlerV1Alpha(reflector, opts...))
}

// ClientHTTP returns an HTTP client for calls between services. http://
// URLs use HTTP/2 without TLS (prior knowledge h2c), which the gRPC
// protocol requires and which multiplexes all calls over one connection;
// https:// URLs use HTTP/2 over TLS. HTTP/1.1 is not offered: every peer is
// an rpcserve server.
//
// It has no overall timeout, because streams are long; set deadlines per
// call with the context. Proxy environment variables are ignored: internal
// traffic must not detour through an egress proxy, which would also break
// h2c.
func ClientHTTP() *http.Client {
	protocols := new(http.Protocols)
	protocols.SetUnencryptedHTTP2(true)
	protocols.SetHTTP2(true)
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{
		Transport: &http.Transport{
			DialContext:         dialer.DialContext,
			Protocols:           protocols,
			ForceAttemptHTTP2:   true,
			TLSHandshakeTimeout: 10 * time.Second,
			IdleConnTimeout:     90 * time.Second,
			MaxIdleConns:        100,
			HTTP2: &http.HTTP2Config{
				SendPingTimeout: pingInterval,
				PingTimeout:     pingTimeout,
			},
		},
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
