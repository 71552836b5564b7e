package blob

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// DefaultContentType is stored when Put is given an empty content type, so
// every implementation reports the same value back from Stat.
const DefaultContentType = "application/octet-stream"

// Store is an object store addressed by slash-separated keys.
//
// Keys must pass ValidateKey; implementations reject others with
// ErrInvalidKey so that a key means the same object on every backend.
type Store interface {
	// Put stores the bytes of r under key, replacing any existing object.
	// size is the exact length of r, or -1 if unknown; a reader that yields
	// a different number of bytes than a non-negative size fails the Put
	// without storing anything under key. Implementations stream r and never hold the
	// whole object in memory. An empty contentType stores DefaultContentType.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error

	// Get opens the object for reading. The caller must close the reader.
	Get(ctx context.Context, key string) (io.ReadCloser, error)

	// GetRange opens length bytes of the object starting at offset; a
	// length of -1 reads to the end. A range running past the end is cut
	// short; an offset at or past the end of a non-empty object is an error.
	GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)

	// Stat describes the object without reading it.
	Stat(ctx context.Context, key string) (ObjectInfo, error)

	// Delete removes the object. Deleting a missing key is not an error,
	// so retries and cleanups stay idempotent.
	Delete(ctx context.Context, key string) error

	// DeletePrefix removes every object whose key starts with prefix. An
	// empty prefix is rejected with ErrInvalidKey: wiping a whole store is
	// never what a caller means.
	DeletePrefix(ctx context.Context, prefix string) error

	// List returns the objects whose key starts with prefix (recursively,
	// "" for all), sorted by key. ContentType is not filled in, because S3
	// listings do not carry it; use Stat when it is needed.
	List(ctx context.Context, prefix string) ([]ObjectInfo, error)
}

// ObjectInfo describes one stored object.
type ObjectInfo struct {
	// Key is the object's key as given to Put.
	Key string
	// Size is the length in bytes.
	Size int64
	// ContentType is the media type given to Put (empty in List results).
	ContentType string
	// ETag identifies the object's content version, without quotes.
	ETag string
	// ModTime is when the object was last written.
	ModTime time.Time
}

// ValidateKey reports whether key is a canonical relative slash path:
// non-empty, not absolute, without "." or ".." segments, empty segments,
// trailing slash, backslash or NUL. Such keys map onto a file tree and onto
// S3 identically, and cannot escape a base folder or prefix.
func ValidateKey(key string) error {
	switch {
	case key == "":
		return invalidKey(key, "key is empty")
	case strings.HasPrefix(key, "/"):
		return invalidKey(key, "key must be relative, not start with /")
	case strings.ContainsAny(key, "\\\x00"):
		return invalidKey(key, "key must not contain a backslash or NUL byte")
	case path.Clean(key) != key || key == "." || strings.HasPrefix(key, "../") || key == "..":
		return invalidKey(key, `key must be a clean path without "..", "." or empty segments`)
	}
	return nil
}

// ValidatePrefix checks a List or DeletePrefix prefix: "" or a key, optionally
// with a trailing slash.
func ValidatePrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	if err := ValidateKey(strings.TrimSuffix(prefix, "/")); err != nil {
		return invalidKey(prefix, "prefix is not a valid key")
	}
	return nil
}

func invalidKey(key, why string) error {
	return &Error{Kind: ErrInvalidKey, Msg: fmt.Sprintf("invalid key %q: %s", key, why)}
}

// ExpectSize returns a reader that yields exactly size bytes of r and
// fails with an error if r ends early or has more; a negative size returns r
// unchanged. Stores wrap their input with it so a short or overlong body
// aborts the upload instead of silently storing the wrong bytes.
func ExpectSize(r io.Reader, size int64) io.Reader {
	if size < 0 {
		return r
	}
	return &sizedReader{r: r, left: size, size: size}
}

type sizedReader struct {
	r          io.Reader
	left, size int64
}

func (s *sizedReader) Read(p []byte) (int, error) {
	if s.left == 0 {
		// Probe one byte to tell "exactly size" from "more than size".
		var one [1]byte
		n, err := io.ReadFull(s.r, one[:])
		if n > 0 {
			return 0, fmt.Errorf("blob: body is longer than the declared size %d", s.size)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return 0, io.EOF
		}
		return 0, err
	}
	if int64(len(p)) > s.left {
		p = p[:s.left]
	}
	n, err := s.r.Read(p)
	s.left -= int64(n)
	if err == io.EOF && s.left > 0 {
		return n, fmt.Errorf("blob: body ended after %d of the declared %d bytes: %w", s.size-s.left, s.size, io.ErrUnexpectedEOF)
	}
	if err == io.EOF {
		err = nil // the final probe read reports EOF
	}
	return n, err
}
