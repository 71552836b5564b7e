package plan

import "math"

// GOPFor returns a closed-GOP length in frames for streaming segments of
// segmentSeconds at fps. Packagers cut segments only at keyframes, so a
// segment must be a whole number of GOPs, or segments drift from their
// announced length.
//
// When a segment is a whole number of frames (integer rates, e.g. 6 s at
// 30 fps = 180 frames) the result is the longest divisor of the segment's
// frame count that is at most GOPSeconds (2 s, which keeps seeking fast):
// 60 at 30 fps for 2, 4, 6 or 10 s segments; 25 at 25 fps for 5 s segments.
// When no divisor comes within half of 2 s, or when the segment is not a
// whole number of frames (fractional rates such as 30000/1001, where 6 s is
// 179.82 frames), no GOP length divides every segment, so the segment length
// itself, rounded to frames, is used; the encoder must then also force a
// keyframe at each segment start (EncodeTask.KeyframeSeconds), because
// rounded segments alternate between lengths.
//
// fps <= 0 falls back to 25 as Resolve does; segmentSeconds <= 0 to
// DefaultSegmentSeconds.
func GOPFor(fps, segmentSeconds float64) int {
	if !(fps > 0) || math.IsInf(fps, 0) {
		fps = 25
	}
	if !(segmentSeconds > 0) || math.IsInf(segmentSeconds, 0) {
		segmentSeconds = DefaultSegmentSeconds
	}
	exact := segmentSeconds * fps
	n := int(math.Round(exact))
	if n <= 1 {
		return 1
	}
	// 1e-6 frames absorbs float error in products such as 6 * 30 without
	// mistaking 29.97 (or 30000/1001) for an integer rate.
	if math.Abs(exact-float64(n)) > 1e-6 {
		return n
	}
	target := max(1, int(math.Round(GOPSeconds*fps)))
	for d := min(target, n); d >= 1; d-- {
		if n%d == 0 {
			if 2*d < target {
				// Very short GOPs waste bits on keyframes; one GOP per
				// segment is better.
				return n
			}
			return d
		}
	}
	return n
}
