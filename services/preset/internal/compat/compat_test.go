package compat

import (
	"reflect"
	"slices"
	"testing"
)

func TestVideoAllowed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		container, codec string
		ok               bool
	}{
		{"mp4", "h264", true}, {"mp4", "h265", true}, {"mp4", "vp9", true}, {"mp4", "av1", true},
		{"mkv", "h264", true}, {"mkv", "h265", true}, {"mkv", "vp9", true}, {"mkv", "av1", true},
		{"webm", "vp9", true}, {"webm", "av1", true}, {"webm", "h264", false}, {"webm", "h265", false},
		{"ts", "h264", true}, {"ts", "h265", true}, {"ts", "vp9", false}, {"ts", "av1", false},
		{"mov", "h264", true}, {"mov", "h265", true}, {"mov", "vp9", false}, {"mov", "av1", false},
		{"avi", "h264", false},
	}
	for _, tt := range tests {
		if got := VideoAllowed(tt.container, tt.codec); got != tt.ok {
			t.Errorf("VideoAllowed(%s, %s) = %v, want %v", tt.container, tt.codec, got, tt.ok)
		}
	}
}

func TestAudioAllowed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		container, codec string
		ok               bool
	}{
		{"mp4", "aac", true}, {"mp4", "opus", true},
		{"mkv", "aac", true}, {"mkv", "opus", true},
		{"webm", "opus", true}, {"webm", "aac", false},
		{"ts", "aac", true}, {"ts", "opus", false},
		{"mov", "aac", true}, {"mov", "opus", false},
	}
	for _, tt := range tests {
		if got := AudioAllowed(tt.container, tt.codec); got != tt.ok {
			t.Errorf("AudioAllowed(%s, %s) = %v, want %v", tt.container, tt.codec, got, tt.ok)
		}
	}
}

func TestNormalize_Violations(t *testing.T) {
	t.Parallel()
	h264 := Video{Codec: "h264"}
	tests := []struct {
		name string
		in   Settings
		want []string // violated fields, in order
	}{
		{"valid h264 mp4", Settings{Container: "mp4", Video: h264}, nil},
		{"h264 in webm", Settings{Container: "webm", Video: h264}, []string{"video.codec"}},
		{"h265 in webm", Settings{Container: "webm", Video: Video{Codec: "h265"}}, []string{"video.codec"}},
		{"vp9 in ts", Settings{Container: "ts", Video: Video{Codec: "vp9"}}, []string{"video.codec"}},
		{"av1 in mov", Settings{Container: "mov", Video: Video{Codec: "av1"}}, []string{"video.codec"}},
		{"vp9 in mkv", Settings{Container: "mkv", Video: Video{Codec: "vp9"}}, nil},
		{"av1 in webm", Settings{Container: "webm", Video: Video{Codec: "av1"}}, nil},
		{"aac in webm", Settings{Container: "webm", Video: Video{Codec: "vp9"}, Audio: &Audio{Codec: "aac"}}, []string{"audio.codec"}},
		{"opus in mp4", Settings{Container: "mp4", Video: h264, Audio: &Audio{Codec: "opus"}}, nil},
		{"opus in ts", Settings{Container: "ts", Video: h264, Audio: &Audio{Codec: "opus"}}, []string{"audio.codec"}},
		{"progressive without container", Settings{Video: h264}, []string{"container"}},
		{"progressive with streaming", Settings{Container: "mp4", Video: h264, Streaming: &Streaming{}}, []string{"streaming"}},
		{"missing codec", Settings{Container: "mp4"}, []string{"video.codec"}},
		{"crf too high h264", Settings{Container: "mp4", Video: Video{Codec: "h264", CRF: 52}}, []string{"video.crf"}},
		{"crf 63 vp9", Settings{Container: "webm", Video: Video{Codec: "vp9", CRF: 63}}, nil},
		{"crf 64 av1", Settings{Container: "webm", Video: Video{Codec: "av1", CRF: 64}}, []string{"video.crf"}},
		{"crf with bitrate", Settings{Container: "mp4", Video: Video{Codec: "h264", BitrateMode: "crf", BitrateKbps: 3000}}, []string{"video.bitrate_kbps"}},
		{"crf with cap", Settings{Container: "mp4", Video: Video{Codec: "h264", BitrateMode: "crf", MaxBitrateKbps: 3000}}, nil},
		{"vbr without bitrate", Settings{Container: "mp4", Video: Video{Codec: "h264", BitrateMode: "vbr"}}, []string{"video.bitrate_kbps"}},
		{"cbr bitrate too low", Settings{Container: "mp4", Video: Video{Codec: "h264", BitrateMode: "cbr", BitrateKbps: 99}}, []string{"video.bitrate_kbps"}},
		{"vbr with crf", Settings{Container: "mp4", Video: Video{Codec: "h264", BitrateMode: "vbr", BitrateKbps: 3000, CRF: 20}}, []string{"video.crf"}},
		{"max below bitrate", Settings{Container: "mp4", Video: Video{Codec: "h264", BitrateKbps: 3000, MaxBitrateKbps: 2000}}, []string{"video.max_bitrate_kbps"}},
		{"cbr max differs", Settings{Container: "mp4", Video: Video{Codec: "h264", BitrateMode: "cbr", BitrateKbps: 3000, MaxBitrateKbps: 4000}}, []string{"video.max_bitrate_kbps"}},
		{"bad profile", Settings{Container: "mp4", Video: Video{Codec: "h264", Profile: "main10"}}, []string{"video.profile"}},
		{"bad encoder preset", Settings{Container: "webm", Video: Video{Codec: "vp9", EncoderPreset: "fast"}}, []string{"video.encoder_preset"}},
		{"opus sample rate", Settings{Container: "webm", Video: Video{Codec: "vp9"}, Audio: &Audio{SampleRate: 44100}}, []string{"audio.sample_rate"}},
		{"aac bitrate too high", Settings{Container: "mp4", Video: h264, Audio: &Audio{BitrateKbps: 600}}, []string{"audio.bitrate_kbps"}},
		{"hls defaults", Settings{DeliveryFormat: "hls", Video: h264}, nil},
		{"dash with ts segments", Settings{DeliveryFormat: "dash", Video: h264, Streaming: &Streaming{SegmentFormat: "ts"}}, []string{"streaming.segment_format"}},
		{"hls in webm", Settings{DeliveryFormat: "hls", Container: "webm", Video: Video{Codec: "vp9"}}, []string{"container"}},
		{"hls ts segments vp9", Settings{DeliveryFormat: "hls", Video: Video{Codec: "vp9"}, Streaming: &Streaming{SegmentFormat: "ts"}}, []string{"video.codec"}},
		{"segment too short", Settings{DeliveryFormat: "cmaf", Video: h264, Streaming: &Streaming{SegmentDurationSeconds: 0.5}}, []string{"streaming.segment_duration_seconds"}},
		{"gop does not divide segment", Settings{DeliveryFormat: "hls", Video: Video{Codec: "h264", GOPSeconds: 4}}, []string{"video.gop_seconds"}},
		{"several at once", Settings{Container: "webm", Video: Video{Codec: "h264", CRF: 60}, Audio: &Audio{Codec: "aac"}}, []string{"video.codec", "video.crf", "audio.codec"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, vs := Normalize(tt.in)
			var got []string
			for _, v := range vs {
				got = append(got, v.Field)
				if v.Description == "" {
					t.Errorf("violation of %s has no description", v.Field)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("violations = %v (%v), want %v", got, vs, tt.want)
			}
		})
	}
}

func TestNormalize_Defaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   Settings
		want Settings
	}{
		{
			"progressive h264 economy",
			Settings{Container: "mp4", Faststart: true, QualityTier: "economy", Video: Video{Codec: "h264"}, Audio: &Audio{}},
			Settings{Container: "mp4", Faststart: true, DeliveryFormat: "progressive", QualityTier: "economy",
				Video: Video{Codec: "h264", BitrateMode: "crf", CRF: 26, EncoderPreset: "veryfast"},
				Audio: &Audio{Codec: "aac", BitrateKbps: 128, SampleRate: 48000, Channels: 2}},
		},
		{
			"webm picks opus and drops faststart",
			Settings{Container: "webm", Faststart: true, Video: Video{Codec: "vp9"}, Audio: &Audio{}},
			Settings{Container: "webm", DeliveryFormat: "progressive", QualityTier: "standard",
				Video: Video{Codec: "vp9", BitrateMode: "crf", CRF: 33, EncoderPreset: "4"},
				Audio: &Audio{Codec: "opus", BitrateKbps: 128, SampleRate: 48000, Channels: 2}},
		},
		{
			"bitrate means vbr",
			Settings{Container: "mkv", Video: Video{Codec: "av1", BitrateKbps: 2000}},
			Settings{Container: "mkv", DeliveryFormat: "progressive", QualityTier: "standard",
				Video: Video{Codec: "av1", BitrateMode: "vbr", BitrateKbps: 2000, EncoderPreset: "8"}},
		},
		{
			"cbr ceiling",
			Settings{Container: "ts", Video: Video{Codec: "h265", BitrateMode: "cbr", BitrateKbps: 4000}},
			Settings{Container: "ts", DeliveryFormat: "progressive", QualityTier: "standard",
				Video: Video{Codec: "h265", BitrateMode: "cbr", BitrateKbps: 4000, MaxBitrateKbps: 4000, EncoderPreset: "fast"}},
		},
		{
			"hls without streaming settings",
			Settings{DeliveryFormat: "hls", Faststart: true, Video: Video{Codec: "h264"}},
			Settings{Container: "mp4", DeliveryFormat: "hls", QualityTier: "standard",
				Streaming: &Streaming{SegmentDurationSeconds: 6, PlaylistType: "vod", SegmentFormat: "fmp4"},
				Video:     Video{Codec: "h264", BitrateMode: "crf", CRF: 23, EncoderPreset: "faster"}},
		},
		{
			"hls in ts",
			Settings{DeliveryFormat: "hls", Container: "ts", Video: Video{Codec: "h264"}, Streaming: &Streaming{SegmentDurationSeconds: 4}},
			Settings{Container: "ts", DeliveryFormat: "hls", QualityTier: "standard",
				Streaming: &Streaming{SegmentDurationSeconds: 4, PlaylistType: "vod", SegmentFormat: "ts"},
				Video:     Video{Codec: "h264", BitrateMode: "crf", CRF: 23, EncoderPreset: "faster"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, vs := Normalize(tt.in)
			if len(vs) > 0 {
				t.Fatalf("violations: %v", vs)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Normalize =\n%+v\nwant\n%+v", got, tt.want)
			}
			// Normalizing is idempotent: stored presets stay valid.
			again, vs := Normalize(got)
			if len(vs) > 0 || !reflect.DeepEqual(again, got) {
				t.Fatalf("second Normalize = %+v, %v", again, vs)
			}
		})
	}
}

func TestNormalize_DoesNotAliasInput(t *testing.T) {
	t.Parallel()
	in := Settings{Container: "mp4", Video: Video{Codec: "h264"}, Audio: &Audio{}}
	_, _ = Normalize(in)
	if *in.Audio != (Audio{}) {
		t.Fatalf("input audio changed: %+v", *in.Audio)
	}
}

func TestCostPerMinute(t *testing.T) {
	t.Parallel()
	tests := []struct {
		codec, res, q string
		want          float64
	}{
		{"h264", "1080p", "standard", 0.010},
		{"h264", "720p", "economy", 0.008},
		{"h264", "480p", "economy", 0.004},
		{"h265", "2160p", "premium", 0.0585},
		{"vp9", "720p", "economy", 0.012},
		{"av1", "1080p", "premium", 0.0325},
		{"av1", "1440p", "standard", 0.0375},
		{"h264", "4320p", "standard", 0.060},
		{"h264", "", "standard", 0.010},
	}
	for _, tt := range tests {
		if got := CostPerMinute(tt.codec, tt.res, tt.q); got != tt.want {
			t.Errorf("CostPerMinute(%s, %s, %s) = %v, want %v", tt.codec, tt.res, tt.q, got, tt.want)
		}
	}
}
