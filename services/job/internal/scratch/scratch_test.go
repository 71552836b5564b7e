package scratch

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/transcodely/transcodely/pkg/blob"
	"github.com/transcodely/transcodely/pkg/blob/blobs3"
	"github.com/transcodely/transcodely/pkg/miniotest"
)

func TestMain(m *testing.M) { miniotest.Main(m) }

// newLocal returns a Local in a temporary folder, served at /scratch/ by a
// test server, and that server's base URL.
func newLocal(t *testing.T) (*Local, *url.URL) {
	t.Helper()
	dir := t.TempDir()
	secret, err := LoadOrCreateSecret(dir)
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLocal(dir, secret)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(MountPath, l.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	base, _ := url.Parse(srv.URL)
	return l, base
}

// do sends method to ref resolved against base, as an encoder would.
func do(t *testing.T, base *url.URL, method, ref string, body []byte, header http.Header) (int, []byte) {
	t.Helper()
	u, err := base.Parse(ref)
	if err != nil {
		t.Fatal(err)
	}
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u.String(), r)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, got
}

// mustURL returns a func that unwraps PutURL or GetURL results, failing t.
func mustURL(t *testing.T) func(string, error) string {
	return func(s string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}

// testStore is the behaviour both implementations share; base resolves
// Local's relative URLs and leaves S3's absolute ones alone.
func testStore(t *testing.T, st Store, base *url.URL) {
	ctx := t.Context()
	put := func(t *testing.T, key string, data []byte) {
		t.Helper()
		if code, body := do(t, base, http.MethodPut, mustURL(t)(st.PutURL(ctx, key, time.Minute)), data, nil); code != http.StatusOK {
			t.Fatalf("PUT %s: %d %s", key, code, body)
		}
	}
	get := func(t *testing.T, key string, header http.Header) (int, []byte) {
		t.Helper()
		return do(t, base, http.MethodGet, mustURL(t)(st.GetURL(ctx, key, time.Minute)), nil, header)
	}

	t.Run("RoundTripWithRange", func(t *testing.T) {
		t.Parallel()
		data := make([]byte, 3<<20+17)
		_, _ = rand.Read(data)
		put(t, "job_rt/seg_0001.mp4", data)
		if code, got := get(t, "job_rt/seg_0001.mp4", nil); code != http.StatusOK || !bytes.Equal(got, data) {
			t.Fatalf("GET: %d, %d bytes, equal=%v", code, len(got), bytes.Equal(got, data))
		}
		code, got := get(t, "job_rt/seg_0001.mp4", http.Header{"Range": {"bytes=1048576-1048675"}})
		if code != http.StatusPartialContent || !bytes.Equal(got, data[1<<20:1<<20+100]) {
			t.Fatalf("range GET: %d, %d bytes", code, len(got))
		}
	})

	t.Run("MissingKey", func(t *testing.T) {
		t.Parallel()
		if code, _ := get(t, "job_none/seg_0001.mp4", nil); code != http.StatusNotFound {
			t.Fatalf("GET missing: %d, want 404", code)
		}
	})

	t.Run("DeletePrefix", func(t *testing.T) {
		t.Parallel()
		put(t, "job_a/seg_0001.mp4", []byte("a1"))
		put(t, "job_a/audio/track.m4a", []byte("a2"))
		put(t, "job_ab/seg_0001.mp4", []byte("ab"))
		put(t, "job_b/seg_0001.mp4", []byte("b1"))
		if err := st.DeletePrefix(ctx, "job_a/"); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"job_a/seg_0001.mp4", "job_a/audio/track.m4a"} {
			if code, _ := get(t, key, nil); code != http.StatusNotFound {
				t.Errorf("GET %s after delete: %d, want 404", key, code)
			}
		}
		for key, want := range map[string]string{"job_ab/seg_0001.mp4": "ab", "job_b/seg_0001.mp4": "b1"} {
			if code, got := get(t, key, nil); code != http.StatusOK || string(got) != want {
				t.Errorf("GET %s after deleting job_a/: %d %q", key, code, got)
			}
		}
		for _, prefix := range []string{"job_a/", "job_never", "job_b/nothing/"} {
			if err := st.DeletePrefix(ctx, prefix); err != nil {
				t.Errorf("DeletePrefix(%q) of nothing: %v", prefix, err)
			}
		}
		for _, prefix := range []string{"", "/", "../", ".hidden/", "a/../b/"} {
			if err := st.DeletePrefix(ctx, prefix); !errors.Is(err, blob.ErrInvalidKey) {
				t.Errorf("DeletePrefix(%q) = %v, want ErrInvalidKey", prefix, err)
			}
		}
	})

	t.Run("BadKeys", func(t *testing.T) {
		t.Parallel()
		for _, key := range []string{"", "/job/x", "job/../x", "..", "job//x", `job\x`, "job/a\x00", "job/a b", "job/ü",
			".scratch-secret", "job/.put-1", "job/x?y", "job/x%2F"} {
			if _, err := st.PutURL(ctx, key, time.Minute); !errors.Is(err, blob.ErrInvalidKey) {
				t.Errorf("PutURL(%q) = %v, want ErrInvalidKey", key, err)
			}
			if _, err := st.GetURL(ctx, key, time.Minute); !errors.Is(err, blob.ErrInvalidKey) {
				t.Errorf("GetURL(%q) = %v, want ErrInvalidKey", key, err)
			}
		}
		if _, err := st.GetURL(ctx, "job/x", 0); err == nil {
			t.Error("GetURL with a zero lifetime succeeded")
		}
	})
}

func TestLocal_Store(t *testing.T) {
	t.Parallel()
	l, base := newLocal(t)
	testStore(t, l, base)
}

func TestS3_Store(t *testing.T) {
	t.Parallel()
	srv := miniotest.Shared(t)
	cfg := srv.Config(srv.NewBucket(t))
	cfg.Prefix = "scratch"
	st, err := blobs3.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	testStore(t, NewS3(st), &url.URL{})
}

func TestLocal_Handler(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	l, base := newLocal(t)
	const key = "job_h/seg_0001.mp4"
	putURL := mustURL(t)(l.PutURL(ctx, key, time.Minute))
	getURL := mustURL(t)(l.GetURL(ctx, key, time.Minute))
	if !strings.HasPrefix(putURL, "/scratch/"+key+"?exp=") || !strings.Contains(putURL, "&sig=") {
		t.Fatalf("PutURL = %q, want /scratch/<key>?exp=..&sig=..", putURL)
	}
	if code, body := do(t, base, http.MethodPut, putURL, []byte("hello"), nil); code != http.StatusOK {
		t.Fatalf("PUT: %d %s", code, body)
	}

	t.Run("Forbidden", func(t *testing.T) {
		t.Parallel()
		tampered := getURL[:len(getURL)-1] + map[bool]string{true: "1", false: "0"}[strings.HasSuffix(getURL, "0")]
		for name, c := range map[string]struct{ method, ref string }{
			"TamperedSig":     {http.MethodGet, tampered},
			"NoSig":           {http.MethodGet, "/scratch/" + key},
			"OtherKey":        {http.MethodGet, strings.Replace(getURL, "seg_0001", "seg_0002", 1)},
			"LaterExp":        {http.MethodGet, strings.Replace(getURL, "exp=", "exp=9", 1)},
			"Expired":         {http.MethodGet, l.signedURL(http.MethodGet, key, time.Now().Add(-time.Second).Unix())},
			"GetURLUsedToPut": {http.MethodPut, getURL},
			"PutURLUsedToGet": {http.MethodGet, putURL},
		} {
			if code, body := do(t, base, c.method, c.ref, []byte("x"), nil); code != http.StatusForbidden {
				t.Errorf("%s: %d %s, want 403", name, code, body)
			}
		}
		if code, got := do(t, base, http.MethodGet, getURL, nil, nil); code != http.StatusOK || string(got) != "hello" {
			t.Errorf("GET after refused PUTs: %d %q", code, got)
		}
	})

	t.Run("Head", func(t *testing.T) {
		t.Parallel()
		if code, _ := do(t, base, http.MethodHead, getURL, nil, nil); code != http.StatusOK {
			t.Errorf("HEAD: %d", code)
		}
	})

	t.Run("BadKey", func(t *testing.T) {
		t.Parallel()
		for _, path := range []string{"/scratch/.scratch-secret", "/scratch/job/.put-1", "/scratch/job/a%5Cb", "/scratch/job/a%00b", "/scratch/job/a%20b", "/scratch/"} {
			if code, body := do(t, base, http.MethodGet, path+"?exp=1&sig=00", nil, nil); code != http.StatusBadRequest {
				t.Errorf("GET %s: %d %s, want 400", path, code, body)
			}
		}
	})

	t.Run("MethodNotAllowed", func(t *testing.T) {
		t.Parallel()
		if code, _ := do(t, base, http.MethodDelete, putURL, nil, nil); code != http.StatusMethodNotAllowed {
			t.Errorf("DELETE: %d, want 405", code)
		}
	})
}

func TestLocal_MaxBytes(t *testing.T) {
	t.Parallel()
	l, base := newLocal(t)
	l.MaxBytes = 1000
	putURL := mustURL(t)(l.PutURL(t.Context(), "job_m/big", time.Minute))
	if code, _ := do(t, base, http.MethodPut, putURL, make([]byte, 1001), nil); code != http.StatusRequestEntityTooLarge {
		t.Errorf("PUT with Content-Length 1001: %d, want 413", code)
	}
	// Without a Content-Length the limit is enforced while streaming.
	u, _ := base.Parse(putURL)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, u.String(), io.MultiReader(bytes.NewReader(make([]byte, 5000))))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked PUT of 5000 bytes: %d, want 413", resp.StatusCode)
	}
	if code, _ := do(t, base, http.MethodPut, putURL, make([]byte, 1000), nil); code != http.StatusOK {
		t.Errorf("PUT of exactly MaxBytes: %d, want 200", code)
	}
	// Refused uploads leave no temporary files behind.
	entries, err := os.ReadDir(filepath.Join(l.dir, "job_m"))
	if err != nil || len(entries) != 1 || entries[0].Name() != "big" {
		t.Errorf("job folder after uploads: %v, %v; want only big", entries, err)
	}
}

func TestLoadOrCreateSecret(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "scratch")
	first, err := LoadOrCreateSecret(dir)
	if err != nil {
		t.Fatal(err)
	}
	second, err := LoadOrCreateSecret(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 32 || !bytes.Equal(first, second) {
		t.Fatalf("secrets differ or have the wrong size: %x, %x", first, second)
	}
	fi, err := os.Stat(filepath.Join(dir, ".scratch-secret"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v, %v; want mode 0600", fi, err)
	}

	// A URL made before a restart works after it.
	a, _ := NewLocal(dir, first)
	b, _ := NewLocal(dir, second)
	ref := mustURL(t)(a.GetURL(context.Background(), "job/x", time.Minute))
	u, _ := url.Parse(ref)
	if why := b.verify(http.MethodGet, "job/x", u.Query()); why != "" {
		t.Errorf("URL from before the restart: %s", why)
	}

	if err := os.WriteFile(filepath.Join(dir, ".scratch-secret"), []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateSecret(dir); err == nil {
		t.Error("a truncated secret file was accepted")
	}
}
