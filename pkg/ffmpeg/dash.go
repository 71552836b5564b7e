package ffmpeg

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
)

// DASHManifestName is the file name of the MPD in a DASH package.
const DASHManifestName = "manifest.mpd"

// DASHPackage describes an on-demand DASH presentation built from encoded
// renditions by stream copy.
type DASHPackage struct {
	// Dir receives manifest.mpd, the init segments and the media segments;
	// it is created if needed.
	Dir string
	// SegmentSeconds is the target segment duration; 0 means
	// DefaultSegmentSeconds. The renditions' keyframes must fall on segment
	// boundaries, because segments are cut only at keyframes.
	SegmentSeconds float64
	// Video lists local files whose first video stream is one
	// representation of the video adaptation set; at least one.
	Video []string
	// Audio lists local files whose first audio stream is one
	// representation of the audio adaptation set; may be empty.
	Audio []string
	// DisplayAspect, "W:H" such as "16:9", is signalled for every video
	// representation. The dash muxer refuses an adaptation set whose
	// representations differ in display aspect ratio, and ladder rungs
	// rounded to even sizes (854x480, 426x240) differ from 16:9 by a
	// fraction of a percent; stating the ladder's ratio makes them agree
	// (the stream copy then records a sample aspect ratio close to 1:1).
	// Empty leaves the renditions' own ratios.
	DisplayAspect string
	// MinBufferSeconds, if > 0, replaces the MPD's minBufferTime (how much
	// a player must buffer before it starts); ffmpeg's muxer has no option
	// for it.
	MinBufferSeconds float64
}

var minBufferAttr = regexp.MustCompile(`minBufferTime="[^"]*"`)

var aspectPattern = regexp.MustCompile(`^[1-9][0-9]{0,4}:[1-9][0-9]{0,4}$`)

// PackageDASH writes an on-demand DASH presentation (fragmented MP4
// segments, SegmentTemplate with SegmentTimeline, one adaptation set for
// video and one for audio) into p.Dir and returns the manifest's path.
// ffmpeg's dash muxer writes the MPD itself, including codecs and bandwidth
// attributes. Inputs are opened like any media input.
func (r *Runner) PackageDASH(ctx context.Context, p DASHPackage, onProgress func(Progress)) (string, error) {
	switch {
	case p.Dir == "":
		return "", fmt.Errorf("%w: dash: dir is empty", ErrInvalidJob)
	case !validSeconds(p.SegmentSeconds) || p.SegmentSeconds > 60:
		return "", fmt.Errorf("%w: dash: segment duration %v out of range (0, 60]", ErrInvalidJob, p.SegmentSeconds)
	case len(p.Video) == 0:
		return "", fmt.Errorf("%w: dash: no video renditions", ErrInvalidJob)
	case !validSeconds(p.MinBufferSeconds) || p.MinBufferSeconds > 3600:
		return "", fmt.Errorf("%w: dash: min buffer %v out of range", ErrInvalidJob, p.MinBufferSeconds)
	case p.DisplayAspect != "" && !aspectPattern.MatchString(p.DisplayAspect):
		return "", fmt.Errorf("%w: dash: display aspect %q is not W:H", ErrInvalidJob, p.DisplayAspect)
	}
	seg := p.SegmentSeconds
	if seg == 0 {
		seg = DefaultSegmentSeconds
	}
	inputs := append(append([]string(nil), p.Video...), p.Audio...)
	for _, in := range inputs {
		if err := precheckLocal(in); err != nil {
			return "", err
		}
	}
	if err := os.MkdirAll(p.Dir, 0o755); err != nil {
		return "", fmt.Errorf("dash: %w", err)
	}
	args := commonArgs()
	for _, in := range inputs {
		args = append(args, inputArgs(in, "")...)
	}
	for i := range p.Video {
		args = append(args, "-map", fmt.Sprintf("%d:v:0", i))
		if p.DisplayAspect != "" {
			args = append(args, fmt.Sprintf("-aspect:v:%d", i), p.DisplayAspect)
		}
	}
	for i := range p.Audio {
		args = append(args, "-map", fmt.Sprintf("%d:a:0", len(p.Video)+i))
	}
	sets := "id=0,streams=v"
	if len(p.Audio) > 0 {
		sets += " id=1,streams=a"
	}
	manifest := filepath.Join(p.Dir, DASHManifestName)
	args = append(args, "-c", "copy", "-map_metadata", "-1", "-map_chapters", "-1",
		"-f", "dash", "-seg_duration", formatSeconds(seg), "-use_template", "1", "-use_timeline", "1",
		"-adaptation_sets", sets,
		// Names relative to the manifest; $...$ are DASH template fields.
		"-init_seg_name", "init-$RepresentationID$.m4s",
		"-media_seg_name", "chunk-$RepresentationID$-$Number%05d$.m4s",
		ffmpegPath(manifest))
	if err := r.run(ctx, r.ffmpeg(), args, &progressWriter{fn: onProgress}); err != nil {
		return "", fmt.Errorf("package dash into %s: %w", p.Dir, err)
	}
	if p.MinBufferSeconds > 0 {
		mpd, err := os.ReadFile(manifest)
		if err != nil {
			return "", fmt.Errorf("dash: %w", err)
		}
		attr := fmt.Sprintf(`minBufferTime="PT%sS"`, strconv.FormatFloat(p.MinBufferSeconds, 'f', 3, 64))
		if err := os.WriteFile(manifest, minBufferAttr.ReplaceAll(mpd, []byte(attr)), 0o644); err != nil {
			return "", fmt.Errorf("dash: %w", err)
		}
	}
	return manifest, nil
}
