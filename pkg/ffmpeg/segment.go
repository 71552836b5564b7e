package ffmpeg

import (
	"fmt"
	"strconv"
	"strings"
)

// SegmentCut selects a run of whole source frames for a segment-parallel
// encode. Segments cut with consecutive StartFrame/Frames ranges and joined
// with Runner.Concat contain every source frame exactly once.
//
// The cut is frame-exact for inputs whose container has a seek index (MP4,
// MOV, Matroska/WebM with cues, ...): ffmpeg then seeks to the keyframe at or
// before the segment and decodes from there. MPEG-TS and raw elementary
// streams have no index: ffmpeg lands near the position and starts decoding
// at the next keyframe, so a segment that does not start on a source
// keyframe comes out short and Transcode fails. Remux such sources (stream
// copy into MP4 or Matroska) before cutting them.
type SegmentCut struct {
	// StartFrame is the index of the segment's first frame, counting the
	// first video stream's frames in presentation order from 0.
	StartFrame int
	// Frames is how many frames the segment has (> 0). Every video output
	// that keeps the source frame rate gets exactly this many frames.
	Frames int
	// FPS is the source's constant frame rate (VideoStream.FPS): frame n is
	// shown at StartOffset + n/FPS seconds. Variable frame rate sources must
	// be converted to a constant rate before they are cut.
	FPS float64
	// StartOffset is VideoStream.StartOffset of the source: how many seconds
	// its first video frame comes after its earliest timestamp. ffmpeg
	// counts seek positions from the earliest timestamp of any stream, so
	// without this a source whose audio starts first would be cut a few
	// frames early. The whole-file audio encode should then use InputSeek =
	// StartOffset so that its timeline also starts at the first video frame.
	StartOffset float64
}

func (c *SegmentCut) validate() error {
	switch {
	case c.StartFrame < 0:
		return fmt.Errorf("start frame %d must be >= 0", c.StartFrame)
	case c.Frames <= 0:
		return fmt.Errorf("frame count %d must be > 0", c.Frames)
	case !validSeconds(c.FPS) || c.FPS == 0 || c.FPS > 1000:
		return fmt.Errorf("fps %v out of range", c.FPS)
	case !validSeconds(c.StartOffset):
		return fmt.Errorf("start offset %v must be finite and >= 0", c.StartOffset)
	}
	return nil
}

// seek returns the input-side seek position in seconds (0 for none) and
// the filters that put frames StartFrame..StartFrame+Frames-1 at output
// times 0, 1/FPS, ...
//
// Frame timestamps are multiples of 1/FPS only up to rounding (30000/1001
// is not a finite decimal, and containers round to their time base), so
// every boundary sits half a frame away from the frames on either side:
// the seek goes half a frame before the first frame, and the trim ends half
// a frame after the last. ffmpeg's accurate seek drops the frames decoded
// before the seek position; the trim is relative to the seek position (not
// to the first kept frame, as -t would be), so frames lost at the start by
// a bad seek show up as a short segment instead of shifting the cut; and
// setpts moves the first frame to exactly 0 whatever the seek rounding was.
func (c *SegmentCut) seek() (seconds float64, filters string) {
	seconds = c.StartOffset + (float64(c.StartFrame)-0.5)/c.FPS
	end := float64(c.Frames) / c.FPS // relative to the seek position
	if seconds <= 0 {
		// Only for StartFrame 0, where there is nothing before the cut to
		// drop: read from the start of the input.
		seconds, end = 0, c.StartOffset+(float64(c.Frames)-0.5)/c.FPS
	}
	return seconds, "trim=end=" + formatSeconds(end) + ",setpts=PTS-STARTPTS"
}

// keepsRate reports whether v's output has the cut's frame rate, so that
// its frame count must equal the cut's.
func (c *SegmentCut) keepsRate(v *VideoEncode) bool {
	return v.FPS == 0 || formatRate(v.FPS) == formatRate(c.FPS)
}

// keyframeTolerance is how far before a ForceKeyframesAt time a frame may
// be and still count as "at" it: far below any frame interval, far above
// the rounding of frame times to a time base.
const keyframeTolerance = 0.0001

// forceKeyframesExpr builds a -force_key_frames expression that forces the
// first frame at or after each of times (ascending). ffmpeg's plain list
// form rounds each time to the nearest frame, which can put the keyframe
// up to half a frame before a packaging boundary that falls between frames;
// a segmenter cutting at the first keyframe at or after the boundary would
// then skip it. n_forced counts the keyframes forced so far, so term i only
// fires once the previous times have been served.
func forceKeyframesExpr(times []float64) string {
	terms := make([]string, len(times))
	for i, t := range times {
		terms[i] = "eq(n_forced," + strconv.Itoa(i) + ")*gte(t," + formatSeconds(t-keyframeTolerance) + ")"
	}
	return "expr:" + strings.Join(terms, "+")
}
