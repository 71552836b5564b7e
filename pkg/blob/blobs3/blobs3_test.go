package blobs3_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/transcodely/transcodely/pkg/blob"
	"github.com/transcodely/transcodely/pkg/blob/blobs3"
	"github.com/transcodely/transcodely/pkg/blob/blobtest"
	"github.com/transcodely/transcodely/pkg/miniotest"
)

func TestMain(m *testing.M) { miniotest.Main(m) }

// newStore returns a store on a fresh MinIO bucket, optionally adjusted.
func newStore(t *testing.T, adjust ...func(*blobs3.Config)) *blobs3.Store {
	t.Helper()
	srv := miniotest.Shared(t)
	cfg := srv.Config(srv.NewBucket(t))
	for _, f := range adjust {
		f(&cfg)
	}
	s, err := blobs3.New(cfg)
	if err != nil {
		t.Fatalf("blobs3.New: %v", err)
	}
	return s
}

func TestStore_Conformance(t *testing.T) {
	t.Parallel()
	blobtest.Run(t, func(t *testing.T) blob.Store { return newStore(t) })
}

func TestStore_Conformance_Prefix(t *testing.T) {
	t.Parallel()
	blobtest.Run(t, func(t *testing.T) blob.Store {
		return newStore(t, func(c *blobs3.Config) { c.Prefix = "/tenants/t1/" })
	})
}

func TestStore_Prefix(t *testing.T) {
	t.Parallel()
	srv := miniotest.Shared(t)
	bucket := srv.NewBucket(t)
	whole, err := blobs3.New(srv.Config(bucket))
	if err != nil {
		t.Fatal(err)
	}
	cfg := srv.Config(bucket)
	cfg.Prefix = "tenants/t1"
	scoped, err := blobs3.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if err := scoped.Put(ctx, "jobs/a.mp4", strings.NewReader("a"), 1, ""); err != nil {
		t.Fatalf("Put: %v", err)
	}
	if err := whole.Put(ctx, "tenants/t10/other", strings.NewReader("b"), 1, ""); err != nil {
		t.Fatalf("Put: %v", err)
	}

	t.Run("KeysLandBelowPrefix", func(t *testing.T) {
		if _, err := whole.Stat(ctx, "tenants/t1/jobs/a.mp4"); err != nil {
			t.Errorf("object not stored below the prefix: %v", err)
		}
	})
	t.Run("ListIsScoped", func(t *testing.T) {
		infos, err := scoped.List(ctx, "")
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		if len(infos) != 1 || infos[0].Key != "jobs/a.mp4" {
			t.Errorf("List = %+v, want only jobs/a.mp4 (not the sibling prefix t10)", infos)
		}
	})
	t.Run("InvalidPrefix", func(t *testing.T) {
		cfg := srv.Config(bucket)
		cfg.Prefix = "a/../b"
		if _, err := blobs3.New(cfg); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("New with prefix a/../b = %v, want ErrInvalidKey", err)
		}
	})
}

func TestStore_Errors(t *testing.T) {
	t.Parallel()
	srv := miniotest.Shared(t)

	t.Run("WrongSecret", func(t *testing.T) {
		t.Parallel()
		s := newStore(t, func(c *blobs3.Config) { c.SecretAccessKey = "not-the-secret" })
		for op, err := range map[string]error{
			"CheckRead":  s.CheckRead(t.Context()),
			"CheckWrite": s.CheckWrite(t.Context()),
			"Put":        s.Put(t.Context(), "k", strings.NewReader("x"), 1, ""),
		} {
			if !errors.Is(err, blob.ErrAccessDenied) {
				t.Errorf("%s = %v, want ErrAccessDenied", op, err)
				continue
			}
			if want := "access denied: the secret key or access key id is wrong (SignatureDoesNotMatch)"; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("%s message = %q, want it to start with %q", op, err, want)
			}
		}
		// HEAD answers carry no error code, only the 403.
		_, err := s.Stat(t.Context(), "k")
		if !errors.Is(err, blob.ErrAccessDenied) || !strings.Contains(err.Error(), "access denied") {
			t.Errorf("Stat = %v, want ErrAccessDenied", err)
		}
	})

	t.Run("UnknownAccessKey", func(t *testing.T) {
		t.Parallel()
		s := newStore(t, func(c *blobs3.Config) { c.AccessKeyID = "nobody" })
		err := s.CheckRead(t.Context())
		if !errors.Is(err, blob.ErrAccessDenied) || !strings.Contains(err.Error(), "InvalidAccessKeyId") {
			t.Errorf("CheckRead = %v, want ErrAccessDenied naming InvalidAccessKeyId", err)
		}
	})

	t.Run("MissingBucket", func(t *testing.T) {
		t.Parallel()
		s, err := blobs3.New(srv.Config("no-such-bucket-here"))
		if err != nil {
			t.Fatal(err)
		}
		for op, err := range map[string]error{
			"CheckRead":  s.CheckRead(t.Context()),
			"CheckWrite": s.CheckWrite(t.Context()),
			"List":       func() error { _, err := s.List(t.Context(), ""); return err }(),
		} {
			if !errors.Is(err, blob.ErrNoBucket) || !strings.HasPrefix(err.Error(), `bucket "no-such-bucket-here" does not exist`) {
				t.Errorf("%s = %v, want ErrNoBucket with a message naming the bucket", op, err)
			}
		}
	})

	t.Run("Unreachable", func(t *testing.T) {
		t.Parallel()
		endpoint := "http://" + closedAddr(t)
		cfg := srv.Config("whatever")
		cfg.Endpoint = endpoint
		s, err := blobs3.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		err = s.CheckRead(t.Context())
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("CheckRead took %v against a dead endpoint, want at most 10s", took)
		}
		if !errors.Is(err, blob.ErrUnreachable) {
			t.Fatalf("CheckRead = %v, want ErrUnreachable", err)
		}
		if want := "cannot reach endpoint " + endpoint + ": connection refused"; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("message = %q, want it to start with %q", err, want)
		}
	})

	t.Run("HTTPClientDialerRefuses", func(t *testing.T) {
		t.Parallel()
		// What a dialer that refuses private addresses looks like to callers.
		refuse := &net.Dialer{Control: func(string, string, syscall.RawConn) error {
			return errors.New("address is private")
		}}
		s := newStore(t, func(c *blobs3.Config) {
			c.HTTPClient = &http.Client{Transport: &http.Transport{DialContext: refuse.DialContext}}
		})
		err := s.CheckRead(t.Context())
		if !errors.Is(err, blob.ErrUnreachable) || !strings.Contains(err.Error(), "address is private") {
			t.Errorf("CheckRead = %v, want ErrUnreachable mentioning the dialer's refusal", err)
		}
	})

	t.Run("BadConfig", func(t *testing.T) {
		t.Parallel()
		for name, cfg := range map[string]blobs3.Config{
			"NoBucket":    {AccessKeyID: "a", SecretAccessKey: "b"},
			"NoKeys":      {Bucket: "b"},
			"BadEndpoint": {Bucket: "b", AccessKeyID: "a", SecretAccessKey: "b", Endpoint: "127.0.0.1:9000"},
		} {
			if _, err := blobs3.New(cfg); err == nil {
				t.Errorf("%s: New succeeded, want error", name)
			}
		}
	})
}

// closedAddr returns a 127.0.0.1 address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestStore_CheckWrite(t *testing.T) {
	t.Parallel()
	for name, prefix := range map[string]string{"BucketRoot": "", "Prefix": "base/dir"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := miniotest.Shared(t)
			bucket := srv.NewBucket(t)
			cfg := srv.Config(bucket)
			cfg.Prefix = prefix
			s, err := blobs3.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.CheckRead(t.Context()); err != nil {
				t.Fatalf("CheckRead: %v", err)
			}
			if err := s.CheckWrite(t.Context()); err != nil {
				t.Fatalf("CheckWrite: %v", err)
			}
			whole, err := blobs3.New(srv.Config(bucket))
			if err != nil {
				t.Fatal(err)
			}
			if left, err := whole.List(t.Context(), ""); err != nil || len(left) != 0 {
				t.Errorf("bucket after CheckWrite holds %+v (err %v), want nothing", left, err)
			}
		})
	}
}

func TestStore_Presign(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	data := bytes.Repeat([]byte("0123456789"), 1000)
	if err := s.Put(ctx, "in/source.mp4", bytes.NewReader(data), int64(len(data)), "video/mp4"); err != nil {
		t.Fatalf("Put: %v", err)
	}
	getURL, err := s.PresignGet(ctx, "in/source.mp4", time.Minute)
	if err != nil {
		t.Fatalf("PresignGet: %v", err)
	}

	t.Run("GetWithPlainHTTP", func(t *testing.T) {
		resp, err := http.Get(getURL)
		if err != nil {
			t.Fatalf("GET: %v", err)
		}
		defer resp.Body.Close()
		got, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !bytes.Equal(got, data) {
			t.Errorf("GET = %s with %d bytes, want 200 with the %d bytes put", resp.Status, len(got), len(data))
		}
	})

	t.Run("OpenURL", func(t *testing.T) {
		rc, size, err := blob.OpenURL(ctx, nil, getURL)
		if err != nil {
			t.Fatalf("OpenURL: %v", err)
		}
		defer rc.Close()
		got, _ := io.ReadAll(rc)
		if size != int64(len(data)) || !bytes.Equal(got, data) {
			t.Errorf("OpenURL = %d bytes (size %d), want %d", len(got), size, len(data))
		}
	})

	t.Run("OpenURLRange", func(t *testing.T) {
		for _, r := range []struct{ offset, length int64 }{{5, 10}, {0, 3}, {9990, -1}} {
			rc, size, err := blob.OpenURLRange(ctx, nil, getURL, r.offset, r.length)
			if err != nil {
				t.Fatalf("OpenURLRange(%d, %d): %v", r.offset, r.length, err)
			}
			got, _ := io.ReadAll(rc)
			rc.Close()
			want := data[r.offset:]
			if r.length >= 0 {
				want = want[:r.length]
			}
			if !bytes.Equal(got, want) || size != int64(len(want)) {
				t.Errorf("OpenURLRange(%d, %d) = %q (size %d), want %q", r.offset, r.length, got, size, want)
			}
		}
	})

	t.Run("OpenURLMissing", func(t *testing.T) {
		u, err := s.PresignGet(ctx, "in/missing.mp4", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = blob.OpenURL(ctx, nil, u)
		if !errors.Is(err, blob.ErrNotFound) || !strings.Contains(err.Error(), "404") {
			t.Errorf("OpenURL of a missing object = %v, want ErrNotFound mentioning 404", err)
		}
	})

	t.Run("PutURL", func(t *testing.T) {
		for name, size := range map[string]int64{"KnownSize": int64(len(data)), "UnknownSize": -1} {
			key := "out/" + name + ".m4s"
			putURL, err := s.PresignPut(ctx, key, time.Minute)
			if err != nil {
				t.Fatalf("PresignPut: %v", err)
			}
			body := struct{ io.Reader }{bytes.NewReader(data)}
			if err := blob.PutURL(ctx, nil, putURL, body, size, "video/iso.segment"); err != nil {
				t.Fatalf("PutURL(%s): %v", name, err)
			}
			info, err := s.Stat(ctx, key)
			if err != nil || info.Size != int64(len(data)) || info.ContentType != "video/iso.segment" {
				t.Errorf("after PutURL(%s), Stat = %+v, %v; want %d bytes of video/iso.segment", name, info, err, len(data))
			}
		}
	})

	t.Run("PutURLEmpty", func(t *testing.T) {
		putURL, err := s.PresignPut(ctx, "out/empty", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if err := blob.PutURL(ctx, nil, putURL, strings.NewReader(""), 0, ""); err != nil {
			t.Fatalf("PutURL: %v", err)
		}
		if info, err := s.Stat(ctx, "out/empty"); err != nil || info.Size != 0 {
			t.Errorf("Stat = %+v, %v; want an empty object", info, err)
		}
	})

	t.Run("PutURLTampered", func(t *testing.T) {
		putURL, err := s.PresignPut(ctx, "out/tampered", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(putURL)
		q := u.Query()
		sig := []byte(q.Get("X-Amz-Signature"))
		slices.Reverse(sig)
		q.Set("X-Amz-Signature", string(sig))
		u.RawQuery = q.Encode()
		err = blob.PutURL(ctx, nil, u.String(), strings.NewReader("x"), 1, "")
		if !errors.Is(err, blob.ErrAccessDenied) || !strings.Contains(err.Error(), "403") {
			t.Errorf("PutURL with a bad signature = %v, want ErrAccessDenied mentioning 403", err)
		}
		if err != nil && strings.Contains(err.Error(), "X-Amz-") {
			t.Errorf("error %q leaks the presigned query", err)
		}
	})
}
