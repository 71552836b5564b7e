// Package rpcwire holds the Connect options every service shares, so the wire
// format, error shape, authentication and tracing are identical in every
// binary: the lowercase-enum JSON codec, the error chokepoint that attaches
// transcodely.v1.ErrorDetails, the API-key and session interceptor, the
// permission table (authz.go), the per-organization rate limit
// (ratelimit.go) and the service-token guard on internal procedures.
package rpcwire

import (
	"context"
	"log/slog"
	"net/http"

	"connectrpc.com/connect"
	"connectrpc.com/otelconnect"
	"github.com/jackc/pgx/v5/pgtype"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/pkg/rpcserve"
	"github.com/transcodely/transcodely/pkg/wirejson"
)

// ErrorDetail builds the public error detail; it is the DetailFunc every
// handler's error chokepoint uses.
func ErrorDetail(code, message string, violations []rpcerr.Violation) proto.Message {
	d := &commonv1.ErrorDetails{Code: code, Message: message}
	for _, v := range violations {
		d.FieldViolations = append(d.FieldViolations, &commonv1.FieldViolation{Field: v.Field, Description: v.Description})
	}
	return d
}

// AuthOptions lists the procedures open without a key or without an
// organization header, as the spec says.
var AuthOptions = auth.Options{
	Public: map[string]bool{
		"/transcodely.v1.HealthService/Check": true,
	},
	// UpdateMe changes only the caller's own profile, which belongs to no
	// organization, so like GetMe it needs none.
	NoOrganization: map[string]bool{
		"/transcodely.v1.UserService/GetMe":             true,
		"/transcodely.v1.UserService/UpdateMe":          true,
		"/transcodely.v1.OrganizationService/CheckSlug": true,
		"/transcodely.v1.OrganizationService/Create":    true,
		"/transcodely.v1.OrganizationService/List":      true,
	},
	AppScoped: AppScoped,
}

// Deps are what HandlerOptions needs.
type Deps struct {
	Logger *slog.Logger
	// Verifier authenticates public calls.
	Verifier auth.Verifier
	// ServiceToken guards /transcodely.internal.* procedures.
	ServiceToken string
	// RateLimit sets the per-organization limits; the zero value limits
	// nothing (binaries load it from the environment with its defaults).
	RateLimit RateLimit
}

// HandlerOptions are the options of every public and internal handler.
// Order matters: tracing sees everything; errors are translated (and
// uncoded ones masked) around authentication, so auth failures get the
// public error shape too; the rate limit counts every authenticated call,
// refused ones included, so hammering with a weak role still costs tokens;
// authentication and authorization run before request validation, so a
// caller without a key or the role learns nothing about the request it sent.
// Each call builds its own rate-limit buckets: call it once per process.
func HandlerOptions(d Deps) []connect.HandlerOption {
	interceptors := []connect.Interceptor{}
	if otel, err := otelconnect.NewInterceptor(); err == nil {
		interceptors = append(interceptors, otel)
	}
	interceptors = append(interceptors,
		edgeErrors{},
		auth.NewServiceTokenInterceptor(d.ServiceToken),
		auth.NewInterceptor(d.Verifier, AuthOptions),
	)
	if rl := newRateLimiter(d.RateLimit); rl != nil {
		interceptors = append(interceptors, rl)
	}
	interceptors = append(interceptors,
		authorizer{},
		// Validation and the error chokepoint for handler errors (with
		// logging and masking of uncoded errors).
		rpcerr.NewInterceptor(d.Logger, ErrorDetail),
	)
	return []connect.HandlerOption{
		// Registers "json" and "json; charset=utf-8", so every JSON caller
		// gets the public wire format.
		wirejson.WithCodec(wirejson.Codec{}),
		connect.WithInterceptors(interceptors...),
	}
}

// ClientOptions are the options of clients one service uses to call another.
// They speak binary protobuf (cheaper than JSON) and send the service token.
func ClientOptions(serviceToken string) []connect.ClientOption {
	interceptors := []connect.Interceptor{auth.NewServiceTokenInterceptor(serviceToken)}
	if otel, err := otelconnect.NewInterceptor(); err == nil {
		interceptors = append([]connect.Interceptor{otel}, interceptors...)
	}
	return []connect.ClientOption{connect.WithInterceptors(interceptors...)}
}

// HTTPClient is the client for calls between services (h2c).
func HTTPClient() *http.Client { return rpcserve.ClientHTTP() }

// Handler wraps a service mux with the HTTP middleware that gives plain
// HTTP/JSON callers the spec's error bodies.
func Handler(mux http.Handler) http.Handler {
	return rpcerr.Middleware(mux, rpcerr.MiddlewareOptions{})
}

// edgeErrors gives authentication failures (which happen outside the
// handler chokepoint) their code and public detail.
type edgeErrors struct{}

func (edgeErrors) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		resp, err := next(ctx, req)
		if err != nil && !req.Spec().IsClient {
			return nil, rpcerr.ToConnect(err, ErrorDetail)
		}
		return resp, err
	}
}

func (edgeErrors) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (edgeErrors) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		if err := next(ctx, conn); err != nil {
			return rpcerr.ToConnect(err, ErrorDetail)
		}
		return nil
	}
}

// EnumString is the public wire string of an enum value ("s3", "pending").
func EnumString(e protoreflect.Enum) string {
	return wirejson.EnumString(e.Descriptor(), e.Number())
}

// EnumNumber finds the value of enum descriptor d whose wire string is s;
// ok is false for an unknown string.
func EnumNumber(d protoreflect.EnumDescriptor, s string) (protoreflect.EnumNumber, bool) {
	values := d.Values()
	for i := range values.Len() {
		if v := values.Get(i); wirejson.EnumString(d, v.Number()) == s {
			return v.Number(), true
		}
	}
	return 0, false
}

// Timestamp converts a database timestamp; an unset one is nil (null on the
// wire).
func Timestamp(t pgtype.Timestamptz) *timestamppb.Timestamp {
	if !t.Valid {
		return nil
	}
	return timestamppb.New(t.Time)
}
