package rpcerr

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/transcodely/transcodely/pkg/wirejson"
)

// DefaultDetailType is the error detail message Middleware names when it
// synthesizes a detail for codec errors.
const DefaultDetailType = "transcodely.v1.ErrorDetails"

// maxErrorBody bounds how much of an error response is held in memory;
// Connect error bodies are tiny, so anything larger is passed through as is.
const maxErrorBody = 1 << 20

// MiddlewareOptions configures Middleware. The zero value is ready to use.
type MiddlewareOptions struct {
	// DetailType is the type name written for details synthesized from codec
	// errors; it defaults to DefaultDetailType. It is a name rather than a
	// Go type because pkg/ cannot import the generated API.
	DetailType string
	// Resolver finds detail message types by name; it defaults to
	// protoregistry.GlobalTypes, where the binary's generated types
	// register themselves.
	Resolver interface {
		FindMessageByName(protoreflect.FullName) (protoreflect.MessageType, error)
	}
}

// Middleware rewrites unary error bodies for plain HTTP/JSON callers (no
// Connect-Protocol-Version header, no connect=v1 query parameter, not gRPC or
// gRPC-Web, not Connect streaming) into the public spec's shape:
//
//   - each detail's base64 "value" becomes the detail rendered as a wire JSON
//     object, e.g. {"type":"transcodely.v1.ErrorDetails","value":{"code":
//     "validation_error",...}}; details of unknown types are left as they are;
//   - invalid_argument errors that come from the JSON codec (which fails
//     before interceptors run, so they carry no detail) get a synthesized
//     validation_error detail naming the field;
//   - failed_precondition is sent as HTTP 412 instead of Connect's 400.
//
// Connect, gRPC and gRPC-Web callers get the untouched response: their
// clients decode the standard format. Only responses with status >= 400 and
// a JSON content type are buffered; everything else streams through, with
// flushing passed along.
func Middleware(next http.Handler, opts MiddlewareOptions) http.Handler {
	if opts.DetailType == "" {
		opts.DetailType = DefaultDetailType
	}
	if opts.Resolver == nil {
		opts.Resolver = protoregistry.GlobalTypes
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isPlainCaller(r) {
			next.ServeHTTP(w, r)
			return
		}
		rw := &errorRewriter{ResponseWriter: w, opts: &opts}
		next.ServeHTTP(rw, r)
		rw.finish()
	})
}

func isPlainCaller(r *http.Request) bool {
	if r.Header.Get("Connect-Protocol-Version") != "" {
		return false
	}
	if strings.Contains(r.URL.RawQuery, "connect=") && r.URL.Query().Get("connect") != "" {
		return false
	}
	ct := r.Header.Get("Content-Type")
	return !strings.HasPrefix(ct, "application/grpc") && !strings.HasPrefix(ct, "application/connect+")
}

// errorRewriter buffers error responses so they can be rewritten, and passes
// every other response straight through.
type errorRewriter struct {
	http.ResponseWriter
	opts        *MiddlewareOptions
	wroteHeader bool
	buffering   bool
	status      int
	buf         bytes.Buffer
}

func (w *errorRewriter) WriteHeader(status int) {
	if w.wroteHeader {
		return
	}
	if status < 200 {
		// Informational responses (103 Early Hints) may precede the real one.
		w.ResponseWriter.WriteHeader(status)
		return
	}
	w.wroteHeader = true
	h := w.Header()
	if status >= 400 && isJSON(h.Get("Content-Type")) && h.Get("Content-Encoding") == "" {
		w.buffering, w.status = true, status
		return
	}
	w.ResponseWriter.WriteHeader(status)
}

func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/json")
}

func (w *errorRewriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !w.buffering {
		return w.ResponseWriter.Write(p)
	}
	if w.buf.Len()+len(p) > maxErrorBody {
		// Not a Connect error body; give up on rewriting.
		w.buffering = false
		w.ResponseWriter.WriteHeader(w.status)
		if _, err := w.ResponseWriter.Write(w.buf.Bytes()); err != nil {
			return 0, err
		}
		w.buf.Reset()
		return w.ResponseWriter.Write(p)
	}
	return w.buf.Write(p)
}

// Flush forwards to the underlying writer unless the response is being
// buffered for rewriting (then finish writes it all at once).
func (w *errorRewriter) Flush() {
	if w.buffering {
		return
	}
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the underlying writer (for
// deadlines, hijacking, full-duplex).
func (w *errorRewriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *errorRewriter) finish() {
	if !w.buffering {
		return
	}
	body, status := w.rewrite(w.buf.Bytes(), w.status)
	h := w.Header()
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.ResponseWriter.WriteHeader(status)
	_, _ = w.ResponseWriter.Write(body)
}

// wireError is Connect's unary error body.
type wireError struct {
	Code    string            `json:"code"`
	Message string            `json:"message,omitempty"`
	Details []json.RawMessage `json:"details,omitempty"`
}

// rewrite returns the spec-shaped body and status; anything it does not
// understand is returned unchanged.
func (w *errorRewriter) rewrite(body []byte, status int) ([]byte, int) {
	var we wireError
	if err := json.Unmarshal(body, &we); err != nil || we.Code == "" {
		return body, status
	}
	for i, d := range we.Details {
		we.Details[i] = w.renderDetail(d)
	}
	if len(we.Details) == 0 && we.Code == "invalid_argument" {
		if fe, ok := wirejson.ParseFieldError(we.Message); ok {
			we.Message = ValidationMessage
			we.Details = []json.RawMessage{w.synthesizedDetail(fe)}
		}
	}
	if we.Code == "failed_precondition" {
		status = http.StatusPreconditionFailed
	}
	out, err := marshalJSON(we)
	if err != nil {
		return body, status
	}
	return out, status
}

// renderDetail turns Connect's {"type","value":"<base64>","debug"} into
// {"type","value":{...}} when the type is known.
func (w *errorRewriter) renderDetail(raw json.RawMessage) json.RawMessage {
	var d struct {
		Type  string `json:"type"`
		Value string `json:"value"`
	}
	if err := json.Unmarshal(raw, &d); err != nil || d.Type == "" {
		return raw
	}
	mt, err := w.opts.Resolver.FindMessageByName(protoreflect.FullName(d.Type))
	if err != nil {
		return raw
	}
	bin, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(d.Value, "="))
	if err != nil {
		return raw
	}
	m := mt.New().Interface()
	if err := proto.Unmarshal(bin, m); err != nil {
		return raw
	}
	value, err := wirejson.Marshal(m)
	if err != nil {
		return raw
	}
	out, err := marshalJSON(struct {
		Type  string          `json:"type"`
		Value json.RawMessage `json:"value"`
	}{d.Type, value})
	if err != nil {
		return raw
	}
	return out
}

// synthesizedDetail writes the ErrorDetails object form directly, since
// pkg/ cannot build the generated message.
func (w *errorRewriter) synthesizedDetail(fe *wirejson.FieldError) json.RawMessage {
	type fieldViolation struct {
		Field       string `json:"field"`
		Description string `json:"description"`
	}
	type errorDetails struct {
		Code            string           `json:"code"`
		Message         string           `json:"message"`
		FieldViolations []fieldViolation `json:"field_violations"`
	}
	out, _ := marshalJSON(struct {
		Type  string       `json:"type"`
		Value errorDetails `json:"value"`
	}{w.opts.DetailType, errorDetails{
		Code:            "validation_error",
		Message:         ValidationMessage,
		FieldViolations: []fieldViolation{{Field: fe.Field, Description: fe.Description}},
	}})
	return out
}

// marshalJSON is json.Marshal without HTML escaping, so messages containing
// <, > or & stay readable.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
