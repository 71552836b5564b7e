package wirejson_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/transcodely/transcodely/pkg/wirejson"
)

const emptyJobJSON = `{"id":"","status":"unspecified","size_bytes":0,"frames":0,"progress":0,"ratio":0,` +
	`"done":false,"checksum":"","outputs":[],"labels":{},"by_index":{},"created_at":null,` +
	`"finished_at":null,"primary":null,"metadata":null,"timeout":null,"max_size":null,` +
	`"history":[],"status_by_region":{},"extra":null}`

func TestMarshal_Golden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string // protojson
		want string
	}{
		{
			name: "empty message has every non-optional field",
			in:   `{}`,
			want: emptyJobJSON,
		},
		{
			name: "populated message in declaration order with sorted map keys",
			in: `{"id":"job_1","status":"JOB_STATUS_RUNNING","sizeBytes":"9007199254740993",` +
				`"frames":"18446744073709551615","progress":0.25,"ratio":1.5,"done":true,"checksum":"AQID",` +
				`"outputs":[{"name":"hd","video":[{"codec":"VIDEO_CODEC_H264","resolution":"RESOLUTION_1080P","bitrateKbps":0}],"url":"s3://b/k"}],` +
				`"labels":{"z":"last","a":"first"},"byIndex":{"10":{"name":"ten"},"2":{"name":"two"}},` +
				`"createdAt":"2024-01-02T03:04:05.123Z","primary":{},"note":"","priority":"0",` +
				`"metadata":{"k":[1,"s",true,null]},"timeout":"1.5s","maxSize":"5",` +
				`"history":["JOB_STATUS_PENDING","JOB_STATUS_RUNNING"],"statusByRegion":{"eu":"JOB_STATUS_PENDING"},"extra":null}`,
			want: `{"id":"job_1","status":"running","size_bytes":9007199254740993,"frames":18446744073709551615,` +
				`"progress":0.25,"ratio":1.5,"done":true,"checksum":"AQID",` +
				`"outputs":[{"name":"hd","video":[{"codec":"h264","resolution":"1080p","bitrate_kbps":0}],"url":"s3://b/k"}],` +
				`"labels":{"a":"first","z":"last"},` +
				`"by_index":{"2":{"name":"two","video":[]},"10":{"name":"ten","video":[]}},` +
				`"created_at":"2024-01-02T03:04:05.123Z","finished_at":null,` +
				`"primary":{"codec":"unspecified","resolution":"unspecified"},"note":"","priority":0,` +
				`"metadata":{"k":[1,"s",true,null]},"timeout":"1.500s","max_size":5,` +
				`"history":["pending","running"],"status_by_region":{"eu":"pending"},"extra":null}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := wirejson.Marshal(newJob(t, tt.in))
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("Marshal:\n got %s\nwant %s", got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("output is not valid JSON: %s", got)
			}
		})
	}
}

// rawField returns the raw JSON of key in the object out and whether it is
// present.
func rawField(t *testing.T, out []byte, keyPath ...string) (string, bool) {
	t.Helper()
	raw := json.RawMessage(out)
	for _, k := range keyPath {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			t.Fatalf("not an object at %q: %s", k, raw)
		}
		v, ok := obj[k]
		if !ok {
			return "", false
		}
		raw = v
	}
	return string(raw), true
}

func TestMarshal_EmissionRules(t *testing.T) {
	t.Parallel()
	const absent = "<absent>"
	tests := []struct {
		name string
		in   string // protojson
		key  []string
		want string // raw JSON, or absent
	}{
		{"zero string present", `{}`, []string{"id"}, `""`},
		{"zero int64 present", `{}`, []string{"size_bytes"}, `0`},
		{"zero double present", `{}`, []string{"progress"}, `0`},
		{"zero bool present", `{}`, []string{"done"}, `false`},
		{"zero bytes present", `{}`, []string{"checksum"}, `""`},
		{"empty repeated is []", `{}`, []string{"outputs"}, `[]`},
		{"empty repeated enum is []", `{}`, []string{"history"}, `[]`},
		{"empty map is {}", `{}`, []string{"labels"}, `{}`},
		{"unset message is null", `{}`, []string{"primary"}, `null`},
		{"unset timestamp is null", `{}`, []string{"created_at"}, `null`},
		{"unset struct is null", `{}`, []string{"metadata"}, `null`},
		{"unset optional string omitted", `{}`, []string{"note"}, absent},
		{"unset optional int64 omitted", `{}`, []string{"priority"}, absent},
		{"optional set to zero present", `{"priority":"0"}`, []string{"priority"}, `0`},
		{"optional string set to empty present", `{"note":""}`, []string{"note"}, `""`},
		{"nested optional unset omitted", `{"primary":{}}`, []string{"primary", "bitrate_kbps"}, absent},
		{"enum zero is unspecified", `{}`, []string{"status"}, `"unspecified"`},
		{"enum lowercase without prefix", `{"status":"JOB_STATUS_PENDING"}`, []string{"status"}, `"pending"`},
		{"enum with leading digit", `{"primary":{"resolution":"RESOLUTION_1080P"}}`, []string{"primary", "resolution"}, `"1080p"`},
		{"enum codec", `{"primary":{"codec":"VIDEO_CODEC_H264"}}`, []string{"primary", "codec"}, `"h264"`},
		{"undeclared enum number stays a number", `{"status":7}`, []string{"status"}, `7`},
		{"int64 is a number", `{"sizeBytes":"-9223372036854775808"}`, []string{"size_bytes"}, `-9223372036854775808`},
		{"uint64 is a number", `{"frames":"42"}`, []string{"frames"}, `42`},
		{"timestamp is RFC 3339 Z", `{"createdAt":"2024-06-01T12:00:00+02:00"}`, []string{"created_at"}, `"2024-06-01T10:00:00Z"`},
		{"timestamp nanos", `{"createdAt":"2024-06-01T10:00:00.000000001Z"}`, []string{"created_at"}, `"2024-06-01T10:00:00.000000001Z"`},
		{"tiny double uses exponent", `{"progress":1e-7}`, []string{"progress"}, `1e-7`},
		{"float32 shortest form", `{"ratio":0.1}`, []string{"ratio"}, `0.1`},
		{"bytes base64", `{"checksum":"/+8="}`, []string{"checksum"}, `"/+8="`},
		{"oneof set member written", `{"outputs":[{"inline":{}}]}`, []string{"outputs"},
			`[{"name":"","video":[],"inline":{"codec":"unspecified","resolution":"unspecified"}}]`},
		{"oneof unset members omitted", `{"outputs":[{}]}`, []string{"outputs"}, `[{"name":"","video":[]}]`},
		{"wrapper is bare value", `{"maxSize":"0"}`, []string{"max_size"}, `0`},
		{"duration", `{"timeout":"-0.000000005s"}`, []string{"timeout"}, `"-0.000000005s"`},
		{"value null", `{"extra":null}`, []string{"extra"}, `null`},
		{"value struct", `{"extra":{"a":{"b":2.5}}}`, []string{"extra"}, `{"a":{"b":2.5}}`},
		{"string escaping", `{"id":"a\"b\\c\n\u0001<&>\u2028"}`, []string{"id"}, `"a\"b\\c\n\u0001<&>\u2028"`},
		{"map value that reads like an enum stays untouched", `{"labels":{"s":"JOB_STATUS_PENDING"}}`,
			[]string{"labels", "s"}, `"JOB_STATUS_PENDING"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := wirejson.Marshal(newJob(t, tt.in))
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			got, ok := rawField(t, out, tt.key...)
			if !ok {
				got = absent
			}
			if got != tt.want {
				t.Errorf("%v = %s, want %s\nfull output: %s", tt.key, got, tt.want, out)
			}
		})
	}
}

func TestMarshal_Errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		msg  func(t *testing.T) proto.Message
		want string
	}{
		{"NaN double", func(t *testing.T) proto.Message {
			m := newJob(t, `{}`)
			m.Set(jobDesc().Fields().ByName("progress"), protoreflectFloat(math.NaN()))
			return m
		}, "wirejsontest.v1.Job.progress: NaN is not representable"},
		{"Inf in struct", func(*testing.T) proto.Message {
			return structpb.NewNumberValue(math.Inf(1))
		}, "+Inf is not representable"},
		{"invalid UTF-8", func(*testing.T) proto.Message {
			return wrapperspb.String("\xff")
		}, "not valid UTF-8"},
		{"timestamp out of range", func(*testing.T) proto.Message {
			return &timestamppb.Timestamp{Seconds: 1 << 50}
		}, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := wirejson.Marshal(tt.msg(t))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Marshal error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestMarshal_GeneratedTypes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		msg  proto.Message
		want string
	}{
		{
			// proto2: unset optional scalars are omitted (they have presence),
			// and an enum without an UNSPECIFIED zero value keeps its full name.
			name: "proto2 descriptor",
			msg: &descriptorpb.FieldDescriptorProto{
				Name:   proto.String("size"),
				Number: proto.Int32(0),
				Type:   descriptorpb.FieldDescriptorProto_TYPE_INT64.Enum(),
			},
			want: `{"name":"size","number":0,"type":"type_int64","options":null}`,
		},
		{
			name: "proto2 nested and repeated",
			msg: &descriptorpb.DescriptorProto{
				Name:           proto.String("M"),
				ReservedName:   []string{"a", "b"},
				ReservedRange:  []*descriptorpb.DescriptorProto_ReservedRange{{Start: proto.Int32(1)}},
				ExtensionRange: []*descriptorpb.DescriptorProto_ExtensionRange{},
			},
			want: `{"name":"M","field":[],"extension":[],"nested_type":[],"enum_type":[],"extension_range":[],` +
				`"oneof_decl":[],"options":null,"reserved_range":[{"start":1}],"reserved_name":["a","b"]}`,
		},
		{"timestamp", timestamppb.New(mustTime(t, "2024-01-02T03:04:05.5Z")), `"2024-01-02T03:04:05.500Z"`},
		{"duration", durationpb.New(90e9), `"90s"`},
		{"empty", &emptypb.Empty{}, `{}`},
		{"struct", mustStruct(t, map[string]any{"b": 1, "a": []any{"x", nil}}), `{"a":["x",null],"b":1}`},
		{"wrapper int64 is a number", wrapperspb.Int64(1 << 60), `1152921504606846976`},
		{"wrapper bytes", wrapperspb.Bytes([]byte("hi")), `"aGk="`},
		{"field mask via protojson", &fieldmaskpb.FieldMask{Paths: []string{"size_bytes", "outputs"}}, `"sizeBytes,outputs"`},
		{"nil message", (*emptypb.Empty)(nil), `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := wirejson.Marshal(tt.msg)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("Marshal = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestUnmarshal_RoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string // protojson
	}{
		{"empty", `{}`},
		{"full", `{"id":"job_1","status":"JOB_STATUS_RUNNING","sizeBytes":"9007199254740993",` +
			`"frames":"18446744073709551615","progress":-0.25,"ratio":1.5,"done":true,"checksum":"AQID",` +
			`"outputs":[{"name":"hd","video":[{"codec":"VIDEO_CODEC_AV1","bitrateKbps":0}],"inline":{}}],` +
			`"labels":{"a":"JOB_STATUS_PENDING"},"byIndex":{"-3":{"name":"neg"}},` +
			`"createdAt":"2024-01-02T03:04:05.123456789Z","primary":{},"note":"","priority":"0",` +
			`"metadata":{"k":[1,"s",true,null,{}]},"timeout":"-1.5s","maxSize":"5",` +
			`"history":["JOB_STATUS_PENDING","JOB_STATUS_UNSPECIFIED"],"statusByRegion":{"eu":"JOB_STATUS_PENDING"},"extra":{"x":1}}`},
		{"undeclared enum number", `{"status":9}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := newJob(t, tt.in)
			data, err := wirejson.Marshal(want)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			got := dynamicpb.NewMessage(jobDesc())
			if err := wirejson.Unmarshal(data, got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", data, err)
			}
			if !proto.Equal(got, want) {
				t.Errorf("round trip mismatch\n got %v\nwant %v\nwire %s", got, want, data)
			}
		})
	}
}

func TestUnmarshal_Accepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string // wire JSON
		want string // protojson of the expected message
	}{
		{"snake_case names", `{"size_bytes":5,"created_at":"2024-01-02T03:04:05Z"}`, `{"sizeBytes":"5","createdAt":"2024-01-02T03:04:05Z"}`},
		{"lowerCamel names", `{"sizeBytes":5,"statusByRegion":{"eu":"pending"}}`, `{"sizeBytes":"5","statusByRegion":{"eu":"JOB_STATUS_PENDING"}}`},
		{"enum wire string", `{"status":"pending"}`, `{"status":"JOB_STATUS_PENDING"}`},
		{"enum full name", `{"status":"JOB_STATUS_PENDING"}`, `{"status":"JOB_STATUS_PENDING"}`},
		{"enum number", `{"status":2}`, `{"status":"JOB_STATUS_RUNNING"}`},
		{"enum unspecified", `{"status":"unspecified"}`, `{}`},
		{"enum leading digit", `{"primary":{"resolution":"720p"}}`, `{"primary":{"resolution":"RESOLUTION_720P"}}`},
		{"int64 as string", `{"size_bytes":"9223372036854775807"}`, `{"sizeBytes":"9223372036854775807"}`},
		{"int64 as exact number", `{"size_bytes":9007199254740993}`, `{"sizeBytes":"9007199254740993"}`},
		{"integral exponent", `{"size_bytes":1e3}`, `{"sizeBytes":"1000"}`},
		{"null message is unset", `{"primary":null,"created_at":null}`, `{}`},
		{"null optional is unset", `{"note":null,"priority":null}`, `{}`},
		{"null scalar is zero", `{"id":null,"outputs":null,"labels":null}`, `{}`},
		{"optional zero is set", `{"priority":0}`, `{"priority":"0"}`},
		{"bytes url-safe unpadded", `{"checksum":"_-8"}`, `{"checksum":"/+8="}`},
		{"double from string", `{"progress":"0.5"}`, `{"progress":0.5}`},
		{"map int keys", `{"by_index":{"7":{"name":"x"}}}`, `{"byIndex":{"7":{"name":"x"}}}`},
		{"map value that reads like an enum stays untouched", `{"labels":{"s":"JOB_STATUS_PENDING"}}`, `{"labels":{"s":"JOB_STATUS_PENDING"}}`},
		{"value field null is unset", `{"extra":null}`, `{}`},
		{"list of values keeps nulls", `{"metadata":{"l":[null]}}`, `{"metadata":{"l":[null]}}`},
		{"struct", `{"metadata":{"a":{"b":[1,null]}}}`, `{"metadata":{"a":{"b":[1,null]}}}`},
		{"duration", `{"timeout":"0.5s"}`, `{"timeout":"0.500s"}`},
		{"empty body", ``, `{}`},
		{"whitespace body", " \n", `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := dynamicpb.NewMessage(jobDesc())
			if err := wirejson.Unmarshal([]byte(tt.in), got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.in, err)
			}
			want := newJob(t, tt.want)
			if !proto.Equal(got, want) {
				t.Errorf("Unmarshal(%s)\n got %v\nwant %v", tt.in, got, want)
			}
		})
	}
}

func TestUnmarshal_Errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		wantField string
		wantDesc  string // exact unless wantContains
		contains  bool
	}{
		{"unknown enum names the full path", `{"outputs":[{"video":[{"codec":"h264"},{"codec":"h263"}]}]}`,
			"outputs[0].video[1].codec", `unknown value "h263"; expected one of h264, h265, vp9, av1`, false},
		{"unknown enum in repeated enum", `{"history":["pending","paused"]}`,
			"history[1]", `unknown value "paused"; expected one of pending, running`, false},
		{"unknown enum in map value", `{"status_by_region":{"eu":"paused"}}`,
			`status_by_region["eu"]`, `unknown value "paused"; expected one of pending, running`, false},
		{"enum wrong type", `{"status":true}`, "status", "expected string, got boolean", false},
		{"enum fractional number", `{"status":1.5}`, "status", "invalid enum number 1.5", false},
		{"unknown field", `{"outputs":[{"nmae":"x"}]}`, "outputs[0].nmae", "unknown field", false},
		{"unknown field with odd name", `{"primary":{"a b":1}}`, `primary["a b"]`, "unknown field", false},
		{"unknown top-level field", `{"bogus":1}`, "bogus", "unknown field", false},
		{"string for int64", `{"size_bytes":"abc"}`, "size_bytes", `invalid int64 value "abc": not an integer`, false},
		{"fraction for int64", `{"size_bytes":1.5}`, "size_bytes", `invalid int64 value "1.5": not an integer`, false},
		{"int32 overflow", `{"primary":{"bitrate_kbps":3000000000}}`, "primary.bitrate_kbps", `invalid int32 value "3000000000": out of range`, false},
		{"negative uint64", `{"frames":-1}`, "frames", `invalid uint64 value "-1": out of range`, false},
		{"object for string", `{"id":{}}`, "id", "expected string, got object", false},
		{"number for bool", `{"done":1}`, "done", "expected boolean, got number", false},
		{"object for list", `{"outputs":{}}`, "outputs", "expected array, got object", false},
		{"list for message", `{"primary":[]}`, "primary", "expected object, got array", false},
		{"list for map", `{"labels":[]}`, "labels", "expected object, got array", false},
		{"number map value", `{"labels":{"k":1}}`, `labels["k"]`, "expected string, got number", false},
		{"bad int map key", `{"by_index":{"x":{}}}`, `by_index["x"]`, "invalid map key; expected int32", false},
		{"null in list", `{"outputs":[null]}`, "outputs[0]", "null is not allowed in a list", false},
		{"null scalar in list", `{"history":[null]}`, "history[0]", "expected string, got null", false},
		{"bad base64", `{"checksum":"!!"}`, "checksum", "invalid base64 data", false},
		{"bad timestamp", `{"created_at":"yesterday"}`, "created_at", `invalid timestamp "yesterday"`, true},
		{"timestamp as number", `{"created_at":0}`, "created_at", "expected RFC 3339 timestamp string, got number", false},
		{"bad duration", `{"timeout":"5m"}`, "timeout", `invalid duration "5m"`, true},
		{"duplicate snake and camel", `{"size_bytes":1,"sizeBytes":2}`, "size_bytes", `duplicate field`, true},
		{"two oneof members", `{"outputs":[{"inline":{},"url":"x"}]}`, "outputs[0].url",
			`only one of the "destination" fields may be set, but inline is also set`, false},
		{"top-level array", `[]`, "", "expected object, got array", false},
		{"invalid JSON", `{"id":`, "", "invalid JSON: unexpected end of input", false},
		{"syntax error", `{"id" 1}`, "", "invalid JSON: invalid character '1' after object key", true},
		{"trailing data", `{} {}`, "", "invalid JSON: unexpected data after the top-level value", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := wirejson.Unmarshal([]byte(tt.in), dynamicpb.NewMessage(jobDesc()))
			var fe *wirejson.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Unmarshal(%s) error = %v (%T), want *FieldError", tt.in, err, err)
			}
			if fe.Field != tt.wantField {
				t.Errorf("Field = %q, want %q", fe.Field, tt.wantField)
			}
			if tt.contains && !strings.Contains(fe.Description, tt.wantDesc) || !tt.contains && fe.Description != tt.wantDesc {
				t.Errorf("Description = %q, want %q", fe.Description, tt.wantDesc)
			}
			// Connect flattens codec errors into a message string; the
			// field must survive that round trip.
			codecErr := wirejson.Codec{}.Unmarshal([]byte(tt.in), dynamicpb.NewMessage(jobDesc()))
			parsed, ok := wirejson.ParseFieldError("unmarshal message: " + codecErr.Error())
			if tt.wantField == "" {
				if ok {
					t.Errorf("ParseFieldError(%q) = %+v, want no field", codecErr, parsed)
				}
				return
			}
			if !ok || *parsed != *fe {
				t.Errorf("ParseFieldError(%q) = %+v, %v; want %+v", codecErr, parsed, ok, fe)
			}
		})
	}
}

func TestFieldError_Error(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  wirejson.FieldError
		want string
	}{
		{"with field", wirejson.FieldError{Field: "outputs[0].video[0].codec", Description: `unknown value "h263"; expected one of h264, h265, vp9, av1`},
			`outputs[0].video[0].codec: unknown value "h263"; expected one of h264, h265, vp9, av1`},
		{"document level", wirejson.FieldError{Description: "invalid JSON"}, "invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseFieldError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		wantOK    bool
		wantField string
		wantDesc  string
	}{
		{"connect message", `unmarshal message: unmarshal into *v1.CreateJobRequest: outputs[0].video[0].codec: unknown value "h263"; expected one of h264`,
			true, "outputs[0].video[0].codec", `unknown value "h263"; expected one of h264`},
		{"codec error", `unmarshal into *v1.Job: labels["a: b"]: expected string, got number`, true, `labels["a: b"]`, "expected string, got number"},
		{"map int key", `unmarshal into *v1.Job: by_index[-3].name: expected string, got number`, true, "by_index[-3].name", "expected string, got number"},
		{"document-level error", `unmarshal message: unmarshal into *v1.Job: invalid JSON: unexpected end of input`, false, "", ""},
		{"protojson error", `unmarshal message: unmarshal into *v1.Job: proto: (line 1:2): unknown field "x"`, false, "", ""},
		{"unrelated message", `job not found`, false, "", ""},
		{"no description", `unmarshal into *v1.Job: id: `, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := wirejson.ParseFieldError(tt.in)
			if ok != tt.wantOK {
				t.Fatalf("ParseFieldError ok = %v (%+v), want %v", ok, got, tt.wantOK)
			}
			if ok && (got.Field != tt.wantField || got.Description != tt.wantDesc) {
				t.Errorf("ParseFieldError = %+v, want {%s %s}", got, tt.wantField, tt.wantDesc)
			}
		})
	}
}

func TestCodec(t *testing.T) {
	t.Parallel()
	t.Run("names", func(t *testing.T) {
		t.Parallel()
		c := wirejson.Codec{}
		if c.Name() != "json" || c.IsBinary() {
			t.Errorf("Name() = %q, IsBinary() = %v", c.Name(), c.IsBinary())
		}
	})
	t.Run("marshal variants agree", func(t *testing.T) {
		t.Parallel()
		c := wirejson.Codec{}
		m := newJob(t, `{"labels":{"b":"2","a":"1"},"status":"JOB_STATUS_PENDING"}`)
		plain, err1 := c.Marshal(m)
		stable, err2 := c.MarshalStable(m)
		appended, err3 := c.MarshalAppend([]byte("x"), m)
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatal(err)
		}
		if string(plain) != string(stable) || "x"+string(plain) != string(appended) {
			t.Errorf("Marshal = %s, MarshalStable = %s, MarshalAppend = %s", plain, stable, appended)
		}
	})
	t.Run("rejects non-proto values", func(t *testing.T) {
		t.Parallel()
		c := wirejson.Codec{}
		if _, err := c.Marshal(struct{}{}); err == nil {
			t.Error("Marshal(struct{}{}) succeeded")
		}
		if err := c.Unmarshal([]byte(`{}`), &struct{}{}); err == nil {
			t.Error("Unmarshal into struct{} succeeded")
		}
	})
	t.Run("unmarshal error wraps FieldError", func(t *testing.T) {
		t.Parallel()
		err := wirejson.Codec{}.Unmarshal([]byte(`{"status":"nope"}`), dynamicpb.NewMessage(jobDesc()))
		var fe *wirejson.FieldError
		if !errors.As(err, &fe) || fe.Field != "status" {
			t.Fatalf("error = %v, want FieldError on status", err)
		}
		if want := "unmarshal into *dynamicpb.Message: status: unknown value"; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error = %q, want prefix %q", err, want)
		}
	})
	t.Run("discard unknown", func(t *testing.T) {
		t.Parallel()
		m := dynamicpb.NewMessage(jobDesc())
		if err := (wirejson.Codec{DiscardUnknown: true}).Unmarshal([]byte(`{"id":"a","future_field":{"x":1}}`), m); err != nil {
			t.Fatalf("Unmarshal: %v", err)
		}
		if !proto.Equal(m, newJob(t, `{"id":"a"}`)) {
			t.Errorf("got %v", m)
		}
	})
	t.Run("unmarshal resets the target", func(t *testing.T) {
		t.Parallel()
		m := newJob(t, `{"id":"old","labels":{"a":"b"}}`)
		if err := wirejson.Unmarshal([]byte(`{"done":true}`), m); err != nil {
			t.Fatal(err)
		}
		if !proto.Equal(m, newJob(t, `{"done":true}`)) {
			t.Errorf("got %v", m)
		}
	})
}

func TestEnumString(t *testing.T) {
	t.Parallel()
	ed := testFile.Enums().ByName("VideoCodec")
	tests := []struct {
		n    int32
		want string
	}{{0, "unspecified"}, {1, "h264"}, {4, "av1"}, {99, "99"}}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if got := wirejson.EnumString(ed, protoreflectEnum(tt.n)); got != tt.want {
				t.Errorf("EnumString(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}

// medium builds a representative API-sized message: a job with several
// outputs, renditions, labels and timestamps.
func medium(b *testing.B) proto.Message {
	b.Helper()
	var outputs []string
	for i := range 4 {
		outputs = append(outputs, `{"name":"out`+string(rune('a'+i))+`","url":"s3://bucket/key/`+string(rune('a'+i))+`",`+
			`"video":[{"codec":"VIDEO_CODEC_H264","resolution":"RESOLUTION_1080P","bitrateKbps":5000},`+
			`{"codec":"VIDEO_CODEC_AV1","resolution":"RESOLUTION_720P"}]}`)
	}
	return newJob(b, `{"id":"job_01HZX3","status":"JOB_STATUS_RUNNING","sizeBytes":"123456789012","frames":"86400",`+
		`"progress":0.4375,"ratio":1.7777,"checksum":"3q2+7w==","outputs":[`+strings.Join(outputs, ",")+`],`+
		`"labels":{"env":"prod","team":"media","customer":"acme"},"createdAt":"2024-01-02T03:04:05.123Z",`+
		`"priority":"3","timeout":"3600s","history":["JOB_STATUS_PENDING","JOB_STATUS_RUNNING"]}`)
}

func BenchmarkCodec_Marshal(b *testing.B) {
	m := medium(b)
	b.Run("wirejson", func(b *testing.B) {
		c := wirejson.Codec{}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Marshal(m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("protojson", func(b *testing.B) {
		opts := protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := opts.Marshal(m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkCodec_Unmarshal(b *testing.B) {
	m := medium(b)
	wire, err := wirejson.Marshal(m)
	if err != nil {
		b.Fatal(err)
	}
	pj, err := protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true}.Marshal(m)
	if err != nil {
		b.Fatal(err)
	}
	md := m.ProtoReflect().Descriptor()
	b.Run("wirejson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := wirejson.Unmarshal(wire, dynamicpb.NewMessage(md)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("protojson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := protojson.Unmarshal(pj, dynamicpb.NewMessage(md)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCodec_MarshalGenerated measures a generated (non-dynamic) message,
// closer to production where gen/ types are used.
func BenchmarkCodec_MarshalGenerated(b *testing.B) {
	m := protodesc.ToFileDescriptorProto(structpb.File_google_protobuf_struct_proto)
	b.Run("wirejson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := wirejson.Marshal(m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("protojson", func(b *testing.B) {
		opts := protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := opts.Marshal(m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
