package ffmpeg_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
)

// probeVideo probes path and returns its first video stream.
func probeVideo(t *testing.T, r *ffmpeg.Runner, path string) (*ffmpeg.ProbeResult, ffmpeg.VideoStream) {
	t.Helper()
	p, err := r.Probe(testContext(t), path)
	if err != nil {
		t.Fatalf("Probe(%s): %v", filepath.Base(path), err)
	}
	return p, p.Video[0]
}

func countFrames(t *testing.T, r *ffmpeg.Runner, path string) int {
	t.Helper()
	n, err := r.CountFrames(testContext(t), path)
	if err != nil {
		t.Fatalf("CountFrames(%s): %v", filepath.Base(path), err)
	}
	return n
}

func TestRunner_Transcode(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	srcDir := t.TempDir()
	src := ffmpegtest.MakeClip(t, srcDir, ffmpegtest.ClipOptions{Seconds: 2, Audio: true})
	srcFrames := countFrames(t, r, src)

	t.Run("h264 mp4 downscale keeps every frame", func(t *testing.T) {
		t.Parallel()
		out := filepath.Join(t.TempDir(), "out.mp4")
		job := ffmpeg.TranscodeJob{Input: src, Outputs: []ffmpeg.Output{{
			Path: out, Format: "mp4", FastStart: true,
			Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Width: 160, Height: 120, Preset: "ultrafast"},
			Audio: &ffmpeg.AudioEncode{Codec: ffmpeg.CodecAAC, BitrateKbps: 64, Channels: 1},
		}}}
		if err := r.Transcode(testContext(t), job, nil); err != nil {
			t.Fatalf("Transcode: %v", err)
		}
		p, v := probeVideo(t, r, out)
		if v.Codec != "h264" || v.Width != 160 || v.Height != 120 || v.PixFmt != "yuv420p" {
			t.Errorf("output video = %s %dx%d %s, want h264 160x120 yuv420p", v.Codec, v.Width, v.Height, v.PixFmt)
		}
		if n := countFrames(t, r, out); n != srcFrames {
			t.Errorf("output has %d frames, source %d", n, srcFrames)
		}
		if len(p.Audio) != 1 || p.Audio[0].Codec != "aac" || p.Audio[0].Channels != 1 {
			t.Errorf("output audio = %+v, want one mono aac stream", p.Audio)
		}
	})

	t.Run("one decode feeds two outputs", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		hi, lo := filepath.Join(dir, "hi.mp4"), filepath.Join(dir, "lo.mp4")
		job := ffmpeg.TranscodeJob{Input: src, Outputs: []ffmpeg.Output{
			{Path: hi, Format: "mp4", Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Width: 320, Height: 240, Preset: "ultrafast"},
				Audio: &ffmpeg.AudioEncode{Codec: ffmpeg.CodecAAC}},
			{Path: lo, Format: "mp4", Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Width: 160, Height: 120, Preset: "ultrafast"}},
		}}
		args := strings.Join(job.Args(), " ")
		if strings.Count(args, " -i ") != 1 || !strings.Contains(args, "split=2") {
			t.Errorf("args should have one input and a split=2 graph: %s", args)
		}
		if err := r.Transcode(testContext(t), job, nil); err != nil {
			t.Fatalf("Transcode: %v", err)
		}
		for path, size := range map[string][2]int{hi: {320, 240}, lo: {160, 120}} {
			p, v := probeVideo(t, r, path)
			if v.Width != size[0] || v.Height != size[1] {
				t.Errorf("%s is %dx%d, want %dx%d", filepath.Base(path), v.Width, v.Height, size[0], size[1])
			}
			if n := countFrames(t, r, path); n != srcFrames {
				t.Errorf("%s has %d frames, source %d", filepath.Base(path), n, srcFrames)
			}
			if wantAudio := path == hi; (len(p.Audio) == 1) != wantAudio {
				t.Errorf("%s audio streams = %d, want audio %v", filepath.Base(path), len(p.Audio), wantAudio)
			}
		}
	})

	t.Run("codecs", func(t *testing.T) {
		t.Parallel()
		short := ffmpegtest.MakeClip(t, t.TempDir(), ffmpegtest.ClipOptions{Seconds: 1, Audio: true})
		tests := []struct {
			codec, format, audio, wantCodec, wantAudio string
		}{
			{ffmpeg.CodecH264, "mp4", ffmpeg.CodecAAC, "h264", "aac"},
			{ffmpeg.CodecH265, "mp4", ffmpeg.CodecAAC, "hevc", "aac"},
			{ffmpeg.CodecVP9, "webm", ffmpeg.CodecOpus, "vp9", "opus"},
			{ffmpeg.CodecAV1, "mp4", ffmpeg.CodecOpus, "av1", "opus"},
		}
		for _, tc := range tests {
			t.Run(tc.codec, func(t *testing.T) {
				t.Parallel()
				out := filepath.Join(t.TempDir(), "out."+tc.format)
				job := ffmpeg.TranscodeJob{Input: short, Outputs: []ffmpeg.Output{{
					Path: out, Format: tc.format,
					Video: &ffmpeg.VideoEncode{Codec: tc.codec, Height: 120, Preset: "ultrafast", GOPFrames: 25},
					Audio: &ffmpeg.AudioEncode{Codec: tc.audio, BitrateKbps: 64},
				}}}
				if err := r.Transcode(testContext(t), job, nil); err != nil {
					t.Fatalf("Transcode: %v", err)
				}
				p, v := probeVideo(t, r, out)
				if v.Codec != tc.wantCodec || v.Width != 160 || v.Height != 120 {
					t.Errorf("output = %s %dx%d, want %s 160x120", v.Codec, v.Width, v.Height, tc.wantCodec)
				}
				if len(p.Audio) != 1 || p.Audio[0].Codec != tc.wantAudio {
					t.Errorf("output audio = %+v, want %s", p.Audio, tc.wantAudio)
				}
				if tc.codec == ffmpeg.CodecH265 && !strings.Contains(strings.Join(job.Args(), " "), "-tag:v hvc1") {
					t.Errorf("h265 in mp4 must be tagged hvc1: %v", job.Args())
				}
			})
		}
	})

	t.Run("fixed gop and forced keyframes", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		gop := filepath.Join(dir, "gop.mp4")
		forced := filepath.Join(dir, "forced.mp4")
		job := ffmpeg.TranscodeJob{Input: src, Outputs: []ffmpeg.Output{
			{Path: gop, Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Preset: "ultrafast", GOPFrames: 12}},
			{Path: forced, Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH265, Preset: "ultrafast", GOPFrames: 1000, ForceKeyframesEvery: 0.5}},
		}}
		if err := r.Transcode(testContext(t), job, nil); err != nil {
			t.Fatalf("Transcode: %v", err)
		}
		for path, want := range map[string][]float64{
			gop:    {0, 0.48, 0.96, 1.44, 1.92},
			forced: {0, 0.52, 1, 1.52}, // the first frame at or after each 0.5 s mark
		} {
			got, err := r.Keyframes(testContext(t), path)
			if err != nil {
				t.Fatalf("Keyframes: %v", err)
			}
			if len(got) != len(want) {
				t.Errorf("%s keyframes = %v, want %v", filepath.Base(path), got, want)
				continue
			}
			for i := range want {
				if !near(got[i], want[i], 0.021) {
					t.Errorf("%s keyframes = %v, want %v", filepath.Base(path), got, want)
					break
				}
			}
		}
	})

	t.Run("segment seek and duration", func(t *testing.T) {
		t.Parallel()
		out := filepath.Join(t.TempDir(), "seg.ts")
		job := ffmpeg.TranscodeJob{Input: src, InputSeek: 0.4, Duration: 1, Outputs: []ffmpeg.Output{{
			Path: out, Format: "mpegts",
			Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Preset: "ultrafast", FPS: 12.5},
		}}}
		if err := r.Transcode(testContext(t), job, nil); err != nil {
			t.Fatalf("Transcode: %v", err)
		}
		_, v := probeVideo(t, r, out)
		if v.FPS != 12.5 {
			t.Errorf("fps = %v, want 12.5", v.FPS)
		}
		if n := countFrames(t, r, out); n != 13 && n != 12 {
			t.Errorf("1 s at 12.5 fps gave %d frames, want 12 or 13", n)
		}
	})

	t.Run("rotated source comes out upright", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		marked := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Seconds: 1, VideoFilter: markCorner})
		rotated := filepath.Join(dir, "rotated.mp4")
		ffmpegtest.RunFFmpeg(t, "-i", marked, "-c", "copy", "-metadata:s:v", "rotate=90", rotated)
		_, in := probeVideo(t, r, rotated)
		inW, inH := in.DisplaySize()
		wantCorner := markedCorner(t, rotated, inW, inH)

		out := filepath.Join(dir, "out.mp4")
		job := ffmpeg.TranscodeJob{Input: rotated, Outputs: []ffmpeg.Output{{
			Path: out, Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Height: 160, Preset: "ultrafast"},
		}}}
		if err := r.Transcode(testContext(t), job, nil); err != nil {
			t.Fatalf("Transcode: %v", err)
		}
		_, v := probeVideo(t, r, out)
		if v.Rotation != 0 || v.Width != 120 || v.Height != 160 {
			t.Errorf("output %dx%d rotation %d, want 120x160 (portrait, bounded by height) rotation 0", v.Width, v.Height, v.Rotation)
		}
		if got := markedCorner(t, out, v.Width, v.Height); got != wantCorner {
			t.Errorf("mark is in corner %s of the output, %s when the source is played", got, wantCorner)
		}
	})

	t.Run("anamorphic source keeps display aspect", func(t *testing.T) {
		t.Parallel()
		// 320x240 storage with 4:3 pixels displays as 16:9.
		anamorphic := ffmpegtest.MakeClip(t, t.TempDir(), ffmpegtest.ClipOptions{Seconds: 1, VideoFilter: "setsar=4/3"})
		dir := t.TempDir()
		byWidth, byBox := filepath.Join(dir, "w.mp4"), filepath.Join(dir, "box.mp4")
		job := ffmpeg.TranscodeJob{Input: anamorphic, Outputs: []ffmpeg.Output{
			{Path: byWidth, Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Width: 320, Preset: "ultrafast"}},
			{Path: byBox, Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Width: 240, Height: 240, Preset: "ultrafast"}},
		}}
		if err := r.Transcode(testContext(t), job, nil); err != nil {
			t.Fatalf("Transcode: %v", err)
		}
		for path, want := range map[string][2]int{byWidth: {320, 180}, byBox: {240, 136}} {
			_, v := probeVideo(t, r, path)
			if v.Width != want[0] || v.Height != want[1] {
				t.Errorf("%s is %dx%d, want %dx%d", filepath.Base(path), v.Width, v.Height, want[0], want[1])
			}
		}
	})

	t.Run("input over http", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.FileServer(http.Dir(srcDir)))
		t.Cleanup(srv.Close)
		out := filepath.Join(t.TempDir(), "out.webm")
		job := ffmpeg.TranscodeJob{Input: srv.URL + "/" + filepath.Base(src) + "?X-Amz-Signature=topsecret", Duration: 0.5,
			Outputs: []ffmpeg.Output{{Path: out, Audio: &ffmpeg.AudioEncode{Codec: ffmpeg.CodecOpus, SampleRate: 48000}}}}
		if err := r.Transcode(testContext(t), job, nil); err != nil {
			t.Fatalf("Transcode: %v", err)
		}
		p, err := r.Probe(testContext(t), out)
		if !errors.Is(err, ffmpeg.ErrNoVideo) || p == nil || len(p.Audio) != 1 || p.Audio[0].Codec != "opus" {
			t.Errorf("audio-only output probe = %+v, %v; want one opus stream and ErrNoVideo", p, err)
		}
	})

	t.Run("progress ends with done", func(t *testing.T) {
		t.Parallel()
		var (
			mu      sync.Mutex
			reports []ffmpeg.Progress
		)
		out := filepath.Join(t.TempDir(), "out.mkv")
		job := ffmpeg.TranscodeJob{Input: src, Outputs: []ffmpeg.Output{{
			Path: out, Format: "matroska", Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Preset: "ultrafast"},
		}}}
		err := r.Transcode(testContext(t), job, func(p ffmpeg.Progress) {
			mu.Lock()
			defer mu.Unlock()
			reports = append(reports, p)
		})
		if err != nil {
			t.Fatalf("Transcode: %v", err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(reports) == 0 {
			t.Fatal("onProgress was never called")
		}
		last := reports[len(reports)-1]
		if !last.Done || last.Frame != int64(srcFrames) || last.OutTime < 1900*time.Millisecond || last.TotalSize <= 0 {
			t.Errorf("last progress = %+v, want Done, %d frames, ~2s out time, size > 0", last, srcFrames)
		}
		for _, p := range reports[:len(reports)-1] {
			if p.Done {
				t.Errorf("Done before the last report: %+v", reports)
			}
		}
	})
}

func TestRunner_Transcode_cancel(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	out := filepath.Join(t.TempDir(), "cancelled-"+strconv.FormatInt(time.Now().UnixNano(), 36)+".mp4")
	// A minute of 360p at veryslow takes far longer than the test waits.
	job := ffmpeg.TranscodeJob{
		Input: "testsrc2=size=640x360:rate=25:duration=60", InputFormat: "lavfi",
		Outputs: []ffmpeg.Output{{Path: out, Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Preset: "veryslow"}}},
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	started := make(chan struct{})
	var once sync.Once
	errc := make(chan error, 1)
	go func() {
		errc <- r.Transcode(ctx, job, func(ffmpeg.Progress) { once.Do(func() { close(started) }) })
	}()
	select {
	case <-started:
	case err := <-errc:
		t.Fatalf("Transcode ended before it could be cancelled: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("no progress within 30 s")
	}
	// Make sure the leak check below can see ffmpeg at all.
	if pids := processesMentioning(t, out); len(pids) == 0 {
		t.Error("running ffmpeg not found in /proc; the leak check would prove nothing")
	}
	cancel()
	cancelledAt := time.Now()
	var err error
	select {
	case err = <-errc:
	case <-time.After(10 * time.Second):
		t.Fatal("Transcode did not return within 10 s of cancel")
	}
	if took := time.Since(cancelledAt); took > 2*time.Second {
		t.Errorf("Transcode returned %v after cancel, want < 2s", took)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want errors.Is(err, context.Canceled)", err)
	}
	if pids := processesMentioning(t, out); len(pids) > 0 {
		t.Errorf("ffmpeg processes still running after cancel: %v", pids)
	}
}

// processesMentioning lists the pids whose command line contains s.
func processesMentioning(t *testing.T, s string) []string {
	t.Helper()
	cmdlines, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	var pids []string
	for _, f := range cmdlines {
		b, err := os.ReadFile(f)
		if err == nil && strings.Contains(string(b), s) {
			pids = append(pids, filepath.Base(filepath.Dir(f)))
		}
	}
	return pids
}

func TestRunner_Transcode_errors(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	dir := t.TempDir()
	src := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Seconds: 1})

	t.Run("encoder failure carries stderr", func(t *testing.T) {
		t.Parallel()
		// Valid as a job, but x264 cannot do 4:4:4 in the baseline profile.
		job := ffmpeg.TranscodeJob{Input: src, Outputs: []ffmpeg.Output{{
			Path:  filepath.Join(t.TempDir(), "out.mp4"),
			Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Preset: "ultrafast", Profile: "baseline", PixFmt: "yuv444p"},
		}}}
		err := r.Transcode(testContext(t), job, nil)
		var exitErr *ffmpeg.ExitError
		if !errors.As(err, &exitErr) {
			t.Fatalf("error = %v, want an *ExitError", err)
		}
		if exitErr.ExitCode == 0 || !strings.Contains(exitErr.StderrTail, "baseline") || !strings.Contains(err.Error(), "baseline") {
			t.Errorf("ExitError = code %d, tail %q; want non-zero code and x264's complaint in the tail and message", exitErr.ExitCode, exitErr.StderrTail)
		}
		if len(exitErr.Args) == 0 || !strings.HasSuffix(exitErr.Args[0], "ffmpeg") {
			t.Errorf("ExitError.Args = %v, want the command line", exitErr.Args)
		}
		for _, sentinel := range []error{ffmpeg.ErrInvalidMedia, ffmpeg.ErrInputUnreachable} {
			if errors.Is(err, sentinel) {
				t.Errorf("encoder failure classified as %v", sentinel)
			}
		}
	})

	t.Run("missing output directory is not an input error", func(t *testing.T) {
		t.Parallel()
		job := ffmpeg.TranscodeJob{Input: src, Outputs: []ffmpeg.Output{{
			Path:  filepath.Join(t.TempDir(), "no", "such", "dir", "out.mp4"),
			Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Preset: "ultrafast"},
		}}}
		err := r.Transcode(testContext(t), job, nil)
		var exitErr *ffmpeg.ExitError
		if !errors.As(err, &exitErr) || errors.Is(err, ffmpeg.ErrInputUnreachable) {
			t.Errorf("error = %v, want a plain *ExitError", err)
		}
	})

	t.Run("garbage input", func(t *testing.T) {
		t.Parallel()
		job := ffmpeg.TranscodeJob{Input: ffmpegtest.WriteGarbage(t, t.TempDir(), "upload.mp4", 32<<10), Outputs: []ffmpeg.Output{{
			Path:  filepath.Join(t.TempDir(), "out.mp4"),
			Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Preset: "ultrafast"},
		}}}
		if err := r.Transcode(testContext(t), job, nil); !errors.Is(err, ffmpeg.ErrInvalidMedia) {
			t.Errorf("error = %v, want ErrInvalidMedia", err)
		}
	})

	t.Run("invalid job never starts ffmpeg", func(t *testing.T) {
		t.Parallel()
		bad := &ffmpeg.Runner{FFmpegPath: "/nonexistent/ffmpeg"}
		job := ffmpeg.TranscodeJob{Input: src, Outputs: []ffmpeg.Output{{
			Path: filepath.Join(t.TempDir(), "out.mp4"), Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Width: 161},
		}}}
		if err := bad.Transcode(testContext(t), job, nil); !errors.Is(err, ffmpeg.ErrInvalidJob) {
			t.Errorf("error = %v, want ErrInvalidJob", err)
		}
	})
}
