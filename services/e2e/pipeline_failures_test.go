package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"connectrpc.com/connect"

	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	"github.com/transcodely/transcodely/pkg/blob/blobs3"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
	"github.com/transcodely/transcodely/pkg/miniotest"
	"github.com/transcodely/transcodely/services/internal/testenv"
)

// ladderJob asks for a small HLS ladder and an MP4 sharing its top rung.
func ladderJob(f *fixture, key string) *jobv1.CreateJobRequest {
	return &jobv1.CreateJobRequest{
		InputOriginId: f.inputOrigin, InputPath: key, OutputOriginId: f.outputOrigin,
		Outputs: []*jobv1.OutputSpec{
			{Type: jobv1.OutputType_OUTPUT_TYPE_HLS, Video: []*jobv1.VideoVariant{variant(h264, r360), variant(h264, r240)}, Segments: &jobv1.SegmentSettings{DurationSeconds: 2}},
			{Type: jobv1.OutputType_OUTPUT_TYPE_MP4, Video: []*jobv1.VideoVariant{variant(h264, r360)}},
		},
	}
}

// poll reads a job until check accepts it.
func (f *fixture) poll(t *testing.T, jobID string, timeout time.Duration, what string, check func(*jobv1.Job) bool) *jobv1.Job {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last *jobv1.Job
	for {
		g, err := f.jobs.Get(context.Background(), connect.NewRequest(&jobv1.GetJobRequest{Id: jobID}))
		if err == nil {
			last = g.Msg.GetJob()
			if check(last) {
				return last
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v; last state %v (err %v)", what, timeout, last, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func ended(j *jobv1.Job) bool {
	switch j.GetStatus() {
	case jobv1.JobStatus_JOB_STATUS_COMPLETED, jobv1.JobStatus_JOB_STATUS_PARTIAL, jobv1.JobStatus_JOB_STATUS_FAILED, jobv1.JobStatus_JOB_STATUS_CANCELED:
		return true
	}
	return false
}

// checkLadder verifies the outputs of ladderJob on a 25 fps source.
func (f *fixture) checkLadder(t *testing.T, final *jobv1.Job, frames int) {
	t.Helper()
	if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		t.Fatalf("job ended %s (%s: %s)", final.GetStatus(), final.GetErrorCode(), final.GetErrorMessage())
	}
	dir := t.TempDir()
	master := f.fetchFolder(t, final.GetOutputs()[0], filepath.Join(dir, "hls"))
	text, _ := os.ReadFile(master)
	checkMaster(t, string(text), []string{"640x360", "426x240"}, "mp4a.40.2")
	checkTimeline(t, f.download(t, final.GetOutputs()[1].GetOutputUrl(), dir), frames, 25, true)
}

// buildEncoder builds the encoder binary once per test.
func buildEncoder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "encoder"), "./encoder")
	cmd.Dir = servicesModuleDir(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build encoder: %v\n%s", err, out)
	}
	return filepath.Join(dir, "encoder")
}

// TestPipeline_EncoderKilled: an encoder process killed with SIGKILL in the
// middle of a segment loses its lease; another encoder takes the segment
// over and the job completes with correct output.
func TestPipeline_EncoderKilled(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Encoders: -1, LeaseDuration: 3 * time.Second, TaskSeconds: 4})
	bin := buildEncoder(t)
	dir := t.TempDir()
	clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 640, Height: 360, FPS: 25, Seconds: 12, Audio: true})
	f.upload(t, clip, "kill.mp4")

	ports := reservePorts(t, []string{"encoder"})
	g := &procGroup{t: t, logDir: dir}
	t.Cleanup(g.stop)
	ports["encoder"].release()
	victim := g.start("encoder", bin, nil, map[string]string{
		"TRANSCODELY_LISTEN_ADDR": ports["encoder"].addr, "TRANSCODELY_SERVICE_TOKEN": f.env.ServiceToken,
		"TRANSCODELY_JOB_URL": f.env.URL, "TRANSCODELY_ALLOW_NETWORKS": "127.0.0.0/8",
		"TRANSCODELY_SCRATCH_DIR": filepath.Join(dir, "scratch"), "TRANSCODELY_HEARTBEAT_INTERVAL": "500ms",
		"TRANSCODELY_ENCODER_CONCURRENCY": "1", "TRANSCODELY_LOG_FORMAT": "json",
	})

	resp, err := f.jobs.Create(context.Background(), connect.NewRequest(ladderJob(f, "kill.mp4")))
	if err != nil {
		t.Fatal(err)
	}
	id := resp.Msg.GetJob().GetId()
	// Kill it while ffmpeg encodes a segment: outputs turn processing when
	// the first segment is leased; the probe is long done by then.
	f.poll(t, id, time.Minute, "first segment leased", func(j *jobv1.Job) bool {
		return j.GetOutputs()[0].GetStatus() == jobv1.OutputStatus_OUTPUT_STATUS_PROCESSING
	})
	time.Sleep(700 * time.Millisecond)
	if err := syscall.Kill(-victim.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-victim.exited
	before := f.poll(t, id, time.Second, "state after the kill", func(*jobv1.Job) bool { return true })
	if ended(before) {
		t.Fatalf("job ended before the kill: %v", before.GetStatus())
	}

	startWorker(t, f.env)
	final := f.poll(t, id, 3*time.Minute, "job end", ended)
	f.checkLadder(t, final, 300)
	// The killed segment was handed out again once its lease expired.
	if !strings.Contains(f.env.Logs.String(), `"kind":"TASK_KIND_SEGMENT","attempt":2`) {
		t.Errorf("no segment task was leased a second time; encoder log:\n%s", f.env.Logs.String())
	}
}

// TestPipeline_JobServiceRestart: the job service goes down in the middle of
// a job and comes back on the same database; the encoder keeps pulling and
// the job completes with correct output.
func TestPipeline_JobServiceRestart(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Encoders: -1, LeaseDuration: 5 * time.Second, TaskSeconds: 4})
	dir := t.TempDir()
	clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 640, Height: 360, FPS: 25, Seconds: 12, Audio: true})
	f.upload(t, clip, "restart.mp4")
	startWorker(t, f.env)

	resp, err := f.jobs.Create(context.Background(), connect.NewRequest(ladderJob(f, "restart.mp4")))
	if err != nil {
		t.Fatal(err)
	}
	id := resp.Msg.GetJob().GetId()
	mid := f.poll(t, id, time.Minute, "encoding under way", func(j *jobv1.Job) bool {
		return j.GetStatus() == jobv1.JobStatus_JOB_STATUS_PROCESSING && j.GetProgress() > 15
	})
	if ended(mid) {
		t.Fatalf("job ended before the restart")
	}
	f.env.Restart(t)
	final := f.poll(t, id, 3*time.Minute, "job end", ended)
	f.checkLadder(t, final, 300)
}

// TestPipeline_CancelLeavesNoScratch: cancelling a job in the middle of its
// segments stops the encoder and removes every scratch file.
func TestPipeline_CancelLeavesNoScratch(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Heartbeat: 300 * time.Millisecond, TaskSeconds: 4})
	dir := t.TempDir()
	clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 1280, Height: 720, FPS: 25, Seconds: 16, Audio: true})
	f.upload(t, clip, "cancel.mp4")
	resp, err := f.jobs.Create(context.Background(), connect.NewRequest(ladderJob(f, "cancel.mp4")))
	if err != nil {
		t.Fatal(err)
	}
	id := resp.Msg.GetJob().GetId()
	// Wait until at least one segment reached scratch.
	scratch := filepath.Join(f.env.ScratchDir(), id)
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		n := 0
		_ = filepath.WalkDir(scratch, func(_ string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				n++
			}
			return nil
		})
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no segment reached scratch")
		}
	}
	if _, err := f.jobs.Cancel(context.Background(), connect.NewRequest(&jobv1.CancelJobRequest{Id: id})); err != nil {
		t.Fatal(err)
	}
	waitEmpty(t, scratch)
	final := f.poll(t, id, time.Second, "cancelled", ended)
	if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_CANCELED {
		t.Fatalf("status %s", final.GetStatus())
	}
	// Nothing reached the output, and the encoder is free again.
	if objs, err := f.out.List(context.Background(), "media/out/"+id); err != nil || len(objs) != 0 {
		t.Fatalf("cancelled job left %d objects (%v)", len(objs), err)
	}
	small := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 320, Height: 180, Seconds: 2})
	f.upload(t, small, "after.mp4")
	next, err := f.jobs.Create(context.Background(), connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: f.inputOrigin, InputPath: "after.mp4", OutputOriginId: f.outputOrigin, Outputs: mp4(commonv1.VideoCodec_VIDEO_CODEC_H264),
	}))
	if err != nil {
		t.Fatal(err)
	}
	if j, _ := f.wait(t, next.Msg.GetJob().GetId(), time.Minute); j.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		t.Fatalf("job after cancel = %s", j.GetStatus())
	}
}

// TestPipeline_OutputSecretRevoked: the output origin's secret turns wrong
// after the job was accepted; the job fails with an error code and a
// message a person understands, not a hang.
func TestPipeline_OutputSecretRevoked(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Encoders: -1})
	dir := t.TempDir()
	clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 320, Height: 180, Seconds: 3, Audio: true})
	f.upload(t, clip, "revoked.mp4")
	resp, err := f.jobs.Create(context.Background(), connect.NewRequest(ladderJob(f, "revoked.mp4")))
	if err != nil {
		t.Fatal(err)
	}
	m := f.env.MinIO
	if _, err := f.origins.Update(context.Background(), connect.NewRequest(&originv1.UpdateOriginRequest{Id: f.outputOrigin,
		S3Credentials: &originv1.S3Credentials{AccessKeyId: m.AccessKey, SecretAccessKey: "revoked-secret-5d1f"}})); err != nil {
		t.Fatal(err)
	}
	startWorker(t, f.env)
	final := f.poll(t, resp.Msg.GetJob().GetId(), 2*time.Minute, "job end", ended)
	if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_FAILED || final.GetErrorCode() == "" || final.GetErrorMessage() == "" {
		t.Fatalf("job = %s %q %q", final.GetStatus(), final.GetErrorCode(), final.GetErrorMessage())
	}
	if strings.Contains(final.GetErrorMessage(), "revoked-secret-5d1f") || strings.Contains(f.env.Logs.String(), "revoked-secret-5d1f") {
		t.Fatal("the secret leaked into the error or the logs")
	}
	t.Logf("error_code=%s message=%q", final.GetErrorCode(), final.GetErrorMessage())
	waitEmpty(t, filepath.Join(f.env.ScratchDir(), final.GetId()))
}

// TestPipeline_BucketScratch runs a job with scratch in an S3 bucket (what a
// deployment with several job replicas needs) and finds the bucket empty
// once the job has ended.
func TestPipeline_BucketScratch(t *testing.T) {
	t.Parallel()
	m := miniotest.Shared(t)
	bucket := m.NewBucket(t)
	f := newFixture(t, testenv.Options{ScratchBucket: bucket, TaskSeconds: 4})
	dir := t.TempDir()
	clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 640, Height: 360, FPS: 25, Seconds: 8, Audio: true})
	f.upload(t, clip, "bucket.mp4")
	resp, err := f.jobs.Create(context.Background(), connect.NewRequest(ladderJob(f, "bucket.mp4")))
	if err != nil {
		t.Fatal(err)
	}
	final, _ := f.wait(t, resp.Msg.GetJob().GetId(), 3*time.Minute)
	f.checkLadder(t, final, 200)
	scratch, err := blobs3.New(m.Config(bucket))
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		objs, err := scratch.List(context.Background(), "")
		if err == nil && len(objs) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("scratch bucket still holds %d objects (%v)", len(objs), err)
		}
	}
	// The local store keeps its signing secret in its folder: there is
	// none, so it never served this job.
	if _, err := os.Stat(filepath.Join(f.env.ScratchDir(), ".scratch-secret")); !os.IsNotExist(err) {
		t.Fatalf("the local scratch folder was set up (%v)", err)
	}
}
