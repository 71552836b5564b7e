package engine_test

import (
	"slices"
	"testing"

	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/services/job/internal/engine"
)

func TestThumbnailTimes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		spec     *jobv1.ThumbnailSpec
		duration float64
		want     []float64
		wantErr  bool
	}{
		{"interval stops before the end", &jobv1.ThumbnailSpec{Mode: jobv1.ThumbnailMode_THUMBNAIL_MODE_INTERVAL, IntervalSeconds: 1}, 4, []float64{0, 1, 2, 3}, false},
		{"interval below the floor", &jobv1.ThumbnailSpec{Mode: jobv1.ThumbnailMode_THUMBNAIL_MODE_INTERVAL, IntervalSeconds: 0.25}, 4, nil, true},
		{"interval over the cap", &jobv1.ThumbnailSpec{Mode: jobv1.ThumbnailMode_THUMBNAIL_MODE_INTERVAL, IntervalSeconds: 1}, 5000, nil, true},
		{"count takes slice middles", &jobv1.ThumbnailSpec{Mode: jobv1.ThumbnailMode_THUMBNAIL_MODE_COUNT, Count: 4}, 8, []float64{1, 3, 5, 7}, false},
		{"timestamps sorted", &jobv1.ThumbnailSpec{Mode: jobv1.ThumbnailMode_THUMBNAIL_MODE_TIMESTAMPS, Timestamps: []float64{2, 0.5}}, 4, []float64{0.5, 2}, false},
		{"timestamp past the end", &jobv1.ThumbnailSpec{Mode: jobv1.ThumbnailMode_THUMBNAIL_MODE_TIMESTAMPS, Timestamps: []float64{4}}, 4, nil, true},
	}
	for _, tt := range tests {
		got, err := engine.ThumbnailTimes(tt.spec, tt.duration)
		if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("%s: ThumbnailTimes = %v, %v; want %v (error %v)", tt.name, got, err, tt.want, tt.wantErr)
		}
	}
}
