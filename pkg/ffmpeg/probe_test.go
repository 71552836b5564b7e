package ffmpeg_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
)

// newRunner returns a Runner whose debug log is captured, so tests can
// check that nothing secret is ever logged. It fails the test when the
// binaries are missing: a media test must never pass by not running.
func newRunner(t *testing.T) (*ffmpeg.Runner, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	return &ffmpeg.Runner{
		FFmpegPath:  ffmpegtest.FFmpegPath(t),
		FFprobePath: ffmpegtest.FFprobePath(t),
		Logger:      slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}, &logs
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

func TestRunner_Probe(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	dir := t.TempDir()

	t.Run("h264 mp4 with stereo audio", func(t *testing.T) {
		t.Parallel()
		clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Seconds: 2, Audio: true})
		st, err := os.Stat(clip)
		if err != nil {
			t.Fatal(err)
		}
		p, err := r.Probe(testContext(t), clip)
		if err != nil {
			t.Fatalf("Probe: %v", err)
		}
		if !strings.Contains(p.FormatName, "mp4") {
			t.Errorf("FormatName = %q, want an mp4 demuxer", p.FormatName)
		}
		if !near(p.Duration, 2, 0.1) {
			t.Errorf("Duration = %v, want 2±0.1", p.Duration)
		}
		if p.Size != st.Size() {
			t.Errorf("Size = %d, want %d", p.Size, st.Size())
		}
		if p.BitRate <= 0 {
			t.Errorf("BitRate = %d, want > 0", p.BitRate)
		}
		if len(p.Video) != 1 || len(p.Audio) != 1 || len(p.Subtitle) != 0 {
			t.Fatalf("streams: %d video, %d audio, %d subtitle; want 1, 1, 0", len(p.Video), len(p.Audio), len(p.Subtitle))
		}
		v := p.Video[0]
		if v.Codec != "h264" || v.Width != 320 || v.Height != 240 || v.FPS != 25 || v.FrameRate != "25/1" {
			t.Errorf("video = %s %dx%d %v fps (%s), want h264 320x240 25 fps (25/1)", v.Codec, v.Width, v.Height, v.FPS, v.FrameRate)
		}
		if v.FrameCount != 50 || v.PixFmt != "yuv420p" || v.BitDepth != 8 || v.Rotation != 0 || v.HDR != "" {
			t.Errorf("video = %d frames, %s, %d bit, rotation %d, hdr %q; want 50, yuv420p, 8, 0, \"\"",
				v.FrameCount, v.PixFmt, v.BitDepth, v.Rotation, v.HDR)
		}
		if v.Profile == "" || !near(v.Duration, 2, 0.1) {
			t.Errorf("video profile %q duration %v, want a profile and 2 s", v.Profile, v.Duration)
		}
		a := p.Audio[0]
		if a.Codec != "aac" || a.Channels != 2 || a.SampleRate != 48000 || a.BitRate <= 0 {
			t.Errorf("audio = %s %d ch %d Hz %d b/s, want aac 2 ch 48000 Hz >0", a.Codec, a.Channels, a.SampleRate, a.BitRate)
		}
	})

	t.Run("fractional frame rate in webm", func(t *testing.T) {
		t.Parallel()
		clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{
			Seconds: 1, Rate: "30000/1001", Codec: "libvpx-vp9", Container: "webm",
			PixFmt: "yuv420p10le", Width: 160, Height: 90,
		})
		p, err := r.Probe(testContext(t), clip)
		if err != nil {
			t.Fatalf("Probe: %v", err)
		}
		v := p.Video[0]
		if v.Codec != "vp9" || !near(v.FPS, 29.97, 0.01) || v.BitDepth != 10 {
			t.Errorf("video = %s %v fps %d bit, want vp9 29.97 fps 10 bit", v.Codec, v.FPS, v.BitDepth)
		}
		// WebM stores stream durations only as tags; they must still be read.
		if !near(v.Duration, 1, 0.1) || !near(p.Duration, 1, 0.1) {
			t.Errorf("durations stream %v format %v, want ~1", v.Duration, p.Duration)
		}
	})

	t.Run("rotation follows the picture", func(t *testing.T) {
		t.Parallel()
		// A white box in the top-left corner shows where "up" is after
		// ffmpeg applies the display matrix.
		src := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Seconds: 1, VideoFilter: markCorner})
		for _, tagDeg := range []string{"90", "180", "270"} {
			t.Run("rotate tag "+tagDeg, func(t *testing.T) {
				t.Parallel()
				rotated := filepath.Join(t.TempDir(), "rotated.mp4")
				ffmpegtest.RunFFmpeg(t, "-i", src, "-c", "copy", "-metadata:s:v", "rotate="+tagDeg, rotated)
				p, err := r.Probe(testContext(t), rotated)
				if err != nil {
					t.Fatalf("Probe: %v", err)
				}
				v := p.Video[0]
				w, h := v.DisplaySize()
				want := rotationFromCorner(markedCorner(t, rotated, w, h))
				if v.Rotation != want {
					t.Errorf("Rotation = %d, but the decoded picture is rotated %d° clockwise", v.Rotation, want)
				}
				t.Logf("rotate=%s tag written by this ffmpeg gives Rotation %d (clockwise)", tagDeg, v.Rotation)
			})
		}
	})

	t.Run("over http with a presigned URL", func(t *testing.T) {
		t.Parallel()
		clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Seconds: 1})
		srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
		t.Cleanup(srv.Close)
		r, logs := newRunner(t)
		p, err := r.Probe(testContext(t), srv.URL+"/"+filepath.Base(clip)+"?X-Amz-Signature=topsecret")
		if err != nil {
			t.Fatalf("Probe: %v", err)
		}
		if p.Video[0].Width != 320 || !near(p.Duration, 1, 0.1) {
			t.Errorf("probe over http = %dx?, %v s; want 320 wide, 1 s", p.Video[0].Width, p.Duration)
		}
		if strings.Contains(logs.String(), "topsecret") {
			t.Errorf("signature leaked into logs:\n%s", logs.String())
		}
	})
}

func TestRunner_Probe_errors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Seconds: 1, MoovAtEnd: true})
	st, err := os.Stat(good)
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.mp4")
	ffmpegtest.Truncate(t, good, truncated, st.Size()/2)
	empty := filepath.Join(dir, "empty.mp4")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("this is not a video, it is a shopping list\nmilk\neggs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// An uploaded playlist would make ffmpeg read whatever it names; it
	// must be refused rather than followed.
	playlist := filepath.Join(dir, "evil.m3u8")
	if err := os.WriteFile(playlist, []byte("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n"+good+"\n#EXT-X-ENDLIST\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	audioOnly := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Seconds: 1, NoVideo: true, Container: "mp4"})

	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := ln.Addr().String()
	ln.Close()

	tests := []struct {
		name, input string
		want        error
		wantMsg     string
	}{
		{"random bytes", ffmpegtest.WriteGarbage(t, dir, "garbage.mp4", 64<<10), ffmpeg.ErrInvalidMedia, "input is not a readable media file: "},
		{"zero bytes", empty, ffmpeg.ErrInvalidMedia, "input is not a readable media file: the file is empty"},
		{"truncated without moov", truncated, ffmpeg.ErrInvalidMedia, "moov atom"},
		{"text file", text, ffmpeg.ErrInvalidMedia, "input is not a readable media file: "},
		{"hls playlist", playlist, ffmpeg.ErrInvalidMedia, `unsupported container format "hls"`},
		{"audio only", audioOnly, ffmpeg.ErrNoVideo, "input has no video stream: the file contains only audio"},
		{"missing file", filepath.Join(dir, "nope.mp4"), ffmpeg.ErrInputUnreachable, "file does not exist"},
		{"http 404", srv.URL + "/gone.mp4?X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=topsecret", ffmpeg.ErrInputUnreachable, "server returned 404"},
		{"connection refused", "http://" + closedAddr + "/a.mp4?sig=topsecret", ffmpeg.ErrInputUnreachable, "connection refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, logs := newRunner(t)
			p, err := r.Probe(testContext(t), tc.input)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Probe error = %v, want errors.Is(err, %v)", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tc.wantMsg)
			}
			if len(err.Error()) > 200 {
				t.Errorf("error message is %d bytes long, want a short human message: %q", len(err.Error()), err)
			}
			for _, sentinel := range []error{ffmpeg.ErrInvalidMedia, ffmpeg.ErrNoVideo, ffmpeg.ErrInputUnreachable} {
				if sentinel != tc.want && errors.Is(err, sentinel) {
					t.Errorf("error %v also matches %v", err, sentinel)
				}
			}
			// The ffmpeg details stay reachable for logs, redacted.
			var exitErr *ffmpeg.ExitError
			if errors.As(err, &exitErr) && strings.Contains(strings.Join(exitErr.Args, " ")+exitErr.StderrTail, "topsecret") {
				t.Errorf("signature leaked into ExitError: %+v", exitErr)
			}
			if strings.Contains(err.Error(), "topsecret") || strings.Contains(logs.String(), "topsecret") {
				t.Errorf("signature leaked: err=%v logs=%s", err, logs.String())
			}
			if tc.want == ffmpeg.ErrNoVideo {
				if p == nil || len(p.Audio) != 1 {
					t.Errorf("ErrNoVideo should come with the probe result, got %+v", p)
				}
			} else if p != nil {
				t.Errorf("result = %+v, want nil with %v", p, tc.want)
			}
		})
	}
}

func TestRunner_CountFrames(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	dir := t.TempDir()
	t.Run("counts every frame", func(t *testing.T) {
		t.Parallel()
		clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Seconds: 2, FPS: 30, Container: "mkv"})
		n, err := r.CountFrames(testContext(t), clip)
		if err != nil || n != 60 {
			t.Errorf("CountFrames = %d, %v; want 60, nil", n, err)
		}
	})
	t.Run("audio only", func(t *testing.T) {
		t.Parallel()
		clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Seconds: 1, NoVideo: true})
		if _, err := r.CountFrames(testContext(t), clip); !errors.Is(err, ffmpeg.ErrNoVideo) {
			t.Errorf("CountFrames error = %v, want ErrNoVideo", err)
		}
	})
}

func TestRunner_Keyframes(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	clip := ffmpegtest.MakeClip(t, t.TempDir(), ffmpegtest.ClipOptions{Seconds: 2, GOP: 10})
	t.Run("fixed gop", func(t *testing.T) {
		t.Parallel()
		got, err := r.Keyframes(testContext(t), clip)
		if err != nil {
			t.Fatalf("Keyframes: %v", err)
		}
		// libx264 ultrafast with -g 10 may add scene-cut keyframes, but
		// every 10th frame (0.4 s) must be one.
		for _, want := range []float64{0, 0.4, 0.8, 1.2, 1.6} {
			if !slices.ContainsFunc(got, func(k float64) bool { return near(k, want, 0.001) }) {
				t.Errorf("keyframes %v lack %v", got, want)
			}
		}
		if !slices.IsSorted(got) {
			t.Errorf("keyframes %v not sorted", got)
		}
	})
}

// markCorner draws a white box in the top-left corner of the test pattern.
const markCorner = "drawbox=x=0:y=0:w=80:h=60:color=white:t=fill"

// markedCorner decodes the first frame of path the way players show it
// (ffmpeg applies rotation by default) and reports which corner holds the
// white box: "tl", "tr", "bl" or "br".
func markedCorner(t *testing.T, path string, w, h int) string {
	t.Helper()
	cmd := exec.Command(ffmpegtest.FFmpegPath(t), "-hide_banner", "-nostdin", "-loglevel", "error",
		"-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-")
	pix, err := cmd.Output()
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	if len(pix) != w*h {
		t.Fatalf("decoded %d bytes, want %dx%d=%d (display size wrong?)", len(pix), w, h, w*h)
	}
	mean := func(x0, y0 int) float64 {
		sum := 0
		for y := y0; y < y0+16; y++ {
			for x := x0; x < x0+16; x++ {
				sum += int(pix[y*w+x])
			}
		}
		return float64(sum) / 256
	}
	var found []string
	for name, xy := range map[string][2]int{"tl": {0, 0}, "tr": {w - 16, 0}, "bl": {0, h - 16}, "br": {w - 16, h - 16}} {
		if mean(xy[0], xy[1]) > 220 {
			found = append(found, name)
		}
	}
	if len(found) != 1 {
		t.Fatalf("white corner of %s: found %v, want exactly one", path, found)
	}
	return found[0]
}

// rotationFromCorner turns where the top-left mark ended up into the
// clockwise rotation that moved it there.
func rotationFromCorner(c string) int {
	return map[string]int{"tl": 0, "tr": 90, "br": 180, "bl": 270}[c]
}
