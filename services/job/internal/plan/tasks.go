package plan

import (
	"fmt"
	"math"
	"slices"
)

// OutputType is how an output is packaged. The wire's container types map
// onto it: mp4, webm, mkv and mov are progressive; hls, dash and adaptive
// (HLS and DASH from one CMAF set) are streaming.
type OutputType string

// The output types the planner knows.
const (
	OutputProgressive OutputType = "progressive"
	OutputHLS         OutputType = "hls"
	OutputDASH        OutputType = "dash"
	OutputAdaptive    OutputType = "adaptive"
)

// Streaming reports whether the output is cut into segments, which is what
// constrains task boundaries and keyframes.
func (t OutputType) Streaming() bool {
	return t == OutputHLS || t == OutputDASH || t == OutputAdaptive
}

// OutputWant is what one output asks of the planner, presets already
// resolved by the caller.
type OutputWant struct {
	// ID is the caller's output id (out_…), carried into the package task.
	ID   string     `json:"id,omitempty"`
	Type OutputType `json:"type"`
	// Variants is the video ladder: exactly one for progressive outputs.
	Variants []Variant `json:"variants"`
	// SegmentSeconds is the packaging segment length of a streaming
	// output; 0 means DefaultSegmentSeconds. Ignored for progressive ones.
	SegmentSeconds float64 `json:"segment_seconds,omitempty"`
	// Audio is whether the output carries the source's audio.
	Audio bool `json:"audio"`
}

// PlanOptions tune PlanTasks; the zero value uses the defaults.
type PlanOptions struct {
	// TargetTaskSeconds is the encode task length aimed for; 0 means
	// DefaultTaskSeconds.
	TargetTaskSeconds float64 `json:"target_task_seconds,omitempty"`
}

// Rendition is one unique video encoding of a plan. It carries the same
// settings as Encoding under explicit JSON names, because the plan is
// stored as JSON and field names must not change when Go names do.
type Rendition struct {
	// ID is the rendition's position in TaskPlan.Renditions; tasks refer
	// to renditions by it.
	ID             int     `json:"id"`
	Codec          string  `json:"codec"`
	Width          int     `json:"width"`
	Height         int     `json:"height"`
	FPS            float64 `json:"fps"`
	CRF            int     `json:"crf"`
	BitrateKbps    int     `json:"bitrate_kbps,omitempty"`
	MaxBitrateKbps int     `json:"max_bitrate_kbps,omitempty"`
	Preset         string  `json:"preset,omitempty"`
	Profile        string  `json:"profile,omitempty"`
	Tune           string  `json:"tune,omitempty"`
	GOPFrames      int     `json:"gop_frames"`
}

// Encoding returns the rendition's encoder settings.
func (r Rendition) Encoding() Encoding {
	return Encoding{
		Codec: r.Codec, Width: r.Width, Height: r.Height, FPS: r.FPS, CRF: r.CRF,
		BitrateKbps: r.BitrateKbps, MaxBitrateKbps: r.MaxBitrateKbps,
		Preset: r.Preset, Profile: r.Profile, Tune: r.Tune, GOPFrames: r.GOPFrames,
	}
}

func renditionOf(id int, e Encoding) Rendition {
	return Rendition{
		ID: id, Codec: e.Codec, Width: e.Width, Height: e.Height, FPS: e.FPS, CRF: e.CRF,
		BitrateKbps: e.BitrateKbps, MaxBitrateKbps: e.MaxBitrateKbps,
		Preset: e.Preset, Profile: e.Profile, Tune: e.Tune, GOPFrames: e.GOPFrames,
	}
}

// EncodeTask encodes one segment of the timeline into every listed
// rendition: the source is decoded once and the frames are fanned out
// (ffmpeg split), which is cheaper than one decode per rendition.
type EncodeTask struct {
	Segment Segment `json:"segment"`
	// Renditions are ids in TaskPlan.Renditions.
	Renditions []int `json:"renditions"`
	// KeyframeSeconds are the times, relative to the segment start, at
	// which a packaging segment of some streaming output begins. The
	// encoder forces a keyframe there: with fractional frame rates
	// segments are not a whole number of GOPs, and a packager can cut only
	// at keyframes. The segment's first frame is always a keyframe and is
	// not listed.
	KeyframeSeconds []float64 `json:"keyframe_seconds,omitempty"`
}

// AudioTask encodes the audio track for the whole file in one piece, so
// no encoder priming gaps appear at segment joins.
type AudioTask struct {
	Duration float64 `json:"duration_seconds"`
	// Outputs are the positions (in PlanTasks' outputs) of the outputs
	// that carry audio.
	Outputs []int `json:"outputs"`
}

// PackageTask turns the encoded segments (and the audio) into one output:
// concatenation, muxing, playlists or manifests, upload.
type PackageTask struct {
	// Output is the position in PlanTasks' outputs; OutputID its id.
	Output   int        `json:"output"`
	OutputID string     `json:"output_id,omitempty"`
	Type     OutputType `json:"type"`
	// SegmentSeconds is the packaging segment length (streaming only).
	SegmentSeconds float64 `json:"segment_seconds,omitempty"`
	// Renditions are ids in TaskPlan.Renditions, in the output's variant
	// order (the ladder as asked).
	Renditions []int `json:"renditions"`
	Audio      bool  `json:"audio"`
}

// TaskPlan is everything the engine stores to run a job after probing.
type TaskPlan struct {
	Renditions []Rendition `json:"renditions"`
	// BoundarySeconds is the length task boundaries are multiples of: the
	// least common multiple of the streaming outputs' segment lengths (so
	// every output's segments fit whole in a task), DefaultSegmentSeconds
	// when there is no streaming output, 0 when the lengths have no common
	// multiple within an hour and the job is one task.
	BoundarySeconds float64       `json:"boundary_seconds"`
	Segments        []Segment     `json:"segments"`
	Encode          []EncodeTask  `json:"encode_tasks"`
	Audio           *AudioTask    `json:"audio_task,omitempty"`
	Package         []PackageTask `json:"package_tasks"`
}

// maxBoundarySeconds bounds the common multiple of segment lengths. Odd
// mixes (7 s and 6.5 s) have huge multiples; beyond an hour the job is
// encoded as one task instead of overflowing or pretending to align.
const maxBoundarySeconds = 3600

// PlanTasks plans a job: resolve every output's variants, encode identical
// renditions once (Dedupe), split the timeline (Segments), and lay out one
// encode task per segment, one audio task and one package task per output.
//
// When any output streams, every rendition uses GOPFor with the greatest
// common divisor of the streaming segment lengths (the shortest length when
// that divisor is under a second and shorter), so one encode serves
// every output that wants it (an MP4 and an HLS rung share the GOP as well
// as the rest). Without streaming outputs Resolve's 2 s GOP stands.
// Segment lengths are taken to the millisecond.
func PlanTasks(outputs []OutputWant, src Source, opts PlanOptions) (TaskPlan, error) {
	if len(outputs) == 0 {
		return TaskPlan{}, fmt.Errorf("no outputs")
	}
	if !finitePositive(src.Duration) {
		return TaskPlan{}, fmt.Errorf("source has no duration")
	}
	if !finitePositive(src.FPS) {
		return TaskPlan{}, fmt.Errorf("source has no frame rate")
	}

	segMs := make([]int64, len(outputs))
	var gcdMs, lcmMs, minMs int64
	for i, o := range outputs {
		switch {
		case o.Type == OutputProgressive:
			if len(o.Variants) != 1 {
				return TaskPlan{}, fmt.Errorf("outputs[%d]: a progressive output has exactly one video variant, got %d", i, len(o.Variants))
			}
			continue
		case o.Type.Streaming():
			if len(o.Variants) == 0 {
				return TaskPlan{}, fmt.Errorf("outputs[%d]: no video variants", i)
			}
		default:
			return TaskPlan{}, fmt.Errorf("outputs[%d]: unknown output type %q", i, o.Type)
		}
		s := o.SegmentSeconds
		if s == 0 {
			s = DefaultSegmentSeconds
		}
		if !finitePositive(s) || math.Round(s*1000) < 1 {
			return TaskPlan{}, fmt.Errorf("outputs[%d]: invalid segment length %v", i, o.SegmentSeconds)
		}
		ms := int64(math.Round(s * 1000))
		segMs[i] = ms
		if gcdMs == 0 {
			gcdMs, lcmMs, minMs = ms, ms, ms
			continue
		}
		gcdMs = gcd(gcdMs, ms)
		minMs = min(minMs, ms)
		if lcmMs > 0 {
			if l := lcmMs / gcd(lcmMs, ms) * ms; l <= maxBoundarySeconds*1000 {
				lcmMs = l
			} else {
				lcmMs = -1 // no usable common multiple
			}
		}
	}

	// The GOP is laid on the common divisor of the segment lengths so it
	// fits every output's segments. Lengths with only a tiny common divisor
	// (6.001 s and 6.002 s share 1 ms) would mean all-keyframe video; then
	// the GOP fits the shortest segment and the other outputs' boundaries
	// rely on the forced keyframes of EncodeTask.KeyframeSeconds.
	gopMs := gcdMs
	if gopMs < 1000 && gopMs < minMs {
		gopMs = minMs
	}

	// Resolve every variant of every output, in order, then encode each
	// distinct result once.
	var all []Encoding
	for i, o := range outputs {
		for j, v := range o.Variants {
			e, err := Resolve(v, src)
			if err != nil {
				return TaskPlan{}, fmt.Errorf("outputs[%d].variants[%d]: %w", i, j, err)
			}
			if gopMs > 0 {
				rate := e.FPS
				if rate <= 0 {
					rate = src.FPS
				}
				e.GOPFrames = GOPFor(rate, float64(gopMs)/1000)
			}
			all = append(all, e)
		}
	}
	unique, index := Dedupe(all)

	p := TaskPlan{Renditions: make([]Rendition, len(unique))}
	ids := make([]int, len(unique))
	for i, e := range unique {
		p.Renditions[i] = renditionOf(i, e)
		ids[i] = i
	}

	switch {
	case lcmMs > 0:
		p.BoundarySeconds = float64(lcmMs) / 1000
		p.Segments = Segments(src.Duration, src.FPS, p.BoundarySeconds, opts.TargetTaskSeconds)
	case lcmMs < 0:
		// A single task: boundaries of every output are inside it.
		p.Segments = Segments(src.Duration, src.FPS, src.Duration, src.Duration)
	default:
		p.BoundarySeconds = DefaultSegmentSeconds
		p.Segments = Segments(src.Duration, src.FPS, p.BoundarySeconds, opts.TargetTaskSeconds)
	}

	// Distinct streaming segment lengths, for the keyframes each task must
	// force.
	var lengths []int64
	for _, ms := range segMs {
		if ms > 0 && !slices.Contains(lengths, ms) {
			lengths = append(lengths, ms)
		}
	}
	slices.Sort(lengths)
	p.Encode = make([]EncodeTask, len(p.Segments))
	for i, s := range p.Segments {
		p.Encode[i] = EncodeTask{
			Segment:         s,
			Renditions:      slices.Clone(ids),
			KeyframeSeconds: keyframes(s, src.FPS, lengths),
		}
	}

	var audio []int
	k := 0
	for i, o := range outputs {
		pt := PackageTask{Output: i, OutputID: o.ID, Type: o.Type, Audio: o.Audio, Renditions: make([]int, len(o.Variants))}
		if segMs[i] > 0 {
			pt.SegmentSeconds = float64(segMs[i]) / 1000
		}
		for j := range o.Variants {
			pt.Renditions[j] = index[k]
			k++
		}
		p.Package = append(p.Package, pt)
		if o.Audio {
			audio = append(audio, i)
		}
	}
	if len(audio) > 0 {
		p.Audio = &AudioTask{Duration: src.Duration, Outputs: audio}
	}
	return p, nil
}

// keyframes lists, relative to s's start, where a packaging segment of any
// of the lengths (milliseconds) begins inside s.
func keyframes(s Segment, fps float64, lengths []int64) []float64 {
	var frames []int
	for _, ms := range lengths {
		frames = append(frames, boundaryFrames(s.StartFrame, s.StartFrame+s.Frames, fps, float64(ms)/1000)...)
	}
	if len(frames) == 0 {
		return nil
	}
	slices.Sort(frames)
	frames = slices.Compact(frames)
	out := make([]float64, len(frames))
	for i, f := range frames {
		out[i] = float64(f-s.StartFrame) / fps
	}
	return out
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
