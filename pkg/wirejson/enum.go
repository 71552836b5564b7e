package wirejson

import (
	"strconv"
	"strings"
	"sync"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// enumInfo holds the precomputed wire names of one enum, cached because the
// prefix computation and lowercasing would otherwise run for every value
// written.
type enumInfo struct {
	// names maps a number to its wire name ("pending").
	names map[protoreflect.EnumNumber]string
	// quoted maps a number to its JSON-quoted wire name ("\"pending\""),
	// ready to append.
	quoted map[protoreflect.EnumNumber]string
	// byName maps lowercased wire names and lowercased full value names
	// (job_status_pending) to numbers, for lenient decoding.
	byName map[string]protoreflect.EnumNumber
	// expected lists the wire names callers should send, for error messages.
	// The UNSPECIFIED value is left out: it is accepted but never meaningful
	// to suggest.
	expected string
	// closed enums (proto2) reject numbers that are not declared.
	closed bool
}

var enumCache sync.Map // protoreflect.EnumDescriptor -> *enumInfo

func enumInfoFor(ed protoreflect.EnumDescriptor) *enumInfo {
	if v, ok := enumCache.Load(ed); ok {
		return v.(*enumInfo)
	}
	info := buildEnumInfo(ed)
	v, _ := enumCache.LoadOrStore(ed, info)
	return v.(*enumInfo)
}

// enumPrefix is the common prefix stripped from value names: the zero value's
// name minus "UNSPECIFIED" (JOB_STATUS_UNSPECIFIED -> JOB_STATUS_). Enums
// without such a zero value keep their full names.
func enumPrefix(ed protoreflect.EnumDescriptor) (prefix string, zero protoreflect.EnumValueDescriptor) {
	zero = ed.Values().ByNumber(0)
	if zero == nil {
		return "", nil
	}
	p, ok := strings.CutSuffix(string(zero.Name()), "UNSPECIFIED")
	if !ok {
		return "", nil
	}
	return p, zero
}

func buildEnumInfo(ed protoreflect.EnumDescriptor) *enumInfo {
	prefix, zero := enumPrefix(ed)
	values := ed.Values()
	info := &enumInfo{
		names:  make(map[protoreflect.EnumNumber]string, values.Len()),
		quoted: make(map[protoreflect.EnumNumber]string, values.Len()),
		byName: make(map[string]protoreflect.EnumNumber, 2*values.Len()),
		closed: ed.IsClosed(),
	}
	var expected []string
	// Wire names first so they win over a colliding lowercased full name.
	for i := range values.Len() {
		v := values.Get(i)
		wire := wireName(v, prefix)
		if _, dup := info.names[v.Number()]; !dup { // first alias wins
			info.names[v.Number()] = wire
			info.quoted[v.Number()] = string(appendString(nil, wire))
		}
		if _, dup := info.byName[wire]; !dup {
			info.byName[wire] = v.Number()
			if v != zero {
				expected = append(expected, wire)
			}
		}
	}
	for i := range values.Len() {
		v := values.Get(i)
		full := strings.ToLower(string(v.Name()))
		if _, dup := info.byName[full]; !dup {
			info.byName[full] = v.Number()
		}
	}
	info.expected = strings.Join(expected, ", ")
	return info
}

func wireName(v protoreflect.EnumValueDescriptor, prefix string) string {
	name := string(v.Name())
	if rest, ok := strings.CutPrefix(name, prefix); ok && rest != "" {
		name = rest
	}
	return strings.ToLower(name)
}

// EnumString returns the wire name of an enum value (JOB_STATUS_PENDING ->
// "pending"), for code that renders enums outside a message (logs, CLI
// tables, webhook event names). Undeclared numbers render as their decimal
// value, as they do on the wire.
func EnumString(ed protoreflect.EnumDescriptor, n protoreflect.EnumNumber) string {
	if s, ok := enumInfoFor(ed).names[n]; ok {
		return s
	}
	return strconv.FormatInt(int64(n), 10)
}
