// Package ffmpegtest generates small media files for tests that exercise the
// real ffmpeg binaries (ffmpeg and its callers are tested against real
// media, never mocks).
//
// Every helper fails the test when ffmpeg is missing instead of skipping it:
// a test suite that silently skips its media tests on a misconfigured machine
// is worse than one that fails loudly.
package ffmpegtest

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ClipOptions describes a synthetic clip. The zero value is a 2 s,
// 320x240, 25 fps H.264 MP4 without audio.
type ClipOptions struct {
	// Width and Height default to 320x240.
	Width, Height int
	// FPS is the frame rate, default 25.
	FPS float64
	// Rate is an exact frame rate such as "30000/1001"; it overrides FPS.
	Rate string
	// Seconds is the duration, default 2.
	Seconds float64
	// Audio adds a 440 Hz sine tone (AAC, or Opus in WebM).
	Audio bool
	// AudioChannels is the channel count of the tone, default 2.
	AudioChannels int
	// Codec is the ffmpeg video encoder, default "libx264". libx265,
	// libvpx-vp9 and libsvtav1 are set up for speed as well.
	Codec string
	// PixFmt defaults to yuv420p.
	PixFmt string
	// Container is "mp4" (default, with +faststart), "mov", "webm", "mkv"
	// or "ts".
	Container string
	// GOP, if > 0, sets the keyframe interval in frames.
	GOP int
	// BFrames, if > 0, lets libx264/libx265 use up to this many consecutive
	// B-frames (their fast test settings use none), so that decode order
	// differs from presentation order and MP4s get an edit list, as camera
	// and encoder output usually has.
	BFrames int
	// VideoFilter is appended to the test pattern, e.g. a drawbox that marks
	// a corner or "setsar=4/3" for an anamorphic clip.
	VideoFilter string
	// NoVideo makes an audio-only file (Audio is implied).
	NoVideo bool
	// MoovAtEnd leaves an MP4's index at the end of the file, as cameras
	// and phones write it; truncating such a file loses the index.
	MoovAtEnd bool
}

// containers maps ClipOptions.Container to muxer, extension and options.
var containers = map[string]struct {
	muxer, ext string
	extra      []string
}{
	"mp4":  {"mp4", ".mp4", []string{"-movflags", "+faststart"}},
	"mov":  {"mov", ".mov", nil},
	"webm": {"webm", ".webm", nil},
	"mkv":  {"matroska", ".mkv", nil},
	"ts":   {"mpegts", ".ts", nil},
}

// MakeClip writes a clip described by opt into dir and returns its path.
// The picture is lavfi's testsrc2, which changes every frame, so encoders
// have real work to do and frame counts are meaningful.
func MakeClip(t testing.TB, dir string, opt ClipOptions) string {
	t.Helper()
	if opt.Width == 0 {
		opt.Width = 320
	}
	if opt.Height == 0 {
		opt.Height = 240
	}
	rate := opt.Rate
	if rate == "" {
		fps := opt.FPS
		if fps == 0 {
			fps = 25
		}
		rate = strconv.FormatFloat(fps, 'f', -1, 64)
	}
	if opt.Seconds == 0 {
		opt.Seconds = 2
	}
	if opt.AudioChannels == 0 {
		opt.AudioChannels = 2
	}
	if opt.Codec == "" {
		opt.Codec = "libx264"
	}
	if opt.PixFmt == "" {
		opt.PixFmt = "yuv420p"
	}
	if opt.Container == "" {
		opt.Container = "mp4"
	}
	if opt.NoVideo {
		opt.Audio = true
	}
	c, ok := containers[opt.Container]
	if !ok {
		t.Fatalf("ffmpegtest: unknown container %q", opt.Container)
	}
	secs := strconv.FormatFloat(opt.Seconds, 'f', -1, 64)

	f, err := os.CreateTemp(dir, "clip-*"+c.ext)
	if err != nil {
		t.Fatalf("ffmpegtest: %v", err)
	}
	path := f.Name()
	f.Close()

	var args []string
	if !opt.NoVideo {
		src := fmt.Sprintf("testsrc2=size=%dx%d:rate=%s:duration=%s", opt.Width, opt.Height, rate, secs)
		if opt.VideoFilter != "" {
			src += "," + opt.VideoFilter
		}
		args = append(args, "-f", "lavfi", "-i", src)
	}
	if opt.Audio {
		args = append(args, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration="+secs)
	}
	if !opt.NoVideo {
		args = append(args, "-map", "0:v")
		args = append(args, "-c:v", opt.Codec)
		args = append(args, fastEncoder(opt.Codec)...)
		args = append(args, "-pix_fmt", opt.PixFmt)
		if opt.GOP > 0 {
			args = append(args, "-g", strconv.Itoa(opt.GOP))
		}
		if opt.BFrames > 0 {
			args = append(args, "-bf", strconv.Itoa(opt.BFrames))
		}
	}
	if opt.Audio {
		audioIn := "1:a"
		if opt.NoVideo {
			audioIn = "0:a"
		}
		codec := "aac"
		if opt.Container == "webm" {
			codec = "libopus"
		}
		args = append(args, "-map", audioIn, "-c:a", codec, "-ac", strconv.Itoa(opt.AudioChannels))
	}
	if !(opt.MoovAtEnd && opt.Container == "mp4") {
		args = append(args, c.extra...)
	}
	args = append(args, "-f", c.muxer, path)
	RunFFmpeg(t, args...)
	return path
}

// fastEncoder returns options that make each encoder as fast as possible:
// test clips only need to be decodable, not good.
func fastEncoder(codec string) []string {
	switch codec {
	case "libx264":
		return []string{"-preset", "ultrafast"}
	case "libx265":
		return []string{"-preset", "ultrafast", "-x265-params", "log-level=error"}
	case "libvpx-vp9":
		return []string{"-deadline", "realtime", "-cpu-used", "8", "-b:v", "500k"}
	case "libsvtav1":
		return []string{"-preset", "12"}
	}
	return nil
}

// RunFFmpeg runs ffmpeg with args (after -hide_banner -nostdin -y
// -loglevel error) and fails the test with its stderr if it fails.
func RunFFmpeg(t testing.TB, args ...string) {
	t.Helper()
	bin := FFmpegPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	full := append([]string{"-hide_banner", "-nostdin", "-y", "-loglevel", "error"}, args...)
	cmd := exec.CommandContext(ctx, bin, full...)
	cmd.Env = append(os.Environ(), "SVT_LOG=1") // SVT-AV1's banner is noise
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ffmpegtest: ffmpeg %s: %v\n%s", strings.Join(full, " "), err, stderr.String())
	}
}

// RunFFprobe runs ffprobe with args (after -hide_banner -v error) and
// returns its stdout, failing the test with its stderr if it fails. Tests use
// it to read outputs the package's Probe deliberately refuses to open, such
// as HLS and DASH manifests and still images.
func RunFFprobe(t testing.TB, args ...string) string {
	t.Helper()
	bin := FFprobePath(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	full := append([]string{"-hide_banner", "-v", "error"}, args...)
	cmd := exec.CommandContext(ctx, bin, full...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ffmpegtest: ffprobe %s: %v\n%s", strings.Join(full, " "), err, stderr.String())
	}
	return stdout.String()
}

// FFmpegPath returns the ffmpeg binary from PATH and fails the test when
// there is none.
func FFmpegPath(t testing.TB) string {
	t.Helper()
	return lookPath(t, "ffmpeg")
}

// FFprobePath returns the ffprobe binary from PATH and fails the test when
// there is none.
func FFprobePath(t testing.TB) string {
	t.Helper()
	return lookPath(t, "ffprobe")
}

func lookPath(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("ffmpegtest: %s is required for this test and was not found in PATH: %v", name, err)
	}
	return p
}

// WriteGarbage writes n pseudo-random bytes to dir/name and returns the
// path. The bytes are derived from name, so a given name always produces the
// same file and a test that depends on ffmpeg rejecting it cannot flake.
func WriteGarbage(t testing.TB, dir, name string, n int) string {
	t.Helper()
	h := fnv.New64a()
	io.WriteString(h, name)
	rng := rand.New(rand.NewPCG(h.Sum64(), 0x7472616e73636f64))
	buf := make([]byte, n)
	for i := range buf {
		buf[i] = byte(rng.Uint32())
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatalf("ffmpegtest: %v", err)
	}
	return path
}

// Truncate copies the first keepBytes bytes of src to dst, simulating an
// interrupted upload.
func Truncate(t testing.TB, src, dst string, keepBytes int64) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatalf("ffmpegtest: %v", err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatalf("ffmpegtest: %v", err)
	}
	if _, err := io.CopyN(out, in, keepBytes); err != nil && err != io.EOF {
		out.Close()
		t.Fatalf("ffmpegtest: truncate %s: %v", src, err)
	}
	if err := out.Close(); err != nil {
		t.Fatalf("ffmpegtest: %v", err)
	}
}
