package compat

import (
	"math"

	"github.com/transcodely/transcodely/services/internal/pricing"
)

// shortSide is the height of each named resolution.
var shortSide = map[string]int{
	"240p": 240, "360p": 360, "480p": 480, "720p": 720,
	"1080p": 1080, "1440p": 1440, "2160p": 2160, "4320p": 4320,
}

// CostPerMinute estimates the EUR per output minute of a preset's video at
// standard priority: the job service's price table (services/internal/pricing)
// applied to the preset's one video setting, so the estimate a preset shows
// is what a job using it pays per minute. A preset without a resolution is
// priced as HD (1080). The result is rounded to six decimal places to drop
// float noise.
func CostPerMinute(codec, resolution, quality string) float64 {
	short, ok := shortSide[resolution]
	if !ok {
		short = 1080
	}
	perMinute := pricing.PerMinute(pricing.Rendition{Codec: codec, Width: short, Height: short, Quality: quality}, "standard")
	return math.Round(perMinute*1e6) / 1e6
}
