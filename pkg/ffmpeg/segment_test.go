package ffmpeg_test

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
)

// segmentPlan cuts frames 0..total-1 into segments of about segSeconds on
// frame boundaries, the way the job service plans a segment-parallel
// encode: segment k starts at frame round(k*segSeconds*fps).
func segmentPlan(total int, fps, segSeconds float64) []ffmpeg.SegmentCut {
	var cuts []ffmpeg.SegmentCut
	for k := 0; ; k++ {
		start := int(math.Round(float64(k) * segSeconds * fps))
		if start >= total {
			return cuts
		}
		end := min(total, int(math.Round(float64(k+1)*segSeconds*fps)))
		cuts = append(cuts, ffmpeg.SegmentCut{StartFrame: start, Frames: end - start, FPS: fps})
	}
}

// marks returns the packaging marks (multiples of every seconds) before
// end seconds.
func marks(end, every float64) []float64 {
	var ms []float64
	for k := 1; float64(k)*every < end; k++ {
		ms = append(ms, float64(k)*every)
	}
	return ms
}

// firstFrameAt is the index of the first frame shown at or after second s.
func firstFrameAt(s, fps float64) int { return int(math.Ceil(s*fps - 1e-6)) }

// firstFrameTime is when the first decoded frame of the selected stream is
// presented: for audio that is after the encoder priming (AAC edit list,
// Opus pre-skip) has been dropped, i.e. when sound starts.
func firstFrameTime(t *testing.T, path, stream string) float64 {
	t.Helper()
	out := ffmpegtest.RunFFprobe(t, "-select_streams", stream, "-show_entries", "frame=pts_time",
		"-read_intervals", "%+1", "-of", "csv=p=0", path)
	first, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
	first, _, _ = strings.Cut(first, ",")
	v, err := strconv.ParseFloat(strings.TrimSpace(first), 64)
	if err != nil {
		t.Fatalf("first %s frame of %s: %q", stream, filepath.Base(path), out)
	}
	return v
}

// streamStart is the start_time ffprobe reports for the selected stream.
func streamStart(t *testing.T, path, stream string) float64 {
	t.Helper()
	out := strings.TrimSpace(ffmpegtest.RunFFprobe(t, "-select_streams", stream, "-show_entries", "stream=start_time", "-of", "csv=p=0", path))
	v, err := strconv.ParseFloat(out, 64)
	if err != nil {
		t.Fatalf("start time of %s in %s: %q", stream, filepath.Base(path), out)
	}
	return v
}

// checkAVStart checks that audio and video of path start within tol of
// each other, both by the streams' start times and by when the first
// decoded frames are presented (which excludes Opus pre-skip, still part
// of a WebM stream's start time). It returns both differences (audio minus
// video) for the log.
func checkAVStart(t *testing.T, path string, tol float64) (streams, decoded float64) {
	t.Helper()
	streams = streamStart(t, path, "a:0") - streamStart(t, path, "v:0")
	if math.Abs(streams) > tol {
		t.Errorf("audio stream starts %.6f s after the video stream, more than %.6f s", streams, tol)
	}
	decoded = firstFrameTime(t, path, "a:0") - firstFrameTime(t, path, "v:0")
	if math.Abs(decoded) > tol {
		t.Errorf("audio starts sounding %.6f s after the first picture, more than %.6f s", decoded, tol)
	}
	return streams, decoded
}

// containsNear reports whether some element of xs is within tol of x.
func containsNear(xs []float64, x, tol float64) bool {
	return slices.ContainsFunc(xs, func(v float64) bool { return near(v, x, tol) })
}

// TestRunner_SegmentParallel encodes clips the way the platform does, cut
// into segments that are encoded separately and joined by stream copy with
// the separately encoded audio, and checks the result against the source
// and against a single-pass encode with the same settings.
func TestRunner_SegmentParallel(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	const (
		segSeconds  = 6.0
		markSeconds = 3.0 // packaging boundaries, deliberately not on GOP multiples
	)
	tests := []struct {
		name string
		clip ffmpegtest.ClipOptions
	}{
		{"25fps 640x360 stereo", ffmpegtest.ClipOptions{Width: 640, Height: 360, FPS: 25, Audio: true}},
		{"30000/1001fps 480x270 stereo", ffmpegtest.ClipOptions{Width: 480, Height: 270, Rate: "30000/1001", Audio: true}},
		{"60fps 320x180 silent", ffmpegtest.ClipOptions{Width: 320, Height: 180, FPS: 60}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := testContext(t)
			dir := t.TempDir()
			// B-frames and keyframes every 97 frames: the cuts fall
			// inside source GOPs, so seeking has to decode up to them.
			opt := tc.clip
			opt.Seconds, opt.GOP, opt.BFrames = 13, 97, 3
			src := ffmpegtest.MakeClip(t, dir, opt)
			srcProbe, srcVideo := probeVideo(t, r, src)
			fps := srcVideo.FPS
			frame := 1 / fps
			total := countFrames(t, r, src)
			video := ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Preset: "veryfast", CRF: 23, GOPFrames: int(math.Round(2 * fps))}

			// Segments, each forcing keyframes on the packaging marks
			// inside it.
			cuts := segmentPlan(total, fps, segSeconds)
			if len(cuts) != 3 {
				t.Fatalf("plan = %+v, want 3 segments", cuts)
			}
			var segments []string
			for k, cut := range cuts {
				cut.StartOffset = srcVideo.StartOffset
				v := video
				for _, m := range marks(float64(total)*frame, markSeconds) {
					if i := firstFrameAt(m, fps); i > cut.StartFrame && i < cut.StartFrame+cut.Frames {
						v.ForceKeyframesAt = append(v.ForceKeyframesAt, m-float64(cut.StartFrame)*frame)
					}
				}
				seg := filepath.Join(dir, fmt.Sprintf("seg%d.mp4", k))
				job := ffmpeg.TranscodeJob{Input: src, Cut: &cut, Outputs: []ffmpeg.Output{{Path: seg, Format: "mp4", Video: &v}}}
				if err := r.Transcode(ctx, job, nil); err != nil {
					t.Fatalf("segment %d: %v", k, err)
				}
				segments = append(segments, seg)
			}

			joined := filepath.Join(dir, "joined.mp4")
			out := ffmpeg.CopyOutput{Path: joined, Format: "mp4", FastStart: true}
			hasAudio := len(srcProbe.Audio) > 0
			if hasAudio {
				out.Audio = filepath.Join(dir, "audio.m4a")
				job := ffmpeg.TranscodeJob{Input: src, InputSeek: srcVideo.StartOffset, Outputs: []ffmpeg.Output{{
					Path: out.Audio, Audio: &ffmpeg.AudioEncode{Codec: ffmpeg.CodecAAC, BitrateKbps: 128},
				}}}
				if err := r.Transcode(ctx, job, nil); err != nil {
					t.Fatalf("audio: %v", err)
				}
			}
			if err := r.Concat(ctx, segments, out, nil); err != nil {
				t.Fatalf("Concat: %v", err)
			}

			single := filepath.Join(dir, "single.mp4")
			sv := video
			sv.ForceKeyframesAt = marks(float64(total)*frame, markSeconds)
			if err := r.Transcode(ctx, ffmpeg.TranscodeJob{Input: src, Outputs: []ffmpeg.Output{{Path: single, Video: &sv}}}, nil); err != nil {
				t.Fatalf("single pass: %v", err)
			}

			if n := countFrames(t, r, joined); n != total {
				t.Errorf("joined video has %d frames, source %d", n, total)
			}
			joinedProbe, joinedVideo := probeVideo(t, r, joined)
			durDiff := joinedProbe.Duration - srcProbe.Duration
			if math.Abs(durDiff) > frame+1e-6 {
				t.Errorf("joined duration %.6f s, source %.6f s: differ by more than a frame", joinedProbe.Duration, srcProbe.Duration)
			}
			var avStreams, avDecoded float64
			if hasAudio {
				if len(joinedProbe.Audio) != 1 || joinedProbe.Audio[0].Codec != "aac" {
					t.Fatalf("joined audio = %+v, want one aac stream", joinedProbe.Audio)
				}
				avStreams, avDecoded = checkAVStart(t, joined, frame)
			} else if len(joinedProbe.Audio) != 0 {
				t.Errorf("joined file of a silent source has audio %+v", joinedProbe.Audio)
			}
			if joinedVideo.Width != srcVideo.Width || joinedVideo.Height != srcVideo.Height || joinedVideo.FrameRate != srcVideo.FrameRate {
				t.Errorf("joined video %dx%d @ %s, source %dx%d @ %s", joinedVideo.Width, joinedVideo.Height, joinedVideo.FrameRate,
					srcVideo.Width, srcVideo.Height, srcVideo.FrameRate)
			}

			// Keyframes on every segment start (the joins) and on the
			// first frame at or after every packaging mark.
			keys, err := r.Keyframes(ctx, joined)
			if err != nil {
				t.Fatalf("Keyframes: %v", err)
			}
			for _, cut := range cuts {
				if at := float64(cut.StartFrame) * frame; !containsNear(keys, at, frame/2) {
					t.Errorf("no keyframe at segment boundary frame %d (%.3f s); keyframes %v", cut.StartFrame, at, keys)
				}
			}
			for _, m := range marks(float64(total)*frame, markSeconds) {
				if at := float64(firstFrameAt(m, fps)) * frame; !containsNear(keys, at, frame/2) {
					t.Errorf("no keyframe at the first frame after mark %v s (%.3f s); keyframes %v", m, at, keys)
				}
			}

			ssimJoined, err := r.SSIM(ctx, src, joined)
			if err != nil {
				t.Fatalf("SSIM joined: %v", err)
			}
			ssimSingle, err := r.SSIM(ctx, src, single)
			if err != nil {
				t.Fatalf("SSIM single pass: %v", err)
			}
			if ssimJoined < ssimSingle-0.002 {
				t.Errorf("SSIM joined %.5f, single pass %.5f: segmenting lost quality", ssimJoined, ssimSingle)
			}
			t.Logf("frames %d/%d, duration diff %+.6f s, A/V start diff %+.6f s (stream start_time) %+.6f s (first decoded frames), SSIM joined %.5f single %.5f (%+.5f)",
				countFrames(t, r, joined), total, durDiff, avStreams, avDecoded, ssimJoined, ssimSingle, ssimJoined-ssimSingle)
		})
	}

	t.Run("vp9 and opus into webm", func(t *testing.T) {
		t.Parallel()
		ctx := testContext(t)
		dir := t.TempDir()
		src := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 320, Height: 180, Seconds: 4, Audio: true, GOP: 37, BFrames: 2})
		_, srcVideo := probeVideo(t, r, src)
		total := countFrames(t, r, src)
		frame := 1 / srcVideo.FPS
		var segments []string
		cuts := segmentPlan(total, srcVideo.FPS, 2)
		for k, cut := range cuts {
			seg := filepath.Join(dir, fmt.Sprintf("seg%d.webm", k))
			job := ffmpeg.TranscodeJob{Input: src, Cut: &cut, Outputs: []ffmpeg.Output{{
				Path: seg, Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecVP9, Preset: "ultrafast", GOPFrames: 50},
			}}}
			if err := r.Transcode(ctx, job, nil); err != nil {
				t.Fatalf("segment %d: %v", k, err)
			}
			segments = append(segments, seg)
		}
		audio := filepath.Join(dir, "audio.webm")
		job := ffmpeg.TranscodeJob{Input: src, Outputs: []ffmpeg.Output{{Path: audio, Audio: &ffmpeg.AudioEncode{Codec: ffmpeg.CodecOpus, BitrateKbps: 96}}}}
		if err := r.Transcode(ctx, job, nil); err != nil {
			t.Fatalf("audio: %v", err)
		}
		joined := filepath.Join(dir, "joined.webm")
		if err := r.Concat(ctx, segments, ffmpeg.CopyOutput{Path: joined, Audio: audio}, nil); err != nil {
			t.Fatalf("Concat: %v", err)
		}
		if n := countFrames(t, r, joined); n != total {
			t.Errorf("joined video has %d frames, source %d", n, total)
		}
		p, v := probeVideo(t, r, joined)
		if v.Codec != "vp9" || len(p.Audio) != 1 || p.Audio[0].Codec != "opus" {
			t.Errorf("joined = %s + %+v, want vp9 + one opus stream", v.Codec, p.Audio)
		}
		if math.Abs(p.Duration-4) > frame+1e-6 {
			t.Errorf("joined duration %.6f s, want 4 s ± 1 frame", p.Duration)
		}
		avStreams, avDecoded := checkAVStart(t, joined, frame)
		keys, err := r.Keyframes(ctx, joined)
		if err != nil {
			t.Fatalf("Keyframes: %v", err)
		}
		for _, cut := range cuts {
			if at := float64(cut.StartFrame) * frame; !containsNear(keys, at, frame/2) {
				t.Errorf("no keyframe at segment boundary %.3f s; keyframes %v", at, keys)
			}
		}
		t.Logf("frames %d/%d, duration %.6f s, A/V start diff %+.6f s (stream start_time) %+.6f s (first decoded frames)",
			countFrames(t, r, joined), total, p.Duration, avStreams, avDecoded)
	})

	t.Run("video starting after the audio", func(t *testing.T) {
		t.Parallel()
		ctx := testContext(t)
		dir := t.TempDir()
		// Without an edit list the B-frame delay (2 frames) is not
		// compensated: the video starts 80 ms after the audio, as in MP4s
		// from some tools and in most MPEG-TS files.
		orig := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 320, Height: 180, Seconds: 3, Audio: true, GOP: 40, BFrames: 2})
		src := filepath.Join(dir, "late-video.mp4")
		ffmpegtest.RunFFmpeg(t, "-i", orig, "-c", "copy", "-use_editlist", "0", src)
		_, srcVideo := probeVideo(t, r, src)
		if !near(srcVideo.StartOffset, 0.08, 0.001) {
			t.Fatalf("StartOffset = %v, want 0.08 (two frames of B-frame delay)", srcVideo.StartOffset)
		}
		total := countFrames(t, r, src)
		frame := 1 / srcVideo.FPS
		var segments []string
		for k, cut := range segmentPlan(total, srcVideo.FPS, 1) {
			cut.StartOffset = srcVideo.StartOffset
			seg := filepath.Join(dir, fmt.Sprintf("seg%d.mp4", k))
			job := ffmpeg.TranscodeJob{Input: src, Cut: &cut, Outputs: []ffmpeg.Output{{
				Path: seg, Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Preset: "veryfast", GOPFrames: 25},
			}}}
			if err := r.Transcode(ctx, job, nil); err != nil {
				t.Fatalf("segment %d: %v", k, err)
			}
			segments = append(segments, seg)
		}
		audio := filepath.Join(dir, "audio.m4a")
		job := ffmpeg.TranscodeJob{Input: src, InputSeek: srcVideo.StartOffset, Outputs: []ffmpeg.Output{{
			Path: audio, Audio: &ffmpeg.AudioEncode{Codec: ffmpeg.CodecAAC},
		}}}
		if err := r.Transcode(ctx, job, nil); err != nil {
			t.Fatalf("audio: %v", err)
		}
		joined := filepath.Join(dir, "joined.mp4")
		if err := r.Concat(ctx, segments, ffmpeg.CopyOutput{Path: joined, Audio: audio}, nil); err != nil {
			t.Fatalf("Concat: %v", err)
		}
		if n := countFrames(t, r, joined); n != total {
			t.Errorf("joined video has %d frames, source %d", n, total)
		}
		avStreams, avDecoded := checkAVStart(t, joined, frame)
		// The original clip has the same pictures starting at 0, so frames
		// pair up by timestamp; a cut shifted by the 2-frame offset would
		// score like a different video.
		ssim, err := r.SSIM(ctx, orig, joined)
		if err != nil {
			t.Fatalf("SSIM: %v", err)
		}
		if ssim < 0.97 {
			t.Errorf("SSIM joined vs source = %.5f, want >= 0.97", ssim)
		}
		t.Logf("start offset %.6f s, A/V start diff %+.6f s (stream start_time) %+.6f s (first decoded frames), SSIM %.5f",
			srcVideo.StartOffset, avStreams, avDecoded, ssim)
	})

	t.Run("cut past the end of the source", func(t *testing.T) {
		t.Parallel()
		src := ffmpegtest.MakeClip(t, t.TempDir(), ffmpegtest.ClipOptions{Seconds: 1})
		job := ffmpeg.TranscodeJob{Input: src, Cut: &ffmpeg.SegmentCut{StartFrame: 20, Frames: 10, FPS: 25}, Outputs: []ffmpeg.Output{{
			Path: filepath.Join(t.TempDir(), "seg.mp4"), Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Preset: "ultrafast"},
		}}}
		err := r.Transcode(testContext(t), job, nil)
		if !errors.Is(err, ffmpeg.ErrInvalidMedia) || !strings.Contains(err.Error(), "only 5 decoded") {
			t.Errorf("error = %v, want the short segment reported as invalid media", err)
		}
	})

	t.Run("audio starting after the video keeps its offset", func(t *testing.T) {
		t.Parallel()
		src := ffmpegtest.MakeClip(t, t.TempDir(), ffmpegtest.ClipOptions{Seconds: 2, Audio: true})
		for _, tc := range []struct{ ext, video, audio string }{
			{"mp4", ffmpeg.CodecH264, ffmpeg.CodecAAC},
			{"webm", ffmpeg.CodecVP9, ffmpeg.CodecOpus},
		} {
			t.Run(tc.ext, func(t *testing.T) {
				t.Parallel()
				ctx := testContext(t)
				dir := t.TempDir()
				var segments []string
				for k, cut := range segmentPlan(50, 25, 1) {
					seg := filepath.Join(dir, fmt.Sprintf("seg%d.%s", k, tc.ext))
					job := ffmpeg.TranscodeJob{Input: src, Cut: &cut, Outputs: []ffmpeg.Output{{
						Path: seg, Video: &ffmpeg.VideoEncode{Codec: tc.video, Preset: "ultrafast", GOPFrames: 25},
					}}}
					if err := r.Transcode(ctx, job, nil); err != nil {
						t.Fatalf("segment %d: %v", k, err)
					}
					segments = append(segments, seg)
				}
				audio := filepath.Join(dir, "audio."+tc.ext)
				job := ffmpeg.TranscodeJob{Input: src, Outputs: []ffmpeg.Output{{Path: audio, Audio: &ffmpeg.AudioEncode{Codec: tc.audio}}}}
				if err := r.Transcode(ctx, job, nil); err != nil {
					t.Fatalf("audio: %v", err)
				}
				// As the whole-file audio encode writes it for a source
				// whose sound starts 100 ms into the video.
				late := filepath.Join(dir, "late."+tc.ext)
				ffmpegtest.RunFFmpeg(t, "-i", audio, "-c", "copy", "-output_ts_offset", "0.1", late)
				want := firstFrameTime(t, late, "a:0")
				joined := filepath.Join(dir, "joined."+tc.ext)
				if err := r.Concat(ctx, segments, ffmpeg.CopyOutput{Path: joined, Audio: late}, nil); err != nil {
					t.Fatalf("Concat: %v", err)
				}
				v, a := firstFrameTime(t, joined, "v:0"), firstFrameTime(t, joined, "a:0")
				if v != 0 || !near(a, want, 0.001) || want < 0.05 {
					t.Errorf("joined video starts at %.6f s and audio at %.6f s, want 0 and %.6f s (as in the audio file)", v, a, want)
				}
			})
		}
	})
}
