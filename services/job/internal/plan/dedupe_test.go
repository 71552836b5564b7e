package plan

import (
	"fmt"
	"testing"
)

func TestDedupe(t *testing.T) {
	t.Parallel()
	h720 := Encoding{Codec: "h264", Width: 1280, Height: 720, FPS: 30, CRF: 23, Preset: "faster", GOPFrames: 60}
	h1080 := Encoding{Codec: "h264", Width: 1920, Height: 1080, FPS: 30, CRF: 23, Preset: "faster", GOPFrames: 60}
	with := func(f func(*Encoding)) Encoding {
		e := h720
		f(&e)
		return e
	}
	tests := []struct {
		name   string
		in     []Encoding
		unique int
		index  []int
	}{
		{"empty", nil, 0, []int{}},
		{"one", []Encoding{h720}, 1, []int{0}},
		{"HLS rung and MP4 share", []Encoding{h1080, h720, h720}, 2, []int{0, 1, 1}},
		{"first appearance order", []Encoding{h720, h1080, h720, h1080}, 2, []int{0, 1, 0, 1}},
		{"codec differs", []Encoding{h720, with(func(e *Encoding) { e.Codec = "h265" })}, 2, []int{0, 1}},
		{"size differs", []Encoding{h720, with(func(e *Encoding) { e.Width = 1278 })}, 2, []int{0, 1}},
		{"fps differs", []Encoding{h720, with(func(e *Encoding) { e.FPS = 25 })}, 2, []int{0, 1}},
		{"CRF differs", []Encoding{h720, with(func(e *Encoding) { e.CRF = 20 })}, 2, []int{0, 1}},
		{"bitrate differs", []Encoding{with(func(e *Encoding) { e.BitrateKbps = 3000 }), with(func(e *Encoding) { e.BitrateKbps = 2500 })}, 2, []int{0, 1}},
		{"ceiling differs", []Encoding{h720, with(func(e *Encoding) { e.MaxBitrateKbps = 4500 })}, 2, []int{0, 1}},
		{"preset differs", []Encoding{h720, with(func(e *Encoding) { e.Preset = "slow" })}, 2, []int{0, 1}},
		{"profile differs", []Encoding{h720, with(func(e *Encoding) { e.Profile = "high" })}, 2, []int{0, 1}},
		{"tune differs", []Encoding{h720, with(func(e *Encoding) { e.Tune = "film" })}, 2, []int{0, 1}},
		{"GOP differs", []Encoding{h720, with(func(e *Encoding) { e.GOPFrames = 180 })}, 2, []int{0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			unique, index := Dedupe(tt.in)
			if len(unique) != tt.unique || fmt.Sprint(index) != fmt.Sprint(tt.index) {
				t.Fatalf("Dedupe = %d unique, index %v; want %d, %v", len(unique), index, tt.unique, tt.index)
			}
			for i, e := range tt.in {
				if unique[index[i]] != e {
					t.Fatalf("input %d maps to %+v, want %+v", i, unique[index[i]], e)
				}
			}
		})
	}
}
