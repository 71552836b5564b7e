package rpcerr_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/pkg/wirejson"
)

const svc = "/rpcerrtest.v1.TestService/"

// testServer serves a handful of procedures through the interceptor, the
// wirejson codec and the middleware, the way services assemble them.
type testServer struct {
	*httptest.Server
	logs *logBuffer
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	logger, logs := newLogger()
	opts := connect.WithHandlerOptions(
		connect.WithInterceptors(rpcerr.NewInterceptor(logger, structDetail)),
		wirejson.WithCodec(wirejson.Codec{}),
	)
	dynamicRequest := connect.WithRequestInitializer(func(_ connect.Spec, msg any) error {
		*msg.(*dynamicpb.Message) = *dynamicpb.NewMessage(createJobDesc)
		return nil
	})
	failing := func(procedure string, err error) http.Handler {
		return connect.NewUnaryHandler(procedure, func(context.Context, *connect.Request[emptypb.Empty]) (*connect.Response[structpb.Struct], error) {
			return nil, err
		}, opts)
	}
	mux := http.NewServeMux()
	mux.Handle(svc+"Invalid", failing(svc+"Invalid", rpcerr.InvalidField("outputs[0].video[0].codec", "unsupported codec")))
	mux.Handle(svc+"Internal", failing(svc+"Internal", errors.New("pq: secret connection string leaked")))
	mux.Handle(svc+"Precondition", failing(svc+"Precondition", rpcerr.FailedPrecondition("job already finished")))
	mux.Handle(svc+"CreateJob", connect.NewUnaryHandler(svc+"CreateJob",
		func(context.Context, *connect.Request[dynamicpb.Message]) (*connect.Response[structpb.Struct], error) {
			return connect.NewResponse(&structpb.Struct{}), nil
		}, opts, dynamicRequest))
	mux.Handle(svc+"Watch", connect.NewServerStreamHandler(svc+"Watch",
		func(_ context.Context, req *connect.Request[dynamicpb.Message], stream *connect.ServerStream[structpb.Struct]) error {
			name := req.Msg.Get(createJobDesc.Fields().ByName("name")).String()
			for i := range 3 {
				s, _ := structpb.NewStruct(map[string]any{"name": name, "i": i})
				if err := stream.Send(s); err != nil {
					return err
				}
			}
			if name == "fail" {
				return errors.New("worker 10.0.0.7 crashed")
			}
			return nil
		}, opts, dynamicRequest))
	srv := httptest.NewServer(rpcerr.Middleware(mux, rpcerr.MiddlewareOptions{}))
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, logs: logs}
}

// postPlain is a plain HTTP/JSON caller: no Connect headers.
func postPlain(t *testing.T, url, body string) (int, map[string]any, string) {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		t.Fatalf("body is not JSON: %s", raw)
	}
	return res.StatusCode, obj, string(raw)
}

// connectDetail returns the single Struct detail of a connect error.
func connectDetail(t *testing.T, err error) (*connect.Error, map[string]any) {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error = %v, want *connect.Error", err)
	}
	if len(ce.Details()) != 1 {
		return ce, nil
	}
	v, derr := ce.Details()[0].Value()
	if derr != nil {
		t.Fatal(derr)
	}
	return ce, v.(*structpb.Struct).AsMap()
}

func TestInterceptorAndMiddleware_Unary(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	// A connect.Request carries mutable headers, so each call needs its own.
	empty := func() *connect.Request[emptypb.Empty] { return connect.NewRequest(&emptypb.Empty{}) }

	tests := []struct {
		name        string
		procedure   string
		wantCode    connect.Code
		wantMessage string
		wantStatus  int    // for plain callers
		wantDetail  string // detail code
		wantField   string // first field violation, if any
	}{
		{"invalid field", "Invalid", connect.CodeInvalidArgument, "Request validation failed", 400, "validation_error", "outputs[0].video[0].codec"},
		{"internal is masked", "Internal", connect.CodeInternal, "internal error", 500, "internal", ""},
		{"failed precondition is 412 for plain callers", "Precondition", connect.CodeFailedPrecondition, "job already finished", 412, "failed_precondition", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/connect client", func(t *testing.T) {
			t.Parallel()
			for _, opts := range [][]connect.ClientOption{nil, {connect.WithProtoJSON()}} {
				client := connect.NewClient[emptypb.Empty, structpb.Struct](http.DefaultClient, srv.URL+svc+tt.procedure, opts...)
				_, err := client.CallUnary(t.Context(), empty())
				ce, detail := connectDetail(t, err)
				if ce.Code() != tt.wantCode || ce.Message() != tt.wantMessage {
					t.Errorf("error = %v %q, want %v %q", ce.Code(), ce.Message(), tt.wantCode, tt.wantMessage)
				}
				if detail["code"] != tt.wantDetail || detail["message"] != tt.wantMessage {
					t.Errorf("detail = %v", detail)
				}
				if strings.Contains(ce.Error(), "leaked") {
					t.Errorf("internal text leaked to connect client: %v", ce)
				}
			}
		})
		t.Run(tt.name+"/plain caller", func(t *testing.T) {
			t.Parallel()
			status, body, raw := postPlain(t, srv.URL+svc+tt.procedure, `{}`)
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d", status, tt.wantStatus)
			}
			if body["code"] != tt.wantCode.String() || body["message"] != tt.wantMessage {
				t.Errorf("body = %s", raw)
			}
			details, _ := body["details"].([]any)
			if len(details) != 1 {
				t.Fatalf("details = %v, want 1 object-form detail; body %s", body["details"], raw)
			}
			d := details[0].(map[string]any)
			value, ok := d["value"].(map[string]any)
			if d["type"] != "google.protobuf.Struct" || !ok {
				t.Fatalf("detail not in object form: %s", raw)
			}
			if _, hasDebug := d["debug"]; hasDebug {
				t.Errorf("debug kept in plain body: %s", raw)
			}
			if value["code"] != tt.wantDetail || value["message"] != tt.wantMessage {
				t.Errorf("detail value = %v", value)
			}
			if tt.wantField != "" {
				fv := value["field_violations"].([]any)[0].(map[string]any)
				if fv["field"] != tt.wantField {
					t.Errorf("field_violations = %v", value["field_violations"])
				}
			}
			if strings.Contains(raw, "leaked") {
				t.Errorf("internal text leaked to plain caller: %s", raw)
			}
		})
	}

	t.Run("internal error is logged with procedure", func(t *testing.T) {
		t.Parallel()
		client := connect.NewClient[emptypb.Empty, structpb.Struct](http.DefaultClient, srv.URL+svc+"Internal")
		if _, err := client.CallUnary(t.Context(), empty()); err == nil {
			t.Fatal("want error")
		}
		logs := srv.logs.String()
		if !strings.Contains(logs, "leaked") || !strings.Contains(logs, "procedure="+svc+"Internal") {
			t.Errorf("logs = %s", logs)
		}
	})
}

func TestInterceptor_Validation(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	const bad = `{"name":"","outputs":[{"video":[{"codec":"h264"},{"codec":"h263"}]}]}`

	t.Run("plain caller", func(t *testing.T) {
		t.Parallel()
		status, body, raw := postPlain(t, srv.URL+svc+"CreateJob", bad)
		if status != 400 || body["code"] != "invalid_argument" {
			t.Fatalf("status %d body %s", status, raw)
		}
		value := body["details"].([]any)[0].(map[string]any)["value"].(map[string]any)
		got := value["field_violations"].([]any)
		want := []any{
			map[string]any{"field": "name", "description": "must be at least 1 characters"},
			map[string]any{"field": "outputs[0].video[1].codec", "description": "must be in list [h264, h265, vp9, av1]"},
		}
		if !jsonEqual(got, want) {
			t.Errorf("field_violations = %v\nwant %v", got, want)
		}
	})
	t.Run("connect client", func(t *testing.T) {
		t.Parallel()
		client := connect.NewClient[dynamicpb.Message, structpb.Struct](http.DefaultClient, srv.URL+svc+"CreateJob")
		req := dynamicpb.NewMessage(createJobDesc)
		if err := protojson.Unmarshal([]byte(bad), req); err != nil {
			t.Fatal(err)
		}
		_, err := client.CallUnary(t.Context(), connect.NewRequest(req))
		ce, detail := connectDetail(t, err)
		if ce.Code() != connect.CodeInvalidArgument || detail["code"] != "validation_error" {
			t.Fatalf("error = %v, detail %v", ce, detail)
		}
		if n := len(detail["field_violations"].([]any)); n != 2 {
			t.Errorf("got %d violations, want 2", n)
		}
	})
	t.Run("valid request passes", func(t *testing.T) {
		t.Parallel()
		status, _, raw := postPlain(t, srv.URL+svc+"CreateJob", `{"name":"n"}`)
		if status != 200 || raw != `{}` {
			t.Errorf("status %d body %s", status, raw)
		}
	})
}

func TestMiddleware_CodecErrors(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tests := []struct {
		name      string
		body      string
		wantField string
		wantDesc  string
	}{
		{"wrong type", `{"outputs":[{"video":[{"codec":5}]}]}`, "outputs[0].video[0].codec", "expected string, got number"},
		{"unknown field", `{"outputs":[{"vidoe":[]}]}`, "outputs[0].vidoe", "unknown field"},
		{"map key", `{"labels":{"a b":1}}`, `labels["a b"]`, "expected string, got number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, body, raw := postPlain(t, srv.URL+svc+"CreateJob", tt.body)
			if status != 400 || body["code"] != "invalid_argument" || body["message"] != rpcerr.ValidationMessage {
				t.Fatalf("status %d body %s", status, raw)
			}
			d := body["details"].([]any)[0].(map[string]any)
			want := map[string]any{
				"type": rpcerr.DefaultDetailType,
				"value": map[string]any{
					"code":             "validation_error",
					"message":          rpcerr.ValidationMessage,
					"field_violations": []any{map[string]any{"field": tt.wantField, "description": tt.wantDesc}},
				},
			}
			if !jsonEqual(d, want) {
				t.Errorf("detail = %v\nwant %v", d, want)
			}
		})
	}
	t.Run("connect client sees the path in the message", func(t *testing.T) {
		t.Parallel()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+svc+"CreateJob",
			strings.NewReader(`{"outputs":[{"video":[{"codec":5}]}]}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Connect-Protocol-Version", "1")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		if res.StatusCode != 400 || !strings.Contains(string(raw), "outputs[0].video[0].codec: expected string, got number") ||
			strings.Contains(string(raw), "details") {
			t.Errorf("status %d body %s", res.StatusCode, raw)
		}
	})
}

func TestInterceptor_Streaming(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	client := connect.NewClient[dynamicpb.Message, structpb.Struct](http.DefaultClient, srv.URL+svc+"Watch")
	newReq := func(name string) *connect.Request[dynamicpb.Message] {
		m := dynamicpb.NewMessage(createJobDesc)
		m.Set(createJobDesc.Fields().ByName("name"), protoreflectString(name))
		return connect.NewRequest(m)
	}
	tests := []struct {
		name     string
		req      string
		wantMsgs int
		wantCode connect.Code // 0 for success
		wantMsg  string
	}{
		{"valid stream goes through the middleware unbuffered", "ok", 3, 0, ""},
		{"invalid request is rejected before the handler", "", 0, connect.CodeInvalidArgument, "Request validation failed"},
		{"handler error is masked", "fail", 3, connect.CodeInternal, "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stream, err := client.CallServerStream(t.Context(), newReq(tt.req))
			if err != nil {
				t.Fatal(err)
			}
			defer stream.Close()
			n := 0
			for stream.Receive() {
				n++
			}
			if n != tt.wantMsgs {
				t.Errorf("received %d messages, want %d", n, tt.wantMsgs)
			}
			err = stream.Err()
			if tt.wantCode == 0 {
				if err != nil {
					t.Errorf("stream error = %v", err)
				}
				return
			}
			ce, detail := connectDetail(t, err)
			if ce.Code() != tt.wantCode || ce.Message() != tt.wantMsg || detail == nil {
				t.Errorf("stream error = %v (detail %v), want %v %q", ce, detail, tt.wantCode, tt.wantMsg)
			}
		})
	}
}

func jsonEqual(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}
