package plan

import "math"

// DefaultSegmentSeconds is the HLS/DASH segment length when an output does
// not ask for one (spec: SegmentSettings.duration_seconds, default 6).
const DefaultSegmentSeconds = 6.0

// DefaultTaskSeconds is the timeline length one encode task aims for.
// Shorter tasks spread a job over more encoders; longer ones amortise what
// every task pays once (lease round trip, input seek and decoder pre-roll,
// upload). A minute keeps that overhead to a few percent while a
// ten-minute source still fans out to ten encoders.
const DefaultTaskSeconds = 60.0

// Segment is one encode task's slice of the source timeline. Times are
// derived from frame numbers (StartFrame/fps, Frames/fps) so consecutive
// segments meet exactly on a frame and an encoder can cut with a frame
// count rather than a rounded time.
type Segment struct {
	// Index is the position in the timeline, from 0.
	Index int `json:"index"`
	// Start and Duration are in seconds of source time.
	Start    float64 `json:"start_seconds"`
	Duration float64 `json:"duration_seconds"`
	// StartFrame is the first source frame; Frames how many frames the
	// segment holds.
	StartFrame int `json:"start_frame"`
	Frames     int `json:"frames"`
}

// FrameCount is the number of frames a source of duration seconds at fps
// holds: round(duration*fps), and at least one frame for any positive
// duration (a source shorter than half a frame still decodes to a frame).
// It is 0 when duration or fps is not positive and finite.
func FrameCount(duration, fps float64) int {
	if !finitePositive(duration) || !finitePositive(fps) {
		return 0
	}
	return max(1, int(math.Round(duration*fps)))
}

// Segments splits a timeline of duration seconds at fps into encode tasks.
//
// Every boundary but the end falls on a multiple of segmentSeconds (the
// packaging segment length, default 6 s), rounded to the nearest frame, so
// each task produces whole HLS/DASH segments and the packager never has to
// split or join one across tasks. Tasks are a whole number of segments
// (at least one) close to targetTaskSeconds (default DefaultTaskSeconds).
// The last task takes the remainder; a remainder shorter than half a task
// is folded into the previous task, since a tiny task costs a full task's
// overhead for little work.
//
// The frames of all segments sum to FrameCount(duration, fps), with no gaps
// or overlaps. A non-positive or non-finite duration or fps yields no
// segments: there is nothing to split, and the caller decides whether
// that is an error.
func Segments(duration float64, fps float64, segmentSeconds float64, targetTaskSeconds float64) []Segment {
	total := FrameCount(duration, fps)
	if total == 0 {
		return nil
	}
	if !finitePositive(segmentSeconds) {
		segmentSeconds = DefaultSegmentSeconds
	}
	if !finitePositive(targetTaskSeconds) {
		targetTaskSeconds = DefaultTaskSeconds
	}
	perTask := max(1, int(math.Round(targetTaskSeconds/segmentSeconds)))
	taskSeconds := segmentSeconds * float64(perTask)

	// Boundary k sits on the frame nearest k*taskSeconds; computing each
	// from k (not by adding a rounded length) keeps the error at half a
	// frame however long the source is.
	starts := []int{0}
	for k := 1; ; k++ {
		f := int(math.Round(float64(k) * taskSeconds * fps))
		if f >= total {
			break
		}
		if f <= starts[len(starts)-1] {
			// Less than a frame per task (absurdly low rates): skip
			// boundaries that would make empty tasks.
			continue
		}
		starts = append(starts, f)
	}
	if n := len(starts); n > 1 && float64(total-starts[n-1]) < taskSeconds*fps/2 {
		starts = starts[:n-1]
	}

	segs := make([]Segment, len(starts))
	for i, sf := range starts {
		end := total
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		segs[i] = Segment{
			Index:      i,
			Start:      float64(sf) / fps,
			Duration:   float64(end-sf) / fps,
			StartFrame: sf,
			Frames:     end - sf,
		}
	}
	return segs
}

// boundaryFrames lists the source frames in (from, to) at which a
// packaging segment of segmentSeconds starts, rounded as Segments rounds.
func boundaryFrames(from, to int, fps, segmentSeconds float64) []int {
	var out []int
	k := int(math.Floor(float64(from)/(segmentSeconds*fps))) + 1
	for ; ; k++ {
		f := int(math.Round(float64(k) * segmentSeconds * fps))
		if f >= to {
			return out
		}
		if f > from && (len(out) == 0 || f > out[len(out)-1]) {
			out = append(out, f)
		}
	}
}

func finitePositive(x float64) bool {
	return x > 0 && !math.IsInf(x, 0)
}
