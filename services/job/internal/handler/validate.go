package handler

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/pkg/pathtemplate"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
	"github.com/transcodely/transcodely/services/job/internal/engine"
)

// violations collects field problems in request order.
type violations []rpcerr.Violation

func (v *violations) add(field, format string, args ...any) {
	*v = append(*v, rpcerr.Violation{Field: field, Description: fmt.Sprintf(format, args...)})
}

// checkCreate is what protovalidate cannot say about a CreateJobRequest:
// cross-field rules and what this version supports.
func checkCreate(m *jobv1.CreateJobRequest) violations {
	var v violations
	byOrigin := m.GetInputOriginId() != "" || m.GetInputPath() != ""
	switch {
	case m.GetInputUrl() != "" && byOrigin:
		v.add("input_url", "give either input_url or input_origin_id with input_path, not both")
	case m.GetInputUrl() == "" && !byOrigin:
		v.add("input_url", "input_url or input_origin_id with input_path is required")
	case byOrigin && m.GetInputOriginId() == "":
		v.add("input_origin_id", "required with input_path")
	case byOrigin && m.GetInputPath() == "":
		v.add("input_path", "required with input_origin_id")
	case m.GetInputUrl() != "":
		u, err := url.Parse(m.GetInputUrl())
		switch {
		case err != nil || u.Host == "":
			v.add("input_url", "must be an https://, s3:// or gs:// URL")
		case u.Scheme == "s3" || u.Scheme == "gs":
			v.add("input_url", "%s:// inputs need credentials: create a read origin for bucket %q and pass input_origin_id and input_path", u.Scheme, u.Host)
		case u.Scheme != "https":
			v.add("input_url", "scheme %q is not allowed; use https://, s3:// or gs://", u.Scheme)
		}
	}
	if err := pathtemplate.CheckPath(m.GetInputPath()); err != nil && m.GetInputPath() != "" {
		v.add("input_path", "%s", err)
	}
	if err := pathtemplate.CheckTemplate(m.GetOutputPathTemplate()); err != nil {
		v.add("output_path_template", "%s", err)
	}
	if w := m.GetWebhookUrl(); w != "" {
		// Plain http:// passes here and is judged against the allowed
		// networks with the outbound policy (checkWebhookURL).
		if u, err := url.Parse(w); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			v.add("webhook_url", "must be an https:// URL")
		}
	}
	for i, t := range m.GetThumbnails() {
		checkThumbnails(&v, fmt.Sprintf("thumbnails[%d]", i), t)
	}
	for i, o := range m.GetOutputs() {
		checkOutput(&v, fmt.Sprintf("outputs[%d]", i), o)
	}
	return v
}

// progressive are the output types that take exactly one video variant.
var progressive = []jobv1.OutputType{jobv1.OutputType_OUTPUT_TYPE_MP4, jobv1.OutputType_OUTPUT_TYPE_WEBM, jobv1.OutputType_OUTPUT_TYPE_MKV, jobv1.OutputType_OUTPUT_TYPE_MOV}

func checkOutput(v *violations, path string, o *jobv1.OutputSpec) {
	if o.GetType() == jobv1.OutputType_OUTPUT_TYPE_UNSPECIFIED {
		if o.GetPreset() == "" {
			v.add(path+".type", "type is required unless preset is set")
		}
		return
	}
	typ := rpcwire.EnumString(o.GetType())
	if o.GetType() == jobv1.OutputType_OUTPUT_TYPE_GIF {
		checkGIF(v, path, o)
		return
	}
	codecs := containerCodecs(o.GetType())
	if slices.Contains(progressive, o.GetType()) {
		if len(o.GetVideo()) != 1 {
			v.add(path+".video", "%s outputs take exactly one video variant", typ)
		}
		if len(o.GetAudio()) > 0 {
			v.add(path+".audio", "audio tracks are for streaming outputs; %s outputs carry the source audio", typ)
		}
		for _, f := range []struct {
			name string
			set  bool
		}{
			{"hls", o.GetHls() != nil}, {"dash", o.GetDash() != nil}, {"segments", o.GetSegments() != nil},
		} {
			if f.set {
				v.add(path+"."+f.name, "only for streaming outputs")
			}
		}
	} else {
		checkStreaming(v, path, o)
	}
	if o.GetGif() != nil {
		v.add(path+".gif", "only for gif outputs")
	}
	if len(o.GetSubtitleTracks()) > 0 {
		v.add(path+".subtitle_tracks", "subtitle tracks are not supported yet")
	}
	if o.GetDrm() != nil {
		v.add(path+".drm", "DRM is not supported")
	}
	if o.GetContentAware().GetEnabled() {
		v.add(path+".content_aware", "content-aware encoding is not supported yet")
	}
	if err := pathtemplate.CheckTemplate(o.GetPathTemplate()); err != nil {
		v.add(path+".path_template", "%s", err)
	}
	for j, vv := range o.GetVideo() {
		p := fmt.Sprintf("%s.video[%d]", path, j)
		codec := rpcwire.EnumString(vv.GetCodec())
		if vv.GetCodec() != 0 && !slices.Contains(codecs, codec) {
			v.add(p+".codec", "%s cannot be carried in %s; use one of %s", codec, typ, strings.Join(codecs, ", "))
		}
		if vv.GetResolution() != 0 && (vv.GetWidth() != 0 || vv.GetHeight() != 0) {
			v.add(p+".resolution", "give resolution or width and height, not both")
		}
		if (vv.GetWidth() == 0) != (vv.GetHeight() == 0) {
			v.add(p+".width", "width and height must be given together")
		}
		for _, opt := range []struct {
			name string
			set  bool
		}{{"h264", vv.GetH264() != nil}, {"h265", vv.GetH265() != nil}, {"vp9", vv.GetVp9() != nil}, {"av1", vv.GetAv1() != nil}} {
			if opt.set && opt.name != codec {
				v.add(p+"."+opt.name, "%s options need codec %s", opt.name, opt.name)
			}
		}
		if vv.GetHdr() != nil {
			v.add(p+".hdr", "HDR handling is not supported yet")
		}
	}
}

// streamingCodecs are the video codecs each streaming type carries: HLS
// players know h264, h265 and av1 (in fMP4); DASH also vp9; adaptive must
// satisfy both.
var streamingCodecs = map[jobv1.OutputType][]string{
	jobv1.OutputType_OUTPUT_TYPE_HLS:      {"h264", "h265", "av1"},
	jobv1.OutputType_OUTPUT_TYPE_DASH:     {"h264", "h265", "vp9", "av1"},
	jobv1.OutputType_OUTPUT_TYPE_ADAPTIVE: {"h264", "h265", "av1"},
}

// containerCodecs lists the video codecs an output type carries.
func containerCodecs(t jobv1.OutputType) []string {
	if c, ok := streamingCodecs[t]; ok {
		return c
	}
	return engine.Containers[rpcwire.EnumString(t)].Codecs()
}

// minSegmentSeconds is the shortest streaming segment: below a second the
// keyframes alone would cost more than the pictures.
const minSegmentSeconds = 1.0

// checkStreaming checks what is particular to HLS, DASH and adaptive
// outputs: a ladder, one audio track, settings of the right kind.
func checkStreaming(v *violations, path string, o *jobv1.OutputSpec) {
	t := o.GetType()
	hls := t == jobv1.OutputType_OUTPUT_TYPE_HLS || t == jobv1.OutputType_OUTPUT_TYPE_ADAPTIVE
	dash := t == jobv1.OutputType_OUTPUT_TYPE_DASH || t == jobv1.OutputType_OUTPUT_TYPE_ADAPTIVE
	if len(o.GetVideo()) == 0 {
		v.add(path+".video", "streaming outputs need at least one video variant (the ladder)")
	}
	if dash {
		// Representations of one DASH adaptation set must be switchable,
		// which players only do within a codec.
		for j, vv := range o.GetVideo() {
			if j > 0 && vv.GetCodec() != o.GetVideo()[0].GetCodec() {
				v.add(fmt.Sprintf("%s.video[%d].codec", path, j), "every variant of a DASH ladder uses the same codec as video[0]")
			}
		}
	}
	if len(o.GetAudio()) > 1 {
		v.add(path+".audio", "one audio track is supported (the source's first); got %d", len(o.GetAudio()))
	}
	if o.GetHls() != nil && !hls {
		v.add(path+".hls", "only for hls and adaptive outputs")
	}
	if o.GetDash() != nil && !dash {
		v.add(path+".dash", "only for dash and adaptive outputs")
	}
	if o.GetHls().GetPlaylistType() == commonv1.PlaylistType_PLAYLIST_TYPE_EVENT {
		v.add(path+".hls.playlist_type", "event playlists are for live streams; files are packaged as vod")
	}
	if o.GetHls().GetSegmentFormat() == commonv1.SegmentFormat_SEGMENT_FORMAT_TS {
		for j, vv := range o.GetVideo() {
			if c := vv.GetCodec(); c != 0 && c != commonv1.VideoCodec_VIDEO_CODEC_H264 && c != commonv1.VideoCodec_VIDEO_CODEC_H265 {
				v.add(fmt.Sprintf("%s.video[%d].codec", path, j), "ts segments carry h264 or h265; use fmp4 segments for %s", rpcwire.EnumString(c))
			}
		}
		for j, a := range o.GetAudio() {
			if a.GetCodec() == commonv1.AudioCodec_AUDIO_CODEC_OPUS {
				v.add(fmt.Sprintf("%s.audio[%d].codec", path, j), "ts segments carry aac; use fmp4 segments for opus")
			}
		}
	}
	if d := o.GetSegments().GetDurationSeconds(); d != 0 && d < minSegmentSeconds {
		v.add(path+".segments.duration_seconds", "must be between %.0f and 30 seconds (0 means 6)", minSegmentSeconds)
	}
}

// minGIFSeconds is the shortest GIF worth making: below it a clip has one
// or two frames at the default rate.
const minGIFSeconds = 0.1

// checkGIF checks a gif output: its settings replace video variants, and a
// start beyond the input can only be judged after probing.
func checkGIF(v *violations, path string, o *jobv1.OutputSpec) {
	g := o.GetGif()
	if g == nil {
		v.add(path+".gif", "gif outputs need gif settings (start_seconds, duration_seconds, width, fps)")
	} else if d := g.GetDurationSeconds(); d != 0 && d < minGIFSeconds {
		v.add(path+".gif.duration_seconds", "must be between %.1f and 30 seconds (0 means %d)", minGIFSeconds, engine.DefaultGIFSeconds)
	}
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"video", len(o.GetVideo()) > 0}, {"audio", len(o.GetAudio()) > 0}, {"hls", o.GetHls() != nil},
		{"dash", o.GetDash() != nil}, {"segments", o.GetSegments() != nil}, {"subtitle_tracks", len(o.GetSubtitleTracks()) > 0},
		{"drm", o.GetDrm() != nil}, {"content_aware", o.GetContentAware().GetEnabled()},
	} {
		if f.set {
			v.add(path+"."+f.name, "not for gif outputs; a gif takes only gif settings")
		}
	}
	if err := pathtemplate.CheckTemplate(o.GetPathTemplate()); err != nil {
		v.add(path+".path_template", "%s", err)
	}
}

// checkThumbnails checks one thumbnail set. How many images it makes, and
// whether timestamps lie within the input, is known only after probing.
func checkThumbnails(v *violations, path string, t *jobv1.ThumbnailSpec) {
	switch t.GetMode() {
	case jobv1.ThumbnailMode_THUMBNAIL_MODE_INTERVAL:
		if t.GetIntervalSeconds() < engine.MinThumbnailSeconds {
			v.add(path+".interval_seconds", "interval mode needs interval_seconds of at least %.1f", engine.MinThumbnailSeconds)
		}
	case jobv1.ThumbnailMode_THUMBNAIL_MODE_COUNT:
		if t.GetCount() < 1 || t.GetCount() > engine.MaxThumbnails {
			v.add(path+".count", "count mode needs a count of 1 to %d", engine.MaxThumbnails)
		}
	case jobv1.ThumbnailMode_THUMBNAIL_MODE_TIMESTAMPS:
		if len(t.GetTimestamps()) == 0 {
			v.add(path+".timestamps", "timestamps mode needs at least one timestamp")
		}
		for j, ts := range t.GetTimestamps() {
			if ts < 0 {
				v.add(fmt.Sprintf("%s.timestamps[%d]", path, j), "must be >= 0")
			}
		}
	}
	// Every other mode's field left set would be silently ignored.
	if t.GetMode() != jobv1.ThumbnailMode_THUMBNAIL_MODE_INTERVAL && t.GetIntervalSeconds() != 0 {
		v.add(path+".interval_seconds", "only for interval mode")
	}
	if t.GetMode() != jobv1.ThumbnailMode_THUMBNAIL_MODE_COUNT && t.GetCount() != 0 {
		v.add(path+".count", "only for count mode")
	}
	if t.GetMode() != jobv1.ThumbnailMode_THUMBNAIL_MODE_TIMESTAMPS && len(t.GetTimestamps()) > 0 {
		v.add(path+".timestamps", "only for timestamps mode")
	}
	// The scaler keeps chroma subsampling whole, so sizes are even.
	if t.GetWidth()%2 != 0 {
		v.add(path+".width", "must be even")
	}
	if t.GetHeight()%2 != 0 {
		v.add(path+".height", "must be even")
	}
	if f := t.GetFormat(); f != 0 {
		if _, ok := engine.ThumbnailFormats[rpcwire.EnumString(f)]; !ok {
			v.add(path+".format", "use jpeg, png or webp")
		}
	}
	if err := pathtemplate.CheckTemplate(t.GetPathTemplate()); err != nil {
		v.add(path+".path_template", "%s", err)
	}
}
