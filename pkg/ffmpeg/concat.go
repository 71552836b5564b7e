package ffmpeg

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// CopyOutput is a file written by stream copy (no re-encoding), as the
// packaging step does with segments and renditions that are already encoded.
type CopyOutput struct {
	// Path is the local file to write; it is overwritten if it exists.
	Path string
	// Format is the ffmpeg muxer: "mp4", "mov", "matroska", "webm",
	// "mpegts", ... Empty lets ffmpeg choose from Path's extension.
	Format string
	// FastStart moves the MP4 index to the front so playback can start
	// before the whole file is downloaded. Only for mp4/mov outputs.
	FastStart bool
	// Audio, if set, is a local file whose first audio stream Concat muxes
	// (stream copy) next to the joined video, replacing any audio the
	// segments have: the audio is encoded once for the whole file, because
	// separately encoded pieces would each start with encoder priming. Its
	// timestamps are kept, priming included (AAC edit list, Opus pre-skip),
	// so it starts where it started in its own file. For WebM output write
	// it as WebM too: copied from Ogg, Opus comes without the pre-skip
	// information the WebM muxer needs, and the muxer then delays the
	// video by the pre-skip (7 ms).
	Audio string
}

func (o CopyOutput) validate() error {
	if o.Path == "" {
		return fmt.Errorf("%w: output path is empty", ErrInvalidJob)
	}
	if o.Format != "" && !safeToken.MatchString(o.Format) {
		return fmt.Errorf("%w: format %q is not a muxer name", ErrInvalidJob, o.Format)
	}
	if c := (Output{Path: o.Path, Format: o.Format}).container(); o.FastStart && c != "mp4" && c != "mov" {
		return fmt.Errorf("%w: fast start needs an mp4 or mov output, not %q", ErrInvalidJob, c)
	}
	if o.Audio != "" && kindOf(o.Audio) != inputLocal {
		return fmt.Errorf("%w: audio %q is not a local file", ErrInvalidJob, RedactURL(o.Audio))
	}
	return nil
}

// args returns the muxer options and the output path.
func (o CopyOutput) args() []string {
	var args []string
	if o.FastStart {
		args = append(args, "-movflags", "+faststart")
	}
	if o.Format != "" {
		args = append(args, "-f", o.Format)
	}
	return append(args, ffmpegPath(o.Path))
}

// commonArgs starts every ffmpeg command line this package builds for
// packaging: quiet stderr (only errors, kept for ExitError) and progress
// blocks on stdout.
func commonArgs() []string {
	return []string{"-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats"}
}

// Concat joins encoded segments, in order, into out by stream copy, using
// ffmpeg's concat demuxer. Every segment must have the same streams with the
// same codec parameters (as the segment encodes of one rendition have) and
// each must start with a keyframe (closed GOPs); the result then has exactly
// the segments' frames, with timestamps that continue across the joins.
// With out.Audio set, the same process also muxes the whole file's audio, so
// the final file (e.g. a fast-start MP4) is written once.
//
// Segments are files this program wrote (encoder output in scratch), but
// they are still opened only with the ordinary media demuxers and the file
// protocol, so a segment can never pull in other files or URLs.
func (r *Runner) Concat(ctx context.Context, segments []string, out CopyOutput, onProgress func(Progress)) error {
	if len(segments) == 0 {
		return fmt.Errorf("%w: no segments to concatenate", ErrInvalidJob)
	}
	if err := out.validate(); err != nil {
		return err
	}
	for _, s := range segments {
		if err := precheckLocal(s); err != nil {
			return err
		}
	}
	var audioStart float64
	if out.Audio != "" {
		if err := precheckLocal(out.Audio); err != nil {
			return err
		}
		var err error
		if audioStart, err = r.audioStart(ctx, out.Audio); err != nil {
			return err
		}
	}
	list, err := concatList(segments)
	if err != nil {
		return err
	}
	// The list sits beside the output (scratch space the caller owns) rather
	// than in the system temp dir, which may be small or shared.
	f, err := os.CreateTemp(filepath.Dir(out.Path), ".concat-*.ffconcat")
	if err != nil {
		return fmt.Errorf("concat: write segment list: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(list); err != nil {
		f.Close()
		return fmt.Errorf("concat: write segment list: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("concat: write segment list: %w", err)
	}

	args := commonArgs()
	// safe=0 admits absolute paths; the whitelists (copied by the concat
	// demuxer to every segment it opens) are what keep the list from
	// reaching anything but local media files.
	args = append(args, "-f", "concat", "-safe", "0",
		"-format_whitelist", "concat,"+demuxerWhitelist, "-protocol_whitelist", "file",
		"-i", ffmpegPath(f.Name()))
	if out.Audio == "" {
		args = append(args, "-map", "0")
	} else {
		args = append(args, audioInputArgs(out.Audio, audioStart)...)
		args = append(args, "-map", "0:v", "-map", "1:a:0")
	}
	args = append(args, "-c", "copy", "-map_metadata", "-1", "-map_chapters", "-1")
	args = append(args, out.args()...)
	if err := r.run(ctx, r.ffmpeg(), args, &progressWriter{fn: onProgress}); err != nil {
		return fmt.Errorf("concat %d segments into %s: %w", len(segments), filepath.Base(out.Path), err)
	}
	return nil
}

// audioInputArgs opens the audio file for Concat. ffmpeg shifts every input
// so that it starts at 0. Audio that starts with encoder priming starts at
// 0 already as far as ffmpeg is concerned (the demuxers account for the
// AAC edit list and the Opus pre-skip), so the shift is nil and the priming
// stays in front of 0, where the muxer signals it again. Audio that starts
// later than the video (start > 0) would be pulled forward, though, so
// -itsoffset puts that start back.
//
// -copyts would keep every timestamp as well, but with ffmpeg 5.1 it makes
// the WebM muxer delay the video by the Opus pre-skip (7 ms).
func audioInputArgs(audio string, start float64) []string {
	var args []string
	if start > 0 {
		args = append(args, "-itsoffset", formatSeconds(start))
	}
	return append(args, inputArgs(audio, "")...)
}

// audioStart returns when the first audio stream of a local file starts to
// sound, in seconds: the time of its first decoded samples, after priming.
// That is what ffmpeg moves to 0 when it opens an audio-only file; the
// container start time is not, as in WebM it includes the Opus pre-skip.
func (r *Runner) audioStart(ctx context.Context, path string) (float64, error) {
	// A few packets are enough: priming takes at most the first two.
	args := []string{"-v", "error", "-select_streams", "a:0", "-show_entries", "frame=pts_time",
		"-read_intervals", "%+#8", "-print_format", "json"}
	args = append(args, inputArgs(path, "")...)
	var out bytes.Buffer
	if err := r.run(ctx, r.ffprobe(), args, &out); err != nil {
		return 0, probeError(path, err)
	}
	var raw struct {
		Frames []struct {
			PTSTime string `json:"pts_time"`
		} `json:"frames"`
	}
	if err := json.Unmarshal(out.Bytes(), &raw); err != nil {
		return 0, fmt.Errorf("ffprobe %s: decode output: %w", path, err)
	}
	start := math.Inf(1)
	for _, f := range raw.Frames {
		if t, err := strconv.ParseFloat(f.PTSTime, 64); err == nil {
			start = min(start, t)
		}
	}
	if math.IsInf(start, 1) {
		// No audio: ffmpeg's stream map will say so.
		return 0, nil
	}
	return start, nil
}

// concatList renders an ffconcat script naming each segment by absolute
// path: the demuxer resolves relative names against the list's own folder,
// not the working directory.
func concatList(segments []string) (string, error) {
	var b strings.Builder
	b.WriteString("ffconcat version 1.0\n")
	for _, s := range segments {
		// The script is line based; a newline in a name would start a new
		// directive.
		if strings.ContainsAny(s, "\r\n\x00") {
			return "", fmt.Errorf("%w: segment path %q contains a control character", ErrInvalidJob, s)
		}
		abs, err := filepath.Abs(s)
		if err != nil {
			return "", fmt.Errorf("concat: %w", err)
		}
		b.WriteString("file ")
		b.WriteString(quoteConcat(abs))
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// quoteConcat single-quotes s for an ffconcat script. Inside single quotes
// nothing is special, so each quote in s closes the quoted run, adds a
// backslash-escaped quote and reopens the run, as in a POSIX shell.
func quoteConcat(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
