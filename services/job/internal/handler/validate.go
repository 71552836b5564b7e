package handler

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

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
	if len(m.GetThumbnails()) > 0 {
		v.add("thumbnails", "thumbnails are not supported by this version yet")
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
	if !slices.Contains(progressive, o.GetType()) {
		v.add(path+".type", "output type %s is not supported by this version yet; use mp4, webm, mkv or mov", typ)
		return
	}
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
		{"hls", o.GetHls() != nil}, {"dash", o.GetDash() != nil}, {"segments", o.GetSegments() != nil}, {"gif", o.GetGif() != nil},
	} {
		if f.set {
			v.add(path+"."+f.name, "only for streaming outputs")
		}
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
	c := engine.Containers[typ]
	for j, vv := range o.GetVideo() {
		p := fmt.Sprintf("%s.video[%d]", path, j)
		codec := rpcwire.EnumString(vv.GetCodec())
		if vv.GetCodec() != 0 && !slices.Contains(c.Codecs(), codec) {
			v.add(p+".codec", "%s cannot be carried in %s; use one of %s", codec, typ, strings.Join(c.Codecs(), ", "))
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
