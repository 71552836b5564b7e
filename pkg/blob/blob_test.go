package blob_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/transcodely/transcodely/pkg/blob"
)

func TestValidateKey(t *testing.T) {
	t.Parallel()
	valid := []string{"a", "a/b/c.mp4", "with space/ü", "...", "a..b/c", ".hidden/x"}
	invalid := []string{"", "/a", "..", "../a", "a/../b", "a/..", ".", "./a", "a/./b", "a//b", "a/", `a\b`, "a\x00b"}
	for _, key := range valid {
		if err := blob.ValidateKey(key); err != nil {
			t.Errorf("ValidateKey(%q) = %v, want nil", key, err)
		}
	}
	for _, key := range invalid {
		if err := blob.ValidateKey(key); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("ValidateKey(%q) = %v, want ErrInvalidKey", key, err)
		}
	}

	t.Run("Prefix", func(t *testing.T) {
		for _, p := range []string{"", "a", "a/", "a/b/"} {
			if err := blob.ValidatePrefix(p); err != nil {
				t.Errorf("ValidatePrefix(%q) = %v, want nil", p, err)
			}
		}
		for _, p := range []string{"/", "../", "a//", "/a/"} {
			if err := blob.ValidatePrefix(p); !errors.Is(err, blob.ErrInvalidKey) {
				t.Errorf("ValidatePrefix(%q) = %v, want ErrInvalidKey", p, err)
			}
		}
	})
}

func TestExpectSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		size    int64
		wantErr bool
	}{
		{"Exact", 10, false},
		{"Unknown", -1, false},
		{"Short", 11, true},
		{"Long", 9, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := io.ReadAll(blob.ExpectSize(strings.NewReader("0123456789"), tc.size))
			if (err != nil) != tc.wantErr {
				t.Fatalf("ReadAll error = %v, want error: %v", err, tc.wantErr)
			}
			if !tc.wantErr && string(got) != "0123456789" {
				t.Errorf("read %q, want all ten bytes", got)
			}
		})
	}
}

func TestError(t *testing.T) {
	t.Parallel()
	cause := errors.New("api error NoSuchKey")
	err := error(&blob.Error{Kind: blob.ErrNotFound, Msg: `object "k" not found`, Err: cause})
	if !errors.Is(err, blob.ErrNotFound) || !errors.Is(err, cause) {
		t.Errorf("errors.Is must see both the kind and the cause of %v", err)
	}
	if want := `object "k" not found: api error NoSuchKey`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
	if errors.Is(&blob.Error{Msg: "no kind"}, blob.ErrNotFound) {
		t.Error("an Error without Kind matched ErrNotFound")
	}
}

// closedURL returns a URL on 127.0.0.1 where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "http://" + l.Addr().String() + "/bucket/key?X-Amz-Signature=secret"
}

func TestOpenURL_Unreachable(t *testing.T) {
	t.Parallel()
	u := closedURL(t)
	_, _, err := blob.OpenURL(t.Context(), nil, u)
	if !errors.Is(err, blob.ErrUnreachable) || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("OpenURL = %v, want ErrUnreachable saying connection refused", err)
	}
	if err != nil && strings.Contains(err.Error(), "secret") {
		t.Errorf("error %q leaks the URL's query", err)
	}
}

func TestPutURL_Unreachable(t *testing.T) {
	t.Parallel()
	for name, size := range map[string]int64{"KnownSize": 3, "UnknownSize": -1} {
		t.Run(name, func(t *testing.T) {
			err := blob.PutURL(t.Context(), nil, closedURL(t), bytes.NewReader([]byte("abc")), size, "")
			if !errors.Is(err, blob.ErrUnreachable) {
				t.Errorf("PutURL = %v, want ErrUnreachable", err)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q leaks the URL's query", err)
			}
		})
	}
}
