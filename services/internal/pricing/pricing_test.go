package pricing

import "testing"

func TestPrice(t *testing.T) {
	t.Parallel()
	tests := []struct {
		r        Rendition
		priority string
		seconds  float64
		want     float64
	}{
		{Rendition{"h264", 1920, 1080, "standard"}, "standard", 60, 0.010},
		{Rendition{"h264", 1280, 720, ""}, "", 600, 0.100},
		{Rendition{"av1", 3840, 2160, "premium"}, "premium", 60, 0.146},
		{Rendition{"h265", 640, 360, "economy"}, "economy", 120, 0.010},
		{Rendition{"vp9", 7680, 4320, "standard"}, "standard", 30, 0.045},
	}
	for _, tt := range tests {
		if got := Price(tt.r, tt.priority, tt.seconds); got != tt.want {
			t.Errorf("Price(%+v, %s, %v) = %v, want %v", tt.r, tt.priority, tt.seconds, got, tt.want)
		}
	}
}
