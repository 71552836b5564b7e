package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
)

// rendition is one video encoding of the scenario.
type rendition struct {
	name          string // 1080p
	width, height int    // for the 1920x1080 source, as the job's plan.Size computes them
	resolution    commonv1.Resolution
}

var (
	r1080 = rendition{"1080p", 1920, 1080, commonv1.Resolution_RESOLUTION_1080P}
	r720  = rendition{"720p", 1280, 720, commonv1.Resolution_RESOLUTION_720P}
	r480  = rendition{"480p", 854, 480, commonv1.Resolution_RESOLUTION_480P}
	// ladder is the HLS output's video renditions; the MP4 is r720 again.
	ladder = []rendition{r1080, r720, r480}
)

const segmentSeconds = 6

// The encoder settings of the job at the default (standard) quality tier
// (services/internal/quality: h264 standard = CRF 23, preset faster), the
// job's closed 2 s GOP at 30 fps and its audio (AAC 128k stereo 48 kHz).
// The hand-written commands use exactly these.
var (
	x264Args = []string{"-c:v", "libx264", "-preset", "faster", "-crf", "23",
		"-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-flags", "+cgop", "-pix_fmt", "yuv420p"}
	aacArgs = []string{"-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000"}
	// hlsArgs are the HLS muxer options: fMP4 segments (the job's default
	// segment format), 6 s, a VOD playlist.
	hlsArgs = []string{"-f", "hls", "-hls_time", strconv.Itoa(segmentSeconds), "-hls_playlist_type", "vod",
		"-hls_flags", "independent_segments", "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4"}
	ffmpegStart = []string{"-hide_banner", "-nostdin", "-y", "-loglevel", "error"}
)

// scale is the filter producing r from the 1080p source ("" for none).
func (r rendition) scale() string {
	if r.height == 1080 {
		return ""
	}
	return fmt.Sprintf("scale=%d:%d", r.width, r.height)
}

// jobOutputs is what the job is asked for. With mp4Only the ladder is three
// MP4 outputs instead of one HLS output, for job services that do not
// package HLS yet; the encoding work is the same.
func jobOutputs(mp4Only bool) []*jobv1.OutputSpec {
	variant := func(r rendition) *jobv1.VideoVariant {
		return &jobv1.VideoVariant{Codec: commonv1.VideoCodec_VIDEO_CODEC_H264, Resolution: r.resolution,
			Quality: commonv1.QualityTier_QUALITY_TIER_STANDARD}
	}
	mp4 := func(r rendition) *jobv1.OutputSpec {
		return &jobv1.OutputSpec{Type: jobv1.OutputType_OUTPUT_TYPE_MP4, Video: []*jobv1.VideoVariant{variant(r)}}
	}
	var outs []*jobv1.OutputSpec
	if mp4Only {
		for _, r := range ladder {
			outs = append(outs, mp4(r))
		}
	} else {
		hls := &jobv1.OutputSpec{Type: jobv1.OutputType_OUTPUT_TYPE_HLS,
			Audio:    []*jobv1.AudioTrack{{Codec: commonv1.AudioCodec_AUDIO_CODEC_AAC, BitrateKbps: 128}},
			Segments: &jobv1.SegmentSettings{DurationSeconds: segmentSeconds}}
		for _, r := range ladder {
			hls.Video = append(hls.Video, variant(r))
		}
		outs = append(outs, hls)
	}
	return append(outs, mp4(r720))
}

// singleCommand is the best single hand-written ffmpeg command: the source
// is decoded once, split four ways and encoded four times (the 720p HLS
// rung and the 720p MP4 are separate encodes: one ffmpeg output cannot feed
// two muxers), audio is encoded in the same process. x264 picks its own
// thread count.
func singleCommand(src, dir string, mp4Only bool) []string {
	all := append(append([]rendition(nil), ladder...), r720)
	var graph strings.Builder
	fmt.Fprintf(&graph, "[0:v:0]split=%d", len(all))
	for i := range all {
		fmt.Fprintf(&graph, "[s%d]", i)
	}
	label := make([]string, len(all))
	for i, r := range all {
		label[i] = fmt.Sprintf("[s%d]", i)
		if f := r.scale(); f != "" {
			fmt.Fprintf(&graph, ";[s%d]%s[v%d]", i, f, i)
			label[i] = fmt.Sprintf("[v%d]", i)
		}
	}
	args := append(clone(ffmpegStart), "-i", src, "-filter_complex", graph.String())
	if mp4Only {
		for i, r := range ladder {
			args = append(args, mp4Output(label[i], filepath.Join(dir, ladderMP4(r)))...)
		}
	} else {
		var streams []string
		for i, r := range ladder {
			args = append(args, "-map", label[i])
			streams = append(streams, fmt.Sprintf("v:%d,agroup:audio,name:%s", i, r.name))
		}
		args = append(args, "-map", "0:a:0")
		args = append(args, x264Args...)
		args = append(args, aacArgs...)
		args = append(args, hlsArgs...)
		args = append(args, "-master_pl_name", "master.m3u8",
			"-var_stream_map", strings.Join(append(streams, "a:0,agroup:audio,name:audio"), " "),
			"-hls_segment_filename", filepath.Join(dir, "hls", "%v", "seg_%03d.m4s"),
			filepath.Join(dir, "hls", "%v", "index.m3u8"))
	}
	return append(args, mp4Output(label[len(all)-1], filepath.Join(dir, "720p.mp4"))...)
}

// ladderMP4 names the file of a ladder rendition in the -mp4-only
// scenario, apart from the 720p MP4 output (720p.mp4).
func ladderMP4(r rendition) string { return "ladder-" + r.name + ".mp4" }

// mp4Output is one MP4 output of a command: the video from label, the
// source's audio, fast start.
func mp4Output(label, path string) []string {
	args := append([]string{"-map", label, "-map", "0:a:0"}, x264Args...)
	args = append(args, aacArgs...)
	return append(args, "-movflags", "+faststart", path)
}

// naiveScript is one ffmpeg per rendition, run in turn: each HLS video
// rendition straight into its media playlist, the HLS audio rendition, the
// MP4; the master playlist is written by the script (writeMaster).
func naiveScript(src, dir string, mp4Only bool) [][]string {
	var cmds [][]string
	for _, r := range ladder {
		args := append(clone(ffmpegStart), "-i", src)
		if mp4Only {
			if f := r.scale(); f != "" {
				args = append(args, "-vf", f)
			}
			cmds = append(cmds, append(args, mp4Output("0:v:0", filepath.Join(dir, ladderMP4(r)))...))
			continue
		}
		args = append(args, "-map", "0:v:0")
		if f := r.scale(); f != "" {
			args = append(args, "-vf", f)
		}
		args = append(append(args, x264Args...), "-an")
		args = append(args, hlsArgs...)
		cmds = append(cmds, append(args, "-hls_segment_filename", filepath.Join(dir, "hls", r.name, "seg_%03d.m4s"),
			filepath.Join(dir, "hls", r.name, "index.m3u8")))
	}
	if !mp4Only {
		args := append(clone(ffmpegStart), "-i", src, "-map", "0:a:0", "-vn")
		args = append(append(args, aacArgs...), hlsArgs...)
		cmds = append(cmds, append(args, "-hls_segment_filename", filepath.Join(dir, "hls", "audio", "seg_%03d.m4s"),
			filepath.Join(dir, "hls", "audio", "index.m3u8")))
	}
	args := append(clone(ffmpegStart), "-i", src, "-vf", r720.scale())
	return append(cmds, append(args, mp4Output("0:v:0", filepath.Join(dir, "720p.mp4"))...))
}

// writeMaster writes the naive script's master playlist, as a script would
// by hand (bandwidths are rough figures; nothing is measured).
func writeMaster(dir string) error {
	var b strings.Builder
	b.WriteString("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n")
	b.WriteString(`#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,URI="audio/index.m3u8"` + "\n")
	for _, r := range ladder {
		fmt.Fprintf(&b, "#EXT-X-STREAM-INF:BANDWIDTH=%d,RESOLUTION=%dx%d,CODECS=\"avc1.640028,mp4a.40.2\",AUDIO=\"audio\"\n%s/index.m3u8\n",
			r.width*r.height*3, r.width, r.height, r.name)
	}
	return os.WriteFile(filepath.Join(dir, "hls", "master.m3u8"), []byte(b.String()), 0o644)
}

// makeDirs creates dir and the HLS folders the contenders write into: one
// per rendition, named as the single command's var_stream_map names them.
func makeDirs(dir string) error {
	for _, name := range append(renditionNames(ladder), "audio") {
		if err := os.MkdirAll(filepath.Join(dir, "hls", name), 0o755); err != nil {
			return err
		}
	}
	return nil
}

func renditionNames(rs []rendition) []string {
	var names []string
	for _, r := range rs {
		names = append(names, r.name)
	}
	return names
}

// clone copies s, so appends never share a backing array.
func clone(s []string) []string { return append([]string(nil), s...) }

// shellQuote renders a command on one line, quoting what a shell would
// split or expand.
func shellQuote(args []string) string {
	return "ffmpeg " + strings.Join(quoted(args), " ")
}

// shellLines renders a command for the report: one line per group of
// options (filter graph, each output's streams, video codec, audio codec,
// muxer), continued with backslashes.
func shellLines(args []string) string {
	breakBefore := map[string]bool{"-filter_complex": true, "-c:v": true, "-c:a": true, "-f": true,
		"-master_pl_name": true, "-hls_segment_filename": true, "-movflags": true}
	var b strings.Builder
	b.WriteString("ffmpeg")
	for i, a := range quoted(args) {
		// A -map starts an output's group unless it follows another -map.
		first := args[i] == "-map" && (i < 2 || args[i-2] != "-map")
		if breakBefore[args[i]] || first {
			b.WriteString(" \\\n   ")
		}
		b.WriteString(" " + a)
	}
	return b.String()
}

func quoted(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"$;[]()*?&|<>\\!#") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return out
}
