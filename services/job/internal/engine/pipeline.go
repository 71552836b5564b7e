package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/pathtemplate"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/internal/pricing"
	"github.com/transcodely/transcodely/services/job/internal/plan"
	"github.com/transcodely/transcodely/services/job/internal/store/dbgen"
)

// The kinds of the segment-parallel pipeline. Segment tasks encode a slice
// of the timeline into every rendition from one decode; the audio task
// encodes the whole file's audio once; one package task per output joins
// the segments, muxes the audio and uploads the result. Package tasks wait
// ('waiting') until every segment and the audio are done.
const (
	KindSegment = "segment"
	KindAudio   = "audio"
	KindPackage = "package"
)

// SegmentPlan is a segment task's stored plan.
type SegmentPlan struct {
	Index      int     `json:"index"`
	StartFrame int     `json:"start_frame"`
	Frames     int     `json:"frames"`
	FPS        float64 `json:"source_fps"`
	// StartOffset is where the first video frame is, in seconds from the
	// source's earliest timestamp.
	StartOffset float64 `json:"start_offset_seconds,omitempty"`
	// Keyframes are forced keyframe times relative to the segment start.
	Keyframes  []float64              `json:"keyframe_seconds,omitempty"`
	Renditions []SegmentRenditionPlan `json:"renditions"`
	// Outputs are the ids of the outputs this segment feeds.
	Outputs []string `json:"outputs"`
	// Weight is the task's share of the job's work, for progress.
	Weight float64 `json:"weight"`
}

// SegmentRenditionPlan is one rendition of a segment and its scratch key.
type SegmentRenditionPlan struct {
	ID     int             `json:"id"`
	Video  json.RawMessage `json:"video"`
	Format string          `json:"format"`
	Key    string          `json:"key"`
}

// AudioPlan is the audio task's stored plan.
type AudioPlan struct {
	Targets     []AudioTargetPlan `json:"targets"`
	Outputs     []string          `json:"outputs"`
	Duration    float64           `json:"duration_seconds"`
	StartOffset float64           `json:"start_offset_seconds,omitempty"`
	Weight      float64           `json:"weight"`
}

// AudioTargetPlan is one audio encoding and its scratch key.
type AudioTargetPlan struct {
	Audio  json.RawMessage `json:"audio"`
	Format string          `json:"format"`
	Key    string          `json:"key"`
}

// PackagePlan is a package task's stored plan.
type PackagePlan struct {
	OutputID         string                 `json:"output_id"`
	Type             plan.OutputType        `json:"type"`
	Format           string                 `json:"format,omitempty"`
	ContentType      string                 `json:"content_type,omitempty"`
	FastStart        bool                   `json:"faststart,omitempty"`
	SegmentSeconds   float64                `json:"segment_seconds,omitempty"`
	HLSSegmentType   string                 `json:"hls_segment_type,omitempty"`
	MinBufferSeconds float64                `json:"dash_min_buffer_seconds,omitempty"`
	Renditions       []PackageRenditionPlan `json:"renditions"`
	Audio            *PackageAudioPlan      `json:"audio,omitempty"`
	// Key is a progressive output's object key; Folder a streaming
	// output's folder (keys are Folder + "/" + name).
	Key      string  `json:"key,omitempty"`
	Folder   string  `json:"folder,omitempty"`
	Duration float64 `json:"duration_seconds"`
	Weight   float64 `json:"weight"`
}

// PackageRenditionPlan is one rendition of an output with its segments'
// scratch keys in timeline order.
type PackageRenditionPlan struct {
	ID     int      `json:"id"`
	Codec  string   `json:"codec"`
	Width  int      `json:"width"`
	Height int      `json:"height"`
	Keys   []string `json:"keys"`
}

// PackageAudioPlan is the scratch key of the output's audio.
type PackageAudioPlan struct {
	Key         string `json:"key"`
	Codec       string `json:"codec"`
	BitrateKbps int    `json:"bitrate_kbps"`
}

// outputTypes maps the public streaming types to the planner's.
var outputTypes = map[string]plan.OutputType{"hls": plan.OutputHLS, "dash": plan.OutputDASH, "adaptive": plan.OutputAdaptive}

// plannedOutput is one output resolved for the pipeline.
type plannedOutput struct {
	row   dbgen.JobOutput
	want  plan.OutputWant
	pkg   PackagePlan
	audio *internalv1.AudioEncoding
	cost  float64
}

// resolveOutput checks one video output against the source and works out
// what it needs: its variants, container, audio and object key.
func (e *Engine) resolveOutput(job dbgen.JobJob, o dbgen.JobOutput, spec *jobv1.OutputSpec, origin OriginInfo, src plan.Source, srcAudio *internalv1.ProbeAudio) (plannedOutput, error) {
	typ := enumName(spec.GetType())
	p := plannedOutput{row: o, want: plan.OutputWant{ID: o.ID}}
	var first plan.Encoding // the first variant's, which names the output
	for j, vv := range spec.GetVideo() {
		v := VariantOf(vv)
		enc, err := plan.Resolve(v, src)
		if err != nil {
			return p, fmt.Errorf("video[%d]: %w", j, err)
		}
		if j == 0 {
			first = enc
		}
		p.want.Variants = append(p.want.Variants, v)
		p.cost += pricing.Price(pricing.Rendition{Codec: enc.Codec, Width: enc.Width, Height: enc.Height, Quality: v.Quality}, job.Priority, src.Duration)
	}
	if len(p.want.Variants) == 0 {
		return p, fmt.Errorf("no video variants")
	}
	tmpl := firstNonEmpty(spec.GetPathTemplate(), job.OutputPathTemplate, origin.PathTemplate)
	resolution := enumName(spec.GetVideo()[0].GetResolution())
	if spec.GetVideo()[0].GetResolution() == 0 {
		resolution = strconv.Itoa(min(first.Width, first.Height)) + "p"
	}
	rendered := pathtemplate.Render(tmpl, pathtemplate.TemplateVars{
		Date: job.CreatedAt.Time, JobID: job.ID, OutputID: o.ID, Codec: first.Codec, Resolution: resolution,
	})
	p.pkg = PackagePlan{OutputID: o.ID, Duration: src.Duration}
	audioCodec := "aac"
	if c, ok := Containers[typ]; ok {
		if len(spec.GetVideo()) != 1 {
			return p, fmt.Errorf("%s outputs take exactly one video variant", typ)
		}
		p.want.Type = plan.OutputProgressive
		p.pkg.Format, p.pkg.ContentType, p.pkg.FastStart = c.format, c.contentType, c.faststart
		p.pkg.Key = pathtemplate.ObjectKey("", rendered, c.ext)
		audioCodec = c.audioCodec
	} else if t, ok := outputTypes[typ]; ok {
		p.want.Type = t
		p.want.SegmentSeconds = spec.GetSegments().GetDurationSeconds()
		p.pkg.SegmentSeconds = p.want.SegmentSeconds
		if p.pkg.SegmentSeconds == 0 {
			p.pkg.SegmentSeconds = plan.DefaultSegmentSeconds
		}
		p.pkg.Folder = pathtemplate.ObjectKey("", rendered, "")
		p.pkg.HLSSegmentType = "fmp4"
		p.pkg.MinBufferSeconds = spec.GetDash().GetMinBufferSeconds()
		if spec.GetHls().GetSegmentFormat() == commonv1.SegmentFormat_SEGMENT_FORMAT_TS {
			p.pkg.HLSSegmentType = "mpegts"
		}
		if len(spec.GetAudio()) > 0 && spec.GetAudio()[0].GetCodec() != 0 {
			audioCodec = enumName(spec.GetAudio()[0].GetCodec())
		}
	} else {
		return p, fmt.Errorf("output type %s is not supported", typ)
	}
	p.pkg.Type = p.want.Type
	if srcAudio != nil {
		p.want.Audio = true
		a := &internalv1.AudioEncoding{Codec: audioCodec, BitrateKbps: 128, Channels: min(2, max(1, srcAudio.GetChannels())), SampleRate: 48000}
		if len(spec.GetAudio()) > 0 {
			t := spec.GetAudio()[0]
			if t.GetBitrateKbps() > 0 {
				a.BitrateKbps = t.GetBitrateKbps()
			}
			if t.GetChannels() > 0 {
				a.Channels = t.GetChannels()
			}
			if t.GetSampleRate() > 0 {
				a.SampleRate = t.GetSampleRate()
			}
		}
		if a.Codec == "opus" && a.SampleRate != 48000 {
			// Opus always runs at 48 kHz inside; other rates are resampled
			// by the encoder anyway.
			a.SampleRate = 48000
		}
		p.audio = a
	}
	return p, nil
}

// unseekable are demuxers (ffprobe format names) without a seek index:
// MPEG transport and program streams, raw elementary streams, FLV.
var unseekable = []string{"mpegts", "mpeg", "mpegvideo", "h264", "hevc", "flv", "m4v", "av1", "ivf"}

// seekable reports whether segments can be cut from a source of this
// container (ffprobe's comma-separated format_name).
func seekable(container string) bool {
	for _, name := range strings.Split(container, ",") {
		if slices.Contains(unseekable, strings.TrimSpace(name)) {
			return false
		}
	}
	return true
}

// intermediate is the container a rendition's segments are written in:
// WebM for VP9 (MP4's VP9 support is newer in players and tools), MP4
// otherwise.
func intermediate(codec string) (format, ext string) {
	if codec == "vp9" {
		return "webm", "webm"
	}
	return "mp4", "mp4"
}

// audioFormat is the scratch container of an audio encoding.
func audioFormat(codec string) (format, ext string) {
	if codec == "opus" {
		return "webm", "webm"
	}
	return "mp4", "m4a"
}

// planPipeline plans the segment, audio and package tasks of a job's video
// outputs and returns their estimated cost. Outputs that cannot be made
// from this source fail on their own; the rest proceed.
func (e *Engine) planPipeline(ctx context.Context, q *dbgen.Queries, job dbgen.JobJob, outs []outputSpec, origin OriginInfo, src plan.Source, probe *internalv1.ProbeResult, taskStatus string) (float64, error) {
	var srcAudio *internalv1.ProbeAudio
	if a := probe.GetAudio(); len(a) > 0 {
		srcAudio = a[0]
	}
	offset := probe.GetVideoStartOffsetSeconds()
	var planned []plannedOutput
	var estimate float64
	for _, o := range outs {
		p, err := e.resolveOutput(job, o.row, o.spec, origin, src, srcAudio)
		if err != nil {
			if err := q.FailOutput(ctx, dbgen.FailOutputParams{ID: o.row.ID, ErrorCode: "invalid_output", ErrorMessage: err.Error()}); err != nil {
				return 0, err
			}
			continue
		}
		if err := q.SetOutputEstimate(ctx, dbgen.SetOutputEstimateParams{ID: o.row.ID, EstimatedCost: p.cost, EstimatedDurationSeconds: src.Duration}); err != nil {
			return 0, err
		}
		estimate += p.cost
		planned = append(planned, p)
	}
	if len(planned) == 0 {
		return estimate, nil
	}
	wants := make([]plan.OutputWant, len(planned))
	for i, p := range planned {
		wants[i] = p.want
	}
	opts := plan.PlanOptions{TargetTaskSeconds: e.TaskSeconds}
	if !seekable(probe.GetContainer()) {
		// Without a seek index ffmpeg cannot start decoding at an
		// arbitrary frame, so the whole timeline is one segment task.
		opts.TargetTaskSeconds = 2*src.Duration + 60
	}
	tp, err := plan.PlanTasks(wants, src, opts)
	if err != nil {
		for _, p := range planned {
			if err := q.FailOutput(ctx, dbgen.FailOutputParams{ID: p.row.ID, ErrorCode: "invalid_output", ErrorMessage: err.Error()}); err != nil {
				return 0, err
			}
		}
		return estimate, nil
	}

	// The renditions' encoder settings, as the encoder receives them.
	videos := make([]json.RawMessage, len(tp.Renditions))
	for i, r := range tp.Renditions {
		fps := r.FPS
		if math.Abs(fps-src.FPS) < 1e-3 {
			// The source rate: no fps filter, so a segment's frames are
			// exactly the source's.
			fps = 0
		}
		v, err := marshal.Marshal(&internalv1.VideoEncoding{
			Codec: r.Codec, Width: int32(r.Width), Height: int32(r.Height), Fps: fps, Crf: int32(r.CRF),
			BitrateKbps: int32(r.BitrateKbps), MaxBitrateKbps: int32(r.MaxBitrateKbps), Preset: r.Preset,
			Profile: r.Profile, Tune: r.Tune, GopFrames: int32(r.GOPFrames),
		})
		if err != nil {
			return 0, err
		}
		videos[i] = v
	}
	segKey := func(rendition, index int) string {
		_, ext := intermediate(tp.Renditions[rendition].Codec)
		return fmt.Sprintf("%s/r%d/%05d.%s", job.ID, rendition, index, ext)
	}
	outputIDs := make([]string, len(planned))
	for i, p := range planned {
		outputIDs[i] = p.row.ID
	}
	total := 0
	for _, s := range tp.Segments {
		total += s.Frames
	}
	// Work weights for progress: encoding dominates, in proportion to the
	// frames and renditions of each segment; audio and packaging are
	// cheap stream work.
	encodeWeight := float64(total * len(tp.Renditions))
	for _, t := range tp.Encode {
		sp := SegmentPlan{Index: t.Segment.Index, StartFrame: t.Segment.StartFrame, Frames: t.Segment.Frames, FPS: src.FPS, StartOffset: offset,
			Keyframes: t.KeyframeSeconds, Outputs: outputIDs, Weight: float64(t.Segment.Frames * len(t.Renditions))}
		for _, r := range t.Renditions {
			format, _ := intermediate(tp.Renditions[r].Codec)
			sp.Renditions = append(sp.Renditions, SegmentRenditionPlan{ID: r, Video: videos[r], Format: format, Key: segKey(r, t.Segment.Index)})
		}
		if err := e.insertTask(ctx, q, job, KindSegment, taskStatus, sp); err != nil {
			return 0, err
		}
	}

	// Audio: one encoding per distinct setting, for the whole file.
	var audioTargets []AudioTargetPlan
	var audioOutputs []string
	audioKeys := map[string]string{}
	for i := range planned {
		a := planned[i].audio
		if a == nil {
			continue
		}
		raw, err := marshal.Marshal(a)
		if err != nil {
			return 0, err
		}
		key, ok := audioKeys[string(raw)]
		if !ok {
			format, ext := audioFormat(a.GetCodec())
			key = fmt.Sprintf("%s/audio-%d.%s", job.ID, len(audioTargets), ext)
			audioKeys[string(raw)] = key
			audioTargets = append(audioTargets, AudioTargetPlan{Audio: raw, Format: format, Key: key})
		}
		audioOutputs = append(audioOutputs, planned[i].row.ID)
		planned[i].pkg.Audio = &PackageAudioPlan{Key: key, Codec: a.GetCodec(), BitrateKbps: int(a.GetBitrateKbps())}
	}
	if len(audioTargets) > 0 {
		ap := AudioPlan{Targets: audioTargets, Outputs: audioOutputs, Duration: src.Duration, StartOffset: offset, Weight: encodeWeight * 0.03}
		if err := e.insertTask(ctx, q, job, KindAudio, taskStatus, ap); err != nil {
			return 0, err
		}
	}

	for i, pt := range tp.Package {
		pp := planned[i].pkg
		pp.Weight = encodeWeight * 0.1 / float64(len(tp.Package))
		for _, r := range pt.Renditions {
			rend := tp.Renditions[r]
			pr := PackageRenditionPlan{ID: r, Codec: rend.Codec, Width: rend.Width, Height: rend.Height}
			for _, s := range tp.Segments {
				pr.Keys = append(pr.Keys, segKey(r, s.Index))
			}
			pp.Renditions = append(pp.Renditions, pr)
		}
		if err := e.insertTask(ctx, q, job, KindPackage, "waiting", pp); err != nil {
			return 0, err
		}
	}
	if err := q.MergeJobExecution(ctx, dbgen.MergeJobExecutionParams{ID: job.ID,
		Patch: fmt.Appendf(nil, `{"total_segments": %d, "completed_segments": 0}`, len(tp.Encode))}); err != nil {
		return 0, err
	}
	return estimate, q.MarkScratchPending(ctx, job.ID)
}

// outputSpec is an output row with its parsed spec.
type outputSpec struct {
	row  dbgen.JobOutput
	spec *jobv1.OutputSpec
}

func (e *Engine) insertTask(ctx context.Context, q *dbgen.Queries, job dbgen.JobJob, kind, status string, p any) error {
	raw, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return q.InsertTask(ctx, dbgen.InsertTaskParams{
		ID: id.New(id.Task), JobID: job.ID, Kind: kind, Status: status,
		Priority: priorityRank[job.Priority], Plan: raw, MaxAttempts: e.MaxAttempts,
	})
}

// segmentTask renders a leased segment task with its scratch URLs.
func (e *Engine) segmentTask(ctx context.Context, row dbgen.JobTask, input string) (*internalv1.SegmentTask, error) {
	var p SegmentPlan
	if err := json.Unmarshal(row.Plan, &p); err != nil {
		return nil, err
	}
	t := &internalv1.SegmentTask{InputUrl: input, Index: int32(p.Index), StartFrame: int32(p.StartFrame), Frames: int32(p.Frames),
		SourceFps: p.FPS, KeyframeSeconds: p.Keyframes, StartOffsetSeconds: p.StartOffset}
	for _, r := range p.Renditions {
		v := &internalv1.VideoEncoding{}
		if err := protojson.Unmarshal(r.Video, v); err != nil {
			return nil, err
		}
		u, err := e.Scratch.PutURL(ctx, r.Key, e.URLTTL)
		if err != nil {
			return nil, err
		}
		t.Renditions = append(t.Renditions, &internalv1.SegmentRendition{Rendition: int32(r.ID), Video: v, Format: r.Format, UploadUrl: u})
	}
	return t, nil
}

// audioTask renders a leased audio task with its scratch URLs.
func (e *Engine) audioTask(ctx context.Context, row dbgen.JobTask, input string) (*internalv1.AudioTask, error) {
	var p AudioPlan
	if err := json.Unmarshal(row.Plan, &p); err != nil {
		return nil, err
	}
	t := &internalv1.AudioTask{InputUrl: input, SourceDurationSeconds: p.Duration, StartOffsetSeconds: p.StartOffset}
	for _, a := range p.Targets {
		enc := &internalv1.AudioEncoding{}
		if err := protojson.Unmarshal(a.Audio, enc); err != nil {
			return nil, err
		}
		u, err := e.Scratch.PutURL(ctx, a.Key, e.URLTTL)
		if err != nil {
			return nil, err
		}
		t.Targets = append(t.Targets, &internalv1.AudioTarget{Audio: enc, Format: a.Format, UploadUrl: u})
	}
	return t, nil
}

// packageTask renders a leased package task: download URLs of the scratch
// files, and the upload URL of a progressive output.
func (e *Engine) packageTask(ctx context.Context, row dbgen.JobTask, job dbgen.JobJob) (*internalv1.PackageTask, bool, error) {
	var p PackagePlan
	if err := json.Unmarshal(row.Plan, &p); err != nil {
		return nil, false, err
	}
	t := &internalv1.PackageTask{OutputId: p.OutputID, Type: string(p.Type), Format: p.Format, Faststart: p.FastStart,
		ContentType: p.ContentType, SegmentSeconds: p.SegmentSeconds, HlsSegmentType: p.HLSSegmentType, SourceDurationSeconds: p.Duration,
		DashMinBufferSeconds: p.MinBufferSeconds}
	for _, r := range p.Renditions {
		pr := &internalv1.PackageRendition{Codec: r.Codec, Width: int32(r.Width), Height: int32(r.Height)}
		for _, k := range r.Keys {
			u, err := e.Scratch.GetURL(ctx, k, e.URLTTL)
			if err != nil {
				return nil, false, err
			}
			pr.SegmentUrls = append(pr.SegmentUrls, u)
		}
		t.Renditions = append(t.Renditions, pr)
	}
	if p.Audio != nil {
		u, err := e.Scratch.GetURL(ctx, p.Audio.Key, e.URLTTL)
		if err != nil {
			return nil, false, err
		}
		t.Audio = &internalv1.PackageAudio{Url: u, Codec: p.Audio.Codec, BitrateKbps: int32(p.Audio.BitrateKbps)}
	}
	if p.Type == plan.OutputProgressive {
		u, err := e.Storage.UploadURL(ctx, job, p.Key)
		if err != nil {
			_ = e.Fail(ctx, row.ID, row.LeaseToken, "output_unavailable", "cannot access the output origin: "+err.Error(), false)
			return nil, false, nil
		}
		t.UploadUrl = u
	}
	return t, true, nil
}

// MaxPresignNames caps one PresignUploads call.
const MaxPresignNames = 10000

// PresignUploads mints upload URLs for files a streaming package task
// wrote, under its output's folder.
func (e *Engine) PresignUploads(ctx context.Context, taskID, token string, names []string) ([]string, error) {
	task, job, settled, err := e.loadLeased(ctx, taskID, token)
	if err != nil {
		return nil, err
	}
	if settled || task.Kind != KindPackage {
		return nil, errLeaseLost
	}
	var p PackagePlan
	if err := json.Unmarshal(task.Plan, &p); err != nil {
		return nil, err
	}
	if p.Folder == "" {
		return nil, rpcerr.FailedPrecondition("task " + taskID + " writes one file, not a folder")
	}
	if len(names) == 0 || len(names) > MaxPresignNames {
		return nil, rpcerr.InvalidField("names", fmt.Sprintf("give 1 to %d names", MaxPresignNames))
	}
	keys := make([]string, len(names))
	for i, n := range names {
		if err := pathtemplate.CheckPath(n); n == "" || err != nil {
			return nil, rpcerr.InvalidField(fmt.Sprintf("names[%d]", i), fmt.Sprintf("%q is not a relative object name", n))
		}
		keys[i] = path.Join(p.Folder, n)
	}
	return e.Storage.UploadURLs(ctx, job, keys)
}

// CompleteSegment records an encoded segment and queues the package tasks
// once every segment and the audio are done.
func (e *Engine) CompleteSegment(ctx context.Context, taskID, token string, res *internalv1.SegmentResult, elapsed float64) error {
	return e.completeIntermediate(ctx, taskID, token, elapsed)
}

// CompleteAudio records the encoded audio.
func (e *Engine) CompleteAudio(ctx context.Context, taskID, token string, res *internalv1.AudioResult, elapsed float64) error {
	return e.completeIntermediate(ctx, taskID, token, elapsed)
}

func (e *Engine) completeIntermediate(ctx context.Context, taskID, token string, elapsed float64) error {
	_, _, settled, err := e.loadLeased(ctx, taskID, token)
	if err != nil || settled {
		return err
	}
	return e.Store.InTx(ctx, func(q *dbgen.Queries) error {
		_, job, ok, err := finishLeased(ctx, q, taskID, token, elapsed)
		if err != nil || !ok {
			return err
		}
		return e.tracked(ctx, q, job, func() error {
			tasks, err := q.ListJobTasks(ctx, job.ID)
			if err != nil {
				return err
			}
			done := 0
			for _, t := range tasks {
				if t.Kind == KindSegment && t.Status == "done" {
					done++
				}
			}
			if err := q.MergeJobExecution(ctx, dbgen.MergeJobExecutionParams{ID: job.ID,
				Patch: fmt.Appendf(nil, `{"completed_segments": %d}`, done)}); err != nil {
				return err
			}
			released, err := q.ReleaseWaitingTasks(ctx, job.ID)
			if err != nil {
				return err
			}
			if released > 0 {
				if err := e.recordEncode(ctx, q, job.ID, tasks); err != nil {
					return err
				}
			}
			if err := e.updateProgress(ctx, q, job.ID); err != nil {
				return err
			}
			return q.NotifyJobChanged(ctx, job.ID)
		})
	})
}

// CompletePackage records an output's files and settles the job when every
// output has ended.
func (e *Engine) CompletePackage(ctx context.Context, taskID, token string, res *internalv1.PackageResult, elapsed float64) error {
	p, origin, settled, err := loadForResult[PackagePlan](ctx, e, taskID, token)
	if err != nil || settled {
		return err
	}
	key := func(name string) string {
		if p.Folder == "" {
			return p.Key
		}
		return path.Join(p.Folder, name)
	}
	var files []outputFile
	var mainURL, checksum string
	var mainSize int64
	for _, f := range res.GetFiles() {
		if p.Folder != "" && pathtemplate.CheckPath(f.GetName()) != nil {
			return rpcerr.InvalidField("package.files", fmt.Sprintf("%q is not a relative object name", f.GetName()))
		}
		u := origin.ObjectURL(key(f.GetName()))
		files = append(files, outputFile{URL: u, SizeBytes: f.GetSizeBytes(), Role: f.GetRole()})
		if f.GetName() == res.GetMain() || p.Folder == "" {
			mainURL, mainSize, checksum = u, f.GetSizeBytes(), f.GetChecksum()
		}
	}
	if mainURL == "" {
		return rpcerr.InvalidField("package.main", "names no reported file")
	}
	filesJSON, err := json.Marshal(files)
	if err != nil {
		return err
	}
	return e.Store.InTx(ctx, func(q *dbgen.Queries) error {
		_, job, ok, err := finishLeased(ctx, q, taskID, token, elapsed)
		if err != nil || !ok {
			return err
		}
		return e.tracked(ctx, q, job, func() error {
			var actual float64
			if job.Environment != "test" { // test keys never cost anything
				for _, r := range p.Renditions {
					actual += pricing.Price(pricing.Rendition{Codec: r.Codec, Width: r.Width, Height: r.Height}, job.Priority, res.GetDurationSeconds())
				}
			}
			if err := q.CompleteOutput(ctx, dbgen.CompleteOutputParams{ID: p.OutputID, OutputUrl: mainURL, OutputSizeBytes: mainSize,
				DurationSeconds: res.GetDurationSeconds(), Checksum: checksum, ActualCost: actual, Files: filesJSON}); err != nil {
				return err
			}
			var ex struct {
				Upload float64 `json:"upload_seconds"`
			}
			_ = json.Unmarshal(job.Execution, &ex)
			if err := q.MergeJobExecution(ctx, dbgen.MergeJobExecutionParams{ID: job.ID,
				Patch: fmt.Appendf(nil, `{"package_seconds": %f, "upload_seconds": %f}`, e.packageSeconds(ctx, q, job.ID), ex.Upload+res.GetUploadSeconds())}); err != nil {
				return err
			}
			return e.settle(ctx, q, job, "", "")
		})
	})
}

// packageSeconds is the wall time from the first package lease to the
// last package completion.
func (e *Engine) packageSeconds(ctx context.Context, q *dbgen.Queries, jobID string) float64 {
	tasks, err := q.ListJobTasks(ctx, jobID)
	if err != nil {
		return 0
	}
	first, last := spanOf(tasks, func(t dbgen.JobTask) bool { return t.Kind == KindPackage && t.Status == "done" })
	return max(0, last.Sub(first).Seconds())
}

// pipelineFailed applies the final failure of a segment, audio or package
// task: the outputs that needed it fail, and so do tasks that can no
// longer run.
func (e *Engine) pipelineFailed(ctx context.Context, q *dbgen.Queries, row dbgen.JobTask, code, message string) error {
	var outputs []string
	switch row.Kind {
	case KindSegment:
		var p SegmentPlan
		if err := json.Unmarshal(row.Plan, &p); err != nil {
			return err
		}
		outputs = p.Outputs
		// Every output needs every segment.
		if err := q.FailWaitingTasks(ctx, row.JobID); err != nil {
			return err
		}
	case KindAudio:
		var p AudioPlan
		if err := json.Unmarshal(row.Plan, &p); err != nil {
			return err
		}
		outputs = p.Outputs
		if err := q.CancelPackageTasks(ctx, dbgen.CancelPackageTasksParams{JobID: row.JobID, OutputIds: p.Outputs}); err != nil {
			return err
		}
		// Outputs without audio may go on.
		if _, err := q.ReleaseWaitingTasks(ctx, row.JobID); err != nil {
			return err
		}
	case KindPackage:
		var p PackagePlan
		if err := json.Unmarshal(row.Plan, &p); err != nil {
			return err
		}
		outputs = []string{p.OutputID}
	}
	for _, o := range outputs {
		if err := q.FailOutput(ctx, dbgen.FailOutputParams{ID: o, ErrorCode: code, ErrorMessage: message}); err != nil {
			return err
		}
	}
	return nil
}

// progressKinds are the tasks whose progress makes the job's.
var progressKinds = []string{KindEncode, KindSegment, KindAudio, KindPackage, KindThumbnail}

func countsForProgress(kind string) bool { return slices.Contains(progressKinds, kind) }
