// Package config loads a service's typed configuration from environment
// variables, validates all of it at start-up, and keeps secrets out of logs.
//
// A service config is a struct composed from the shared pieces in this
// package (Database, Server, Telemetry, Logging) plus its own fields. Fields
// are described by struct tags:
//
//	env:"TRANSCODELY_X"   variable name; fields without it are skipped,
//	                      except structs, which are descended into
//	default:"..."         used when the variable is unset or empty
//	required:"true"       unset/empty (and no default) is an error
//	secret:"true"         value is replaced by "[redacted]" in Redacted
//
// Supported field types: string, bool, every int and uint size, float32/64,
// time.Duration, Secret, anything implementing encoding.TextUnmarshaler
// (netip.Prefix, slog.Level, ...), and slices of those (comma-separated).
//
// A field whose variable is unset and that has no default keeps the value it
// already had, so a binary can pre-fill per-service defaults (for example
// Telemetry.ServiceName) before calling Load.
//
// After all fields are set, every struct in the tree that implements
// Validator (outer-most last) is asked to validate itself. Load reports every
// problem at once, each naming its variable, so a broken deployment is fixed
// in one round trip instead of one variable per restart.
package config

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Redacted is what secrets print as.
const redactedText = "[redacted]"

// Secret is a string that never prints itself: fmt, encoding/json and slog
// all see "[redacted]", so logging a whole config struct is safe. Call
// Reveal where the real value is needed.
type Secret string

// Reveal returns the secret value. Its name makes every use greppable.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer (%v, %s, %q).
func (s Secret) String() string { return redactedText }

// GoString implements fmt.GoStringer (%#v).
func (s Secret) GoString() string { return `config.Secret("` + redactedText + `")` }

// MarshalJSON implements json.Marshaler.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(redactedText) }

// MarshalText implements encoding.TextMarshaler, which YAML, TOML and
// map-key encoders use.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redactedText), nil }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redactedText) }

// Validator is implemented by config structs that check cross-field or
// semantic rules after loading (ranges, allowed values, ...).
type Validator interface {
	Validate() error
}

// ErrMissing is wrapped by the FieldError of a required variable that is
// unset.
var ErrMissing = errors.New("required but not set")

// FieldError is one problem with one environment variable.
type FieldError struct {
	Env string // variable name
	Err error
}

// Error implements error.
func (e *FieldError) Error() string { return e.Env + ": " + e.Err.Error() }

// Unwrap returns the underlying problem.
func (e *FieldError) Unwrap() error { return e.Err }

// Error lists every problem Load found.
type Error struct {
	Problems []error // *FieldError, or a Validator's error
}

// Error implements error.
func (e *Error) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return fmt.Sprintf("config: %d problem(s): %s", len(msgs), strings.Join(msgs, "; "))
}

// Unwrap exposes the problems to errors.Is and errors.As.
func (e *Error) Unwrap() []error { return e.Problems }

// LookupFunc returns the value of a variable and whether it is set;
// os.LookupEnv has this shape. Tests pass a map-backed function.
type LookupFunc func(key string) (string, bool)

// MapLookup adapts a map to a LookupFunc.
func MapLookup(m map[string]string) LookupFunc {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// LoadEnv is Load from the process environment.
func LoadEnv(dst any) error { return Load(os.LookupEnv, dst) }

// Load fills the struct dst points to from lookup and validates it. On
// error, dst may be partially filled and must not be used.
func Load(lookup LookupFunc, dst any) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("config: Load needs a non-nil pointer to a struct, got %T", dst)
	}
	var problems []error
	loadStruct(lookup, v.Elem(), &problems)
	if len(problems) > 0 {
		// Validators would mostly re-report the same missing values.
		return &Error{Problems: problems}
	}
	validateStruct(v.Elem(), &problems)
	if len(problems) > 0 {
		return &Error{Problems: problems}
	}
	return nil
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	unmarshaler  = reflect.TypeFor[encoding.TextUnmarshaler]()
	validator    = reflect.TypeFor[Validator]()
	secretType   = reflect.TypeFor[Secret]()
)

func loadStruct(lookup LookupFunc, v reflect.Value, problems *[]error) {
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		fv := v.Field(i)
		name, tagged := sf.Tag.Lookup("env")
		if !tagged {
			if sf.Type.Kind() == reflect.Struct && !isLeaf(sf.Type) {
				loadStruct(lookup, fv, problems)
			}
			continue
		}
		raw, ok := lookup(name)
		if !ok || raw == "" {
			def, hasDef := sf.Tag.Lookup("default")
			switch {
			case hasDef:
				raw = def
			case sf.Tag.Get("required") == "true":
				*problems = append(*problems, &FieldError{Env: name, Err: ErrMissing})
				continue
			default:
				continue // Keep the pre-filled value.
			}
		}
		if err := setValue(fv, raw); err != nil {
			if sf.Tag.Get("secret") == "true" {
				// Parse errors quote the input; never for a secret.
				err = errors.New("invalid value (not shown: secret)")
			}
			*problems = append(*problems, &FieldError{Env: name, Err: err})
		}
	}
}

// isLeaf reports whether a struct type is parsed from one variable rather
// than descended into.
func isLeaf(t reflect.Type) bool {
	return reflect.PointerTo(t).Implements(unmarshaler)
}

func setValue(v reflect.Value, raw string) error {
	if v.CanAddr() && v.Addr().Type().Implements(unmarshaler) {
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(raw)); err != nil {
			// Some unmarshalers echo the input; that is fine because
			// the input is not secret in those types. Secret is a
			// string kind and never reaches this branch.
			return err
		}
		return nil
	}
	if v.Type() == durationType {
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("invalid duration %q (use e.g. 30s, 5m)", raw)
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("invalid boolean %q", raw)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("invalid integer %q", raw)
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(raw, 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("invalid unsigned integer %q", raw)
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(raw, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("invalid number %q", raw)
		}
		v.SetFloat(f)
	case reflect.Slice:
		var parts []string
		for p := range strings.SplitSeq(raw, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		s := reflect.MakeSlice(v.Type(), len(parts), len(parts))
		for i, p := range parts {
			if err := setValue(s.Index(i), p); err != nil {
				return fmt.Errorf("item %d: %w", i+1, err)
			}
		}
		v.Set(s)
	default:
		return fmt.Errorf("unsupported field type %s", v.Type())
	}
	return nil
}

// validateStruct calls Validate depth-first so a parent's rules can rely on
// its parts already being valid.
func validateStruct(v reflect.Value, problems *[]error) {
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		if _, tagged := sf.Tag.Lookup("env"); !tagged && sf.Type.Kind() == reflect.Struct && !isLeaf(sf.Type) {
			validateStruct(v.Field(i), problems)
		}
	}
	var val Validator
	switch {
	case v.CanAddr() && v.Addr().Type().Implements(validator):
		val = v.Addr().Interface().(Validator)
	case v.Type().Implements(validator):
		val = v.Interface().(Validator)
	default:
		return
	}
	if err := val.Validate(); err != nil {
		// Flatten errors.Join so each problem is listed on its own.
		if joined, ok := err.(interface{ Unwrap() []error }); ok {
			*problems = append(*problems, joined.Unwrap()...)
		} else {
			*problems = append(*problems, err)
		}
	}
}

// Redacted returns cfg (a struct or pointer to one) as nested maps keyed by
// field name, with Secret values and secret:"true" fields replaced by
// "[redacted]", for logging the effective configuration at start-up.
func Redacted(cfg any) map[string]any {
	v := reflect.ValueOf(cfg)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	return redactStruct(v)
}

func redactStruct(v reflect.Value) map[string]any {
	out := map[string]any{}
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		fv := v.Field(i)
		_, tagged := sf.Tag.Lookup("env")
		switch {
		case sf.Tag.Get("secret") == "true" || sf.Type == secretType ||
			(sf.Type.Kind() == reflect.Slice && sf.Type.Elem() == secretType):
			out[sf.Name] = redactedText
		case !tagged && sf.Type.Kind() == reflect.Struct && !isLeaf(sf.Type):
			out[sf.Name] = redactStruct(fv)
		case sf.Type == durationType:
			// Durations print as "30s", not nanoseconds, in JSON logs.
			out[sf.Name] = fv.Interface().(time.Duration).String()
		default:
			out[sf.Name] = fv.Interface()
		}
	}
	return out
}
