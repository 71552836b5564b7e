package logging_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/transcodely/transcodely/pkg/logging"
)

func spanContext(t *testing.T) context.Context {
	t.Helper()
	tid, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	sid, _ := trace.SpanIDFromHex("00f067aa0ba902b7")
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled})
	return trace.ContextWithSpanContext(context.Background(), sc)
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(b), &m); err != nil {
		t.Fatalf("not one JSON object: %q: %v", b, err)
	}
	return m
}

func TestNew(t *testing.T) {
	t.Parallel()

	t.Run("json is the default", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		logging.New(&buf, "info", "").Info("hello", "k", 1)
		if m := decode(t, buf.Bytes()); m["msg"] != "hello" || m["k"] != 1.0 {
			t.Errorf("record = %v", m)
		}
	})

	t.Run("text format", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		logging.New(&buf, "info", "TEXT").Info("hello")
		if !strings.Contains(buf.String(), "msg=hello") {
			t.Errorf("output = %q", buf.String())
		}
	})

	t.Run("level filters", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		l := logging.New(&buf, "WARN", "json")
		l.Info("dropped")
		l.Warn("kept")
		if strings.Contains(buf.String(), "dropped") || !strings.Contains(buf.String(), "kept") {
			t.Errorf("output = %q", buf.String())
		}
	})

	t.Run("unknown level falls back to info", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		l := logging.New(&buf, "loud", "json")
		l.Debug("dropped")
		l.Info("kept")
		if strings.Contains(buf.String(), "dropped") || !strings.Contains(buf.String(), "kept") {
			t.Errorf("output = %q", buf.String())
		}
		if _, err := logging.ParseLevel("loud"); err == nil {
			t.Error("ParseLevel accepted an unknown level")
		}
	})

	t.Run("trace and span ids from context", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		logging.New(&buf, "info", "json").With("svc", "job").InfoContext(spanContext(t), "traced")
		m := decode(t, buf.Bytes())
		if m["trace_id"] != "4bf92f3577b34da6a3ce929d0e0e4736" || m["span_id"] != "00f067aa0ba902b7" || m["svc"] != "job" {
			t.Errorf("record = %v", m)
		}
	})

	t.Run("no ids without a span", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		logging.New(&buf, "info", "json").InfoContext(context.Background(), "untraced")
		if m := decode(t, buf.Bytes()); m["trace_id"] != nil {
			t.Errorf("record = %v", m)
		}
	})

	t.Run("wrapper survives WithGroup", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		logging.New(&buf, "info", "json").WithGroup("req").InfoContext(spanContext(t), "grouped", "id", 7)
		m := decode(t, buf.Bytes())
		req, _ := m["req"].(map[string]any)
		if req["trace_id"] == nil || req["id"] != 7.0 {
			t.Errorf("record = %v", m)
		}
	})
}

func TestNewTraceHandler(t *testing.T) {
	t.Parallel()
	t.Run("does not double wrap", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		h := logging.NewTraceHandler(logging.NewTraceHandler(slog.NewJSONHandler(&buf, nil)))
		slog.New(h).InfoContext(spanContext(t), "once")
		if n := strings.Count(buf.String(), "trace_id"); n != 1 {
			t.Errorf("trace_id appears %d times: %s", n, buf.String())
		}
	})
}

func TestFromContext(t *testing.T) {
	t.Parallel()

	t.Run("returns stored logger", func(t *testing.T) {
		t.Parallel()
		l := slog.New(slog.DiscardHandler)
		if got := logging.FromContext(logging.WithLogger(context.Background(), l)); got != l {
			t.Error("stored logger not returned")
		}
	})

	t.Run("falls back to default", func(t *testing.T) {
		t.Parallel()
		if logging.FromContext(context.Background()) == nil {
			t.Error("nil logger")
		}
		//nolint:staticcheck // Deliberately nil to check the guard.
		if logging.FromContext(nil) == nil {
			t.Error("nil logger for nil context")
		}
	})
}
