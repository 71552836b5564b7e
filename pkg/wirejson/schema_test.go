package wirejson_test

import (
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"

	// Register the well-known types the test schema imports.
	_ "google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/structpb"
	_ "google.golang.org/protobuf/types/known/timestamppb"
	_ "google.golang.org/protobuf/types/known/wrapperspb"
)

// The test schema mirrors the shapes of the public API (a job with outputs,
// video renditions, enums with UNSPECIFIED zero values, maps, optional
// scalars, oneofs and well-known types) without importing gen/, which pkg/
// must not depend on. It is built as a FileDescriptorProto because pkg/ has
// no protoc step. In .proto form:
//
//	syntax = "proto3";
//	package wirejsontest.v1;
//	enum JobStatus  { JOB_STATUS_UNSPECIFIED = 0; JOB_STATUS_PENDING = 1; JOB_STATUS_RUNNING = 2; }
//	enum Resolution { RESOLUTION_UNSPECIFIED = 0; RESOLUTION_1080P = 1; RESOLUTION_720P = 2; }
//	enum VideoCodec { VIDEO_CODEC_UNSPECIFIED = 0; VIDEO_CODEC_H264 = 1; VIDEO_CODEC_H265 = 2;
//	                  VIDEO_CODEC_VP9 = 3; VIDEO_CODEC_AV1 = 4; }
//	message Video  { VideoCodec codec = 1; Resolution resolution = 2; optional int32 bitrate_kbps = 3; }
//	message Output { string name = 1; repeated Video video = 2;
//	                 oneof destination { string url = 3; Video inline = 4; } }
//	message Job {
//	  string id = 1; JobStatus status = 2; int64 size_bytes = 3; uint64 frames = 4;
//	  double progress = 5; float ratio = 6; bool done = 7; bytes checksum = 8;
//	  repeated Output outputs = 9; map<string, string> labels = 10;
//	  map<int32, Output> by_index = 11; google.protobuf.Timestamp created_at = 12;
//	  google.protobuf.Timestamp finished_at = 13; Video primary = 14;
//	  optional string note = 15; optional int64 priority = 16;
//	  google.protobuf.Struct metadata = 17; google.protobuf.Duration timeout = 18;
//	  google.protobuf.Int64Value max_size = 19; repeated JobStatus history = 20;
//	  map<string, JobStatus> status_by_region = 21; google.protobuf.Value extra = 22;
//	}
var testFile = mustBuildTestFile()

func jobDesc() protoreflect.MessageDescriptor { return testFile.Messages().ByName("Job") }

type (
	fdp  = descriptorpb.FieldDescriptorProto
	ftyp = descriptorpb.FieldDescriptorProto_Type
)

const (
	tString  = descriptorpb.FieldDescriptorProto_TYPE_STRING
	tInt32   = descriptorpb.FieldDescriptorProto_TYPE_INT32
	tInt64   = descriptorpb.FieldDescriptorProto_TYPE_INT64
	tUint64  = descriptorpb.FieldDescriptorProto_TYPE_UINT64
	tDouble  = descriptorpb.FieldDescriptorProto_TYPE_DOUBLE
	tFloat   = descriptorpb.FieldDescriptorProto_TYPE_FLOAT
	tBool    = descriptorpb.FieldDescriptorProto_TYPE_BOOL
	tBytes   = descriptorpb.FieldDescriptorProto_TYPE_BYTES
	tEnum    = descriptorpb.FieldDescriptorProto_TYPE_ENUM
	tMessage = descriptorpb.FieldDescriptorProto_TYPE_MESSAGE
)

func field(name string, num int32, typ ftyp, typeName string) *fdp {
	f := &fdp{
		Name:   proto.String(name),
		Number: proto.Int32(num),
		Label:  descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(),
		Type:   typ.Enum(),
	}
	if typeName != "" {
		f.TypeName = proto.String(typeName)
	}
	return f
}

func repeated(f *fdp) *fdp {
	f.Label = descriptorpb.FieldDescriptorProto_LABEL_REPEATED.Enum()
	return f
}

func inOneof(f *fdp, index int32) *fdp {
	f.OneofIndex = proto.Int32(index)
	return f
}

// optional marks f as a proto3 `optional` field backed by the synthetic oneof
// at index.
func optional(f *fdp, index int32) *fdp {
	f.Proto3Optional = proto.Bool(true)
	return inOneof(f, index)
}

func mapEntry(name string, key, value *fdp) *descriptorpb.DescriptorProto {
	return &descriptorpb.DescriptorProto{
		Name:    proto.String(name),
		Field:   []*fdp{key, value},
		Options: &descriptorpb.MessageOptions{MapEntry: proto.Bool(true)},
	}
}

func enum(name string, values ...string) *descriptorpb.EnumDescriptorProto {
	e := &descriptorpb.EnumDescriptorProto{Name: proto.String(name)}
	for i, v := range values {
		e.Value = append(e.Value, &descriptorpb.EnumValueDescriptorProto{Name: proto.String(v), Number: proto.Int32(int32(i))})
	}
	return e
}

func mustBuildTestFile() protoreflect.FileDescriptor {
	const pkg = ".wirejsontest.v1."
	file := &descriptorpb.FileDescriptorProto{
		Name:    proto.String("wirejsontest/v1/job.proto"),
		Package: proto.String("wirejsontest.v1"),
		Syntax:  proto.String("proto3"),
		Dependency: []string{
			"google/protobuf/timestamp.proto",
			"google/protobuf/struct.proto",
			"google/protobuf/duration.proto",
			"google/protobuf/wrappers.proto",
		},
		EnumType: []*descriptorpb.EnumDescriptorProto{
			enum("JobStatus", "JOB_STATUS_UNSPECIFIED", "JOB_STATUS_PENDING", "JOB_STATUS_RUNNING"),
			enum("Resolution", "RESOLUTION_UNSPECIFIED", "RESOLUTION_1080P", "RESOLUTION_720P"),
			enum("VideoCodec", "VIDEO_CODEC_UNSPECIFIED", "VIDEO_CODEC_H264", "VIDEO_CODEC_H265",
				"VIDEO_CODEC_VP9", "VIDEO_CODEC_AV1"),
		},
		MessageType: []*descriptorpb.DescriptorProto{
			{
				Name: proto.String("Video"),
				Field: []*fdp{
					field("codec", 1, tEnum, pkg+"VideoCodec"),
					field("resolution", 2, tEnum, pkg+"Resolution"),
					optional(field("bitrate_kbps", 3, tInt32, ""), 0),
				},
				OneofDecl: []*descriptorpb.OneofDescriptorProto{{Name: proto.String("_bitrate_kbps")}},
			},
			{
				Name: proto.String("Output"),
				Field: []*fdp{
					field("name", 1, tString, ""),
					repeated(field("video", 2, tMessage, pkg+"Video")),
					inOneof(field("url", 3, tString, ""), 0),
					inOneof(field("inline", 4, tMessage, pkg+"Video"), 0),
				},
				OneofDecl: []*descriptorpb.OneofDescriptorProto{{Name: proto.String("destination")}},
			},
			{
				Name: proto.String("Job"),
				Field: []*fdp{
					field("id", 1, tString, ""),
					field("status", 2, tEnum, pkg+"JobStatus"),
					field("size_bytes", 3, tInt64, ""),
					field("frames", 4, tUint64, ""),
					field("progress", 5, tDouble, ""),
					field("ratio", 6, tFloat, ""),
					field("done", 7, tBool, ""),
					field("checksum", 8, tBytes, ""),
					repeated(field("outputs", 9, tMessage, pkg+"Output")),
					repeated(field("labels", 10, tMessage, pkg+"Job.LabelsEntry")),
					repeated(field("by_index", 11, tMessage, pkg+"Job.ByIndexEntry")),
					field("created_at", 12, tMessage, ".google.protobuf.Timestamp"),
					field("finished_at", 13, tMessage, ".google.protobuf.Timestamp"),
					field("primary", 14, tMessage, pkg+"Video"),
					optional(field("note", 15, tString, ""), 0),
					optional(field("priority", 16, tInt64, ""), 1),
					field("metadata", 17, tMessage, ".google.protobuf.Struct"),
					field("timeout", 18, tMessage, ".google.protobuf.Duration"),
					field("max_size", 19, tMessage, ".google.protobuf.Int64Value"),
					repeated(field("history", 20, tEnum, pkg+"JobStatus")),
					repeated(field("status_by_region", 21, tMessage, pkg+"Job.StatusByRegionEntry")),
					field("extra", 22, tMessage, ".google.protobuf.Value"),
				},
				OneofDecl: []*descriptorpb.OneofDescriptorProto{
					{Name: proto.String("_note")},
					{Name: proto.String("_priority")},
				},
				NestedType: []*descriptorpb.DescriptorProto{
					mapEntry("LabelsEntry", field("key", 1, tString, ""), field("value", 2, tString, "")),
					mapEntry("ByIndexEntry", field("key", 1, tInt32, ""), field("value", 2, tMessage, pkg+"Output")),
					mapEntry("StatusByRegionEntry", field("key", 1, tString, ""), field("value", 2, tEnum, pkg+"JobStatus")),
				},
			},
		},
	}
	fd, err := protodesc.NewFile(file, protoregistry.GlobalFiles)
	if err != nil {
		panic(err)
	}
	return fd
}

// newJob builds a Job from protojson text, an independent oracle for the
// message contents, so encoder tests do not depend on the decoder under test.
func newJob(t testing.TB, protoJSON string) *dynamicpb.Message {
	t.Helper()
	m := dynamicpb.NewMessage(jobDesc())
	if err := protojson.Unmarshal([]byte(protoJSON), m); err != nil {
		t.Fatalf("protojson.Unmarshal(%s): %v", protoJSON, err)
	}
	return m
}

func protoreflectFloat(f float64) protoreflect.Value { return protoreflect.ValueOfFloat64(f) }

func protoreflectEnum(n int32) protoreflect.EnumNumber { return protoreflect.EnumNumber(n) }

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func mustStruct(t testing.TB, v map[string]any) *structpb.Struct {
	t.Helper()
	s, err := structpb.NewStruct(v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
