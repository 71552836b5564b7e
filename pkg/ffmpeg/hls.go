package ffmpeg

import (
	"context"
	"fmt"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// HLS segment containers accepted by HLSPackage.SegmentType.
const (
	// HLSSegmentFMP4 writes fragmented MP4 (CMAF-style) segments with one
	// init segment per rendition; required for HEVC, AV1 and Opus.
	HLSSegmentFMP4 = "fmp4"
	// HLSSegmentTS writes MPEG-TS segments, for the oldest players.
	HLSSegmentTS = "mpegts"
)

// DefaultSegmentSeconds is the HLS/DASH segment duration used when none is
// given (the public API's default).
const DefaultSegmentSeconds = 6

// HLSMasterName is the file name of the master playlist in an HLS package.
const HLSMasterName = "master.m3u8"

// HLSVideo is one already-encoded video rendition to package.
type HLSVideo struct {
	// Path is a local media file; only its first video stream is used. Its
	// keyframes must fall on segment boundaries (closed GOPs of
	// SegmentSeconds), because segments are cut only at keyframes.
	Path string
	// Bandwidth overrides the measured peak bit rate of this rendition's
	// segments, in bits per second; 0 measures it. The master playlist's
	// BANDWIDTH adds the audio on top.
	Bandwidth int64
	// Codecs overrides the RFC 6381 codec string derived from the stream.
	Codecs string
}

// HLSAudio is one already-encoded audio rendition, offered as an
// alternative rendition (EXT-X-MEDIA) that every video rendition refers to.
type HLSAudio struct {
	// Path is a local media file; only its first audio stream is used.
	Path string
	// Name is shown in players' audio menus; default "Audio N".
	Name string
	// Language is a BCP 47 tag such as "en" or "pt-BR"; optional.
	Language string
	// Codecs overrides the RFC 6381 codec string derived from the stream.
	Codecs string
}

// HLSPackage describes an HLS presentation built from encoded renditions by
// stream copy.
type HLSPackage struct {
	// Dir receives master.m3u8 and one sub-folder per rendition
	// (video_0, video_1, ..., audio_0, ...) with its media playlist
	// (index.m3u8) and segments. It is created if needed.
	Dir string
	// SegmentSeconds is the target segment duration; 0 means
	// DefaultSegmentSeconds.
	SegmentSeconds float64
	// SegmentType is HLSSegmentFMP4 (default) or HLSSegmentTS.
	SegmentType string
	// Video lists the renditions of the ladder, at least one.
	Video []HLSVideo
	// Audio lists the audio renditions; the first is the default. Empty
	// means the video renditions play without audio.
	Audio []HLSAudio
}

// HLSResult tells what PackageHLS wrote.
type HLSResult struct {
	// MasterPath is the master playlist's path.
	MasterPath string
	// Master is the master playlist's content, with the measured bandwidths
	// and derived codec strings.
	Master HLSMaster
}

func (p *HLSPackage) validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: hls: %s", ErrInvalidJob, fmt.Sprintf(format, a...))
	}
	switch {
	case p.Dir == "":
		return bad("dir is empty")
	case strings.Contains(p.Dir, "%"):
		// The segment muxer expands printf-style patterns in the names.
		return bad("dir %q contains %%", p.Dir)
	case !validSeconds(p.SegmentSeconds) || p.SegmentSeconds > 60:
		return bad("segment duration %v out of range (0, 60]", p.SegmentSeconds)
	case p.SegmentType != "" && p.SegmentType != HLSSegmentFMP4 && p.SegmentType != HLSSegmentTS:
		return bad("segment type %q (want %q or %q)", p.SegmentType, HLSSegmentFMP4, HLSSegmentTS)
	case len(p.Video) == 0:
		return bad("no video renditions")
	}
	for i, v := range p.Video {
		if v.Path == "" || v.Bandwidth < 0 {
			return bad("video[%d]: path empty or bandwidth negative", i)
		}
	}
	for i, a := range p.Audio {
		if a.Path == "" {
			return bad("audio[%d]: path is empty", i)
		}
	}
	return nil
}

// PackageHLS writes an on-demand HLS presentation into p.Dir from renditions
// that are already encoded: ffmpeg only cuts and remuxes them (one process
// for all renditions), then the master playlist is written here, because
// ffmpeg's own master playlist lacks CODECS in some cases and knows nothing
// of peak bandwidth. Inputs are opened like any media input (ordinary
// demuxers, file protocol only).
func (r *Runner) PackageHLS(ctx context.Context, p HLSPackage, onProgress func(Progress)) (*HLSResult, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	segSeconds := p.SegmentSeconds
	if segSeconds == 0 {
		segSeconds = DefaultSegmentSeconds
	}
	segType, ext := HLSSegmentFMP4, ".m4s"
	if p.SegmentType == HLSSegmentTS {
		segType, ext = HLSSegmentTS, ".ts"
	}

	type rendition struct {
		input, dir, mapArg string
		probe              *ownProbeResult
		stream             ownStream
		codecs             string
	}
	var videos, audios []*rendition
	prepare := func(input, dir, kind, codecs string) (*rendition, error) {
		pr, err := r.probeOwn(ctx, input)
		if err != nil {
			return nil, err
		}
		s, ok := pr.stream(kind)
		if !ok {
			return nil, fmt.Errorf("hls: %s has no %s stream", input, kind)
		}
		if codecs == "" {
			if codecs, err = codecString(s); err != nil {
				return nil, fmt.Errorf("hls: %s: %w", input, err)
			}
		}
		if err := os.MkdirAll(filepath.Join(p.Dir, dir), 0o755); err != nil {
			return nil, fmt.Errorf("hls: %w", err)
		}
		return &rendition{input: input, dir: dir, probe: pr, stream: s, codecs: codecs}, nil
	}
	for i, v := range p.Video {
		rd, err := prepare(v.Path, fmt.Sprintf("video_%d", i), "video", v.Codecs)
		if err != nil {
			return nil, err
		}
		videos = append(videos, rd)
	}
	for i, a := range p.Audio {
		rd, err := prepare(a.Path, fmt.Sprintf("audio_%d", i), "audio", a.Codecs)
		if err != nil {
			return nil, err
		}
		audios = append(audios, rd)
	}

	args := commonArgs()
	all := append(slices.Clone(videos), audios...)
	for i, rd := range all {
		args = append(args, inputArgs(rd.input, "")...)
		rd.mapArg = fmt.Sprintf("%d:%d", i, rd.stream.Index)
	}
	for _, rd := range all {
		out := filepath.Join(p.Dir, rd.dir)
		args = append(args, "-map", rd.mapArg, "-c", "copy", "-map_metadata", "-1", "-map_chapters", "-1",
			"-f", "hls", "-hls_time", formatSeconds(segSeconds), "-hls_playlist_type", "vod",
			"-hls_flags", "independent_segments", "-hls_segment_type", segType)
		if segType == HLSSegmentFMP4 {
			args = append(args, "-hls_fmp4_init_filename", "init.mp4")
		}
		args = append(args, "-hls_segment_filename", ffmpegPath(filepath.Join(out, "seg_%05d"+ext)),
			ffmpegPath(filepath.Join(out, "index.m3u8")))
	}
	if err := r.run(ctx, r.ffmpeg(), args, &progressWriter{fn: onProgress}); err != nil {
		return nil, fmt.Errorf("package hls into %s: %w", p.Dir, err)
	}

	master := HLSMaster{IndependentSegments: true}
	measure := func(rd *rendition) (peak, avg int64, err error) {
		pl, err := readMediaPlaylist(filepath.Join(p.Dir, rd.dir, "index.m3u8"))
		if err != nil {
			return 0, 0, err
		}
		master.Version = max(master.Version, pl.version)
		return pl.peak, pl.average, nil
	}
	var audioPeak, audioAvg int64
	var audioCodecs []string
	for i, rd := range audios {
		peak, avg, err := measure(rd)
		if err != nil {
			return nil, err
		}
		audioPeak, audioAvg = max(audioPeak, peak), max(audioAvg, avg)
		if !slices.Contains(audioCodecs, rd.codecs) {
			audioCodecs = append(audioCodecs, rd.codecs)
		}
		name := p.Audio[i].Name
		if name == "" {
			name = fmt.Sprintf("Audio %d", i+1)
		}
		master.Audio = append(master.Audio, HLSAudioEntry{
			GroupID: "audio", Name: name, Language: p.Audio[i].Language,
			Channels: rd.stream.Channels, Default: i == 0, URI: path.Join(rd.dir, "index.m3u8"),
		})
	}
	for i, rd := range videos {
		peak, avg, err := measure(rd)
		if err != nil {
			return nil, err
		}
		if p.Video[i].Bandwidth > 0 {
			peak = p.Video[i].Bandwidth
		}
		fps := parseRational(rd.stream.AvgFrameRate)
		if fps == 0 {
			fps = parseRational(rd.stream.RFrameRate)
		}
		v := HLSVariantEntry{
			URI:              path.Join(rd.dir, "index.m3u8"),
			Bandwidth:        peak + audioPeak,
			AverageBandwidth: avg + audioAvg,
			Width:            rd.stream.Width,
			Height:           rd.stream.Height,
			FrameRate:        fps,
			Codecs:           strings.Join(append([]string{rd.codecs}, audioCodecs...), ","),
		}
		if len(audios) > 0 {
			v.AudioGroup = "audio"
		}
		master.Variants = append(master.Variants, v)
	}
	masterPath := filepath.Join(p.Dir, HLSMasterName)
	if err := os.WriteFile(masterPath, []byte(master.Playlist()), 0o644); err != nil {
		return nil, fmt.Errorf("hls: write master playlist: %w", err)
	}
	return &HLSResult{MasterPath: masterPath, Master: master}, nil
}

// mediaPlaylist is what the master playlist needs from a media playlist.
type mediaPlaylist struct {
	version   int
	durations []float64
	// peak is the highest segment bit rate (bits/s), which is what HLS
	// defines BANDWIDTH as; average is bytes over time for all segments.
	peak, average int64
}

// readMediaPlaylist parses a media playlist ffmpeg wrote and measures its
// segments' bit rates from their sizes on disk.
func readMediaPlaylist(name string) (*mediaPlaylist, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("hls: %w", err)
	}
	pl := &mediaPlaylist{}
	var (
		pending    = -1.0 // duration from the last #EXTINF, waiting for its URI
		totalBytes int64
		totalSecs  float64
	)
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "#EXT-X-VERSION:"):
			pl.version, _ = strconv.Atoi(strings.TrimPrefix(line, "#EXT-X-VERSION:"))
		case strings.HasPrefix(line, "#EXTINF:"):
			d, _, _ := strings.Cut(strings.TrimPrefix(line, "#EXTINF:"), ",")
			pending = parseFloat(d)
		case line == "" || strings.HasPrefix(line, "#"):
		case pending >= 0:
			st, err := os.Stat(filepath.Join(filepath.Dir(name), filepath.FromSlash(line)))
			if err != nil {
				return nil, fmt.Errorf("hls: segment of %s: %w", name, err)
			}
			pl.durations = append(pl.durations, pending)
			totalBytes += st.Size()
			totalSecs += pending
			if pending > 0 {
				pl.peak = max(pl.peak, int64(math.Ceil(float64(st.Size())*8/pending)))
			}
			pending = -1
		}
	}
	if len(pl.durations) == 0 {
		return nil, fmt.Errorf("hls: %s lists no segments", name)
	}
	if totalSecs > 0 {
		pl.average = int64(math.Ceil(float64(totalBytes) * 8 / totalSecs))
	}
	return pl, nil
}

// HLSMaster is the content of an HLS master (multivariant) playlist.
type HLSMaster struct {
	// Version is EXT-X-VERSION; 0 omits the tag.
	Version int
	// IndependentSegments declares that every segment starts with a
	// keyframe, which lets players switch renditions at any segment.
	IndependentSegments bool
	// Audio lists alternative audio renditions (EXT-X-MEDIA TYPE=AUDIO).
	Audio []HLSAudioEntry
	// Variants lists the video renditions (EXT-X-STREAM-INF), best
	// listed first by convention of the caller.
	Variants []HLSVariantEntry
}

// HLSAudioEntry is one EXT-X-MEDIA line of type AUDIO.
type HLSAudioEntry struct {
	GroupID  string // GROUP-ID, referred to by HLSVariantEntry.AudioGroup
	Name     string // NAME, shown to viewers
	Language string // LANGUAGE (BCP 47); empty omits it
	Channels int    // CHANNELS; 0 omits it
	Default  bool   // DEFAULT=YES (AUTOSELECT is always YES)
	URI      string // media playlist, relative to the master playlist
}

// HLSVariantEntry is one EXT-X-STREAM-INF line and its URI.
type HLSVariantEntry struct {
	URI              string  // media playlist, relative to the master playlist
	Bandwidth        int64   // BANDWIDTH: peak bits/s including audio
	AverageBandwidth int64   // AVERAGE-BANDWIDTH; 0 omits it
	Width, Height    int     // RESOLUTION; 0 omits it
	FrameRate        float64 // FRAME-RATE; 0 omits it
	Codecs           string  // CODECS: every codec of the variant, audio included
	AudioGroup       string  // AUDIO group id; empty omits it
}

// Playlist renders the master playlist. It is a pure function of m so the
// exact text can be golden-tested.
func (m HLSMaster) Playlist() string {
	var b strings.Builder
	b.WriteString("#EXTM3U\n")
	if m.Version > 0 {
		fmt.Fprintf(&b, "#EXT-X-VERSION:%d\n", m.Version)
	}
	if m.IndependentSegments {
		b.WriteString("#EXT-X-INDEPENDENT-SEGMENTS\n")
	}
	yesNo := map[bool]string{true: "YES", false: "NO"}
	for _, a := range m.Audio {
		fmt.Fprintf(&b, "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=%s,NAME=%s", quoteHLS(a.GroupID), quoteHLS(a.Name))
		if a.Language != "" {
			fmt.Fprintf(&b, ",LANGUAGE=%s", quoteHLS(a.Language))
		}
		fmt.Fprintf(&b, ",DEFAULT=%s,AUTOSELECT=YES", yesNo[a.Default])
		if a.Channels > 0 {
			fmt.Fprintf(&b, ",CHANNELS=\"%d\"", a.Channels)
		}
		fmt.Fprintf(&b, ",URI=%s\n", quoteHLS(a.URI))
	}
	for _, v := range m.Variants {
		fmt.Fprintf(&b, "#EXT-X-STREAM-INF:BANDWIDTH=%d", v.Bandwidth)
		if v.AverageBandwidth > 0 {
			fmt.Fprintf(&b, ",AVERAGE-BANDWIDTH=%d", v.AverageBandwidth)
		}
		if v.Width > 0 && v.Height > 0 {
			fmt.Fprintf(&b, ",RESOLUTION=%dx%d", v.Width, v.Height)
		}
		if v.FrameRate > 0 {
			fmt.Fprintf(&b, ",FRAME-RATE=%.3f", v.FrameRate)
		}
		if v.Codecs != "" {
			fmt.Fprintf(&b, ",CODECS=%s", quoteHLS(v.Codecs))
		}
		if v.AudioGroup != "" {
			fmt.Fprintf(&b, ",AUDIO=%s", quoteHLS(v.AudioGroup))
		}
		b.WriteString("\n" + hlsLine(v.URI) + "\n")
	}
	return b.String()
}

// quoteHLS makes an HLS quoted-string, which may contain neither double
// quotes nor line breaks; they are dropped rather than escaped because the
// format has no escapes.
func quoteHLS(s string) string {
	return `"` + hlsLine(strings.ReplaceAll(s, `"`, "")) + `"`
}

// hlsLine removes line breaks, which would start a new tag or URI line.
func hlsLine(s string) string {
	return strings.NewReplacer("\r", "", "\n", "").Replace(s)
}
