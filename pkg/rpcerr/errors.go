// Package rpcerr gives errors their RPC code exactly once, at the edge.
//
// Domain and store code return the kinds defined here (NotFound, Invalid,
// FailedPrecondition, ...) without knowing about RPC codes or HTTP statuses.
// The Connect interceptor (NewInterceptor) translates them with ToConnect,
// attaching one error detail built by an injected DetailFunc, and masks
// every error that was not deliberately coded as "internal error" so no
// request can surface internal error text. It also validates requests with
// protovalidate before handlers run. Middleware then reshapes unary error
// bodies for plain HTTP/JSON callers to the public spec's form.
package rpcerr

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind classifies a domain error; each kind maps to one RPC code.
type Kind int

// The zero Kind is deliberately not a valid kind: an *Error without a kind
// is treated like any uncoded error (masked as internal).
const (
	// KindUnknown is reported by KindOf for errors that carry no kind.
	KindUnknown Kind = iota
	// KindInvalid: the request is malformed; maps to invalid_argument.
	KindInvalid
	// KindNotFound: the addressed resource does not exist (or the caller
	// may not know it exists); maps to not_found.
	KindNotFound
	// KindAlreadyExists: a create collided with an existing resource.
	KindAlreadyExists
	// KindFailedPrecondition: the resource is in the wrong state for the
	// operation (e.g. cancelling a finished job).
	KindFailedPrecondition
	// KindPermissionDenied: the caller is known but not allowed.
	KindPermissionDenied
	// KindUnauthenticated: the caller could not be identified.
	KindUnauthenticated
	// KindResourceExhausted: quota or rate limit hit; may carry RetryAfter.
	KindResourceExhausted
	// KindUnavailable: a transient condition; the caller should retry.
	KindUnavailable
)

// String returns the RPC code name the kind maps to ("not_found"), which is
// also the "code" of the error detail.
func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "invalid_argument"
	case KindNotFound:
		return "not_found"
	case KindAlreadyExists:
		return "already_exists"
	case KindFailedPrecondition:
		return "failed_precondition"
	case KindPermissionDenied:
		return "permission_denied"
	case KindUnauthenticated:
		return "unauthenticated"
	case KindResourceExhausted:
		return "resource_exhausted"
	case KindUnavailable:
		return "unavailable"
	}
	return "unknown"
}

// ValidationMessage is the public message of every invalid_argument error
// that carries field violations, whether it came from protovalidate, the
// JSON codec or domain code, so callers see one consistent shape.
const ValidationMessage = "Request validation failed"

// Violation is one problem with one request field.
type Violation struct {
	// Field is the path in the spec's style: outputs[0].video[0].codec,
	// labels["env"]. Empty for problems with the request as a whole.
	Field string
	// Description is a human-readable explanation safe to show callers.
	Description string
}

// Error is a domain error with a kind. Everything in it is public: Message
// and Violations are sent to the caller verbatim, so they must not contain
// internal details. Wrap it with fmt.Errorf("...: %w", err) freely; only
// the Error itself is ever sent, never the wrapping text.
type Error struct {
	// Kind selects the RPC code.
	Kind Kind
	// Message is the caller-facing message.
	Message string
	// Violations lists the invalid fields (KindInvalid only).
	Violations []Violation
	// RetryAfter, when positive, tells the caller when to retry
	// (resource_exhausted); it is sent as a Retry-After header.
	RetryAfter time.Duration
}

// Error implements error; for invalid errors it lists the violations so logs
// are useful.
func (e *Error) Error() string {
	if len(e.Violations) == 0 {
		return e.Message
	}
	var sb strings.Builder
	sb.WriteString(e.Message)
	for i, v := range e.Violations {
		if i == 0 {
			sb.WriteString(": ")
		} else {
			sb.WriteString("; ")
		}
		if v.Field != "" {
			sb.WriteString(v.Field)
			sb.WriteString(": ")
		}
		sb.WriteString(v.Description)
	}
	return sb.String()
}

// KindOf returns the kind of the first *Error in err's chain, or
// KindUnknown. Domain code uses it to branch (e.g. treat not_found from a
// store as "create instead").
func KindOf(err error) Kind {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Kind
	}
	return KindUnknown
}

// NotFound reports that resource (e.g. "job") with the given id does not
// exist.
func NotFound(resource, id string) error {
	return &Error{Kind: KindNotFound, Message: fmt.Sprintf("%s %q not found", resource, id)}
}

// AlreadyExists reports a conflict with an existing resource.
func AlreadyExists(msg string) error { return &Error{Kind: KindAlreadyExists, Message: msg} }

// FailedPrecondition reports that the resource's state does not allow the
// operation.
func FailedPrecondition(msg string) error { return &Error{Kind: KindFailedPrecondition, Message: msg} }

// PermissionDenied reports that the caller may not perform the operation.
func PermissionDenied(msg string) error { return &Error{Kind: KindPermissionDenied, Message: msg} }

// Unauthenticated reports missing or invalid credentials.
func Unauthenticated(msg string) error { return &Error{Kind: KindUnauthenticated, Message: msg} }

// ResourceExhausted reports a quota or rate limit; retryAfter (if positive)
// is sent to the caller as Retry-After.
func ResourceExhausted(msg string, retryAfter time.Duration) error {
	return &Error{Kind: KindResourceExhausted, Message: msg, RetryAfter: retryAfter}
}

// Unavailable reports a transient failure the caller should retry.
func Unavailable(msg string) error { return &Error{Kind: KindUnavailable, Message: msg} }

// Invalid reports one or more invalid request fields.
func Invalid(violations ...Violation) error {
	return &Error{Kind: KindInvalid, Message: ValidationMessage, Violations: violations}
}

// InvalidField reports a single invalid request field.
func InvalidField(field, description string) error {
	return Invalid(Violation{Field: field, Description: description})
}
