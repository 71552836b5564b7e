// Package handler translates JobService and the internal TaskService
// between protobuf and the job engine.
package handler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgtype"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1/jobv1connect"
	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	presetv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/presetv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/netguard"
	"github.com/transcodely/transcodely/pkg/pagination"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
	"github.com/transcodely/transcodely/services/job/internal/engine"
	"github.com/transcodely/transcodely/services/job/internal/jobview"
	"github.com/transcodely/transcodely/services/job/internal/lifecycle"
	"github.com/transcodely/transcodely/services/job/internal/store"
	"github.com/transcodely/transcodely/services/job/internal/store/dbgen"
	"github.com/transcodely/transcodely/services/job/internal/watch"
)

// Jobs serves transcodely.v1.JobService.
type Jobs struct {
	// CreateBatch is in the contract but not built yet: it answers unimplemented.
	jobv1connect.UnimplementedJobServiceHandler
	Engine  *engine.Engine
	Origins internalv1connect.CredentialServiceClient
	Presets internalv1connect.PresetResolverServiceClient
	Policy  netguard.Policy
	Hub     *watch.Hub
}

var storeJSON = protojson.MarshalOptions{UseProtoNames: true}

// Create validates, resolves origins and presets, and persists a job.
func (h *Jobs) Create(ctx context.Context, req *connect.Request[jobv1.CreateJobRequest]) (*connect.Response[jobv1.CreateJobResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	m := proto.Clone(req.Msg).(*jobv1.CreateJobRequest)
	if err := h.resolvePresets(ctx, p, m); err != nil {
		return nil, err
	}
	if v := checkCreate(m); len(v) > 0 {
		return nil, rpcerr.Invalid(v...)
	}
	if m.GetInputUrl() != "" {
		if err := h.Policy.CheckURL(ctx, m.GetInputUrl(), "https"); err != nil {
			return nil, rpcerr.InvalidField("input_url", err.Error())
		}
	}
	if m.GetWebhookUrl() != "" {
		if err := checkWebhookURL(ctx, h.Policy, m.GetWebhookUrl()); err != nil {
			return nil, rpcerr.InvalidField("webhook_url", err.Error())
		}
	}
	outName, err := h.checkOrigin(ctx, p, "output_origin_id", m.GetOutputOriginId(), originv1.OriginPermission_ORIGIN_PERMISSION_WRITE)
	if err != nil {
		return nil, err
	}
	var inName string
	if m.GetInputOriginId() != "" {
		if inName, err = h.checkOrigin(ctx, p, "input_origin_id", m.GetInputOriginId(), originv1.OriginPermission_ORIGIN_PERMISSION_READ); err != nil {
			return nil, err
		}
	}
	if m.GetPriority() == jobv1.Priority_PRIORITY_UNSPECIFIED {
		m.Priority = jobv1.Priority_PRIORITY_STANDARD
	}
	request, err := storeJSON.Marshal(m)
	if err != nil {
		return nil, err
	}
	nj := engine.NewJob{
		ID: id.New(id.Job), OrganizationID: p.OrganizationID, AppID: p.AppID, Environment: p.Environment,
		Priority: rpcwire.EnumString(m.GetPriority()), InputURL: m.GetInputUrl(), InputOriginID: m.GetInputOriginId(),
		InputPath: m.GetInputPath(), OutputOriginID: m.GetOutputOriginId(), OutputPathTemplate: m.GetOutputPathTemplate(),
		Request: request, WebhookURL: m.GetWebhookUrl(), Metadata: m.GetMetadata(), DelayedStart: m.GetDelayedStart(),
		IdempotencyKey: m.GetIdempotencyKey(), InputOriginName: inName, OutputOriginName: outName,
	}
	for i, o := range m.GetOutputs() {
		spec, err := storeJSON.Marshal(o)
		if err != nil {
			return nil, err
		}
		nj.Outputs = append(nj.Outputs, engine.NewOutput{ID: id.New(id.Output), Spec: spec, PresetID: presetIDs(req.Msg, m)[i]})
	}
	for _, t := range m.GetThumbnails() {
		spec, err := storeJSON.Marshal(t)
		if err != nil {
			return nil, err
		}
		nj.Thumbnails = append(nj.Thumbnails, spec)
	}
	jobID, created, err := h.Engine.Create(ctx, nj)
	if err != nil {
		return nil, err
	}
	job, err := h.load(ctx, p, jobID)
	if created {
		// Only now: woken at once, an encoder would have the probe running
		// before the caller is shown the job it created.
		h.Engine.Queued()
	}
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&jobv1.CreateJobResponse{Job: job}), nil
}

// presetIDs lists, per output, the preset id it was resolved from ("" if none).
func presetIDs(orig, resolved *jobv1.CreateJobRequest) []string {
	ids := make([]string, len(resolved.GetOutputs()))
	for i, o := range orig.GetOutputs() {
		if o.GetPreset() != "" {
			ids[i] = resolved.GetOutputs()[i].GetPreset()
		}
	}
	return ids
}

// resolvePresets replaces preset references by the preset's settings (inline
// fields win), keeping the preset id in OutputSpec.preset: a later preset
// change never alters a submitted job.
func (h *Jobs) resolvePresets(ctx context.Context, p auth.Principal, m *jobv1.CreateJobRequest) error {
	for i, o := range m.GetOutputs() {
		if o.GetPreset() == "" {
			continue
		}
		field := fmt.Sprintf("outputs[%d].preset", i)
		resp, err := h.Presets.Resolve(ctx, connect.NewRequest(&internalv1.ResolvePresetRequest{AppId: p.AppID, Environment: p.Environment, Ref: o.GetPreset()}))
		if err != nil {
			switch connect.CodeOf(err) {
			case connect.CodeNotFound:
				return rpcerr.InvalidField(field, fmt.Sprintf("preset %q does not exist", o.GetPreset()))
			case connect.CodeFailedPrecondition:
				return rpcerr.InvalidField(field, fmt.Sprintf("preset %q is archived", o.GetPreset()))
			case connect.CodeUnimplemented:
				return rpcerr.InvalidField(field, "presets are not available on this installation")
			}
			return err
		}
		applyPreset(o, resp.Msg.GetPreset())
	}
	return nil
}

// applyPreset fills what the output leaves unset from the preset.
func applyPreset(o *jobv1.OutputSpec, ps *presetv1.Preset) {
	o.Preset = ps.GetId()
	if o.GetType() == jobv1.OutputType_OUTPUT_TYPE_UNSPECIFIED {
		switch ps.GetDeliveryFormat() {
		case presetv1.DeliveryFormat_DELIVERY_FORMAT_HLS:
			o.Type = jobv1.OutputType_OUTPUT_TYPE_HLS
		case presetv1.DeliveryFormat_DELIVERY_FORMAT_DASH:
			o.Type = jobv1.OutputType_OUTPUT_TYPE_DASH
		case presetv1.DeliveryFormat_DELIVERY_FORMAT_CMAF:
			o.Type = jobv1.OutputType_OUTPUT_TYPE_ADAPTIVE
		default:
			switch ps.GetContainer() {
			case commonv1.Container_CONTAINER_WEBM:
				o.Type = jobv1.OutputType_OUTPUT_TYPE_WEBM
			case commonv1.Container_CONTAINER_MKV:
				o.Type = jobv1.OutputType_OUTPUT_TYPE_MKV
			case commonv1.Container_CONTAINER_MOV:
				o.Type = jobv1.OutputType_OUTPUT_TYPE_MOV
			default:
				o.Type = jobv1.OutputType_OUTPUT_TYPE_MP4
			}
		}
	}
	if len(o.GetVideo()) == 0 && ps.GetVideo() != nil {
		pv := ps.GetVideo()
		v := &jobv1.VideoVariant{Codec: pv.GetCodec(), Resolution: pv.GetResolution(), Quality: ps.GetQualityTier(), Framerate: pv.GetFramerate()}
		if pv.GetBitrateMode() != presetv1.BitrateMode_BITRATE_MODE_CRF && pv.GetBitrateKbps() > 0 {
			v.Bitrate = pv.GetBitrateKbps()
		}
		crf := pv.GetCrf()
		switch pv.GetCodec() {
		case commonv1.VideoCodec_VIDEO_CODEC_H264:
			v.H264 = &jobv1.H264Options{Profile: pv.GetProfile(), Preset: pv.GetEncoderPreset()}
			if crf > 0 {
				v.H264.Crf = &crf
			}
		case commonv1.VideoCodec_VIDEO_CODEC_H265:
			v.H265 = &jobv1.H265Options{Profile: pv.GetProfile(), Preset: pv.GetEncoderPreset()}
			if crf > 0 {
				v.H265.Crf = &crf
			}
		case commonv1.VideoCodec_VIDEO_CODEC_VP9:
			v.Vp9 = &jobv1.VP9Options{}
			if crf > 0 {
				v.Vp9.Crf = &crf
			}
		case commonv1.VideoCodec_VIDEO_CODEC_AV1:
			v.Av1 = &jobv1.AV1Options{}
			if crf > 0 {
				v.Av1.Crf = &crf
			}
		}
		o.Video = []*jobv1.VideoVariant{v}
	}
}

// checkOrigin asks the origin service whether the origin may be used and
// returns its name.
func (h *Jobs) checkOrigin(ctx context.Context, p auth.Principal, field, originID string, perm originv1.OriginPermission) (string, error) {
	resp, err := h.Origins.Resolve(ctx, connect.NewRequest(&internalv1.ResolveOriginRequest{
		OriginId: originID, AppId: p.AppID, OrganizationId: p.OrganizationID, Environment: p.Environment, Permission: perm,
	}))
	if err == nil {
		return resp.Msg.GetOrigin().GetOrigin().GetName(), nil
	}
	if connect.CodeOf(err) == connect.CodeNotFound {
		return "", rpcerr.InvalidField(field, fmt.Sprintf("origin %q does not exist in this app", originID))
	}
	// invalid_argument and failed_precondition already name the field.
	return "", err
}

func (h *Jobs) load(ctx context.Context, p auth.Principal, jobID string) (*jobv1.Job, error) {
	j, err := h.Engine.Store.GetJob(ctx, dbgen.GetJobParams{ID: jobID, AppID: p.AppID, Environment: p.Environment})
	if errors.Is(store.Translate(err), store.ErrNotFound) {
		return nil, rpcerr.NotFound("job", jobID)
	}
	if err != nil {
		return nil, store.Translate(err)
	}
	outs, err := h.Engine.Store.ListOutputs(ctx, j.ID)
	if err != nil {
		return nil, store.Translate(err)
	}
	thumbs, err := h.Engine.Store.ListThumbnails(ctx, j.ID)
	if err != nil {
		return nil, store.Translate(err)
	}
	return jobview.Job(j, outs, thumbs), nil
}

// Get returns one job of the caller's app.
func (h *Jobs) Get(ctx context.Context, req *connect.Request[jobv1.GetJobRequest]) (*connect.Response[jobv1.GetJobResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	job, err := h.load(ctx, p, req.Msg.GetId())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&jobv1.GetJobResponse{Job: job}), nil
}

// List returns the app's jobs, newest first.
func (h *Jobs) List(ctx context.Context, req *connect.Request[jobv1.ListJobsRequest]) (*connect.Response[jobv1.ListJobsResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	pg := req.Msg.GetPagination()
	page, err := pagination.Parse(pg.GetLimit(), pg.GetCursor(), pg.GetOffset())
	if err != nil {
		return nil, rpcerr.InvalidField("pagination.cursor", err.Error())
	}
	params := dbgen.ListJobsParams{AppID: p.AppID, Environment: p.Environment, RowLimit: page.Fetch(), RowOffset: page.Offset, BatchID: req.Msg.GetBatchId()}
	if s := req.Msg.GetStatus(); s != jobv1.JobStatus_JOB_STATUS_UNSPECIFIED {
		params.Status = rpcwire.EnumString(s)
	}
	if t := req.Msg.GetCreatedAfter(); t != nil {
		params.CreatedAfter = pgtype.Timestamptz{Time: t.AsTime(), Valid: true}
	}
	if t := req.Msg.GetCreatedBefore(); t != nil {
		params.CreatedBefore = pgtype.Timestamptz{Time: t.AsTime(), Valid: true}
	}
	if page.After {
		params.CursorCreatedAt = pgtype.Timestamptz{Time: page.CreatedAt, Valid: true}
		params.CursorID = page.ID
	}
	rows, err := h.Engine.Store.ListJobs(ctx, params)
	if err != nil {
		return nil, store.Translate(err)
	}
	rows, next := pagination.Next(page, rows, func(j dbgen.JobJob) (time.Time, string) { return j.CreatedAt.Time, j.ID })
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	outs, err := h.Engine.Store.ListOutputsForJobs(ctx, ids)
	if err != nil {
		return nil, store.Translate(err)
	}
	byJob := map[string][]dbgen.JobOutput{}
	for _, o := range outs {
		byJob[o.JobID] = append(byJob[o.JobID], o)
	}
	thumbs, err := h.Engine.Store.ListThumbnailsForJobs(ctx, ids)
	if err != nil {
		return nil, store.Translate(err)
	}
	thumbsByJob := map[string][]dbgen.JobThumbnail{}
	for _, t := range thumbs {
		thumbsByJob[t.JobID] = append(thumbsByJob[t.JobID], t)
	}
	resp := &jobv1.ListJobsResponse{Jobs: []*jobv1.Job{}, Pagination: &commonv1.PaginationResponse{NextCursor: next}}
	for _, r := range rows {
		resp.Jobs = append(resp.Jobs, jobview.Job(r, byJob[r.ID], thumbsByJob[r.ID]))
	}
	return connect.NewResponse(resp), nil
}

// Cancel stops a job that has not ended.
func (h *Jobs) Cancel(ctx context.Context, req *connect.Request[jobv1.CancelJobRequest]) (*connect.Response[jobv1.CancelJobResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Engine.Cancel(ctx, req.Msg.GetId(), p.AppID, p.Environment); err != nil {
		return nil, err
	}
	job, err := h.load(ctx, p, req.Msg.GetId())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&jobv1.CancelJobResponse{Job: job}), nil
}

// Confirm starts a job that waits in awaiting_confirmation.
func (h *Jobs) Confirm(ctx context.Context, req *connect.Request[jobv1.ConfirmJobRequest]) (*connect.Response[jobv1.ConfirmJobResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Engine.Confirm(ctx, req.Msg.GetId(), p.AppID, p.Environment); err != nil {
		return nil, err
	}
	job, err := h.load(ctx, p, req.Msg.GetId())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&jobv1.ConfirmJobResponse{Job: job}), nil
}

// watchFallback re-reads a watched job even without a notification, in
// case one was lost while the listener reconnected.
const watchFallback = 5 * time.Second

// Watch streams the job now and after every change until it ends.
func (h *Jobs) Watch(ctx context.Context, req *connect.Request[jobv1.WatchJobRequest], stream *connect.ServerStream[jobv1.WatchJobResponse]) error {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return err
	}
	changed, stop := h.Hub.Subscribe(req.Msg.GetId())
	defer stop()
	var last *jobv1.Job
	for {
		job, err := h.load(ctx, p, req.Msg.GetId())
		if err != nil {
			return err
		}
		if last == nil || !sameState(last, job) {
			if err := stream.Send(&jobv1.WatchJobResponse{Job: job}); err != nil {
				return err
			}
			last = job
		}
		if lifecycle.Status(rpcwire.EnumString(job.GetStatus())).Terminal() {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		case <-time.After(watchFallback):
		}
	}
}

// sameState ignores updated_at so a watcher gets one message per visible
// change.
func sameState(a, b *jobv1.Job) bool {
	a, b = proto.Clone(a).(*jobv1.Job), proto.Clone(b).(*jobv1.Job)
	a.UpdatedAt, b.UpdatedAt = nil, nil
	return proto.Equal(a, b)
}
