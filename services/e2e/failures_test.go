package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1/jobv1connect"
	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
	"github.com/transcodely/transcodely/services/encoder/encoderapp"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
	"github.com/transcodely/transcodely/services/internal/testenv"
)

func mp4(codec commonv1.VideoCodec) []*jobv1.OutputSpec {
	return []*jobv1.OutputSpec{{Type: jobv1.OutputType_OUTPUT_TYPE_MP4, Video: []*jobv1.VideoVariant{{Codec: codec, Resolution: commonv1.Resolution_RESOLUTION_240P}}}}
}

// violations returns the field violations of a Connect error.
func violations(t *testing.T, err error) map[string]string {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("not a connect error: %v", err)
	}
	out := map[string]string{}
	for _, d := range ce.Details() {
		v, derr := d.Value()
		if derr != nil {
			t.Fatal(derr)
		}
		if ed, ok := v.(*commonv1.ErrorDetails); ok {
			for _, fv := range ed.GetFieldViolations() {
				out[fv.GetField()] = fv.GetDescription()
			}
		}
	}
	return out
}

// TestJobService_Create_InvalidArgument: every malformed request names the
// wrong field, and nothing is created.
func TestJobService_Create_InvalidArgument(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Encoders: -1})
	ctx := context.Background()
	base := func() *jobv1.CreateJobRequest {
		return &jobv1.CreateJobRequest{InputOriginId: f.inputOrigin, InputPath: "a.mp4", OutputOriginId: f.outputOrigin, Outputs: mp4(commonv1.VideoCodec_VIDEO_CODEC_H264)}
	}
	tests := []struct {
		name  string
		edit  func(r *jobv1.CreateJobRequest)
		field string
	}{
		{"no outputs", func(r *jobv1.CreateJobRequest) { r.Outputs = nil }, "outputs"},
		{"no codec", func(r *jobv1.CreateJobRequest) { r.Outputs[0].Video[0].Codec = 0 }, "outputs[0].video[0].codec"},
		{"two inputs", func(r *jobv1.CreateJobRequest) { r.InputUrl = "https://example.com/a.mp4" }, "input_url"},
		{"no input", func(r *jobv1.CreateJobRequest) { r.InputOriginId, r.InputPath = "", "" }, "input_url"},
		{"h264 in webm", func(r *jobv1.CreateJobRequest) { r.Outputs[0].Type = jobv1.OutputType_OUTPUT_TYPE_WEBM }, "outputs[0].video[0].codec"},
		{"resolution and size", func(r *jobv1.CreateJobRequest) { r.Outputs[0].Video[0].Width, r.Outputs[0].Video[0].Height = 640, 360 }, "outputs[0].video[0].resolution"},
		{"width too small", func(r *jobv1.CreateJobRequest) {
			r.Outputs[0].Video[0].Resolution, r.Outputs[0].Video[0].Width, r.Outputs[0].Video[0].Height = 0, 64, 360
		}, "outputs[0].video[0].width"},
		{"bitrate too low", func(r *jobv1.CreateJobRequest) { r.Outputs[0].Video[0].Bitrate = 50 }, "outputs[0].video[0].bitrate"},
		{"vp9 options on h264", func(r *jobv1.CreateJobRequest) { r.Outputs[0].Video[0].Vp9 = &jobv1.VP9Options{} }, "outputs[0].video[0].vp9"},
		{"unknown template variable", func(r *jobv1.CreateJobRequest) { r.OutputPathTemplate = "{job}/x" }, "output_path_template"},
		{"escaping template", func(r *jobv1.CreateJobRequest) { r.OutputPathTemplate = "../{job_id}" }, "output_path_template"},
		{"too much metadata", func(r *jobv1.CreateJobRequest) {
			r.Metadata = map[string]string{}
			for i := range 21 {
				r.Metadata[strings.Repeat("k", i+1)] = "v"
			}
		}, "metadata"},
		{"long idempotency key", func(r *jobv1.CreateJobRequest) { r.IdempotencyKey = strings.Repeat("x", 129) }, "idempotency_key"},
		{"unknown output origin", func(r *jobv1.CreateJobRequest) { r.OutputOriginId = "ori_doesnotexist" }, "output_origin_id"},
		{"read-only origin as output", func(r *jobv1.CreateJobRequest) { r.OutputOriginId = f.inputOrigin }, "output_origin_id"},
		{"private input address", func(r *jobv1.CreateJobRequest) {
			r.InputOriginId, r.InputPath, r.InputUrl = "", "", "https://10.1.2.3/a.mp4"
		}, "input_url"},
		{"metadata address", func(r *jobv1.CreateJobRequest) {
			r.InputOriginId, r.InputPath, r.InputUrl = "", "", "https://169.254.169.254/latest"
		}, "input_url"},
		{"plain http input", func(r *jobv1.CreateJobRequest) {
			r.InputOriginId, r.InputPath, r.InputUrl = "", "", "http://example.com/a.mp4"
		}, "input_url"},
		{"http webhook", func(r *jobv1.CreateJobRequest) { r.WebhookUrl = "http://example.com/hook" }, "webhook_url"},
		{"vp9 in hls", func(r *jobv1.CreateJobRequest) {
			r.Outputs[0].Type = jobv1.OutputType_OUTPUT_TYPE_HLS
			r.Outputs[0].Video[0].Codec = commonv1.VideoCodec_VIDEO_CODEC_VP9
		}, "outputs[0].video[0].codec"},
		{"hls without a ladder", func(r *jobv1.CreateJobRequest) {
			r.Outputs[0].Type, r.Outputs[0].Video = jobv1.OutputType_OUTPUT_TYPE_HLS, nil
		}, "outputs[0].video"},
		{"mixed dash ladder", func(r *jobv1.CreateJobRequest) {
			r.Outputs[0].Type = jobv1.OutputType_OUTPUT_TYPE_DASH
			r.Outputs[0].Video = append(r.Outputs[0].Video, &jobv1.VideoVariant{Codec: commonv1.VideoCodec_VIDEO_CODEC_H265})
		}, "outputs[0].video[1].codec"},
		{"opus in ts segments", func(r *jobv1.CreateJobRequest) {
			r.Outputs[0].Type = jobv1.OutputType_OUTPUT_TYPE_HLS
			r.Outputs[0].Hls = &jobv1.HlsSettings{SegmentFormat: commonv1.SegmentFormat_SEGMENT_FORMAT_TS}
			r.Outputs[0].Audio = []*jobv1.AudioTrack{{Codec: commonv1.AudioCodec_AUDIO_CODEC_OPUS}}
		}, "outputs[0].audio[0].codec"},
		{"dash settings on hls", func(r *jobv1.CreateJobRequest) {
			r.Outputs[0].Type, r.Outputs[0].Dash = jobv1.OutputType_OUTPUT_TYPE_HLS, &jobv1.DashSettings{}
		}, "outputs[0].dash"},
		{"segments on mp4", func(r *jobv1.CreateJobRequest) { r.Outputs[0].Segments = &jobv1.SegmentSettings{DurationSeconds: 4} }, "outputs[0].segments"},
		{"half-second segments", func(r *jobv1.CreateJobRequest) {
			r.Outputs[0].Type, r.Outputs[0].Segments = jobv1.OutputType_OUTPUT_TYPE_HLS, &jobv1.SegmentSettings{DurationSeconds: 0.5}
		}, "outputs[0].segments.duration_seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := base()
			tt.edit(r)
			_, err := f.jobs.Create(ctx, connect.NewRequest(r))
			if connect.CodeOf(err) != connect.CodeInvalidArgument {
				t.Fatalf("code = %v (%v), want invalid_argument", connect.CodeOf(err), err)
			}
			if v := violations(t, err); v[tt.field] == "" {
				t.Fatalf("violations %v do not name %s", v, tt.field)
			}
		})
	}
	resp, err := f.jobs.List(ctx, connect.NewRequest(&jobv1.ListJobsRequest{}))
	if err != nil || len(resp.Msg.GetJobs()) != 0 {
		t.Fatalf("invalid requests created jobs: %v, %v", resp, err)
	}

	t.Run("plain json bad enum", func(t *testing.T) {
		body := f.post(t, "/transcodely.v1.JobService/Create",
			`{"input_url":"https://example.com/a.mp4","output_origin_id":"`+f.outputOrigin+`","outputs":[{"type":"mp4","video":[{"codec":"h263"}]}]}`, http.StatusBadRequest)
		var e struct {
			Code    string `json:"code"`
			Details []struct {
				Type  string `json:"type"`
				Value struct {
					FieldViolations []struct{ Field, Description string } `json:"field_violations"`
				} `json:"value"`
			} `json:"details"`
		}
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		if e.Code != "invalid_argument" || len(e.Details) != 1 || e.Details[0].Type != "transcodely.v1.ErrorDetails" ||
			e.Details[0].Value.FieldViolations[0].Field != "outputs[0].video[0].codec" {
			t.Fatalf("error body = %s", body)
		}
	})
	t.Run("plain json validation", func(t *testing.T) {
		body := f.post(t, "/transcodely.v1.JobService/Create", `{"output_origin_id":"`+f.outputOrigin+`","outputs":[]}`, http.StatusBadRequest)
		if !strings.Contains(string(body), `"field":"outputs"`) || !strings.Contains(string(body), `"code":"validation_error"`) {
			t.Fatalf("error body = %s", body)
		}
	})
	t.Run("not found", func(t *testing.T) {
		f.post(t, "/transcodely.v1.JobService/Get", `{"id":"job_doesnotexist"}`, http.StatusNotFound)
	})
}

// TestAuth: keys are checked before anything else, and another tenant's
// data stays invisible.
func TestAuth(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Encoders: -1})
	ctx := context.Background()
	get := func(opts ...connect.ClientOption) error {
		c := jobv1connect.NewJobServiceClient(http.DefaultClient, f.env.URL, opts...)
		_, err := c.Get(ctx, connect.NewRequest(&jobv1.GetJobRequest{}))
		return err
	}
	tests := []struct {
		name string
		opt  connect.ClientOption
		code connect.Code
	}{
		{"no key", testenv.WithAuth("", f.env.OrganizationID), connect.CodeUnauthenticated},
		{"malformed key", testenv.WithAuth("nope", f.env.OrganizationID), connect.CodeUnauthenticated},
		{"unknown key", testenv.WithAuth(auth.TestPrefix+"0123456789abcdefghijABCDEFGHIJ0123456789", f.env.OrganizationID), connect.CodeUnauthenticated},
		{"other organization", testenv.WithAuth(f.env.APIKey, "org_someoneelse"), connect.CodePermissionDenied},
		{"no organization header", testenv.WithAuth(f.env.APIKey, ""), connect.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := get(tt.opt); connect.CodeOf(err) != tt.code {
				t.Fatalf("code = %v (%v), want %v", connect.CodeOf(err), err, tt.code)
			}
		})
	}
	t.Run("internal procedures need the service token", func(t *testing.T) {
		t.Parallel()
		c := internalv1connect.NewTaskServiceClient(http.DefaultClient, f.env.URL, f.env.Auth())
		_, err := c.Lease(ctx, connect.NewRequest(&internalv1.LeaseRequest{WorkerId: "intruder"}))
		if connect.CodeOf(err) != connect.CodeUnauthenticated {
			t.Fatalf("Lease without service token: %v", err)
		}
	})
	t.Run("credentials never leave the origin service", func(t *testing.T) {
		t.Parallel()
		resp, err := f.origins.Get(ctx, connect.NewRequest(&originv1.GetOriginRequest{Id: f.inputOrigin}))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(resp.Msg)
		secret := f.env.MinIO.SecretKey
		if strings.Contains(string(raw), secret) || strings.Contains(f.env.Logs.String(), secret) || strings.Contains(f.env.Logs.String(), f.env.APIKey) {
			t.Fatal("a secret appeared in a response or a log line")
		}
	})
}

// TestOriginService_Create_Validation: credentials are checked against the
// real store and the outcome is recorded.
func TestOriginService_Create_Validation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Encoders: -1})
	m := f.env.MinIO
	ctx := context.Background()
	create := func(endpoint, bucket, secret string) *originv1.CreateOriginResponse {
		resp, err := f.origins.Create(ctx, connect.NewRequest(&originv1.CreateOriginRequest{
			Name: "x", Permissions: []originv1.OriginPermission{originv1.OriginPermission_ORIGIN_PERMISSION_WRITE},
			Provider: &originv1.CreateOriginRequest_S3{S3: &originv1.S3OriginInput{Bucket: bucket, Endpoint: endpoint,
				Credentials: &originv1.S3Credentials{AccessKeyId: m.AccessKey, SecretAccessKey: secret}}},
		}))
		if err != nil {
			t.Fatal(err)
		}
		return resp.Msg
	}
	for _, tt := range []struct {
		name, endpoint, bucket, secret, want string
	}{
		{"wrong secret", m.Endpoint, f.outBucket, "wrong-secret-value", "access denied"},
		{"missing bucket", m.Endpoint, "no-such-bucket-here", m.SecretKey, "does not exist"},
		{"unreachable endpoint", "http://127.0.0.1:1", f.outBucket, m.SecretKey, "cannot reach"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := create(tt.endpoint, tt.bucket, tt.secret)
			if r.GetOrigin().GetStatus() != originv1.OriginStatus_ORIGIN_STATUS_FAILED || r.GetValidation().GetSuccess() ||
				!strings.Contains(r.GetOrigin().GetValidationError(), tt.want) {
				t.Fatalf("origin = %v, validation %v; want failed with %q", r.GetOrigin(), r.GetValidation(), tt.want)
			}
		})
	}
	t.Run("private endpoint refused", func(t *testing.T) {
		t.Parallel()
		_, err := f.origins.Create(ctx, connect.NewRequest(&originv1.CreateOriginRequest{
			Name: "x", Permissions: []originv1.OriginPermission{originv1.OriginPermission_ORIGIN_PERMISSION_READ},
			Provider: &originv1.CreateOriginRequest_S3{S3: &originv1.S3OriginInput{Bucket: "abc", Endpoint: "http://10.0.0.5:9000",
				Credentials: &originv1.S3Credentials{AccessKeyId: "a", SecretAccessKey: "b"}}},
		}))
		if v := violations(t, err); connect.CodeOf(err) != connect.CodeInvalidArgument || v["s3.endpoint"] == "" {
			t.Fatalf("private endpoint: %v", err)
		}
	})
}

// TestJobService_BrokenInput: media that is not a video fails the job with a
// code and a message a person understands.
func TestJobService_BrokenInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{})
	dir := t.TempDir()
	good := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 320, Height: 180, Seconds: 8, Audio: true})
	st, err := os.Stat(good)
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.mp4")
	ffmpegtest.Truncate(t, good, truncated, st.Size()/2)
	moovLast := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 320, Height: 180, Seconds: 4, MoovAtEnd: true})
	headless := filepath.Join(dir, "headless.mp4")
	ffmpegtest.Truncate(t, moovLast, headless, 4096)
	empty := filepath.Join(dir, "empty.mp4")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "notes.mp4")
	if err := os.WriteFile(text, []byte(strings.Repeat("this is not a video\n", 500)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, path string }{
		{"garbage", ffmpegtest.WriteGarbage(t, dir, "garbage.mp4", 64<<10)},
		{"audio only", ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{NoVideo: true, Seconds: 1})},
		{"zero bytes", empty},
		{"text", text},
		{"truncated", truncated},
		{"truncated before the index", headless},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f.upload(t, tt.path, "broken/"+tt.name)
			resp, err := f.jobs.Create(context.Background(), connect.NewRequest(&jobv1.CreateJobRequest{
				InputOriginId: f.inputOrigin, InputPath: "broken/" + tt.name, OutputOriginId: f.outputOrigin, Outputs: mp4(commonv1.VideoCodec_VIDEO_CODEC_H264),
			}))
			if err != nil {
				t.Fatal(err)
			}
			final, _ := f.wait(t, resp.Msg.GetJob().GetId(), time.Minute)
			if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_FAILED || final.GetErrorCode() != "invalid_input" || final.GetErrorMessage() == "" {
				t.Fatalf("job = %s %s %q", final.GetStatus(), final.GetErrorCode(), final.GetErrorMessage())
			}
			t.Logf("%s: %s: %s", tt.name, final.GetErrorCode(), final.GetErrorMessage())
			if final.GetOutputs()[0].GetStatus() != jobv1.OutputStatus_OUTPUT_STATUS_FAILED {
				t.Fatalf("output = %v", final.GetOutputs()[0])
			}
		})
	}
}

// TestJobService_CancelAndCrash: a cancelled job stops its encoder within a
// heartbeat and writes nothing; a worker that dies holding a lease loses it
// and the job still completes.
func TestJobService_CancelAndCrash(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Encoders: -1, LeaseDuration: 2 * time.Second})
	dir := t.TempDir()
	ctx := context.Background()
	clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 640, Height: 360, Seconds: 4})
	f.upload(t, clip, "clip.mp4")
	tasks := internalv1connect.NewTaskServiceClient(http.DefaultClient, f.env.URL, rpcwire.ClientOptions(f.env.ServiceToken)...)

	// A worker leases the probe and dies without a word.
	resp, err := f.jobs.Create(ctx, connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: f.inputOrigin, InputPath: "clip.mp4", OutputOriginId: f.outputOrigin, Outputs: mp4(commonv1.VideoCodec_VIDEO_CODEC_H264),
	}))
	if err != nil {
		t.Fatal(err)
	}
	crashed := resp.Msg.GetJob().GetId()
	lease, err := tasks.Lease(ctx, connect.NewRequest(&internalv1.LeaseRequest{WorkerId: "doomed", WaitSeconds: 5}))
	if err != nil || lease.Msg.GetTask().GetJobId() != crashed {
		t.Fatalf("doomed lease = %v, %v", lease, err)
	}
	deadTask := lease.Msg.GetTask()

	// A real worker starts; it must pick the task up once the lease expires.
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	w := &encoderapp.Worker{Client: tasks, Runner: &ffmpeg.Runner{}, HTTP: http.DefaultClient, Control: http.DefaultClient, JobURL: f.env.URL, Logger: slog.New(slog.DiscardHandler),
		Config: encoderapp.Config{Concurrency: 1, HeartbeatInterval: 200 * time.Millisecond, ScratchDir: t.TempDir()}}
	go w.Run(wctx)
	final, _ := f.wait(t, crashed, 2*time.Minute)
	if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		t.Fatalf("job after a crashed worker = %s (%s)", final.GetStatus(), final.GetErrorMessage())
	}
	// The dead worker's late report is refused: its lease is gone.
	_, err = tasks.Complete(ctx, connect.NewRequest(&internalv1.CompleteRequest{TaskId: deadTask.GetId(), LeaseToken: deadTask.GetLeaseToken(),
		Result: &internalv1.CompleteRequest_Probe{Probe: &internalv1.ProbeResult{Width: 1, Height: 1}}}))
	if connect.CodeOf(err) != connect.CodeFailedPrecondition {
		t.Fatalf("late Complete from a dead worker: %v", err)
	}

	// Cancel a long encode while it runs.
	long := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 1280, Height: 720, Seconds: 30})
	f.upload(t, long, "long.mp4")
	resp, err = f.jobs.Create(ctx, connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: f.inputOrigin, InputPath: "long.mp4", OutputOriginId: f.outputOrigin, OutputPathTemplate: "cancelled/{job_id}",
		Outputs: []*jobv1.OutputSpec{{Type: jobv1.OutputType_OUTPUT_TYPE_WEBM, Video: []*jobv1.VideoVariant{{Codec: commonv1.VideoCodec_VIDEO_CODEC_VP9, Quality: commonv1.QualityTier_QUALITY_TIER_PREMIUM}}}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	id := resp.Msg.GetJob().GetId()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		g, err := f.jobs.Get(ctx, connect.NewRequest(&jobv1.GetJobRequest{Id: id}))
		if err != nil {
			t.Fatal(err)
		}
		if g.Msg.GetJob().GetOutputs()[0].GetStatus() == jobv1.OutputStatus_OUTPUT_STATUS_PROCESSING {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("encode never started: %v", g.Msg.GetJob())
		}
	}
	cancelled, err := f.jobs.Cancel(ctx, connect.NewRequest(&jobv1.CancelJobRequest{Id: id}))
	if err != nil || cancelled.Msg.GetJob().GetStatus() != jobv1.JobStatus_JOB_STATUS_CANCELED {
		t.Fatalf("cancel = %v, %v", cancelled, err)
	}
	if _, err := f.jobs.Cancel(ctx, connect.NewRequest(&jobv1.CancelJobRequest{Id: id})); connect.CodeOf(err) != connect.CodeFailedPrecondition {
		t.Fatalf("second cancel: %v", err)
	}
	// The worker notices at its next heartbeat and is free for new work;
	// a short job proves it.
	resp, err = f.jobs.Create(ctx, connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: f.inputOrigin, InputPath: "clip.mp4", OutputOriginId: f.outputOrigin, Outputs: mp4(commonv1.VideoCodec_VIDEO_CODEC_H264),
	}))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if after, _ := f.wait(t, resp.Msg.GetJob().GetId(), time.Minute); after.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		t.Fatalf("job after cancel = %v", after.GetStatus())
	}
	t.Logf("next job completed %.1fs after the cancel", time.Since(start).Seconds())
	if objs, err := f.out.List(ctx, "media/out/cancelled/"); err != nil || len(objs) != 0 {
		t.Fatalf("cancelled job left %v (%v) in the output", objs, err)
	}
}
