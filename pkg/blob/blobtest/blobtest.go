// Package blobtest is the conformance suite for blob.Store implementations.
// Every implementation runs the same Run so that code written against
// blob.Store behaves identically on every backend.
package blobtest

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/transcodely/transcodely/pkg/blob"
)

// Run runs the conformance suite as parallel subtests of t. newStore must
// return an empty store that no other subtest uses (its own bucket or
// folder), cleaned up through t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) blob.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s blob.Store)
	}{
		{"PutGet", testPutGet},
		{"Overwrite", testOverwrite},
		{"EmptyObject", testEmptyObject},
		{"StreamUnknownSize", testStreamUnknownSize},
		{"SizeMismatch", testSizeMismatch},
		{"GetRange", testGetRange},
		{"Stat", testStat},
		{"NotFound", testNotFound},
		{"Delete", testDelete},
		{"List", testList},
		{"DeletePrefix", testDeletePrefix},
		{"ContentType", testContentType},
		{"InvalidKey", testInvalidKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newStore(t))
		})
	}
}

// payload returns n deterministic pseudo-random bytes.
func payload(n int, seed uint64) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)})
	_, _ = r.Read(b)
	return b
}

func put(t *testing.T, s blob.Store, key string, data []byte, contentType string) {
	t.Helper()
	if err := s.Put(t.Context(), key, bytes.NewReader(data), int64(len(data)), contentType); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func read(t *testing.T, rc io.ReadCloser, err error) []byte {
	t.Helper()
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return b
}

func get(t *testing.T, s blob.Store, key string) []byte {
	t.Helper()
	rc, err := s.Get(t.Context(), key)
	return read(t, rc, err)
}

func keys(infos []blob.ObjectInfo) []string {
	ks := make([]string, len(infos))
	for i, info := range infos {
		ks[i] = info.Key
	}
	return ks
}

func testPutGet(t *testing.T, s blob.Store) {
	for _, key := range []string{"a.bin", "jobs/j1/out/seg-0001.m4s", "with space/ünïcode+plus.txt"} {
		data := payload(1000, 1)
		put(t, s, key, data, "")
		if got := get(t, s, key); !bytes.Equal(got, data) {
			t.Errorf("Get(%q) returned %d bytes that differ from the %d put", key, len(got), len(data))
		}
	}
}

func testOverwrite(t *testing.T, s blob.Store) {
	put(t, s, "k", []byte("first version"), "")
	put(t, s, "k", []byte("second"), "")
	if got := string(get(t, s, "k")); got != "second" {
		t.Errorf("Get after overwrite = %q, want %q", got, "second")
	}
}

func testEmptyObject(t *testing.T, s blob.Store) {
	put(t, s, "empty", nil, "")
	if got := get(t, s, "empty"); len(got) != 0 {
		t.Errorf("Get = %d bytes, want 0", len(got))
	}
	info, err := s.Stat(t.Context(), "empty")
	if err != nil || info.Size != 0 {
		t.Errorf("Stat = %+v, %v; want size 0", info, err)
	}
}

// testStreamUnknownSize puts 12 MiB from a reader that hides its length,
// which forces S3 stores into a multipart upload.
func testStreamUnknownSize(t *testing.T, s blob.Store) {
	const size = 12 << 20
	data := payload(size, 2)
	body := struct{ io.Reader }{bytes.NewReader(data)} // no Len, Seek or ReadAt
	if err := s.Put(t.Context(), "big/video.mp4", body, -1, "video/mp4"); err != nil {
		t.Fatalf("Put(size -1): %v", err)
	}
	info, err := s.Stat(t.Context(), "big/video.mp4")
	if err != nil {
		t.Fatalf("Stat: %v", err)
	}
	if info.Size != size {
		t.Errorf("Stat size = %d, want %d", info.Size, size)
	}
	rc, err := s.Get(t.Context(), "big/video.mp4")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		t.Fatalf("read: %v", err)
	}
	if want := sha256.Sum256(data); !bytes.Equal(h.Sum(nil), want[:]) {
		t.Error("content read back differs from the 12 MiB written")
	}
}

func testSizeMismatch(t *testing.T, s blob.Store) {
	for name, size := range map[string]int64{"Short": 20, "Long": 5} {
		t.Run(name, func(t *testing.T) {
			key := "mismatch-" + name
			err := s.Put(t.Context(), key, strings.NewReader("0123456789"), size, "")
			if err == nil {
				t.Fatalf("Put of 10 bytes declared as %d succeeded, want error", size)
			}
			if _, err := s.Stat(t.Context(), key); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("after failed Put, Stat error = %v, want ErrNotFound", err)
			}
		})
	}
}

func testGetRange(t *testing.T, s blob.Store) {
	data := payload(10_000, 3)
	put(t, s, "r", data, "")
	tests := []struct {
		name           string
		offset, length int64
		want           []byte
	}{
		{"Middle", 1000, 500, data[1000:1500]},
		{"Start", 0, 10, data[:10]},
		{"ToEnd", 9000, -1, data[9000:]},
		{"Whole", 0, -1, data},
		{"PastEnd", 9990, 100, data[9990:]},
		{"Empty", 5, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rc, err := s.GetRange(t.Context(), "r", tc.offset, tc.length)
			if got := read(t, rc, err); !bytes.Equal(got, tc.want) {
				t.Errorf("GetRange(%d, %d) = %d bytes, want %d matching bytes", tc.offset, tc.length, len(got), len(tc.want))
			}
		})
	}
	t.Run("OffsetPastEnd", func(t *testing.T) {
		rc, err := s.GetRange(t.Context(), "r", 20_000, -1)
		if err == nil {
			rc.Close()
			t.Fatal("GetRange past the end succeeded, want error")
		}
		if errors.Is(err, blob.ErrNotFound) {
			t.Errorf("GetRange past the end = %v, must not be ErrNotFound", err)
		}
	})
}

func testStat(t *testing.T, s blob.Store) {
	before := time.Now().Add(-time.Minute) // tolerate clock skew with the server
	put(t, s, "dir/s.txt", []byte("hello"), "text/plain")
	info, err := s.Stat(t.Context(), "dir/s.txt")
	if err != nil {
		t.Fatalf("Stat: %v", err)
	}
	if info.Key != "dir/s.txt" || info.Size != 5 || info.ContentType != "text/plain" {
		t.Errorf("Stat = %+v, want key dir/s.txt, size 5, content type text/plain", info)
	}
	if info.ETag == "" || strings.Contains(info.ETag, `"`) {
		t.Errorf("ETag = %q, want non-empty and unquoted", info.ETag)
	}
	if info.ModTime.Before(before) || info.ModTime.After(time.Now().Add(time.Minute)) {
		t.Errorf("ModTime = %v, want about now", info.ModTime)
	}
}

func testNotFound(t *testing.T, s blob.Store) {
	ctx := t.Context()
	put(t, s, "present/x", []byte("x"), "")
	check := func(op string, err error) {
		t.Helper()
		if !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("%s on a missing key: error = %v, want ErrNotFound", op, err)
		}
	}
	for _, key := range []string{"missing", "present", "present/x/deeper"} {
		_, err := s.Get(ctx, key)
		check("Get("+key+")", err)
		_, err = s.GetRange(ctx, key, 1, 2)
		check("GetRange("+key+")", err)
		_, err = s.Stat(ctx, key)
		check("Stat("+key+")", err)
	}
}

func testDelete(t *testing.T, s blob.Store) {
	ctx := t.Context()
	put(t, s, "d/1", []byte("1"), "")
	put(t, s, "d/2", []byte("2"), "")
	for range 2 { // deleting again must succeed too
		if err := s.Delete(ctx, "d/1"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
	}
	if err := s.Delete(ctx, "never/existed"); err != nil {
		t.Errorf("Delete of a never-written key: %v", err)
	}
	if _, err := s.Stat(ctx, "d/1"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Stat after Delete: %v, want ErrNotFound", err)
	}
	if got := string(get(t, s, "d/2")); got != "2" {
		t.Errorf("sibling d/2 = %q after deleting d/1", got)
	}
}

var listKeys = []string{"a/1", "a/2", "a/sub/3", "ab/4", "b/5"}

func putList(t *testing.T, s blob.Store) {
	for i, k := range listKeys {
		put(t, s, k, bytes.Repeat([]byte("x"), i+1), "")
	}
}

func testList(t *testing.T, s blob.Store) {
	putList(t, s)
	tests := []struct {
		prefix string
		want   []string
	}{
		{"", listKeys},
		{"a/", []string{"a/1", "a/2", "a/sub/3"}},
		{"a", []string{"a/1", "a/2", "a/sub/3", "ab/4"}},
		{"a/s", []string{"a/sub/3"}},
		{"zzz/", []string{}},
	}
	for _, tc := range tests {
		infos, err := s.List(t.Context(), tc.prefix)
		if err != nil {
			t.Fatalf("List(%q): %v", tc.prefix, err)
		}
		if got := keys(infos); !slices.Equal(got, tc.want) {
			t.Errorf("List(%q) = %q, want %q", tc.prefix, got, tc.want)
		}
	}
	infos, err := s.List(t.Context(), "b/")
	if err != nil || len(infos) != 1 || infos[0].Size != 5 || infos[0].ETag == "" || infos[0].ModTime.IsZero() {
		t.Errorf("List(b/) = %+v, %v; want one object of size 5 with ETag and ModTime", infos, err)
	}
}

func testDeletePrefix(t *testing.T, s blob.Store) {
	ctx := t.Context()
	putList(t, s)
	if err := s.DeletePrefix(ctx, "a/"); err != nil {
		t.Fatalf("DeletePrefix: %v", err)
	}
	if err := s.DeletePrefix(ctx, "nothing/here/"); err != nil {
		t.Errorf("DeletePrefix of an empty prefix folder: %v", err)
	}
	if err := s.DeletePrefix(ctx, ""); !errors.Is(err, blob.ErrInvalidKey) {
		t.Errorf(`DeletePrefix("") = %v, want ErrInvalidKey`, err)
	}
	infos, err := s.List(ctx, "")
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if got, want := keys(infos), []string{"ab/4", "b/5"}; !slices.Equal(got, want) {
		t.Errorf("after DeletePrefix(a/), keys = %q, want %q", got, want)
	}
}

func testContentType(t *testing.T, s blob.Store) {
	for key, ct := range map[string]string{
		"v.mp4":         "video/mp4",
		"p.m3u8":        "application/vnd.apple.mpegurl",
		"t.vtt":         "text/vtt; charset=utf-8",
		"no-type.bin":   "",
		"no-type-2.mp4": "",
	} {
		put(t, s, key, []byte("data"), ct)
		info, err := s.Stat(t.Context(), key)
		if err != nil {
			t.Fatalf("Stat(%q): %v", key, err)
		}
		if want := cmp.Or(ct, blob.DefaultContentType); info.ContentType != want {
			t.Errorf("content type of %q = %q, want %q", key, info.ContentType, want)
		}
	}
}

func testInvalidKey(t *testing.T, s blob.Store) {
	ctx := t.Context()
	for _, key := range []string{"", "/abs", "../up", "a/../../up", "a/..", "a//b", "a/./b", "dir/", `a\b`} {
		checks := map[string]error{
			"Put":    s.Put(ctx, key, strings.NewReader("x"), 1, ""),
			"Delete": s.Delete(ctx, key),
		}
		_, checks["Get"] = s.Get(ctx, key)
		_, checks["Stat"] = s.Stat(ctx, key)
		for op, err := range checks {
			if !errors.Is(err, blob.ErrInvalidKey) {
				t.Errorf("%s(%q) = %v, want ErrInvalidKey", op, key, err)
			}
		}
	}
	for _, prefix := range []string{"../", "/abs/", "a/../"} {
		if _, err := s.List(ctx, prefix); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("List(%q) = %v, want ErrInvalidKey", prefix, err)
		}
	}
}
