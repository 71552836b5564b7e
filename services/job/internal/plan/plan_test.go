package plan

import (
	"strings"
	"testing"
)

func TestSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		v      Variant
		s      Source
		w, h   int
		errSub string
	}{
		{"downscale 1080p to 720p", Variant{ShortSide: 720}, Source{Width: 1920, Height: 1080}, 1280, 720, ""},
		{"never upscale", Variant{ShortSide: 1080}, Source{Width: 640, Height: 360}, 640, 360, ""},
		{"keep source", Variant{}, Source{Width: 320, Height: 240}, 320, 240, ""},
		{"portrait short side", Variant{ShortSide: 720}, Source{Width: 1080, Height: 1920}, 720, 1280, ""},
		{"rotation swaps", Variant{ShortSide: 360}, Source{Width: 1280, Height: 720, Rotation: 90}, 360, 640, ""},
		{"halfway rounds up", Variant{ShortSide: 240}, Source{Width: 854, Height: 480}, 428, 240, ""},
		{"16:9 to 240p", Variant{ShortSide: 240}, Source{Width: 640, Height: 360}, 426, 240, ""},
		{"explicit size honoured", Variant{Width: 2000, Height: 1000}, Source{Width: 640, Height: 360}, 2000, 1000, ""},
		{"width without height", Variant{Width: 640}, Source{Width: 640, Height: 360}, 0, 0, "together"},
		{"no source size", Variant{ShortSide: 720}, Source{}, 0, 0, "no video size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, h, err := Size(tt.v, tt.s)
			if tt.errSub != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errSub) {
					t.Fatalf("err = %v, want %q", err, tt.errSub)
				}
				return
			}
			if err != nil || w != tt.w || h != tt.h {
				t.Fatalf("Size = %dx%d, %v; want %dx%d", w, h, err, tt.w, tt.h)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	src := Source{Width: 1920, Height: 1080, FPS: 30}
	e, err := Resolve(Variant{Codec: "h264", ShortSide: 720}, src)
	if err != nil {
		t.Fatal(err)
	}
	if e.CRF != 23 || e.Preset != "faster" || e.GOPFrames != 60 || e.FPS != 30 || e.Width != 1280 {
		t.Fatalf("standard h264 = %+v", e)
	}
	crf := 18
	e, err = Resolve(Variant{Codec: "vp9", Quality: "premium", CRF: &crf, FPS: 60, BitrateKbps: 2000}, src)
	if err != nil {
		t.Fatal(err)
	}
	if e.CRF != 18 || e.Preset != "2" || e.FPS != 30 || e.BitrateKbps != 2000 || e.MaxBitrateKbps != 3000 {
		t.Fatalf("vp9 premium overrides = %+v", e)
	}
	if _, err := Resolve(Variant{Codec: "h263"}, src); err == nil {
		t.Fatal("unknown codec accepted")
	}
	if _, err := Resolve(Variant{Codec: "av1", Quality: "ultra"}, src); err == nil {
		t.Fatal("unknown quality accepted")
	}
}
