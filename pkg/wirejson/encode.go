package wirejson

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// fieldInfo is the per-field encoding plan, cached per message descriptor so
// the hot path does not recompute names and presence rules.
type fieldInfo struct {
	fd protoreflect.FieldDescriptor
	// key is `"name":` ready to append.
	key string
	// omitUnset: members of oneofs (including proto3 `optional`, which is a
	// synthetic oneof) and other scalars with explicit presence are left out
	// when unset, because "absent" is the information they carry.
	omitUnset bool
	// nullUnset: singular message fields outside oneofs are written as null
	// when unset, so every non-optional field is always present.
	nullUnset bool
}

type messageInfo struct {
	fields []fieldInfo
	wkt    wktKind
}

var messageCache sync.Map // protoreflect.MessageDescriptor -> *messageInfo

func messageInfoFor(md protoreflect.MessageDescriptor) *messageInfo {
	if v, ok := messageCache.Load(md); ok {
		return v.(*messageInfo)
	}
	fields := md.Fields()
	info := &messageInfo{
		fields: make([]fieldInfo, fields.Len()),
		wkt:    wktKindOf(md),
	}
	for i := range fields.Len() {
		fd := fields.Get(i)
		isMessage := fd.Message() != nil && !fd.IsList() && !fd.IsMap()
		inOneof := fd.ContainingOneof() != nil
		info.fields[i] = fieldInfo{
			fd:        fd,
			key:       string(appendString(nil, string(fd.Name()))) + ":",
			omitUnset: inOneof || (fd.HasPresence() && !isMessage),
			nullUnset: isMessage && !inOneof,
		}
	}
	v, _ := messageCache.LoadOrStore(md, info)
	return v.(*messageInfo)
}

// appendMessage writes m as a JSON object (or as the special form of a
// well-known type).
func appendMessage(b []byte, m protoreflect.Message) ([]byte, error) {
	info := messageInfoFor(m.Descriptor())
	if info.wkt != wktNone {
		return appendWKT(b, info.wkt, m)
	}
	b = append(b, '{')
	first := true
	for i := range info.fields {
		f := &info.fields[i]
		if (f.omitUnset || f.nullUnset) && !m.Has(f.fd) {
			if f.omitUnset {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(b, f.key...)
			b = append(b, "null"...)
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.key...)
		var err error
		if b, err = appendField(b, f.fd, m.Get(f.fd)); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func appendField(b []byte, fd protoreflect.FieldDescriptor, v protoreflect.Value) ([]byte, error) {
	switch {
	case fd.IsList():
		return appendList(b, fd, v.List())
	case fd.IsMap():
		return appendMap(b, fd, v.Map())
	default:
		return appendSingular(b, fd, v)
	}
}

func appendList(b []byte, fd protoreflect.FieldDescriptor, l protoreflect.List) ([]byte, error) {
	b = append(b, '[')
	for i := range l.Len() {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendSingular(b, fd, l.Get(i)); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

func appendMap(b []byte, fd protoreflect.FieldDescriptor, mp protoreflect.Map) ([]byte, error) {
	keys := make([]protoreflect.MapKey, 0, mp.Len())
	mp.Range(func(k protoreflect.MapKey, _ protoreflect.Value) bool {
		keys = append(keys, k)
		return true
	})
	sortMapKeys(fd.MapKey().Kind(), keys)
	valueFd := fd.MapValue()
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		// JSON object keys are strings; numeric and bool keys use their
		// decimal/literal text, which is also what the decoder accepts.
		b = appendString(b, k.String())
		b = append(b, ':')
		var err error
		if b, err = appendSingular(b, valueFd, mp.Get(k)); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// sortMapKeys orders keys naturally (numerically for integer keys) so the
// output is deterministic.
func sortMapKeys(kind protoreflect.Kind, keys []protoreflect.MapKey) {
	switch kind {
	case protoreflect.StringKind:
		slices.SortFunc(keys, func(a, b protoreflect.MapKey) int { return cmp.Compare(a.String(), b.String()) })
	case protoreflect.BoolKind:
		slices.SortFunc(keys, func(a, b protoreflect.MapKey) int {
			return cmp.Compare(boolInt(a.Bool()), boolInt(b.Bool()))
		})
	case protoreflect.Uint32Kind, protoreflect.Uint64Kind, protoreflect.Fixed32Kind, protoreflect.Fixed64Kind:
		slices.SortFunc(keys, func(a, b protoreflect.MapKey) int { return cmp.Compare(a.Uint(), b.Uint()) })
	default:
		slices.SortFunc(keys, func(a, b protoreflect.MapKey) int { return cmp.Compare(a.Int(), b.Int()) })
	}
}

func boolInt(v bool) int {
	if v {
		return 1
	}
	return 0
}

func appendSingular(b []byte, fd protoreflect.FieldDescriptor, v protoreflect.Value) ([]byte, error) {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return strconv.AppendBool(b, v.Bool()), nil
	case protoreflect.EnumKind:
		return appendEnum(b, fd.Enum(), v.Enum()), nil
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind,
		protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return strconv.AppendUint(b, v.Uint(), 10), nil
	case protoreflect.FloatKind:
		return appendFloat(b, fd, v.Float(), 32)
	case protoreflect.DoubleKind:
		return appendFloat(b, fd, v.Float(), 64)
	case protoreflect.StringKind:
		s := v.String()
		if !utf8.ValidString(s) {
			return nil, fmt.Errorf("wirejson: field %s: string is not valid UTF-8", fd.FullName())
		}
		return appendString(b, s), nil
	case protoreflect.BytesKind:
		return appendBytes(b, v.Bytes()), nil
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return appendMessage(b, v.Message())
	}
	return nil, fmt.Errorf("wirejson: field %s: unsupported kind %v", fd.FullName(), fd.Kind())
}

func appendEnum(b []byte, ed protoreflect.EnumDescriptor, n protoreflect.EnumNumber) []byte {
	if ed.FullName() == "google.protobuf.NullValue" {
		return append(b, "null"...)
	}
	if q, ok := enumInfoFor(ed).quoted[n]; ok {
		return append(b, q...)
	}
	// Undeclared numbers (from a newer schema) are written as numbers, which
	// the decoder accepts back.
	return strconv.AppendInt(b, int64(n), 10)
}

// appendFloat writes f like encoding/json does (plain decimal in the usual
// range, exponent form outside it). NaN and Inf have no JSON number form; the
// spec does not allow them, so they are an error rather than a silent null.
func appendFloat(b []byte, fd protoreflect.FieldDescriptor, f float64, bits int) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("wirejson: field %s: %v is not representable in JSON", fd.FullName(), f)
	}
	return appendFloatNumber(b, f, bits), nil
}

func appendFloatNumber(b []byte, f float64, bits int) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) ||
			bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		// Shorten e-09 to e-9, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

func appendBytes(b []byte, v []byte) []byte {
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, v)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string. Unlike encoding/json it does not
// escape <, > and & (the output is an API body, not HTML), but it does escape
// U+2028/U+2029 so the output is also valid JavaScript. s must be valid UTF-8.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
