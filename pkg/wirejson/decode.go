package wirejson

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// path is the location of a value inside the request, kept as a parent-linked
// list so building it costs nothing until an error needs the string.
type path struct {
	parent *path
	// kind selects which of name / idx is meaningful.
	kind byte // 'f' field, 'i' list index, 'k' map key (already formatted)
	name string
	idx  int
}

func (p *path) field(name string) *path { return &path{parent: p, kind: 'f', name: name} }
func (p *path) index(i int) *path       { return &path{parent: p, kind: 'i', idx: i} }

// key appends a string map key subscript, quoted like protovalidate's
// FieldPathString (labels["env"]) so both error sources read the same.
func (p *path) key(k string) *path { return &path{parent: p, kind: 'k', name: strconv.Quote(k)} }

// rawKey appends a non-string map key subscript (ids[5], flags[true]).
func (p *path) rawKey(k string) *path { return &path{parent: p, kind: 'k', name: k} }

func (p *path) String() string {
	if p == nil {
		return ""
	}
	var sb strings.Builder
	p.write(&sb)
	return sb.String()
}

func (p *path) write(sb *strings.Builder) {
	if p == nil {
		return
	}
	p.parent.write(sb)
	switch p.kind {
	case 'f':
		if !isIdent(p.name) {
			// Unknown keys can be arbitrary text; quote them as a subscript
			// so the path stays parseable.
			sb.WriteByte('[')
			sb.WriteString(strconv.Quote(p.name))
			sb.WriteByte(']')
			return
		}
		if p.parent != nil {
			sb.WriteByte('.')
		}
		sb.WriteString(p.name)
	case 'i':
		sb.WriteByte('[')
		sb.WriteString(strconv.Itoa(p.idx))
		sb.WriteByte(']')
	case 'k':
		sb.WriteByte('[')
		sb.WriteString(p.name)
		sb.WriteByte(']')
	}
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if !isIdentByte(s[i], i == 0) {
			return false
		}
	}
	return true
}

func (p *path) errorf(format string, args ...any) *FieldError {
	return &FieldError{Field: p.String(), Description: fmt.Sprintf(format, args...)}
}

// typeError reports a JSON value of the wrong type.
func typeError(p *path, want string, got any) *FieldError {
	return p.errorf("expected %s, got %s", want, jsonType(got))
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

type decoder struct {
	discardUnknown bool
}

func unmarshal(data []byte, m proto.Message, discardUnknown bool) error {
	proto.Reset(m)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	// Decoding into `any` first keeps numbers exact (UseNumber) and lets the
	// descriptor drive interpretation, so a map value that happens to read
	// "JOB_STATUS_PENDING" is never mistaken for an enum.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return &FieldError{Description: "invalid JSON: " + describeSyntaxError(err)}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &FieldError{Description: "invalid JSON: unexpected data after the top-level value"}
	}
	d := decoder{discardUnknown: discardUnknown}
	if err := d.message(m.ProtoReflect(), v, nil); err != nil {
		return err
	}
	if err := proto.CheckInitialized(m); err != nil {
		return &FieldError{Description: err.Error()}
	}
	return nil
}

func describeSyntaxError(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("%s (at byte %d)", syn.Error(), syn.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of input"
	}
	return err.Error()
}

func (d *decoder) message(m protoreflect.Message, v any, p *path) error {
	md := m.Descriptor()
	if kind := messageInfoFor(md).wkt; kind != wktNone {
		return d.decodeWKT(kind, m, v, p)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return typeError(p, "object", v)
	}
	fields := md.Fields()
	var (
		seen      map[protoreflect.FieldNumber]string
		oneofUsed map[protoreflect.FullName]string
	)
	// Sorted keys make the reported error deterministic when a request has
	// several problems.
	for _, k := range sortedKeys(obj) {
		fd := fields.ByName(protoreflect.Name(k))
		if fd == nil {
			fd = fields.ByJSONName(k)
		}
		if fd == nil {
			if d.discardUnknown {
				continue
			}
			return p.field(k).errorf("unknown field")
		}
		fp := p.field(string(fd.Name()))
		if prev, dup := seen[fd.Number()]; dup {
			return fp.errorf("duplicate field (given as both %q and %q)", prev, k)
		}
		if seen == nil {
			seen = make(map[protoreflect.FieldNumber]string, len(obj))
		}
		seen[fd.Number()] = k

		val := obj[k]
		if val == nil {
			// null means "unset" for every field, which after Reset is
			// already the case. That includes google.protobuf.Value fields:
			// the encoder writes an unset message field as null, so reading
			// null back as unset keeps round trips stable (only inside
			// Struct/ListValue is null a NullValue).
			continue
		}
		if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() {
			if other, dup := oneofUsed[od.FullName()]; dup {
				return fp.errorf("only one of the %q fields may be set, but %s is also set", od.Name(), other)
			}
			if oneofUsed == nil {
				oneofUsed = make(map[protoreflect.FullName]string, 1)
			}
			oneofUsed[od.FullName()] = string(fd.Name())
		}
		if err := d.field(m, fd, val, fp); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) field(m protoreflect.Message, fd protoreflect.FieldDescriptor, v any, p *path) error {
	switch {
	case fd.IsList():
		arr, ok := v.([]any)
		if !ok {
			return typeError(p, "array", v)
		}
		if len(arr) == 0 {
			return nil
		}
		l := m.Mutable(fd).List()
		for i, ev := range arr {
			ep := p.index(i)
			if fd.Message() != nil {
				if ev == nil && fd.Message().FullName() != "google.protobuf.Value" {
					return ep.errorf("null is not allowed in a list")
				}
				elem := l.NewElement()
				if err := d.message(elem.Message(), ev, ep); err != nil {
					return err
				}
				l.Append(elem)
				continue
			}
			pv, err := d.scalar(fd, ev, ep)
			if err != nil {
				return err
			}
			l.Append(pv)
		}
		return nil
	case fd.IsMap():
		obj, ok := v.(map[string]any)
		if !ok {
			return typeError(p, "object", v)
		}
		if len(obj) == 0 {
			return nil
		}
		mp := m.Mutable(fd).Map()
		keyFd, valFd := fd.MapKey(), fd.MapValue()
		for _, k := range sortedKeys(obj) {
			mk, kp, err := mapKey(keyFd, k, p)
			if err != nil {
				return err
			}
			ev := obj[k]
			if valFd.Message() != nil {
				if ev == nil && valFd.Message().FullName() != "google.protobuf.Value" {
					return kp.errorf("null is not allowed as a map value")
				}
				val := mp.NewValue()
				if err := d.message(val.Message(), ev, kp); err != nil {
					return err
				}
				mp.Set(mk, val)
				continue
			}
			pv, err := d.scalar(valFd, ev, kp)
			if err != nil {
				return err
			}
			mp.Set(mk, pv)
		}
		return nil
	case fd.Message() != nil:
		return d.message(m.Mutable(fd).Message(), v, p)
	default:
		pv, err := d.scalar(fd, v, p)
		if err != nil {
			return err
		}
		m.Set(fd, pv)
		return nil
	}
}

// mapKey parses a JSON object key as a map key of fd's kind and returns the
// path of the entry.
func mapKey(fd protoreflect.FieldDescriptor, k string, p *path) (protoreflect.MapKey, *path, error) {
	switch fd.Kind() {
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(k).MapKey(), p.key(k), nil
	case protoreflect.BoolKind:
		switch k {
		case "true", "false":
			return protoreflect.ValueOfBool(k == "true").MapKey(), p.rawKey(k), nil
		}
	default:
		pv, err := parseInteger(fd.Kind(), k)
		if err == nil {
			return pv.MapKey(), p.rawKey(k), nil
		}
	}
	return protoreflect.MapKey{}, nil, p.key(k).errorf("invalid map key; expected %s", fd.Kind())
}

// scalar converts a JSON value into a singular non-message field value.
func (d *decoder) scalar(fd protoreflect.FieldDescriptor, v any, p *path) (protoreflect.Value, error) {
	kind := fd.Kind()
	switch kind {
	case protoreflect.BoolKind:
		if b, ok := v.(bool); ok {
			return protoreflect.ValueOfBool(b), nil
		}
		return protoreflect.Value{}, typeError(p, "boolean", v)
	case protoreflect.StringKind:
		if s, ok := v.(string); ok {
			return protoreflect.ValueOfString(s), nil
		}
		return protoreflect.Value{}, typeError(p, "string", v)
	case protoreflect.BytesKind:
		s, ok := v.(string)
		if !ok {
			return protoreflect.Value{}, typeError(p, "base64 string", v)
		}
		b, err := decodeBase64(s)
		if err != nil {
			return protoreflect.Value{}, p.errorf("invalid base64 data")
		}
		return protoreflect.ValueOfBytes(b), nil
	case protoreflect.EnumKind:
		return d.enum(fd.Enum(), v, p)
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		return parseFloatValue(kind, v, p)
	default:
		var s string
		switch x := v.(type) {
		case json.Number:
			s = string(x)
		case string:
			// 64-bit integers may arrive as strings from clients that
			// follow protojson's convention.
			s = x
		default:
			return protoreflect.Value{}, typeError(p, "integer", v)
		}
		pv, err := parseInteger(kind, s)
		if err != nil {
			return protoreflect.Value{}, p.errorf("invalid %s value %q: %v", kind, s, err)
		}
		return pv, nil
	}
}

var (
	errNotInteger = errors.New("not an integer")
	errRange      = errors.New("out of range")
)

// parseInteger parses s as an integer of the given kind, also accepting
// integral values in decimal/exponent form (1e3, 2.0), as protojson does.
func parseInteger(kind protoreflect.Kind, s string) (protoreflect.Value, error) {
	bits := 64
	signed := true
	switch kind {
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		bits = 32
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		bits, signed = 32, false
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		signed = false
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
	default:
		return protoreflect.Value{}, fmt.Errorf("unsupported kind %s", kind)
	}
	if signed {
		n, err := strconv.ParseInt(s, 10, bits)
		if err != nil {
			f, ferr := strconv.ParseFloat(s, 64)
			if ferr != nil || f != math.Trunc(f) {
				return protoreflect.Value{}, errNotInteger
			}
			if f < math.Ldexp(-1, bits-1) || f >= math.Ldexp(1, bits-1) {
				return protoreflect.Value{}, errRange
			}
			n = int64(f)
		}
		if bits == 32 {
			return protoreflect.ValueOfInt32(int32(n)), nil
		}
		return protoreflect.ValueOfInt64(n), nil
	}
	n, err := strconv.ParseUint(s, 10, bits)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) {
			return protoreflect.Value{}, errNotInteger
		}
		if f < 0 || f >= math.Ldexp(1, bits) {
			return protoreflect.Value{}, errRange
		}
		n = uint64(f)
	}
	if bits == 32 {
		return protoreflect.ValueOfUint32(uint32(n)), nil
	}
	return protoreflect.ValueOfUint64(n), nil
}

func parseFloatValue(kind protoreflect.Kind, v any, p *path) (protoreflect.Value, error) {
	bits := 64
	if kind == protoreflect.FloatKind {
		bits = 32
	}
	var s string
	switch x := v.(type) {
	case json.Number:
		s = string(x)
	case string:
		// protojson's spellings of non-finite values and quoted numbers.
		switch x {
		case "NaN":
			return floatValue(bits, math.NaN()), nil
		case "Infinity":
			return floatValue(bits, math.Inf(1)), nil
		case "-Infinity":
			return floatValue(bits, math.Inf(-1)), nil
		}
		s = x
	default:
		return protoreflect.Value{}, typeError(p, "number", v)
	}
	f, err := strconv.ParseFloat(s, bits)
	if err != nil {
		return protoreflect.Value{}, p.errorf("invalid %s value %q", kind, s)
	}
	return floatValue(bits, f), nil
}

func floatValue(bits int, f float64) protoreflect.Value {
	if bits == 32 {
		return protoreflect.ValueOfFloat32(float32(f))
	}
	return protoreflect.ValueOfFloat64(f)
}

// decodeBase64 accepts standard and URL-safe alphabets, padded or not, since
// clients differ in what their base64 libraries produce.
func decodeBase64(s string) ([]byte, error) {
	enc := base64.RawStdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.RawURLEncoding
	}
	return enc.DecodeString(strings.TrimRight(s, "="))
}

func (d *decoder) enum(ed protoreflect.EnumDescriptor, v any, p *path) (protoreflect.Value, error) {
	if ed.FullName() == "google.protobuf.NullValue" {
		if v == nil {
			return protoreflect.ValueOfEnum(0), nil
		}
	}
	info := enumInfoFor(ed)
	switch x := v.(type) {
	case string:
		if n, ok := info.byName[strings.ToLower(x)]; ok {
			return protoreflect.ValueOfEnum(n), nil
		}
		return protoreflect.Value{}, p.errorf("unknown value %q; expected one of %s", x, info.expected)
	case json.Number:
		n, err := strconv.ParseInt(string(x), 10, 32)
		if err != nil {
			return protoreflect.Value{}, p.errorf("invalid enum number %s", x)
		}
		// Open (proto3) enums keep undeclared numbers, as protobuf does, so
		// values from a newer schema survive a round trip.
		if info.closed && ed.Values().ByNumber(protoreflect.EnumNumber(n)) == nil {
			return protoreflect.Value{}, p.errorf("unknown value %s; expected one of %s", x, info.expected)
		}
		return protoreflect.ValueOfEnum(protoreflect.EnumNumber(n)), nil
	}
	return protoreflect.Value{}, typeError(p, "string", v)
}
