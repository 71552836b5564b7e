package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	presetv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/presetv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/presetv1/presetv1connect"
	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
	"github.com/transcodely/transcodely/services/internal/testenv"
)

// TestPresetService_Jobs: outputs that name a system preset by slug and an
// app preset by id are encoded with the presets' codec, size and profile;
// the job keeps the settings it resolved at creation even when the app
// preset is then changed and archived before any encoding starts; unknown
// and archived presets are invalid_argument on the output's preset field.
func TestPresetService_Jobs(t *testing.T) {
	t.Parallel()
	// No encoder yet: the preset changes below happen strictly between
	// the job's creation and its encode.
	f := newFixture(t, testenv.Options{Encoders: -1})
	ctx := context.Background()
	presets := presetv1connect.NewPresetServiceClient(http.DefaultClient, f.env.URL, f.env.Auth())
	dir := t.TempDir()
	// Larger than 480p so both presets scale down; 12 fps keeps it cheap.
	f.upload(t, ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 1280, Height: 720, FPS: 12, Seconds: 2, Audio: true}), "clip.mp4")

	created, err := presets.Create(ctx, connect.NewRequest(&presetv1.CreatePresetRequest{
		Slug: "preview_vp9", Name: "Preview VP9", Container: commonv1.Container_CONTAINER_WEBM,
		QualityTier: commonv1.QualityTier_QUALITY_TIER_ECONOMY,
		Video:       &presetv1.PresetVideo{Codec: commonv1.VideoCodec_VIDEO_CODEC_VP9, Resolution: commonv1.Resolution_RESOLUTION_240P},
		Audio:       &presetv1.PresetAudio{},
	}))
	if err != nil {
		t.Fatal(err)
	}
	app := created.Msg.GetPreset()

	jobWith := func(refs ...string) *jobv1.CreateJobRequest {
		r := &jobv1.CreateJobRequest{InputOriginId: f.inputOrigin, InputPath: "clip.mp4", OutputOriginId: f.outputOrigin, OutputPathTemplate: "{job_id}/{output_id}"}
		for _, ref := range refs {
			r.Outputs = append(r.Outputs, &jobv1.OutputSpec{Preset: ref})
		}
		return r
	}
	resp, err := f.jobs.Create(ctx, connect.NewRequest(jobWith("h264_480p_economy", app.GetId())))
	if err != nil {
		t.Fatal(err)
	}
	jobID := resp.Msg.GetJob().GetId()
	specs := func(id string) []*jobv1.OutputSpec {
		t.Helper()
		got, err := f.jobs.Get(ctx, connect.NewRequest(&jobv1.GetJobRequest{Id: id}))
		if err != nil {
			t.Fatal(err)
		}
		var out []*jobv1.OutputSpec
		for _, o := range got.Msg.GetJob().GetOutputs() {
			out = append(out, o.GetSpec())
		}
		return out
	}
	resolved := specs(jobID)
	for i, want := range []struct {
		preset string
		typ    jobv1.OutputType
		codec  commonv1.VideoCodec
		res    commonv1.Resolution
	}{
		{"pst_sysh264480peco", jobv1.OutputType_OUTPUT_TYPE_MP4, commonv1.VideoCodec_VIDEO_CODEC_H264, commonv1.Resolution_RESOLUTION_480P},
		{app.GetId(), jobv1.OutputType_OUTPUT_TYPE_WEBM, commonv1.VideoCodec_VIDEO_CODEC_VP9, commonv1.Resolution_RESOLUTION_240P},
	} {
		s := resolved[i]
		if s.GetPreset() != want.preset || s.GetType() != want.typ || len(s.GetVideo()) != 1 ||
			s.GetVideo()[0].GetCodec() != want.codec || s.GetVideo()[0].GetResolution() != want.res {
			t.Fatalf("output %d spec = %v, want preset %s resolved to %s %s %s", i, s, want.preset, want.typ, want.codec, want.res)
		}
	}
	if got := resp.Msg.GetJob().GetOutputs()[1].GetPresetId(); got != app.GetId() {
		t.Fatalf("output preset_id = %q", got)
	}

	// Change the app preset completely, then archive it.
	upd, err := presets.Update(ctx, connect.NewRequest(&presetv1.UpdatePresetRequest{
		Id: app.GetId(), Container: commonv1.Container_CONTAINER_MP4,
		Video: &presetv1.PresetVideo{Codec: commonv1.VideoCodec_VIDEO_CODEC_H264, Resolution: commonv1.Resolution_RESOLUTION_360P},
		Audio: &presetv1.PresetAudio{},
	}))
	if err != nil || upd.Msg.GetPreset().GetVideo().GetCodec() != commonv1.VideoCodec_VIDEO_CODEC_H264 {
		t.Fatalf("Update = %v, %v", upd, err)
	}
	// A job created now gets the new settings.
	later, err := f.jobs.Create(ctx, connect.NewRequest(jobWith(app.GetSlug())))
	if err != nil {
		t.Fatal(err)
	}
	if s := later.Msg.GetJob().GetOutputs()[0].GetSpec(); s.GetType() != jobv1.OutputType_OUTPUT_TYPE_MP4 || s.GetVideo()[0].GetResolution() != commonv1.Resolution_RESOLUTION_360P {
		t.Fatalf("job after the update = %v", s)
	}
	if _, err := f.jobs.Cancel(ctx, connect.NewRequest(&jobv1.CancelJobRequest{Id: later.Msg.GetJob().GetId()})); err != nil {
		t.Fatal(err)
	}
	if _, err := presets.Archive(ctx, connect.NewRequest(&presetv1.ArchivePresetRequest{Id: app.GetId()})); err != nil {
		t.Fatal(err)
	}

	after := specs(jobID)
	for i := range resolved {
		if !proto.Equal(resolved[i], after[i]) {
			t.Fatalf("output %d spec changed with its preset:\nbefore %v\nafter  %v", i, resolved[i], after[i])
		}
	}

	for _, c := range []struct{ name, ref string }{
		{"unknown slug", "no_such_preset"},
		{"unknown id", "pst_doesnotexist"},
		{"archived by id", app.GetId()},
		{"archived by slug", app.GetSlug()},
		{"unknown system-style id", "pst_sysdoesnotexist"},
	} {
		_, err := f.jobs.Create(ctx, connect.NewRequest(jobWith(c.ref)))
		code(t, err, connect.CodeInvalidArgument)
		if d := violations(t, err)["outputs[0].preset"]; d == "" {
			t.Fatalf("%s: violations %v do not name outputs[0].preset", c.name, violations(t, err))
		}
	}

	startWorker(t, f.env)
	final, seen := f.wait(t, jobID, 3*time.Minute)
	if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		t.Fatalf("job ended %s (%s: %s); statuses %v", final.GetStatus(), final.GetErrorCode(), final.GetErrorMessage(), seen)
	}
	for i, want := range []struct {
		format, codec, profile string
		width, height          int
		audio                  string
	}{
		// h264_480p_economy: H.264 Main, 480 lines, AAC in MP4.
		{"mp4", "h264", "Main", 854, 480, "aac"},
		// The app preset as it was when the job was created: VP9 at 240
		// lines in WebM, with Opus; not the H.264 360p it became.
		{"webm", "vp9", "", 426, 240, "opus"},
	} {
		out := final.GetOutputs()[i]
		if !strings.HasSuffix(out.GetOutputUrl(), "."+want.format) {
			t.Fatalf("output %d url %q, want a .%s", i, out.GetOutputUrl(), want.format)
		}
		probe, err := (&ffmpeg.Runner{}).Probe(ctx, f.download(t, out.GetOutputUrl(), dir))
		if err != nil {
			t.Fatal(err)
		}
		v := probe.Video[0]
		if v.Codec != want.codec || v.Width != want.width || v.Height != want.height || (want.profile != "" && v.Profile != want.profile) {
			t.Fatalf("output %d video = %s %s %dx%d, want %s %s %dx%d", i, v.Codec, v.Profile, v.Width, v.Height, want.codec, want.profile, want.width, want.height)
		}
		if !strings.Contains(probe.FormatName, want.format) || len(probe.Audio) != 1 || probe.Audio[0].Codec != want.audio {
			t.Fatalf("output %d format %q audio %+v", i, probe.FormatName, probe.Audio)
		}
	}
}
