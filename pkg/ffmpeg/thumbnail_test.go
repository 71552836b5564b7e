package ffmpeg_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
)

// imageInfo reads an image with ffprobe itself (Probe refuses still-image
// demuxers by design) and returns its codec and size.
func imageInfo(t *testing.T, path string) string {
	t.Helper()
	return strings.TrimSpace(ffmpegtest.RunFFprobe(t, "-select_streams", "v:0",
		"-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", path))
}

func TestRunner_Thumbnails(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	src := ffmpegtest.MakeClip(t, t.TempDir(), ffmpegtest.ClipOptions{Seconds: 3, Width: 320, Height: 180})

	tests := []struct {
		name      string
		opt       ffmpeg.ThumbnailOptions
		wantTimes []float64
		wantImage string
		wantExt   string
	}{
		{"interval jpeg", ffmpeg.ThumbnailOptions{Mode: ffmpeg.ThumbnailInterval, IntervalSeconds: 1, Width: 160},
			[]float64{0, 1, 2}, "mjpeg,160,90", ".jpg"},
		{"count png", ffmpeg.ThumbnailOptions{Mode: ffmpeg.ThumbnailCount, Count: 2, Height: 60, Format: ffmpeg.ImagePNG, NamePattern: "poster-%d"},
			[]float64{0.75, 2.25}, "png,106,60", ".png"},
		{"timestamps webp", ffmpeg.ThumbnailOptions{Mode: ffmpeg.ThumbnailTimestamps, Timestamps: []float64{2.5, 0.2}, Format: ffmpeg.ImageWebP},
			[]float64{0.2, 2.5}, "webp,320,180", ".webp"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.opt.Dir = filepath.Join(t.TempDir(), "thumbs")
			thumbs, err := r.Thumbnails(testContext(t), src, tc.opt)
			if err != nil {
				t.Fatalf("Thumbnails: %v", err)
			}
			if len(thumbs) != len(tc.wantTimes) {
				t.Fatalf("got %d thumbnails %+v, want %d", len(thumbs), thumbs, len(tc.wantTimes))
			}
			for i, th := range thumbs {
				if th.Time != tc.wantTimes[i] || filepath.Ext(th.Path) != tc.wantExt {
					t.Errorf("thumbnail %d = %+v, want time %v and a %s file", i, th, tc.wantTimes[i], tc.wantExt)
				}
			}
			if got := imageInfo(t, thumbs[len(thumbs)-1].Path); got != tc.wantImage {
				t.Errorf("last image is %q, want %q", got, tc.wantImage)
			}
			if entries, _ := os.ReadDir(tc.opt.Dir); len(entries) != len(thumbs) {
				t.Errorf("dir holds %d files, want %d", len(entries), len(thumbs))
			}
		})
	}

	t.Run("sprite", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		thumbs, err := r.Thumbnails(testContext(t), src, ffmpeg.ThumbnailOptions{
			Mode: ffmpeg.ThumbnailInterval, IntervalSeconds: 0.5, Width: 80, Dir: dir})
		if err != nil {
			t.Fatalf("Thumbnails: %v", err)
		}
		if len(thumbs) != 6 {
			t.Fatalf("got %d thumbnails, want 6 (0 to 2.5 s)", len(thumbs))
		}
		sheet, err := r.Sprite(testContext(t), thumbs, ffmpeg.SpriteOptions{Path: filepath.Join(dir, "sprite.jpg"), Columns: 4})
		if err != nil {
			t.Fatalf("Sprite: %v", err)
		}
		want := ffmpeg.SpriteSheet{Path: sheet.Path, Columns: 4, Rows: 2, TileWidth: 80, TileHeight: 46}
		if *sheet != want {
			t.Errorf("sheet = %+v, want %+v", *sheet, want)
		}
		if got := imageInfo(t, sheet.Path); got != "mjpeg,320,92" {
			t.Errorf("sprite image is %q, want mjpeg,320,92", got)
		}
		times := make([]float64, len(thumbs))
		for i, th := range thumbs {
			times[i] = th.Time
		}
		vtt := sheet.VTT("sprite.jpg", times, 3)
		if !strings.HasPrefix(vtt, "WEBVTT\n") || strings.Count(vtt, "#xywh=") != 6 ||
			!strings.Contains(vtt, "00:00:02.500 --> 00:00:03.000\nsprite.jpg#xywh=80,46,80,46\n") {
			t.Errorf("VTT =\n%s", vtt)
		}
	})

	t.Run("invalid", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		for name, opt := range map[string]ffmpeg.ThumbnailOptions{
			"no mode":           {Dir: dir},
			"zero interval":     {Mode: ffmpeg.ThumbnailInterval, Dir: dir},
			"past the end":      {Mode: ffmpeg.ThumbnailTimestamps, Timestamps: []float64{3.5}, Dir: dir},
			"pattern with path": {Mode: ffmpeg.ThumbnailCount, Count: 1, Dir: dir, NamePattern: "../x%d"},
			"pattern no verb":   {Mode: ffmpeg.ThumbnailCount, Count: 1, Dir: dir, NamePattern: "x"},
			"odd width":         {Mode: ffmpeg.ThumbnailCount, Count: 1, Dir: dir, Width: 101},
			"bad format":        {Mode: ffmpeg.ThumbnailCount, Count: 1, Dir: dir, Format: "gif"},
		} {
			if _, err := r.Thumbnails(testContext(t), src, opt); err == nil {
				t.Errorf("%s: Thumbnails succeeded", name)
			}
		}
	})
}
