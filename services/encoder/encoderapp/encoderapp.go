// Package encoderapp is the encoder worker: it long-polls the job service's
// TaskService for work, runs ffmpeg on it, uploads results through the
// presigned URLs the task carries, and reports back. It holds no database or
// storage credentials, so any number of workers on any machines can pull
// from one job service.
package encoderapp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"connectrpc.com/connect"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	"github.com/transcodely/transcodely/pkg/blob"
	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/id"
)

// Config is the encoder's own configuration.
type Config struct {
	// Concurrency is how many tasks one process works on at once.
	Concurrency int `env:"TRANSCODELY_ENCODER_CONCURRENCY" default:"1"`
	// LightConcurrency adds loops that take only light tasks (probe,
	// audio, package, thumbnails): they are mostly I/O or take a core
	// briefly, so running them beside a long segment encode keeps a new
	// job's probe, or a finished job's packaging, from waiting a whole
	// segment. 0 turns the light lane off.
	LightConcurrency int `env:"TRANSCODELY_ENCODER_LIGHT_CONCURRENCY" default:"1"`
	// ScratchDir holds a task's files while it runs; they are removed after.
	ScratchDir string `env:"TRANSCODELY_SCRATCH_DIR"`
	// HeartbeatInterval is how often a running task reports progress.
	HeartbeatInterval time.Duration `env:"TRANSCODELY_HEARTBEAT_INTERVAL" default:"2s"`
	// WorkerID names this process in leases; default host name + random.
	WorkerID string `env:"TRANSCODELY_WORKER_ID"`
}

// Worker pulls and runs tasks.
type Worker struct {
	Client internalv1connect.TaskServiceClient
	Runner *ffmpeg.Runner
	// HTTP uploads results to presigned URLs.
	HTTP *http.Client
	// Control fetches scratch URLs that are relative to the job service
	// (JobURL): the job service serves local scratch itself.
	Control *http.Client
	JobURL  string
	Config  Config
	Logger  *slog.Logger
}

// leaseWait is how long one Lease call waits for work.
const leaseWait = 20

// Run works until ctx ends. Each of Concurrency loops leases one task at a
// time.
func (w *Worker) Run(ctx context.Context) error {
	if w.Config.WorkerID == "" {
		host, _ := os.Hostname()
		w.Config.WorkerID = host + "-" + id.Random(6)
	}
	// A worker that cannot write scratch would fail every task it leases
	// and burn the jobs' attempts: refuse to start instead.
	if err := checkScratch(w.Config.ScratchDir); err != nil {
		return err
	}
	var wg sync.WaitGroup
	for i := range max(1, w.Config.Concurrency) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.loop(ctx, fmt.Sprintf("%s/%d", w.Config.WorkerID, i), nil)
		}()
	}
	for i := range max(0, w.Config.LightConcurrency) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.loop(ctx, fmt.Sprintf("%s/light%d", w.Config.WorkerID, i), lightKinds)
		}()
	}
	wg.Wait()
	return nil
}

// lightKinds are the tasks the light lane takes.
var lightKinds = []internalv1.TaskKind{internalv1.TaskKind_TASK_KIND_PROBE, internalv1.TaskKind_TASK_KIND_AUDIO,
	internalv1.TaskKind_TASK_KIND_PACKAGE, internalv1.TaskKind_TASK_KIND_THUMBNAIL}

// loop leases tasks of the given kinds (nil: any) one at a time.
func (w *Worker) loop(ctx context.Context, workerID string, kinds []internalv1.TaskKind) {
	backoff := time.Second
	for ctx.Err() == nil {
		resp, err := w.Client.Lease(ctx, connect.NewRequest(&internalv1.LeaseRequest{WorkerId: workerID, WaitSeconds: leaseWait, Kinds: kinds}))
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			w.Logger.Warn("lease failed; retrying", "error", err, "backoff", backoff)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 30*time.Second)
			continue
		}
		backoff = time.Second
		if t := resp.Msg.GetTask(); t != nil {
			w.handle(ctx, t)
		}
	}
}

// handle runs one task under a heartbeat that cancels it when the job
// service says so.
func (w *Worker) handle(ctx context.Context, t *internalv1.Task) {
	log := w.Logger.With("task", t.GetId(), "job", t.GetJobId(), "kind", t.GetKind().String(), "attempt", t.GetAttempt())
	log.Info("task leased")
	taskCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var progress progressValue
	var cancelled bool
	var mu sync.Mutex
	hbDone := make(chan struct{})
	go func() {
		defer close(hbDone)
		tick := time.NewTicker(w.Config.HeartbeatInterval)
		defer tick.Stop()
		for {
			select {
			case <-taskCtx.Done():
				return
			case <-tick.C:
			}
			resp, err := w.Client.Heartbeat(ctx, connect.NewRequest(&internalv1.HeartbeatRequest{
				TaskId: t.GetId(), LeaseToken: t.GetLeaseToken(), Progress: progress.get(),
			}))
			if err != nil {
				log.Warn("heartbeat failed", "error", err)
				continue
			}
			if resp.Msg.GetCancel() {
				log.Info("job cancelled or lease lost; stopping")
				mu.Lock()
				cancelled = true
				mu.Unlock()
				cancel()
				return
			}
		}
	}()
	start := time.Now()
	req, failure := w.run(taskCtx, t, &progress)
	cancel()
	<-hbDone
	mu.Lock()
	stop := cancelled
	mu.Unlock()
	if stop || ctx.Err() != nil {
		// Nothing to report: the job ended, or this process is shutting
		// down and the lease will expire and be handed out again.
		return
	}
	if failure != nil {
		failure.TaskId, failure.LeaseToken = t.GetId(), t.GetLeaseToken()
		log.Warn("task failed", "code", failure.GetErrorCode(), "error", failure.GetErrorMessage(), "retryable", failure.GetRetryable())
		if _, err := w.Client.Fail(ctx, connect.NewRequest(failure)); err != nil {
			log.Warn("reporting failure", "error", err)
		}
		return
	}
	req.TaskId, req.LeaseToken, req.ElapsedSeconds = t.GetId(), t.GetLeaseToken(), time.Since(start).Seconds()
	if _, err := w.Client.Complete(ctx, connect.NewRequest(req)); err != nil {
		log.Warn("reporting completion", "error", err)
		return
	}
	log.Info("task completed", "seconds", time.Since(start).Seconds())
}

type progressValue struct {
	mu sync.Mutex
	v  int32
}

func (p *progressValue) set(v int32) { p.mu.Lock(); p.v = v; p.mu.Unlock() }
func (p *progressValue) get() int32  { p.mu.Lock(); defer p.mu.Unlock(); return p.v }

// run executes a task and returns either its result or its failure.
func (w *Worker) run(ctx context.Context, t *internalv1.Task, progress *progressValue) (*internalv1.CompleteRequest, *internalv1.FailRequest) {
	switch p := t.GetPayload().(type) {
	case *internalv1.Task_Probe:
		res, err := w.Runner.Probe(ctx, p.Probe.GetInputUrl())
		if err != nil {
			if w.emptyInput(ctx, p.Probe.GetInputUrl()) {
				// ffmpeg's own report of an empty object is an HTTP 416
				// that reads like a network fault.
				return nil, &internalv1.FailRequest{ErrorCode: "invalid_input", ErrorMessage: "the input is empty (0 bytes)"}
			}
			return nil, classify(err, "probe")
		}
		return &internalv1.CompleteRequest{Result: &internalv1.CompleteRequest_Probe{Probe: probeProto(res)}}, nil
	case *internalv1.Task_Encode:
		res, fail := w.encode(ctx, p.Encode, progress)
		if fail != nil {
			return nil, fail
		}
		return &internalv1.CompleteRequest{Result: &internalv1.CompleteRequest_Encode{Encode: res}}, nil
	case *internalv1.Task_Thumbnail:
		res, fail := w.thumbnails(ctx, p.Thumbnail, progress)
		if fail != nil {
			return nil, fail
		}
		return &internalv1.CompleteRequest{Result: &internalv1.CompleteRequest_Thumbnail{Thumbnail: res}}, nil
	case *internalv1.Task_Segment:
		res, fail := w.segment(ctx, p.Segment, progress)
		if fail != nil {
			return nil, fail
		}
		return &internalv1.CompleteRequest{Result: &internalv1.CompleteRequest_Segment{Segment: res}}, nil
	case *internalv1.Task_Audio:
		res, fail := w.audio(ctx, p.Audio, progress)
		if fail != nil {
			return nil, fail
		}
		return &internalv1.CompleteRequest{Result: &internalv1.CompleteRequest_Audio{Audio: res}}, nil
	case *internalv1.Task_Package:
		res, fail := w.pkg(ctx, t.GetId(), t.GetLeaseToken(), p.Package, progress)
		if fail != nil {
			return nil, fail
		}
		return &internalv1.CompleteRequest{Result: &internalv1.CompleteRequest_Package{Package: res}}, nil
	}
	return nil, &internalv1.FailRequest{ErrorCode: "unsupported_task", ErrorMessage: "this encoder does not know task kind " + t.GetKind().String()}
}

var extensions = map[string]string{"mp4": "mp4", "webm": "webm", "matroska": "mkv", "mov": "mov", "mpegts": "ts"}

func (w *Worker) encode(ctx context.Context, e *internalv1.EncodeTask, progress *progressValue) (*internalv1.EncodeResult, *internalv1.FailRequest) {
	dir, err := os.MkdirTemp(w.Config.ScratchDir, "transcodely-task-*")
	if err != nil {
		return nil, &internalv1.FailRequest{ErrorCode: "scratch_unavailable", ErrorMessage: err.Error(), Retryable: true}
	}
	defer os.RemoveAll(dir) // scratch never outlives the task
	if ts := e.GetTargets(); len(ts) == 1 && ts[0].GetGif() != nil {
		return w.gif(ctx, e.GetInputUrl(), ts[0], dir, progress)
	}
	job := ffmpeg.TranscodeJob{Input: e.GetInputUrl(), InputSeek: e.GetStartSeconds(), Duration: e.GetDurationSeconds()}
	for _, t := range e.GetTargets() {
		out := ffmpeg.Output{
			Path: filepath.Join(dir, t.GetOutputId()+"."+extensions[t.GetFormat()]), Format: t.GetFormat(), FastStart: t.GetFaststart(),
			Video: videoEncode(t.GetVideo()),
		}
		if a := t.GetAudio(); a != nil {
			out.Audio = audioEncode(a)
		}
		job.Outputs = append(job.Outputs, out)
	}
	total := e.GetDurationSeconds()
	if total <= 0 {
		total = e.GetSourceDurationSeconds() - e.GetStartSeconds()
	}
	err = w.Runner.Transcode(ctx, job, func(p ffmpeg.Progress) {
		if total > 0 {
			// Encoding is ~90% of a task; uploads take the rest.
			progress.set(int32(min(90, 90*p.OutTime.Seconds()/total)))
		}
	})
	if err != nil {
		return nil, classify(err, "encode")
	}
	res := &internalv1.EncodeResult{}
	for i, t := range e.GetTargets() {
		path := job.Outputs[i].Path
		size, sum, err := w.upload(ctx, path, t.GetUploadUrl(), t.GetContentType())
		if err != nil {
			return nil, uploadFailed(err)
		}
		dur := 0.0
		if pr, err := w.Runner.Probe(ctx, path); err == nil {
			dur = pr.Duration
		}
		res.Targets = append(res.Targets, &internalv1.TargetResult{OutputId: t.GetOutputId(), SizeBytes: size, DurationSeconds: dur, Checksum: "sha256:" + sum})
		progress.set(int32(90 + 10*(i+1)/len(e.GetTargets())))
	}
	return res, nil
}

// gif cuts an animated GIF (always the only target of its task) and
// uploads it.
func (w *Worker) gif(ctx context.Context, input string, t *internalv1.EncodeTarget, dir string, progress *progressValue) (*internalv1.EncodeResult, *internalv1.FailRequest) {
	g := t.GetGif()
	path := filepath.Join(dir, t.GetOutputId()+".gif")
	if err := w.Runner.GIF(ctx, input, ffmpeg.GIFOptions{Path: path, Start: g.GetStartSeconds(), Duration: g.GetDurationSeconds(),
		Width: int(g.GetWidth()), FPS: g.GetFps()}); err != nil {
		return nil, classify(err, "encode")
	}
	progress.set(90)
	size, sum, err := w.upload(ctx, path, t.GetUploadUrl(), t.GetContentType())
	if err != nil {
		return nil, uploadFailed(err)
	}
	progress.set(100)
	// Runner.Probe refuses still images and GIFs, so the duration is the
	// planned one: the job service already clipped it to the source.
	return &internalv1.EncodeResult{Targets: []*internalv1.TargetResult{{OutputId: t.GetOutputId(), SizeBytes: size,
		DurationSeconds: g.GetDurationSeconds(), Checksum: "sha256:" + sum}}}, nil
}

// thumbnails extracts the images of a thumbnail task at the times the job
// service resolved, tiles them into a sprite sheet with its WebVTT index
// when asked, and uploads everything.
func (w *Worker) thumbnails(ctx context.Context, t *internalv1.ThumbnailTask, progress *progressValue) (*internalv1.ThumbnailResult, *internalv1.FailRequest) {
	if len(t.GetImages()) != len(t.GetTimes()) {
		return nil, &internalv1.FailRequest{ErrorCode: "invalid_task", ErrorMessage: fmt.Sprintf("%d times but %d uploads", len(t.GetTimes()), len(t.GetImages()))}
	}
	dir, err := os.MkdirTemp(w.Config.ScratchDir, "transcodely-task-*")
	if err != nil {
		return nil, &internalv1.FailRequest{ErrorCode: "scratch_unavailable", ErrorMessage: err.Error(), Retryable: true}
	}
	defer os.RemoveAll(dir) // scratch never outlives the task
	// The times are already resolved, so the runner takes them as they are.
	thumbs, err := w.Runner.Thumbnails(ctx, t.GetInputUrl(), ffmpeg.ThumbnailOptions{Mode: ffmpeg.ThumbnailTimestamps, Timestamps: t.GetTimes(),
		Width: int(t.GetWidth()), Height: int(t.GetHeight()), Format: t.GetFormat(), Dir: dir})
	if err != nil {
		return nil, classify(err, "thumbnail")
	}
	if len(thumbs) != len(t.GetImages()) {
		return nil, &internalv1.FailRequest{ErrorCode: "thumbnail_failed", ErrorMessage: fmt.Sprintf("extracted %d images, want %d", len(thumbs), len(t.GetImages()))}
	}
	progress.set(50)
	res := &internalv1.ThumbnailResult{}
	for i, th := range thumbs {
		size, _, err := w.upload(ctx, th.Path, t.GetImages()[i].GetUploadUrl(), t.GetContentType())
		if err != nil {
			return nil, uploadFailed(err)
		}
		res.ImageSizes = append(res.ImageSizes, size)
	}
	progress.set(80)
	if s := t.GetSprite(); s != nil {
		sheet, err := w.Runner.Sprite(ctx, thumbs, ffmpeg.SpriteOptions{Path: filepath.Join(dir, "sprite-sheet"+filepath.Ext(thumbs[0].Path)),
			Format: t.GetFormat(), Columns: int(s.GetColumns())})
		if err != nil {
			return nil, classify(err, "sprite")
		}
		if res.SpriteSize, _, err = w.upload(ctx, sheet.Path, s.GetImage().GetUploadUrl(), t.GetContentType()); err != nil {
			return nil, uploadFailed(err)
		}
		// The index points at the sheet's canonical address, which is what
		// the job reports as sprite_url.
		vtt := filepath.Join(dir, "sprite.vtt")
		times := make([]float64, len(thumbs))
		for i, th := range thumbs {
			times[i] = th.Time
		}
		if err := os.WriteFile(vtt, []byte(sheet.VTT(s.GetImage().GetObjectUrl(), times, t.GetSourceDurationSeconds())), 0o600); err != nil {
			return nil, &internalv1.FailRequest{ErrorCode: "scratch_unavailable", ErrorMessage: err.Error(), Retryable: true}
		}
		if res.VttSize, _, err = w.upload(ctx, vtt, s.GetVtt().GetUploadUrl(), "text/vtt"); err != nil {
			return nil, uploadFailed(err)
		}
	}
	progress.set(100)
	return res, nil
}

// upload streams a file to a presigned URL of the user's storage.
func (w *Worker) upload(ctx context.Context, path, url, contentType string) (int64, string, error) {
	return uploadFile(ctx, w.HTTP, path, url, contentType)
}

// uploadFile streams a file to a URL with one PUT, hashing it on the way.
func uploadFile(ctx context.Context, c *http.Client, path, url, contentType string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, "", err
	}
	h := sha256.New()
	if err := blob.PutURL(ctx, c, url, io.TeeReader(f, h), st.Size(), contentType); err != nil {
		return 0, "", err
	}
	return st.Size(), hex.EncodeToString(h.Sum(nil)), nil
}

// classify turns an error into a failure report: broken input is final,
// network trouble is worth another attempt.
func classify(err error, stage string) *internalv1.FailRequest {
	var ie *ffmpeg.InputError
	switch {
	case errors.Is(err, ffmpeg.ErrNoVideo):
		return &internalv1.FailRequest{ErrorCode: "invalid_input", ErrorMessage: "the input has no video stream"}
	case errors.Is(err, ffmpeg.ErrInvalidMedia):
		msg := "the input is not a readable media file"
		if errors.As(err, &ie) {
			msg = ie.Error()
		}
		return &internalv1.FailRequest{ErrorCode: "invalid_input", ErrorMessage: msg}
	case errors.Is(err, ffmpeg.ErrInputUnreachable):
		return &internalv1.FailRequest{ErrorCode: "input_unreachable", ErrorMessage: err.Error(), Retryable: true}
	case errors.Is(err, blob.ErrAccessDenied):
		return &internalv1.FailRequest{ErrorCode: "access_denied", ErrorMessage: err.Error()}
	}
	var ee *ffmpeg.ExitError
	if errors.As(err, &ee) {
		return &internalv1.FailRequest{ErrorCode: stage + "_failed", ErrorMessage: fmt.Sprintf("ffmpeg exited with %d: %s", ee.ExitCode, lastLine(ee.StderrTail)), Retryable: true}
	}
	return &internalv1.FailRequest{ErrorCode: stage + "_failed", ErrorMessage: err.Error(), Retryable: true}
}

func lastLine(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '\n' {
			return s[i+1:]
		}
	}
	return s
}

func probeProto(r *ffmpeg.ProbeResult) *internalv1.ProbeResult {
	out := &internalv1.ProbeResult{DurationSeconds: r.Duration, Container: r.FormatName, SizeBytes: r.Size, BitrateKbps: int32(r.BitRate / 1000)}
	if len(r.Video) > 0 {
		v := r.Video[0]
		out.VideoCodec, out.Width, out.Height, out.Fps = v.Codec, int32(v.Width), int32(v.Height), v.FPS
		out.BitDepth, out.Rotation, out.Hdr, out.PixFmt = int32(v.BitDepth), int32(v.Rotation), v.HDR, v.PixFmt
		out.FrameCount, out.VideoProfile = int32(v.FrameCount), v.Profile
		out.VideoStartOffsetSeconds = v.StartOffset
	}
	for _, a := range r.Audio {
		out.Audio = append(out.Audio, &internalv1.ProbeAudio{Index: int32(a.Index), Codec: a.Codec, Channels: int32(a.Channels),
			SampleRate: int32(a.SampleRate), Language: a.Language, BitrateKbps: int32(a.BitRate / 1000)})
	}
	for _, s := range r.Subtitle {
		out.Subtitles = append(out.Subtitles, &internalv1.ProbeSubtitle{Index: int32(s.Index), Codec: s.Codec, Language: s.Language})
	}
	return out
}

// emptyInput reports whether an http(s) input holds no bytes at all.
func (w *Worker) emptyInput(ctx context.Context, input string) bool {
	if !strings.HasPrefix(input, "http://") && !strings.HasPrefix(input, "https://") {
		return false
	}
	body, _, err := blob.OpenURLRange(ctx, w.HTTP, input, 0, 1)
	if err != nil {
		return errors.Is(err, blob.ErrOutOfRange)
	}
	n, _ := body.Read(make([]byte, 1))
	body.Close()
	return n == 0
}

// checkScratch creates the scratch folder if needed and proves it writable.
func checkScratch(dir string) error {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("scratch folder: %w", err)
		}
	}
	f, err := os.CreateTemp(dir, ".transcodely-check-*")
	if err != nil {
		return fmt.Errorf("scratch folder is not writable: %w", err)
	}
	f.Close()
	return os.Remove(f.Name())
}
