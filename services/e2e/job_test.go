package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1/jobv1connect"
	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1/originv1connect"
	"github.com/transcodely/transcodely/pkg/blob/blobs3"
	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
	"github.com/transcodely/transcodely/services/internal/testenv"
)

// fixture is an installation with an input bucket holding a clip and
// input/output origins.
type fixture struct {
	env                       *testenv.Env
	jobs                      jobv1connect.JobServiceClient
	origins                   originv1connect.OriginServiceClient
	inBucket, outBucket       string
	inputOrigin, outputOrigin string
	out                       *blobs3.Store
}

func newFixture(t *testing.T, opts testenv.Options) *fixture {
	t.Helper()
	env := testenv.Start(t, opts)
	f := &fixture{
		env:     env,
		jobs:    jobv1connect.NewJobServiceClient(http.DefaultClient, env.URL, env.Auth()),
		origins: originv1connect.NewOriginServiceClient(http.DefaultClient, env.URL, env.Auth()),
	}
	f.inBucket, f.outBucket = env.MinIO.NewBucket(t), env.MinIO.NewBucket(t)
	var err error
	if f.out, err = blobs3.New(env.MinIO.Config(f.outBucket)); err != nil {
		t.Fatal(err)
	}
	f.inputOrigin = f.createOrigin(t, "uploads", f.inBucket, "", originv1.OriginPermission_ORIGIN_PERMISSION_READ)
	f.outputOrigin = f.createOrigin(t, "renditions", f.outBucket, "media/out", originv1.OriginPermission_ORIGIN_PERMISSION_WRITE)
	return f
}

func (f *fixture) createOrigin(t *testing.T, name, bucket, base string, perm originv1.OriginPermission) string {
	t.Helper()
	m := f.env.MinIO
	resp, err := f.origins.Create(context.Background(), connect.NewRequest(&originv1.CreateOriginRequest{
		Name: name, Permissions: []originv1.OriginPermission{perm}, BasePath: base,
		Provider: &originv1.CreateOriginRequest_S3{S3: &originv1.S3OriginInput{
			Bucket: bucket, Region: m.Region, Endpoint: m.Endpoint,
			Credentials: &originv1.S3Credentials{AccessKeyId: m.AccessKey, SecretAccessKey: m.SecretKey},
		}},
	}))
	if err != nil {
		t.Fatalf("create origin %s: %v", name, err)
	}
	if !resp.Msg.GetValidation().GetSuccess() || resp.Msg.GetOrigin().GetStatus() != originv1.OriginStatus_ORIGIN_STATUS_ACTIVE {
		t.Fatalf("origin %s not active: %v", name, resp.Msg)
	}
	return resp.Msg.GetOrigin().GetId()
}

// upload puts a local file into the input bucket.
func (f *fixture) upload(t *testing.T, local, key string) {
	t.Helper()
	in, err := blobs3.New(f.env.MinIO.Config(f.inBucket))
	if err != nil {
		t.Fatal(err)
	}
	r, err := os.Open(local)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := in.Put(context.Background(), key, r, -1, "video/mp4"); err != nil {
		t.Fatal(err)
	}
}

// wait watches a job until it ends and returns its last state.
func (f *fixture) wait(t *testing.T, jobID string, timeout time.Duration) (*jobv1.Job, []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	stream, err := f.jobs.Watch(ctx, connect.NewRequest(&jobv1.WatchJobRequest{Id: jobID}))
	if err != nil {
		t.Fatal(err)
	}
	var last *jobv1.Job
	var seen []string
	for stream.Receive() {
		last = stream.Msg().GetJob()
		seen = append(seen, last.GetStatus().String())
	}
	if err := stream.Err(); err != nil {
		t.Fatalf("watch %s: %v (statuses seen: %v)", jobID, err, seen)
	}
	if last == nil {
		t.Fatal("watch returned no message")
	}
	return last, seen
}

// download fetches an output object (s3://bucket/key) into dir.
func (f *fixture) download(t *testing.T, url, dir string) string {
	t.Helper()
	prefix := "s3://" + f.outBucket + "/"
	if !strings.HasPrefix(url, prefix) {
		t.Fatalf("output url %q is not in bucket %s", url, f.outBucket)
	}
	rc, err := f.out.Get(context.Background(), strings.TrimPrefix(url, prefix))
	if err != nil {
		t.Fatalf("read %s back: %v", url, err)
	}
	defer rc.Close()
	local := filepath.Join(dir, filepath.Base(url))
	w, err := os.Create(local)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, rc); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return local
}

// TestJobService_EndToEnd is the walking skeleton: a 10 s clip goes from one
// MinIO bucket through the public API and an encoder worker into another,
// and comes back with the codec, size and duration asked for.
func TestJobService_EndToEnd(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{})
	dir := t.TempDir()
	clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 640, Height: 360, FPS: 25, Seconds: 10, Audio: true})
	f.upload(t, clip, "incoming/talk.mp4")

	ctx := context.Background()
	created, err := f.jobs.Create(ctx, connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: f.inputOrigin, InputPath: "incoming/talk.mp4", OutputOriginId: f.outputOrigin,
		Outputs: []*jobv1.OutputSpec{{
			Type:  jobv1.OutputType_OUTPUT_TYPE_MP4,
			Video: []*jobv1.VideoVariant{{Codec: commonv1.VideoCodec_VIDEO_CODEC_H264, Resolution: commonv1.Resolution_RESOLUTION_240P, Quality: commonv1.QualityTier_QUALITY_TIER_ECONOMY}},
		}},
		Metadata: map[string]string{"video_id": "vid_42"},
	}))
	if err != nil {
		t.Fatalf("create job: %v", err)
	}
	job := created.Msg.GetJob()
	if !strings.HasPrefix(job.GetId(), "job_") || job.GetStatus() != jobv1.JobStatus_JOB_STATUS_PENDING || job.GetMetadata()["video_id"] != "vid_42" {
		t.Fatalf("created job = %v", job)
	}

	final, seen := f.wait(t, job.GetId(), 3*time.Minute)
	if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		t.Fatalf("job ended %s (%s: %s); statuses seen %v", final.GetStatus(), final.GetErrorCode(), final.GetErrorMessage(), seen)
	}
	if final.GetProgress() != 100 || final.GetInputMetadata().GetVideo().GetWidth() != 640 || final.GetInputMetadata().GetDurationSeconds() < 9.9 {
		t.Fatalf("final job = %v", final)
	}
	out := final.GetOutputs()[0]
	if out.GetStatus() != jobv1.OutputStatus_OUTPUT_STATUS_COMPLETED || out.GetOutputSizeBytes() <= 0 || !strings.HasPrefix(out.GetChecksum(), "sha256:") {
		t.Fatalf("output = %v", out)
	}
	if !strings.Contains(out.GetOutputUrl(), "/media/out/"+job.GetId()+"/") {
		t.Fatalf("output url %q is not under the origin's base path and the default template", out.GetOutputUrl())
	}

	local := f.download(t, out.GetOutputUrl(), dir)
	probe, err := (&ffmpeg.Runner{}).Probe(ctx, local)
	if err != nil {
		t.Fatal(err)
	}
	v := probe.Video[0]
	if v.Codec != "h264" || v.Width != 426 || v.Height != 240 {
		t.Fatalf("output video = %s %dx%d, want h264 426x240", v.Codec, v.Width, v.Height)
	}
	if math.Abs(probe.Duration-10) > 0.1 || len(probe.Audio) != 1 || probe.Audio[0].Codec != "aac" {
		t.Fatalf("output duration %.3f s, audio %+v", probe.Duration, probe.Audio)
	}
	if probe.Size != out.GetOutputSizeBytes() {
		t.Fatalf("size in bucket %d, reported %d", probe.Size, out.GetOutputSizeBytes())
	}

	t.Run("grpc", func(t *testing.T) {
		client := jobv1connect.NewJobServiceClient(testenv.GRPCClient(), f.env.URL, connect.WithGRPC(), f.env.Auth())
		resp, err := client.Get(ctx, connect.NewRequest(&jobv1.GetJobRequest{Id: job.GetId()}))
		if err != nil || resp.Msg.GetJob().GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
			t.Fatalf("gRPC Get = %v, %v", resp, err)
		}
	})

	t.Run("plain json", func(t *testing.T) {
		body := f.post(t, "/transcodely.v1.JobService/Get", `{"id":"`+job.GetId()+`"}`, http.StatusOK)
		var got map[string]any
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		j := got["job"].(map[string]any)
		if j["status"] != "completed" || j["priority"] != "standard" || j["currency"] != "EUR" {
			t.Fatalf("wire job = %s", body)
		}
		o := j["outputs"].([]any)[0].(map[string]any)
		if o["status"] != "completed" || !strings.HasPrefix(o["id"].(string), "out_") {
			t.Fatalf("wire output = %v", o)
		}
		spec := o["spec"].(map[string]any)
		video := spec["video"].([]any)[0].(map[string]any)
		if spec["type"] != "mp4" || video["codec"] != "h264" || video["resolution"] != "240p" {
			t.Fatalf("wire spec = %v", spec)
		}
		// Field emission: empty maps, arrays and nulls are present.
		if _, ok := j["thumbnails"].([]any); !ok || j["confirmed_at"] != nil {
			t.Fatalf("emission rules broken: thumbnails=%v confirmed_at=%v", j["thumbnails"], j["confirmed_at"])
		}
		if _, ok := o["output_size_bytes"].(float64); !ok {
			t.Fatalf("int64 not a JSON number: %v", o["output_size_bytes"])
		}
		// Callers that name the charset get the same wire format.
		req, _ := http.NewRequest(http.MethodPost, f.env.URL+"/transcodely.v1.JobService/Get", strings.NewReader(`{"id":"`+job.GetId()+`"}`))
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		req.Header.Set("Authorization", "Bearer "+f.env.APIKey)
		req.Header.Set("X-Organization-ID", f.env.OrganizationID)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(raw), `"status":"completed"`) {
			t.Fatalf("charset=utf-8 caller got %d: %.300s", resp.StatusCode, raw)
		}
	})

	t.Run("snippet", func(t *testing.T) {
		all, err := getAllJobs(ctx, f.jobs)
		if err != nil || len(all) != 1 || all[0].GetId() != job.GetId() {
			t.Fatalf("getAllJobs = %d jobs, %v", len(all), err)
		}
	})
}

// post sends a plain HTTP/JSON request as curl would and checks the status.
func (f *fixture) post(t *testing.T, path, body string, want int) []byte {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.env.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+f.env.APIKey)
	req.Header.Set("X-Organization-ID", f.env.OrganizationID)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("POST %s: status %d, want %d: %s", path, resp.StatusCode, want, out)
	}
	return bytes.TrimSpace(out)
}
