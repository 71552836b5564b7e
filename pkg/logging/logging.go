// Package logging builds the slog logger every Transcodely process uses and
// carries it through contexts.
//
// Records are correlated with traces: when the context passed to a log call
// (InfoContext, ...) holds a valid OpenTelemetry span, trace_id and span_id
// are added, so a log line can be found from a trace and vice versa.
package logging

import (
	"context"
	"io"
	"log/slog"
	"strings"

	"go.opentelemetry.io/otel/trace"
)

// New returns a logger writing to w at level ("debug", "info", "warn",
// "error", case-insensitive, slog offsets like "info+2" allowed) in format
// "json" (the default, for log shippers) or "text". Unknown values fall back
// to info and json rather than failing: config.Logging validates them at
// start-up, and a logger must always be available to report that failure.
func New(w io.Writer, level, format string) *slog.Logger {
	lvl, err := ParseLevel(level)
	if err != nil {
		lvl = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lvl}
	var h slog.Handler
	if strings.EqualFold(format, "text") {
		h = slog.NewTextHandler(w, opts)
	} else {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(NewTraceHandler(h))
}

// ParseLevel parses a level name as New does.
func ParseLevel(s string) (slog.Level, error) {
	var lvl slog.Level
	err := lvl.UnmarshalText([]byte(s))
	return lvl, err
}

// NewTraceHandler wraps h so that records logged with a context holding a
// valid span get trace_id and span_id attributes. Because they are added at
// Handle time, they land inside any group opened with WithGroup.
func NewTraceHandler(h slog.Handler) slog.Handler {
	if th, ok := h.(*traceHandler); ok {
		return th // Avoid double wrapping and duplicate attributes.
	}
	return &traceHandler{inner: h}
}

type traceHandler struct {
	inner slog.Handler
}

func (h *traceHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

func (h *traceHandler) Handle(ctx context.Context, r slog.Record) error {
	if ctx != nil {
		if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
			// Clone so the caller's record (possibly shared with other
			// handlers) is not mutated.
			r = r.Clone()
			r.AddAttrs(
				slog.String("trace_id", sc.TraceID().String()),
				slog.String("span_id", sc.SpanID().String()),
			)
		}
	}
	return h.inner.Handle(ctx, r)
}

func (h *traceHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &traceHandler{inner: h.inner.WithAttrs(attrs)}
}

func (h *traceHandler) WithGroup(name string) slog.Handler {
	return &traceHandler{inner: h.inner.WithGroup(name)}
}

type ctxKey struct{}

// WithLogger returns a copy of ctx carrying l, typically one enriched with
// request-scoped attributes (request id, account id) by an interceptor.
func WithLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// FromContext returns the logger stored by WithLogger, or slog.Default() so
// callers never need a nil check.
func FromContext(ctx context.Context) *slog.Logger {
	if ctx != nil {
		if l, ok := ctx.Value(ctxKey{}).(*slog.Logger); ok && l != nil {
			return l
		}
	}
	return slog.Default()
}
