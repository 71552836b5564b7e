package rpcerr_test

import (
	"bufio"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/transcodely/transcodely/pkg/rpcerr"
)

// connectErrorBody is what connect writes for a unary error with one
// google.protobuf.Struct detail {"code":"not_found"}.
func connectErrorBody(t *testing.T, code string) string {
	t.Helper()
	bin, err := proto.Marshal(mustStruct(t, map[string]any{"code": code}))
	if err != nil {
		t.Fatal(err)
	}
	return `{"code":"` + code + `","message":"job <x> & co","details":[{"type":"google.protobuf.Struct","value":"` +
		base64.RawStdEncoding.EncodeToString(bin) + `","debug":{"code":"` + code + `"}}]}`
}

func mustStruct(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := structpb.NewStruct(m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// serveOnce runs h behind the middleware for one request and returns the
// recorded response.
func serveOnce(h http.HandlerFunc, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	rpcerr.Middleware(h, rpcerr.MiddlewareOptions{}).ServeHTTP(rec, req)
	return rec
}

func errorHandler(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func TestMiddleware_CallerDetection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		target      string
		header      map[string]string
		wantRewrite bool
	}{
		{"plain POST", "/svc/M", map[string]string{"Content-Type": "application/json"}, true},
		{"plain POST with charset", "/svc/M", map[string]string{"Content-Type": "application/json; charset=utf-8"}, true},
		{"connect POST", "/svc/M", map[string]string{"Content-Type": "application/json", "Connect-Protocol-Version": "1"}, false},
		{"connect GET", "/svc/M?connect=v1&encoding=json&message=%7B%7D", nil, false},
		{"plain GET", "/svc/M?encoding=json&message=%7B%7D", nil, true},
		{"grpc", "/svc/M", map[string]string{"Content-Type": "application/grpc+proto"}, false},
		{"grpc-web", "/svc/M", map[string]string{"Content-Type": "application/grpc-web+json"}, false},
		{"connect streaming", "/svc/M", map[string]string{"Content-Type": "application/connect+json"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := connectErrorBody(t, "failed_precondition")
			method := http.MethodPost
			if strings.Contains(tt.target, "?") {
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, tt.target, strings.NewReader(`{}`))
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			rec := serveOnce(errorHandler(400, "application/json", body), req)
			if !tt.wantRewrite {
				if rec.Code != 400 || rec.Body.String() != body {
					t.Errorf("response changed for non-plain caller: %d %s", rec.Code, rec.Body)
				}
				return
			}
			want := `{"code":"failed_precondition","message":"job <x> & co","details":[{"type":"google.protobuf.Struct","value":{"code":"failed_precondition"}}]}`
			if rec.Code != 412 || rec.Body.String() != want {
				t.Errorf("got %d %s\nwant 412 %s", rec.Code, rec.Body, want)
			}
			if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(rec.Body.Len()) {
				t.Errorf("Content-Length = %s, body is %d bytes", cl, rec.Body.Len())
			}
		})
	}
}

func TestMiddleware_LeavesOtherResponsesAlone(t *testing.T) {
	t.Parallel()
	unknownDetail := `{"code":"not_found","message":"m","details":[{"type":"acme.v1.Unknown","value":"AAAA"}]}`
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
	}{
		{"success", 200, "application/json", `{"id":"x"}`},
		{"non-JSON error", 502, "text/plain", "bad gateway"},
		{"JSON error that is not connect's", 404, "application/json", `{"error":"no route"}`},
		{"unknown detail type kept as is", 404, "application/json", unknownDetail},
		{"invalid JSON error body", 500, "application/json", `{"code":`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodPost, "/svc/M", strings.NewReader(`{}`))
			rec := serveOnce(errorHandler(tt.status, tt.contentType, tt.body), req)
			if rec.Code != tt.status || rec.Body.String() != tt.body {
				t.Errorf("got %d %s, want %d %s", rec.Code, rec.Body, tt.status, tt.body)
			}
		})
	}
}

func TestMiddleware_StreamsSuccessUnbuffered(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	h := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "first\n")
		w.(http.Flusher).Flush()
		<-release // the client must see "first" before the handler finishes
		_, _ = io.WriteString(w, "second\n")
	}
	srv := httptest.NewServer(rpcerr.Middleware(http.HandlerFunc(h), rpcerr.MiddlewareOptions{}))
	t.Cleanup(srv.Close)
	defer close(release)

	res, err := http.Post(srv.URL, "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(res.Body).ReadString('\n')
		lines <- line
	}()
	select {
	case line := <-lines:
		if line != "first\n" {
			t.Errorf("first line = %q", line)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("flushed data did not reach the client: the middleware buffered a 2xx response")
	}
}

func TestMiddleware_CustomDetailType(t *testing.T) {
	t.Parallel()
	body := `{"code":"invalid_argument","message":"unmarshal message: unmarshal into *v1.Req: name: expected string, got number"}`
	req := httptest.NewRequest(http.MethodPost, "/svc/M", strings.NewReader(`{}`))
	rec := httptest.NewRecorder()
	rpcerr.Middleware(errorHandler(400, "application/json", body), rpcerr.MiddlewareOptions{DetailType: "acme.v1.ErrorDetails"}).ServeHTTP(rec, req)
	want := `{"code":"invalid_argument","message":"Request validation failed","details":[{"type":"acme.v1.ErrorDetails",` +
		`"value":{"code":"validation_error","message":"Request validation failed","field_violations":[{"field":"name","description":"expected string, got number"}]}}]}`
	if rec.Code != 400 || rec.Body.String() != want {
		t.Errorf("got %d %s\nwant %s", rec.Code, rec.Body, want)
	}
}
