package devstack

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/transcodely/transcodely/pkg/ffmpeg"
)

// Clip describes a generated test clip: a moving test pattern with a
// 440 Hz tone in stereo, h264 and AAC in MP4 (fast start).
type Clip struct {
	Width, Height, FPS int
	Seconds            float64
	// CRF and Preset are the h264 settings; CRF 0 is the encoder default.
	CRF    int
	Preset string
}

// String describes the clip for progress lines: "10 s, 1280x720, 25 fps".
func (c Clip) String() string {
	return fmt.Sprintf("%g s, %dx%d, %d fps", c.Seconds, c.Width, c.Height, c.FPS)
}

// GenerateClip writes c to <state>/<name> unless that file exists, and
// returns its path. The file appears only once complete, so an interrupted
// run leaves no half clip behind to be reused.
func (s *Stack) GenerateClip(ctx context.Context, name string, c Clip) (string, error) {
	local := s.Path(name)
	if _, err := os.Stat(local); err == nil {
		return local, nil
	}
	s.Step("sample", "generating %s (%s)", s.Rel(name), c)
	partial := strings.TrimSuffix(local, ".mp4") + ".partial.mp4"
	job := ffmpeg.TranscodeJob{
		// One lavfi graph with two outputs (out0 video, out1 audio) is a
		// single input, which is all TranscodeJob takes.
		Input:       fmt.Sprintf("testsrc2=size=%dx%d:rate=%d[out0];sine=frequency=440:sample_rate=48000[out1]", c.Width, c.Height, c.FPS),
		InputFormat: "lavfi",
		Duration:    c.Seconds,
		Outputs: []ffmpeg.Output{{
			Path:      partial,
			Video:     &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, CRF: c.CRF, Preset: c.Preset},
			Audio:     &ffmpeg.AudioEncode{Codec: ffmpeg.CodecAAC, Channels: 2},
			FastStart: true,
		}},
	}
	if err := (&ffmpeg.Runner{}).Transcode(ctx, job, nil); err != nil {
		return "", fmt.Errorf("generate %s: %w", name, err)
	}
	return local, os.Rename(partial, local)
}
