package rpcerr_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"buf.build/go/protovalidate"
	"connectrpc.com/connect"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/transcodely/transcodely/pkg/rpcerr"
)

func TestError_Constructors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		err      error
		wantKind rpcerr.Kind
		wantText string
	}{
		{"not found", rpcerr.NotFound("job", "job_1"), rpcerr.KindNotFound, `job "job_1" not found`},
		{"already exists", rpcerr.AlreadyExists("preset exists"), rpcerr.KindAlreadyExists, "preset exists"},
		{"failed precondition", rpcerr.FailedPrecondition("job finished"), rpcerr.KindFailedPrecondition, "job finished"},
		{"permission denied", rpcerr.PermissionDenied("no"), rpcerr.KindPermissionDenied, "no"},
		{"unauthenticated", rpcerr.Unauthenticated("bad key"), rpcerr.KindUnauthenticated, "bad key"},
		{"resource exhausted", rpcerr.ResourceExhausted("slow down", time.Second), rpcerr.KindResourceExhausted, "slow down"},
		{"unavailable", rpcerr.Unavailable("try later"), rpcerr.KindUnavailable, "try later"},
		{"invalid field", rpcerr.InvalidField("outputs[0].codec", "unsupported"), rpcerr.KindInvalid,
			"Request validation failed: outputs[0].codec: unsupported"},
		{"invalid several", rpcerr.Invalid(rpcerr.Violation{Field: "a", Description: "x"}, rpcerr.Violation{Description: "y"}),
			rpcerr.KindInvalid, "Request validation failed: a: x; y"},
		{"wrapped keeps kind", fmt.Errorf("load job: %w", rpcerr.NotFound("job", "j")), rpcerr.KindNotFound, `load job: job "j" not found`},
		{"uncoded", errors.New("boom"), rpcerr.KindUnknown, "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := rpcerr.KindOf(tt.err); got != tt.wantKind {
				t.Errorf("KindOf = %v, want %v", got, tt.wantKind)
			}
			if got := tt.err.Error(); got != tt.wantText {
				t.Errorf("Error() = %q, want %q", got, tt.wantText)
			}
			var e *rpcerr.Error
			if errors.As(tt.err, &e) != (tt.wantKind != rpcerr.KindUnknown) {
				t.Errorf("errors.As(*rpcerr.Error) = %v", !(tt.wantKind != rpcerr.KindUnknown))
			}
		})
	}
}

func TestToConnect(t *testing.T) {
	t.Parallel()
	preCoded := connect.NewError(connect.CodeAborted, errors.New("already coded"))
	tests := []struct {
		name       string
		err        error
		wantCode   connect.Code
		wantMsg    string
		wantDetail string // detail "code", "" for no detail
		wantSame   bool   // the *connect.Error must pass through untouched
	}{
		{"invalid", rpcerr.InvalidField("name", "required"), connect.CodeInvalidArgument, "Request validation failed", "validation_error", false},
		{"not found", rpcerr.NotFound("job", "j1"), connect.CodeNotFound, `job "j1" not found`, "not_found", false},
		{"already exists", rpcerr.AlreadyExists("dup"), connect.CodeAlreadyExists, "dup", "already_exists", false},
		{"failed precondition", rpcerr.FailedPrecondition("done"), connect.CodeFailedPrecondition, "done", "failed_precondition", false},
		{"permission denied", rpcerr.PermissionDenied("no"), connect.CodePermissionDenied, "no", "permission_denied", false},
		{"unauthenticated", rpcerr.Unauthenticated("who"), connect.CodeUnauthenticated, "who", "unauthenticated", false},
		{"resource exhausted", rpcerr.ResourceExhausted("quota", 0), connect.CodeResourceExhausted, "quota", "resource_exhausted", false},
		{"unavailable", rpcerr.Unavailable("later"), connect.CodeUnavailable, "later", "unavailable", false},
		{"wrapped domain error sends only its own message", fmt.Errorf("db host 10.0.0.5: %w", rpcerr.NotFound("job", "j1")),
			connect.CodeNotFound, `job "j1" not found`, "not_found", false},
		{"connect error passes through", preCoded, connect.CodeAborted, "already coded", "", true},
		{"wrapped connect error passes through", fmt.Errorf("call: %w", preCoded), connect.CodeAborted, "already coded", "", true},
		{"canceled", fmt.Errorf("query: %w", context.Canceled), connect.CodeCanceled, "request canceled", "canceled", false},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), connect.CodeDeadlineExceeded, "deadline exceeded", "deadline_exceeded", false},
		{"uncoded is masked", errors.New("pq: secret connection string leaked"), connect.CodeInternal, "internal error", "internal", false},
		{"kindless Error is masked", &rpcerr.Error{Message: "leaked"}, connect.CodeInternal, "internal error", "internal", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := rpcerr.ToConnect(tt.err, structDetail)
			if got.Code() != tt.wantCode || got.Message() != tt.wantMsg {
				t.Errorf("ToConnect = %v %q, want %v %q", got.Code(), got.Message(), tt.wantCode, tt.wantMsg)
			}
			if tt.wantSame && got != preCoded {
				t.Errorf("ToConnect returned a new error for an existing *connect.Error")
			}
			details := got.Details()
			if tt.wantDetail == "" {
				if len(details) != 0 {
					t.Errorf("got %d details, want none", len(details))
				}
				return
			}
			if len(details) != 1 {
				t.Fatalf("got %d details, want 1", len(details))
			}
			v, err := details[0].Value()
			if err != nil {
				t.Fatal(err)
			}
			s := v.(*structpb.Struct).AsMap()
			if s["code"] != tt.wantDetail || s["message"] != tt.wantMsg {
				t.Errorf("detail = %v, want code %q message %q", s, tt.wantDetail, tt.wantMsg)
			}
			if strings.Contains(got.Error(), "leaked") || strings.Contains(got.Error(), "10.0.0.5") {
				t.Errorf("error text leaked: %q", got.Error())
			}
		})
	}
	t.Run("nil", func(t *testing.T) {
		t.Parallel()
		if got := rpcerr.ToConnect(nil, structDetail); got != nil {
			t.Errorf("ToConnect(nil) = %v", got)
		}
	})
	t.Run("retry after header", func(t *testing.T) {
		t.Parallel()
		got := rpcerr.ToConnect(rpcerr.ResourceExhausted("quota", 1500*time.Millisecond), nil)
		if h := got.Meta().Get("Retry-After"); h != "2" {
			t.Errorf("Retry-After = %q, want 2", h)
		}
		if len(got.Details()) != 0 {
			t.Errorf("nil DetailFunc attached details")
		}
	})
	t.Run("violations reach the detail", func(t *testing.T) {
		t.Parallel()
		got := rpcerr.ToConnect(rpcerr.InvalidField("outputs[0].video[0].codec", "bad"), structDetail)
		v, err := got.Details()[0].Value()
		if err != nil {
			t.Fatal(err)
		}
		fv := v.(*structpb.Struct).AsMap()["field_violations"].([]any)
		want := map[string]any{"field": "outputs[0].video[0].codec", "description": "bad"}
		if len(fv) != 1 || fmt.Sprint(fv[0]) != fmt.Sprint(want) {
			t.Errorf("field_violations = %v, want [%v]", fv, want)
		}
	})
}

func TestFromValidationError(t *testing.T) {
	t.Parallel()
	validator, err := protovalidate.New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		req  string // JSON for CreateJobRequest (protojson, independent of wirejson)
		want []rpcerr.Violation
	}{
		{"valid", `{"name":"n","outputs":[{"video":[{"codec":"h264"}]}]}`, nil},
		{"nested repeated path", `{"name":"n","outputs":[{"video":[{"codec":"h264"}]},{"video":[{"codec":"av1"},{"codec":"h263"}]}]}`,
			[]rpcerr.Violation{{Field: "outputs[1].video[1].codec", Description: `must be in list [h264, h265, vp9, av1]`}}},
		{"several violations and a map key", `{"labels":{"a":"x"}}`, []rpcerr.Violation{
			{Field: "name", Description: "must be at least 1 characters"},
			{Field: `labels["a"]`, Description: "invalid map key: must be at least 2 characters"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msg := dynamicpb.NewMessage(createJobDesc)
			if err := protojson.Unmarshal([]byte(tt.req), msg); err != nil {
				t.Fatal(err)
			}
			err := rpcerr.FromValidationError(validator.Validate(msg))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("FromValidationError = %v, want nil", err)
				}
				return
			}
			var e *rpcerr.Error
			if !errors.As(err, &e) || e.Kind != rpcerr.KindInvalid {
				t.Fatalf("FromValidationError = %v, want KindInvalid", err)
			}
			if fmt.Sprint(e.Violations) != fmt.Sprint(tt.want) {
				t.Errorf("violations =\n %q\nwant\n %q", e.Violations, tt.want)
			}
		})
	}
	t.Run("other errors pass through to be masked", func(t *testing.T) {
		t.Parallel()
		other := &protovalidate.RuntimeError{}
		if got := rpcerr.FromValidationError(other); got != other {
			t.Errorf("FromValidationError(RuntimeError) = %v", got)
		}
		if got := rpcerr.FromValidationError(nil); got != nil {
			t.Errorf("FromValidationError(nil) = %v", got)
		}
	})
}
