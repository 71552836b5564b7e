package wirejson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// wktKind identifies the well-known types that have a special JSON form.
type wktKind int

const (
	wktNone wktKind = iota
	wktTimestamp
	wktDuration
	wktWrapper
	wktStruct
	wktListValue
	wktValue
	// wktDelegate types (Any, FieldMask) are rare in the API and have
	// intricate JSON forms, so they go through protojson.
	wktDelegate
)

func wktKindOf(md protoreflect.MessageDescriptor) wktKind {
	if md.ParentFile() == nil || md.ParentFile().Package() != "google.protobuf" {
		return wktNone
	}
	switch md.Name() {
	case "Timestamp":
		return wktTimestamp
	case "Duration":
		return wktDuration
	case "DoubleValue", "FloatValue", "Int64Value", "UInt64Value", "Int32Value",
		"UInt32Value", "BoolValue", "StringValue", "BytesValue":
		return wktWrapper
	case "Struct":
		return wktStruct
	case "ListValue":
		return wktListValue
	case "Value":
		return wktValue
	case "Any", "FieldMask":
		return wktDelegate
	}
	return wktNone
}

// Limits shared with protojson: RFC 3339 years 0001..9999, and ±10000 years
// of Duration.
const (
	minTimestampSeconds  = -62135596800
	maxTimestampSeconds  = 253402300799
	maxSecondsInDuration = 315576000000
)

func appendWKT(b []byte, kind wktKind, m protoreflect.Message) ([]byte, error) {
	fields := m.Descriptor().Fields()
	switch kind {
	case wktTimestamp:
		secs, nanos := m.Get(fields.ByNumber(1)).Int(), m.Get(fields.ByNumber(2)).Int()
		if secs < minTimestampSeconds || secs > maxTimestampSeconds || nanos < 0 || nanos >= 1e9 {
			return nil, fmt.Errorf("wirejson: timestamp (%d, %d) out of range", secs, nanos)
		}
		s := time.Unix(secs, nanos).UTC().Format("2006-01-02T15:04:05.000000000")
		s = trimFraction(s)
		b = append(b, '"')
		b = append(b, s...)
		return append(b, 'Z', '"'), nil
	case wktDuration:
		secs, nanos := m.Get(fields.ByNumber(1)).Int(), m.Get(fields.ByNumber(2)).Int()
		if secs < -maxSecondsInDuration || secs > maxSecondsInDuration || nanos <= -1e9 || nanos >= 1e9 ||
			(secs > 0 && nanos < 0) || (secs < 0 && nanos > 0) {
			return nil, fmt.Errorf("wirejson: duration (%d, %d) out of range", secs, nanos)
		}
		sign := ""
		if secs < 0 || nanos < 0 {
			sign, secs, nanos = "-", -secs, -nanos
		}
		s := trimFraction(fmt.Sprintf("%s%d.%09d", sign, secs, nanos))
		b = append(b, '"')
		b = append(b, s...)
		return append(b, 's', '"'), nil
	case wktWrapper:
		fd := fields.ByNumber(1)
		return appendSingular(b, fd, m.Get(fd))
	case wktStruct:
		fd := fields.ByNumber(1)
		return appendMap(b, fd, m.Get(fd).Map())
	case wktListValue:
		fd := fields.ByNumber(1)
		return appendList(b, fd, m.Get(fd).List())
	case wktValue:
		fd := m.WhichOneof(m.Descriptor().Oneofs().Get(0))
		if fd == nil {
			// An unset Value carries no information; null is its closest
			// JSON reading (protojson refuses it outright).
			return append(b, "null"...), nil
		}
		return appendSingular(b, fd, m.Get(fd))
	case wktDelegate:
		out, err := protojson.Marshal(m.Interface())
		if err != nil {
			return nil, fmt.Errorf("wirejson: %w", err)
		}
		// protojson randomly inserts whitespace to discourage byte
		// comparisons; compact it so the output stays deterministic.
		buf := bytes.NewBuffer(b)
		if err := json.Compact(buf, out); err != nil {
			return nil, fmt.Errorf("wirejson: %w", err)
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("wirejson: unhandled well-known type %s", m.Descriptor().FullName())
}

// trimFraction drops trailing zero groups so fractions use 0, 3, 6 or 9
// digits, matching protojson.
func trimFraction(s string) string {
	s = strings.TrimSuffix(s, "000")
	s = strings.TrimSuffix(s, "000")
	return strings.TrimSuffix(s, ".000")
}

// decodeWKT fills m (of well-known type kind) from the decoded JSON value v.
func (d *decoder) decodeWKT(kind wktKind, m protoreflect.Message, v any, p *path) error {
	fields := m.Descriptor().Fields()
	switch kind {
	case wktTimestamp:
		s, ok := v.(string)
		if !ok {
			return typeError(p, "RFC 3339 timestamp string", v)
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil || t.Unix() < minTimestampSeconds || t.Unix() > maxTimestampSeconds {
			return p.errorf("invalid timestamp %q; expected RFC 3339, e.g. 2024-01-02T15:04:05Z", s)
		}
		m.Set(fields.ByNumber(1), protoreflect.ValueOfInt64(t.Unix()))
		m.Set(fields.ByNumber(2), protoreflect.ValueOfInt32(int32(t.Nanosecond())))
		return nil
	case wktDuration:
		s, ok := v.(string)
		if !ok {
			return typeError(p, "duration string", v)
		}
		secs, nanos, ok := parseDuration(s)
		if !ok {
			return p.errorf("invalid duration %q; expected seconds with an \"s\" suffix, e.g. 1.5s", s)
		}
		m.Set(fields.ByNumber(1), protoreflect.ValueOfInt64(secs))
		m.Set(fields.ByNumber(2), protoreflect.ValueOfInt32(nanos))
		return nil
	case wktWrapper:
		fd := fields.ByNumber(1)
		pv, err := d.scalar(fd, v, p)
		if err != nil {
			return err
		}
		m.Set(fd, pv)
		return nil
	case wktStruct:
		obj, ok := v.(map[string]any)
		if !ok {
			return typeError(p, "object", v)
		}
		fd := fields.ByNumber(1)
		mp := m.Mutable(fd).Map()
		for _, k := range sortedKeys(obj) {
			val := mp.NewValue()
			if err := d.decodeWKT(wktValue, val.Message(), obj[k], p.key(k)); err != nil {
				return err
			}
			mp.Set(protoreflect.ValueOfString(k).MapKey(), val)
		}
		return nil
	case wktListValue:
		arr, ok := v.([]any)
		if !ok {
			return typeError(p, "array", v)
		}
		fd := fields.ByNumber(1)
		l := m.Mutable(fd).List()
		for i, ev := range arr {
			val := l.NewElement()
			if err := d.decodeWKT(wktValue, val.Message(), ev, p.index(i)); err != nil {
				return err
			}
			l.Append(val)
		}
		return nil
	case wktValue:
		// Field numbers of google.protobuf.Value's kind oneof.
		const nullValue, numberValue, stringValue, boolValue, structValue, listValue = 1, 2, 3, 4, 5, 6
		switch x := v.(type) {
		case nil:
			m.Set(fields.ByNumber(nullValue), protoreflect.ValueOfEnum(0))
		case json.Number:
			f, err := strconv.ParseFloat(string(x), 64)
			if err != nil {
				return p.errorf("invalid number %s", x)
			}
			m.Set(fields.ByNumber(numberValue), protoreflect.ValueOfFloat64(f))
		case string:
			m.Set(fields.ByNumber(stringValue), protoreflect.ValueOfString(x))
		case bool:
			m.Set(fields.ByNumber(boolValue), protoreflect.ValueOfBool(x))
		case map[string]any:
			return d.decodeWKT(wktStruct, m.Mutable(fields.ByNumber(structValue)).Message(), x, p)
		case []any:
			return d.decodeWKT(wktListValue, m.Mutable(fields.ByNumber(listValue)).Message(), x, p)
		default:
			return typeError(p, "JSON value", v)
		}
		return nil
	case wktDelegate:
		raw, err := json.Marshal(v)
		if err != nil {
			return p.errorf("%v", err)
		}
		opts := protojson.UnmarshalOptions{DiscardUnknown: d.discardUnknown}
		if err := opts.Unmarshal(raw, m.Interface()); err != nil {
			return p.errorf("%v", err)
		}
		return nil
	}
	return p.errorf("unhandled well-known type %s", m.Descriptor().FullName())
}

// parseDuration parses protojson's Duration form: optional '-', decimal
// seconds with up to 9 fractional digits, and an "s" suffix.
func parseDuration(s string) (secs int64, nanos int32, ok bool) {
	s, ok = strings.CutSuffix(s, "s")
	if !ok {
		return 0, 0, false
	}
	neg := false
	if rest, found := strings.CutPrefix(s, "-"); found {
		neg, s = true, rest
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) || (hasFrac && (frac == "" || len(frac) > 9 || !allDigits(frac))) {
		return 0, 0, false
	}
	u, err := strconv.ParseUint(whole, 10, 64)
	if err != nil || u > maxSecondsInDuration {
		return 0, 0, false
	}
	var n uint64
	if hasFrac {
		n, _ = strconv.ParseUint(frac+strings.Repeat("0", 9-len(frac)), 10, 32)
	}
	secs, nanos = int64(u), int32(n)
	if neg {
		secs, nanos = -secs, -nanos
	}
	return secs, nanos, true
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func sortedKeys(obj map[string]any) []string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
