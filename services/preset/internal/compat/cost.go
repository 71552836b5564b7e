package compat

import "math"

// Pricing of presets, EUR per output minute at standard priority. It is the
// job service's price table (services/job/internal/pricing) applied to the
// preset's one video setting, so the estimate a preset shows is what a job
// using it pays per minute at standard priority:
//
//	base by the output's short side: <=576 0.005, <=1080 0.010, <=1440 0.015,
//	<=2160 0.030, above 0.060 (a preset without a resolution is priced as HD,
//	0.010)
//	x codec: h264 1, h265 1.5, vp9 1.5, av1 2.5
//	x quality tier: economy 0.8, standard 1, premium 1.3
//
// The result is rounded to six decimal places to drop float noise.
var (
	codecFactor   = map[string]float64{"h264": 1, "h265": 1.5, "vp9": 1.5, "av1": 2.5}
	qualityFactor = map[string]float64{"economy": 0.8, "standard": 1, "premium": 1.3}
	// shortSide is the height of each named resolution.
	shortSide = map[string]int{
		"240p": 240, "360p": 360, "480p": 480, "720p": 720,
		"1080p": 1080, "1440p": 1440, "2160p": 2160, "4320p": 4320,
	}
)

// CostPerMinute estimates the EUR per output minute of a preset's video.
func CostPerMinute(codec, resolution, quality string) float64 {
	short, ok := shortSide[resolution]
	if !ok {
		short = 1080
	}
	var base float64
	switch {
	case short <= 576:
		base = 0.005
	case short <= 1080:
		base = 0.010
	case short <= 1440:
		base = 0.015
	case short <= 2160:
		base = 0.030
	default:
		base = 0.060
	}
	cf, ok := codecFactor[codec]
	if !ok {
		cf = 1
	}
	qf, ok := qualityFactor[quality]
	if !ok {
		qf = 1
	}
	return math.Round(base*cf*qf*1e6) / 1e6
}
