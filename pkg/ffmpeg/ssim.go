package ffmpeg

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
)

// SSIM returns the mean structural similarity (0..1, 1 = identical) of the
// first video streams of distorted and reference, averaged over all frames
// and weighted over the planes as ffmpeg's "All" value. distorted is scaled
// to reference's size first, so a smaller rendition can be compared with
// its source. Frames are paired by timestamp; extra frames of the longer
// input are ignored.
//
// It decodes both inputs completely and is meant for tests and quality
// checks, not for every job.
func (r *Runner) SSIM(ctx context.Context, reference, distorted string) (float64, error) {
	for _, in := range []string{reference, distorted} {
		if err := precheckLocal(in); err != nil {
			return 0, err
		}
	}
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-nostats"}
	args = append(args, inputArgs(reference, "")...)
	args = append(args, inputArgs(distorted, "")...)
	// Per-frame statistics go to stdout (stats_file=-): ffmpeg prints the
	// summary line only at info level on stderr, among everything else.
	// bicubic scaling is the usual choice for metrics (as in libvmaf's docs).
	graph := "[1:v:0][0:v:0]scale2ref=flags=bicubic[dist][ref];[dist]setsar=1[d];[ref]setsar=1[r];[d][r]ssim=stats_file=-"
	args = append(args, "-filter_complex", graph, "-an", "-f", "null", "-")
	var out bytes.Buffer
	if err := r.run(ctx, r.ffmpeg(), args, &out); err != nil {
		err = classifyInputError(reference, err)
		return 0, fmt.Errorf("ssim %s vs %s: %w", RedactURL(distorted), RedactURL(reference), err)
	}
	v, err := meanSSIM(out.String())
	if err != nil {
		return 0, fmt.Errorf("ssim %s vs %s: %w", RedactURL(distorted), RedactURL(reference), err)
	}
	return v, nil
}

// meanSSIM averages the All: values of the ssim filter's per-frame lines
// ("n:1 Y:0.98 U:0.99 V:0.99 All:0.985 (18.2)"). The mean of the frames'
// All values is exactly the filter's summary All value.
func meanSSIM(stats string) (float64, error) {
	var sum float64
	n := 0
	for line := range strings.Lines(stats) {
		for f := range strings.FieldsSeq(line) {
			v, ok := strings.CutPrefix(f, "All:")
			if !ok {
				continue
			}
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return 0, fmt.Errorf("unexpected ssim statistics line %q", strings.TrimSpace(line))
			}
			sum += x
			n++
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("no frames were compared")
	}
	return sum / float64(n), nil
}
