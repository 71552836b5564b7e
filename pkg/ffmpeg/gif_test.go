package ffmpeg_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
)

func TestRunner_GIF(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	dir := t.TempDir()
	src := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Seconds: 3, Width: 320, Height: 180})

	out := filepath.Join(dir, "preview.gif")
	if err := r.GIF(testContext(t), src, ffmpeg.GIFOptions{Path: out, Start: 1, Duration: 1.5, Width: 160, FPS: 10}); err != nil {
		t.Fatalf("GIF: %v", err)
	}
	p, v := probeVideo(t, r, out)
	if v.Codec != "gif" || v.Width != 160 || v.Height != 90 {
		t.Errorf("GIF video = %s %dx%d, want gif 160x90", v.Codec, v.Width, v.Height)
	}
	if math.Abs(p.Duration-1.5) > 0.11 {
		t.Errorf("GIF duration = %.3f s, want 1.5 s", p.Duration)
	}
	if n := countFrames(t, r, out); n < 14 || n > 16 {
		t.Errorf("GIF has %d frames, want 15 (1.5 s at 10 fps)", n)
	}

	if err := r.GIF(testContext(t), src, ffmpeg.GIFOptions{Path: out, Duration: 0}); err == nil {
		t.Error("GIF with zero duration succeeded")
	}
}
