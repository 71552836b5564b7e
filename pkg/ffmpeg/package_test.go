package ffmpeg_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
)

// ladder is a small encoded rendition set as the Encode step leaves it:
// two h264 renditions with 2 s closed GOPs and one AAC track, separately.
type ladder struct {
	hi, lo, audio string
}

const ladderSegment = 2.0 // seconds; the GOP is 50 frames at 25 fps

func makeLadder(t *testing.T, r *ffmpeg.Runner) ladder {
	t.Helper()
	dir := t.TempDir()
	src := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Seconds: 4, Width: 320, Height: 180, Audio: true})
	l := ladder{hi: filepath.Join(dir, "hi.mp4"), lo: filepath.Join(dir, "lo.mp4"), audio: filepath.Join(dir, "audio.m4a")}
	job := ffmpeg.TranscodeJob{Input: src, Outputs: []ffmpeg.Output{
		{Path: l.hi, Format: "mp4", Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Preset: "ultrafast", GOPFrames: 50}},
		{Path: l.lo, Format: "mp4", Video: &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Width: 160, Height: 90, Preset: "ultrafast", GOPFrames: 50}},
		{Path: l.audio, Format: "mp4", Audio: &ffmpeg.AudioEncode{Codec: ffmpeg.CodecAAC, BitrateKbps: 64}},
	}}
	if err := r.Transcode(testContext(t), job, nil); err != nil {
		t.Fatalf("Transcode ladder: %v", err)
	}
	return l
}

// ffprobeStreams reads a manifest (or any file) with ffprobe itself and
// returns "codec WxH" / "codec" per stream.
func ffprobeStreams(t *testing.T, path string) []string {
	t.Helper()
	out := ffmpegtest.RunFFprobe(t, "-show_entries", "stream=codec_name,codec_type,width,height", "-of", "json", path)
	var res struct {
		Streams []struct {
			CodecName string `json:"codec_name"`
			CodecType string `json:"codec_type"`
			Width     int    `json:"width"`
			Height    int    `json:"height"`
		} `json:"streams"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", path, err, out)
	}
	var streams []string
	for _, s := range res.Streams {
		if s.CodecType == "video" {
			streams = append(streams, s.CodecName+" "+strconv.Itoa(s.Width)+"x"+strconv.Itoa(s.Height))
		} else {
			streams = append(streams, s.CodecName)
		}
	}
	return streams
}

// segmentDurations returns the #EXTINF durations of a media playlist.
func segmentDurations(t *testing.T, playlist string) []float64 {
	t.Helper()
	data, err := os.ReadFile(playlist)
	if err != nil {
		t.Fatal(err)
	}
	var ds []float64
	for line := range strings.Lines(string(data)) {
		if d, ok := strings.CutPrefix(strings.TrimSpace(line), "#EXTINF:"); ok {
			f, err := strconv.ParseFloat(strings.TrimSuffix(d, ","), 64)
			if err != nil {
				t.Fatalf("%s: bad EXTINF %q", playlist, line)
			}
			ds = append(ds, f)
		}
	}
	return ds
}

func TestRunner_Package(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	l := makeLadder(t, r)

	for _, segType := range []string{ffmpeg.HLSSegmentFMP4, ffmpeg.HLSSegmentTS} {
		t.Run(segType, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "hls")
			res, err := r.PackageHLS(testContext(t), ffmpeg.HLSPackage{
				Dir: dir, SegmentSeconds: ladderSegment, SegmentType: segType,
				Video: []ffmpeg.HLSVideo{{Path: l.hi}, {Path: l.lo}},
				Audio: []ffmpeg.HLSAudio{{Path: l.audio, Name: "English", Language: "en"}},
			}, nil)
			if err != nil {
				t.Fatalf("PackageHLS: %v", err)
			}
			text, err := os.ReadFile(res.MasterPath)
			if err != nil {
				t.Fatal(err)
			}
			master := string(text)
			// x264's ultrafast preset uses only Constrained Baseline tools
			// (42c0); the levels are 1.2 and 1.1 for these tiny pictures.
			for _, want := range []string{
				`#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio_0/index.m3u8"`,
				`RESOLUTION=320x180,FRAME-RATE=25.000,CODECS="avc1.42c00c,mp4a.40.2",AUDIO="audio"`,
				`RESOLUTION=160x90,FRAME-RATE=25.000,CODECS="avc1.42c00b,mp4a.40.2",AUDIO="audio"`,
			} {
				if !strings.Contains(master, want) {
					t.Errorf("master playlist lacks %s:\n%s", want, master)
				}
			}
			for i, v := range res.Master.Variants {
				if v.Bandwidth <= 0 || v.AverageBandwidth <= 0 || v.AverageBandwidth > v.Bandwidth {
					t.Errorf("variant %d: bandwidth %d, average %d", i, v.Bandwidth, v.AverageBandwidth)
				}
			}
			if hi, lo := res.Master.Variants[0].Bandwidth, res.Master.Variants[1].Bandwidth; hi <= lo {
				t.Errorf("320x180 bandwidth %d <= 160x90 bandwidth %d", hi, lo)
			}

			// ffmpeg's own HLS demuxer must find every rendition.
			got := strings.Join(ffprobeStreams(t, res.MasterPath), ", ")
			for _, want := range []string{"h264 320x180", "h264 160x90", "aac"} {
				if !strings.Contains(got, want) {
					t.Errorf("ffprobe of master.m3u8 lists %q, want %q among them", got, want)
				}
			}
			// Every segment but the last is S long; the last is no longer.
			for _, media := range []string{"video_0", "video_1", "audio_0"} {
				ds := segmentDurations(t, filepath.Join(dir, media, "index.m3u8"))
				total := 0.0
				for i, d := range ds {
					total += d
					if i < len(ds)-1 && math.Abs(d-ladderSegment) > 0.05 || d > ladderSegment+0.05 {
						t.Errorf("%s: segment %d is %.3f s, want ≈ %v s (all: %v)", media, i, d, ladderSegment, ds)
					}
				}
				if math.Abs(total-4) > 0.05 {
					t.Errorf("%s: segments add up to %.3f s, want 4 s", media, total)
				}
			}
		})
	}

	t.Run("dash", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "dash")
		manifest, err := r.PackageDASH(testContext(t), ffmpeg.DASHPackage{
			Dir: dir, SegmentSeconds: ladderSegment, Video: []string{l.hi, l.lo}, Audio: []string{l.audio}}, nil)
		if err != nil {
			t.Fatalf("PackageDASH: %v", err)
		}
		mpd, err := os.ReadFile(manifest)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`<SegmentTimeline>`, `codecs="avc1.42c00c"`, `codecs="avc1.42c00b"`, `codecs="mp4a.40.2"`} {
			if !strings.Contains(string(mpd), want) {
				t.Errorf("manifest lacks %s:\n%s", want, mpd)
			}
		}
		got := strings.Join(ffprobeStreams(t, manifest), ", ")
		for _, want := range []string{"h264 320x180", "h264 160x90", "aac"} {
			if !strings.Contains(got, want) {
				t.Errorf("ffprobe of manifest.mpd lists %q, want %q among them", got, want)
			}
		}
	})

	t.Run("invalid", func(t *testing.T) {
		t.Parallel()
		for name, p := range map[string]ffmpeg.HLSPackage{
			"no video":       {Dir: t.TempDir()},
			"percent in dir": {Dir: filepath.Join(t.TempDir(), "a%d"), Video: []ffmpeg.HLSVideo{{Path: l.hi}}},
			"bad type":       {Dir: t.TempDir(), SegmentType: "mkv", Video: []ffmpeg.HLSVideo{{Path: l.hi}}},
			"audio as video": {Dir: t.TempDir(), Video: []ffmpeg.HLSVideo{{Path: l.audio}}},
		} {
			if _, err := r.PackageHLS(testContext(t), p, nil); err == nil {
				t.Errorf("%s: PackageHLS succeeded", name)
			}
		}
	})
}
