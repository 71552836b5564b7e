package ffmpeg

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRedactURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"presigned s3", "https://bucket.s3.amazonaws.com/in/a.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20250101&X-Amz-Signature=deadbeef",
			"https://bucket.s3.amazonaws.com/in/a.mp4?REDACTED"},
		{"user info", "https://user:pass@example.com/a.mp4", "https://REDACTED@example.com/a.mp4"},
		{"fragment", "https://example.com/a.mp4#token=abc", "https://example.com/a.mp4"},
		{"no query", "https://example.com/a.mp4", "https://example.com/a.mp4"},
		{"local path", "/tmp/uploads/a?b.mp4", "/tmp/uploads/a?b.mp4"},
		{"embedded in text", "https://h/a.mp4?X-Amz-Signature=deadbeef: Server returned 403 Forbidden",
			"https://h/a.mp4?REDACTED Server returned 403 Forbidden"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := RedactURL(tc.in); got != tc.want {
				t.Errorf("RedactURL(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	t.Run("args and stderr", func(t *testing.T) {
		t.Parallel()
		args := redactArgs([]string{"-i", "http://h/x?sig=deadbeef", "-f", "mp4", "out.mp4"})
		if strings.Contains(strings.Join(args, " "), "deadbeef") {
			t.Errorf("redactArgs leaked: %v", args)
		}
		text := redactText("[https @ 0x1] Opening 'https://h/x.mp4?X-Amz-Signature=deadbeef' for reading\n")
		if strings.Contains(text, "deadbeef") || !strings.Contains(text, "'https://h/x.mp4?REDACTED'") {
			t.Errorf("redactText = %q", text)
		}
	})
}

func TestTranscodeJob_Args(t *testing.T) {
	t.Parallel()
	t.Run("single output", func(t *testing.T) {
		t.Parallel()
		job := TranscodeJob{Input: "https://h/in.mov?X-Amz-Signature=s", InputSeek: 12, Duration: 4, Outputs: []Output{{
			Path: "/out/720.mp4", Format: "mp4", FastStart: true,
			Video: &VideoEncode{Codec: CodecH265, Width: 1280, Height: 720, CRF: 26, MaxBitrateKbps: 3000, Preset: "fast", GOPFrames: 48},
			Audio: &AudioEncode{Codec: CodecAAC, BitrateKbps: 128, Channels: 2, SampleRate: 48000},
		}}}
		if err := job.Validate(); err != nil {
			t.Fatal(err)
		}
		got := strings.Join(job.Args(), " ")
		want := "-hide_banner -nostdin -y -loglevel error -progress pipe:1 -nostats -ss 12 -t 4 " +
			"-format_whitelist " + demuxerWhitelist + " -protocol_whitelist http,https,tcp,tls -rw_timeout 30000000 " +
			"-i https://h/in.mov?X-Amz-Signature=s " +
			"-map 0:v:0 -vf scale=w='min(1280,2*round(720*dar/2))':h='min(720,2*round(1280/dar/2))',setsar=1 " +
			"-c:v libx265 -preset fast -crf 26 " +
			"-x265-params log-level=error:vbv-maxrate=3000:vbv-bufsize=6000:keyint=48:min-keyint=48:scenecut=0:open-gop=0 " +
			"-tag:v hvc1 -pix_fmt yuv420p " +
			"-map 0:a:0? -c:a aac -b:a 128k -ac 2 -ar 48000 -map_metadata -1 -map_chapters -1 -movflags +faststart -f mp4 /out/720.mp4"
		if got != want {
			t.Errorf("Args:\n got %s\nwant %s", got, want)
		}
	})
	t.Run("split for several renditions", func(t *testing.T) {
		t.Parallel()
		job := TranscodeJob{Input: "/in/a.mp4", Outputs: []Output{
			{Path: "/o/1080.webm", Video: &VideoEncode{Codec: CodecVP9}, Audio: &AudioEncode{Codec: CodecOpus}},
			{Path: "/o/360.mp4", Video: &VideoEncode{Codec: CodecAV1, Height: 360, FPS: 29.97, BitrateKbps: 500, GOPFrames: 60}},
			{Path: "/o/audio.m4a", Audio: &AudioEncode{Codec: CodecAAC}},
		}}
		if err := job.Validate(); err != nil {
			t.Fatal(err)
		}
		args := job.Args()
		i := slices.Index(args, "-filter_complex")
		if i < 0 {
			t.Fatalf("no -filter_complex in %v", args)
		}
		wantGraph := "[0:v:0]split=2[s0][s1];[s1]fps=30000/1001,scale=w='2*round(360*dar/2)':h=360,setsar=1[v1]"
		if args[i+1] != wantGraph {
			t.Errorf("graph = %s, want %s", args[i+1], wantGraph)
		}
		joined := strings.Join(args, " ")
		for _, want := range []string{
			"-protocol_whitelist file -i /in/a.mp4",
			"-map [s0] -c:v libvpx-vp9 -deadline good -cpu-used 2 -row-mt 1 -crf 31 -b:v 0 -pix_fmt yuv420p -map 0:a:0? -c:a libopus",
			"-map [v1] -c:v libsvtav1 -preset 7 -b:v 500k -g 60 -svtav1-params irefresh-type=2 -pix_fmt yuv420p -an",
			"-vn -map 0:a:0 -c:a aac -map_metadata -1 -map_chapters -1 /o/audio.m4a",
		} {
			if !strings.Contains(joined, want) {
				t.Errorf("args lack %q:\n%s", want, joined)
			}
		}
	})
	t.Run("segment cut", func(t *testing.T) {
		t.Parallel()
		cut := &SegmentCut{StartFrame: 180, Frames: 180, FPS: 30000.0 / 1001}
		job := TranscodeJob{Input: "/in/a.mp4", Cut: cut, Outputs: []Output{
			{Path: "/o/720.mp4", Video: &VideoEncode{Codec: CodecH264, Height: 720, GOPFrames: 60, ForceKeyframesAt: []float64{2.994}}},
			{Path: "/o/360.mp4", Video: &VideoEncode{Codec: CodecH264, Height: 360, FPS: 29.97}},
			{Path: "/o/180.mp4", Video: &VideoEncode{Codec: CodecH264, Height: 180, FPS: 15}},
		}}
		if err := job.Validate(); err != nil {
			t.Fatal(err)
		}
		joined := strings.Join(job.Args(), " ")
		for _, want := range []string{
			// Half a frame before frame 180, so float rounding cannot
			// pick frame 179 or 181.
			"-nostats -ss 5.989316666666666 -format_whitelist ",
			"-filter_complex [0:v:0]trim=end=6.006,setpts=PTS-STARTPTS,split=3[s0][s1][s2];",
			"-force_key_frames:v expr:eq(n_forced,0)*gte(t,2.9939) -forced-idr 1 -pix_fmt yuv420p -frames:v 180 -an",
			// 29.97 is the source rate, 15 is not.
			"-pix_fmt yuv420p -frames:v 180 -an -map_metadata -1 -map_chapters -1 /o/360.mp4",
			"-pix_fmt yuv420p -an -map_metadata -1 -map_chapters -1 /o/180.mp4",
		} {
			if !strings.Contains(joined, want) {
				t.Errorf("args lack %q:\n%s", want, joined)
			}
		}

		// The first segment needs no seek; its trim ends half a frame
		// after its last frame, counted from 0.
		first := TranscodeJob{Input: "/in/a.mp4", Cut: &SegmentCut{Frames: 180, FPS: 30000.0 / 1001},
			Outputs: []Output{{Path: "/o/seg.mp4", Video: &VideoEncode{Codec: CodecH264}}}}
		joined = strings.Join(first.Args(), " ")
		if strings.Contains(joined, "-ss") || !strings.Contains(joined, "-vf trim=end=5.989316666666666,setpts=PTS-STARTPTS -c:v") {
			t.Errorf("first segment args: %s", joined)
		}

		// A source whose video starts after its audio shifts the seek.
		late := first
		late.Cut = &SegmentCut{StartFrame: 50, Frames: 50, FPS: 25, StartOffset: 0.08}
		joined = strings.Join(late.Args(), " ")
		if !strings.Contains(joined, "-ss 2.06 ") || !strings.Contains(joined, "-vf trim=end=2,setpts=PTS-STARTPTS -c:v") {
			t.Errorf("late video args: %s", joined)
		}
	})
	t.Run("paths that look like options", func(t *testing.T) {
		t.Parallel()
		job := TranscodeJob{Input: "-evil.mp4", Outputs: []Output{{Path: "-out.mp4", Video: &VideoEncode{Codec: CodecH264}}}}
		args := job.Args()
		if !slices.Contains(args, "file:-evil.mp4") || args[len(args)-1] != "file:-out.mp4" {
			t.Errorf("paths not protected: %v", args)
		}
	})
}

func TestTranscodeJob_Validate(t *testing.T) {
	t.Parallel()
	v := func(mod func(*VideoEncode)) TranscodeJob {
		ve := &VideoEncode{Codec: CodecH264}
		mod(ve)
		return TranscodeJob{Input: "in.mp4", Outputs: []Output{{Path: "out.mp4", Video: ve}}}
	}
	cut := func(mod func(*TranscodeJob)) TranscodeJob {
		j := TranscodeJob{Input: "in.mp4", Cut: &SegmentCut{StartFrame: 150, Frames: 150, FPS: 25},
			Outputs: []Output{{Path: "out.mp4", Video: &VideoEncode{Codec: CodecH264}}}}
		if err := j.Validate(); err != nil {
			panic(err) // the base job must be valid for the cases to mean anything
		}
		mod(&j)
		return j
	}
	tests := []struct {
		name string
		job  TranscodeJob
	}{
		{"no outputs", TranscodeJob{Input: "in.mp4"}},
		{"no input", TranscodeJob{Outputs: []Output{{Path: "o.mp4", Audio: &AudioEncode{Codec: CodecAAC}}}}},
		{"empty output", TranscodeJob{Input: "in.mp4", Outputs: []Output{{Path: "o.mp4"}}}},
		{"duplicate path", TranscodeJob{Input: "in.mp4", Outputs: []Output{{Path: "o.mp4", Audio: &AudioEncode{Codec: CodecAAC}}, {Path: "o.mp4", Audio: &AudioEncode{Codec: CodecAAC}}}}},
		{"odd width", v(func(e *VideoEncode) { e.Width = 321 })},
		{"unknown codec", v(func(e *VideoEncode) { e.Codec = "mpeg2" })},
		{"crf out of range", v(func(e *VideoEncode) { e.CRF = 60 })},
		{"max below target", v(func(e *VideoEncode) { e.BitrateKbps, e.MaxBitrateKbps = 2000, 1000 })},
		{"unknown preset", v(func(e *VideoEncode) { e.Preset = "ludicrous" })},
		{"h264 in webm", TranscodeJob{Input: "in.mp4", Outputs: []Output{{Path: "o.webm", Video: &VideoEncode{Codec: CodecH264}}}}},
		{"faststart in mkv", TranscodeJob{Input: "in.mp4", Outputs: []Output{{Path: "o.mkv", FastStart: true, Video: &VideoEncode{Codec: CodecH264}}}}},
		{"opus at 44.1k", TranscodeJob{Input: "in.mp4", Outputs: []Output{{Path: "o.webm", Audio: &AudioEncode{Codec: CodecOpus, SampleRate: 44100}}}}},
		{"negative seek", TranscodeJob{Input: "in.mp4", InputSeek: -1, Outputs: []Output{{Path: "o.mp4", Audio: &AudioEncode{Codec: CodecAAC}}}}},
		{"keyframes not ascending", v(func(e *VideoEncode) { e.ForceKeyframesAt = []float64{2, 2} })},
		{"negative keyframe time", v(func(e *VideoEncode) { e.ForceKeyframesAt = []float64{-1} })},
		{"keyframes every and at", v(func(e *VideoEncode) { e.ForceKeyframesEvery, e.ForceKeyframesAt = 2, []float64{3} })},
		{"cut with seek", cut(func(j *TranscodeJob) { j.InputSeek = 6 })},
		{"cut with duration", cut(func(j *TranscodeJob) { j.Duration = 6 })},
		{"cut with audio", cut(func(j *TranscodeJob) { j.Outputs[0].Audio = &AudioEncode{Codec: CodecAAC} })},
		{"cut without frames", cut(func(j *TranscodeJob) { j.Cut.Frames = 0 })},
		{"cut before the start", cut(func(j *TranscodeJob) { j.Cut.StartFrame = -1 })},
		{"cut without fps", cut(func(j *TranscodeJob) { j.Cut.FPS = 0 })},
		{"cut with negative offset", cut(func(j *TranscodeJob) { j.Cut.StartOffset = -0.1 })},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := tc.job.Validate(); !errors.Is(err, ErrInvalidJob) {
				t.Errorf("Validate() = %v, want ErrInvalidJob", err)
			}
		})
	}
}

func TestProgressWriter(t *testing.T) {
	t.Parallel()
	var got []Progress
	w := &progressWriter{fn: func(p Progress) { got = append(got, p) }}
	stream := "frame=0\nfps=0.00\nout_time_us=N/A\nspeed=N/A\nprogress=continue\n" +
		"frame=12\nfps=24.5\nstream_0_0_q=28.0\ntotal_size=1024\nout_time_us=480000\nspeed=0.98x\nprogress=continue\n" +
		"frame=50\nfps=25.0\ntotal_size=4096\nout_time_us=2000000\nspeed=1.02x\nprogress=end\n"
	// Split mid-line to check that partial writes are reassembled.
	for _, chunk := range []string{stream[:7], stream[7:60], stream[60:]} {
		if _, err := w.Write([]byte(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	want := []Progress{
		{},
		{Frame: 12, FPS: 24.5, TotalSize: 1024, OutTime: 480 * time.Millisecond, Speed: 0.98},
		{Frame: 50, FPS: 25, TotalSize: 4096, OutTime: 2 * time.Second, Speed: 1.02, Done: true},
	}
	if !slices.Equal(got, want) {
		t.Errorf("progress = %+v\nwant %+v", got, want)
	}
}

func TestHelpers(t *testing.T) {
	t.Parallel()
	t.Run("normalizeRotation", func(t *testing.T) {
		t.Parallel()
		for in, want := range map[float64]int{0: 0, 90: 90, -90: 270, 270: 270, -180: 180, 180: 180, 450: 90, 89.6: 90, -270: 90} {
			if got := normalizeRotation(in); got != want {
				t.Errorf("normalizeRotation(%v) = %d, want %d", in, got, want)
			}
		}
	})
	t.Run("bitDepthOf", func(t *testing.T) {
		t.Parallel()
		for in, want := range map[string]int{"yuv420p": 8, "yuv420p10le": 10, "yuv422p12be": 12, "p010le": 10, "nv12": 8, "gray": 8, "rgb24": 8, "": 0} {
			if got := bitDepthOf(in); got != want {
				t.Errorf("bitDepthOf(%q) = %d, want %d", in, got, want)
			}
		}
	})
	t.Run("formatRate", func(t *testing.T) {
		t.Parallel()
		for in, want := range map[float64]string{25: "25", 30: "30", 29.97: "30000/1001", 23.976: "24000/1001", 59.94: "60000/1001", 12.5: "12.5", 1: "1"} {
			if got := formatRate(in); got != want {
				t.Errorf("formatRate(%v) = %q, want %q", in, got, want)
			}
		}
	})
	t.Run("tailBuffer", func(t *testing.T) {
		t.Parallel()
		b := &tailBuffer{max: 16}
		b.Write([]byte("first line\nsecond line\n"))
		b.Write([]byte("third\n"))
		if got := b.String(); got != "third\n" {
			t.Errorf("tail = %q, want the last whole line", got)
		}
	})
	t.Run("rotationOf", func(t *testing.T) {
		t.Parallel()
		// A portrait iPhone clip: display matrix -90 (counterclockwise),
		// legacy tag 90 (clockwise). Both mean "turn right by 90".
		s := &ffprobeStream{SideDataList: []map[string]any{{"side_data_type": "Display Matrix", "rotation": -90.0}}}
		if got := rotationOf(s); got != 90 {
			t.Errorf("display matrix -90 → %d, want 90", got)
		}
		s = &ffprobeStream{Tags: map[string]string{"rotate": "90"}}
		if got := rotationOf(s); got != 90 {
			t.Errorf("rotate tag 90 → %d, want 90", got)
		}
	})
}
