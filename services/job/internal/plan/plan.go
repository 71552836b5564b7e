// Package plan turns what a user asked for (an output's video variant) and
// what probing found (the source) into exact encoder settings: frame size,
// rate control, encoder speed, keyframe interval. It is pure Go and
// table-tested; the job service stores its result in each task.
package plan

import (
	"fmt"
	"math"

	"github.com/transcodely/transcodely/services/internal/quality"
)

// Source is what probing found about the input's video.
type Source struct {
	Width, Height int
	FPS           float64
	// Rotation in degrees clockwise (0, 90, 180, 270); 90 and 270 swap the
	// displayed width and height.
	Rotation int
	Duration float64
}

// DisplaySize is the size a player shows, rotation applied.
func (s Source) DisplaySize() (w, h int) {
	if s.Rotation == 90 || s.Rotation == 270 {
		return s.Height, s.Width
	}
	return s.Width, s.Height
}

// Variant is one requested video rendition, in domain terms.
type Variant struct {
	Codec string // h264, h265, vp9, av1
	// ShortSide is the named resolution's height (1080 for "1080p"); 0 when
	// not given.
	ShortSide int
	// Width and Height are explicit; both or neither.
	Width, Height int
	Quality       string // economy, standard, premium; "" = standard
	FPS           float64
	BitrateKbps   int
	// Codec option overrides; zero values keep the tier's choice.
	CRF     *int
	Preset  string
	Profile string
	Tune    string
}

// Encoding is the resolved settings handed to an encoder.
type Encoding struct {
	Codec          string
	Width, Height  int
	FPS            float64
	CRF            int
	BitrateKbps    int
	MaxBitrateKbps int
	Preset         string
	Profile        string
	Tune           string
	// GOPFrames is the closed-GOP keyframe interval in frames.
	GOPFrames int
}

// Resolutions maps the public resolution names to their short side.
var Resolutions = map[string]int{
	"240p": 240, "360p": 360, "480p": 480, "720p": 720,
	"1080p": 1080, "1440p": 1440, "2160p": 2160, "4320p": 4320,
}

// GOPSeconds is the keyframe interval used when nothing else asks for one:
// 2 s divides the default 6 s streaming segment evenly.
const GOPSeconds = 2.0

// Resolve computes the encoding of v for source s.
func Resolve(v Variant, s Source) (Encoding, error) {
	t, codecKnown, tierKnown := quality.Tier(v.Codec, v.Quality)
	if !codecKnown {
		return Encoding{}, fmt.Errorf("unsupported codec %q", v.Codec)
	}
	if !tierKnown {
		return Encoding{}, fmt.Errorf("unknown quality %q", v.Quality)
	}
	w, h, err := Size(v, s)
	if err != nil {
		return Encoding{}, err
	}
	fps := v.FPS
	if fps == 0 || (s.FPS > 0 && fps > s.FPS) {
		// Keep the source rate; never invent frames.
		fps = s.FPS
	}
	e := Encoding{
		Codec: v.Codec, Width: w, Height: h, FPS: fps,
		CRF: t.CRF, Preset: t.Preset, Profile: v.Profile, Tune: v.Tune,
	}
	if v.CRF != nil {
		e.CRF = *v.CRF
	}
	if v.Preset != "" {
		e.Preset = v.Preset
	}
	if v.BitrateKbps > 0 {
		e.BitrateKbps = v.BitrateKbps
		// A 1.5x ceiling keeps VBV buffers sane for streaming players.
		e.MaxBitrateKbps = v.BitrateKbps * 3 / 2
	}
	rate := fps
	if rate <= 0 {
		rate = 25
	}
	e.GOPFrames = max(1, int(math.Round(rate*GOPSeconds)))
	return e, nil
}

// Size picks the output frame size: explicit width and height are honoured
// as asked; a named resolution sets the short side but never upscales past
// the source; without either the source size is kept. The display aspect
// ratio (rotation applied) is kept and sizes are even, as 4:2:0 needs.
func Size(v Variant, s Source) (w, h int, err error) {
	if (v.Width == 0) != (v.Height == 0) {
		return 0, 0, fmt.Errorf("width and height must be given together")
	}
	if v.Width > 0 {
		return even(v.Width), even(v.Height), nil
	}
	sw, sh := s.DisplaySize()
	if sw <= 0 || sh <= 0 {
		return 0, 0, fmt.Errorf("source has no video size")
	}
	short := min(sw, sh)
	target := short
	if v.ShortSide > 0 && v.ShortSide < short {
		target = v.ShortSide
	}
	scale := float64(target) / float64(short)
	return nearestEven(float64(sw) * scale), nearestEven(float64(sh) * scale), nil
}

// nearestEven rounds to the closest even size (4:2:0 chroma needs even).
func nearestEven(x float64) int {
	return max(2, 2*int(math.Round(x/2)))
}

func even(n int) int { return nearestEven(float64(n)) }
