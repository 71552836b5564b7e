// Package blobfs implements blob.Store on a local folder, for development
// scratch space and single-machine setups. Keys map to files below the root,
// so the stored objects can be inspected with ordinary tools.
//
// Metadata that a file cannot carry portably (content type, ETag) lives in
// sidecar files under the reserved folder ".blobfs" in the root, which is
// also where uploads are staged before they are renamed into place, so a
// reader never sees a half-written object.
//
// Unlike S3, a folder tree cannot hold both "a" and "a/b": the second Put of
// such a pair fails. Transcodely's key layout never needs both.
package blobfs

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/transcodely/transcodely/pkg/blob"
)

// reserved is the root folder holding metadata and staged uploads; keys
// below it are rejected.
const reserved = ".blobfs"

// Store is a blob.Store on a folder. It is safe for concurrent use.
type Store struct {
	root string
}

var _ blob.Store = (*Store)(nil)

// meta is the sidecar content of one object.
type meta struct {
	ContentType string `json:"contentType"`
	ETag        string `json:"etag"`
}

// New returns a Store rooted at dir, creating the folder if needed.
func New(dir string) (*Store, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blobfs: %w", err)
	}
	for _, d := range []string{root, filepath.Join(root, reserved, "tmp"), filepath.Join(root, reserved, "meta")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("blobfs: %w", err)
		}
	}
	return &Store{root: root}, nil
}

func (s *Store) dataPath(key string) string { return filepath.Join(s.root, filepath.FromSlash(key)) }
func (s *Store) metaPath(key string) string {
	return filepath.Join(s.root, reserved, "meta", filepath.FromSlash(key)+".json")
}

func checkKey(key string) error {
	if err := blob.ValidateKey(key); err != nil {
		return err
	}
	return checkReserved(key)
}

func checkPrefix(prefix string) error {
	if err := blob.ValidatePrefix(prefix); err != nil {
		return err
	}
	return checkReserved(prefix)
}

func checkReserved(key string) error {
	if key == reserved || strings.HasPrefix(key, reserved+"/") {
		return &blob.Error{Kind: blob.ErrInvalidKey, Msg: fmt.Sprintf("invalid key %q: %q is reserved by blobfs", key, reserved)}
	}
	return nil
}

// Put implements blob.Store: the body is written to a staging file and
// renamed into place once complete.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if contentType == "" {
		contentType = blob.DefaultContentType
	}
	tmp, err := os.CreateTemp(filepath.Join(s.root, reserved, "tmp"), "put-*")
	if err != nil {
		return fmt.Errorf("blobfs: put %q: %w", key, err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	sum := md5.New()
	_, err = io.Copy(io.MultiWriter(tmp, sum), ctxReader{ctx, blob.ExpectSize(r, size)})
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("blobfs: put %q: %w", key, err)
	}
	m, err := json.Marshal(meta{ContentType: contentType, ETag: hex.EncodeToString(sum.Sum(nil))})
	if err != nil {
		return fmt.Errorf("blobfs: put %q: %w", key, err)
	}
	if err := s.writeMeta(key, m); err != nil {
		return fmt.Errorf("blobfs: put %q: %w", key, err)
	}
	if err := renameInto(tmp.Name(), s.dataPath(key)); err != nil {
		return fmt.Errorf("blobfs: put %q: %w", key, err)
	}
	return nil
}

func (s *Store) writeMeta(key string, m []byte) error {
	tmp, err := os.CreateTemp(filepath.Join(s.root, reserved, "tmp"), "meta-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(m)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return renameInto(tmp.Name(), s.metaPath(key))
}

// renameInto moves src to dst, creating dst's folder. It retries once
// because a concurrent Delete may prune the freshly created folder.
func renameInto(src, dst string) error {
	var err error
	for range 2 {
		if err = os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err = os.Rename(src, dst); !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return err
}

// Get implements blob.Store.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	return s.GetRange(ctx, key, 0, -1)
}

// GetRange implements blob.Store.
func (s *Store) GetRange(_ context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if offset < 0 || length < -1 {
		return nil, fmt.Errorf("blobfs: invalid range offset=%d length=%d", offset, length)
	}
	f, err := os.Open(s.dataPath(key))
	if err != nil {
		return nil, s.fail(key, err)
	}
	fi, err := f.Stat()
	switch {
	case err != nil:
		f.Close()
		return nil, s.fail(key, err)
	case fi.IsDir():
		f.Close()
		return nil, s.fail(key, fs.ErrNotExist)
	case offset >= fi.Size() && (offset > 0 || length > 0):
		// Matches S3, which answers such a range with InvalidRange.
		f.Close()
		return nil, fmt.Errorf("blobfs: range starts at %d, past the end of %q (%d bytes)", offset, key, fi.Size())
	}
	if length < 0 {
		length = fi.Size() - offset
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(f, offset, length), f}, nil
}

// Stat implements blob.Store.
func (s *Store) Stat(_ context.Context, key string) (blob.ObjectInfo, error) {
	if err := checkKey(key); err != nil {
		return blob.ObjectInfo{}, err
	}
	fi, err := os.Stat(s.dataPath(key))
	if err == nil && fi.IsDir() {
		err = fs.ErrNotExist
	}
	if err != nil {
		return blob.ObjectInfo{}, s.fail(key, err)
	}
	info := blob.ObjectInfo{Key: key, Size: fi.Size(), ContentType: blob.DefaultContentType, ModTime: fi.ModTime()}
	// A missing sidecar (a file dropped in by hand) keeps the defaults.
	if raw, err := os.ReadFile(s.metaPath(key)); err == nil {
		var m meta
		if json.Unmarshal(raw, &m) == nil {
			info.ContentType, info.ETag = m.ContentType, m.ETag
		}
	}
	return info, nil
}

// Delete implements blob.Store; emptied folders are removed too so that the
// tree does not fill up with empty job folders.
func (s *Store) Delete(_ context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	for _, p := range []string{s.dataPath(key), s.metaPath(key)} {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) || (err == nil && fi.IsDir()) {
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return s.fail(key, err)
		}
		s.prune(filepath.Dir(p))
	}
	return nil
}

// prune removes empty folders from dir up to (not including) the root or the
// metadata root. os.Remove refuses non-empty folders, which makes this safe.
func (s *Store) prune(dir string) {
	stop := []string{s.root, filepath.Join(s.root, reserved, "meta")}
	for !slices.Contains(stop, dir) && strings.HasPrefix(dir, s.root) {
		if os.Remove(dir) != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}

// DeletePrefix implements blob.Store.
func (s *Store) DeletePrefix(ctx context.Context, prefix string) error {
	if prefix == "" {
		return &blob.Error{Kind: blob.ErrInvalidKey, Msg: "refusing to delete with an empty prefix"}
	}
	infos, err := s.List(ctx, prefix)
	if err != nil {
		return err
	}
	for _, info := range infos {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.Delete(ctx, info.Key); err != nil {
			return err
		}
	}
	return nil
}

// List implements blob.Store. Only the folder the prefix points into is
// walked, not the whole tree.
func (s *Store) List(ctx context.Context, prefix string) ([]blob.ObjectInfo, error) {
	if err := checkPrefix(prefix); err != nil {
		return nil, err
	}
	start := s.root
	if i := strings.LastIndex(prefix, "/"); i >= 0 {
		start = s.dataPath(prefix[:i])
	}
	var infos []blob.ObjectInfo
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // the prefix's folder does not exist: nothing to list
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(s.root, p)
		key := filepath.ToSlash(rel)
		switch {
		case d.IsDir() && key == reserved:
			return fs.SkipDir
		case d.IsDir() || !d.Type().IsRegular() || !strings.HasPrefix(key, prefix):
			return nil
		}
		info, err := s.Stat(ctx, key)
		if errors.Is(err, blob.ErrNotFound) {
			return nil // deleted while walking
		}
		info.ContentType = "" // as on S3, listings do not carry it
		infos = append(infos, info)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("blobfs: list %q: %w", prefix, err)
	}
	slices.SortFunc(infos, func(a, b blob.ObjectInfo) int { return strings.Compare(a.Key, b.Key) })
	return infos, nil
}

func (s *Store) fail(key string, err error) error {
	// ENOTDIR: a parent of the key is a file, so the key cannot exist.
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return &blob.Error{Kind: blob.ErrNotFound, Msg: fmt.Sprintf("object %q not found in %s", key, s.root), Err: err}
	}
	if errors.Is(err, fs.ErrPermission) {
		return &blob.Error{Kind: blob.ErrAccessDenied, Msg: fmt.Sprintf("access denied to %q in %s", key, s.root), Err: err}
	}
	return fmt.Errorf("blobfs: %q: %w", key, err)
}

// ctxReader stops a long copy when the context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
