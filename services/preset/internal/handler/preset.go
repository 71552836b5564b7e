// Package handler translates PresetService and the internal
// PresetResolverService between protobuf and the preset domain: it completes
// and checks settings with the compat rules, enforces who may see and change
// which preset, and maps store errors to RPC codes.
//
// Visibility: a caller sees its app's presets of its own environment and
// every system preset; anything else is not_found. System presets are
// read-only (permission_denied) but can be duplicated.
package handler

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	presetv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/presetv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/pagination"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/preset/internal/compat"
	"github.com/transcodely/transcodely/services/preset/internal/store"
	"github.com/transcodely/transcodely/services/preset/internal/store/dbgen"
)

// Presets serves transcodely.v1.PresetService and
// transcodely.internal.v1.PresetResolverService.
type Presets struct {
	Store *store.Store
}

// maxNameLen is the longest preset name, in characters (the API's limit).
const maxNameLen = 255

// normalize completes p's settings and checks them; p is changed in place.
func normalize(p *presetv1.Preset) error {
	s, violations := compat.Normalize(settingsOf(p))
	if len(violations) > 0 {
		return rpcerr.Invalid(violations...)
	}
	apply(p, s)
	return nil
}

// checkSlug refuses slugs that read like preset ids (the resolver takes
// either) and slugs a system preset already uses.
func (h *Presets) checkSlug(ctx context.Context, slug string) error {
	if strings.HasPrefix(slug, id.Preset+"_") {
		return rpcerr.InvalidField("slug", `must not start with "pst_", which marks preset ids`)
	}
	taken, err := h.Store.SystemSlugTaken(ctx, slug)
	if err != nil {
		return store.Translate(err)
	}
	if taken {
		return rpcerr.AlreadyExists(fmt.Sprintf("slug %q is used by a system preset; duplicate it or pick another slug", slug))
	}
	return nil
}

// insert stores a new app preset.
func (h *Presets) insert(ctx context.Context, pr auth.Principal, p *presetv1.Preset) (*presetv1.Preset, error) {
	docs, err := encode(p)
	if err != nil {
		return nil, err
	}
	row, err := h.Store.InsertPreset(ctx, dbgen.InsertPresetParams{
		ID: id.New(id.Preset), AppID: pr.AppID, Environment: pr.Environment, Slug: p.GetSlug(),
		Name: p.GetName(), Description: p.GetDescription(), ContentType: wire(p.GetContentType()),
		Container: wire(p.GetContainer()), Faststart: p.GetFaststart(), DeliveryFormat: wire(p.GetDeliveryFormat()),
		Streaming: docs.streaming, Video: docs.video, Audio: docs.audio, QualityTier: wire(p.GetQualityTier()),
		EstimatedCostPerMinute: p.GetEstimatedCostPerMinute(),
	})
	if errors.Is(store.Translate(err), store.ErrSlugTaken) {
		return nil, rpcerr.AlreadyExists(fmt.Sprintf("a preset with slug %q already exists", p.GetSlug()))
	}
	if err != nil {
		return nil, store.Translate(err)
	}
	return toProto(row)
}

// Create stores an app preset after completing and checking its settings.
func (h *Presets) Create(ctx context.Context, req *connect.Request[presetv1.CreatePresetRequest]) (*connect.Response[presetv1.CreatePresetResponse], error) {
	pr, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	m := req.Msg
	p := &presetv1.Preset{
		Slug: m.GetSlug(), Name: m.GetName(), Description: m.GetDescription(), ContentType: m.GetContentType(),
		Container: m.GetContainer(), Faststart: m.GetFaststart(), DeliveryFormat: m.GetDeliveryFormat(),
		Streaming: m.GetStreaming(), Video: m.GetVideo(), Audio: m.GetAudio(), QualityTier: m.GetQualityTier(),
	}
	if err := normalize(p); err != nil {
		return nil, err
	}
	if err := h.checkSlug(ctx, p.GetSlug()); err != nil {
		return nil, err
	}
	out, err := h.insert(ctx, pr, p)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&presetv1.CreatePresetResponse{Preset: out}), nil
}

// visible finds a preset the caller may see.
func (h *Presets) visible(ctx context.Context, presetID string) (auth.Principal, dbgen.PresetPreset, error) {
	pr, err := auth.MustFromContext(ctx)
	if err != nil {
		return pr, dbgen.PresetPreset{}, err
	}
	row, err := h.Store.GetPreset(ctx, dbgen.GetPresetParams{ID: presetID, AppID: pr.AppID, Environment: pr.Environment})
	if errors.Is(store.Translate(err), store.ErrNotFound) {
		return pr, row, rpcerr.NotFound("preset", presetID)
	}
	return pr, row, store.Translate(err)
}

// Get returns one of the app's presets or a system preset.
func (h *Presets) Get(ctx context.Context, req *connect.Request[presetv1.GetPresetRequest]) (*connect.Response[presetv1.GetPresetResponse], error) {
	_, row, err := h.visible(ctx, req.Msg.GetId())
	if err != nil {
		return nil, err
	}
	p, err := toProto(row)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&presetv1.GetPresetResponse{Preset: p}), nil
}

// GetBySlug returns the app's live preset with the slug, else the system
// preset with it, else the app's most recently archived one.
func (h *Presets) GetBySlug(ctx context.Context, req *connect.Request[presetv1.GetPresetBySlugRequest]) (*connect.Response[presetv1.GetPresetBySlugResponse], error) {
	pr, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	row, err := h.Store.GetPresetBySlug(ctx, dbgen.GetPresetBySlugParams{Slug: req.Msg.GetSlug(), AppID: pr.AppID, Environment: pr.Environment})
	if errors.Is(store.Translate(err), store.ErrNotFound) {
		return nil, rpcerr.NotFound("preset", req.Msg.GetSlug())
	}
	if err != nil {
		return nil, store.Translate(err)
	}
	p, err := toProto(row)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&presetv1.GetPresetBySlugResponse{Preset: p}), nil
}

// List returns the app's presets and (unless include_system is false) the
// system presets, newest first.
func (h *Presets) List(ctx context.Context, req *connect.Request[presetv1.ListPresetsRequest]) (*connect.Response[presetv1.ListPresetsResponse], error) {
	pr, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	m := req.Msg
	pg := m.GetPagination()
	page, err := pagination.Parse(pg.GetLimit(), pg.GetCursor(), pg.GetOffset())
	if err != nil {
		return nil, rpcerr.InvalidField("pagination.cursor", err.Error())
	}
	params := dbgen.ListPresetsParams{
		AppID: pr.AppID, Environment: pr.Environment,
		IncludeSystem:   m.IncludeSystem == nil || m.GetIncludeSystem(),
		IncludeArchived: m.GetIncludeArchived(),
		DeliveryFormat:  wire(m.GetDeliveryFormat()),
		RowLimit:        page.Fetch(), RowOffset: page.Offset,
	}
	if m.GetCodec() != commonv1.VideoCodec_VIDEO_CODEC_UNSPECIFIED {
		// The video document stores protojson enum value names.
		params.Codec = m.GetCodec().String()
	}
	if page.After {
		params.CursorCreatedAt = pgtype.Timestamptz{Time: page.CreatedAt, Valid: true}
		params.CursorID = page.ID
	}
	rows, err := h.Store.ListPresets(ctx, params)
	if err != nil {
		return nil, store.Translate(err)
	}
	rows, next := pagination.Next(page, rows, func(r dbgen.PresetPreset) (time.Time, string) { return r.CreatedAt.Time, r.ID })
	resp := &presetv1.ListPresetsResponse{Presets: []*presetv1.Preset{}, Pagination: &commonv1.PaginationResponse{NextCursor: next}}
	for _, r := range rows {
		p, err := toProto(r)
		if err != nil {
			return nil, err
		}
		resp.Presets = append(resp.Presets, p)
	}
	return connect.NewResponse(resp), nil
}

// Update changes a live app preset. Enum fields left unspecified and absent
// optional fields keep their values; a streaming, video or audio block
// replaces the stored one whole, and its zero fields are completed with
// defaults again (so CRF and encoder preset follow the quality tier in
// effect); changing quality_tier alone keeps the stored CRF and encoder
// preset, which are explicit once written. Changing the delivery format to progressive drops the stored
// streaming settings.
func (h *Presets) Update(ctx context.Context, req *connect.Request[presetv1.UpdatePresetRequest]) (*connect.Response[presetv1.UpdatePresetResponse], error) {
	pr, row, err := h.visible(ctx, req.Msg.GetId())
	if err != nil {
		return nil, err
	}
	switch {
	case row.SystemPreset:
		return nil, rpcerr.PermissionDenied(fmt.Sprintf("preset %s is a read-only system preset; duplicate it to change it", row.ID))
	case row.ArchivedAt.Valid:
		return nil, rpcerr.FailedPrecondition(fmt.Sprintf("preset %s is archived", row.ID))
	}
	p, err := toProto(row)
	if err != nil {
		return nil, err
	}
	merge(p, req.Msg)
	if err := normalize(p); err != nil {
		return nil, err
	}
	docs, err := encode(p)
	if err != nil {
		return nil, err
	}
	row, err = h.Store.UpdatePreset(ctx, dbgen.UpdatePresetParams{
		ID: row.ID, AppID: pr.AppID, Environment: pr.Environment,
		Name: p.GetName(), Description: p.GetDescription(), ContentType: wire(p.GetContentType()),
		Container: wire(p.GetContainer()), Faststart: p.GetFaststart(), DeliveryFormat: wire(p.GetDeliveryFormat()),
		Streaming: docs.streaming, Video: docs.video, Audio: docs.audio, QualityTier: wire(p.GetQualityTier()),
		EstimatedCostPerMinute: p.GetEstimatedCostPerMinute(),
	})
	if errors.Is(store.Translate(err), store.ErrNotFound) {
		// It was live a moment ago: archived concurrently.
		return nil, rpcerr.FailedPrecondition(fmt.Sprintf("preset %s is archived", req.Msg.GetId()))
	}
	if err != nil {
		return nil, store.Translate(err)
	}
	out, err := toProto(row)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&presetv1.UpdatePresetResponse{Preset: out}), nil
}

// merge applies an update request to the stored preset p.
func merge(p *presetv1.Preset, m *presetv1.UpdatePresetRequest) {
	if m.Name != nil {
		p.Name = m.GetName()
	}
	if m.Description != nil {
		p.Description = m.GetDescription()
	}
	if m.GetContentType() != presetv1.ContentType_CONTENT_TYPE_UNSPECIFIED {
		p.ContentType = m.GetContentType()
	}
	if m.GetContainer() != commonv1.Container_CONTAINER_UNSPECIFIED {
		p.Container = m.GetContainer()
	}
	if m.Faststart != nil {
		p.Faststart = m.GetFaststart()
	}
	if m.GetDeliveryFormat() != presetv1.DeliveryFormat_DELIVERY_FORMAT_UNSPECIFIED {
		p.DeliveryFormat = m.GetDeliveryFormat()
	}
	switch {
	case m.GetStreaming() != nil:
		p.Streaming = m.GetStreaming()
	case p.GetDeliveryFormat() == presetv1.DeliveryFormat_DELIVERY_FORMAT_PROGRESSIVE:
		p.Streaming = nil
	}
	if m.GetVideo() != nil {
		p.Video = m.GetVideo()
	}
	if m.GetAudio() != nil {
		p.Audio = m.GetAudio()
	}
	if m.GetQualityTier() != commonv1.QualityTier_QUALITY_TIER_UNSPECIFIED {
		p.QualityTier = m.GetQualityTier()
	}
}

// Duplicate copies a visible preset (a system preset, or one of the app's,
// archived ones included) into the caller's app under a new slug. The name
// defaults to "<source name> (copy)".
func (h *Presets) Duplicate(ctx context.Context, req *connect.Request[presetv1.DuplicatePresetRequest]) (*connect.Response[presetv1.DuplicatePresetResponse], error) {
	pr, row, err := h.visible(ctx, req.Msg.GetId())
	if err != nil {
		return nil, err
	}
	if err := h.checkSlug(ctx, req.Msg.GetSlug()); err != nil {
		return nil, err
	}
	p, err := toProto(row)
	if err != nil {
		return nil, err
	}
	p.Slug = req.Msg.GetSlug()
	p.Name = req.Msg.GetName()
	if p.Name == "" {
		p.Name = copyName(row.Name)
	}
	out, err := h.insert(ctx, pr, p)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&presetv1.DuplicatePresetResponse{Preset: out}), nil
}

// copyName is name + " (copy)", shortening name to stay within the limit.
func copyName(name string) string {
	const suffix = " (copy)"
	for utf8.RuneCountInString(name)+len(suffix) > maxNameLen {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name + suffix
}

// Archive stops new jobs from using an app preset; jobs already submitted
// keep their resolved settings. Archiving twice is harmless.
func (h *Presets) Archive(ctx context.Context, req *connect.Request[presetv1.ArchivePresetRequest]) (*connect.Response[presetv1.ArchivePresetResponse], error) {
	pr, row, err := h.visible(ctx, req.Msg.GetId())
	if err != nil {
		return nil, err
	}
	if row.SystemPreset {
		return nil, rpcerr.PermissionDenied(fmt.Sprintf("preset %s is a read-only system preset and cannot be archived", row.ID))
	}
	row, err = h.Store.ArchivePreset(ctx, dbgen.ArchivePresetParams{ID: row.ID, AppID: pr.AppID, Environment: pr.Environment})
	if errors.Is(store.Translate(err), store.ErrNotFound) {
		return nil, rpcerr.NotFound("preset", req.Msg.GetId())
	}
	if err != nil {
		return nil, store.Translate(err)
	}
	p, err := toProto(row)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&presetv1.ArchivePresetResponse{Preset: p}), nil
}

// Resolve finds the preset a job output names, for the job service.
//
// Candidates are the app's presets of the request's environment (an app's
// live and test presets never see each other) and the system presets:
//   - "pst_..." refs match by id (ids are globally unique);
//   - other refs match by slug: the app's live preset wins over a system
//     preset (slugs are unique among an app's live presets of one
//     environment, so there is at most one);
//   - a ref that only matches archived presets is failed_precondition;
//     one that matches nothing is not_found.
func (h *Presets) Resolve(ctx context.Context, req *connect.Request[internalv1.ResolvePresetRequest]) (*connect.Response[internalv1.ResolvePresetResponse], error) {
	m := req.Msg
	switch {
	case m.GetAppId() == "":
		return nil, rpcerr.InvalidField("app_id", "required")
	case m.GetRef() == "":
		return nil, rpcerr.InvalidField("ref", "required")
	}
	row, err := h.resolve(ctx, m.GetAppId(), m.GetEnvironment(), m.GetRef())
	if err != nil {
		return nil, err
	}
	p, err := toProto(row)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&internalv1.ResolvePresetResponse{Preset: p}), nil
}

func (h *Presets) resolve(ctx context.Context, appID, env, ref string) (dbgen.PresetPreset, error) {
	if id.HasPrefix(ref, id.Preset) {
		row, err := h.Store.ResolvePresetByID(ctx, dbgen.ResolvePresetByIDParams{ID: ref, AppID: appID, Environment: env})
		switch {
		case errors.Is(store.Translate(err), store.ErrNotFound):
			return row, rpcerr.NotFound("preset", ref)
		case err != nil:
			return row, store.Translate(err)
		case row.ArchivedAt.Valid:
			return row, rpcerr.FailedPrecondition(fmt.Sprintf("preset %s is archived", ref))
		}
		return row, nil
	}
	rows, err := h.Store.ResolvePresetsBySlug(ctx, dbgen.ResolvePresetsBySlugParams{Slug: ref, AppID: appID, Environment: env})
	if err != nil {
		return dbgen.PresetPreset{}, store.Translate(err)
	}
	var own, system, archived []dbgen.PresetPreset
	for _, r := range rows {
		switch {
		case r.ArchivedAt.Valid:
			archived = append(archived, r)
		case r.SystemPreset:
			system = append(system, r)
		default:
			own = append(own, r)
		}
	}
	switch {
	case len(own) == 1:
		return own[0], nil
	case len(own) > 1:
		// Unreachable while slugs are unique per app and environment.
		return dbgen.PresetPreset{}, rpcerr.FailedPrecondition(fmt.Sprintf("slug %q is ambiguous; refer to the preset by id", ref))
	case len(system) > 0:
		return system[0], nil
	case len(archived) > 0:
		return dbgen.PresetPreset{}, rpcerr.FailedPrecondition(fmt.Sprintf("preset %q is archived", ref))
	}
	return dbgen.PresetPreset{}, rpcerr.NotFound("preset", ref)
}

// Ping checks the database for health probes.
func (h *Presets) Ping(ctx context.Context) error { return h.Store.Ping(ctx) }
