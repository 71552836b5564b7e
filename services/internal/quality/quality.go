// Package quality holds the documented quality tiers (docs/ARCHITECTURE.md):
// the CRF and encoder speed each tier picks per codec. Jobs encode with them
// and presets fill their defaults from them, so a preset saved with defaults
// encodes exactly like a job that named the tier.
package quality

// Setting is the encoder setting of one codec at one tier. Preset is the
// speed name for x264/x265, cpu-used for libvpx-vp9 and the SVT-AV1 preset
// number.
type Setting struct {
	CRF    int
	Preset string
}

// tiers maps codec -> tier -> setting.
var tiers = map[string]map[string]Setting{
	"h264": {"economy": {26, "veryfast"}, "standard": {23, "faster"}, "premium": {20, "medium"}},
	"h265": {"economy": {30, "veryfast"}, "standard": {27, "fast"}, "premium": {24, "medium"}},
	"vp9":  {"economy": {38, "6"}, "standard": {33, "4"}, "premium": {30, "2"}},
	"av1":  {"economy": {40, "10"}, "standard": {35, "8"}, "premium": {30, "6"}},
}

// Default is the tier used when none is named.
const Default = "standard"

// Tier returns the setting tier picks for codec ("" means Default).
// codecKnown and tierKnown tell which of the two was not found.
func Tier(codec, tier string) (s Setting, codecKnown, tierKnown bool) {
	byTier, codecKnown := tiers[codec]
	if !codecKnown {
		return Setting{}, false, false
	}
	if tier == "" {
		tier = Default
	}
	s, tierKnown = byTier[tier]
	return s, true, tierKnown
}
