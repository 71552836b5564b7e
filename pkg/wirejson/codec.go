// Package wirejson implements Transcodely's public JSON wire format for
// protobuf messages and exposes it as the Connect codec named "json".
//
// protojson's defaults do not match the public API spec (lowerCamel names,
// int64 as strings, SCREAMING_CASE enums, zero values dropped), and its
// options cannot express the spec either (it has no lowercase enum names and
// no "omit only unset optional scalars" mode). So this package carries its own
// encoder and decoder that walk protoreflect directly:
//
//   - field names are the proto (snake_case) names, in declaration order;
//   - every scalar, repeated field ([]) and map ({}) is always present;
//   - unset message fields and Timestamps are null;
//   - unset proto3 `optional` scalars and unset oneof members are omitted;
//   - enums are lowercase names without the enum's common prefix, which is
//     the zero value's name minus "UNSPECIFIED" (JOB_STATUS_PENDING ->
//     "pending");
//   - 64-bit integers are JSON numbers;
//   - Timestamps are RFC 3339 strings in UTC with a "Z" suffix;
//   - bytes are standard base64.
//
// Decoding is lenient about spelling (snake_case or lowerCamel names; enum
// values as wire string, full value name or number; int64 as number or
// string) but strict about meaning: unknown fields, unknown enum values and
// wrong JSON types are rejected with a *FieldError naming the field path in
// the spec's style (outputs[0].video[0].codec).
package wirejson

import (
	"fmt"
	"strconv"
	"strings"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"
)

// Name is the codec name Connect uses for application/json; registering a
// codec under this name replaces connect's default protojson codec.
const Name = "json"

// nameCharsetUTF8 is the second name connect registers its JSON codec under.
// Plain HTTP clients frequently send "application/json; charset=utf-8", and
// without a codec for that name connect would silently answer them in
// protojson's (non-spec) format.
const nameCharsetUTF8 = Name + "; charset=utf-8"

// Codec is the connect.Codec for the public JSON wire format. The zero value
// is ready to use and strict: unknown fields are an error.
type Codec struct {
	// DiscardUnknown makes Unmarshal skip unknown fields instead of failing.
	// Servers keep it false so client typos surface as errors; clients reading
	// responses from a possibly newer server should set it.
	DiscardUnknown bool
}

// Compile-time checks that Codec satisfies connect's optional codec
// extensions (marshalAppender and stableCodec are unexported in connect, so
// they are checked structurally).
var (
	_ connect.Codec = Codec{}
	_ interface {
		MarshalAppend([]byte, any) ([]byte, error)
		MarshalStable(any) ([]byte, error)
		IsBinary() bool
	} = Codec{}
)

// Name returns "json", the codec name connect matches against the request's
// Content-Type.
func (Codec) Name() string { return Name }

// Marshal encodes a proto.Message in the public wire format.
func (Codec) Marshal(message any) ([]byte, error) {
	m, err := asProto(message)
	if err != nil {
		return nil, err
	}
	return MarshalAppend(nil, m)
}

// MarshalAppend encodes a proto.Message, appending to dst; connect uses it to
// reuse its pooled buffers.
func (Codec) MarshalAppend(dst []byte, message any) ([]byte, error) {
	m, err := asProto(message)
	if err != nil {
		return nil, err
	}
	return MarshalAppend(dst, m)
}

// MarshalStable is Marshal: the output is already deterministic (declaration
// order, sorted map keys, no optional whitespace). Connect uses it to build
// cacheable GET URLs.
func (c Codec) MarshalStable(message any) ([]byte, error) { return c.Marshal(message) }

// IsBinary reports false: the output is UTF-8 JSON text.
func (Codec) IsBinary() bool { return false }

// Unmarshal decodes the public wire format into a proto.Message. Errors
// wrap a *FieldError; the wrapping mirrors connect's own codecs
// ("unmarshal into %T: ...") so ParseFieldError can recover the field from
// the error text after connect has flattened it into a message.
func (c Codec) Unmarshal(data []byte, message any) error {
	m, err := asProto(message)
	if err != nil {
		return err
	}
	if err := unmarshal(data, m, c.DiscardUnknown); err != nil {
		return fmt.Errorf("unmarshal into %T: %w", message, err)
	}
	return nil
}

// charsetCodec is Codec registered under "json; charset=utf-8".
type charsetCodec struct{ Codec }

// Name returns the charset-qualified codec name.
func (charsetCodec) Name() string { return nameCharsetUTF8 }

// WithCodec returns a connect option (usable for handlers and clients) that
// registers c under both names connect uses for JSON ("json" and
// "json; charset=utf-8"), so no JSON caller falls back to protojson.
//
// On a client the last registered codec is the one used to send, so "json"
// is registered last, and this option alone makes a client speak the wire
// format; do not add connect.WithProtoJSON after it, as that would replace
// the "json" codec with protojson again.
func WithCodec(c Codec) connect.Option {
	return connect.WithOptions(connect.WithCodec(charsetCodec{c}), connect.WithCodec(c))
}

func asProto(message any) (proto.Message, error) {
	m, ok := message.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("wirejson: %T is not a proto.Message", message)
	}
	return m, nil
}

// Marshal encodes m in the public wire format, for non-RPC uses such as
// webhook payloads, error bodies and CLI output.
func Marshal(m proto.Message) ([]byte, error) { return MarshalAppend(nil, m) }

// MarshalAppend is Marshal appending to dst.
func MarshalAppend(dst []byte, m proto.Message) ([]byte, error) {
	if m == nil {
		return append(dst, "null"...), nil
	}
	return appendMessage(dst, m.ProtoReflect())
}

// Unmarshal decodes data (public wire format) into m, rejecting unknown
// fields. m is reset first. An empty (or all-whitespace) input decodes as
// the empty message, so plain HTTP callers can POST no body to methods that
// take no arguments.
func Unmarshal(data []byte, m proto.Message) error { return unmarshal(data, m, false) }

// FieldError reports a request value that cannot be decoded, naming the field
// in the spec's path style so it can be returned to API callers verbatim.
type FieldError struct {
	// Field is the path of the offending field, e.g. outputs[0].video[0].codec,
	// using proto (snake_case) names, [i] for list indexes and ["key"] for map
	// keys. It is empty for errors about the document as a whole.
	Field string
	// Description says what is wrong, e.g.
	// `unknown value "h263"; expected one of h264, h265, vp9, av1`.
	Description string
}

// Error renders "field: description" (or just the description when the
// error is not about one field).
func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Description
	}
	return e.Field + ": " + e.Description
}

// ParseFieldError recovers a FieldError from the text of an error produced
// by Codec.Unmarshal, optionally prefixed by connect's "unmarshal message: ".
// HTTP middleware only sees the error message connect wrote, not the Go
// error, so this is how it turns codec failures into field violations. It
// reports false for any other text.
func ParseFieldError(text string) (*FieldError, bool) {
	text = strings.TrimPrefix(text, "unmarshal message: ")
	rest, ok := strings.CutPrefix(text, "unmarshal into ")
	if !ok {
		return nil, false
	}
	// The Go type name (%T) contains no spaces, so the first ": " ends it.
	_, rest, ok = strings.Cut(rest, ": ")
	if !ok {
		return nil, false
	}
	n := pathPrefixLen(rest)
	if n == 0 || !strings.HasPrefix(rest[n:], ": ") {
		return nil, false
	}
	field := rest[:n]
	// protojson's errors ("proto: ...") would otherwise look like a field
	// named "proto"; they only appear if someone swaps the codec back.
	if field == "proto" {
		return nil, false
	}
	desc := rest[n+2:]
	if desc == "" {
		return nil, false
	}
	return &FieldError{Field: field, Description: desc}, true
}

// pathPrefixLen returns the length of the longest prefix of s that is a
// field path: identifiers joined by '.', each optionally followed by
// subscripts ([0], [-1], [true], ["quoted"]).
func pathPrefixLen(s string) int {
	i := 0
	for {
		start := i
		if i < len(s) && s[i] != '[' {
			for i < len(s) && isIdentByte(s[i], i == start) {
				i++
			}
			if i == start {
				return 0
			}
		}
		for i < len(s) && s[i] == '[' {
			j := subscriptLen(s[i:])
			if j == 0 {
				return 0
			}
			i += j
		}
		if i == start {
			return 0
		}
		if i < len(s) && s[i] == '.' {
			i++
			continue
		}
		return i
	}
}

// subscriptLen returns the length of a leading [..] subscript of s, or 0.
func subscriptLen(s string) int {
	if len(s) < 3 || s[0] != '[' {
		return 0
	}
	if s[1] == '"' {
		q, err := strconv.QuotedPrefix(s[1:])
		if err != nil || len(s) <= 1+len(q) || s[1+len(q)] != ']' {
			return 0
		}
		return len(q) + 2
	}
	end := strings.IndexByte(s, ']')
	if end < 2 {
		return 0
	}
	inner := s[1:end]
	if inner == "true" || inner == "false" {
		return end + 1
	}
	if _, err := strconv.ParseInt(inner, 10, 64); err == nil {
		return end + 1
	}
	if _, err := strconv.ParseUint(inner, 10, 64); err == nil {
		return end + 1
	}
	return 0
}

func isIdentByte(c byte, first bool) bool {
	switch {
	case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		return true
	case '0' <= c && c <= '9':
		return !first
	}
	return false
}
