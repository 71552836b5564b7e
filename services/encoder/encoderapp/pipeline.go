package encoderapp

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	"github.com/transcodely/transcodely/pkg/blob"
	"github.com/transcodely/transcodely/pkg/ffmpeg"
)

// scratchClient picks the HTTP client and absolute URL for a scratch URL:
// path-absolute URLs point at the job service itself (local scratch), which
// is reached like the RPCs; anything else is a bucket's presigned URL and
// goes through the outbound policy like every other storage request.
func (w *Worker) scratchClient(u string) (*http.Client, string, error) {
	if !strings.HasPrefix(u, "/") {
		return w.HTTP, u, nil
	}
	base, err := url.Parse(w.JobURL)
	if err != nil || base.Host == "" {
		return nil, "", fmt.Errorf("scratch URL %q is relative but the job service URL %q is not usable", path.Dir(strings.SplitN(u, "?", 2)[0]), w.JobURL)
	}
	ref, err := url.Parse(u)
	if err != nil {
		return nil, "", err
	}
	c := w.Control
	if c == nil {
		c = http.DefaultClient
	}
	return c, base.ResolveReference(ref).String(), nil
}

// put uploads a local file to a scratch or output URL.
func (w *Worker) put(ctx context.Context, file, u, contentType string) (int64, string, error) {
	c, abs, err := w.scratchClient(u)
	if err != nil {
		return 0, "", err
	}
	return uploadFile(ctx, c, file, abs, contentType)
}

// download fetches a scratch URL into file.
func (w *Worker) download(ctx context.Context, u, file string) error {
	c, abs, err := w.scratchClient(u)
	if err != nil {
		return err
	}
	body, _, err := blob.OpenURL(ctx, c, abs)
	if err != nil {
		return err
	}
	defer body.Close()
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// segmentExt is the file extension of a rendition's segments, whose
// container the job service chose by codec (WebM for VP9, MP4 otherwise).
func segmentExt(codec string) string {
	if codec == "vp9" {
		return "webm"
	}
	return "mp4"
}

// segment encodes one slice of the source into every rendition from one
// decode and uploads each to scratch.
func (w *Worker) segment(ctx context.Context, s *internalv1.SegmentTask, progress *progressValue) (*internalv1.SegmentResult, *internalv1.FailRequest) {
	dir, err := os.MkdirTemp(w.Config.ScratchDir, "transcodely-task-*")
	if err != nil {
		return nil, &internalv1.FailRequest{ErrorCode: "scratch_unavailable", ErrorMessage: err.Error(), Retryable: true}
	}
	defer os.RemoveAll(dir) // scratch never outlives the task
	job := ffmpeg.TranscodeJob{Input: s.GetInputUrl(), Cut: &ffmpeg.SegmentCut{
		StartFrame: int(s.GetStartFrame()), Frames: int(s.GetFrames()), FPS: s.GetSourceFps(), StartOffset: s.GetStartOffsetSeconds()}}
	for _, r := range s.GetRenditions() {
		ext, ok := extensions[r.GetFormat()]
		if !ok {
			return nil, &internalv1.FailRequest{ErrorCode: "invalid_task", ErrorMessage: "unknown segment format " + r.GetFormat()}
		}
		v := videoEncode(r.GetVideo())
		v.ForceKeyframesAt = s.GetKeyframeSeconds()
		job.Outputs = append(job.Outputs, ffmpeg.Output{
			Path: filepath.Join(dir, fmt.Sprintf("r%d.%s", r.GetRendition(), ext)), Format: r.GetFormat(), Video: v,
		})
	}
	total := float64(s.GetFrames()) / s.GetSourceFps()
	if err := w.Runner.Transcode(ctx, job, func(p ffmpeg.Progress) {
		if total > 0 {
			progress.set(int32(min(90, 90*p.OutTime.Seconds()/total)))
		}
	}); err != nil {
		return nil, classify(err, "encode")
	}
	res := &internalv1.SegmentResult{}
	for i, r := range s.GetRenditions() {
		size, _, err := w.put(ctx, job.Outputs[i].Path, r.GetUploadUrl(), "application/octet-stream")
		if err != nil {
			return nil, scratchFailed(err)
		}
		res.Outputs = append(res.Outputs, &internalv1.SegmentOutput{Rendition: r.GetRendition(), SizeBytes: size, Frames: s.GetFrames()})
	}
	progress.set(100)
	return res, nil
}

// audio encodes the whole file's audio once per target and uploads each to
// scratch.
func (w *Worker) audio(ctx context.Context, a *internalv1.AudioTask, progress *progressValue) (*internalv1.AudioResult, *internalv1.FailRequest) {
	dir, err := os.MkdirTemp(w.Config.ScratchDir, "transcodely-task-*")
	if err != nil {
		return nil, &internalv1.FailRequest{ErrorCode: "scratch_unavailable", ErrorMessage: err.Error(), Retryable: true}
	}
	defer os.RemoveAll(dir)
	// Cut from the first video frame, as the segments are, so the two
	// timelines start together.
	job := ffmpeg.TranscodeJob{Input: a.GetInputUrl(), InputSeek: a.GetStartOffsetSeconds()}
	for i, t := range a.GetTargets() {
		ext := "m4a"
		if t.GetFormat() == "webm" {
			ext = "webm"
		}
		job.Outputs = append(job.Outputs, ffmpeg.Output{Path: filepath.Join(dir, fmt.Sprintf("audio-%d.%s", i, ext)), Format: t.GetFormat(),
			Audio: audioEncode(t.GetAudio())})
	}
	total := a.GetSourceDurationSeconds()
	if err := w.Runner.Transcode(ctx, job, func(p ffmpeg.Progress) {
		if total > 0 {
			progress.set(int32(min(90, 90*p.OutTime.Seconds()/total)))
		}
	}); err != nil {
		return nil, classify(err, "audio")
	}
	res := &internalv1.AudioResult{}
	for i, t := range a.GetTargets() {
		size, _, err := w.put(ctx, job.Outputs[i].Path, t.GetUploadUrl(), "application/octet-stream")
		if err != nil {
			return nil, scratchFailed(err)
		}
		res.Sizes = append(res.Sizes, size)
	}
	progress.set(100)
	return res, nil
}

// pkg joins each rendition's segments, muxes the audio, writes the output
// (a file, or HLS and/or DASH) and uploads it.
func (w *Worker) pkg(ctx context.Context, taskID, token string, p *internalv1.PackageTask, progress *progressValue) (*internalv1.PackageResult, *internalv1.FailRequest) {
	dir, err := os.MkdirTemp(w.Config.ScratchDir, "transcodely-task-*")
	if err != nil {
		return nil, &internalv1.FailRequest{ErrorCode: "scratch_unavailable", ErrorMessage: err.Error(), Retryable: true}
	}
	defer os.RemoveAll(dir)

	// Fetch every segment and the audio, a few at a time: they are small
	// and the round trips dominate.
	segs := make([][]string, len(p.GetRenditions()))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, r := range p.GetRenditions() {
		segs[i] = make([]string, len(r.GetSegmentUrls()))
		for j, u := range r.GetSegmentUrls() {
			segs[i][j] = filepath.Join(dir, fmt.Sprintf("r%d-%05d.%s", i, j, segmentExt(r.GetCodec())))
			g.Go(func() error { return w.download(gctx, u, segs[i][j]) })
		}
	}
	var audio string
	if a := p.GetAudio(); a != nil {
		audio = filepath.Join(dir, "audio.m4a")
		if a.GetCodec() == "opus" {
			audio = filepath.Join(dir, "audio.webm")
		}
		g.Go(func() error { return w.download(gctx, a.GetUrl(), audio) })
	}
	if err := g.Wait(); err != nil {
		fail := classify(err, "package")
		fail.ErrorCode = "scratch_read_failed"
		return nil, fail
	}
	progress.set(30)

	if p.GetType() == "progressive" {
		if len(segs) != 1 {
			return nil, &internalv1.FailRequest{ErrorCode: "invalid_task", ErrorMessage: "a progressive output has one rendition"}
		}
		ext, ok := extensions[p.GetFormat()]
		if !ok {
			return nil, &internalv1.FailRequest{ErrorCode: "invalid_task", ErrorMessage: "unknown output format " + p.GetFormat()}
		}
		out := filepath.Join(dir, "out."+ext)
		if err := w.Runner.Concat(ctx, segs[0], ffmpeg.CopyOutput{Path: out, Format: p.GetFormat(), FastStart: p.GetFaststart(), Audio: audio}, nil); err != nil {
			return nil, classify(err, "package")
		}
		progress.set(70)
		uploadStart := time.Now()
		size, sum, err := w.put(ctx, out, p.GetUploadUrl(), p.GetContentType())
		if err != nil {
			return nil, uploadFailed(err)
		}
		uploaded := time.Since(uploadStart).Seconds()
		dur := 0.0
		if pr, err := w.Runner.Probe(ctx, out); err == nil {
			dur = pr.Duration
		}
		progress.set(100)
		name := path.Base(p.GetOutputId()) + "." + ext
		return &internalv1.PackageResult{Main: name, DurationSeconds: dur, UploadSeconds: uploaded,
			Files: []*internalv1.PackagedFile{{Name: name, SizeBytes: size, Checksum: "sha256:" + sum, Role: "video"}}}, nil
	}

	// Streaming: one joined file per rendition, then the packagers.
	joined := make([]string, len(segs))
	for i := range segs {
		if len(segs[i]) == 1 {
			// Nothing to join: the packager reads the segment itself.
			joined[i] = segs[i][0]
			continue
		}
		joined[i] = filepath.Join(dir, fmt.Sprintf("rendition-%d.%s", i, segmentExt(p.GetRenditions()[i].GetCodec())))
		if err := w.Runner.Concat(ctx, segs[i], ffmpeg.CopyOutput{Path: joined[i]}, nil); err != nil {
			return nil, classify(err, "package")
		}
	}
	out := filepath.Join(dir, "out")
	var main string
	typ := p.GetType()
	if typ == "hls" || typ == "adaptive" {
		hp := ffmpeg.HLSPackage{Dir: out, SegmentSeconds: p.GetSegmentSeconds(), SegmentType: p.GetHlsSegmentType()}
		for _, j := range joined {
			hp.Video = append(hp.Video, ffmpeg.HLSVideo{Path: j})
		}
		if audio != "" {
			hp.Audio = []ffmpeg.HLSAudio{{Path: audio, Name: "Audio"}}
		}
		if _, err := w.Runner.PackageHLS(ctx, hp, nil); err != nil {
			return nil, classify(err, "package")
		}
		main = ffmpeg.HLSMasterName
	}
	if typ == "dash" || typ == "adaptive" {
		dp := ffmpeg.DASHPackage{Dir: out, SegmentSeconds: p.GetSegmentSeconds(), Video: joined, MinBufferSeconds: p.GetDashMinBufferSeconds()}
		if top := p.GetRenditions()[0]; top.GetWidth() > 0 && top.GetHeight() > 0 {
			// The ladder's first rung states the ratio every rung shows.
			g := gcd(int(top.GetWidth()), int(top.GetHeight()))
			dp.DisplayAspect = fmt.Sprintf("%d:%d", int(top.GetWidth())/g, int(top.GetHeight())/g)
		}
		if audio != "" {
			dp.Audio = []string{audio}
		}
		if _, err := w.Runner.PackageDASH(ctx, dp, nil); err != nil {
			return nil, classify(err, "package")
		}
		if main == "" {
			main = ffmpeg.DASHManifestName
		}
	}
	if main == "" {
		return nil, &internalv1.FailRequest{ErrorCode: "invalid_task", ErrorMessage: "unknown output type " + typ}
	}
	progress.set(60)
	res, fail := w.uploadTree(ctx, taskID, token, out, main, progress)
	if res != nil && res.DurationSeconds == 0 {
		// Playlists are not probed as media; the joined video is.
		if pr, err := w.Runner.Probe(ctx, joined[0]); err == nil {
			res.DurationSeconds = pr.Duration
		} else {
			res.DurationSeconds = p.GetSourceDurationSeconds()
		}
	}
	return res, fail
}

// uploadTree uploads every file under root to the output folder, asking
// the job service for the URLs of the names it wrote.
func (w *Worker) uploadTree(ctx context.Context, taskID, token, root, main string, progress *progressValue) (*internalv1.PackageResult, *internalv1.FailRequest) {
	var names []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		names = append(names, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		return nil, &internalv1.FailRequest{ErrorCode: "package_failed", ErrorMessage: err.Error(), Retryable: true}
	}
	resp, err := w.Client.PresignUploads(ctx, connect.NewRequest(&internalv1.PresignUploadsRequest{TaskId: taskID, LeaseToken: token, Names: names}))
	if err != nil {
		return nil, &internalv1.FailRequest{ErrorCode: "output_unavailable", ErrorMessage: "cannot get upload URLs: " + err.Error(), Retryable: true}
	}
	urls := resp.Msg.GetUrls()
	if len(urls) != len(names) {
		return nil, &internalv1.FailRequest{ErrorCode: "output_unavailable", ErrorMessage: fmt.Sprintf("asked for %d upload URLs, got %d", len(names), len(urls)), Retryable: true}
	}
	uploadStart := time.Now()
	res := &internalv1.PackageResult{Main: main, Files: make([]*internalv1.PackagedFile, len(names))}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, n := range names {
		g.Go(func() error {
			size, sum, err := w.put(gctx, filepath.Join(root, filepath.FromSlash(n)), urls[i], contentTypeOf(n))
			if err != nil {
				return err
			}
			res.Files[i] = &internalv1.PackagedFile{Name: n, SizeBytes: size, Checksum: "sha256:" + sum, Role: roleOf(n)}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, uploadFailed(err)
	}
	res.UploadSeconds = time.Since(uploadStart).Seconds()
	progress.set(100)
	return res, nil
}

// contentTypeOf is the Content-Type a CDN should serve a packaged file
// with.
func contentTypeOf(name string) string {
	switch path.Ext(name) {
	case ".m3u8":
		return "application/vnd.apple.mpegurl"
	case ".mpd":
		return "application/dash+xml"
	case ".m4s":
		return "video/iso.segment"
	case ".ts":
		return "video/mp2t"
	case ".mp4":
		return "video/mp4"
	}
	return "application/octet-stream"
}

// roleOf names what a packaged file is, as OutputFile.role does.
func roleOf(name string) string {
	base := path.Base(name)
	switch {
	case base == ffmpeg.HLSMasterName:
		return "master_playlist"
	case path.Ext(base) == ".m3u8":
		return "media_playlist"
	case path.Ext(base) == ".mpd":
		return "mpd"
	case strings.HasPrefix(base, "init"):
		return "init_segment"
	}
	return "segment"
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func scratchFailed(err error) *internalv1.FailRequest {
	fail := classify(err, "upload")
	fail.ErrorCode = "scratch_write_failed"
	// Scratch is ours, not the user's: a refusal there is a fault of this
	// deployment (or a URL that outlived a restart), worth another try.
	fail.Retryable = true
	return fail
}

func uploadFailed(err error) *internalv1.FailRequest {
	fail := classify(err, "upload")
	fail.ErrorCode = "output_write_failed"
	return fail
}

func videoEncode(v *internalv1.VideoEncoding) *ffmpeg.VideoEncode {
	return &ffmpeg.VideoEncode{Codec: v.GetCodec(), Width: int(v.GetWidth()), Height: int(v.GetHeight()), FPS: v.GetFps(),
		CRF: int(v.GetCrf()), BitrateKbps: int(v.GetBitrateKbps()), MaxBitrateKbps: int(v.GetMaxBitrateKbps()),
		Preset: v.GetPreset(), Profile: v.GetProfile(), GOPFrames: int(v.GetGopFrames())}
}

func audioEncode(a *internalv1.AudioEncoding) *ffmpeg.AudioEncode {
	return &ffmpeg.AudioEncode{Codec: a.GetCodec(), BitrateKbps: int(a.GetBitrateKbps()), Channels: int(a.GetChannels()), SampleRate: int(a.GetSampleRate())}
}
