package blobfs_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/transcodely/transcodely/pkg/blob"
	"github.com/transcodely/transcodely/pkg/blob/blobfs"
	"github.com/transcodely/transcodely/pkg/blob/blobtest"
)

func newStore(t *testing.T) *blobfs.Store {
	t.Helper()
	s, err := blobfs.New(t.TempDir())
	if err != nil {
		t.Fatalf("blobfs.New: %v", err)
	}
	return s
}

func TestStore_Conformance(t *testing.T) {
	t.Parallel()
	blobtest.Run(t, func(t *testing.T) blob.Store { return newStore(t) })
}

func TestStore_Layout(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	s, err := blobfs.New(root)
	if err != nil {
		t.Fatalf("blobfs.New: %v", err)
	}

	t.Run("KeysAreFiles", func(t *testing.T) {
		if err := s.Put(t.Context(), "jobs/1/out.mp4", strings.NewReader("video"), 5, "video/mp4"); err != nil {
			t.Fatalf("Put: %v", err)
		}
		got, err := os.ReadFile(filepath.Join(root, "jobs", "1", "out.mp4"))
		if err != nil || string(got) != "video" {
			t.Errorf("file on disk = %q, %v; want %q", got, err, "video")
		}
	})

	t.Run("DeletePrunesEmptyFolders", func(t *testing.T) {
		if err := s.Put(t.Context(), "prune/a/b/c", strings.NewReader("x"), 1, ""); err != nil {
			t.Fatalf("Put: %v", err)
		}
		if err := s.Delete(t.Context(), "prune/a/b/c"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := os.Stat(filepath.Join(root, "prune")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("folder prune/ still exists after deleting its only object: %v", err)
		}
	})

	t.Run("ReservedFolder", func(t *testing.T) {
		err := s.Put(t.Context(), ".blobfs/meta/x", strings.NewReader("x"), 1, "")
		if !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Put into the reserved folder = %v, want ErrInvalidKey", err)
		}
	})

	t.Run("FileDroppedByHand", func(t *testing.T) {
		if err := os.WriteFile(filepath.Join(root, "hand.txt"), []byte("hi"), 0o644); err != nil {
			t.Fatal(err)
		}
		info, err := s.Stat(t.Context(), "hand.txt")
		if err != nil || info.Size != 2 || info.ContentType != blob.DefaultContentType {
			t.Errorf("Stat = %+v, %v; want size 2 with the default content type", info, err)
		}
	})
}
