package telemetry_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"

	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/pkg/telemetry"
)

// Setup changes process-wide OTel globals, so the subtests run in sequence
// inside one parallel test.
func TestSetup(t *testing.T) {
	t.Parallel()

	t.Run("no endpoint installs nothing exporting", func(t *testing.T) {
		shutdown, err := telemetry.Setup(t.Context(), config.Telemetry{})
		if err != nil {
			t.Fatal(err)
		}
		if err := shutdown(t.Context()); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		// Propagation still works so traces cross non-exporting services.
		carrier := propagation.HeaderCarrier(http.Header{})
		carrier.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
		ctx := otel.GetTextMapPropagator().Extract(context.Background(), carrier)
		out := propagation.HeaderCarrier(http.Header{})
		otel.GetTextMapPropagator().Inject(ctx, out)
		if !strings.Contains(out.Get("traceparent"), "4bf92f3577b34da6a3ce929d0e0e4736") {
			t.Errorf("traceparent not propagated: %q", out.Get("traceparent"))
		}
	})

	t.Run("exports spans over OTLP HTTP", func(t *testing.T) {
		var hits atomic.Int32
		var path atomic.Value
		collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			path.Store(r.URL.Path)
			hits.Add(1)
			w.Header().Set("Content-Type", "application/x-protobuf")
			w.WriteHeader(http.StatusOK)
		}))
		defer collector.Close()

		shutdown, err := telemetry.Setup(t.Context(), config.Telemetry{
			OTLPEndpoint: collector.URL + "/",
			ServiceName:  "telemetry-test",
			SampleRatio:  1,
		})
		if err != nil {
			t.Fatal(err)
		}
		_, span := otel.Tracer("test").Start(context.Background(), "work")
		span.End()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		// Shutdown flushes the batch processor.
		if err := shutdown(ctx); err != nil {
			t.Fatalf("shutdown: %v", err)
		}
		if hits.Load() == 0 {
			t.Fatal("collector received nothing")
		}
		if p, _ := path.Load().(string); p != "/v1/traces" {
			t.Errorf("path = %q, want /v1/traces", p)
		}
	})

	t.Run("endpoint without service name is an error", func(t *testing.T) {
		shutdown, err := telemetry.Setup(t.Context(), config.Telemetry{OTLPEndpoint: "http://127.0.0.1:4318"})
		if err == nil {
			t.Error("want error")
		}
		if shutdown == nil {
			t.Error("shutdown must never be nil")
		}
	})
}
