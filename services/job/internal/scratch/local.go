package scratch

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	// DefaultMaxBytes is Local's default upload limit: far above any
	// segment or audio track, low enough to stop a runaway upload filling
	// the disk.
	DefaultMaxBytes int64 = 20 << 30
	// MountPath is where the job service mounts Local.Handler; Local's URLs
	// start with it.
	MountPath = "/scratch/"

	secretFile = ".scratch-secret"
	secretSize = 32
	minSecret  = 16
)

// Local is a Store in a folder on the job service's disk, served by the job
// service itself through Handler. Its URLs are path-absolute and relative,
// "/scratch/<key>?exp=<unix seconds>&sig=<hex>", because only the encoder
// knows the base URL it reaches the job service by. sig is HMAC-SHA256 over
// the method, key and exp, so a GET URL cannot be used to PUT.
type Local struct {
	// MaxBytes is the largest upload Handler accepts; larger ones get 413.
	// Set it before serving.
	MaxBytes int64
	// Logger receives failures that the HTTP answer hides; nil means
	// slog.Default().
	Logger *slog.Logger

	dir    string
	secret []byte
	now    func() time.Time
}

// NewLocal returns a Store in dir, creating it with mode 0700. secret signs
// URLs; keep it across restarts (see LoadOrCreateSecret) so that URLs
// already handed out stay valid.
func NewLocal(dir string, secret []byte) (*Local, error) {
	if len(secret) < minSecret {
		return nil, fmt.Errorf("scratch: secret must be at least %d bytes, got %d", minSecret, len(secret))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("scratch: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("scratch: %w", err)
	}
	return &Local{MaxBytes: DefaultMaxBytes, dir: abs, secret: bytes.Clone(secret), now: time.Now}, nil
}

// LoadOrCreateSecret returns the 32-byte URL-signing secret kept in
// dir/.scratch-secret (mode 0600), creating it on first use.
func LoadOrCreateSecret(dir string) ([]byte, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("scratch: %w", err)
	}
	name := filepath.Join(dir, secretFile)
	if secret, err := readSecret(name); !errors.Is(err, fs.ErrNotExist) {
		return secret, err
	}
	// Written aside and linked into place, so no reader ever sees a partial
	// secret and, if two processes race, both end up with the same one.
	tmp, err := os.CreateTemp(dir, secretFile+"-*")
	if err != nil {
		return nil, fmt.Errorf("scratch: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(randomBytes(secretSize)) // CreateTemp made it 0600
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if err = os.Link(tmp.Name(), name); errors.Is(err, fs.ErrExist) {
			err = nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("scratch: create secret: %w", err)
	}
	return readSecret(name)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails; see crypto/rand.Read
	return b
}

func readSecret(name string) ([]byte, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("scratch: read secret: %w", err)
	}
	if len(b) != secretSize {
		return nil, fmt.Errorf("scratch: secret file %s has %d bytes, want %d; delete it to create a new one (outstanding scratch URLs then stop working)", name, len(b), secretSize)
	}
	return b, nil
}

// PutURL implements Store.
func (l *Local) PutURL(_ context.Context, key string, ttl time.Duration) (string, error) {
	return l.url(http.MethodPut, key, ttl)
}

// GetURL implements Store. The URL also works for HEAD.
func (l *Local) GetURL(_ context.Context, key string, ttl time.Duration) (string, error) {
	return l.url(http.MethodGet, key, ttl)
}

// DeletePrefix implements Store.
func (l *Local) DeletePrefix(_ context.Context, prefix string) error {
	dir, err := folder(prefix)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(l.path(dir)); err != nil {
		return fmt.Errorf("scratch: delete %q: %w", prefix, err)
	}
	return nil
}

func (l *Local) url(method, key string, ttl time.Duration) (string, error) {
	if err := checkURL(key, ttl); err != nil {
		return "", err
	}
	// Rounded up, so a URL never lives shorter than asked.
	exp := l.now().Add(ttl + time.Second - 1).Unix()
	return l.signedURL(method, key, exp), nil
}

func (l *Local) signedURL(method, key string, exp int64) string {
	return MountPath + key + "?exp=" + strconv.FormatInt(exp, 10) + "&sig=" + hex.EncodeToString(l.sign(method, key, exp))
}

// sign is unambiguous because keys contain no newline.
func (l *Local) sign(method, key string, exp int64) []byte {
	m := hmac.New(sha256.New, l.secret)
	fmt.Fprintf(m, "%s\n%s\n%d", method, key, exp)
	return m.Sum(nil)
}

func (l *Local) path(key string) string { return filepath.Join(l.dir, filepath.FromSlash(key)) }

// Handler serves the URLs of PutURL and GetURL; mount it at MountPath
// without stripping the prefix.
func (l *Local) Handler() http.Handler { return http.HandlerFunc(l.serve) }

func (l *Local) serve(w http.ResponseWriter, r *http.Request) {
	signedAs := r.Method
	switch r.Method {
	case http.MethodGet, http.MethodPut:
	case http.MethodHead:
		signedAs = http.MethodGet
	default:
		w.Header().Set("Allow", "GET, HEAD, PUT")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	key, ok := strings.CutPrefix(r.URL.Path, MountPath)
	if !ok || ValidateKey(key) != nil {
		http.Error(w, "invalid scratch key", http.StatusBadRequest)
		return
	}
	if why := l.verify(signedAs, key, r.URL.Query()); why != "" {
		http.Error(w, why, http.StatusForbidden)
		return
	}
	if r.Method == http.MethodPut {
		l.put(w, r, key)
	} else {
		l.get(w, r, key)
	}
}

// verify returns why the URL is not valid for method and key, or "".
func (l *Local) verify(method, key string, q url.Values) string {
	exp, err := strconv.ParseInt(q.Get("exp"), 10, 64)
	sig, herr := hex.DecodeString(q.Get("sig"))
	if err != nil || herr != nil || len(sig) == 0 {
		return "missing or malformed signature"
	}
	if !hmac.Equal(sig, l.sign(method, key, exp)) {
		return "invalid signature"
	}
	if l.now().Unix() > exp {
		return "URL has expired"
	}
	return ""
}

func (l *Local) get(w http.ResponseWriter, r *http.Request, key string) {
	f, err := os.Open(l.path(key))
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		l.fail(w, "open", key, err)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		l.fail(w, "stat", key, err)
		return
	}
	if fi.IsDir() {
		http.NotFound(w, r)
		return
	}
	// Set explicitly so ServeContent neither sniffs nor guesses from names.
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, "", fi.ModTime(), f)
}

// put streams the body to a temporary file beside the target and renames it
// into place, so readers see the whole previous object or the whole new one,
// and memory use does not depend on the file's size.
func (l *Local) put(w http.ResponseWriter, r *http.Request, key string) {
	if r.ContentLength > l.MaxBytes {
		http.Error(w, "upload too large", http.StatusRequestEntityTooLarge)
		return
	}
	name := l.path(key)
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		l.fail(w, "mkdir", key, err)
		return
	}
	// The dot keeps temporary files out of reach of keys.
	tmp, err := os.CreateTemp(filepath.Dir(name), ".put-*")
	if err != nil {
		l.fail(w, "create", key, err)
		return
	}
	renamed := false
	defer func() {
		if !renamed {
			_ = os.Remove(tmp.Name())
		}
	}()
	body := &errReader{r: http.MaxBytesReader(w, r.Body, l.MaxBytes)}
	_, err = io.Copy(tmp, body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(body.err, &tooBig):
		http.Error(w, "upload too large", http.StatusRequestEntityTooLarge)
		return
	case body.err != nil:
		http.Error(w, "upload body could not be read", http.StatusBadRequest)
		return
	case err != nil:
		l.fail(w, "write", key, err)
		return
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		l.fail(w, "rename", key, err)
		return
	}
	renamed = true
	w.WriteHeader(http.StatusOK)
}

// fail logs an internal error and answers 500 without disclosing paths.
func (l *Local) fail(w http.ResponseWriter, op, key string, err error) {
	log := l.Logger
	if log == nil {
		log = slog.Default()
	}
	log.Error("scratch: "+op+" failed", "key", key, "err", err)
	http.Error(w, "scratch storage failed", http.StatusInternalServerError)
}

// errReader remembers a read error, to tell a bad upload (the client's fault)
// from a failed write (ours).
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}
