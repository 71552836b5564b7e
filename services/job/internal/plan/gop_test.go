package plan

import (
	"fmt"
	"testing"
)

func TestGOPFor(t *testing.T) {
	t.Parallel()
	// want[i] is the GOP for segment lengths 2, 4, 6 and 10 s.
	segs := []float64{2, 4, 6, 10}
	tests := []struct {
		name string
		fps  float64
		want [4]int
	}{
		{"25", 25, [4]int{50, 50, 50, 50}},
		{"29.97 exact", 30000.0 / 1001, [4]int{60, 120, 180, 300}},
		{"29.97 literal", 29.97, [4]int{60, 120, 180, 300}},
		{"30", 30, [4]int{60, 60, 60, 60}},
		{"50", 50, [4]int{100, 100, 100, 100}},
		{"59.94 exact", 60000.0 / 1001, [4]int{120, 240, 360, 599}},
		{"59.94 literal", 59.94, [4]int{120, 240, 360, 599}},
		{"60", 60, [4]int{120, 120, 120, 120}},
	}
	for _, tt := range tests {
		for i, seg := range segs {
			t.Run(fmt.Sprintf("%s/%gs", tt.name, seg), func(t *testing.T) {
				t.Parallel()
				got := GOPFor(tt.fps, seg)
				if got != tt.want[i] {
					t.Fatalf("GOPFor(%v, %v) = %d, want %d", tt.fps, seg, got, tt.want[i])
				}
			})
		}
	}
}

func TestGOPForEdges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		fps, seg float64
		want     int
	}{
		{"5 s at 25 fps: 1 s divides, 2 s does not", 25, 5, 25},
		{"segment shorter than 2 s", 30, 1, 30},
		{"only tiny divisors: one GOP per segment", 30, 7.1, 213},
		{"fractional segment length", 25, 2.5, 63},
		{"unknown fps uses 25", 0, 6, 50},
		{"default segment", 30, 0, 60},
		{"very low rate", 0.1, 2, 1},
		{"integer rate matches Resolve's 2 s", 24, 6, 48},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := GOPFor(tt.fps, tt.seg); got != tt.want {
				t.Fatalf("GOPFor(%v, %v) = %d, want %d", tt.fps, tt.seg, got, tt.want)
			}
		})
	}
}

// A GOP from GOPFor divides the segment whenever the segment is a whole
// number of frames.
func TestGOPForDividesSegment(t *testing.T) {
	t.Parallel()
	for _, fps := range []float64{1, 10, 12, 15, 23, 24, 25, 30, 48, 50, 60, 120, 240} {
		for _, seg := range []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 30} {
			g := GOPFor(fps, seg)
			n := int(fps * seg)
			if g < 1 || n%g != 0 || g > n {
				t.Errorf("GOPFor(%v, %v) = %d does not divide %d frames", fps, seg, g, n)
			}
		}
	}
}
