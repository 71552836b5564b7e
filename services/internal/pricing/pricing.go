// Package pricing is the one place job prices are computed: EUR per output
// minute by codec, resolution tier, quality and priority. Self-hosters who
// charge back edit this table (docs/ARCHITECTURE.md shows it). Animated GIFs
// are priced as a 240p h264 economy rendition of the GIF duration (see GIF).
package pricing

// Currency of every price.
const Currency = "EUR"

// baseByTier is EUR per output minute for h264 at standard quality and
// standard priority, by the frame's short side.
var baseByTier = []struct {
	maxShortSide int
	eur          float64
}{
	{576, 0.005},     // SD
	{1080, 0.010},    // HD / Full HD
	{1440, 0.015},    // 2K
	{2160, 0.030},    // 4K
	{1 << 30, 0.060}, // 8K
}

// Multipliers for slower codecs, quality tiers and priorities.
var (
	CodecFactor    = map[string]float64{"h264": 1, "h265": 1.5, "vp9": 1.5, "av1": 2.5}
	QualityFactor  = map[string]float64{"economy": 0.8, "standard": 1, "premium": 1.3}
	PriorityFactor = map[string]float64{"economy": 0.8, "standard": 1, "premium": 1.5}
)

// Rendition describes one encoded video.
type Rendition struct {
	Codec         string
	Width, Height int
	Quality       string
}

// PerMinute is the price of one minute of a rendition.
func PerMinute(r Rendition, priority string) float64 {
	short := min(r.Width, r.Height)
	base := baseByTier[len(baseByTier)-1].eur
	for _, t := range baseByTier {
		if short <= t.maxShortSide {
			base = t.eur
			break
		}
	}
	return base * factor(CodecFactor, r.Codec) * factor(QualityFactor, r.Quality) * factor(PriorityFactor, priority)
}

// Price is the cost of seconds of a rendition, rounded to a tenth of a cent.
func Price(r Rendition, priority string, seconds float64) float64 {
	return round(PerMinute(r, priority) * seconds / 60)
}

func factor(m map[string]float64, k string) float64 {
	if f, ok := m[k]; ok {
		return f
	}
	return 1
}

func round(v float64) float64 {
	const unit = 1000 // tenths of a cent
	return float64(int64(v*unit+0.5)) / unit
}

// gifRendition is what an animated GIF is priced as: a GIF is small (a
// preview at most a few hundred pixels wide) and short, and its palette pass
// costs about what a low-resolution economy encode does, so it is charged as
// a 240p h264 economy rendition of the GIF's own duration (not the source's).
var gifRendition = Rendition{Codec: "h264", Width: 426, Height: 240, Quality: "economy"}

// GIF is the cost of an animated GIF of the given length in seconds.
func GIF(priority string, seconds float64) float64 {
	return Price(gifRendition, priority, seconds)
}
