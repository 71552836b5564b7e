package ffmpeg

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestConcatList(t *testing.T) {
	t.Parallel()
	got, err := concatList([]string{"/scratch/seg 0.mp4", "/scratch/it's.mp4"})
	if err != nil {
		t.Fatal(err)
	}
	want := "ffconcat version 1.0\nfile '/scratch/seg 0.mp4'\nfile '/scratch/it'\\''s.mp4'\n"
	if got != want {
		t.Errorf("concatList = %q, want %q", got, want)
	}
	if _, err := concatList([]string{"/scratch/a\nfile /etc/passwd"}); err == nil {
		t.Error("concatList accepted a path with a newline")
	}
}

func TestCodecString(t *testing.T) {
	t.Parallel()
	dump := func(hexBytes string) string { return "\n00000000: " + hexBytes + "  ....\n" }
	tests := []struct {
		name string
		s    ownStream
		want string
	}{
		{"h264 avcC", ownStream{CodecName: "h264", CodecTagString: "avc1", Extradata: dump("0164 001f ffe1")}, "avc1.64001f"},
		{"h264 annex b", ownStream{CodecName: "h264", Extradata: dump("0000 0001 6742 c01e aabb")}, "avc1.42c01e"},
		{"h264 from profile name", ownStream{CodecName: "h264", Profile: "Main", Level: 30}, "avc1.4d001e"},
		{"hevc main", ownStream{CodecName: "hevc", CodecTagString: "hvc1",
			Extradata: dump("0101 6000 0000 9000 0000 0000 3cf0 00fc")}, "hvc1.1.6.L60.90"},
		{"hevc main10 high tier", ownStream{CodecName: "hevc", CodecTagString: "hev1",
			Extradata: dump("0122 2000 0000 b000 0000 0000 99f0")}, "hev1.2.4.H153.B0"},
		{"av1", ownStream{CodecName: "av1", Extradata: dump("8100 0c00 0a0b")}, "av01.0.00M.08"},
		{"av1 10 bit level 5.1", ownStream{CodecName: "av1", Extradata: dump("810d 4c00")}, "av01.0.13M.10"},
		{"vp9 720p30", ownStream{CodecName: "vp9", Profile: "Profile 0", Width: 1280, Height: 720, AvgFrameRate: "30/1", PixFmt: "yuv420p"}, "vp09.00.31.08"},
		{"aac lc", ownStream{CodecName: "aac", Profile: "LC"}, "mp4a.40.2"},
		{"he-aac", ownStream{CodecName: "aac", Profile: "HE-AAC"}, "mp4a.40.5"},
		{"opus", ownStream{CodecName: "opus"}, "opus"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := codecString(tc.s)
			if err != nil || got != tc.want {
				t.Errorf("codecString = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	t.Run("hevc without hvcC", func(t *testing.T) {
		t.Parallel()
		if got, err := codecString(ownStream{CodecName: "hevc"}); err == nil {
			t.Errorf("codecString = %q, want an error", got)
		}
	})
}

func TestHLSMaster_Playlist(t *testing.T) {
	t.Parallel()
	m := HLSMaster{
		Version:             7,
		IndependentSegments: true,
		Audio: []HLSAudioEntry{
			{GroupID: "audio", Name: "English", Language: "en", Channels: 2, Default: true, URI: "audio_0/index.m3u8"},
			{GroupID: "audio", Name: `Commentary "director"`, URI: "audio_1/index.m3u8"},
		},
		Variants: []HLSVariantEntry{
			{URI: "video_0/index.m3u8", Bandwidth: 2500000, AverageBandwidth: 1800000, Width: 1280, Height: 720,
				FrameRate: 30000.0 / 1001, Codecs: "avc1.64001f,mp4a.40.2", AudioGroup: "audio"},
			{URI: "video_1/index.m3u8", Bandwidth: 800000, Width: 640, Height: 360, FrameRate: 25,
				Codecs: "avc1.64001e,mp4a.40.2", AudioGroup: "audio"},
		},
	}
	got := m.Playlist()
	golden(t, "hls_master.golden", got)
	if strings.Contains(got, `"director"`) {
		t.Error("a double quote inside a quoted-string was not removed")
	}
}

func TestSpriteSheet_VTT(t *testing.T) {
	t.Parallel()
	s := SpriteSheet{Columns: 3, Rows: 2, TileWidth: 160, TileHeight: 90}
	golden(t, "sprite.vtt.golden", s.VTT("https://cdn.example.com/v/sprite.jpg", []float64{0, 10, 20, 30, 3599.9996}, 3725.5))
}

func TestMeanSSIM(t *testing.T) {
	t.Parallel()
	got, err := meanSSIM("n:1 Y:0.90 U:0.95 V:0.95 All:0.900000 (10.0)\nn:2 Y:0.98 U:0.99 V:0.99 All:0.980000 (17.0)\n")
	if err != nil || got < 0.94-1e-9 || got > 0.94+1e-9 {
		t.Errorf("meanSSIM = %v, %v; want 0.94", got, err)
	}
	if _, err := meanSSIM(""); err == nil {
		t.Error("meanSSIM of no frames succeeded")
	}
}
