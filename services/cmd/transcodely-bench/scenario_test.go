package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
)

// TestContenders runs the hand-written commands on a 1 s 1080p30 clip and
// checks they write every rendition the job writes, so a benchmark never
// times a command that produces less.
func TestContenders(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 1920, Height: 1080, FPS: 30, Seconds: 1, Audio: true})
	src, err := filepath.Rel(dir, clip)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		mp4Only  bool
		commands func(src, out string, mp4Only bool) [][]string
	}{
		{"single", false, func(src, out string, mp4Only bool) [][]string { return [][]string{singleCommand(src, out, mp4Only)} }},
		{"naive", false, naiveScript},
		{"single mp4-only", true, func(src, out string, mp4Only bool) [][]string { return [][]string{singleCommand(src, out, mp4Only)} }},
		{"naive mp4-only", true, naiveScript},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(dir, tc.name)
			if err := makeDirs(out); err != nil {
				t.Fatal(err)
			}
			for _, args := range tc.commands(src, tc.name, tc.mp4Only) {
				cmd := exec.Command("ffmpeg", args...)
				cmd.Dir = dir
				if b, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%s: %v\n%s", shellQuote(args), err, b)
				}
			}
			if tc.name == "naive" {
				if err := writeMaster(out); err != nil {
					t.Fatal(err)
				}
			}
			if err := verifyLocal(context.Background(), out, 1, tc.mp4Only); err != nil {
				entries, _ := os.ReadDir(filepath.Join(out, "hls"))
				t.Fatalf("%v (hls/ holds %v)", err, entries)
			}
		})
	}
}
