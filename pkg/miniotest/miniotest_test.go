package miniotest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/transcodely/transcodely/pkg/blob/blobs3"
	"github.com/transcodely/transcodely/pkg/miniotest"
)

func TestMain(m *testing.M) { miniotest.Main(m) }

func TestShared(t *testing.T) {
	t.Parallel()
	srv := miniotest.Shared(t)

	t.Run("Live", func(t *testing.T) {
		resp, err := http.Get(srv.Endpoint + "/minio/health/live")
		if err != nil {
			t.Fatalf("health check: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("health status = %s, want 200", resp.Status)
		}
		if !strings.HasPrefix(srv.Endpoint, "http://127.0.0.1:") {
			t.Errorf("Endpoint = %q, want http://127.0.0.1:PORT", srv.Endpoint)
		}
	})

	t.Run("SameServer", func(t *testing.T) {
		if again := miniotest.Shared(t); again != srv {
			t.Error("Shared started a second server")
		}
	})
}

func TestServer_NewBucket(t *testing.T) {
	t.Parallel()
	srv := miniotest.Shared(t)
	a, b := srv.NewBucket(t), srv.NewBucket(t)
	if a == b {
		t.Fatalf("two buckets share the name %q", a)
	}
	store, err := blobs3.New(srv.Config(a))
	if err != nil {
		t.Fatalf("blobs3.New: %v", err)
	}
	if err := store.CheckRead(t.Context()); err != nil {
		t.Errorf("new bucket is not readable: %v", err)
	}
	if err := store.CheckWrite(t.Context()); err != nil {
		t.Errorf("new bucket is not writable: %v", err)
	}
	if err := store.Put(t.Context(), "left/behind", strings.NewReader("x"), 1, ""); err != nil {
		t.Errorf("Put: %v", err) // cleanup must remove a bucket that is not empty
	}
}
