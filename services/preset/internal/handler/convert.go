package handler

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	presetv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/presetv1"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
	"github.com/transcodely/transcodely/services/preset/internal/compat"
	"github.com/transcodely/transcodely/services/preset/internal/store/dbgen"
)

// The jsonb columns hold protojson with proto field names, so the stored
// documents read like the proto file and the enum value names survive
// renumbering.
var (
	marshalJSON   = protojson.MarshalOptions{UseProtoNames: true}
	unmarshalJSON = protojson.UnmarshalOptions{DiscardUnknown: true}
)

// wire is an enum's public wire name, "" for the unspecified value.
func wire(e protoreflect.Enum) string {
	if e.Number() == 0 {
		return ""
	}
	return rpcwire.EnumString(e)
}

// enumOf is the inverse of wire: 0 for "" or an unknown name.
func enumOf(d protoreflect.EnumDescriptor, s string) protoreflect.EnumNumber {
	if s == "" {
		return 0
	}
	n, _ := rpcwire.EnumNumber(d, s)
	return n
}

// settingsOf is the part of p the compatibility rules look at.
func settingsOf(p *presetv1.Preset) compat.Settings {
	s := compat.Settings{
		Container:      wire(p.GetContainer()),
		Faststart:      p.GetFaststart(),
		DeliveryFormat: wire(p.GetDeliveryFormat()),
		QualityTier:    wire(p.GetQualityTier()),
	}
	if st := p.GetStreaming(); st != nil {
		s.Streaming = &compat.Streaming{
			SegmentDurationSeconds: st.GetSegmentDurationSeconds(),
			PlaylistType:           wire(st.GetPlaylistType()),
			SegmentFormat:          wire(st.GetSegmentFormat()),
		}
	}
	v := p.GetVideo()
	s.Video = compat.Video{
		Codec: wire(v.GetCodec()), Resolution: wire(v.GetResolution()), BitrateMode: wire(v.GetBitrateMode()),
		CRF: int(v.GetCrf()), BitrateKbps: int(v.GetBitrateKbps()), MaxBitrateKbps: int(v.GetMaxBitrateKbps()),
		Profile: v.GetProfile(), EncoderPreset: v.GetEncoderPreset(),
		Framerate: v.GetFramerate(), GOPSeconds: v.GetGopSeconds(),
	}
	if a := p.GetAudio(); a != nil {
		s.Audio = &compat.Audio{
			Codec: wire(a.GetCodec()), BitrateKbps: int(a.GetBitrateKbps()), SampleRate: int(a.GetSampleRate()),
			Channels: int(a.GetChannels()), Normalize: a.GetNormalize(),
		}
	}
	return s
}

// apply writes normalized settings back into p, with the cost they imply.
func apply(p *presetv1.Preset, s compat.Settings) {
	p.Container = commonv1.Container(enumOf(commonv1.Container(0).Descriptor(), s.Container))
	p.Faststart = s.Faststart
	p.DeliveryFormat = presetv1.DeliveryFormat(enumOf(presetv1.DeliveryFormat(0).Descriptor(), s.DeliveryFormat))
	p.QualityTier = commonv1.QualityTier(enumOf(commonv1.QualityTier(0).Descriptor(), s.QualityTier))
	p.Streaming = nil
	if st := s.Streaming; st != nil {
		p.Streaming = &presetv1.StreamingSettings{
			SegmentDurationSeconds: st.SegmentDurationSeconds,
			PlaylistType:           commonv1.PlaylistType(enumOf(commonv1.PlaylistType(0).Descriptor(), st.PlaylistType)),
			SegmentFormat:          commonv1.SegmentFormat(enumOf(commonv1.SegmentFormat(0).Descriptor(), st.SegmentFormat)),
		}
	}
	v := s.Video
	p.Video = &presetv1.PresetVideo{
		Codec:       commonv1.VideoCodec(enumOf(commonv1.VideoCodec(0).Descriptor(), v.Codec)),
		Resolution:  commonv1.Resolution(enumOf(commonv1.Resolution(0).Descriptor(), v.Resolution)),
		BitrateMode: presetv1.BitrateMode(enumOf(presetv1.BitrateMode(0).Descriptor(), v.BitrateMode)),
		Crf:         int32(v.CRF), BitrateKbps: int32(v.BitrateKbps), MaxBitrateKbps: int32(v.MaxBitrateKbps), //nolint:gosec // bounded by validation
		Profile: v.Profile, EncoderPreset: v.EncoderPreset, Framerate: v.Framerate, GopSeconds: v.GOPSeconds,
	}
	p.Audio = nil
	if a := s.Audio; a != nil {
		p.Audio = &presetv1.PresetAudio{
			Codec:       commonv1.AudioCodec(enumOf(commonv1.AudioCodec(0).Descriptor(), a.Codec)),
			BitrateKbps: int32(a.BitrateKbps), SampleRate: int32(a.SampleRate), Channels: int32(a.Channels), //nolint:gosec // bounded by validation
			Normalize: a.Normalize,
		}
	}
	p.EstimatedCostPerMinute = compat.CostPerMinute(v.Codec, v.Resolution, s.QualityTier)
}

// documents is a preset's jsonb columns; nil is SQL NULL.
type documents struct{ streaming, video, audio []byte }

func encode(p *presetv1.Preset) (documents, error) {
	var d documents
	var err error
	if d.video, err = marshalJSON.Marshal(p.GetVideo()); err != nil {
		return d, fmt.Errorf("encode video: %w", err)
	}
	if p.GetStreaming() != nil {
		if d.streaming, err = marshalJSON.Marshal(p.GetStreaming()); err != nil {
			return d, fmt.Errorf("encode streaming: %w", err)
		}
	}
	if p.GetAudio() != nil {
		if d.audio, err = marshalJSON.Marshal(p.GetAudio()); err != nil {
			return d, fmt.Errorf("encode audio: %w", err)
		}
	}
	return d, nil
}

// decode reads a jsonb document into m; NULL leaves m nil.
func decode[M proto.Message](raw []byte, m M) (M, error) {
	var zero M
	if raw == nil {
		return zero, nil
	}
	if err := unmarshalJSON.Unmarshal(raw, m); err != nil {
		return zero, err
	}
	return m, nil
}

// toProto renders a row. The documents were written by this service (or its
// migrations), so a decoding failure is an internal error.
func toProto(r dbgen.PresetPreset) (*presetv1.Preset, error) {
	p := &presetv1.Preset{
		Id: r.ID, Slug: r.Slug, Name: r.Name, Description: r.Description,
		ContentType:            presetv1.ContentType(enumOf(presetv1.ContentType(0).Descriptor(), r.ContentType)),
		Container:              commonv1.Container(enumOf(commonv1.Container(0).Descriptor(), r.Container)),
		Faststart:              r.Faststart,
		DeliveryFormat:         presetv1.DeliveryFormat(enumOf(presetv1.DeliveryFormat(0).Descriptor(), r.DeliveryFormat)),
		QualityTier:            commonv1.QualityTier(enumOf(commonv1.QualityTier(0).Descriptor(), r.QualityTier)),
		EstimatedCostPerMinute: r.EstimatedCostPerMinute,
		SystemPreset:           r.SystemPreset,
		CreatedAt:              rpcwire.Timestamp(r.CreatedAt),
		UpdatedAt:              rpcwire.Timestamp(r.UpdatedAt),
		ArchivedAt:             rpcwire.Timestamp(r.ArchivedAt),
	}
	var err error
	if p.Video, err = decode(r.Video, &presetv1.PresetVideo{}); err != nil {
		return nil, fmt.Errorf("preset %s: video: %w", r.ID, err)
	}
	if p.Audio, err = decode(r.Audio, &presetv1.PresetAudio{}); err != nil {
		return nil, fmt.Errorf("preset %s: audio: %w", r.ID, err)
	}
	if p.Streaming, err = decode(r.Streaming, &presetv1.StreamingSettings{}); err != nil {
		return nil, fmt.Errorf("preset %s: streaming: %w", r.ID, err)
	}
	return p, nil
}
