package ffmpeg_test

import (
	"path/filepath"
	"testing"

	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
)

func TestRunner_SSIM(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	dir := t.TempDir()
	src := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Seconds: 1, Width: 320, Height: 180})

	same, err := r.SSIM(testContext(t), src, src)
	if err != nil {
		t.Fatalf("SSIM(identical): %v", err)
	}
	if same < 0.999 || same > 1 {
		t.Errorf("SSIM of a file with itself = %f, want >= 0.999", same)
	}

	// A quarter-size, maximum-CRF version: scaled back up by SSIM itself.
	bad := filepath.Join(dir, "bad.mp4")
	job := ffmpeg.TranscodeJob{Input: src, Outputs: []ffmpeg.Output{{Path: bad, Format: "mp4",
		Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Width: 80, Height: 46, CRF: 51, Preset: "ultrafast"}}}}
	if err := r.Transcode(testContext(t), job, nil); err != nil {
		t.Fatalf("Transcode: %v", err)
	}
	worse, err := r.SSIM(testContext(t), src, bad)
	if err != nil {
		t.Fatalf("SSIM(compressed): %v", err)
	}
	if worse >= same-0.05 || worse <= 0 {
		t.Errorf("SSIM of a heavily compressed copy = %f, want clearly below %f", worse, same)
	}
	t.Logf("SSIM identical %.4f, compressed %.4f", same, worse)

	if _, err := r.SSIM(testContext(t), src, filepath.Join(dir, "missing.mp4")); err == nil {
		t.Error("SSIM with a missing input succeeded")
	}
}
