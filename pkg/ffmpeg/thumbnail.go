package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Thumbnail modes accepted by ThumbnailOptions.Mode.
const (
	ThumbnailInterval   = "interval"   // one image every IntervalSeconds, from 0
	ThumbnailCount      = "count"      // Count images spread evenly
	ThumbnailTimestamps = "timestamps" // one image per listed time
)

// Image formats accepted by ThumbnailOptions.Format and SpriteOptions.Format.
const (
	ImageJPEG = "jpeg"
	ImagePNG  = "png"
	ImageWebP = "webp"
)

// maxThumbnails bounds one Thumbnails call, so a tiny interval on a long
// input cannot fill a disk with millions of files.
const maxThumbnails = 1000

// thumbnailBatch is how many seek positions one ffmpeg process serves:
// every position is an input of its own, and each open input costs memory.
const thumbnailBatch = 16

// ThumbnailOptions describes which still images Thumbnails extracts.
type ThumbnailOptions struct {
	// Mode is ThumbnailInterval, ThumbnailCount or ThumbnailTimestamps.
	Mode string
	// IntervalSeconds is the spacing in interval mode; images are taken at
	// 0, I, 2I, ... before the end.
	IntervalSeconds float64
	// Count is the number of images in count mode; they are taken at the
	// middles of Count equal slices of the input, which avoids the black
	// first frame and the fade-out of many videos.
	Count int
	// Timestamps are the times, in seconds, of timestamps mode; they are
	// taken in ascending order and must lie within the input.
	Timestamps []float64
	// Width and Height bound the image size (0 = keep); the display aspect
	// ratio is kept as in VideoEncode, and pixels are square.
	Width, Height int
	// Format is ImageJPEG (default), ImagePNG or ImageWebP.
	Format string
	// Dir receives the images; it is created if needed.
	Dir string
	// NamePattern names the images: a fmt pattern with one integer verb
	// for the 1-based image number, without extension (the format's is
	// added). Default "thumb_%05d".
	NamePattern string
}

// Thumbnail is one extracted image.
type Thumbnail struct {
	// Path is the image file.
	Path string
	// Time is the position in the input, in seconds, that the image shows.
	Time float64
}

// imageFormats maps a Format to the file extension and encoder options.
var imageFormats = map[string]struct {
	ext   string
	codec []string
}{
	// q:v 3 is visually clean at a fraction of the size of q:v 1.
	ImageJPEG: {".jpg", []string{"-c:v", "mjpeg", "-q:v", "3"}},
	ImagePNG:  {".png", []string{"-c:v", "png"}},
	ImageWebP: {".webp", []string{"-c:v", "libwebp", "-quality", "80"}},
}

func imageFormat(name string) (string, error) {
	if name == "" {
		return ImageJPEG, nil
	}
	if _, ok := imageFormats[name]; !ok {
		return "", fmt.Errorf("%w: image format %q (want jpeg, png or webp)", ErrInvalidJob, name)
	}
	return name, nil
}

// Thumbnails extracts still images from input (a local path or http(s)
// URL) as opt describes and returns them in time order. Each image is
// decoded at its exact time (seek to the keyframe before, decode forward),
// so the cost is a GOP per image rather than a decode of the whole input.
func (r *Runner) Thumbnails(ctx context.Context, input string, opt ThumbnailOptions) ([]Thumbnail, error) {
	format, err := imageFormat(opt.Format)
	if err != nil {
		return nil, err
	}
	pattern := opt.NamePattern
	if pattern == "" {
		pattern = "thumb_%05d"
	}
	if err := validNamePattern(pattern); err != nil {
		return nil, err
	}
	if opt.Dir == "" {
		return nil, fmt.Errorf("%w: thumbnails: dir is empty", ErrInvalidJob)
	}
	if opt.Width < 0 || opt.Height < 0 || opt.Width%2 != 0 || opt.Height%2 != 0 {
		return nil, fmt.Errorf("%w: thumbnails: size %dx%d must be even and >= 0", ErrInvalidJob, opt.Width, opt.Height)
	}
	probe, err := r.Probe(ctx, input)
	if err != nil {
		return nil, err
	}
	// The last frame starts one frame before the end; a seek past its start
	// would find nothing to decode.
	last := probe.Duration
	if fps := probe.Video[0].FPS; fps > 0 {
		last -= 1 / fps
	}
	times, err := thumbnailTimes(opt, probe.Duration, max(last, 0))
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("thumbnails: %w", err)
	}
	thumbs := make([]Thumbnail, len(times))
	for i, t := range times {
		thumbs[i] = Thumbnail{Path: filepath.Join(opt.Dir, fmt.Sprintf(pattern, i+1)+imageFormats[format].ext), Time: t}
	}
	vf := "setsar=1"
	if s := scaleFilter(opt.Width, opt.Height); s != "" {
		vf = s + "," + vf
	}
	for batch := range slices.Chunk(thumbs, thumbnailBatch) {
		args := []string{"-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats"}
		for _, th := range batch {
			args = append(args, "-ss", formatSeconds(th.Time))
			args = append(args, inputArgs(input, "")...)
		}
		for i, th := range batch {
			args = append(args, "-map", fmt.Sprintf("%d:v:0", i), "-frames:v", "1", "-vf", vf,
				"-map_metadata", "-1")
			args = append(args, imageFormats[format].codec...)
			// -update 1: the name is a plain file name, not an image
			// sequence pattern.
			args = append(args, "-f", "image2", "-update", "1", ffmpegPath(th.Path))
		}
		if err := r.run(ctx, r.ffmpeg(), args, nil); err != nil {
			return nil, fmt.Errorf("thumbnails of %s: %w", RedactURL(input), classifyInputError(input, err))
		}
	}
	for _, th := range thumbs {
		if st, err := os.Stat(th.Path); err != nil || st.Size() == 0 {
			return nil, fmt.Errorf("thumbnails of %s: no image at %.3f s", RedactURL(input), th.Time)
		}
	}
	return thumbs, nil
}

// thumbnailTimes computes the positions for opt on an input of the given
// duration whose last frame starts at last (seconds).
func thumbnailTimes(opt ThumbnailOptions, duration, last float64) ([]float64, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: thumbnails: %s", ErrInvalidJob, fmt.Sprintf(format, a...))
	}
	var times []float64
	switch opt.Mode {
	case ThumbnailInterval:
		if !validSeconds(opt.IntervalSeconds) || opt.IntervalSeconds == 0 {
			return nil, bad("interval %v must be > 0", opt.IntervalSeconds)
		}
		if duration/opt.IntervalSeconds >= maxThumbnails {
			return nil, bad("interval %v s gives more than %d images", opt.IntervalSeconds, maxThumbnails)
		}
		for i := 0; float64(i)*opt.IntervalSeconds <= last; i++ {
			times = append(times, float64(i)*opt.IntervalSeconds)
		}
	case ThumbnailCount:
		if opt.Count <= 0 || opt.Count > maxThumbnails {
			return nil, bad("count %d out of range 1..%d", opt.Count, maxThumbnails)
		}
		for i := range opt.Count {
			times = append(times, min(duration*(float64(i)+0.5)/float64(opt.Count), last))
		}
	case ThumbnailTimestamps:
		if len(opt.Timestamps) == 0 || len(opt.Timestamps) > maxThumbnails {
			return nil, bad("%d timestamps, want 1..%d", len(opt.Timestamps), maxThumbnails)
		}
		for _, t := range opt.Timestamps {
			if !validSeconds(t) || t >= duration {
				return nil, bad("timestamp %v s is outside the input (%.3f s)", t, duration)
			}
			times = append(times, min(t, last))
		}
		slices.Sort(times)
	default:
		return nil, bad("mode %q (want interval, count or timestamps)", opt.Mode)
	}
	if len(times) == 0 {
		return nil, bad("the input is too short for any image")
	}
	return times, nil
}

// validNamePattern accepts a file name pattern with exactly one integer
// verb that yields distinct plain file names.
func validNamePattern(p string) error {
	a, b := fmt.Sprintf(p, 1), fmt.Sprintf(p, 2)
	switch {
	case strings.Count(strings.ReplaceAll(p, "%%", ""), "%") != 1 || strings.Contains(a, "%!") || a == b:
		return fmt.Errorf("%w: name pattern %q needs exactly one integer verb such as %%04d", ErrInvalidJob, p)
	case strings.ContainsAny(a, `/\`) || a == "." || a == "..":
		return fmt.Errorf("%w: name pattern %q must name a file, not a path", ErrInvalidJob, p)
	}
	return nil
}

// SpriteOptions describes a sprite sheet (all thumbnails tiled into one
// image, as players' seek-bar previews use).
type SpriteOptions struct {
	// Path is the image to write.
	Path string
	// Format is ImageJPEG (default), ImagePNG or ImageWebP.
	Format string
	// Columns is the number of tiles per row; 0 makes the sheet about
	// square. Rows follow from the number of thumbnails.
	Columns int
}

// SpriteSheet describes a written sprite sheet. Tiles are filled row by
// row, left to right; unused tiles at the end are black.
type SpriteSheet struct {
	// Path is the image file.
	Path string
	// Columns and Rows are the grid size in tiles.
	Columns, Rows int
	// TileWidth and TileHeight are the size of one tile in pixels.
	TileWidth, TileHeight int
}

// Sprite tiles thumbs, which must all have the same size (as one Thumbnails
// call makes them), into one sprite sheet.
func (r *Runner) Sprite(ctx context.Context, thumbs []Thumbnail, opt SpriteOptions) (*SpriteSheet, error) {
	format, err := imageFormat(opt.Format)
	if err != nil {
		return nil, err
	}
	switch {
	case len(thumbs) == 0:
		return nil, fmt.Errorf("%w: sprite: no thumbnails", ErrInvalidJob)
	case opt.Path == "":
		return nil, fmt.Errorf("%w: sprite: path is empty", ErrInvalidJob)
	case opt.Columns < 0:
		return nil, fmt.Errorf("%w: sprite: columns %d < 0", ErrInvalidJob, opt.Columns)
	}
	cols := opt.Columns
	if cols == 0 {
		cols = int(math.Ceil(math.Sqrt(float64(len(thumbs)))))
	}
	cols = min(cols, len(thumbs))
	rows := (len(thumbs) + cols - 1) / cols

	first, err := r.probeOwn(ctx, thumbs[0].Path)
	if err != nil {
		return nil, err
	}
	s, ok := first.stream("video")
	if !ok || s.Width <= 0 || s.Height <= 0 {
		return nil, fmt.Errorf("sprite: %s is not an image", thumbs[0].Path)
	}
	paths := make([]string, len(thumbs))
	for i, th := range thumbs {
		paths[i] = th.Path
	}
	list, err := concatList(paths)
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Dir(opt.Path), ".sprite-*.ffconcat")
	if err != nil {
		return nil, fmt.Errorf("sprite: write image list: %w", err)
	}
	defer os.Remove(f.Name())
	_, werr := f.WriteString(list)
	if cerr := f.Close(); werr != nil || cerr != nil {
		return nil, fmt.Errorf("sprite: write image list: %w", errors.Join(werr, cerr))
	}

	args := []string{"-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats",
		// The images are our own thumbnails; only still-image demuxers and
		// local files are admitted all the same.
		"-f", "concat", "-safe", "0", "-format_whitelist", "concat,image2,jpeg_pipe,png_pipe,webp_pipe",
		"-protocol_whitelist", "file", "-i", ffmpegPath(f.Name()),
		"-vf", fmt.Sprintf("tile=%dx%d", cols, rows), "-frames:v", "1", "-map_metadata", "-1"}
	args = append(args, imageFormats[format].codec...)
	args = append(args, "-f", "image2", "-update", "1", ffmpegPath(opt.Path))
	if err := r.run(ctx, r.ffmpeg(), args, nil); err != nil {
		return nil, fmt.Errorf("sprite %s: %w", filepath.Base(opt.Path), err)
	}
	return &SpriteSheet{Path: opt.Path, Columns: cols, Rows: rows, TileWidth: s.Width, TileHeight: s.Height}, nil
}

// VTT renders the WebVTT thumbnail index for players' seek-bar previews:
// cue i covers times[i] up to times[i+1] (the last one up to end) and points
// at tile i of the sheet as imageURL#xywh=x,y,w,h. times must be ascending,
// in seconds, as Thumbnails returns them. It is a pure function so the text
// can be golden-tested.
func (s SpriteSheet) VTT(imageURL string, times []float64, end float64) string {
	var b strings.Builder
	b.WriteString("WEBVTT\n")
	cols := max(s.Columns, 1)
	for i, start := range times {
		stop := end
		if i+1 < len(times) {
			stop = times[i+1]
		}
		x, y := (i%cols)*s.TileWidth, (i/cols)*s.TileHeight
		fmt.Fprintf(&b, "\n%s --> %s\n%s#xywh=%d,%d,%d,%d\n",
			vttTime(start), vttTime(max(stop, start)), hlsLine(imageURL), x, y, s.TileWidth, s.TileHeight)
	}
	return b.String()
}

// vttTime formats seconds as WebVTT's HH:MM:SS.mmm.
func vttTime(sec float64) string {
	ms := int64(math.Round(max(sec, 0) * 1000))
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}
