package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Codec names accepted by VideoEncode.Codec and AudioEncode.Codec. They name
// formats, not ffmpeg encoders: the package picks the encoder.
const (
	CodecH264 = "h264" // libx264
	CodecH265 = "h265" // libx265
	CodecVP9  = "vp9"  // libvpx-vp9
	CodecAV1  = "av1"  // libsvtav1
	CodecAAC  = "aac"  // ffmpeg's native AAC encoder
	CodecOpus = "opus" // libopus
)

// ErrInvalidJob is wrapped by the error Transcode returns for a job that
// fails TranscodeJob.Validate, before any process is started.
var ErrInvalidJob = errors.New("invalid transcode job")

// TranscodeJob is one ffmpeg invocation: one input, decoded once, encoded
// into one or more outputs.
type TranscodeJob struct {
	// Input is a local path or an http(s) URL.
	Input string
	// InputFormat forces the demuxer (ffmpeg -f) and lifts the demuxer and
	// protocol restrictions applied to untrusted inputs. Only for inputs the
	// program builds itself, e.g. "lavfi" graphs in tests; never set it from
	// user data.
	InputFormat string
	// InputSeek starts decoding this many seconds into the input. Output
	// timestamps start at zero. Segment encodes use Cut instead.
	InputSeek float64
	// Duration limits how many seconds of input are read; 0 reads to the end.
	Duration float64
	// Cut, if not nil, encodes exactly the source frames it selects (a
	// segment of a segment-parallel encode), with the first at output time
	// 0. It excludes InputSeek and Duration, and audio outputs: audio is
	// encoded once for the whole file, because every separately encoded
	// AAC or Opus piece would start with its own encoder priming and leave
	// a gap at each join.
	Cut *SegmentCut
	// Outputs are encoded from the same decoded frames.
	Outputs []Output
}

// Output is one file written by a TranscodeJob.
type Output struct {
	// Path is the local file to write; it is overwritten if it exists.
	Path string
	// Format is the ffmpeg muxer: "mp4", "webm", "mpegts", "matroska", ...
	// Empty lets ffmpeg choose from Path's extension.
	Format string
	// Video is the video encoding; nil writes no video.
	Video *VideoEncode
	// Audio is the audio encoding of the first audio stream; nil writes no
	// audio. If the input has no audio the output has none either (unless
	// it would then be empty, which is an error).
	Audio *AudioEncode
	// FastStart moves the MP4 index to the front so playback can start
	// before the whole file is downloaded. Only for mp4/mov outputs.
	FastStart bool
}

// VideoEncode describes how one video rendition is encoded.
type VideoEncode struct {
	// Codec is CodecH264, CodecH265, CodecVP9 or CodecAV1.
	Codec string
	// Width and Height bound the output picture (even numbers; 0 = keep).
	// The display aspect ratio is always kept, taking the input's sample
	// aspect ratio and rotation into account: with both set the picture is
	// fitted inside Width x Height, with one set the other follows. The
	// output has square pixels.
	Width, Height int
	// FPS converts the frame rate; 0 keeps the input's. Values near NTSC
	// rates (29.97, 23.976, 59.94) are sent as exact x000/1001 rationals.
	FPS float64
	// CRF is the constant-quality level (lower is better) used when
	// BitrateKbps is 0. 0 picks the codec default: 23 for h264, 28 for
	// h265, 31 for vp9, 35 for av1.
	CRF int
	// BitrateKbps selects average-bitrate mode; 0 uses CRF.
	BitrateKbps int
	// MaxBitrateKbps caps the bitrate (VBV with a buffer of twice the cap);
	// in CRF mode this is capped CRF. 0 means uncapped. For av1 it only
	// applies in CRF mode.
	MaxBitrateKbps int
	// Preset trades speed for compression using x264's names: ultrafast,
	// superfast, veryfast, faster, fast, medium (default), slow, slower,
	// veryslow, placebo. They are mapped to vp9 -cpu-used and SVT-AV1
	// -preset numbers; vp9 and av1 also accept those numbers directly.
	Preset string
	// Profile is passed as -profile:v, e.g. "high" or "main10"; empty
	// leaves the encoder default.
	Profile string
	// GOPFrames, if > 0, makes every GOP exactly this many frames long and
	// closed, with scene-cut keyframes disabled, so that segments cut at
	// GOP boundaries of different renditions line up.
	GOPFrames int
	// ForceKeyframesEvery, if > 0, forces a keyframe every this many seconds
	// of output time (independent of the frame rate).
	ForceKeyframesEvery float64
	// ForceKeyframesAt forces a keyframe on the first frame at or after each
	// of these output times in seconds (ascending; a segment encode counts
	// from its own first frame). Packaging uses it where a segment boundary
	// falls inside a GOP, e.g. 6 s boundaries at 29.97 fps with 2 s GOPs.
	// Times closer together than one frame force consecutive frames. It
	// excludes ForceKeyframesEvery.
	ForceKeyframesAt []float64
	// PixFmt is the output pixel format; empty means yuv420p, which every
	// player decodes.
	PixFmt string
}

// AudioEncode describes how the audio of one output is encoded.
type AudioEncode struct {
	// Codec is CodecAAC or CodecOpus.
	Codec string
	// BitrateKbps is the target bitrate; 0 is the encoder default.
	BitrateKbps int
	// Channels downmixes/upmixes to this many channels; 0 keeps the input's.
	Channels int
	// SampleRate resamples to this rate in Hz; 0 keeps the input's (opus
	// always encodes at a rate it supports).
	SampleRate int
}

// Transcode runs job and blocks until ffmpeg exits. onProgress, if not nil,
// is called sequentially from a single goroutine for every progress report;
// it should return quickly because ffmpeg waits while it runs.
//
// Cancelling ctx kills ffmpeg at once; the returned error then satisfies
// errors.Is(err, ctx.Err()) and outputs are left incomplete. Errors caused
// by the input wrap ErrInvalidMedia or ErrInputUnreachable; other ffmpeg
// failures wrap an *ExitError carrying the stderr tail. A Cut segment that
// comes out with fewer frames than it asked for is an error too.
func (r *Runner) Transcode(ctx context.Context, job TranscodeJob, onProgress func(Progress)) error {
	if err := job.Validate(); err != nil {
		return err
	}
	if job.InputFormat == "" {
		if err := precheckLocal(job.Input); err != nil {
			return err
		}
	}
	var last Progress
	err := r.run(ctx, r.ffmpeg(), job.Args(), &progressWriter{fn: func(p Progress) {
		last = p
		if onProgress != nil {
			onProgress(p)
		}
	}})
	if err == nil {
		return job.checkCut(last)
	}
	if job.InputFormat == "" {
		err = classifyInputError(job.Input, err)
	}
	var ie *InputError
	if errors.As(err, &ie) {
		return err
	}
	return fmt.Errorf("transcode %s: %w", RedactURL(job.Input), err)
}

// checkCut turns a segment that came out short into an error: the source
// ended before the cut did, or (unindexed containers) the seek landed after
// the segment's first frame. Either way the joined video would silently lose
// frames. last is ffmpeg's final progress report, whose frame count is that
// of the first video output.
func (j TranscodeJob) checkCut(last Progress) error {
	if j.Cut == nil {
		return nil
	}
	for _, o := range j.Outputs {
		if o.Video == nil {
			continue
		}
		if j.Cut.keepsRate(o.Video) && last.Frame != int64(j.Cut.Frames) {
			// The container announced frames that cannot be decoded: a
			// truncated or damaged file, which no retry will mend.
			return &InputError{Kind: ErrInvalidMedia, Input: RedactURL(j.Input),
				Reason: fmt.Sprintf("the video holds fewer frames than its header announces (frames %d to %d: only %d decoded); the file is probably truncated or damaged",
					j.Cut.StartFrame, j.Cut.StartFrame+j.Cut.Frames-1, last.Frame)}
		}
		break
	}
	return nil
}

var safeToken = regexp.MustCompile(`^[A-Za-z0-9_.+-]+$`)

// Validate reports the first problem that would make ffmpeg reject the job
// or silently do something else than asked. Transcode calls it; Args
// assumes a valid job.
func (j TranscodeJob) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidJob, fmt.Sprintf(format, a...))
	}
	if j.Input == "" {
		return bad("input is empty")
	}
	if j.InputFormat != "" && !safeToken.MatchString(j.InputFormat) {
		return bad("input format %q is not a format name", j.InputFormat)
	}
	if !validSeconds(j.InputSeek) || !validSeconds(j.Duration) {
		return bad("input seek %v / duration %v must be finite and >= 0", j.InputSeek, j.Duration)
	}
	if c := j.Cut; c != nil {
		if j.InputSeek != 0 || j.Duration != 0 {
			return bad("cut excludes input seek and duration")
		}
		if err := c.validate(); err != nil {
			return bad("cut: %v", err)
		}
	}
	if len(j.Outputs) == 0 {
		return bad("no outputs")
	}
	seen := map[string]bool{}
	for i, o := range j.Outputs {
		if o.Path == "" {
			return bad("outputs[%d]: path is empty", i)
		}
		if seen[o.Path] {
			return bad("outputs[%d]: path %q is used twice", i, o.Path)
		}
		seen[o.Path] = true
		if o.Video == nil && o.Audio == nil {
			return bad("outputs[%d]: neither video nor audio", i)
		}
		if o.Format != "" && !safeToken.MatchString(o.Format) {
			return bad("outputs[%d]: format %q is not a muxer name", i, o.Format)
		}
		container := o.container()
		if o.FastStart && container != "mp4" && container != "mov" {
			return bad("outputs[%d]: fast start needs an mp4 or mov output, not %q", i, container)
		}
		if v := o.Video; v != nil {
			if err := v.validate(container); err != nil {
				return bad("outputs[%d].video: %v", i, err)
			}
		}
		if a := o.Audio; a != nil {
			if j.Cut != nil {
				return bad("outputs[%d]: a cut segment cannot carry audio (encode the audio once for the whole file)", i)
			}
			if err := a.validate(container); err != nil {
				return bad("outputs[%d].audio: %v", i, err)
			}
		}
	}
	return nil
}

func validSeconds(s float64) bool { return s >= 0 && !math.IsInf(s, 0) && !math.IsNaN(s) }

// crfRange is the valid CRF interval and the default per codec.
var crfRange = map[string]struct{ lo, hi, def int }{
	CodecH264: {0, 51, 23},
	CodecH265: {0, 51, 28},
	CodecVP9:  {0, 63, 31},
	CodecAV1:  {0, 63, 35},
}

func (v *VideoEncode) validate(container string) error {
	cr, ok := crfRange[v.Codec]
	if !ok {
		return fmt.Errorf("unknown codec %q (want h264, h265, vp9 or av1)", v.Codec)
	}
	if container == "webm" && v.Codec != CodecVP9 && v.Codec != CodecAV1 {
		return fmt.Errorf("webm cannot carry %s", v.Codec)
	}
	switch {
	case v.Width < 0 || v.Height < 0 || v.Width%2 != 0 || v.Height%2 != 0:
		return fmt.Errorf("size %dx%d: width and height must be even and >= 0", v.Width, v.Height)
	case !validSeconds(v.FPS) || v.FPS > 1000:
		return fmt.Errorf("fps %v out of range", v.FPS)
	case v.CRF != 0 && (v.CRF < cr.lo || v.CRF > cr.hi):
		return fmt.Errorf("crf %d out of range %d..%d for %s", v.CRF, cr.lo, cr.hi, v.Codec)
	case v.BitrateKbps < 0 || v.MaxBitrateKbps < 0:
		return fmt.Errorf("bitrates must be >= 0")
	case v.BitrateKbps > 0 && v.MaxBitrateKbps > 0 && v.MaxBitrateKbps < v.BitrateKbps:
		return fmt.Errorf("max bitrate %dk is below bitrate %dk", v.MaxBitrateKbps, v.BitrateKbps)
	case v.GOPFrames < 0:
		return fmt.Errorf("gop %d must be >= 0", v.GOPFrames)
	case !validSeconds(v.ForceKeyframesEvery):
		return fmt.Errorf("force keyframes interval %v must be >= 0", v.ForceKeyframesEvery)
	case v.ForceKeyframesEvery > 0 && len(v.ForceKeyframesAt) > 0:
		return fmt.Errorf("force keyframes every %v s and at given times are exclusive", v.ForceKeyframesEvery)
	case v.PixFmt != "" && !safeToken.MatchString(v.PixFmt):
		return fmt.Errorf("pixel format %q is not a format name", v.PixFmt)
	case v.Profile != "" && !safeToken.MatchString(v.Profile):
		return fmt.Errorf("profile %q is not a profile name", v.Profile)
	}
	for i, t := range v.ForceKeyframesAt {
		if !validSeconds(t) || (i > 0 && t <= v.ForceKeyframesAt[i-1]) {
			return fmt.Errorf("force keyframes at %v: times must be finite, >= 0 and ascending", v.ForceKeyframesAt)
		}
	}
	if _, err := v.presetArgs(); err != nil {
		return err
	}
	return nil
}

var opusRates = map[int]bool{8000: true, 12000: true, 16000: true, 24000: true, 48000: true}

func (a *AudioEncode) validate(container string) error {
	switch a.Codec {
	case CodecAAC:
		if container == "webm" {
			return fmt.Errorf("webm cannot carry aac")
		}
	case CodecOpus:
		if a.SampleRate != 0 && !opusRates[a.SampleRate] {
			return fmt.Errorf("opus cannot encode at %d Hz (use 48000)", a.SampleRate)
		}
	default:
		return fmt.Errorf("unknown codec %q (want aac or opus)", a.Codec)
	}
	switch {
	case a.BitrateKbps < 0:
		return fmt.Errorf("bitrate must be >= 0")
	case a.Channels < 0 || a.Channels > 8:
		return fmt.Errorf("channels %d out of range 0..8", a.Channels)
	case a.SampleRate < 0:
		return fmt.Errorf("sample rate must be >= 0")
	}
	return nil
}

// container is the muxer that will write the output, guessed from the
// extension when Format is empty (ffmpeg guesses the same way).
func (o Output) container() string {
	if o.Format != "" {
		return strings.ToLower(o.Format)
	}
	switch strings.ToLower(filepath.Ext(o.Path)) {
	case ".mp4", ".m4v", ".m4a":
		return "mp4"
	case ".mov":
		return "mov"
	case ".webm":
		return "webm"
	case ".mkv":
		return "matroska"
	case ".ts":
		return "mpegts"
	}
	return ""
}

// Args returns the complete ffmpeg command line (without the program name)
// that Transcode runs for j. It is deterministic, so tests and benchmarks can
// compare it. The job should be valid (see Validate).
func (j TranscodeJob) Args() []string {
	args := []string{"-hide_banner", "-nostdin", "-y", "-loglevel", "error",
		// Progress goes to stdout as key=value blocks; -nostats keeps the
		// human status line out of the stderr tail.
		"-progress", "pipe:1", "-nostats"}
	// Seeking as an input option jumps to the keyframe before the position
	// and decodes (and drops) up to it, so it is fast and frame-accurate
	// when re-encoding. A Cut adds filters (head) that end the segment and
	// put its first frame at 0, ahead of every rendition's own filters.
	seek, head := j.InputSeek, ""
	if j.Cut != nil {
		seek, head = j.Cut.seek()
	}
	if seek > 0 {
		args = append(args, "-ss", formatSeconds(seek))
	}
	if j.Duration > 0 {
		args = append(args, "-t", formatSeconds(j.Duration))
	}
	args = append(args, inputArgs(j.Input, j.InputFormat)...)

	// With several video outputs, one split feeds every rendition from the
	// same decoded frames, so a segment is decoded once however many
	// renditions it has.
	var videoOuts []int
	for i, o := range j.Outputs {
		if o.Video != nil {
			videoOuts = append(videoOuts, i)
		}
	}
	videoMap := map[int]string{} // output index -> -map argument
	if len(videoOuts) > 1 {
		var graph strings.Builder
		graph.WriteString("[0:v:0]")
		if head != "" {
			graph.WriteString(head + ",")
		}
		fmt.Fprintf(&graph, "split=%d", len(videoOuts))
		for n := range videoOuts {
			fmt.Fprintf(&graph, "[s%d]", n)
		}
		for n, i := range videoOuts {
			chain := j.Outputs[i].Video.filterChain()
			if chain == "" {
				videoMap[i] = fmt.Sprintf("[s%d]", n)
				continue
			}
			fmt.Fprintf(&graph, ";[s%d]%s[v%d]", n, chain, n)
			videoMap[i] = fmt.Sprintf("[v%d]", n)
		}
		args = append(args, "-filter_complex", graph.String())
	}

	for i, o := range j.Outputs {
		if v := o.Video; v != nil {
			if m, ok := videoMap[i]; ok {
				args = append(args, "-map", m)
			} else {
				args = append(args, "-map", "0:v:0")
				chain := v.filterChain()
				if head != "" {
					chain = strings.TrimSuffix(head+","+chain, ",")
				}
				if chain != "" {
					args = append(args, "-vf", chain)
				}
			}
			args = append(args, v.encoderArgs(o.container())...)
			if j.Cut != nil && j.Cut.keepsRate(v) {
				// The trim already ends the segment; this also bounds what
				// ffmpeg's constant-rate output (which duplicates frames to
				// fill timestamp gaps) can write.
				args = append(args, "-frames:v", strconv.Itoa(j.Cut.Frames))
			}
		} else {
			args = append(args, "-vn")
		}
		if a := o.Audio; a != nil {
			// Optional when there is video, so silent sources still encode.
			if o.Video != nil {
				args = append(args, "-map", "0:a:0?")
			} else {
				args = append(args, "-map", "0:a:0")
			}
			args = append(args, a.encoderArgs()...)
		} else {
			args = append(args, "-an")
		}
		// Source metadata can hold personal data (GPS position, device);
		// outputs are published, so none of it is copied.
		args = append(args, "-map_metadata", "-1", "-map_chapters", "-1")
		if o.FastStart {
			args = append(args, "-movflags", "+faststart")
		}
		if o.Format != "" {
			args = append(args, "-f", o.Format)
		}
		args = append(args, ffmpegPath(o.Path))
	}
	return args
}

// filterChain returns the video filters for v ("" if none are needed).
func (v *VideoEncode) filterChain() string {
	var filters []string
	if v.FPS > 0 {
		// Before scaling, so dropped frames are never scaled.
		filters = append(filters, "fps="+formatRate(v.FPS))
	}
	if s := scaleFilter(v.Width, v.Height); s != "" {
		filters = append(filters, s, "setsar=1")
	}
	return strings.Join(filters, ",")
}

// scaleFilter keeps the display aspect ratio. It computes sizes from the
// scale filter's dar variable (iw/ih*sar) rather than using -2, because -2
// keeps the storage aspect ratio and would distort anamorphic sources once
// setsar=1 makes the pixels square. Rotation is already applied to iw/ih by
// ffmpeg's autorotate. Commas are inside '...' so the filtergraph parser
// does not split on them.
func scaleFilter(w, h int) string {
	switch {
	case w > 0 && h > 0:
		return fmt.Sprintf("scale=w='min(%d,2*round(%d*dar/2))':h='min(%d,2*round(%d/dar/2))'", w, h, h, w)
	case w > 0:
		return fmt.Sprintf("scale=w=%d:h='2*round(%d/dar/2)'", w, w)
	case h > 0:
		return fmt.Sprintf("scale=w='2*round(%d*dar/2)':h=%d", h, h)
	}
	return ""
}

// encoderArgs returns the codec, rate control, GOP and format options.
func (v *VideoEncode) encoderArgs(container string) []string {
	crf := v.CRF
	if crf == 0 {
		crf = crfRange[v.Codec].def
	}
	pixFmt := v.PixFmt
	if pixFmt == "" {
		pixFmt = "yuv420p"
	}
	preset, _ := v.presetArgs()
	kbps := func(n int) string { return strconv.Itoa(n) + "k" }
	var args []string
	switch v.Codec {
	case CodecH264:
		args = append(args, "-c:v", "libx264")
		args = append(args, preset...)
		if v.BitrateKbps > 0 {
			args = append(args, "-b:v", kbps(v.BitrateKbps))
		} else {
			args = append(args, "-crf", strconv.Itoa(crf))
		}
		if v.MaxBitrateKbps > 0 {
			args = append(args, "-maxrate", kbps(v.MaxBitrateKbps), "-bufsize", kbps(2*v.MaxBitrateKbps))
		}
		if v.GOPFrames > 0 {
			g := strconv.Itoa(v.GOPFrames)
			// x264 reads scene-cut from -sc_threshold and open GOP from
			// the cgop flag, so no -x264-params are needed.
			args = append(args, "-g", g, "-keyint_min", g, "-sc_threshold", "0", "-flags", "+cgop")
		}
	case CodecH265:
		args = append(args, "-c:v", "libx265")
		args = append(args, preset...)
		if v.BitrateKbps > 0 {
			args = append(args, "-b:v", kbps(v.BitrateKbps))
		} else {
			args = append(args, "-crf", strconv.Itoa(crf))
		}
		// x265 logs info lines to stderr unless told otherwise, and takes
		// GOP and VBV settings most reliably through its own parameters.
		params := []string{"log-level=error"}
		if v.MaxBitrateKbps > 0 {
			params = append(params, fmt.Sprintf("vbv-maxrate=%d:vbv-bufsize=%d", v.MaxBitrateKbps, 2*v.MaxBitrateKbps))
		}
		if v.GOPFrames > 0 {
			params = append(params, fmt.Sprintf("keyint=%d:min-keyint=%d:scenecut=0:open-gop=0", v.GOPFrames, v.GOPFrames))
		}
		args = append(args, "-x265-params", strings.Join(params, ":"))
		if container == "mp4" || container == "mov" {
			// Apple players only accept HEVC in MP4 with the hvc1 tag.
			args = append(args, "-tag:v", "hvc1")
		}
	case CodecVP9:
		args = append(args, "-c:v", "libvpx-vp9")
		args = append(args, preset...)
		args = append(args, "-row-mt", "1")
		switch {
		case v.BitrateKbps > 0:
			args = append(args, "-b:v", kbps(v.BitrateKbps))
			if v.MaxBitrateKbps > 0 {
				args = append(args, "-maxrate", kbps(v.MaxBitrateKbps), "-bufsize", kbps(2*v.MaxBitrateKbps))
			}
		case v.MaxBitrateKbps > 0:
			// libvpx's constrained quality: CRF with -b:v as the ceiling.
			args = append(args, "-crf", strconv.Itoa(crf), "-b:v", kbps(v.MaxBitrateKbps))
		default:
			// -b:v 0 selects pure constant quality; without it libvpx
			// treats the CRF as a floor under a default 256k target.
			args = append(args, "-crf", strconv.Itoa(crf), "-b:v", "0")
		}
		if v.GOPFrames > 0 {
			g := strconv.Itoa(v.GOPFrames)
			args = append(args, "-g", g, "-keyint_min", g)
		}
	case CodecAV1:
		args = append(args, "-c:v", "libsvtav1")
		args = append(args, preset...)
		var params []string
		if v.BitrateKbps > 0 {
			args = append(args, "-b:v", kbps(v.BitrateKbps))
		} else {
			args = append(args, "-crf", strconv.Itoa(crf))
			if v.MaxBitrateKbps > 0 {
				params = append(params, "mbr="+strconv.Itoa(v.MaxBitrateKbps)) // capped CRF
			}
		}
		if v.GOPFrames > 0 {
			args = append(args, "-g", strconv.Itoa(v.GOPFrames))
			// Key frames instead of SVT's default forward (open-GOP) frames.
			params = append(params, "irefresh-type=2")
		}
		if len(params) > 0 {
			args = append(args, "-svtav1-params", strings.Join(params, ":"))
		}
	}
	switch {
	case v.ForceKeyframesEvery > 0:
		args = append(args, "-force_key_frames:v", "expr:gte(t,n_forced*"+formatSeconds(v.ForceKeyframesEvery)+")")
	case len(v.ForceKeyframesAt) > 0:
		args = append(args, "-force_key_frames:v", forceKeyframesExpr(v.ForceKeyframesAt))
	}
	if v.ForceKeyframesEvery > 0 || len(v.ForceKeyframesAt) > 0 {
		if v.Codec == CodecH264 || v.Codec == CodecH265 {
			// Forced frames must be IDR, not merely I frames, or a segment
			// starting there may need frames from the previous one.
			args = append(args, "-forced-idr", "1")
		}
	}
	if v.Profile != "" {
		args = append(args, "-profile:v", v.Profile)
	}
	return append(args, "-pix_fmt", pixFmt)
}

// presetOrder lists the x264 preset names from fastest to slowest; the
// tables below are indexed the same way.
var presetOrder = []string{"ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"}

var (
	// vp9CPUUsed maps presets to libvpx -cpu-used for -deadline good,
	// where 5 is the fastest useful value and 0 the slowest.
	vp9CPUUsed = []int{5, 5, 4, 4, 3, 2, 1, 1, 0, 0}
	// svtPresets maps presets to SVT-AV1 -preset (13 fastest, 0 slowest).
	svtPresets = []int{12, 11, 10, 9, 8, 7, 5, 4, 2, 1}
)

// presetArgs maps Preset to the codec's speed options.
func (v *VideoEncode) presetArgs() ([]string, error) {
	name := v.Preset
	if name == "" {
		name = "medium"
	}
	idx := -1
	for i, p := range presetOrder {
		if p == name {
			idx = i
		}
	}
	num, numErr := strconv.Atoi(name)
	switch v.Codec {
	case CodecH264, CodecH265:
		if idx < 0 {
			return nil, fmt.Errorf("unknown preset %q for %s", v.Preset, v.Codec)
		}
		return []string{"-preset", name}, nil
	case CodecVP9:
		switch {
		case idx >= 0:
			num = vp9CPUUsed[idx]
		case numErr != nil || num < 0 || num > 8:
			return nil, fmt.Errorf("unknown preset %q for vp9 (preset name or cpu-used 0..8)", v.Preset)
		}
		return []string{"-deadline", "good", "-cpu-used", strconv.Itoa(num)}, nil
	case CodecAV1:
		switch {
		case idx >= 0:
			num = svtPresets[idx]
		case numErr != nil || num < 0 || num > 13:
			return nil, fmt.Errorf("unknown preset %q for av1 (preset name or SVT-AV1 preset 0..13)", v.Preset)
		}
		return []string{"-preset", strconv.Itoa(num)}, nil
	}
	return nil, fmt.Errorf("unknown codec %q", v.Codec)
}

func (a *AudioEncode) encoderArgs() []string {
	var args []string
	switch a.Codec {
	case CodecAAC:
		args = append(args, "-c:a", "aac")
	case CodecOpus:
		args = append(args, "-c:a", "libopus")
	}
	if a.BitrateKbps > 0 {
		args = append(args, "-b:a", strconv.Itoa(a.BitrateKbps)+"k")
	}
	if a.Channels > 0 {
		args = append(args, "-ac", strconv.Itoa(a.Channels))
	}
	if a.SampleRate > 0 {
		args = append(args, "-ar", strconv.Itoa(a.SampleRate))
	}
	return args
}

// formatSeconds prints seconds without exponent and without trailing zeros.
func formatSeconds(s float64) string {
	return strconv.FormatFloat(s, 'f', -1, 64)
}

// formatRate prints a frame rate for the fps filter, turning approximations
// of NTSC rates (29.97, 23.976, 59.94) into their exact rationals so that
// long outputs do not drift or drop frames.
func formatRate(fps float64) string {
	if n := math.Round(fps * 1.001); n > 0 && math.Abs(fps-n*1000/1001) < 0.005 && math.Abs(fps-n) > 0.005 {
		return fmt.Sprintf("%d/1001", int64(n)*1000)
	}
	return formatSeconds(fps)
}
