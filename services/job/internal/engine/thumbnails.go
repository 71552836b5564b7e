package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strconv"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/pathtemplate"
	"github.com/transcodely/transcodely/services/job/internal/plan"
	"github.com/transcodely/transcodely/services/job/internal/store/dbgen"
)

// KindThumbnail is the stored kind of a thumbnail task: one per
// ThumbnailSpec, planned after probing because the number of images
// depends on the input's duration.
const KindThumbnail = "thumbnail"

// Limits of one thumbnail set. The encoder enforces the same count; the
// interval floor keeps a long input from asking for a frame per GOP.
const (
	MaxThumbnails       = 1000
	MinThumbnailSeconds = 0.5
)

// ThumbnailFormats maps the public image format to file extension and
// content type; the first one is the default.
var ThumbnailFormats = map[string]struct{ Ext, ContentType string }{
	"jpeg": {"jpg", "image/jpeg"},
	"png":  {"png", "image/png"},
	"webp": {"webp", "image/webp"},
}

// ThumbnailPlan is a thumbnail task's stored plan: the times and object keys
// are fixed at probe time; upload URLs are minted at lease time.
type ThumbnailPlan struct {
	Position    int32     `json:"position"`
	Format      string    `json:"format"`
	ContentType string    `json:"content_type"`
	Width       int32     `json:"width"`
	Height      int32     `json:"height"`
	Times       []float64 `json:"times"`
	Keys        []string  `json:"keys"`
	// Sprite is set when a sprite sheet and its WebVTT index are wanted.
	Sprite   *SpritePlan `json:"sprite,omitempty"`
	Duration float64     `json:"duration_seconds"`
}

// SpritePlan is where a sprite sheet and its index go.
type SpritePlan struct {
	Columns  int32  `json:"columns"`
	ImageKey string `json:"image_key"`
	VTTKey   string `json:"vtt_key"`
}

// ThumbnailTimes resolves a spec's image positions on an input of the given
// duration (seconds), ascending.
func ThumbnailTimes(spec *jobv1.ThumbnailSpec, duration float64) ([]float64, error) {
	var times []float64
	switch spec.GetMode() {
	case jobv1.ThumbnailMode_THUMBNAIL_MODE_INTERVAL:
		step := spec.GetIntervalSeconds()
		if step < MinThumbnailSeconds {
			return nil, fmt.Errorf("interval_seconds must be at least %.1f", MinThumbnailSeconds)
		}
		if duration/step > MaxThumbnails {
			return nil, fmt.Errorf("an interval of %g s gives more than %d images on a %.1f s input", step, MaxThumbnails, duration)
		}
		// Multiplying rather than adding keeps rounding from drifting.
		for i := 0; float64(i)*step < duration; i++ {
			times = append(times, float64(i)*step)
		}
	case jobv1.ThumbnailMode_THUMBNAIL_MODE_COUNT:
		n := int(spec.GetCount())
		if n <= 0 || n > MaxThumbnails {
			return nil, fmt.Errorf("count must be 1..%d", MaxThumbnails)
		}
		// The middles of n equal slices avoid a black first frame.
		for i := range n {
			times = append(times, duration*(float64(i)+0.5)/float64(n))
		}
	case jobv1.ThumbnailMode_THUMBNAIL_MODE_TIMESTAMPS:
		for _, t := range spec.GetTimestamps() {
			if t < 0 || t >= duration {
				return nil, fmt.Errorf("timestamp %g s is outside the input (%.3f s)", t, duration)
			}
			times = append(times, t)
		}
		slices.Sort(times)
	default:
		return nil, fmt.Errorf("mode %s is not supported", enumName(spec.GetMode()))
	}
	if len(times) == 0 {
		return nil, fmt.Errorf("the input is too short for any image")
	}
	return times, nil
}

// planThumbnails resolves one thumbnail set's times and object keys.
func planThumbnails(job dbgen.JobJob, row dbgen.JobThumbnail, origin OriginInfo, src plan.Source) (ThumbnailPlan, error) {
	var spec jobv1.ThumbnailSpec
	if err := protojson.Unmarshal(row.Spec, &spec); err != nil {
		return ThumbnailPlan{}, err
	}
	times, err := ThumbnailTimes(&spec, src.Duration)
	if err != nil {
		return ThumbnailPlan{}, err
	}
	format := "jpeg"
	if spec.GetFormat() != 0 {
		format = enumName(spec.GetFormat())
	}
	f, ok := ThumbnailFormats[format]
	if !ok {
		return ThumbnailPlan{}, fmt.Errorf("image format %s is not supported", format)
	}
	p := ThumbnailPlan{Position: row.Position, Format: format, ContentType: f.ContentType, Width: spec.GetWidth(), Height: spec.GetHeight(),
		Times: times, Duration: src.Duration}
	// A spec's own template names its folder; otherwise the output template
	// does, with the set standing in for the output id.
	tmpl := firstNonEmpty(spec.GetPathTemplate(), job.OutputPathTemplate, origin.PathTemplate)
	dir := pathtemplate.ObjectKey("", pathtemplate.Render(tmpl, pathtemplate.TemplateVars{
		Date: job.CreatedAt.Time, JobID: job.ID, OutputID: "thumbnails_" + strconv.Itoa(int(row.Position)), Codec: format, Resolution: "thumbnails",
	}), "")
	for i := range times {
		p.Keys = append(p.Keys, path.Join(dir, fmt.Sprintf("thumb_%05d.%s", i+1, f.Ext)))
	}
	if s := spec.GetSprite(); s != nil {
		if s.GetColumns() > 0 && s.GetRows() > 0 && int(s.GetColumns()*s.GetRows()) < len(times) {
			return ThumbnailPlan{}, fmt.Errorf("a %dx%d sprite cannot hold %d images", s.GetColumns(), s.GetRows(), len(times))
		}
		p.Sprite = &SpritePlan{Columns: s.GetColumns(), ImageKey: path.Join(dir, "sprite."+f.Ext), VTTKey: path.Join(dir, "sprite.vtt")}
	}
	return p, nil
}

// planThumbnailTasks queues one task per pending thumbnail set; a set that
// cannot be made from this input fails on its own.
func (e *Engine) planThumbnailTasks(ctx context.Context, q *dbgen.Queries, job dbgen.JobJob, origin OriginInfo, src plan.Source, taskStatus string) error {
	rows, err := q.ListThumbnails(ctx, job.ID)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r.Status != "pending" {
			continue
		}
		p, err := planThumbnails(job, r, origin, src)
		if err != nil {
			if err := q.FailThumbnail(ctx, dbgen.FailThumbnailParams{JobID: job.ID, Position: r.Position, ErrorCode: "invalid_thumbnail", ErrorMessage: err.Error()}); err != nil {
				return err
			}
			continue
		}
		b, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if err := q.InsertTask(ctx, dbgen.InsertTaskParams{
			ID: id.New(id.Task), JobID: job.ID, Kind: KindThumbnail, Status: taskStatus,
			Priority: priorityRank[job.Priority], Plan: b, MaxAttempts: e.MaxAttempts,
		}); err != nil {
			return err
		}
	}
	return nil
}

// thumbnailTask builds a leased thumbnail task's payload, minting one
// presigned PUT per object. ok is false when the output origin cannot be
// used (the task has then been failed).
func (e *Engine) thumbnailTask(ctx context.Context, row dbgen.JobTask, job dbgen.JobJob, input string) (*internalv1.ThumbnailTask, bool, error) {
	var p ThumbnailPlan
	if err := json.Unmarshal(row.Plan, &p); err != nil {
		return nil, false, err
	}
	origin, err := e.Storage.OutputOrigin(ctx, job)
	if err != nil {
		_ = e.Fail(ctx, row.ID, row.LeaseToken, "output_unavailable", "cannot access the output origin: "+err.Error(), false)
		return nil, false, nil
	}
	keys := slices.Clone(p.Keys)
	if p.Sprite != nil {
		keys = append(keys, p.Sprite.ImageKey, p.Sprite.VTTKey)
	}
	// One origin lookup for up to a thousand images.
	urls, err := e.Storage.UploadURLs(ctx, job, keys)
	if err != nil {
		_ = e.Fail(ctx, row.ID, row.LeaseToken, "output_unavailable", "cannot access the output origin: "+err.Error(), false)
		return nil, false, nil
	}
	upload := func(i int) *internalv1.ThumbnailUpload {
		return &internalv1.ThumbnailUpload{UploadUrl: urls[i], ObjectUrl: origin.ObjectURL(keys[i])}
	}
	t := &internalv1.ThumbnailTask{InputUrl: input, Times: p.Times, Format: p.Format, Width: p.Width, Height: p.Height,
		SourceDurationSeconds: p.Duration, ContentType: p.ContentType}
	for i := range p.Keys {
		t.Images = append(t.Images, upload(i))
	}
	if p.Sprite != nil {
		n := len(p.Keys)
		t.Sprite = &internalv1.ThumbnailSprite{Columns: p.Sprite.Columns, Image: upload(n), Vtt: upload(n + 1)}
	}
	return t, true, nil
}

// CompleteThumbnail records the objects a thumbnail task wrote and settles
// the job when everything has ended.
func (e *Engine) CompleteThumbnail(ctx context.Context, taskID, token string, res *internalv1.ThumbnailResult, elapsed float64) error {
	p, origin, settled, err := loadForResult[ThumbnailPlan](ctx, e, taskID, token)
	if err != nil || settled {
		return err
	}
	if len(res.GetImageSizes()) != len(p.Keys) {
		return fmt.Errorf("task %s reported %d images, planned %d", taskID, len(res.GetImageSizes()), len(p.Keys))
	}
	urls := make([]string, len(p.Keys))
	for i, k := range p.Keys {
		urls[i] = origin.ObjectURL(k)
	}
	list, err := json.Marshal(urls)
	if err != nil {
		return err
	}
	var sprite, vtt string
	if p.Sprite != nil {
		sprite, vtt = origin.ObjectURL(p.Sprite.ImageKey), origin.ObjectURL(p.Sprite.VTTKey)
	}
	return e.Store.InTx(ctx, func(q *dbgen.Queries) error {
		_, job, ok, err := finishLeased(ctx, q, taskID, token, elapsed)
		if err != nil || !ok {
			return err
		}
		return e.tracked(ctx, q, job, func() error {
			if err := q.CompleteThumbnail(ctx, dbgen.CompleteThumbnailParams{JobID: job.ID, Position: p.Position, Urls: list, SpriteUrl: sprite, VttUrl: vtt}); err != nil {
				return err
			}
			return e.settle(ctx, q, job, "", "")
		})
	})
}
