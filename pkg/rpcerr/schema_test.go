package rpcerr_test

import (
	"bytes"
	"log/slog"
	"sync"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/transcodely/transcodely/pkg/rpcerr"
)

// The tests need a request message with buf.validate rules, and pkg/ may not
// import gen/, so the schema is built here as a FileDescriptorProto that
// imports buf/validate/validate.proto (registered by the validate package):
//
//	syntax = "proto3";
//	package rpcerrtest.v1;
//	message Video  { string codec = 1 [(buf.validate.field).string = {in: ["h264", "h265", "vp9", "av1"]}]; }
//	message Output { repeated Video video = 1; }
//	message CreateJobRequest {
//	  string name = 1 [(buf.validate.field).string.min_len = 1];
//	  repeated Output outputs = 2;
//	  map<string, string> labels = 3 [(buf.validate.field).map.keys.string.min_len = 2];
//	}
var createJobDesc = mustBuildSchema().Messages().ByName("CreateJobRequest")

func withRules(f *descriptorpb.FieldDescriptorProto, rules *validate.FieldRules) *descriptorpb.FieldDescriptorProto {
	f.Options = &descriptorpb.FieldOptions{}
	proto.SetExtension(f.Options, validate.E_Field, rules)
	return f
}

func field(name string, num int32, typ descriptorpb.FieldDescriptorProto_Type, typeName string, repeated bool) *descriptorpb.FieldDescriptorProto {
	label := descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL
	if repeated {
		label = descriptorpb.FieldDescriptorProto_LABEL_REPEATED
	}
	f := &descriptorpb.FieldDescriptorProto{Name: proto.String(name), Number: proto.Int32(num), Label: label.Enum(), Type: typ.Enum()}
	if typeName != "" {
		f.TypeName = proto.String(typeName)
	}
	return f
}

func mustBuildSchema() protoreflect.FileDescriptor {
	const (
		str = descriptorpb.FieldDescriptorProto_TYPE_STRING
		msg = descriptorpb.FieldDescriptorProto_TYPE_MESSAGE
	)
	file := &descriptorpb.FileDescriptorProto{
		Name:       proto.String("rpcerrtest/v1/job.proto"),
		Package:    proto.String("rpcerrtest.v1"),
		Syntax:     proto.String("proto3"),
		Dependency: []string{"buf/validate/validate.proto"},
		MessageType: []*descriptorpb.DescriptorProto{
			{
				Name: proto.String("Video"),
				Field: []*descriptorpb.FieldDescriptorProto{
					withRules(field("codec", 1, str, "", false), validate.FieldRules_builder{
						String: validate.StringRules_builder{In: []string{"h264", "h265", "vp9", "av1"}}.Build(),
					}.Build()),
				},
			},
			{
				Name:  proto.String("Output"),
				Field: []*descriptorpb.FieldDescriptorProto{field("video", 1, msg, ".rpcerrtest.v1.Video", true)},
			},
			{
				Name: proto.String("CreateJobRequest"),
				Field: []*descriptorpb.FieldDescriptorProto{
					withRules(field("name", 1, str, "", false), validate.FieldRules_builder{
						String: validate.StringRules_builder{MinLen: proto.Uint64(1)}.Build(),
					}.Build()),
					field("outputs", 2, msg, ".rpcerrtest.v1.Output", true),
					withRules(field("labels", 3, msg, ".rpcerrtest.v1.CreateJobRequest.LabelsEntry", true), validate.FieldRules_builder{
						Map: validate.MapRules_builder{Keys: validate.FieldRules_builder{
							String: validate.StringRules_builder{MinLen: proto.Uint64(2)}.Build(),
						}.Build()}.Build(),
					}.Build()),
				},
				NestedType: []*descriptorpb.DescriptorProto{{
					Name: proto.String("LabelsEntry"),
					Field: []*descriptorpb.FieldDescriptorProto{
						field("key", 1, str, "", false),
						field("value", 2, str, "", false),
					},
					Options: &descriptorpb.MessageOptions{MapEntry: proto.Bool(true)},
				}},
			},
		},
	}
	fd, err := protodesc.NewFile(file, protoregistry.GlobalFiles)
	if err != nil {
		panic(err)
	}
	return fd
}

// structDetail is the test DetailFunc: it builds a google.protobuf.Struct
// shaped like transcodely.v1.ErrorDetails, which pkg/ cannot import.
func structDetail(code, message string, violations []rpcerr.Violation) proto.Message {
	fv := make([]any, 0, len(violations))
	for _, v := range violations {
		fv = append(fv, map[string]any{"field": v.Field, "description": v.Description})
	}
	s, err := structpb.NewStruct(map[string]any{"code": code, "message": message, "field_violations": fv})
	if err != nil {
		panic(err)
	}
	return s
}

// logBuffer is a concurrency-safe sink for slog output, since handlers log
// from server goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newLogger() (*slog.Logger, *logBuffer) {
	buf := &logBuffer{}
	return slog.New(slog.NewTextHandler(buf, nil)), buf
}

func protoreflectString(s string) protoreflect.Value { return protoreflect.ValueOfString(s) }
