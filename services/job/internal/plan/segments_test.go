package plan

import (
	"fmt"
	"math"
	"testing"
)

func TestSegmentsTable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                    string
		duration, fps, seg, tgt float64
		// frames per segment
		want []int
	}{
		{"ten minutes at 30 fps, defaults", 600, 30, 0, 0, []int{1800, 1800, 1800, 1800, 1800, 1800, 1800, 1800, 1800, 1800}},
		{"short source is one task", 5, 25, 6, 60, []int{125}},
		{"remainder kept when at least half a task", 90, 25, 6, 60, []int{1500, 750}},
		{"small remainder folded into previous task", 61, 25, 6, 60, []int{1525}},
		{"target rounds to whole segments", 30, 10, 6, 20, []int{180, 120}},
		{"target below one segment is one segment", 21, 10, 6, 1, []int{60, 60, 60, 30}},
		{"fractional fps", 24, 30000.0 / 1001, 6, 12, []int{360, 359}},
		{"exact multiple has no empty tail", 120, 30, 6, 60, []int{1800, 1800}},
		{"shorter than a frame is one frame", 0.01, 25, 6, 60, []int{1}},
		{"zero duration", 0, 30, 6, 60, nil},
		{"negative duration", -3, 30, 6, 60, nil},
		{"zero fps", 60, 0, 6, 60, nil},
		{"NaN duration", math.NaN(), 30, 6, 60, nil},
		{"infinite fps", 60, math.Inf(1), 6, 60, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			segs := Segments(tt.duration, tt.fps, tt.seg, tt.tgt)
			got := make([]int, 0, len(segs))
			for _, s := range segs {
				got = append(got, s.Frames)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Fatalf("frames = %v, want %v", got, tt.want)
			}
			if len(tt.want) == 0 && segs != nil {
				t.Fatalf("Segments = %+v, want nil", segs)
			}
		})
	}
}

func TestSegmentsFractionalTimes(t *testing.T) {
	t.Parallel()
	fps := 30000.0 / 1001
	segs := Segments(24, fps, 6, 12)
	// 12 s is 359.64 frames: the boundary is the nearest frame, 360.
	if segs[1].StartFrame != 360 || math.Abs(segs[1].Start-360/fps) > 1e-12 {
		t.Fatalf("second segment = %+v", segs[1])
	}
	if math.Abs(segs[0].Duration+segs[1].Duration-719/fps) > 1e-9 {
		t.Fatalf("durations do not sum to the frame count: %+v", segs)
	}
}

// TestSegmentsProperties checks the invariants over many combinations of
// duration, frame rate, segment length and task target.
func TestSegmentsProperties(t *testing.T) {
	t.Parallel()
	durations := []float64{0.02, 0.5, 1, 5.99, 6, 6.01, 11.5, 12, 59.9, 60, 61, 89.999, 90, 123.456, 600, 3601.7, 7322.3}
	rates := []float64{1, 10, 15, 23.976, 24000.0 / 1001, 24, 25, 29.97, 30000.0 / 1001, 30, 48, 50, 59.94, 60000.0 / 1001, 60, 120, 240}
	segLens := []float64{0, 1, 2, 2.5, 4, 6, 10, 30}
	targets := []float64{0, 1, 6, 10, 30, 45, 60, 300}
	for _, d := range durations {
		for _, fps := range rates {
			for _, seg := range segLens {
				for _, tgt := range targets {
					checkSegments(t, d, fps, seg, tgt)
				}
			}
		}
	}
}

func checkSegments(t *testing.T, d, fps, seg, tgt float64) {
	t.Helper()
	segs := Segments(d, fps, seg, tgt)
	name := fmt.Sprintf("Segments(%v, %v, %v, %v)", d, fps, seg, tgt)
	if seg == 0 {
		seg = DefaultSegmentSeconds
	}
	want := int(math.Round(d * fps))
	if want == 0 {
		want = 1
	}
	if len(segs) == 0 {
		t.Fatalf("%s: no segments", name)
	}
	sum, next := 0, 0
	for i, s := range segs {
		if s.Index != i {
			t.Fatalf("%s: segment %d has index %d", name, i, s.Index)
		}
		if s.Frames < 1 {
			t.Fatalf("%s: segment %d is empty: %+v", name, i, s)
		}
		if s.StartFrame != next {
			t.Fatalf("%s: segment %d starts at frame %d, want %d (gap or overlap)", name, i, s.StartFrame, next)
		}
		if math.Abs(s.Start-float64(s.StartFrame)/fps) > 1e-9 || math.Abs(s.Duration-float64(s.Frames)/fps) > 1e-9 {
			t.Fatalf("%s: segment %d times disagree with its frames: %+v", name, i, s)
		}
		if i > 0 {
			// Boundaries sit on a multiple of the segment length, within
			// half a frame.
			k := math.Round(s.Start / seg)
			if k < 1 || math.Abs(s.Start-k*seg) > 0.5/fps+1e-9 {
				t.Fatalf("%s: boundary %v is not on a multiple of %v", name, s.Start, seg)
			}
			// Every task but the last is a whole number of segments, at
			// least one.
			prev := segs[i-1]
			n := math.Round(prev.Duration / seg)
			if n < 1 || math.Abs(prev.Duration-n*seg) > 1/fps+1e-9 {
				t.Fatalf("%s: task %d lasts %v, not whole segments of %v", name, i-1, prev.Duration, seg)
			}
		}
		sum += s.Frames
		next = s.StartFrame + s.Frames
	}
	if sum != want {
		t.Fatalf("%s: frames sum to %d, want %d", name, sum, want)
	}
}
