package presetapp_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"connectrpc.com/connect"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	presetv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/presetv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/presetv1/presetv1connect"
	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/pkg/pgdbtest"
	"github.com/transcodely/transcodely/services/preset/presetapp"
)

// TestApp_Mount checks the wiring: both services answer on a plain mux.
// Authentication and validation interceptors are the launch package's
// business; without them a public call has no principal.
func TestApp_Mount(t *testing.T) {
	t.Parallel()
	tmpl := pgdbtest.NewTemplate(t, "preset", func(ctx context.Context, url string) error {
		pool, err := pgdb.Open(ctx, url)
		if err != nil {
			return err
		}
		defer pool.Close()
		return presetapp.Migrate(ctx, pool)
	})
	app := presetapp.New(tmpl.NewPool(t), presetapp.Config{})
	ctx := context.Background()
	if err := app.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	app.Mount(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	resolver := internalv1connect.NewPresetResolverServiceClient(srv.Client(), srv.URL)
	resp, err := resolver.Resolve(ctx, connect.NewRequest(&internalv1.ResolvePresetRequest{AppId: "app_x", Ref: "h264_1080p_standard"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Msg.GetPreset().GetId(); got != "pst_sysh2641080pstd" {
		t.Fatalf("resolved %s", got)
	}

	presets := presetv1connect.NewPresetServiceClient(srv.Client(), srv.URL)
	_, err = presets.Get(ctx, connect.NewRequest(&presetv1.GetPresetRequest{Id: "pst_sysh2641080pstd"}))
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("Get without principal = %v", err)
	}
}
