package ffmpeg_test

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
)

func TestRunner_Concat(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	dir := t.TempDir()
	src := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Seconds: 6, Width: 320, Height: 180})

	// Three 2 s segments as the encoder fleet would write them: closed GOPs,
	// timestamps starting at zero, B-frames (veryfast) so the MP4 edit lists
	// have to be honoured at the joins. A quote in a name checks the list
	// file's quoting.
	var segments []string
	for i := range 3 {
		seg := filepath.Join(dir, fmt.Sprintf("seg '%d'.mp4", i))
		job := ffmpeg.TranscodeJob{Input: src, InputSeek: float64(2 * i), Duration: 2, Outputs: []ffmpeg.Output{{
			Path: seg, Format: "mp4",
			Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Preset: "veryfast", GOPFrames: 50},
		}}}
		if err := r.Transcode(testContext(t), job, nil); err != nil {
			t.Fatalf("Transcode segment %d: %v", i, err)
		}
		segments = append(segments, seg)
	}
	want := 0
	for _, s := range segments {
		want += countFrames(t, r, s)
	}

	out := filepath.Join(t.TempDir(), "joined.mp4")
	var last ffmpeg.Progress
	if err := r.Concat(testContext(t), segments, ffmpeg.CopyOutput{Path: out, Format: "mp4", FastStart: true},
		func(p ffmpeg.Progress) { last = p }); err != nil {
		t.Fatalf("Concat: %v", err)
	}
	if !last.Done {
		t.Errorf("last progress report = %+v, want Done", last)
	}
	if n := countFrames(t, r, out); n != want {
		t.Errorf("joined file has %d frames, segments %d", n, want)
	}
	p, v := probeVideo(t, r, out)
	const frame = 1.0 / 25
	if math.Abs(p.Duration-6) > frame+1e-6 {
		t.Errorf("duration = %.3f s, want 6 s ± 1 frame", p.Duration)
	}
	if v.Codec != "h264" || v.Width != 320 || v.Height != 180 {
		t.Errorf("video = %s %dx%d, want h264 320x180", v.Codec, v.Width, v.Height)
	}
	// Continuous timestamps: each segment's first frame lands where the
	// previous segment ended, so the keyframes sit at 0, 2 and 4 s.
	keys, err := r.Keyframes(testContext(t), out)
	if err != nil {
		t.Fatalf("Keyframes: %v", err)
	}
	if len(keys) != 3 {
		t.Fatalf("keyframes at %v, want 3 (one per segment)", keys)
	}
	for i, k := range keys {
		if math.Abs(k-float64(2*i)) > frame/2 {
			t.Errorf("keyframe %d at %.3f s, want %d s", i, k, 2*i)
		}
	}

	t.Run("errors", func(t *testing.T) {
		t.Parallel()
		ctx := testContext(t)
		if err := r.Concat(ctx, nil, ffmpeg.CopyOutput{Path: filepath.Join(t.TempDir(), "x.mp4")}, nil); err == nil {
			t.Error("Concat with no segments succeeded")
		}
		if err := r.Concat(ctx, []string{segments[0], filepath.Join(dir, "missing.mp4")},
			ffmpeg.CopyOutput{Path: filepath.Join(t.TempDir(), "x.mp4")}, nil); err == nil {
			t.Error("Concat with a missing segment succeeded")
		}
		if err := r.Concat(ctx, segments, ffmpeg.CopyOutput{Path: filepath.Join(t.TempDir(), "x.mkv"), FastStart: true}, nil); err == nil {
			t.Error("Concat with fast start into matroska succeeded")
		}
	})
}
