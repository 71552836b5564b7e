package wirejson_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/transcodely/transcodely/pkg/wirejson"
)

func TestWithCodec(t *testing.T) {
	t.Parallel()
	const procedure = "/wirejsontest.v1.TestService/Describe"
	handler := connect.NewUnaryHandler(procedure,
		func(context.Context, *connect.Request[emptypb.Empty]) (*connect.Response[descriptorpb.FieldDescriptorProto], error) {
			return connect.NewResponse(&descriptorpb.FieldDescriptorProto{
				JsonName: proto.String("sizeBytes"),
				Type:     descriptorpb.FieldDescriptorProto_TYPE_INT64.Enum(),
			}), nil
		}, wirejson.WithCodec(wirejson.Codec{}))
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)

	// Both content types connect maps to a JSON codec must get the wire
	// format, not protojson's ("jsonName", "TYPE_INT64").
	const want = `{"type":"type_int64","json_name":"sizeBytes","options":null}`
	tests := []struct {
		name        string
		contentType string
	}{
		{"json", "application/json"},
		{"json with charset", "application/json; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := http.Post(srv.URL+procedure, tt.contentType, strings.NewReader(`{}`))
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != http.StatusOK || string(body) != want {
				t.Errorf("got %d %s, want 200 %s", res.StatusCode, body, want)
			}
		})
	}
	t.Run("connect client", func(t *testing.T) {
		t.Parallel()
		client := connect.NewClient[emptypb.Empty, descriptorpb.FieldDescriptorProto](http.DefaultClient, srv.URL+procedure,
			wirejson.WithCodec(wirejson.Codec{DiscardUnknown: true}),
			// Observe the request's content type: the client must send JSON
			// in the wire format, not protobuf.
			connect.WithInterceptors(connect.UnaryInterceptorFunc(func(next connect.UnaryFunc) connect.UnaryFunc {
				return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
					res, err := next(ctx, req)
					if ct := req.Header().Get("Content-Type"); ct != "application/json" {
						t.Errorf("client sent Content-Type %q, want application/json", ct)
					}
					return res, err
				}
			})))
		res, err := client.CallUnary(t.Context(), connect.NewRequest(&emptypb.Empty{}))
		if err != nil {
			t.Fatal(err)
		}
		if res.Msg.GetJsonName() != "sizeBytes" || res.Msg.GetType() != descriptorpb.FieldDescriptorProto_TYPE_INT64 {
			t.Errorf("got %v", res.Msg)
		}
	})
}
