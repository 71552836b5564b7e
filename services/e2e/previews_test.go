package e2e

import (
	"context"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
	"github.com/transcodely/transcodely/services/internal/testenv"
)

// TestJobService_GIF runs a job with a video and a GIF output: the GIF is
// planned as its own encode task, cut from the asked part of the input and
// priced, and reads back as a GIF of the asked width and length.
func TestJobService_GIF(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{})
	dir := t.TempDir()
	clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 640, Height: 360, FPS: 25, Seconds: 4, Audio: true})
	f.upload(t, clip, "incoming/gif.mp4")

	created, err := f.jobs.Create(context.Background(), connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: f.inputOrigin, InputPath: "incoming/gif.mp4", OutputOriginId: f.outputOrigin,
		Outputs: []*jobv1.OutputSpec{
			{Type: jobv1.OutputType_OUTPUT_TYPE_MP4, Video: []*jobv1.VideoVariant{{Codec: commonv1.VideoCodec_VIDEO_CODEC_H264,
				Resolution: commonv1.Resolution_RESOLUTION_240P, Quality: commonv1.QualityTier_QUALITY_TIER_ECONOMY}}},
			{Type: jobv1.OutputType_OUTPUT_TYPE_GIF, Gif: &jobv1.GifSettings{StartSeconds: 1, DurationSeconds: 2, Width: 160}},
		},
	}))
	if err != nil {
		t.Fatalf("create job: %v", err)
	}
	final, seen := f.wait(t, created.Msg.GetJob().GetId(), 3*time.Minute)
	if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		t.Fatalf("job ended %s (%s: %s); statuses seen %v; outputs %v", final.GetStatus(), final.GetErrorCode(), final.GetErrorMessage(), seen, final.GetOutputs())
	}
	gif := final.GetOutputs()[1]
	if gif.GetStatus() != jobv1.OutputStatus_OUTPUT_STATUS_COMPLETED || !strings.HasSuffix(gif.GetOutputUrl(), ".gif") ||
		gif.GetEstimatedDurationSeconds() != 2 || len(gif.GetFiles()) != 1 || gif.GetFiles()[0].GetRole() != "gif" {
		t.Fatalf("gif output = %v", gif)
	}
	local := f.download(t, gif.GetOutputUrl(), dir)
	out := strings.TrimSpace(ffmpegtest.RunFFprobe(t, "-select_streams", "v:0", "-show_entries", "stream=codec_name,width:format=duration",
		"-of", "default=noprint_wrappers=1", local))
	fields := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		k, v, _ := strings.Cut(line, "=")
		fields[k] = v
	}
	dur, _ := strconv.ParseFloat(fields["duration"], 64)
	if fields["codec_name"] != "gif" || fields["width"] != "160" || math.Abs(dur-2) > 0.25 {
		t.Fatalf("gif probes as %q, want gif, width 160, about 2 s", out)
	}
}

// TestJobService_Thumbnails asks for a thumbnail every second of a 4 s clip
// with a 2x2 sprite: the set is planned after probing, and the images, the
// sheet and its WebVTT index land in the bucket and on the job.
func TestJobService_Thumbnails(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{})
	dir := t.TempDir()
	clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 640, Height: 360, FPS: 25, Seconds: 4})
	f.upload(t, clip, "incoming/thumbs.mp4")

	created, err := f.jobs.Create(context.Background(), connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: f.inputOrigin, InputPath: "incoming/thumbs.mp4", OutputOriginId: f.outputOrigin,
		Outputs: []*jobv1.OutputSpec{{Type: jobv1.OutputType_OUTPUT_TYPE_GIF, Gif: &jobv1.GifSettings{DurationSeconds: 1, Width: 96}}},
		Thumbnails: []*jobv1.ThumbnailSpec{{
			Mode: jobv1.ThumbnailMode_THUMBNAIL_MODE_INTERVAL, IntervalSeconds: 1, Width: 160, Format: jobv1.ImageFormat_IMAGE_FORMAT_JPEG,
			Sprite: &jobv1.SpriteSettings{Columns: 2, Rows: 2},
		}},
	}))
	if err != nil {
		t.Fatalf("create job: %v", err)
	}
	if th := created.Msg.GetJob().GetThumbnails(); len(th) != 1 || th[0].GetStatus() != jobv1.OutputStatus_OUTPUT_STATUS_PENDING {
		t.Fatalf("created job thumbnails = %v", th)
	}
	final, seen := f.wait(t, created.Msg.GetJob().GetId(), 3*time.Minute)
	if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		t.Fatalf("job ended %s (%s: %s); statuses seen %v; thumbnails %v", final.GetStatus(), final.GetErrorCode(), final.GetErrorMessage(), seen, final.GetThumbnails())
	}
	th := final.GetThumbnails()[0]
	if th.GetStatus() != jobv1.OutputStatus_OUTPUT_STATUS_COMPLETED || len(th.GetUrls()) != 4 || th.GetSpec().GetSprite().GetColumns() != 2 {
		t.Fatalf("thumbnails = %v", th)
	}
	for i, u := range th.GetUrls() {
		if want := "thumb_0000" + strconv.Itoa(i+1) + ".jpg"; !strings.HasSuffix(u, "/"+want) {
			t.Fatalf("thumbnail %d url %q, want .../%s", i, u, want)
		}
		sub := t.TempDir() // every image is called thumb_*.jpg; keep them apart from the sprite
		local := f.download(t, u, sub)
		if got := strings.TrimSpace(ffmpegtest.RunFFprobe(t, "-select_streams", "v:0", "-show_entries", "stream=codec_name,width",
			"-of", "csv=p=0", local)); got != "mjpeg,160" {
			t.Fatalf("thumbnail %d probes as %q, want mjpeg,160", i, got)
		}
	}
	sprite := f.download(t, th.GetSpriteUrl(), dir)
	if got := strings.TrimSpace(ffmpegtest.RunFFprobe(t, "-select_streams", "v:0", "-show_entries", "stream=width", "-of", "csv=p=0", sprite)); got != "320" {
		t.Fatalf("sprite width %q, want 320 (2 tiles of 160)", got)
	}
	vtt, err := os.ReadFile(f.download(t, th.GetVttUrl(), dir))
	if err != nil {
		t.Fatal(err)
	}
	text := string(vtt)
	if !strings.HasPrefix(text, "WEBVTT") || strings.Count(text, th.GetSpriteUrl()+"#xywh=") != 4 ||
		!strings.Contains(text, th.GetSpriteUrl()+"#xywh=160,90,160,90") {
		t.Fatalf("vtt does not index the sprite %s:\n%s", th.GetSpriteUrl(), text)
	}
}

// TestJobService_PreviewValidation checks that bad GIF and thumbnail
// settings are refused with the offending field named.
func TestJobService_PreviewValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{})
	_, err := f.jobs.Create(context.Background(), connect.NewRequest(&jobv1.CreateJobRequest{
		InputUrl: "https://example.com/in.mp4", OutputOriginId: f.outputOrigin,
		Outputs: []*jobv1.OutputSpec{
			{Type: jobv1.OutputType_OUTPUT_TYPE_MP4, Video: []*jobv1.VideoVariant{{Codec: commonv1.VideoCodec_VIDEO_CODEC_H264}}},
			{Type: jobv1.OutputType_OUTPUT_TYPE_GIF, Gif: &jobv1.GifSettings{DurationSeconds: 0.05}},
			{Type: jobv1.OutputType_OUTPUT_TYPE_GIF},
		},
		Thumbnails: []*jobv1.ThumbnailSpec{
			{Mode: jobv1.ThumbnailMode_THUMBNAIL_MODE_INTERVAL, IntervalSeconds: 0.2},
			{Mode: jobv1.ThumbnailMode_THUMBNAIL_MODE_COUNT, Width: 161},
		},
	}))
	got := violations(t, err)
	for _, field := range []string{"outputs[1].gif.duration_seconds", "outputs[2].gif", "thumbnails[0].interval_seconds", "thumbnails[1].count", "thumbnails[1].width"} {
		if _, ok := got[field]; !ok {
			t.Errorf("no violation for %s; got %v", field, got)
		}
	}
}

// TestJobService_ThumbnailsFailPartial: a thumbnail set that cannot be made
// from the input (a timestamp past its end, known only after probing)
// fails on its own, and the job ends partial with its output completed.
func TestJobService_ThumbnailsFailPartial(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{})
	dir := t.TempDir()
	clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 320, Height: 180, FPS: 25, Seconds: 2})
	f.upload(t, clip, "incoming/short.mp4")
	created, err := f.jobs.Create(context.Background(), connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: f.inputOrigin, InputPath: "incoming/short.mp4", OutputOriginId: f.outputOrigin,
		Outputs:    []*jobv1.OutputSpec{{Type: jobv1.OutputType_OUTPUT_TYPE_GIF, Gif: &jobv1.GifSettings{DurationSeconds: 1, Width: 64}}},
		Thumbnails: []*jobv1.ThumbnailSpec{{Mode: jobv1.ThumbnailMode_THUMBNAIL_MODE_TIMESTAMPS, Timestamps: []float64{1, 100}}},
	}))
	if err != nil {
		t.Fatalf("create job: %v", err)
	}
	final, seen := f.wait(t, created.Msg.GetJob().GetId(), 3*time.Minute)
	th := final.GetThumbnails()[0]
	if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_PARTIAL || th.GetStatus() != jobv1.OutputStatus_OUTPUT_STATUS_FAILED ||
		!strings.Contains(th.GetErrorMessage(), "outside the input") || final.GetOutputs()[0].GetStatus() != jobv1.OutputStatus_OUTPUT_STATUS_COMPLETED {
		t.Fatalf("job ended %s (%s); statuses seen %v; thumbnails %v", final.GetStatus(), final.GetErrorMessage(), seen, th)
	}
}
