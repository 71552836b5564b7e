// Package engine advances jobs through their life: it creates them, leases
// their tasks to encoders, and turns task results (probe, encode) and
// failures into status changes, each in one transaction that also notifies
// watchers and writes the change's webhook events to the outbox. The rules
// themselves live in the lifecycle and plan packages; this package applies
// them to the store.
package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"path"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/job/internal/lifecycle"
	"github.com/transcodely/transcodely/services/job/internal/store"
	"github.com/transcodely/transcodely/services/job/internal/store/dbgen"
)

// Storage mints short-lived access to a job's input and output objects.
type Storage interface {
	// InputURL is a URL ffmpeg can read the source from (presigned for
	// origins, the public URL otherwise).
	InputURL(ctx context.Context, j dbgen.JobJob) (string, error)
	// UploadURL is a presigned PUT for key under the job's output origin.
	UploadURL(ctx context.Context, j dbgen.JobJob, key string) (string, error)
	// UploadURLs presigns many keys at once (one origin lookup).
	UploadURLs(ctx context.Context, j dbgen.JobJob, keys []string) ([]string, error)
	// OutputOrigin describes where outputs go.
	OutputOrigin(ctx context.Context, j dbgen.JobJob) (OriginInfo, error)
}

// OriginInfo is what planning needs to know about the output origin.
type OriginInfo struct {
	Provider, Bucket, BasePath, PathTemplate string
}

// ObjectURL is the canonical address of an object key (relative to the
// origin's base path) that users find in output_url.
func (o OriginInfo) ObjectURL(key string) string {
	scheme := "s3"
	if o.Provider == "gcs" {
		scheme = "gs"
	}
	return scheme + "://" + path.Join(o.Bucket, strings.Trim(o.BasePath, "/"), key)
}

// Engine drives jobs.
type Engine struct {
	Store   *store.Store
	Storage Storage
	Logger  *slog.Logger
	// LeaseDuration is how long a worker may go without a heartbeat before
	// its task is handed out again.
	LeaseDuration time.Duration
	// MaxAttempts caps how often one task is tried.
	MaxAttempts int32
	// URLTTL is the lifetime of presigned URLs handed to workers.
	URLTTL time.Duration
	// Scratch holds encoded segments and audio between tasks.
	Scratch Scratch
	// TaskSeconds is the timeline length one segment task aims for; 0
	// means plan.DefaultTaskSeconds.
	TaskSeconds float64
	// Finished, if set, receives (without blocking) when a job ends, so
	// the scratch sweeper runs at once.
	Finished chan<- struct{}

	ready readySignal
}

// Scratch is where a job's intermediate files live between tasks; see
// package scratch.
type Scratch interface {
	PutURL(ctx context.Context, key string, ttl time.Duration) (string, error)
	GetURL(ctx context.Context, key string, ttl time.Duration) (string, error)
	DeletePrefix(ctx context.Context, prefix string) error
}

// Task kinds and statuses as stored.
const (
	KindProbe  = "probe"
	KindEncode = "encode"
)

// EncodePlan is an encode task's stored plan. URLs are not stored: they are
// minted at lease time so they never expire in the queue.
type EncodePlan struct {
	Targets []TargetPlan `json:"targets"`
}

// TargetPlan is one file an encode task writes.
type TargetPlan struct {
	OutputID    string          `json:"output_id"`
	Format      string          `json:"format"`
	Key         string          `json:"key"`
	ContentType string          `json:"content_type"`
	FastStart   bool            `json:"faststart"`
	Video       json.RawMessage `json:"video,omitempty"`
	Audio       json.RawMessage `json:"audio,omitempty"`
	// Gif is the protojson of internalv1.GifEncoding for format "gif",
	// which has no video encoding.
	Gif json.RawMessage `json:"gif,omitempty"`
}

// Lease hands out one task, or nil when none is ready.
func (e *Engine) Lease(ctx context.Context, workerID string, kinds []string) (*internalv1.Task, error) {
	e.reap(ctx)
	for {
		var row dbgen.JobTask
		var job dbgen.JobJob
		token := id.Random(24)
		err := e.Store.InTx(ctx, func(q *dbgen.Queries) error {
			var err error
			row, err = q.LeaseTask(ctx, dbgen.LeaseTaskParams{
				LeaseToken: token, WorkerID: workerID, LeaseSeconds: e.LeaseDuration.Seconds(), Kinds: kinds,
			})
			if err != nil {
				return err
			}
			if job, err = q.GetJobByID(ctx, row.JobID); err != nil {
				return err
			}
			if lifecycle.Status(job.Status).Terminal() {
				// Cancelled while queued: drop the task and look again.
				return q.FinishTask(ctx, dbgen.FinishTaskParams{ID: row.ID, Status: "canceled"})
			}
			switch row.Kind {
			case KindProbe:
				if err := q.SetJobProbing(ctx, job.ID); err != nil {
					return err
				}
			case KindEncode:
				var p EncodePlan
				if err := json.Unmarshal(row.Plan, &p); err != nil {
					return err
				}
				for _, t := range p.Targets {
					if err := q.UpdateOutputStarted(ctx, t.OutputID); err != nil {
						return err
					}
				}
			case KindSegment:
				var p SegmentPlan
				if err := json.Unmarshal(row.Plan, &p); err != nil {
					return err
				}
				for _, o := range p.Outputs {
					if err := q.UpdateOutputStarted(ctx, o); err != nil {
						return err
					}
				}
			case KindThumbnail:
				var p ThumbnailPlan
				if err := json.Unmarshal(row.Plan, &p); err != nil {
					return err
				}
				if err := q.StartThumbnail(ctx, dbgen.StartThumbnailParams{JobID: job.ID, Position: p.Position}); err != nil {
					return err
				}
			}
			return q.NotifyJobChanged(ctx, job.ID)
		})
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if lifecycle.Status(job.Status).Terminal() {
			continue
		}
		return e.taskProto(ctx, row, job)
	}
}

func (e *Engine) taskProto(ctx context.Context, row dbgen.JobTask, job dbgen.JobJob) (*internalv1.Task, error) {
	t := &internalv1.Task{
		Id: row.ID, JobId: row.JobID, Attempt: row.Attempt, LeaseToken: row.LeaseToken,
		LeaseExpiresAt: tsProto(row.LeaseExpiresAt), Traceparent: job.Traceparent,
	}
	input, err := e.Storage.InputURL(ctx, job)
	if err != nil {
		// The input became unreachable (origin archived or deleted): the
		// task cannot run anywhere.
		_ = e.Fail(ctx, row.ID, row.LeaseToken, "input_unavailable", "cannot access the input: "+err.Error(), false)
		return nil, nil
	}
	switch row.Kind {
	case KindProbe:
		t.Kind = internalv1.TaskKind_TASK_KIND_PROBE
		t.Payload = &internalv1.Task_Probe{Probe: &internalv1.ProbeTask{InputUrl: input}}
	case KindEncode:
		var p EncodePlan
		if err := json.Unmarshal(row.Plan, &p); err != nil {
			return nil, err
		}
		enc := &internalv1.EncodeTask{InputUrl: input}
		var meta struct {
			Duration float64 `json:"duration_seconds"`
		}
		if job.InputMetadata != nil {
			_ = json.Unmarshal(job.InputMetadata, &meta)
			enc.SourceDurationSeconds = meta.Duration
		}
		for _, tp := range p.Targets {
			target := &internalv1.EncodeTarget{OutputId: tp.OutputID, Format: tp.Format, Faststart: tp.FastStart, ContentType: tp.ContentType}
			if len(tp.Gif) > 0 {
				target.Gif = &internalv1.GifEncoding{}
				if err := protojson.Unmarshal(tp.Gif, target.Gif); err != nil {
					return nil, err
				}
			} else {
				target.Video = &internalv1.VideoEncoding{}
				if err := protojson.Unmarshal(tp.Video, target.Video); err != nil {
					return nil, err
				}
			}
			if len(tp.Audio) > 0 {
				target.Audio = &internalv1.AudioEncoding{}
				if err := protojson.Unmarshal(tp.Audio, target.Audio); err != nil {
					return nil, err
				}
			}
			if target.UploadUrl, err = e.Storage.UploadURL(ctx, job, tp.Key); err != nil {
				_ = e.Fail(ctx, row.ID, row.LeaseToken, "output_unavailable", "cannot access the output origin: "+err.Error(), false)
				return nil, nil
			}
			enc.Targets = append(enc.Targets, target)
		}
		t.Kind = internalv1.TaskKind_TASK_KIND_ENCODE
		t.Payload = &internalv1.Task_Encode{Encode: enc}
	case KindSegment:
		st, err := e.segmentTask(ctx, row, input)
		if err != nil {
			return nil, err
		}
		t.Kind = internalv1.TaskKind_TASK_KIND_SEGMENT
		t.Payload = &internalv1.Task_Segment{Segment: st}
	case KindAudio:
		at, err := e.audioTask(ctx, row, input)
		if err != nil {
			return nil, err
		}
		t.Kind = internalv1.TaskKind_TASK_KIND_AUDIO
		t.Payload = &internalv1.Task_Audio{Audio: at}
	case KindPackage:
		pt, ok, err := e.packageTask(ctx, row, job)
		if err != nil || !ok {
			return nil, err
		}
		t.Kind = internalv1.TaskKind_TASK_KIND_PACKAGE
		t.Payload = &internalv1.Task_Package{Package: pt}
	case KindThumbnail:
		th, ok, err := e.thumbnailTask(ctx, row, job, input)
		if err != nil || !ok {
			return nil, err
		}
		t.Kind = internalv1.TaskKind_TASK_KIND_THUMBNAIL
		t.Payload = &internalv1.Task_Thumbnail{Thumbnail: th}
	default:
		return nil, fmt.Errorf("task %s: unknown kind %q", row.ID, row.Kind)
	}
	return t, nil
}

// reap fails tasks whose last allowed lease expired: their worker died
// every time, so the job cannot finish.
func (e *Engine) reap(ctx context.Context) {
	var rows []dbgen.JobTask
	err := e.Store.InTx(ctx, func(q *dbgen.Queries) error {
		var err error
		rows, err = q.ExpiredExhaustedTasks(ctx)
		return err
	})
	if err != nil {
		e.Logger.WarnContext(ctx, "reaping expired tasks", "error", err)
		return
	}
	for _, r := range rows {
		if err := e.taskFailed(ctx, r, r.ErrorCode, r.ErrorMessage); err != nil {
			e.Logger.WarnContext(ctx, "failing job of lost task", "task", r.ID, "error", err)
		}
	}
}

// Heartbeat extends a lease and records progress. cancel tells the worker
// to stop: the job ended or the lease was lost to another worker.
func (e *Engine) Heartbeat(ctx context.Context, taskID, token string, progress int32) (cancel bool, expires time.Time, err error) {
	err = e.Store.InTx(ctx, func(q *dbgen.Queries) error {
		row, err := q.ExtendLease(ctx, dbgen.ExtendLeaseParams{ID: taskID, LeaseToken: token, LeaseSeconds: e.LeaseDuration.Seconds(), Progress: min(max(progress, 0), 100)})
		if errors.Is(store.Translate(err), store.ErrNotFound) {
			cancel = true
			return nil
		}
		if err != nil {
			return err
		}
		expires = row.LeaseExpiresAt.Time
		if !countsForProgress(row.Kind) {
			job, err := q.GetJobByID(ctx, row.JobID)
			cancel = err == nil && lifecycle.Status(job.Status).Terminal()
			return err
		}
		// Progress may cross a milestone (a job.progress event), so the
		// job is locked like every other change that can emit events.
		job, err := q.LockJob(ctx, row.JobID)
		if err != nil {
			return err
		}
		if lifecycle.Status(job.Status).Terminal() {
			cancel = true
			return nil
		}
		return e.tracked(ctx, q, job, func() error { return e.updateProgress(ctx, q, job.ID) })
	})
	return cancel, expires, err
}

// updateProgress recomputes the job's figure from its tasks, each weighted
// by its share of the work.
func (e *Engine) updateProgress(ctx context.Context, q *dbgen.Queries, jobID string) error {
	tasks, err := q.ListTaskProgress(ctx, jobID)
	if err != nil {
		return err
	}
	var sum, n float64
	for _, t := range tasks {
		if !countsForProgress(t.Kind) {
			continue
		}
		w := t.Weight
		if w <= 0 {
			w = 1 // plans without a weight (GIFs, thumbnails) count once
		}
		n += w
		if t.Status == "done" {
			sum += 100 * w
		} else {
			sum += float64(t.Progress) * w
		}
	}
	if n == 0 {
		return nil
	}
	p := lifecycle.Progress(lifecycle.Processing, sum/n/100)
	changed, err := q.SetJobProgress(ctx, dbgen.SetJobProgressParams{ID: jobID, Progress: int32(p)})
	if err != nil || changed == 0 {
		return err
	}
	return q.NotifyJobChanged(ctx, jobID)
}

// leased loads a task under lock and checks the lease token.
func leased(ctx context.Context, q *dbgen.Queries, taskID, token string) (dbgen.JobTask, error) {
	row, err := q.LockTask(ctx, taskID)
	if err != nil {
		return row, err
	}
	if row.LeaseToken != token {
		return row, rpcerr.FailedPrecondition("the lease of task " + taskID + " is no longer held")
	}
	return row, nil
}

// Fail records a failed attempt: retryable failures go back to the queue
// with a backoff until the attempt cap; others end the task's outputs.
func (e *Engine) Fail(ctx context.Context, taskID, token, code, message string, retryable bool) error {
	var final *dbgen.JobTask
	err := e.Store.InTx(ctx, func(q *dbgen.Queries) error {
		row, err := leased(ctx, q, taskID, token)
		if err != nil {
			return err
		}
		if row.Status != "leased" {
			return nil // already settled: failures are idempotent
		}
		if retryable && row.Attempt < row.MaxAttempts {
			// 2 s, 8 s, 18 s, ...: quick enough for a flaky network,
			// slow enough not to hammer a broken store.
			delay := 2 * math.Pow(float64(row.Attempt), 2)
			return q.RequeueTask(ctx, dbgen.RequeueTaskParams{ID: row.ID, DelaySeconds: delay, ErrorCode: code, ErrorMessage: message})
		}
		if err := q.FinishTask(ctx, dbgen.FinishTaskParams{ID: row.ID, Status: "failed", ErrorCode: code, ErrorMessage: message}); err != nil {
			return err
		}
		final = &row
		return nil
	})
	if err != nil || final == nil {
		return err
	}
	if retryable {
		message = fmt.Sprintf("%s (after %d attempts)", message, final.Attempt)
	}
	return e.taskFailed(ctx, *final, code, message)
}

// taskFailed applies a task's final failure to its job.
func (e *Engine) taskFailed(ctx context.Context, row dbgen.JobTask, code, message string) error {
	return e.Store.InTx(ctx, func(q *dbgen.Queries) error {
		job, err := q.LockJob(ctx, row.JobID)
		if err != nil {
			return err
		}
		if lifecycle.Status(job.Status).Terminal() {
			return nil
		}
		return e.tracked(ctx, q, job, func() error {
			if row.Kind == KindProbe {
				if err := q.CancelTasks(ctx, job.ID); err != nil {
					return err
				}
				if err := q.FailOpenOutputs(ctx, dbgen.FailOpenOutputsParams{JobID: job.ID, ErrorCode: code, ErrorMessage: message}); err != nil {
					return err
				}
				if err := q.FailOpenThumbnails(ctx, dbgen.FailOpenThumbnailsParams{JobID: job.ID, ErrorCode: code, ErrorMessage: message}); err != nil {
					return err
				}
				return e.finish(ctx, q, job, lifecycle.Failed, code, message)
			}
			if row.Kind == KindThumbnail {
				var p ThumbnailPlan
				if err := json.Unmarshal(row.Plan, &p); err != nil {
					return err
				}
				if err := q.FailThumbnail(ctx, dbgen.FailThumbnailParams{JobID: job.ID, Position: p.Position, ErrorCode: code, ErrorMessage: message}); err != nil {
					return err
				}
				return e.settle(ctx, q, job, code, message)
			}
			if row.Kind != KindEncode {
				if err := e.pipelineFailed(ctx, q, row, code, message); err != nil {
					return err
				}
				return e.settle(ctx, q, job, code, message)
			}
			var p EncodePlan
			if err := json.Unmarshal(row.Plan, &p); err != nil {
				return err
			}
			for _, t := range p.Targets {
				if err := q.FailOutput(ctx, dbgen.FailOutputParams{ID: t.OutputID, ErrorCode: code, ErrorMessage: message}); err != nil {
					return err
				}
			}
			return e.settle(ctx, q, job, code, message)
		})
	})
}

// settle ends the job once every output and every thumbnail set has ended:
// all completed makes it completed, some failed partial, none completed
// failed.
func (e *Engine) settle(ctx context.Context, q *dbgen.Queries, job dbgen.JobJob, code, message string) error {
	outs, err := q.ListOutputs(ctx, job.ID)
	if err != nil {
		return err
	}
	thumbs, err := q.ListThumbnails(ctx, job.ID)
	if err != nil {
		return err
	}
	statuses := make([]string, 0, len(outs)+len(thumbs))
	for _, o := range outs {
		statuses = append(statuses, o.Status)
	}
	for _, t := range thumbs {
		statuses = append(statuses, t.Status)
	}
	var completed, failed int
	for _, status := range statuses {
		switch status {
		case "completed":
			completed++
		case "failed", "canceled":
			failed++
		default:
			if err := e.updateProgress(ctx, q, job.ID); err != nil {
				return err
			}
			return q.NotifyJobChanged(ctx, job.ID)
		}
	}
	outcome := lifecycle.Outcome(completed, failed)
	if outcome == lifecycle.Completed {
		code, message = "", ""
	} else if code == "" {
		code, message = "output_failed", "one or more outputs or thumbnail sets failed"
	}
	return e.finish(ctx, q, job, outcome, code, message)
}

// finish moves a job to a terminal status.
func (e *Engine) finish(ctx context.Context, q *dbgen.Queries, job dbgen.JobJob, to lifecycle.Status, code, message string) error {
	if err := lifecycle.Transition(lifecycle.Status(job.Status), to); err != nil {
		return rpcerr.FailedPrecondition(err.Error())
	}
	progress := lifecycle.Progress(to, 1)
	if progress < 0 {
		progress = int(job.Progress)
	}
	var actual float64
	if to == lifecycle.Completed || to == lifecycle.Partial {
		outs, err := q.ListOutputs(ctx, job.ID)
		if err != nil {
			return err
		}
		for _, o := range outs {
			actual += o.ActualCost
		}
	}
	if err := q.SetJobStatus(ctx, dbgen.SetJobStatusParams{ID: job.ID, Status: string(to), Progress: int32(progress),
		ErrorCode: code, ErrorMessage: message, TotalActualCost: actual}); err != nil {
		return err
	}
	if to != lifecycle.Completed && to != lifecycle.Partial {
		// Nothing will run for this job any more.
		if err := q.CancelTasks(ctx, job.ID); err != nil {
			return err
		}
	}
	if e.Finished != nil {
		select {
		case e.Finished <- struct{}{}:
		default:
		}
	}
	return q.NotifyJobChanged(ctx, job.ID)
}

func tsProto(t pgtype.Timestamptz) *timestamppb.Timestamp {
	if !t.Valid {
		return nil
	}
	return timestamppb.New(t.Time)
}
