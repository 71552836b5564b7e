package ffmpeg

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
		"-i", ffmpegPath(f.Name()),
		"-map", "0", "-c", "copy", "-map_metadata", "-1", "-map_chapters", "-1")
	args = append(args, out.args()...)
	if err := r.run(ctx, r.ffmpeg(), args, &progressWriter{fn: onProgress}); err != nil {
		return fmt.Errorf("concat %d segments into %s: %w", len(segments), filepath.Base(out.Path), err)
	}
	return nil
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
