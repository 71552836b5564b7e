package e2e

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
	"github.com/transcodely/transcodely/services/internal/testenv"
)

// variant is a short VideoVariant constructor.
func variant(codec commonv1.VideoCodec, res commonv1.Resolution) *jobv1.VideoVariant {
	return &jobv1.VideoVariant{Codec: codec, Resolution: res, Quality: commonv1.QualityTier_QUALITY_TIER_ECONOMY}
}

const (
	h264 = commonv1.VideoCodec_VIDEO_CODEC_H264
	h265 = commonv1.VideoCodec_VIDEO_CODEC_H265
	vp9  = commonv1.VideoCodec_VIDEO_CODEC_VP9
	av1  = commonv1.VideoCodec_VIDEO_CODEC_AV1
	r360 = commonv1.Resolution_RESOLUTION_360P
	r240 = commonv1.Resolution_RESOLUTION_240P
)

// fetchFolder downloads every object of an output's folder (the folder of
// its main URL) into dir, keeping the relative layout, and returns the
// local path of the main file.
func (f *fixture) fetchFolder(t *testing.T, out *jobv1.Output, dir string) string {
	t.Helper()
	prefix := "s3://" + f.outBucket + "/"
	main := strings.TrimPrefix(out.GetOutputUrl(), prefix)
	folder := main[:strings.LastIndex(main, "/")+1]
	if len(out.GetFiles()) < 2 {
		t.Fatalf("streaming output lists %d files", len(out.GetFiles()))
	}
	for _, file := range out.GetFiles() {
		key := strings.TrimPrefix(file.GetUrl(), prefix)
		if !strings.HasPrefix(key, folder) {
			t.Fatalf("file %s is outside the output folder %s", file.GetUrl(), folder)
		}
		local := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(key, folder)))
		if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
			t.Fatal(err)
		}
		rc, err := f.out.Get(context.Background(), key)
		if err != nil {
			t.Fatalf("read %s back: %v", key, err)
		}
		w, err := os.Create(local)
		if err != nil {
			t.Fatal(err)
		}
		n, err := w.ReadFrom(rc)
		rc.Close()
		w.Close()
		if err != nil || n != file.GetSizeBytes() {
			t.Fatalf("%s: read %d bytes (%v), listed %d", key, n, err, file.GetSizeBytes())
		}
	}
	return filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(main, folder)))
}

// probeStreams runs ffprobe on a file, playlist or manifest and returns its
// streams (for HLS and DASH: every variant's, read through the master
// playlist or MPD as a player would).
type probedStream struct {
	CodecType string `json:"codec_type"`
	CodecName string `json:"codec_name"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	StartTime string `json:"start_time"`
	NbFrames  string `json:"nb_read_frames"`
}

func probeStreams(t *testing.T, path string, countFrames bool) []probedStream {
	t.Helper()
	args := []string{"-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height,start_time,nb_read_frames", "-of", "json"}
	if countFrames {
		args = append(args, "-count_frames")
	}
	out, err := exec.Command("ffprobe", append(args, path)...).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var res struct {
		Streams []probedStream `json:"streams"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	return res.Streams
}

// TestPipeline_StreamingLadder sends one source through the segment-parallel
// pipeline into an HLS ladder, a DASH ladder, an adaptive (HLS + DASH)
// output and an MP4 that shares a rendition with the HLS ladder, and reads
// every one back with ffprobe through its master playlist or MPD.
func TestPipeline_StreamingLadder(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Encoders: 2})
	dir := t.TempDir()
	clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 640, Height: 360, FPS: 25, Seconds: 10, Audio: true, GOP: 250})
	f.upload(t, clip, "ladder.mp4")
	ctx := context.Background()
	resp, err := f.jobs.Create(ctx, connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: f.inputOrigin, InputPath: "ladder.mp4", OutputOriginId: f.outputOrigin,
		Outputs: []*jobv1.OutputSpec{
			{Type: jobv1.OutputType_OUTPUT_TYPE_HLS, Video: []*jobv1.VideoVariant{variant(h264, r360), variant(h264, r240)},
				Segments: &jobv1.SegmentSettings{DurationSeconds: 2}, Audio: []*jobv1.AudioTrack{{Codec: commonv1.AudioCodec_AUDIO_CODEC_AAC, BitrateKbps: 96}}},
			{Type: jobv1.OutputType_OUTPUT_TYPE_MP4, Video: []*jobv1.VideoVariant{variant(h264, r360)}},
			{Type: jobv1.OutputType_OUTPUT_TYPE_DASH, Video: []*jobv1.VideoVariant{variant(h264, r360), variant(h264, r240)},
				Segments: &jobv1.SegmentSettings{DurationSeconds: 2}, Dash: &jobv1.DashSettings{MinBufferSeconds: 4}},
			{Type: jobv1.OutputType_OUTPUT_TYPE_ADAPTIVE, Video: []*jobv1.VideoVariant{variant(h264, r240)},
				Hls: &jobv1.HlsSettings{SegmentFormat: commonv1.SegmentFormat_SEGMENT_FORMAT_TS}},
		},
	}))
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	final, seen := f.wait(t, resp.Msg.GetJob().GetId(), 4*time.Minute)
	if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		t.Fatalf("job ended %s (%s: %s); outputs %v; seen %v", final.GetStatus(), final.GetErrorCode(), final.GetErrorMessage(), final.GetOutputs(), seen)
	}
	if ex := final.GetExecution(); ex.GetPackageSeconds() <= 0 || ex.GetEncodeSeconds() <= 0 || ex.GetUploadSeconds() <= 0 || ex.GetTotalSegments() != 2 || ex.GetCompletedSegments() != 2 {
		t.Errorf("execution = %v", final.GetExecution())
	}

	t.Run("hls", func(t *testing.T) {
		out := final.GetOutputs()[0]
		master := f.fetchFolder(t, out, filepath.Join(dir, "hls"))
		if filepath.Base(master) != "master.m3u8" || !strings.HasPrefix(out.GetChecksum(), "sha256:") {
			t.Fatalf("main file %s, checksum %q", master, out.GetChecksum())
		}
		text, _ := os.ReadFile(master)
		checkMaster(t, string(text), []string{"640x360", "426x240"}, "mp4a.40.2")
		roles := map[string]int{}
		for _, file := range out.GetFiles() {
			roles[file.GetRole()]++
		}
		if roles["master_playlist"] != 1 || roles["media_playlist"] != 3 || roles["segment"] < 10 || roles["init_segment"] != 3 {
			t.Errorf("file roles = %v", roles)
		}
		var video, audio int
		for _, s := range probeStreams(t, master, false) {
			switch s.CodecType {
			case "video":
				video++
				if s.CodecName != "h264" {
					t.Errorf("video stream %s", s.CodecName)
				}
			case "audio":
				audio++
			}
		}
		if video != 2 || audio < 1 {
			t.Errorf("ffprobe through the master: %d video, %d audio streams", video, audio)
		}
	})

	t.Run("mp4 shares the 360p rendition", func(t *testing.T) {
		out := final.GetOutputs()[1]
		local := f.download(t, out.GetOutputUrl(), dir)
		checkTimeline(t, local, 250, 25, true)
	})

	t.Run("dash", func(t *testing.T) {
		out := final.GetOutputs()[2]
		mpd := f.fetchFolder(t, out, filepath.Join(dir, "dash"))
		if filepath.Base(mpd) != "manifest.mpd" {
			t.Fatalf("main file %s", mpd)
		}
		text, _ := os.ReadFile(mpd)
		for _, want := range []string{`minBufferTime="PT4.000S"`, `par="16:9"`, `codecs="avc1.`, `codecs="mp4a.40.2"`} {
			if !strings.Contains(string(text), want) {
				t.Errorf("MPD lacks %s:\n%s", want, text)
			}
		}
		var video, audio int
		for _, s := range probeStreams(t, mpd, false) {
			switch s.CodecType {
			case "video":
				video++
			case "audio":
				audio++
			}
		}
		if video != 2 || audio != 1 {
			t.Errorf("ffprobe through the MPD: %d video, %d audio streams", video, audio)
		}
	})

	t.Run("adaptive", func(t *testing.T) {
		out := final.GetOutputs()[3]
		master := f.fetchFolder(t, out, filepath.Join(dir, "adaptive"))
		if _, err := os.Stat(filepath.Join(filepath.Dir(master), "manifest.mpd")); err != nil {
			t.Fatalf("adaptive output has no MPD next to its master: %v", err)
		}
		text, _ := os.ReadFile(master)
		checkMaster(t, string(text), []string{"426x240"}, "mp4a.40.2")
		if !strings.Contains(strings.Join(fileNames(out), " "), ".ts") {
			t.Errorf("asked for ts segments, got %v", fileNames(out))
		}
	})

	// Scratch is gone once the job ended.
	waitEmpty(t, filepath.Join(f.env.ScratchDir(), final.GetId()))
}

func fileNames(out *jobv1.Output) []string {
	var names []string
	for _, f := range out.GetFiles() {
		names = append(names, filepath.Base(f.GetUrl()))
	}
	return names
}

// checkMaster checks a master playlist's variant attributes.
func checkMaster(t *testing.T, text string, resolutions []string, audioCodec string) {
	t.Helper()
	streams := regexp.MustCompile(`(?m)^#EXT-X-STREAM-INF:(.*)$`).FindAllStringSubmatch(text, -1)
	if len(streams) != len(resolutions) {
		t.Fatalf("master has %d variants, want %d:\n%s", len(streams), len(resolutions), text)
	}
	for i, s := range streams {
		attrs := s[1]
		bw := regexp.MustCompile(`(?:^|,)BANDWIDTH=(\d+)`).FindStringSubmatch(attrs)
		if bw == nil {
			t.Errorf("variant %d has no BANDWIDTH: %s", i, attrs)
		} else if n, _ := strconv.Atoi(bw[1]); n < 10000 {
			t.Errorf("variant %d BANDWIDTH=%d", i, n)
		}
		if !strings.Contains(attrs, "RESOLUTION="+resolutions[i]) {
			t.Errorf("variant %d: want RESOLUTION=%s in %s", i, resolutions[i], attrs)
		}
		if !strings.Contains(attrs, `CODECS="avc1.`) || !strings.Contains(attrs, audioCodec) {
			t.Errorf("variant %d: CODECS lacks avc1/%s: %s", i, audioCodec, attrs)
		}
	}
}

// checkTimeline asserts the segment-parallel output has the source's frame
// count, a duration within one frame of it, and audio starting within one
// frame of the video.
func checkTimeline(t *testing.T, path string, frames int, fps float64, audio bool) {
	t.Helper()
	r := &ffmpeg.Runner{}
	n, err := r.CountFrames(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if n != frames {
		t.Errorf("%s: %d frames, source has %d", filepath.Base(path), n, frames)
	}
	p, err := r.Probe(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	want := float64(frames) / fps
	if d := p.Video[0].Duration; math.Abs(d-want) > 1/fps+1e-6 {
		t.Errorf("video duration %.4f s, want %.4f ± one frame", d, want)
	}
	if !audio {
		if len(p.Audio) != 0 {
			t.Errorf("unexpected audio %+v", p.Audio)
		}
		return
	}
	var vStart, aStart float64 = math.NaN(), math.NaN()
	for _, s := range probeStreams(t, path, false) {
		v, _ := strconv.ParseFloat(s.StartTime, 64)
		switch s.CodecType {
		case "video":
			vStart = v
		case "audio":
			aStart = v
		}
	}
	if math.IsNaN(aStart) || math.Abs(aStart-vStart) > 1/fps {
		t.Errorf("audio starts at %.4f s, video at %.4f s", aStart, vStart)
	}
}

// waitEmpty waits until dir is gone or empty.
func waitEmpty(t *testing.T, dir string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		entries, err := os.ReadDir(dir)
		if os.IsNotExist(err) || (err == nil && len(entries) == 0) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("scratch %s still holds %d entries", dir, len(entries))
		}
	}
}

// TestPipeline_FrameRates: at 29.97 and 60 fps, with and without audio,
// the segment-parallel MP4 has exactly the source's frames, its duration,
// and audio in sync with the video.
func TestPipeline_FrameRates(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Encoders: 2, TaskSeconds: 4})
	for _, tt := range []struct {
		name   string
		clip   ffmpegtest.ClipOptions
		frames int
		fps    float64
	}{
		{"29.97 with audio", ffmpegtest.ClipOptions{Width: 480, Height: 270, Rate: "30000/1001", Seconds: 9, Audio: true}, 270, 30000.0 / 1001},
		{"60 without audio", ffmpegtest.ClipOptions{Width: 320, Height: 180, FPS: 60, Seconds: 9}, 540, 60},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			clip := ffmpegtest.MakeClip(t, dir, tt.clip)
			n, err := (&ffmpeg.Runner{}).CountFrames(context.Background(), clip)
			if err != nil {
				t.Fatal(err)
			}
			key := strings.ReplaceAll(tt.name, " ", "_") + ".mp4"
			f.upload(t, clip, key)
			resp, err := f.jobs.Create(context.Background(), connect.NewRequest(&jobv1.CreateJobRequest{
				InputOriginId: f.inputOrigin, InputPath: key, OutputOriginId: f.outputOrigin,
				Outputs: []*jobv1.OutputSpec{
					{Type: jobv1.OutputType_OUTPUT_TYPE_MP4, Video: []*jobv1.VideoVariant{{Codec: h264, Quality: commonv1.QualityTier_QUALITY_TIER_ECONOMY}}},
					// Half the rate: the fps filter runs per segment.
					{Type: jobv1.OutputType_OUTPUT_TYPE_MP4, Video: []*jobv1.VideoVariant{{Codec: h264, Quality: commonv1.QualityTier_QUALITY_TIER_ECONOMY, Framerate: tt.fps / 2}}},
				},
			}))
			if err != nil {
				t.Fatal(err)
			}
			final, _ := f.wait(t, resp.Msg.GetJob().GetId(), 3*time.Minute)
			if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
				t.Fatalf("job %s: %s", final.GetStatus(), final.GetErrorMessage())
			}
			local := f.download(t, final.GetOutputs()[0].GetOutputUrl(), dir)
			checkTimeline(t, local, n, tt.fps, tt.clip.Audio)
			half := f.download(t, final.GetOutputs()[1].GetOutputUrl(), t.TempDir())
			checkTimeline(t, half, n/2, tt.fps/2, tt.clip.Audio)
		})
	}
}

// TestPipeline_Codecs produces every codec and container through the public
// API: h265 in MP4, vp9 with opus in WebM, av1 in MP4 and in a DASH ladder
// with opus, h265 in HLS, vp9 in MKV, h265 in MOV, vp9 in DASH.
func TestPipeline_Codecs(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Encoders: 2})
	dir := t.TempDir()
	clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 320, Height: 180, FPS: 25, Seconds: 3, Audio: true})
	f.upload(t, clip, "codecs.mp4")
	small := func(c commonv1.VideoCodec) *jobv1.VideoVariant {
		return &jobv1.VideoVariant{Codec: c, Quality: commonv1.QualityTier_QUALITY_TIER_ECONOMY}
	}
	resp, err := f.jobs.Create(context.Background(), connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: f.inputOrigin, InputPath: "codecs.mp4", OutputOriginId: f.outputOrigin,
		Outputs: []*jobv1.OutputSpec{
			{Type: jobv1.OutputType_OUTPUT_TYPE_MP4, Video: []*jobv1.VideoVariant{small(h265)}},
			{Type: jobv1.OutputType_OUTPUT_TYPE_WEBM, Video: []*jobv1.VideoVariant{small(vp9)}},
			{Type: jobv1.OutputType_OUTPUT_TYPE_MP4, Video: []*jobv1.VideoVariant{small(av1)}},
			{Type: jobv1.OutputType_OUTPUT_TYPE_DASH, Video: []*jobv1.VideoVariant{small(av1)}, Audio: []*jobv1.AudioTrack{{Codec: commonv1.AudioCodec_AUDIO_CODEC_OPUS}}},
			{Type: jobv1.OutputType_OUTPUT_TYPE_HLS, Video: []*jobv1.VideoVariant{small(h265)}},
			{Type: jobv1.OutputType_OUTPUT_TYPE_MKV, Video: []*jobv1.VideoVariant{small(vp9)}},
			{Type: jobv1.OutputType_OUTPUT_TYPE_MOV, Video: []*jobv1.VideoVariant{small(h265)}},
			{Type: jobv1.OutputType_OUTPUT_TYPE_DASH, Video: []*jobv1.VideoVariant{small(vp9)}},
		},
	}))
	if err != nil {
		t.Fatal(err)
	}
	final, _ := f.wait(t, resp.Msg.GetJob().GetId(), 4*time.Minute)
	if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		t.Fatalf("job %s (%s); outputs %v", final.GetStatus(), final.GetErrorMessage(), final.GetOutputs())
	}
	want := []struct{ video, audio string }{{"hevc", "aac"}, {"vp9", "opus"}, {"av1", "aac"}, {"av1", "opus"}, {"hevc", "aac"}, {"vp9", "aac"}, {"hevc", "aac"}, {"vp9", "aac"}}
	for i, w := range want {
		out := final.GetOutputs()[i]
		var path string
		if len(out.GetFiles()) > 1 {
			path = f.fetchFolder(t, out, filepath.Join(dir, strconv.Itoa(i)))
		} else {
			path = f.download(t, out.GetOutputUrl(), dir)
		}
		var video, audio string
		for _, s := range probeStreams(t, path, false) {
			switch s.CodecType {
			case "video":
				video = s.CodecName
			case "audio":
				audio = s.CodecName
			}
		}
		if video != w.video || audio != w.audio {
			t.Errorf("output %d (%s): %s/%s, want %s/%s", i, filepath.Base(path), video, audio, w.video, w.audio)
		}
	}
}
