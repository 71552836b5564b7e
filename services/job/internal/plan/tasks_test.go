package plan

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

var hd30 = Source{Width: 1920, Height: 1080, FPS: 30, Duration: 125}

func ladder(codec string, sides ...int) []Variant {
	vs := make([]Variant, len(sides))
	for i, s := range sides {
		vs[i] = Variant{Codec: codec, ShortSide: s}
	}
	return vs
}

func TestPlanTasks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		outputs []OutputWant
		src     Source
		opts    PlanOptions
		// sizes are the unique renditions' WxH, in order.
		sizes []string
		// pkg[i] are output i's rendition ids.
		pkg      [][]int
		gop      int
		boundary float64
		// frames per encode task.
		frames []int
		audio  []int // outputs with audio; nil = no audio task
	}{
		{
			name: "DESIGN example: HLS ladder and a 720p MP4 share a rendition",
			outputs: []OutputWant{
				{ID: "out_hls", Type: OutputHLS, Variants: ladder("h264", 1080, 720, 480), Audio: true},
				{ID: "out_mp4", Type: OutputProgressive, Variants: ladder("h264", 720), Audio: true},
			},
			src:   hd30,
			sizes: []string{"1920x1080", "1280x720", "854x480"},
			pkg:   [][]int{{0, 1, 2}, {1}},
			gop:   60, boundary: 6,
			frames: []int{1800, 1950}, // 60 s + 65 s: the 5 s tail is folded
			audio:  []int{0, 1},
		},
		{
			name: "different quality is a different rendition",
			outputs: []OutputWant{
				{Type: OutputHLS, Variants: ladder("h264", 1080, 720, 480)},
				{Type: OutputProgressive, Variants: []Variant{{Codec: "h264", ShortSide: 720, Quality: "premium"}}},
			},
			src:   hd30,
			sizes: []string{"1920x1080", "1280x720", "854x480", "1280x720"},
			pkg:   [][]int{{0, 1, 2}, {3}},
			gop:   60, boundary: 6,
			frames: []int{1800, 1950},
		},
		{
			name: "rungs above the source collapse (never upscale)",
			outputs: []OutputWant{
				{Type: OutputDASH, Variants: ladder("h264", 1080, 720, 360), Audio: true},
			},
			src:   Source{Width: 1280, Height: 720, FPS: 25, Duration: 30},
			sizes: []string{"1280x720", "640x360"},
			pkg:   [][]int{{0, 0, 1}},
			gop:   50, boundary: 6,
			frames: []int{750},
			audio:  []int{0},
		},
		{
			name: "HLS 6 s and DASH 4 s: tasks on 12 s, GOP on 2 s",
			outputs: []OutputWant{
				{Type: OutputHLS, Variants: ladder("h264", 720), SegmentSeconds: 6},
				{Type: OutputDASH, Variants: ladder("h264", 720), SegmentSeconds: 4},
			},
			src:   hd30,
			opts:  PlanOptions{TargetTaskSeconds: 30},
			sizes: []string{"1280x720"},
			pkg:   [][]int{{0}, {0}},
			gop:   60, boundary: 12,
			// 36 s tasks (3 x 12 s): 125 s = 36+36+53, the 17 s tail
			// (under half a task) folded into the last.
			frames: []int{1080, 1080, 1590},
		},
		{
			name: "fractional rate: segment-long GOP shared by HLS and MP4",
			outputs: []OutputWant{
				{Type: OutputHLS, Variants: ladder("h264", 720)},
				{Type: OutputProgressive, Variants: ladder("h264", 720)},
			},
			src:   Source{Width: 1920, Height: 1080, FPS: 30000.0 / 1001, Duration: 100},
			sizes: []string{"1280x720"},
			pkg:   [][]int{{0}, {0}},
			gop:   180, boundary: 6,
			frames: []int{1798, 1199}, // 60 s is frame 1798.2 -> 1798; 2997 in all
		},
		{
			name: "progressive only keeps Resolve's 2 s GOP",
			outputs: []OutputWant{
				{Type: OutputProgressive, Variants: ladder("vp9", 480)},
				{Type: OutputProgressive, Variants: ladder("h264", 480)},
			},
			src:   Source{Width: 1920, Height: 1080, FPS: 30000.0 / 1001, Duration: 12},
			sizes: []string{"854x480", "854x480"},
			pkg:   [][]int{{0}, {1}},
			gop:   60, boundary: 6,
			frames: []int{360},
		},
		{
			name: "2.5 s and 6 s share only 0.5 s: GOP fits 2.5 s, tasks on 30 s",
			outputs: []OutputWant{
				{Type: OutputHLS, Variants: ladder("h264", 720), SegmentSeconds: 2.5},
				{Type: OutputDASH, Variants: ladder("h264", 720), SegmentSeconds: 6},
			},
			src:   hd30,
			sizes: []string{"1280x720"},
			pkg:   [][]int{{0}, {0}},
			gop:   75, boundary: 30,
			frames: []int{1800, 1950}, // 60 s tasks (2 x 30 s); 5 s tail folded
		},
		{
			name: "segment lengths without a common multiple: one task",
			outputs: []OutputWant{
				{Type: OutputHLS, Variants: ladder("h264", 720), SegmentSeconds: 6.001},
				{Type: OutputDASH, Variants: ladder("h264", 720), SegmentSeconds: 6.002},
			},
			src:   hd30,
			sizes: []string{"1280x720"},
			pkg:   [][]int{{0}, {0}},
			// The lengths share only 1 ms: the GOP fits the shorter one
			// (180.03 frames -> 180) instead of being one frame.
			gop: 180, boundary: 0,
			frames: []int{3750},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := PlanTasks(tt.outputs, tt.src, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var sizes []string
			for i, r := range p.Renditions {
				if r.ID != i {
					t.Fatalf("rendition %d has id %d", i, r.ID)
				}
				sizes = append(sizes, fmt.Sprintf("%dx%d", r.Width, r.Height))
				if tt.gop != 0 && r.GOPFrames != tt.gop {
					t.Errorf("rendition %d GOP = %d, want %d", i, r.GOPFrames, tt.gop)
				}
			}
			if !reflect.DeepEqual(sizes, tt.sizes) {
				t.Fatalf("renditions = %v, want %v", sizes, tt.sizes)
			}
			var pkg [][]int
			for i, pt := range p.Package {
				if pt.Output != i || pt.OutputID != tt.outputs[i].ID || pt.Type != tt.outputs[i].Type || pt.Audio != tt.outputs[i].Audio {
					t.Fatalf("package task %d = %+v", i, pt)
				}
				pkg = append(pkg, pt.Renditions)
			}
			if !reflect.DeepEqual(pkg, tt.pkg) {
				t.Fatalf("package renditions = %v, want %v", pkg, tt.pkg)
			}
			if p.BoundarySeconds != tt.boundary {
				t.Fatalf("boundary = %v, want %v", p.BoundarySeconds, tt.boundary)
			}
			var frames []int
			for i, et := range p.Encode {
				if et.Segment != p.Segments[i] {
					t.Fatalf("encode task %d segment %+v != %+v", i, et.Segment, p.Segments[i])
				}
				if len(et.Renditions) != len(p.Renditions) {
					t.Fatalf("encode task %d renditions = %v, want all %d", i, et.Renditions, len(p.Renditions))
				}
				frames = append(frames, et.Segment.Frames)
			}
			if !reflect.DeepEqual(frames, tt.frames) {
				t.Fatalf("task frames = %v, want %v", frames, tt.frames)
			}
			switch {
			case tt.audio == nil && p.Audio != nil:
				t.Fatalf("audio task %+v, want none", p.Audio)
			case tt.audio != nil && (p.Audio == nil || !reflect.DeepEqual(p.Audio.Outputs, tt.audio) || p.Audio.Duration != tt.src.Duration):
				t.Fatalf("audio task %+v, want outputs %v", p.Audio, tt.audio)
			}
		})
	}
}

func TestPlanTasksKeyframes(t *testing.T) {
	t.Parallel()
	p, err := PlanTasks([]OutputWant{
		{Type: OutputHLS, Variants: ladder("h264", 720), SegmentSeconds: 6},
		{Type: OutputDASH, Variants: ladder("h264", 720), SegmentSeconds: 4},
	}, Source{Width: 1280, Height: 720, FPS: 30, Duration: 30}, PlanOptions{TargetTaskSeconds: 12})
	if err != nil {
		t.Fatal(err)
	}
	// Tasks are 12 s; the 6 s tail is exactly half a task, so it is kept:
	// 0-12, 12-24, 24-30 s.
	want := [][]float64{{4, 6, 8}, {4, 6, 8}, {4}}
	if len(p.Encode) != len(want) {
		t.Fatalf("%d encode tasks, want %d", len(p.Encode), len(want))
	}
	for i, et := range p.Encode {
		if !reflect.DeepEqual(et.KeyframeSeconds, want[i]) {
			t.Errorf("task %d keyframes = %v, want %v", i, et.KeyframeSeconds, want[i])
		}
	}

	// Fractional rate: keyframes sit on the frame nearest each 6 s mark.
	fps := 30000.0 / 1001
	p, err = PlanTasks([]OutputWant{{Type: OutputHLS, Variants: ladder("h264", 720)}},
		Source{Width: 1280, Height: 720, FPS: fps, Duration: 24}, PlanOptions{TargetTaskSeconds: 24})
	if err != nil {
		t.Fatal(err)
	}
	got := p.Encode[0].KeyframeSeconds
	wantFrames := []int{180, 360, 539}
	if len(got) != len(wantFrames) {
		t.Fatalf("keyframes = %v", got)
	}
	for i, f := range wantFrames {
		if math.Abs(got[i]-float64(f)/fps) > 1e-9 {
			t.Fatalf("keyframes = %v, want frames %v", got, wantFrames)
		}
	}
}

func TestPlanTasksErrors(t *testing.T) {
	t.Parallel()
	hls := OutputWant{Type: OutputHLS, Variants: ladder("h264", 720)}
	tests := []struct {
		name    string
		outputs []OutputWant
		src     Source
		errSub  string
	}{
		{"no outputs", nil, hd30, "no outputs"},
		{"unknown type", []OutputWant{{Type: "mp3", Variants: ladder("h264", 720)}}, hd30, `outputs[0]: unknown output type "mp3"`},
		{"progressive with a ladder", []OutputWant{hls, {Type: OutputProgressive, Variants: ladder("h264", 720, 480)}}, hd30, "outputs[1]: a progressive output has exactly one"},
		{"streaming without variants", []OutputWant{{Type: OutputDASH}}, hd30, "outputs[0]: no video variants"},
		{"negative segment length", []OutputWant{{Type: OutputHLS, Variants: ladder("h264", 720), SegmentSeconds: -6}}, hd30, "invalid segment length"},
		{"sub-millisecond segment length", []OutputWant{{Type: OutputHLS, Variants: ladder("h264", 720), SegmentSeconds: 0.0001}}, hd30, "invalid segment length"},
		{"bad codec names the variant", []OutputWant{hls, {Type: OutputHLS, Variants: []Variant{{Codec: "h264"}, {Codec: "mpeg2"}}}}, hd30, `outputs[1].variants[1]: unsupported codec "mpeg2"`},
		{"zero duration", []OutputWant{hls}, Source{Width: 1920, Height: 1080, FPS: 30}, "no duration"},
		{"NaN duration", []OutputWant{hls}, Source{Width: 1920, Height: 1080, FPS: 30, Duration: math.NaN()}, "no duration"},
		{"no frame rate", []OutputWant{hls}, Source{Width: 1920, Height: 1080, Duration: 10}, "no frame rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := PlanTasks(tt.outputs, tt.src, PlanOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.errSub) {
				t.Fatalf("err = %v, want %q", err, tt.errSub)
			}
		})
	}
}

func TestTaskPlanJSON(t *testing.T) {
	t.Parallel()
	p, err := PlanTasks([]OutputWant{
		{ID: "out_1", Type: OutputHLS, Variants: ladder("h264", 1080, 720), Audio: true},
		{ID: "out_2", Type: OutputProgressive, Variants: []Variant{{Codec: "h264", ShortSide: 720, BitrateKbps: 3000}}},
	}, hd30, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{
		`"renditions":`, `"boundary_seconds":6`, `"segments":`, `"encode_tasks":`, `"audio_task":`, `"package_tasks":`,
		`"gop_frames":60`, `"bitrate_kbps":3000`, `"max_bitrate_kbps":4500`, `"start_frame":1800`, `"frames":1950`,
		`"start_seconds":60`, `"duration_seconds":65`, `"keyframe_seconds":[6,`, `"output_id":"out_2"`, `"type":"progressive"`,
	} {
		if !strings.Contains(string(b), name) {
			t.Errorf("JSON lacks %s: %s", name, b)
		}
	}
	var back TaskPlan
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, p) {
		t.Fatalf("round trip changed the plan:\n%+v\n%+v", back, p)
	}
	if got := back.Renditions[1].Encoding(); got.Width != 1280 || got.GOPFrames != 60 {
		t.Fatalf("Rendition.Encoding = %+v", got)
	}
}
