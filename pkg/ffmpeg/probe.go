package ffmpeg

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// minProbeScore is ffmpeg's AVPROBE_SCORE_RETRY: below it the demuxer was a
// guess on very little evidence, which for uploads means garbage that happens
// to contain a few bytes resembling an MP3 frame.
const minProbeScore = 25

// ProbeResult describes an input as reported by ffprobe. Zero values mean
// "not reported" (many containers do not store every field).
type ProbeResult struct {
	// FormatName is ffprobe's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
	// or "matroska,webm".
	FormatName string
	// Duration is the container duration in seconds.
	Duration float64
	// Size is the input size in bytes.
	Size int64
	// BitRate is the overall bit rate in bits per second.
	BitRate int64
	// Video lists the video streams, excluding cover art (attached pictures).
	Video []VideoStream
	// Audio lists the audio streams.
	Audio []AudioStream
	// Subtitle lists the subtitle streams.
	Subtitle []SubtitleStream
}

// VideoStream describes one video stream.
type VideoStream struct {
	// Index is the stream index in the input (ffmpeg's 0:N).
	Index int
	// Codec is ffprobe's codec name: "h264", "hevc", "vp9", "av1", ...
	Codec string
	// Profile is the codec profile name, e.g. "High" or "Main 10".
	Profile string
	// Width and Height are the coded picture size, before Rotation.
	Width, Height int
	// FPS is the average frame rate (falling back to the real base frame
	// rate when the container does not know the average).
	FPS float64
	// FrameRate is the exact rational FPS came from, e.g. "30000/1001".
	FrameRate string
	// FrameCount is the container's frame count (nb_frames), 0 if unknown.
	// Use Runner.CountFrames for an exact count.
	FrameCount int
	// PixFmt is the decoded pixel format, e.g. "yuv420p10le".
	PixFmt string
	// BitDepth is the sample bit depth (8, 10, 12).
	BitDepth int
	// Rotation is how many degrees clockwise the picture must be rotated for
	// display: 0, 90, 180 or 270. This matches the legacy "rotate" tag that
	// phones write (a portrait iPhone video reports 90). ffmpeg applies it
	// automatically when transcoding.
	Rotation int
	// ColorTransfer is the transfer characteristic, e.g. "bt709", "smpte2084".
	ColorTransfer string
	// ColorPrimaries is the color primaries, e.g. "bt709", "bt2020".
	ColorPrimaries string
	// HDR is "hdr10" for PQ (smpte2084), "hlg" for arib-std-b67, "" for SDR.
	HDR string
	// Duration is the stream duration in seconds (container duration if the
	// stream has none).
	Duration float64
	// StartOffset is how many seconds the stream's first frame comes after
	// the input's earliest timestamp (of any stream), 0 if unknown. It is
	// not 0 when audio starts first, as in many MPEG-TS files and in MP4s
	// written without edit lists, where B-frame delay shifts the video.
	// ffmpeg counts seek positions from the earliest timestamp, so
	// SegmentCut needs it.
	StartOffset float64
}

// DisplaySize returns the picture size after Rotation, i.e. the size
// ffmpeg's output has when no scaling is requested.
func (v VideoStream) DisplaySize() (width, height int) {
	if v.Rotation == 90 || v.Rotation == 270 {
		return v.Height, v.Width
	}
	return v.Width, v.Height
}

// AudioStream describes one audio stream.
type AudioStream struct {
	// Index is the stream index in the input.
	Index int
	// Codec is ffprobe's codec name: "aac", "opus", "mp3", ...
	Codec string
	// Channels is the channel count.
	Channels int
	// SampleRate is in Hz.
	SampleRate int
	// Language is the language tag as stored (ISO 639-2, "und" if unset).
	Language string
	// BitRate is in bits per second, 0 if unknown.
	BitRate int64
}

// SubtitleStream describes one subtitle stream.
type SubtitleStream struct {
	// Index is the stream index in the input.
	Index int
	// Codec is ffprobe's codec name: "mov_text", "subrip", "webvtt", ...
	Codec string
	// Language is the language tag as stored.
	Language string
}

// ffprobeJSON mirrors the parts of `ffprobe -print_format json` we use.
// ffprobe prints most numbers as strings, so they are decoded as strings.
type ffprobeJSON struct {
	Streams []ffprobeStream `json:"streams"`
	Format  struct {
		FormatName string `json:"format_name"`
		StartTime  string `json:"start_time"`
		Duration   string `json:"duration"`
		Size       string `json:"size"`
		BitRate    string `json:"bit_rate"`
		ProbeScore int    `json:"probe_score"`
	} `json:"format"`
}

type ffprobeStream struct {
	Index            int               `json:"index"`
	CodecName        string            `json:"codec_name"`
	CodecType        string            `json:"codec_type"`
	Profile          string            `json:"profile"`
	Width            int               `json:"width"`
	Height           int               `json:"height"`
	PixFmt           string            `json:"pix_fmt"`
	AvgFrameRate     string            `json:"avg_frame_rate"`
	RFrameRate       string            `json:"r_frame_rate"`
	NbFrames         string            `json:"nb_frames"`
	BitsPerRawSample string            `json:"bits_per_raw_sample"`
	ColorTransfer    string            `json:"color_transfer"`
	ColorPrimaries   string            `json:"color_primaries"`
	StartTime        string            `json:"start_time"`
	Duration         string            `json:"duration"`
	BitRate          string            `json:"bit_rate"`
	Channels         int               `json:"channels"`
	SampleRate       string            `json:"sample_rate"`
	Disposition      map[string]int    `json:"disposition"`
	Tags             map[string]string `json:"tags"`
	SideDataList     []map[string]any  `json:"side_data_list"`
}

// Probe describes input, a local path or an http(s) URL (ffprobe fetches
// only the byte ranges it needs).
//
// Errors: ErrInvalidMedia for anything that is not demuxable media,
// ErrInputUnreachable when the input cannot be fetched, ErrNoVideo when it
// has no video stream. In the ErrNoVideo case the result is returned as well,
// so callers can still see what the input contains.
func (r *Runner) Probe(ctx context.Context, input string) (*ProbeResult, error) {
	if err := precheckLocal(input); err != nil {
		return nil, err
	}
	args := []string{"-v", "error", "-print_format", "json", "-show_format", "-show_streams"}
	args = append(args, inputArgs(input, "")...)
	var out bytes.Buffer
	if err := r.run(ctx, r.ffprobe(), args, &out); err != nil {
		return nil, probeError(input, err)
	}
	var raw ffprobeJSON
	if err := json.Unmarshal(out.Bytes(), &raw); err != nil {
		return nil, fmt.Errorf("ffprobe %s: decode output: %w", RedactURL(input), err)
	}
	res, err := parseProbe(&raw)
	if err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			ie.Input = RedactURL(input)
		}
		if errors.Is(err, ErrNoVideo) {
			return res, err
		}
		return nil, err
	}
	return res, nil
}

// probeError classifies a failed ffprobe run and otherwise adds context.
func probeError(input string, err error) error {
	err = classifyInputError(input, err)
	var ie *InputError
	if errors.As(err, &ie) {
		return err
	}
	return fmt.Errorf("ffprobe %s: %w", RedactURL(input), err)
}

// parseProbe converts ffprobe's JSON into a ProbeResult and applies the
// validity rules (streams present, plausible format guess, a video stream).
func parseProbe(raw *ffprobeJSON) (*ProbeResult, error) {
	if raw.Format.FormatName == "" || len(raw.Streams) == 0 {
		return nil, &InputError{Kind: ErrInvalidMedia, Reason: "no audio or video streams found"}
	}
	if raw.Format.ProbeScore > 0 && raw.Format.ProbeScore < minProbeScore {
		return nil, &InputError{Kind: ErrInvalidMedia, Reason: "unrecognized data (the format could only be guessed)"}
	}
	res := &ProbeResult{
		FormatName: raw.Format.FormatName,
		Duration:   parseFloat(raw.Format.Duration),
		Size:       parseInt(raw.Format.Size),
		BitRate:    parseInt(raw.Format.BitRate),
	}
	for _, s := range raw.Streams {
		switch s.CodecType {
		case "video":
			if s.Disposition["attached_pic"] != 0 || s.Disposition["timed_thumbnails"] != 0 {
				continue // cover art is an image, not video
			}
			v := videoStream(&s, res.Duration)
			if s.StartTime != "" && raw.Format.StartTime != "" {
				v.StartOffset = max(0, parseFloat(s.StartTime)-parseFloat(raw.Format.StartTime))
			}
			res.Video = append(res.Video, v)
		case "audio":
			res.Audio = append(res.Audio, AudioStream{
				Index:      s.Index,
				Codec:      s.CodecName,
				Channels:   s.Channels,
				SampleRate: int(parseInt(s.SampleRate)),
				Language:   tag(s.Tags, "language"),
				BitRate:    parseInt(s.BitRate),
			})
		case "subtitle":
			res.Subtitle = append(res.Subtitle, SubtitleStream{
				Index:    s.Index,
				Codec:    s.CodecName,
				Language: tag(s.Tags, "language"),
			})
		}
	}
	if res.Duration == 0 {
		for _, v := range res.Video {
			res.Duration = math.Max(res.Duration, v.Duration)
		}
	}
	switch {
	case len(res.Video) == 0 && len(res.Audio) > 0:
		return res, &InputError{Kind: ErrNoVideo, Reason: "the file contains only audio"}
	case len(res.Video) == 0:
		return res, &InputError{Kind: ErrNoVideo, Reason: "the file contains no video stream"}
	case res.Video[0].Width <= 0 || res.Video[0].Height <= 0:
		return nil, &InputError{Kind: ErrInvalidMedia, Reason: "the video stream has no picture size (corrupt or unsupported codec)"}
	}
	return res, nil
}

func videoStream(s *ffprobeStream, formatDuration float64) VideoStream {
	v := VideoStream{
		Index:          s.Index,
		Codec:          s.CodecName,
		Profile:        s.Profile,
		Width:          s.Width,
		Height:         s.Height,
		FrameCount:     int(parseInt(s.NbFrames)),
		PixFmt:         s.PixFmt,
		BitDepth:       int(parseInt(s.BitsPerRawSample)),
		Rotation:       rotationOf(s),
		ColorTransfer:  s.ColorTransfer,
		ColorPrimaries: s.ColorPrimaries,
		HDR:            hdrKind(s.ColorTransfer),
		Duration:       parseFloat(s.Duration),
	}
	if v.Profile == "unknown" {
		v.Profile = ""
	}
	for _, rate := range []string{s.AvgFrameRate, s.RFrameRate} {
		if fps := parseRational(rate); fps > 0 {
			v.FPS, v.FrameRate = fps, rate
			break
		}
	}
	if v.BitDepth == 0 {
		v.BitDepth = bitDepthOf(s.PixFmt)
	}
	if v.Duration == 0 {
		// Matroska keeps per-stream durations only as a tag.
		v.Duration = parseClock(tag(s.Tags, "DURATION"))
	}
	if v.Duration == 0 {
		v.Duration = formatDuration
	}
	return v
}

// rotationOf returns the clockwise display rotation. The display matrix
// side data reports its angle counterclockwise (ffmpeg's
// av_display_rotation_get convention), the legacy rotate tag clockwise.
func rotationOf(s *ffprobeStream) int {
	for _, sd := range s.SideDataList {
		switch v := sd["rotation"].(type) {
		case float64:
			return normalizeRotation(-v)
		case string:
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				return normalizeRotation(-f)
			}
		}
	}
	if t := tag(s.Tags, "rotate"); t != "" {
		if f, err := strconv.ParseFloat(t, 64); err == nil {
			return normalizeRotation(f)
		}
	}
	return 0
}

// normalizeRotation maps any angle to the nearest of 0, 90, 180, 270.
func normalizeRotation(deg float64) int {
	r := int(math.Round(deg/90)) * 90 % 360
	if r < 0 {
		r += 360
	}
	return r
}

func hdrKind(transfer string) string {
	switch transfer {
	case "smpte2084":
		return "hdr10"
	case "arib-std-b67":
		return "hlg"
	}
	return ""
}

// bitDepthOf derives the depth from a pixel format name ("yuv420p10le" →
// 10, "p010le" → 10) for streams that do not report bits_per_raw_sample.
func bitDepthOf(pixFmt string) int {
	if pixFmt == "" {
		return 0
	}
	name := strings.TrimSuffix(strings.TrimSuffix(pixFmt, "le"), "be")
	i := len(name)
	for i > 0 && name[i-1] >= '0' && name[i-1] <= '9' {
		i--
	}
	if i < len(name) && i > 0 && name[i-1] == 'p' {
		if d, err := strconv.Atoi(name[i:]); err == nil && d >= 8 && d <= 16 {
			return d
		}
	}
	return 8
}

// tag looks a tag up case-insensitively: containers disagree on case
// ("language" in MP4, "DURATION" in Matroska).
func tag(tags map[string]string, key string) string {
	if v, ok := tags[key]; ok {
		return v
	}
	for k, v := range tags {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return ""
}

func parseFloat(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func parseInt(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// parseRational parses "30000/1001"; "0/0" and garbage give 0.
func parseRational(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	if !ok {
		return parseFloat(s)
	}
	n, d := parseFloat(num), parseFloat(den)
	if d == 0 {
		return 0
	}
	return n / d
}

// parseClock parses "HH:MM:SS.fraction" into seconds.
func parseClock(s string) float64 {
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) != 3 {
		return 0
	}
	h, m, sec := parseFloat(parts[0]), parseFloat(parts[1]), parseFloat(parts[2])
	return h*3600 + m*60 + sec
}

// CountFrames returns the exact number of video frames in the first video
// stream by reading every packet (no decoding). It reads the whole input,
// so it is meant for tests and verification, not for hot paths.
func (r *Runner) CountFrames(ctx context.Context, input string) (int, error) {
	if err := precheckLocal(input); err != nil {
		return 0, err
	}
	args := []string{"-v", "error", "-select_streams", "v:0", "-count_packets",
		"-show_entries", "stream=nb_read_packets", "-print_format", "json"}
	args = append(args, inputArgs(input, "")...)
	var out bytes.Buffer
	if err := r.run(ctx, r.ffprobe(), args, &out); err != nil {
		return 0, probeError(input, err)
	}
	// JSON rather than CSV: for MPEG-TS ffprobe lists the stream twice
	// (under its program and on its own), which CSV flattens into one blob.
	var raw struct {
		Streams []struct {
			NbReadPackets string `json:"nb_read_packets"`
		} `json:"streams"`
	}
	if err := json.Unmarshal(out.Bytes(), &raw); err != nil {
		return 0, fmt.Errorf("ffprobe %s: decode output: %w", RedactURL(input), err)
	}
	if len(raw.Streams) == 0 {
		return 0, &InputError{Kind: ErrNoVideo, Input: RedactURL(input), Reason: "the file contains no video stream"}
	}
	n, err := strconv.Atoi(raw.Streams[0].NbReadPackets)
	if err != nil {
		return 0, fmt.Errorf("ffprobe %s: unexpected packet count %q", RedactURL(input), raw.Streams[0].NbReadPackets)
	}
	return n, nil
}

// Keyframes returns the presentation times, in seconds and ascending, of
// the keyframes of the first video stream. It reads packet flags rather than
// decoding, so it is fast even for long inputs. Segmenters and tests use it
// to check GOP alignment.
func (r *Runner) Keyframes(ctx context.Context, input string) ([]float64, error) {
	if err := precheckLocal(input); err != nil {
		return nil, err
	}
	args := []string{"-v", "error", "-select_streams", "v:0",
		"-show_entries", "packet=pts_time,dts_time,flags", "-print_format", "csv=p=0"}
	args = append(args, inputArgs(input, "")...)
	var out bytes.Buffer
	if err := r.run(ctx, r.ffprobe(), args, &out); err != nil {
		return nil, probeError(input, err)
	}
	var times []float64
	for line := range strings.Lines(out.String()) {
		// pts_time,dts_time,flags; -show_entries keeps ffprobe's field order.
		f := strings.Split(strings.TrimSpace(line), ",")
		if len(f) < 3 || !strings.Contains(f[2], "K") {
			continue
		}
		t, err := strconv.ParseFloat(f[0], 64)
		if err != nil { // pts is N/A in some raw streams; dts is the next best
			if t, err = strconv.ParseFloat(f[1], 64); err != nil {
				continue
			}
		}
		times = append(times, t)
	}
	slices.Sort(times)
	return times, nil
}
