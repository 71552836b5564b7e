// Package scratch holds a job's intermediate files (encoded segments, the
// audio track) between the tasks that write them and the package task that
// stitches them. Encoder workers hold no storage credentials, so a Store only
// hands out short-lived URLs for single objects; the job service deletes a
// job's scratch with DeletePrefix when the job ends.
//
// Local keeps scratch on the job service's own disk and serves it itself, for
// a single replica with no object storage. S3 keeps it in an
// operator-configured bucket, which several job replicas can share.
package scratch

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/transcodely/transcodely/pkg/blob"
	"github.com/transcodely/transcodely/pkg/blob/blobs3"
)

// Store is where a job's intermediate files live between tasks.
type Store interface {
	// PutURL is a URL an encoder uploads key to with one HTTP PUT (body = the
	// file, Content-Length set). The URL is a credential: do not log it.
	PutURL(ctx context.Context, key string, ttl time.Duration) (string, error)
	// GetURL is a URL an encoder downloads key from with HTTP GET (Range
	// requests work). The URL is a credential: do not log it.
	GetURL(ctx context.Context, key string, ttl time.Duration) (string, error)
	// DeletePrefix removes every object under prefix (e.g. "job_abc/"), which
	// names a folder: "job_a" does not touch "job_ab/". Deleting nothing is
	// not an error.
	DeletePrefix(ctx context.Context, prefix string) error
}

var (
	_ Store = (*Local)(nil)
	_ Store = (*S3)(nil)
)

// ValidateKey reports whether key may name a scratch object. Keys are
// stricter than blob keys so that they need no escaping in a URL path and
// are portable between Local and S3: slash-separated segments of
// [A-Za-z0-9._-], and no segment starts with "." so that keys can never
// address Local's secret or its in-progress uploads.
func ValidateKey(key string) error {
	if err := blob.ValidateKey(key); err != nil {
		return err
	}
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._/-", c)) {
			return invalidKey(key, fmt.Sprintf("character %q is not allowed; use [A-Za-z0-9._/-]", c))
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		if strings.HasPrefix(seg, ".") {
			return invalidKey(key, `no path segment may start with "."`)
		}
	}
	return nil
}

// checkURL validates the arguments of PutURL and GetURL.
func checkURL(key string, ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("scratch: URL lifetime must be positive, got %v", ttl)
	}
	return ValidateKey(key)
}

// folder turns a DeletePrefix argument into a validated folder key without
// its trailing slash. An empty prefix is refused: it would delete every job's
// scratch.
func folder(prefix string) (string, error) {
	dir := strings.TrimSuffix(prefix, "/")
	if dir == "" {
		return "", invalidKey(prefix, "refusing to delete with an empty prefix")
	}
	if err := ValidateKey(dir); err != nil {
		return "", err
	}
	return dir, nil
}

func invalidKey(key, why string) error {
	return &blob.Error{Kind: blob.ErrInvalidKey, Msg: fmt.Sprintf("scratch: invalid key %q: %s", key, why)}
}

// S3 is a Store on an S3-compatible bucket; its URLs are presigned S3 URLs
// that encoders use directly.
type S3 struct {
	st *blobs3.Store
}

// NewS3 returns a Store on st. Give st a Prefix (e.g. "scratch") when the
// bucket is shared with anything else.
func NewS3(st *blobs3.Store) *S3 { return &S3{st: st} }

// PutURL implements Store.
func (s *S3) PutURL(ctx context.Context, key string, ttl time.Duration) (string, error) {
	if err := checkURL(key, ttl); err != nil {
		return "", err
	}
	return s.st.PresignPut(ctx, key, ttl)
}

// GetURL implements Store.
func (s *S3) GetURL(ctx context.Context, key string, ttl time.Duration) (string, error) {
	if err := checkURL(key, ttl); err != nil {
		return "", err
	}
	return s.st.PresignGet(ctx, key, ttl)
}

// DeletePrefix implements Store.
func (s *S3) DeletePrefix(ctx context.Context, prefix string) error {
	dir, err := folder(prefix)
	if err != nil {
		return err
	}
	return s.st.DeletePrefix(ctx, dir+"/")
}
