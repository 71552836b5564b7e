// Package telemetry installs the process-wide OpenTelemetry tracing setup.
//
// With no collector configured nothing is exported and nothing can fail, so
// local runs and tests need no collector; W3C trace context is still
// propagated so traces stay connected across services that do export.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/transcodely/transcodely/pkg/config"
)

// Shutdown flushes buffered spans and stops exporting. Call it once, with a
// deadline, after the server has drained.
type Shutdown func(context.Context) error

// Setup installs the global propagator and, when cfg.OTLPEndpoint is set, a
// tracer provider exporting over OTLP/HTTP through a batch processor. The
// returned Shutdown is never nil.
//
// Creating the exporter does not contact the collector, so an unreachable
// collector does not stop the service from starting; spans are dropped and
// the OTel error handler logs the failures.
func Setup(ctx context.Context, cfg config.Telemetry) (Shutdown, error) {
	// Propagation is independent of exporting: a service that does not
	// export must still forward traceparent to the services it calls.
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{}, propagation.Baggage{},
	))

	noop := func(context.Context) error { return nil }
	if cfg.OTLPEndpoint == "" {
		return noop, nil
	}
	if cfg.ServiceName == "" {
		return noop, errors.New("telemetry: service name is required when exporting")
	}

	// WithEndpointURL takes scheme, host and an optional path prefix from
	// the URL: http:// means plaintext, and /v1/traces is appended.
	exporter, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(strings.TrimSuffix(cfg.OTLPEndpoint, "/")+"/v1/traces"))
	if err != nil {
		return noop, fmt.Errorf("telemetry: create OTLP exporter: %w", err)
	}
	// No schema URL: merging with resource.Default() fails when schema
	// URLs differ, and plain attributes never do.
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(
		attribute.String("service.name", cfg.ServiceName),
	))
	if err != nil {
		return noop, fmt.Errorf("telemetry: build resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exporter),
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(cfg.SampleRatio))),
	)
	otel.SetTracerProvider(tp)
	return tp.Shutdown, nil
}
