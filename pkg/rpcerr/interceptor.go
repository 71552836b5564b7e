package rpcerr

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"buf.build/go/protovalidate"
	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	"github.com/transcodely/transcodely/pkg/wirejson"
)

// interceptor validates requests and translates handler errors.
type interceptor struct {
	logger    *slog.Logger
	detail    DetailFunc
	validator protovalidate.Validator
}

// NewInterceptor returns the server interceptor that every Transcodely
// handler is built with. For unary and streaming handlers it
//
//   - validates each request message with protovalidate before the handler
//     sees it, turning rule violations into invalid_argument with field
//     violations;
//   - translates the handler's error with the rules of ToConnect, logging
//     masked internal errors to logger (slog.Default if nil) with the
//     procedure name.
//
// On clients it does nothing. It panics if protovalidate cannot be
// initialised, which without options only happens on a broken build and
// should stop the server at startup rather than let it serve unvalidated
// requests.
func NewInterceptor(logger *slog.Logger, detail DetailFunc) connect.Interceptor {
	if logger == nil {
		logger = slog.Default()
	}
	validator, err := protovalidate.New()
	if err != nil {
		panic(fmt.Sprintf("rpcerr: initialise protovalidate: %v", err))
	}
	return &interceptor{logger: logger, detail: detail, validator: validator}
}

func (i *interceptor) validate(msg any) error {
	m, ok := msg.(proto.Message)
	if !ok {
		return nil
	}
	return FromValidationError(i.validator.Validate(m))
}

func (i *interceptor) translate(ctx context.Context, procedure string, err error) error {
	if err == nil {
		// Return an untyped nil: a nil *connect.Error in an error interface
		// is non-nil and would turn success into failure.
		return nil
	}
	return translate(ctx, i.logger, procedure, err, i.detail)
}

// WrapUnary validates the request and translates the handler's error.
func (i *interceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if req.Spec().IsClient {
			return next(ctx, req)
		}
		procedure := req.Spec().Procedure
		if err := i.validate(req.Any()); err != nil {
			return nil, i.translate(ctx, procedure, err)
		}
		res, err := next(ctx, req)
		if err != nil {
			return nil, i.translate(ctx, procedure, err)
		}
		return res, nil
	}
}

// WrapStreamingClient leaves clients untouched.
func (i *interceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

// WrapStreamingHandler validates received messages and translates the
// handler's error.
func (i *interceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		procedure := conn.Spec().Procedure
		err := next(ctx, &validatingConn{StreamingHandlerConn: conn, ctx: ctx, procedure: procedure, i: i})
		return i.translate(ctx, procedure, err)
	}
}

// validatingConn validates every message the handler receives. (Unary
// requests are validated in WrapUnary; for server streams the one request
// is the first received message.) Receive returns a ready *connect.Error so
// the handler can return it as is.
type validatingConn struct {
	connect.StreamingHandlerConn
	ctx       context.Context // the stream's context, needed to log from Receive
	procedure string
	i         *interceptor
}

func (c *validatingConn) Receive(msg any) error {
	if err := c.StreamingHandlerConn.Receive(msg); err != nil {
		// Unary codec failures never reach interceptors; streaming ones do,
		// so give them the same field violations protovalidate gets.
		if fe, ok := errors.AsType[*wirejson.FieldError](err); ok {
			return c.i.translate(c.ctx, c.procedure, InvalidField(fe.Field, fe.Description))
		}
		return err
	}
	if err := c.i.validate(msg); err != nil {
		return c.i.translate(c.ctx, c.procedure, err)
	}
	return nil
}
