// Package compat holds the rules a preset's settings must obey beyond what
// protovalidate can express: which codecs each container and segment format
// carries, rate-control consistency, per-codec CRF ranges, profiles and
// encoder presets, audio parameters, and the defaults a preset is completed
// with before it is stored. It also prices presets.
//
// It is pure Go on wire-name strings ("h264", "mp4", "hls"); the handler
// translates protobuf enums to and from them. Settings returned by
// Normalize are fully resolved, so a job that copies a preset gets exactly
// the encoder settings the preset showed when it was read.
package compat

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/internal/quality"
)

// Video is a preset's video settings. Zero values mean "default" except where
// noted.
type Video struct {
	Codec string // h264, h265, vp9, av1 (required)
	// Resolution is the named output height ("1080p"); "" keeps the source's.
	Resolution     string
	BitrateMode    string // crf, vbr, cbr; "" is crf, or vbr when BitrateKbps is set
	CRF            int
	BitrateKbps    int
	MaxBitrateKbps int
	Profile        string
	EncoderPreset  string
	// Framerate in frames per second; 0 keeps the source's.
	Framerate float64
	// GOPSeconds is the keyframe interval; 0 lets the encoder plan choose (2 s).
	GOPSeconds float64
}

// Audio is a preset's audio settings.
type Audio struct {
	Codec       string // aac, opus; "" picks the container's natural codec
	BitrateKbps int
	SampleRate  int // Hz
	Channels    int
	Normalize   bool
}

// Streaming is how hls, dash and cmaf presets are packaged.
type Streaming struct {
	SegmentDurationSeconds float64
	PlaylistType           string // vod, event
	SegmentFormat          string // fmp4, ts
}

// Settings is everything about a preset that Normalize checks.
type Settings struct {
	Container      string // mp4, webm, mkv, ts, mov; "" only for streaming delivery
	Faststart      bool
	DeliveryFormat string // progressive, hls, dash, cmaf; "" is progressive
	QualityTier    string // economy, standard, premium; "" is standard
	// Streaming is nil for progressive presets.
	Streaming *Streaming
	Video     Video
	// Audio is nil for presets without an audio track.
	Audio *Audio
}

// Defaults applied by Normalize.
const (
	DefaultSegmentSeconds = 6.0
	DefaultAudioKbps      = 128
	DefaultSampleRate     = 48000
	DefaultChannels       = 2
	// MinBitrateKbps and MaxBitrateKbps bound video bitrates.
	MinBitrateKbps = 100
	MaxBitrateKbps = 240000
)

// videoIn lists the video codecs each container (and each streaming segment
// format, keyed "segment:<format>") can carry. VP9 and AV1 live in the
// ISO-BMFF and Matroska families only; MPEG-TS and QuickTime carry the MPEG
// codecs only.
var videoIn = map[string][]string{
	"mp4":          {"h264", "h265", "vp9", "av1"},
	"mkv":          {"h264", "h265", "vp9", "av1"},
	"webm":         {"vp9", "av1"},
	"mov":          {"h264", "h265"},
	"ts":           {"h264", "h265"},
	"segment:fmp4": {"h264", "h265", "vp9", "av1"},
	"segment:ts":   {"h264", "h265"},
}

// audioIn lists the audio codecs each container carries. WebM is Opus (or
// Vorbis) only; Opus in MP4 is standard and ffmpeg writes it; QuickTime and
// MPEG-TS get AAC only because players do not play Opus there.
var audioIn = map[string][]string{
	"mp4":          {"aac", "opus"},
	"mkv":          {"aac", "opus"},
	"webm":         {"opus"},
	"mov":          {"aac"},
	"ts":           {"aac"},
	"segment:fmp4": {"aac", "opus"},
	"segment:ts":   {"aac"},
}

// VideoAllowed reports whether container carries the video codec.
func VideoAllowed(container, codec string) bool {
	return slices.Contains(videoIn[container], codec)
}

// AudioAllowed reports whether container carries the audio codec.
func AudioAllowed(container, codec string) bool {
	return slices.Contains(audioIn[container], codec)
}

// containersFor lists the (non-segment) containers carrying codec, for
// error messages.
func containersFor(table map[string][]string, codec string) []string {
	var out []string
	for _, c := range []string{"mp4", "webm", "mkv", "ts", "mov"} {
		if slices.Contains(table[c], codec) {
			out = append(out, c)
		}
	}
	return out
}

// crfMax is the top of each encoder's CRF scale (x264/x265 0-51,
// libvpx-vp9 and SVT-AV1 0-63).
var crfMax = map[string]int{"h264": 51, "h265": 51, "vp9": 63, "av1": 63}

// TierCRF returns the CRF quality tier q picks for codec (0 if unknown).
func TierCRF(codec, q string) int { t, _, _ := quality.Tier(codec, q); return t.CRF }

// TierEncoderPreset returns the encoder speed quality tier q picks for codec.
func TierEncoderPreset(codec, q string) string { t, _, _ := quality.Tier(codec, q); return t.Preset }

var x26xPresets = []string{"ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"}

// encoderPresets are the accepted speed settings: x264/x265 preset names,
// libvpx-vp9 cpu-used 0-8 and the SVT-AV1 preset 0-13.
var encoderPresets = map[string][]string{
	"h264": x26xPresets,
	"h265": x26xPresets,
	"vp9":  numbers(0, 8),
	"av1":  numbers(0, 13),
}

// profiles are the encoder profiles accepted per codec.
var profiles = map[string][]string{
	"h264": {"baseline", "main", "high", "high10", "high422", "high444"},
	"h265": {"main", "main10", "main12", "main422-10", "main444-8", "main444-10"},
	"vp9":  {"0", "1", "2", "3"},
	"av1":  {"main", "high", "professional"},
}

// sampleRates are the rates each audio encoder accepts, in Hz.
var sampleRates = map[string][]int{
	"aac":  {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000},
	"opus": {8000, 12000, 16000, 24000, 48000},
}

// audioKbps bounds audio bitrates per codec.
var audioKbps = map[string][2]int{"aac": {16, 512}, "opus": {6, 510}}

func numbers(lo, hi int) []string {
	var out []string
	for i := lo; i <= hi; i++ {
		out = append(out, fmt.Sprint(i))
	}
	return out
}

type checker struct{ v []rpcerr.Violation }

func (c *checker) add(field, format string, args ...any) {
	c.v = append(c.v, rpcerr.Violation{Field: field, Description: fmt.Sprintf(format, args...)})
}

// Normalize checks s and completes it with defaults. Violations name fields
// by their request path ("video.codec", "streaming.segment_format"); when
// there are any, the returned settings must not be stored.
//
// Defaults: delivery progressive, quality standard, bitrate mode crf (vbr
// when a bitrate is given), CRF and encoder preset from the quality tier,
// cbr's ceiling equal to its bitrate; for streaming delivery 6 s vod
// segments in fmp4 (ts when the container is ts) and the container that
// matches the segment format; audio codec opus in webm and aac elsewhere,
// 128 kbps, 48 kHz, stereo. Faststart is cleared for containers without a
// movie header to move (everything but progressive mp4 and mov).
func Normalize(s Settings) (Settings, []rpcerr.Violation) {
	c := &checker{}
	if s.DeliveryFormat == "" {
		s.DeliveryFormat = "progressive"
	}
	if s.QualityTier == "" {
		s.QualityTier = "standard"
	}
	if s.Streaming != nil {
		st := *s.Streaming
		s.Streaming = &st
	}
	if s.Audio != nil {
		a := *s.Audio
		s.Audio = &a
	}

	// where is the key of videoIn/audioIn the codecs are checked against.
	where := s.Container
	switch s.DeliveryFormat {
	case "progressive":
		if s.Streaming != nil {
			c.add("streaming", "only hls, dash and cmaf presets take streaming settings")
		}
		if s.Container == "" {
			c.add("container", "required for progressive delivery")
		}
	case "hls", "dash", "cmaf":
		where = normalizeStreaming(c, &s)
	default:
		c.add("delivery_format", "unknown delivery format %q", s.DeliveryFormat)
	}
	if s.DeliveryFormat != "progressive" || (s.Container != "mp4" && s.Container != "mov") {
		s.Faststart = false
	}

	s.Video = normalizeVideo(c, s.Video, s.QualityTier, where, s.Container)
	if s.Streaming != nil && s.Video.GOPSeconds > 0 {
		n := s.Streaming.SegmentDurationSeconds / s.Video.GOPSeconds
		if math.Abs(n-math.Round(n)) > 1e-6 {
			c.add("video.gop_seconds", "must divide streaming.segment_duration_seconds (%g s) evenly so every segment starts on a keyframe", s.Streaming.SegmentDurationSeconds)
		}
	}
	if s.Audio != nil {
		*s.Audio = normalizeAudio(c, *s.Audio, where, s.Container)
	}
	return s, c.v
}

// normalizeStreaming completes streaming settings and reconciles the
// container with the segment format; it returns the audio/video table key
// for the segments.
func normalizeStreaming(c *checker, s *Settings) string {
	if s.Streaming == nil {
		s.Streaming = &Streaming{}
	}
	st := s.Streaming
	switch {
	case st.SegmentDurationSeconds == 0:
		st.SegmentDurationSeconds = DefaultSegmentSeconds
	case st.SegmentDurationSeconds < 1:
		c.add("streaming.segment_duration_seconds", "must be at least 1 second")
	}
	if st.PlaylistType == "" {
		st.PlaylistType = "vod"
	}
	if st.SegmentFormat == "" {
		st.SegmentFormat = "fmp4"
		if s.Container == "ts" {
			st.SegmentFormat = "ts"
		}
	}
	if st.SegmentFormat == "ts" && s.DeliveryFormat != "hls" {
		c.add("streaming.segment_format", "%s uses fmp4 segments; ts segments are for hls only", s.DeliveryFormat)
	}
	// The container of a streaming preset is its segments' container.
	want := map[string]string{"fmp4": "mp4", "ts": "ts"}[st.SegmentFormat]
	switch s.Container {
	case "":
		s.Container = want
	case want:
	default:
		c.add("container", "%s segments in %s format need container %s (or leave it unset)", s.DeliveryFormat, st.SegmentFormat, want)
	}
	return "segment:" + st.SegmentFormat
}

func normalizeVideo(c *checker, v Video, qualityTier, where, container string) Video {
	// The quality tier's CRF and speed (services/internal/quality) fill what
	// the preset leaves at zero.
	tier, known, _ := quality.Tier(v.Codec, qualityTier)
	if !known {
		c.add("video.codec", "must be one of h264, h265, vp9, av1")
		return v
	}
	if container != "" && !VideoAllowed(where, v.Codec) {
		if strings.HasPrefix(where, "segment:") {
			c.add("video.codec", "%s cannot be carried in %s segments", v.Codec, strings.TrimPrefix(where, "segment:"))
		} else {
			c.add("video.codec", "%s cannot be stored in %s; containers for %s: %s", v.Codec, container, v.Codec, strings.Join(containersFor(videoIn, v.Codec), ", "))
		}
	}
	if v.BitrateMode == "" {
		v.BitrateMode = "crf"
		if v.BitrateKbps > 0 {
			v.BitrateMode = "vbr"
		}
	}
	switch v.BitrateMode {
	case "crf":
		if v.BitrateKbps != 0 {
			c.add("video.bitrate_kbps", "crf mode takes no target bitrate; cap it with max_bitrate_kbps or use vbr")
		}
		if v.CRF == 0 {
			v.CRF = tier.CRF
		}
		if v.CRF < 0 || v.CRF > crfMax[v.Codec] {
			c.add("video.crf", "%s crf must be between 0 and %d", v.Codec, crfMax[v.Codec])
		}
		if v.MaxBitrateKbps != 0 && (v.MaxBitrateKbps < MinBitrateKbps || v.MaxBitrateKbps > MaxBitrateKbps) {
			c.add("video.max_bitrate_kbps", "must be between %d and %d", MinBitrateKbps, MaxBitrateKbps)
		}
	case "vbr", "cbr":
		if v.CRF != 0 {
			c.add("video.crf", "crf applies to bitrate_mode crf only")
		}
		switch {
		case v.BitrateKbps == 0:
			c.add("video.bitrate_kbps", "required for bitrate_mode %s", v.BitrateMode)
		case v.BitrateKbps < MinBitrateKbps || v.BitrateKbps > MaxBitrateKbps:
			c.add("video.bitrate_kbps", "must be between %d and %d", MinBitrateKbps, MaxBitrateKbps)
		}
		if v.BitrateMode == "cbr" && v.MaxBitrateKbps == 0 {
			v.MaxBitrateKbps = v.BitrateKbps
		}
		switch {
		case v.MaxBitrateKbps != 0 && v.MaxBitrateKbps < v.BitrateKbps:
			c.add("video.max_bitrate_kbps", "must be at least bitrate_kbps (%d)", v.BitrateKbps)
		case v.BitrateMode == "cbr" && v.MaxBitrateKbps != v.BitrateKbps:
			c.add("video.max_bitrate_kbps", "must equal bitrate_kbps (or be unset) for bitrate_mode cbr")
		}
	default:
		c.add("video.bitrate_mode", "must be one of crf, vbr, cbr")
	}
	if v.Profile != "" && !slices.Contains(profiles[v.Codec], v.Profile) {
		c.add("video.profile", "%s profiles: %s", v.Codec, strings.Join(profiles[v.Codec], ", "))
	}
	if v.EncoderPreset == "" {
		v.EncoderPreset = tier.Preset
	} else if !slices.Contains(encoderPresets[v.Codec], v.EncoderPreset) {
		ps := encoderPresets[v.Codec]
		c.add("video.encoder_preset", "%s encoder presets: %s", v.Codec, strings.Join(ps, ", "))
	}
	return v
}

func normalizeAudio(c *checker, a Audio, where, container string) Audio {
	if a.Codec == "" {
		a.Codec = "aac"
		if container == "webm" {
			a.Codec = "opus"
		}
	}
	bounds, known := audioKbps[a.Codec]
	if !known {
		c.add("audio.codec", "must be one of aac, opus")
		return a
	}
	if container != "" && !AudioAllowed(where, a.Codec) {
		if strings.HasPrefix(where, "segment:") {
			c.add("audio.codec", "%s cannot be carried in %s segments", a.Codec, strings.TrimPrefix(where, "segment:"))
		} else {
			c.add("audio.codec", "%s cannot be stored in %s; containers for %s: %s", a.Codec, container, a.Codec, strings.Join(containersFor(audioIn, a.Codec), ", "))
		}
	}
	if a.BitrateKbps == 0 {
		a.BitrateKbps = DefaultAudioKbps
	}
	if a.BitrateKbps < bounds[0] || a.BitrateKbps > bounds[1] {
		c.add("audio.bitrate_kbps", "%s bitrate must be between %d and %d kbps", a.Codec, bounds[0], bounds[1])
	}
	if a.SampleRate == 0 {
		a.SampleRate = DefaultSampleRate
	}
	if !slices.Contains(sampleRates[a.Codec], a.SampleRate) {
		var rates []string
		for _, r := range sampleRates[a.Codec] {
			rates = append(rates, fmt.Sprint(r))
		}
		c.add("audio.sample_rate", "%s sample rates: %s", a.Codec, strings.Join(rates, ", "))
	}
	if a.Channels == 0 {
		a.Channels = DefaultChannels
	}
	return a
}
