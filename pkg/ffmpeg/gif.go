package ffmpeg

import (
	"context"
	"fmt"
)

// maxGIFSeconds bounds a GIF: the palette pass holds every frame in memory
// until the palette is known, and long GIFs are huge anyway.
const maxGIFSeconds = 30

// GIFOptions describes an animated GIF cut from a video.
type GIFOptions struct {
	// Path is the GIF to write.
	Path string
	// Start is where the GIF starts in the input, in seconds.
	Start float64
	// Duration is its length in seconds, 0 < Duration <= 30.
	Duration float64
	// Width is the picture width; the height follows the display aspect
	// ratio. 0 keeps the input's width.
	Width int
	// FPS is the frame rate; 0 means 10, plenty for a preview.
	FPS float64
}

// GIF writes an animated GIF of a part of input (a local path or http(s)
// URL). It uses a palette computed from the clip itself (palettegen, then
// paletteuse in the same filtergraph), which looks far better than GIF's
// default 256-colour web palette.
func (r *Runner) GIF(ctx context.Context, input string, opt GIFOptions) error {
	switch {
	case opt.Path == "":
		return fmt.Errorf("%w: gif: path is empty", ErrInvalidJob)
	case !validSeconds(opt.Start) || !validSeconds(opt.Duration) || opt.Duration == 0 || opt.Duration > maxGIFSeconds:
		return fmt.Errorf("%w: gif: start %v / duration %v (want 0 < duration <= %d)", ErrInvalidJob, opt.Start, opt.Duration, maxGIFSeconds)
	case opt.Width < 0 || opt.Width > 4096:
		return fmt.Errorf("%w: gif: width %d out of range", ErrInvalidJob, opt.Width)
	case !validSeconds(opt.FPS) || opt.FPS > 60:
		return fmt.Errorf("%w: gif: fps %v out of range", ErrInvalidJob, opt.FPS)
	}
	if err := precheckLocal(input); err != nil {
		return err
	}
	fps := opt.FPS
	if fps == 0 {
		fps = 10
	}
	chain := "fps=" + formatRate(fps)
	if opt.Width > 0 {
		// GIF has no sample aspect ratio, so the picture is scaled to
		// square pixels by display aspect; odd heights are fine in GIF.
		chain += fmt.Sprintf(",scale=w=%d:h='max(2,round(%d/dar))':flags=lanczos", opt.Width, opt.Width)
	} else {
		chain += ",scale=w='round(ih*dar)':h=ih:flags=lanczos"
	}
	// stats_mode=diff favours the moving parts; bayer dithering avoids the
	// crawling noise error diffusion causes between frames.
	graph := "[0:v:0]" + chain + ",setsar=1,split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=4"
	args := commonArgs()
	if opt.Start > 0 {
		args = append(args, "-ss", formatSeconds(opt.Start))
	}
	args = append(args, "-t", formatSeconds(opt.Duration))
	args = append(args, inputArgs(input, "")...)
	args = append(args, "-filter_complex", graph, "-an", "-map_metadata", "-1", "-f", "gif", ffmpegPath(opt.Path))
	if err := r.run(ctx, r.ffmpeg(), args, nil); err != nil {
		err = classifyInputError(input, err)
		return fmt.Errorf("gif of %s: %w", RedactURL(input), err)
	}
	return nil
}
