package ffmpeg

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// ownStream is what the packaging step needs to know about a stream of a
// file this program wrote: enough to describe it in a manifest.
type ownStream struct {
	Index          int    `json:"index"`
	CodecType      string `json:"codec_type"`
	CodecName      string `json:"codec_name"`
	CodecTagString string `json:"codec_tag_string"`
	Profile        string `json:"profile"`
	Level          int    `json:"level"`
	Width          int    `json:"width"`
	Height         int    `json:"height"`
	PixFmt         string `json:"pix_fmt"`
	AvgFrameRate   string `json:"avg_frame_rate"`
	RFrameRate     string `json:"r_frame_rate"`
	Channels       int    `json:"channels"`
	Extradata      string `json:"extradata"`
}

type ownProbeResult struct {
	Streams []ownStream `json:"streams"`
	Format  struct {
		FormatName string `json:"format_name"`
		Duration   string `json:"duration"`
		Size       string `json:"size"`
		BitRate    string `json:"bit_rate"`
	} `json:"format"`
}

// probeOwn probes a local file this program wrote itself (an encoded
// rendition, a thumbnail). Unlike Probe it does not restrict the demuxer,
// because images and elementary streams are legitimate here, and it includes
// the codec extradata, from which codec strings are derived.
func (r *Runner) probeOwn(ctx context.Context, path string) (*ownProbeResult, error) {
	if err := precheckLocal(path); err != nil {
		return nil, err
	}
	args := []string{"-v", "error", "-print_format", "json", "-show_format", "-show_streams", "-show_data",
		"-protocol_whitelist", "file", "-i", ffmpegPath(path)}
	var out bytes.Buffer
	if err := r.run(ctx, r.ffprobe(), args, &out); err != nil {
		return nil, fmt.Errorf("ffprobe %s: %w", path, err)
	}
	var res ownProbeResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("ffprobe %s: decode output: %w", path, err)
	}
	return &res, nil
}

// stream returns the first stream of the given type ("video", "audio").
func (p *ownProbeResult) stream(codecType string) (ownStream, bool) {
	for _, s := range p.Streams {
		if s.CodecType == codecType {
			return s, true
		}
	}
	return ownStream{}, false
}

// Codecs returns the RFC 6381 codec strings ("avc1.64001f", "mp4a.40.2")
// of the first video and first audio stream of a file this program encoded,
// as HLS CODECS attributes and DASH codecs attributes need them. A string is
// empty when the file has no such stream.
func (r *Runner) Codecs(ctx context.Context, path string) (video, audio string, err error) {
	p, err := r.probeOwn(ctx, path)
	if err != nil {
		return "", "", err
	}
	if s, ok := p.stream("video"); ok {
		if video, err = codecString(s); err != nil {
			return "", "", fmt.Errorf("%s: %w", path, err)
		}
	}
	if s, ok := p.stream("audio"); ok {
		if audio, err = codecString(s); err != nil {
			return "", "", fmt.Errorf("%s: %w", path, err)
		}
	}
	return video, audio, nil
}

// codecString derives the RFC 6381 codec string of one stream. The exact
// profile, constraint and level bytes come from the decoder configuration
// record (avcC, hvcC, av1C) when the container stores one, because players
// compare them against what they can decode; ffprobe's profile name and
// level are the fallback.
func codecString(s ownStream) (string, error) {
	extra := parseHexDump(s.Extradata)
	switch s.CodecName {
	case "h264":
		return avcCodecString(s, extra), nil
	case "hevc":
		return hevcCodecString(s, extra)
	case "av1":
		return av1CodecString(s, extra)
	case "vp9":
		return vp9CodecString(s), nil
	case "aac":
		// Audio object type: 2 = AAC-LC, 5 = HE-AAC (SBR), 29 = HE-AACv2.
		switch s.Profile {
		case "HE-AAC":
			return "mp4a.40.5", nil
		case "HE-AACv2":
			return "mp4a.40.29", nil
		}
		return "mp4a.40.2", nil
	case "mp3":
		return "mp4a.40.34", nil
	case "opus":
		return "opus", nil
	case "flac":
		return "fLaC", nil
	case "ac3":
		return "ac-3", nil
	case "eac3":
		return "ec-3", nil
	}
	return "", fmt.Errorf("no codec string known for %q", s.CodecName)
}

// avcProfiles maps ffprobe's H.264 profile names to profile_idc and the
// constraint flags the name implies.
var avcProfiles = map[string][2]byte{
	"Baseline":              {66, 0x00},
	"Constrained Baseline":  {66, 0x40},
	"Main":                  {77, 0x00},
	"Extended":              {88, 0x00},
	"High":                  {100, 0x00},
	"High 10":               {110, 0x00},
	"High 4:2:2":            {122, 0x00},
	"High 4:4:4 Predictive": {244, 0x00},
}

// avcCodecString returns avc1.PPCCLL (profile_idc, constraint flags,
// level_idc in hex). The prefix is avc3 only when the sample entry says so
// (parameter sets in band).
func avcCodecString(s ownStream, extra []byte) string {
	prefix := "avc1"
	if s.CodecTagString == "avc3" {
		prefix = "avc3"
	}
	var sps []byte
	switch {
	case len(extra) >= 4 && extra[0] == 1: // avcC record: version, profile, compat, level
		sps = extra[1:4]
	default: // Annex B (MPEG-TS): find the SPS NAL unit (type 7)
		for i := 0; i+6 < len(extra); i++ {
			if extra[i] == 0 && extra[i+1] == 0 && extra[i+2] == 1 && extra[i+3]&0x1f == 7 {
				sps = extra[i+4 : i+7]
				break
			}
		}
	}
	if sps == nil {
		p := avcProfiles[s.Profile]
		level := s.Level
		if level < 0 || level > 255 {
			level = 0
		}
		sps = []byte{p[0], p[1], byte(level)}
	}
	return fmt.Sprintf("%s.%02x%02x%02x", prefix, sps[0], sps[1], sps[2])
}

// hevcCodecString follows ISO/IEC 14496-15 annex E:
// hvc1.[space]profile.compat(bit-reversed hex).[L|H]level[.constraint bytes].
func hevcCodecString(s ownStream, extra []byte) (string, error) {
	prefix := "hvc1"
	if s.CodecTagString == "hev1" {
		prefix = "hev1"
	}
	if len(extra) < 13 || extra[0] != 1 {
		// Without hvcC (e.g. HEVC in MPEG-TS) the compatibility and
		// constraint flags are unknown; guessing them would make players
		// reject streams they can play or accept ones they cannot.
		return "", fmt.Errorf("hevc stream has no hvcC record")
	}
	space := extra[1] >> 6
	tier := "L"
	if extra[1]&0x20 != 0 {
		tier = "H"
	}
	profile := extra[1] & 0x1f
	compat := bits.Reverse32(uint32(extra[2])<<24 | uint32(extra[3])<<16 | uint32(extra[4])<<8 | uint32(extra[5]))
	var b strings.Builder
	b.WriteString(prefix + ".")
	if space > 0 {
		b.WriteByte("ABC"[space-1])
	}
	fmt.Fprintf(&b, "%d.%X.%s%d", profile, compat, tier, extra[12])
	constraints := extra[6:12]
	n := len(constraints)
	for n > 0 && constraints[n-1] == 0 {
		n-- // trailing zero bytes are omitted
	}
	for _, c := range constraints[:n] {
		fmt.Fprintf(&b, ".%X", c)
	}
	return b.String(), nil
}

// av1CodecString returns av01.profile.level+tier.bitdepth from the av1C
// record (AV1 codec ISO media file format binding, section 5).
func av1CodecString(s ownStream, extra []byte) (string, error) {
	if len(extra) < 4 || extra[0] != 0x81 {
		return "", fmt.Errorf("av1 stream has no av1C record")
	}
	profile := extra[1] >> 5
	level := extra[1] & 0x1f
	tier := "M"
	if extra[2]&0x80 != 0 {
		tier = "H"
	}
	depth := 8
	if extra[2]&0x40 != 0 { // high_bitdepth
		depth = 10
		if extra[2]&0x20 != 0 { // twelve_bit
			depth = 12
		}
	}
	return fmt.Sprintf("av01.%d.%02d%s.%02d", profile, level, tier, depth), nil
}

// vp9Levels lists VP9 levels with their maximum luma picture size and luma
// sample rate (VP9 bitstream spec, annex A).
var vp9Levels = []struct {
	level      int
	pictureMax int64
	rateMax    int64
}{
	{10, 36864, 829440}, {11, 73728, 2764800}, {20, 122880, 4608000}, {21, 245760, 9216000},
	{30, 552960, 20736000}, {31, 983040, 36864000}, {40, 2228224, 83558400}, {41, 2228224, 160432128},
	{50, 8912896, 311951360}, {51, 8912896, 588251136}, {52, 8912896, 1176502272},
	{60, 35651584, 1176502272}, {61, 35651584, 2353004544}, {62, 35651584, 4706009088},
}

// vp9CodecString returns vp09.PP.LL.DD. ffmpeg keeps no vpcC record as
// extradata, so the level is the lowest one whose picture size and sample
// rate limits admit the stream.
func vp9CodecString(s ownStream) string {
	profile := 0
	if p := strings.TrimPrefix(s.Profile, "Profile "); p != s.Profile {
		profile, _ = strconv.Atoi(p)
	}
	fps := parseRational(s.AvgFrameRate)
	if fps == 0 {
		fps = parseRational(s.RFrameRate)
	}
	picture := int64(s.Width) * int64(s.Height)
	rate := int64(float64(picture) * fps)
	level := 62
	for _, l := range vp9Levels {
		if picture <= l.pictureMax && rate <= l.rateMax {
			level = l.level
			break
		}
	}
	depth := bitDepthOf(s.PixFmt)
	if depth == 0 {
		depth = 8
	}
	return fmt.Sprintf("vp09.%02d.%02d.%02d", profile, level, depth)
}

// parseHexDump decodes ffprobe's -show_data hex dump
// ("00000000: 0164 001f ffe1  .d...") into bytes.
func parseHexDump(dump string) []byte {
	var out []byte
	for line := range strings.Lines(dump) {
		_, rest, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		// Hex groups end where the two-space gap before the ASCII column
		// starts.
		hexPart, _, _ := strings.Cut(rest, "  ")
		b, err := hex.DecodeString(strings.ReplaceAll(strings.TrimSpace(hexPart), " ", ""))
		if err != nil {
			return nil
		}
		out = append(out, b...)
	}
	return out
}
