package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/pathtemplate"
	"github.com/transcodely/transcodely/pkg/wirejson"
	"github.com/transcodely/transcodely/services/internal/pricing"
	"github.com/transcodely/transcodely/services/job/internal/lifecycle"
	"github.com/transcodely/transcodely/services/job/internal/plan"
	"github.com/transcodely/transcodely/services/job/internal/store/dbgen"
)

// container describes how an output type is written.
type container struct {
	format, ext, contentType string
	faststart                bool
	audioCodec               string
	codecs                   []string
}

// Codecs are the video codecs a container carries.
func (c container) Codecs() []string { return c.codecs }

// Containers are the progressive output types this version produces.
var Containers = map[string]container{
	"mp4":  {"mp4", "mp4", "video/mp4", true, "aac", []string{"h264", "h265", "vp9", "av1"}},
	"mov":  {"mov", "mov", "video/quicktime", true, "aac", []string{"h264", "h265"}},
	"mkv":  {"matroska", "mkv", "video/x-matroska", false, "aac", []string{"h264", "h265", "vp9", "av1"}},
	"webm": {"webm", "webm", "video/webm", false, "opus", []string{"vp9", "av1"}},
}

var marshal = protojson.MarshalOptions{UseProtoNames: true}

// enumName is the wire string of an enum ("h264", "720p").
func enumName(e protoreflect.Enum) string {
	return wirejson.EnumString(e.Descriptor(), e.Number())
}

// VariantOf converts a requested video variant to planning terms.
func VariantOf(v *jobv1.VideoVariant) plan.Variant {
	out := plan.Variant{
		Codec:       enumName(v.GetCodec()),
		ShortSide:   plan.Resolutions[enumName(v.GetResolution())],
		Width:       int(v.GetWidth()),
		Height:      int(v.GetHeight()),
		FPS:         v.GetFramerate(),
		BitrateKbps: int(v.GetBitrate()),
	}
	if q := v.GetQuality(); q != 0 {
		out.Quality = enumName(q)
	}
	crf := func(c *int32) *int {
		if c == nil {
			return nil
		}
		n := int(*c)
		return &n
	}
	switch {
	case v.GetH264() != nil:
		o := v.GetH264()
		out.Profile, out.Preset, out.Tune, out.CRF = o.GetProfile(), o.GetPreset(), o.GetTune(), crf(o.Crf)
	case v.GetH265() != nil:
		o := v.GetH265()
		out.Profile, out.Preset, out.Tune, out.CRF = o.GetProfile(), o.GetPreset(), o.GetTune(), crf(o.Crf)
	case v.GetVp9() != nil:
		o := v.GetVp9()
		out.CRF = crf(o.Crf)
		if o.CpuUsed != nil {
			out.Preset = strconv.Itoa(int(o.GetCpuUsed()))
		}
	case v.GetAv1() != nil:
		o := v.GetAv1()
		out.CRF = crf(o.Crf)
		if o.Preset != nil {
			out.Preset = strconv.Itoa(int(o.GetPreset()))
		}
	}
	return out
}

// CompleteProbe records what probing found and plans the encodes.
func (e *Engine) CompleteProbe(ctx context.Context, taskID, token string, res *internalv1.ProbeResult, elapsed float64) error {
	_, job, settled, err := e.loadLeased(ctx, taskID, token)
	if err != nil || settled {
		return err
	}
	if res.GetWidth() <= 0 || res.GetHeight() <= 0 {
		return e.Fail(ctx, taskID, token, "invalid_input", "the input has no video stream", false)
	}
	origin, err := e.Storage.OutputOrigin(ctx, job)
	if err != nil {
		return e.Fail(ctx, taskID, token, "output_unavailable", "cannot use the output origin: "+err.Error(), false)
	}
	meta, err := marshal.Marshal(InputMetadataOf(res))
	if err != nil {
		return err
	}
	return e.Store.InTx(ctx, func(q *dbgen.Queries) error {
		row, job, ok, err := finishLeased(ctx, q, taskID, token, elapsed)
		if err != nil || !ok {
			return err
		}
		return e.tracked(ctx, q, job, func() error {
			next := lifecycle.Processing
			taskStatus := "queued"
			if job.DelayedStart {
				next, taskStatus = lifecycle.AwaitingConfirmation, "held"
			}
			outs, err := q.ListOutputs(ctx, job.ID)
			if err != nil {
				return err
			}
			src := plan.Source{Width: int(res.GetWidth()), Height: int(res.GetHeight()), FPS: res.GetFps(), Rotation: int(res.GetRotation()), Duration: res.GetDurationSeconds()}
			var estimate float64
			var videoOuts []outputSpec
			for _, o := range outs {
				var spec jobv1.OutputSpec
				if err := protojson.Unmarshal(o.Spec, &spec); err != nil {
					return err
				}
				if spec.GetType() != jobv1.OutputType_OUTPUT_TYPE_GIF {
					videoOuts = append(videoOuts, outputSpec{row: o, spec: &spec})
					continue
				}
				target, cost, err := e.planGIF(job, o, &spec, origin, src)
				if err != nil {
					if err := q.FailOutput(ctx, dbgen.FailOutputParams{ID: o.ID, ErrorCode: "invalid_output", ErrorMessage: err.Error()}); err != nil {
						return err
					}
					continue
				}
				estimate += cost
				// A GIF is as long as its clip, not the source.
				var g internalv1.GifEncoding
				if err := protojson.Unmarshal(target.Gif, &g); err != nil {
					return err
				}
				if err := q.SetOutputEstimate(ctx, dbgen.SetOutputEstimateParams{ID: o.ID, EstimatedCost: cost, EstimatedDurationSeconds: g.GetDurationSeconds()}); err != nil {
					return err
				}
				p, err := json.Marshal(EncodePlan{Targets: []TargetPlan{target}})
				if err != nil {
					return err
				}
				if err := q.InsertTask(ctx, dbgen.InsertTaskParams{
					ID: id.New(id.Task), JobID: job.ID, Kind: KindEncode, Status: taskStatus,
					Priority: priorityRank[job.Priority], Plan: p, MaxAttempts: e.MaxAttempts,
				}); err != nil {
					return err
				}
			}
			timeline := src
			if n := res.GetFrameCount(); n > 0 && src.FPS > 0 {
				// Segments count frames: the video's own frame count is
				// exact where the container's duration may include audio
				// that runs longer.
				timeline.Duration = float64(n) / src.FPS
			}
			cost, err := e.planPipeline(ctx, q, job, videoOuts, origin, timeline, res, taskStatus)
			if err != nil {
				return err
			}
			estimate += cost
			if err := e.planThumbnailTasks(ctx, q, job, origin, src, taskStatus); err != nil {
				return err
			}
			if err := q.UpdateJobProbed(ctx, dbgen.UpdateJobProbedParams{ID: job.ID, Status: string(next),
				Progress: int32(lifecycle.Progress(next, 0)), InputMetadata: meta, TotalEstimatedCost: estimate}); err != nil {
				return err
			}
			if err := q.MergeJobExecution(ctx, dbgen.MergeJobExecutionParams{ID: job.ID,
				Patch: fmt.Appendf(nil, `{"probe_seconds": %f, "queued_seconds": %f}`, elapsed, max(0, row.LeasedAt.Time.Sub(job.CreatedAt.Time).Seconds()))}); err != nil {
				return err
			}
			job.Status = string(next)
			return e.settle(ctx, q, job, "", "")
		})
	})
}

// DefaultGIFSeconds is a GIF's length when the request leaves it at 0.
const DefaultGIFSeconds = 3

// planGIF resolves a GIF output: the clip must start within the source and
// is cut short where the source ends.
func (e *Engine) planGIF(job dbgen.JobJob, o dbgen.JobOutput, spec *jobv1.OutputSpec, origin OriginInfo, src plan.Source) (TargetPlan, float64, error) {
	g := spec.GetGif()
	dur := g.GetDurationSeconds()
	if dur == 0 {
		dur = DefaultGIFSeconds
	}
	// Validation could not know the source's length; only now can a start
	// past the end be refused.
	if src.Duration > 0 && g.GetStartSeconds() >= src.Duration {
		return TargetPlan{}, 0, fmt.Errorf("gif.start_seconds %.3f is beyond the end of the input (%.3f s)", g.GetStartSeconds(), src.Duration)
	}
	if src.Duration > 0 {
		dur = min(dur, src.Duration-g.GetStartSeconds())
	}
	// Never upscale past the source; 0 keeps the source width.
	width := int(g.GetWidth())
	if width > 0 && src.Width > 0 {
		width = min(width, src.Width)
	}
	enc, err := marshal.Marshal(&internalv1.GifEncoding{StartSeconds: g.GetStartSeconds(), DurationSeconds: dur, Width: int32(width), Fps: g.GetFps()})
	if err != nil {
		return TargetPlan{}, 0, err
	}
	t := TargetPlan{OutputID: o.ID, Format: "gif", ContentType: "image/gif", Gif: enc}
	tmpl := firstNonEmpty(spec.GetPathTemplate(), job.OutputPathTemplate, origin.PathTemplate)
	t.Key = pathtemplate.ObjectKey("", pathtemplate.Render(tmpl, pathtemplate.TemplateVars{
		Date: job.CreatedAt.Time, JobID: job.ID, OutputID: o.ID, Codec: "gif", Resolution: "gif",
	}), "gif")
	return t, pricing.GIF(job.Priority, dur), nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// outputFile is one entry of an output's files list.
type outputFile struct {
	URL       string `json:"url"`
	SizeBytes int64  `json:"size_bytes"`
	Role      string `json:"role"`
}

// CompleteEncode records the files an encode wrote and settles the job
// when every output has ended.
func (e *Engine) CompleteEncode(ctx context.Context, taskID, token string, res *internalv1.EncodeResult, elapsed float64) error {
	p, origin, settled, err := loadForResult[EncodePlan](ctx, e, taskID, token)
	if err != nil || settled {
		return err
	}
	keys := map[string]TargetPlan{}
	for _, t := range p.Targets {
		keys[t.OutputID] = t
	}
	return e.Store.InTx(ctx, func(q *dbgen.Queries) error {
		_, job, ok, err := finishLeased(ctx, q, taskID, token, elapsed)
		if err != nil || !ok {
			return err
		}
		return e.tracked(ctx, q, job, func() error {
			for _, r := range res.GetTargets() {
				t, ok := keys[r.GetOutputId()]
				if !ok {
					return fmt.Errorf("task %s reported unknown output %s", taskID, r.GetOutputId())
				}
				role := "video"
				var actual float64
				if len(t.Gif) > 0 {
					role = "gif"
					actual = pricing.GIF(job.Priority, r.GetDurationSeconds())
				} else {
					var video internalv1.VideoEncoding
					if err := protojson.Unmarshal(t.Video, &video); err != nil {
						return err
					}
					actual = pricing.Price(pricing.Rendition{Codec: video.GetCodec(), Width: int(video.GetWidth()), Height: int(video.GetHeight())}, job.Priority, r.GetDurationSeconds())
				}
				if job.Environment == "test" {
					actual = 0 // test keys never cost anything
				}
				url := origin.ObjectURL(t.Key)
				files, err := json.Marshal([]outputFile{{URL: url, SizeBytes: r.GetSizeBytes(), Role: role}})
				if err != nil {
					return err
				}
				if err := q.CompleteOutput(ctx, dbgen.CompleteOutputParams{ID: t.OutputID, OutputUrl: url, OutputSizeBytes: r.GetSizeBytes(),
					DurationSeconds: r.GetDurationSeconds(), Checksum: r.GetChecksum(), ActualCost: actual, Files: files}); err != nil {
					return err
				}
			}
			tasks, err := q.ListJobTasks(ctx, job.ID)
			if err != nil {
				return err
			}
			if err := e.recordEncode(ctx, q, job.ID, tasks); err != nil {
				return err
			}
			return e.settle(ctx, q, job, "", "")
		})
	})
}

// settled makes a repeated Complete idempotent: a task already done answers
// success; a lease lost to another worker is a precondition failure.
func (e *Engine) settled(ctx context.Context, taskID, token string, err error) error {
	row, gerr := e.Store.GetTask(ctx, taskID)
	if gerr != nil {
		return err
	}
	if row.LeaseToken == token && (row.Status == "done" || row.Status == "canceled") {
		return nil
	}
	return fmt.Errorf("task %s is %s under another lease: %w", taskID, row.Status, errLeaseLost)
}

// InputMetadataOf converts a probe result to the public form.
func InputMetadataOf(r *internalv1.ProbeResult) *jobv1.InputMetadata {
	m := &jobv1.InputMetadata{
		DurationSeconds: r.GetDurationSeconds(), Container: r.GetContainer(), SizeBytes: r.GetSizeBytes(), BitrateKbps: r.GetBitrateKbps(),
		Video: &jobv1.VideoStreamInfo{
			Codec: r.GetVideoCodec(), Width: r.GetWidth(), Height: r.GetHeight(), Fps: r.GetFps(), BitDepth: r.GetBitDepth(),
			Rotation: r.GetRotation(), PixFmt: r.GetPixFmt(), FrameCount: r.GetFrameCount(), Profile: r.GetVideoProfile(),
		},
		AudioTracks:    []*jobv1.AudioStreamInfo{},
		SubtitleTracks: []*jobv1.SubtitleStreamInfo{},
	}
	switch r.GetHdr() {
	case "hdr10":
		m.Video.Hdr = jobv1.HdrFormat_HDR_FORMAT_HDR10
	case "hlg":
		m.Video.Hdr = jobv1.HdrFormat_HDR_FORMAT_HLG
	}
	for _, a := range r.GetAudio() {
		m.AudioTracks = append(m.AudioTracks, &jobv1.AudioStreamInfo{Index: a.GetIndex(), Codec: a.GetCodec(), Channels: a.GetChannels(),
			SampleRate: a.GetSampleRate(), Language: a.GetLanguage(), BitrateKbps: a.GetBitrateKbps()})
	}
	for _, s := range r.GetSubtitles() {
		m.SubtitleTracks = append(m.SubtitleTracks, &jobv1.SubtitleStreamInfo{Index: s.GetIndex(), Codec: s.GetCodec(), Language: s.GetLanguage()})
	}
	return m
}

// recordEncode updates the execution figures from the job's tasks (as
// listed in the same transaction) that encode:
// the wall time from the first lease to the last completion, and how many
// distinct encoders worked on it.
func (e *Engine) recordEncode(ctx context.Context, q *dbgen.Queries, jobID string, tasks []dbgen.JobTask) error {
	encodes := func(t dbgen.JobTask) bool {
		return (t.Kind == KindEncode || t.Kind == KindSegment || t.Kind == KindAudio) && t.Status == "done"
	}
	first, last := spanOf(tasks, encodes)
	workers := map[string]bool{}
	for _, t := range tasks {
		if encodes(t) {
			// Lease holders are "<encoder>/<loop>": count encoders, not
			// the loops inside one.
			w := t.LeasedBy
			if i := strings.LastIndex(w, "/"); i > 0 {
				w = w[:i]
			}
			workers[w] = true
		}
	}
	return q.MergeJobExecution(ctx, dbgen.MergeJobExecutionParams{ID: jobID,
		Patch: fmt.Appendf(nil, `{"encode_seconds": %f, "encoder_count": %d}`, max(0, last.Sub(first).Seconds()), len(workers))})
}

// spanOf is the time from the first lease to the last update of the tasks
// that match.
func spanOf(tasks []dbgen.JobTask, match func(dbgen.JobTask) bool) (first, last time.Time) {
	for _, t := range tasks {
		if !match(t) || !t.LeasedAt.Valid {
			continue
		}
		if first.IsZero() || t.LeasedAt.Time.Before(first) {
			first = t.LeasedAt.Time
		}
		if t.UpdatedAt.Time.After(last) {
			last = t.UpdatedAt.Time
		}
	}
	return first, last
}

// loadForResult is what every Complete of an output-writing task starts
// with: the plan of the task held under token and its job's output origin.
// settled is true when the same lease already settled the task.
func loadForResult[P any](ctx context.Context, e *Engine, taskID, token string) (p P, origin OriginInfo, settled bool, err error) {
	task, job, settled, err := e.loadLeased(ctx, taskID, token)
	if err != nil || settled {
		return p, origin, settled, err
	}
	if origin, err = e.Storage.OutputOrigin(ctx, job); err != nil {
		return p, origin, false, err
	}
	err = json.Unmarshal(task.Plan, &p)
	return p, origin, false, err
}

// finishLeased marks a task done under its lease and locks its job. ok is
// false when there is nothing more to do: the task was already settled
// (a repeated Complete) or its job has ended meanwhile.
func finishLeased(ctx context.Context, q *dbgen.Queries, taskID, token string, elapsed float64) (row dbgen.JobTask, job dbgen.JobJob, ok bool, err error) {
	row, err = leased(ctx, q, taskID, token)
	if err != nil || row.Status != "leased" {
		return row, job, false, err
	}
	if job, err = q.LockJob(ctx, row.JobID); err != nil {
		return row, job, false, err
	}
	if err := q.FinishTask(ctx, dbgen.FinishTaskParams{ID: row.ID, Status: "done", ElapsedSeconds: elapsed}); err != nil {
		return row, job, false, err
	}
	return row, job, !lifecycle.Status(job.Status).Terminal(), nil
}

// loadLeased loads a task held under token, and its job. settled is true
// when there is nothing to do: the same lease already settled the task (a
// repeated Complete). A lease lost to another worker is an error.
func (e *Engine) loadLeased(ctx context.Context, taskID, token string) (task dbgen.JobTask, job dbgen.JobJob, settled bool, err error) {
	task, err = e.Store.GetTaskForLease(ctx, dbgen.GetTaskForLeaseParams{ID: taskID, LeaseToken: token})
	if err != nil {
		if err := e.settled(ctx, taskID, token, err); err != nil {
			return task, job, false, err
		}
		return task, job, true, nil
	}
	job, err = e.Store.GetJobByID(ctx, task.JobID)
	return task, job, false, err
}
