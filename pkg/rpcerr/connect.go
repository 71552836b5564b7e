package rpcerr

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"strconv"

	"buf.build/go/protovalidate"
	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"
)

// DetailFunc builds the single error detail attached to every translated
// error. pkg/ cannot import the generated API types, so services inject a
// function that builds transcodely.v1.ErrorDetails{code, message,
// field_violations}. code is "validation_error" for invalid_argument and the
// lowercase RPC code name ("not_found", "internal", ...) otherwise. A nil
// DetailFunc, or one returning nil, attaches nothing.
type DetailFunc func(code, message string, violations []Violation) proto.Message

// internalMessage is all a caller ever learns about an uncoded error.
const internalMessage = "internal error"

// ToConnect translates err into the *connect.Error sent to the caller:
//
//   - an existing *connect.Error (anywhere in the chain) passes through
//     untouched, since someone already chose its code deliberately;
//   - an *Error maps its Kind to the RPC code, keeping its Message and
//     Violations;
//   - context.Canceled / context.DeadlineExceeded map to canceled /
//     deadline_exceeded with a fixed message;
//   - anything else becomes internal with the message "internal error", and
//     the original is logged with slog.Default. Use NewInterceptor in servers:
//     it logs to its own logger with the procedure name.
//
// It returns nil for a nil err.
func ToConnect(err error, detail DetailFunc) *connect.Error {
	return translate(context.Background(), slog.Default(), "", err, detail)
}

func translate(ctx context.Context, logger *slog.Logger, procedure string, err error, detail DetailFunc) *connect.Error {
	if err == nil {
		return nil
	}
	if ce, ok := errors.AsType[*connect.Error](err); ok {
		return ce
	}
	if e, ok := errors.AsType[*Error](err); ok && e.Kind != KindUnknown {
		code := e.Kind.code()
		ce := connect.NewError(code, errors.New(e.Message))
		if e.RetryAfter > 0 {
			ce.Meta().Set("Retry-After", strconv.FormatInt(int64(math.Ceil(e.RetryAfter.Seconds())), 10))
		}
		attachDetail(ctx, logger, ce, detail, detailCode(code), e.Message, e.Violations)
		return ce
	}
	switch {
	case errors.Is(err, context.Canceled):
		return coded(ctx, logger, connect.CodeCanceled, "request canceled", detail)
	case errors.Is(err, context.DeadlineExceeded):
		return coded(ctx, logger, connect.CodeDeadlineExceeded, "deadline exceeded", detail)
	}
	// The original text may hold SQL, hostnames or credentials: log it for
	// operators and send the caller only the generic message.
	logger.ErrorContext(ctx, "internal error", slog.String("procedure", procedure), slog.Any("error", err))
	return coded(ctx, logger, connect.CodeInternal, internalMessage, detail)
}

func coded(ctx context.Context, logger *slog.Logger, code connect.Code, msg string, detail DetailFunc) *connect.Error {
	ce := connect.NewError(code, errors.New(msg))
	attachDetail(ctx, logger, ce, detail, detailCode(code), msg, nil)
	return ce
}

func detailCode(code connect.Code) string {
	if code == connect.CodeInvalidArgument {
		return "validation_error"
	}
	return code.String()
}

func attachDetail(ctx context.Context, logger *slog.Logger, ce *connect.Error, detail DetailFunc, code, msg string, violations []Violation) {
	if detail == nil {
		return
	}
	m := detail(code, msg, violations)
	if m == nil {
		return
	}
	d, err := connect.NewErrorDetail(m)
	if err != nil {
		// Only possible if the DetailFunc builds an unmarshalable message;
		// the error itself is still correct without its detail.
		logger.ErrorContext(ctx, "rpcerr: cannot encode error detail", slog.Any("error", err))
		return
	}
	ce.AddDetail(d)
}

func (k Kind) code() connect.Code {
	switch k {
	case KindInvalid:
		return connect.CodeInvalidArgument
	case KindNotFound:
		return connect.CodeNotFound
	case KindAlreadyExists:
		return connect.CodeAlreadyExists
	case KindFailedPrecondition:
		return connect.CodeFailedPrecondition
	case KindPermissionDenied:
		return connect.CodePermissionDenied
	case KindUnauthenticated:
		return connect.CodeUnauthenticated
	case KindResourceExhausted:
		return connect.CodeResourceExhausted
	case KindUnavailable:
		return connect.CodeUnavailable
	}
	return connect.CodeInternal
}

// FromValidationError converts a protovalidate *ValidationError into an
// Invalid error whose violations use the spec's field paths
// (outputs[0].video[0].codec) and the rules' messages. nil stays nil; any
// other error (a rule that fails to compile or evaluate) is returned as is,
// so it is masked as internal: it is a server bug, not a caller mistake.
func FromValidationError(err error) error {
	if err == nil {
		return nil
	}
	ve, ok := errors.AsType[*protovalidate.ValidationError](err)
	if !ok {
		return err
	}
	violations := make([]Violation, 0, len(ve.Violations))
	for _, v := range ve.Violations {
		violations = append(violations, violationOf(v))
	}
	return Invalid(violations...)
}

func violationOf(v *protovalidate.Violation) Violation {
	pv := v.Proto
	desc := pv.GetMessage()
	if desc == "" {
		// Custom CEL rules may omit a message; the rule id is the next
		// best explanation.
		desc = "violates rule " + strconv.Quote(pv.GetRuleId())
	}
	if pv.GetForKey() {
		desc = "invalid map key: " + desc
	}
	return Violation{
		Field:       protovalidate.FieldPathString(pv.GetField()),
		Description: desc,
	}
}
