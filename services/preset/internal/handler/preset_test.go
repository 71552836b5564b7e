package handler_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	presetv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/presetv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/pkg/pgdbtest"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/preset/internal/handler"
	"github.com/transcodely/transcodely/services/preset/internal/store"
	"github.com/transcodely/transcodely/services/preset/presetapp"
)

var (
	appX     = auth.Principal{OrganizationID: "org_x", AppID: "app_x", Environment: "test"}
	appXLive = auth.Principal{OrganizationID: "org_x", AppID: "app_x", Environment: "live"}
	appY     = auth.Principal{OrganizationID: "org_y", AppID: "app_y", Environment: "test"}
)

// systemSlugs are the presets the migrations seed, with their fixed ids.
var systemSlugs = map[string]string{
	"h264_1080p_standard":      "pst_sysh2641080pstd",
	"h264_720p_standard":       "pst_sysh264720pstd",
	"h264_720p_economy":        "pst_sysh264720peco",
	"h264_480p_economy":        "pst_sysh264480peco",
	"h265_1080p_standard":      "pst_sysh2651080pstd",
	"h265_2160p_premium":       "pst_sysh2652160pprm",
	"vp9_1080p_standard":       "pst_sysvp91080pstd",
	"vp9_720p_economy":         "pst_sysvp9720peco",
	"av1_1080p_premium":        "pst_sysav11080pprm",
	"av1_720p_standard":        "pst_sysav1720pstd",
	"hls_h264_ladder_standard": "pst_syshlsh264ladderstd",
}

func newPresets(t *testing.T) *handler.Presets {
	t.Helper()
	tmpl := pgdbtest.NewTemplate(t, "preset", func(ctx context.Context, url string) error {
		pool, err := pgdb.Open(ctx, url)
		if err != nil {
			return err
		}
		defer pool.Close()
		return presetapp.Migrate(ctx, pool)
	})
	return &handler.Presets{Store: store.New(tmpl.NewPool(t))}
}

func as(p auth.Principal) context.Context { return auth.WithPrincipal(context.Background(), p) }

func wantKind(t *testing.T, err error, want rpcerr.Kind) {
	t.Helper()
	if got := rpcerr.KindOf(err); got != want {
		t.Fatalf("error = %v (kind %v), want %v", err, got, want)
	}
}

// wantViolation checks err is invalid_argument naming field.
func wantViolation(t *testing.T, err error, field string) {
	t.Helper()
	wantKind(t, err, rpcerr.KindInvalid)
	var e *rpcerr.Error
	if !errors.As(err, &e) {
		t.Fatalf("not an *rpcerr.Error: %v", err)
	}
	for _, v := range e.Violations {
		if v.Field == field {
			return
		}
	}
	t.Fatalf("violations %v do not name %s", e.Violations, field)
}

func h264Request(slug string) *presetv1.CreatePresetRequest {
	return &presetv1.CreatePresetRequest{
		Slug: slug, Name: "Web " + slug, Container: commonv1.Container_CONTAINER_MP4, Faststart: true,
		Video: &presetv1.PresetVideo{Codec: commonv1.VideoCodec_VIDEO_CODEC_H264, Resolution: commonv1.Resolution_RESOLUTION_720P},
		Audio: &presetv1.PresetAudio{},
	}
}

func create(t *testing.T, h *handler.Presets, p auth.Principal, req *presetv1.CreatePresetRequest) *presetv1.Preset {
	t.Helper()
	resp, err := h.Create(as(p), connect.NewRequest(req))
	if err != nil {
		t.Fatalf("Create(%s): %v", req.GetSlug(), err)
	}
	return resp.Msg.GetPreset()
}

func TestPresetService_CreateAndGet(t *testing.T) {
	t.Parallel()
	h := newPresets(t)
	ctx := as(appX)

	p := create(t, h, appX, h264Request("web_720"))
	if p.GetSystemPreset() || p.GetCreatedAt() == nil || p.GetArchivedAt() != nil {
		t.Fatalf("created = %v", p)
	}
	// Defaults are filled in and stored: standard tier, CRF 23, AAC 128k stereo 48 kHz.
	v, a := p.GetVideo(), p.GetAudio()
	if p.GetDeliveryFormat() != presetv1.DeliveryFormat_DELIVERY_FORMAT_PROGRESSIVE ||
		p.GetQualityTier() != commonv1.QualityTier_QUALITY_TIER_STANDARD || p.GetStreaming() != nil ||
		v.GetBitrateMode() != presetv1.BitrateMode_BITRATE_MODE_CRF || v.GetCrf() != 23 || v.GetEncoderPreset() != "faster" ||
		a.GetCodec() != commonv1.AudioCodec_AUDIO_CODEC_AAC || a.GetBitrateKbps() != 128 || a.GetSampleRate() != 48000 || a.GetChannels() != 2 ||
		p.GetEstimatedCostPerMinute() != 0.010 {
		t.Fatalf("defaults not applied: %v", p)
	}

	got, err := h.Get(ctx, connect.NewRequest(&presetv1.GetPresetRequest{Id: p.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(got.Msg.GetPreset(), p) {
		t.Fatalf("Get =\n%v\nwant\n%v", got.Msg.GetPreset(), p)
	}
	bySlug, err := h.GetBySlug(ctx, connect.NewRequest(&presetv1.GetPresetBySlugRequest{Slug: "web_720"}))
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(bySlug.Msg.GetPreset(), p) {
		t.Fatalf("GetBySlug = %v", bySlug.Msg.GetPreset())
	}

	t.Run("duplicate slug", func(t *testing.T) {
		_, err := h.Create(ctx, connect.NewRequest(h264Request("web_720")))
		wantKind(t, err, rpcerr.KindAlreadyExists)
	})
	t.Run("system slug", func(t *testing.T) {
		_, err := h.Create(ctx, connect.NewRequest(h264Request("h264_1080p_standard")))
		wantKind(t, err, rpcerr.KindAlreadyExists)
	})
	t.Run("slug that reads as an id", func(t *testing.T) {
		_, err := h.Create(ctx, connect.NewRequest(h264Request("pst_abc")))
		wantViolation(t, err, "slug")
	})
	t.Run("same slug in the other environment", func(t *testing.T) {
		create(t, h, appXLive, h264Request("web_720"))
	})
	t.Run("another app", func(t *testing.T) {
		_, err := h.Get(as(appY), connect.NewRequest(&presetv1.GetPresetRequest{Id: p.GetId()}))
		wantKind(t, err, rpcerr.KindNotFound)
		_, err = h.GetBySlug(as(appY), connect.NewRequest(&presetv1.GetPresetBySlugRequest{Slug: "web_720"}))
		wantKind(t, err, rpcerr.KindNotFound)
		_, err = h.Update(as(appY), connect.NewRequest(&presetv1.UpdatePresetRequest{Id: p.GetId(), Name: proto.String("x")}))
		wantKind(t, err, rpcerr.KindNotFound)
		_, err = h.Archive(as(appY), connect.NewRequest(&presetv1.ArchivePresetRequest{Id: p.GetId()}))
		wantKind(t, err, rpcerr.KindNotFound)
		_, err = h.Duplicate(as(appY), connect.NewRequest(&presetv1.DuplicatePresetRequest{Id: p.GetId(), Slug: "stolen"}))
		wantKind(t, err, rpcerr.KindNotFound)
	})
	t.Run("other environment of the same app", func(t *testing.T) {
		_, err := h.Get(as(appXLive), connect.NewRequest(&presetv1.GetPresetRequest{Id: p.GetId()}))
		wantKind(t, err, rpcerr.KindNotFound)
	})
	t.Run("no principal", func(t *testing.T) {
		_, err := h.Get(context.Background(), connect.NewRequest(&presetv1.GetPresetRequest{Id: p.GetId()}))
		wantKind(t, err, rpcerr.KindUnauthenticated)
	})
}

func TestPresetService_CreateInvalid(t *testing.T) {
	t.Parallel()
	h := newPresets(t)
	tests := []struct {
		name  string
		edit  func(r *presetv1.CreatePresetRequest)
		field string
	}{
		{"h264 in webm", func(r *presetv1.CreatePresetRequest) { r.Container = commonv1.Container_CONTAINER_WEBM }, "video.codec"},
		{"av1 in ts", func(r *presetv1.CreatePresetRequest) {
			r.Container = commonv1.Container_CONTAINER_TS
			r.Video.Codec = commonv1.VideoCodec_VIDEO_CODEC_AV1
		}, "video.codec"},
		{"aac in webm", func(r *presetv1.CreatePresetRequest) {
			r.Container = commonv1.Container_CONTAINER_WEBM
			r.Video.Codec = commonv1.VideoCodec_VIDEO_CODEC_VP9
			r.Audio.Codec = commonv1.AudioCodec_AUDIO_CODEC_AAC
		}, "audio.codec"},
		{"progressive without container", func(r *presetv1.CreatePresetRequest) { r.Container = commonv1.Container_CONTAINER_UNSPECIFIED }, "container"},
		{"vbr without bitrate", func(r *presetv1.CreatePresetRequest) { r.Video.BitrateMode = presetv1.BitrateMode_BITRATE_MODE_VBR }, "video.bitrate_kbps"},
		{"h264 crf 60", func(r *presetv1.CreatePresetRequest) { r.Video.Crf = 60 }, "video.crf"},
		{"dash in ts segments", func(r *presetv1.CreatePresetRequest) {
			r.DeliveryFormat = presetv1.DeliveryFormat_DELIVERY_FORMAT_DASH
			r.Streaming = &presetv1.StreamingSettings{SegmentFormat: commonv1.SegmentFormat_SEGMENT_FORMAT_TS}
		}, "streaming.segment_format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := h264Request("bad")
			tt.edit(req)
			_, err := h.Create(as(appX), connect.NewRequest(req))
			wantViolation(t, err, tt.field)
		})
	}
}

func TestPresetService_SystemPresets(t *testing.T) {
	t.Parallel()
	h := newPresets(t)

	for _, p := range []auth.Principal{appX, appY, appXLive} {
		resp, err := h.List(as(p), connect.NewRequest(&presetv1.ListPresetsRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{}
		for _, sp := range resp.Msg.GetPresets() {
			if !sp.GetSystemPreset() {
				t.Fatalf("unexpected app preset %v", sp)
			}
			seen[sp.GetSlug()] = sp.GetId()
		}
		if !reflect.DeepEqual(seen, systemSlugs) {
			t.Fatalf("%s lists system presets %v, want %v", p.AppID, seen, systemSlugs)
		}
	}

	for slug, pid := range systemSlugs {
		t.Run(slug, func(t *testing.T) {
			t.Parallel()
			got, err := h.Get(as(appY), connect.NewRequest(&presetv1.GetPresetRequest{Id: pid}))
			if err != nil {
				t.Fatal(err)
			}
			p := got.Msg.GetPreset()
			bySlug, err := h.GetBySlug(as(appX), connect.NewRequest(&presetv1.GetPresetBySlugRequest{Slug: slug}))
			if err != nil {
				t.Fatal(err)
			}
			if !proto.Equal(bySlug.Msg.GetPreset(), p) {
				t.Fatalf("GetBySlug = %v, Get = %v", bySlug.Msg.GetPreset(), p)
			}
			if p.GetVideo() == nil || p.GetName() == "" || !p.GetSystemPreset() {
				t.Fatalf("system preset = %v", p)
			}
			// The seed is a fixed point of the rules: creating the same
			// settings as an app preset yields the same settings and cost.
			copyResp, err := h.Create(as(appX), connect.NewRequest(&presetv1.CreatePresetRequest{
				Slug: "copy_" + slug, Name: p.GetName(), Container: p.GetContainer(), Faststart: p.GetFaststart(),
				DeliveryFormat: p.GetDeliveryFormat(), Streaming: p.GetStreaming(), Video: p.GetVideo(),
				Audio: p.GetAudio(), QualityTier: p.GetQualityTier(),
			}))
			if err != nil {
				t.Fatalf("seed %s does not pass the rules: %v", slug, err)
			}
			c := copyResp.Msg.GetPreset()
			if !proto.Equal(c.GetVideo(), p.GetVideo()) || !proto.Equal(c.GetAudio(), p.GetAudio()) ||
				!proto.Equal(c.GetStreaming(), p.GetStreaming()) || c.GetContainer() != p.GetContainer() ||
				c.GetFaststart() != p.GetFaststart() || c.GetEstimatedCostPerMinute() != p.GetEstimatedCostPerMinute() {
				t.Fatalf("seed %s is not normalized:\nseed %v\nrule %v", slug, p, c)
			}
		})
	}

	t.Run("read only", func(t *testing.T) {
		t.Parallel()
		ctx := as(appX)
		_, err := h.Update(ctx, connect.NewRequest(&presetv1.UpdatePresetRequest{Id: systemSlugs["h264_1080p_standard"], Name: proto.String("mine")}))
		wantKind(t, err, rpcerr.KindPermissionDenied)
		_, err = h.Archive(ctx, connect.NewRequest(&presetv1.ArchivePresetRequest{Id: systemSlugs["h264_1080p_standard"]}))
		wantKind(t, err, rpcerr.KindPermissionDenied)
	})
}

func TestPresetService_ListFilters(t *testing.T) {
	t.Parallel()
	h := newPresets(t)
	ctx := as(appX)
	mine := create(t, h, appX, h264Request("mine"))
	create(t, h, appY, h264Request("theirs"))
	archived := create(t, h, appX, h264Request("old"))
	if _, err := h.Archive(ctx, connect.NewRequest(&presetv1.ArchivePresetRequest{Id: archived.GetId()})); err != nil {
		t.Fatal(err)
	}

	slugs := func(req *presetv1.ListPresetsRequest) []string {
		t.Helper()
		resp, err := h.List(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range resp.Msg.GetPresets() {
			out = append(out, p.GetSlug())
		}
		return out
	}
	if got := slugs(&presetv1.ListPresetsRequest{IncludeSystem: proto.Bool(false)}); !reflect.DeepEqual(got, []string{mine.GetSlug()}) {
		t.Fatalf("own presets = %v", got)
	}
	if got := slugs(&presetv1.ListPresetsRequest{IncludeSystem: proto.Bool(false), IncludeArchived: true}); !reflect.DeepEqual(got, []string{"old", "mine"}) {
		t.Fatalf("with archived = %v", got)
	}
	if got := slugs(&presetv1.ListPresetsRequest{Codec: commonv1.VideoCodec_VIDEO_CODEC_VP9}); !reflect.DeepEqual(got, []string{"vp9_720p_economy", "vp9_1080p_standard"}) &&
		!reflect.DeepEqual(got, []string{"vp9_1080p_standard", "vp9_720p_economy"}) {
		t.Fatalf("vp9 = %v", got)
	}
	if got := slugs(&presetv1.ListPresetsRequest{DeliveryFormat: presetv1.DeliveryFormat_DELIVERY_FORMAT_HLS}); !reflect.DeepEqual(got, []string{"hls_h264_ladder_standard"}) {
		t.Fatalf("hls = %v", got)
	}
	if got := slugs(&presetv1.ListPresetsRequest{Codec: commonv1.VideoCodec_VIDEO_CODEC_H264, Pagination: &commonv1.PaginationRequest{Limit: 100}}); len(got) != 1+5 || got[0] != "mine" {
		t.Fatalf("h264 = %v", got)
	}
	_, err := h.List(ctx, connect.NewRequest(&presetv1.ListPresetsRequest{Pagination: &commonv1.PaginationRequest{Cursor: "nope"}}))
	wantViolation(t, err, "pagination.cursor")
}

func TestPresetService_ListPagination(t *testing.T) {
	t.Parallel()
	h := newPresets(t)
	ctx := as(appX)
	want := map[string]bool{}
	for i := range 25 {
		want[create(t, h, appX, h264Request(fmt.Sprintf("p%02d", i))).GetId()] = true
	}
	create(t, h, appY, h264Request("other_app"))

	t.Run("cursor", func(t *testing.T) {
		seen := map[string]bool{}
		var sizes []int
		cursor := ""
		for {
			resp, err := h.List(ctx, connect.NewRequest(&presetv1.ListPresetsRequest{
				IncludeSystem: proto.Bool(false), Pagination: &commonv1.PaginationRequest{Limit: 10, Cursor: cursor},
			}))
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(resp.Msg.GetPresets()))
			for _, p := range resp.Msg.GetPresets() {
				if seen[p.GetId()] {
					t.Fatalf("%s listed twice", p.GetId())
				}
				seen[p.GetId()] = true
			}
			if cursor = resp.Msg.GetPagination().GetNextCursor(); cursor == "" {
				break
			}
		}
		if !reflect.DeepEqual(sizes, []int{10, 10, 5}) || !reflect.DeepEqual(seen, want) {
			t.Fatalf("pages %v, saw %d of %d presets", sizes, len(seen), len(want))
		}
	})
	t.Run("offset", func(t *testing.T) {
		seen := map[string]bool{}
		for offset := int32(0); offset < 30; offset += 10 {
			resp, err := h.List(ctx, connect.NewRequest(&presetv1.ListPresetsRequest{
				IncludeSystem: proto.Bool(false), Pagination: &commonv1.PaginationRequest{Limit: 10, Offset: offset},
			}))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range resp.Msg.GetPresets() {
				if seen[p.GetId()] {
					t.Fatalf("%s listed twice", p.GetId())
				}
				seen[p.GetId()] = true
			}
		}
		if !reflect.DeepEqual(seen, want) {
			t.Fatalf("saw %d of %d presets", len(seen), len(want))
		}
	})
	t.Run("with system presets", func(t *testing.T) {
		n, cursor := 0, ""
		for {
			resp, err := h.List(ctx, connect.NewRequest(&presetv1.ListPresetsRequest{Pagination: &commonv1.PaginationRequest{Limit: 10, Cursor: cursor}}))
			if err != nil {
				t.Fatal(err)
			}
			n += len(resp.Msg.GetPresets())
			if cursor = resp.Msg.GetPagination().GetNextCursor(); cursor == "" {
				break
			}
		}
		if n != 25+len(systemSlugs) {
			t.Fatalf("listed %d presets, want %d", n, 25+len(systemSlugs))
		}
	})
}

func TestPresetService_Duplicate(t *testing.T) {
	t.Parallel()
	h := newPresets(t)
	ctx := as(appX)
	src, err := h.Get(ctx, connect.NewRequest(&presetv1.GetPresetRequest{Id: systemSlugs["hls_h264_ladder_standard"]}))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := h.Duplicate(ctx, connect.NewRequest(&presetv1.DuplicatePresetRequest{Id: src.Msg.GetPreset().GetId(), Slug: "my_ladder"}))
	if err != nil {
		t.Fatal(err)
	}
	s, d := src.Msg.GetPreset(), resp.Msg.GetPreset()
	if d.GetSystemPreset() || d.GetId() == s.GetId() || d.GetSlug() != "my_ladder" || d.GetName() != s.GetName()+" (copy)" ||
		!proto.Equal(d.GetVideo(), s.GetVideo()) || !proto.Equal(d.GetStreaming(), s.GetStreaming()) || !proto.Equal(d.GetAudio(), s.GetAudio()) ||
		d.GetContainer() != s.GetContainer() || d.GetDeliveryFormat() != s.GetDeliveryFormat() || d.GetEstimatedCostPerMinute() != s.GetEstimatedCostPerMinute() {
		t.Fatalf("duplicate of\n%v\n=\n%v", s, d)
	}
	// The copy is the app's: it can be changed.
	upd, err := h.Update(ctx, connect.NewRequest(&presetv1.UpdatePresetRequest{Id: d.GetId(), QualityTier: commonv1.QualityTier_QUALITY_TIER_PREMIUM}))
	if err != nil {
		t.Fatal(err)
	}
	if upd.Msg.GetPreset().GetEstimatedCostPerMinute() != 0.013 {
		t.Fatalf("premium cost = %v", upd.Msg.GetPreset().GetEstimatedCostPerMinute())
	}

	named, err := h.Duplicate(ctx, connect.NewRequest(&presetv1.DuplicatePresetRequest{Id: d.GetId(), Slug: "my_ladder_2", Name: "Second"}))
	if err != nil || named.Msg.GetPreset().GetName() != "Second" {
		t.Fatalf("named duplicate = %v, %v", named, err)
	}
	_, err = h.Duplicate(ctx, connect.NewRequest(&presetv1.DuplicatePresetRequest{Id: d.GetId(), Slug: "my_ladder"}))
	wantKind(t, err, rpcerr.KindAlreadyExists)
	_, err = h.Duplicate(ctx, connect.NewRequest(&presetv1.DuplicatePresetRequest{Id: d.GetId(), Slug: "vp9_720p_economy"}))
	wantKind(t, err, rpcerr.KindAlreadyExists)
	_, err = h.Duplicate(ctx, connect.NewRequest(&presetv1.DuplicatePresetRequest{Id: "pst_doesnotexist", Slug: "x"}))
	wantKind(t, err, rpcerr.KindNotFound)
}

func TestPresetService_UpdateAndArchive(t *testing.T) {
	t.Parallel()
	h := newPresets(t)
	ctx := as(appX)
	p := create(t, h, appX, h264Request("web"))

	t.Run("incompatible container", func(t *testing.T) {
		_, err := h.Update(ctx, connect.NewRequest(&presetv1.UpdatePresetRequest{Id: p.GetId(), Container: commonv1.Container_CONTAINER_WEBM}))
		wantViolation(t, err, "video.codec")
	})

	resp, err := h.Update(ctx, connect.NewRequest(&presetv1.UpdatePresetRequest{
		Id: p.GetId(), Name: proto.String("Renamed"), Container: commonv1.Container_CONTAINER_WEBM,
		Video: &presetv1.PresetVideo{Codec: commonv1.VideoCodec_VIDEO_CODEC_VP9, Resolution: commonv1.Resolution_RESOLUTION_1080P},
		Audio: &presetv1.PresetAudio{Codec: commonv1.AudioCodec_AUDIO_CODEC_OPUS},
	}))
	if err != nil {
		t.Fatal(err)
	}
	u := resp.Msg.GetPreset()
	if u.GetName() != "Renamed" || u.GetContainer() != commonv1.Container_CONTAINER_WEBM || u.GetFaststart() ||
		u.GetVideo().GetCrf() != 33 || u.GetEstimatedCostPerMinute() != 0.015 || u.GetSlug() != "web" ||
		!u.GetUpdatedAt().AsTime().After(p.GetUpdatedAt().AsTime()) {
		t.Fatalf("updated = %v", u)
	}

	// Switch to HLS and back: streaming settings appear and go.
	resp, err = h.Update(ctx, connect.NewRequest(&presetv1.UpdatePresetRequest{
		Id: p.GetId(), DeliveryFormat: presetv1.DeliveryFormat_DELIVERY_FORMAT_HLS, Container: commonv1.Container_CONTAINER_MP4,
	}))
	if err != nil {
		t.Fatal(err)
	}
	if st := resp.Msg.GetPreset().GetStreaming(); st.GetSegmentDurationSeconds() != 6 || st.GetSegmentFormat() != commonv1.SegmentFormat_SEGMENT_FORMAT_FMP4 {
		t.Fatalf("streaming = %v", st)
	}
	resp, err = h.Update(ctx, connect.NewRequest(&presetv1.UpdatePresetRequest{Id: p.GetId(), DeliveryFormat: presetv1.DeliveryFormat_DELIVERY_FORMAT_PROGRESSIVE}))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Msg.GetPreset().GetStreaming() != nil {
		t.Fatalf("progressive preset kept streaming: %v", resp.Msg.GetPreset())
	}

	arch, err := h.Archive(ctx, connect.NewRequest(&presetv1.ArchivePresetRequest{Id: p.GetId()}))
	if err != nil || arch.Msg.GetPreset().GetArchivedAt() == nil {
		t.Fatalf("Archive = %v, %v", arch, err)
	}
	again, err := h.Archive(ctx, connect.NewRequest(&presetv1.ArchivePresetRequest{Id: p.GetId()}))
	if err != nil || !again.Msg.GetPreset().GetArchivedAt().AsTime().Equal(arch.Msg.GetPreset().GetArchivedAt().AsTime()) {
		t.Fatalf("second Archive = %v, %v", again, err)
	}
	_, err = h.Update(ctx, connect.NewRequest(&presetv1.UpdatePresetRequest{Id: p.GetId(), Name: proto.String("late")}))
	wantKind(t, err, rpcerr.KindFailedPrecondition)

	// Archiving frees the slug; GetBySlug then prefers the live preset.
	fresh := create(t, h, appX, h264Request("web"))
	bySlug, err := h.GetBySlug(ctx, connect.NewRequest(&presetv1.GetPresetBySlugRequest{Slug: "web"}))
	if err != nil || bySlug.Msg.GetPreset().GetId() != fresh.GetId() {
		t.Fatalf("GetBySlug = %v, %v; want %s", bySlug, err, fresh.GetId())
	}
	// The archived one is still readable by id.
	old, err := h.Get(ctx, connect.NewRequest(&presetv1.GetPresetRequest{Id: p.GetId()}))
	if err != nil || old.Msg.GetPreset().GetArchivedAt() == nil {
		t.Fatalf("Get archived = %v, %v", old, err)
	}
}

func TestPresetResolverService_Resolve(t *testing.T) {
	t.Parallel()
	h := newPresets(t)
	ctx := context.Background() // internal calls carry no principal
	mine := create(t, h, appX, h264Request("mine"))
	gone := create(t, h, appX, h264Request("gone"))
	if _, err := h.Archive(as(appX), connect.NewRequest(&presetv1.ArchivePresetRequest{Id: gone.GetId()})); err != nil {
		t.Fatal(err)
	}
	bothLive := create(t, h, appXLive, h264Request("both"))
	theirs := create(t, h, appY, h264Request("theirs"))

	resolve := func(app, env, ref string) (*presetv1.Preset, error) {
		resp, err := h.Resolve(ctx, connect.NewRequest(&internalv1.ResolvePresetRequest{AppId: app, Environment: env, Ref: ref}))
		if err != nil {
			return nil, err
		}
		return resp.Msg.GetPreset(), nil
	}
	both := create(t, h, appX, h264Request("both"))
	tests := []struct {
		name, app, env, ref string
		wantID              string
		kind                rpcerr.Kind
	}{
		{"by slug", "app_x", "test", "mine", mine.GetId(), 0},
		{"by id", "app_x", "test", mine.GetId(), mine.GetId(), 0},
		{"system by slug", "app_x", "test", "h264_720p_economy", systemSlugs["h264_720p_economy"], 0},
		{"system by id", "app_y", "test", systemSlugs["av1_1080p_premium"], systemSlugs["av1_1080p_premium"], 0},
		{"slug in each environment: test", "app_x", "test", "both", both.GetId(), 0},
		{"slug in each environment: live", "app_x", "live", "both", bothLive.GetId(), 0},
		{"other environment by id", "app_x", "test", bothLive.GetId(), "", rpcerr.KindNotFound},
		{"other environment by slug", "app_x", "live", "mine", "", rpcerr.KindNotFound},
		{"archived by slug", "app_x", "test", "gone", "", rpcerr.KindFailedPrecondition},
		{"archived by id", "app_x", "test", gone.GetId(), "", rpcerr.KindFailedPrecondition},
		{"unknown slug", "app_x", "test", "nope", "", rpcerr.KindNotFound},
		{"unknown id", "app_x", "test", "pst_nope", "", rpcerr.KindNotFound},
		{"another app's id", "app_x", "test", theirs.GetId(), "", rpcerr.KindNotFound},
		{"another app's slug", "app_x", "test", "theirs", "", rpcerr.KindNotFound},
		{"no app", "", "test", "mine", "", rpcerr.KindInvalid},
		{"no ref", "app_x", "test", "", "", rpcerr.KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := resolve(tt.app, tt.env, tt.ref)
			if tt.kind != 0 {
				wantKind(t, err, tt.kind)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.GetId() != tt.wantID || p.GetVideo() == nil {
				t.Fatalf("resolved %v, want %s", p, tt.wantID)
			}
		})
	}
}
