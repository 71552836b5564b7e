package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"connectrpc.com/connect"

	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/pkg/ffmpeg"
	"github.com/transcodely/transcodely/services/internal/devstack"
)

// source is one generated clip, local and in the input bucket.
type source struct {
	clip devstack.Clip
	path string // relative to .bench, as the ffmpeg commands name it
	key  string // in the input bucket
	size int64
}

// measure is one timed run of a contender: wall-clock time, and the user
// plus system CPU time of its processes (less sensitive than wall time to
// whatever else the machine runs).
type measure struct {
	wall, cpu time.Duration
}

// jobRun is one job, timed from just before Create to the completed
// status arriving on Watch; its CPU time is that of the six services and
// of the encoder's ffmpeg runs.
type jobRun struct {
	measure
	id string
	// server is the job's own created_at to completed_at.
	server time.Duration
	exec   *jobv1.Execution
}

// rssRow is the peak RSS of one cluster of service processes that ran
// jobs jobs on one source, the fastest in jobSeconds.
type rssRow struct {
	src          source
	jobs         int
	job, encoder int64 // bytes
	jobSeconds   time.Duration
}

// results is everything the report shows.
type results struct {
	opts           options
	machine        machine
	main           source
	single, naive  []measure
	jobs           []jobRun
	rss            []rssRow
	singleCmd      []string
	naiveCmds      [][]string
	jobOutputsJSON string
}

func (b *bench) run(ctx context.Context) (*results, error) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		return nil, errors.New("ffmpeg is missing: apt-get install -y ffmpeg")
	}
	res := &results{opts: b.opts, machine: readMachine(ctx)}
	if err := b.infra(ctx); err != nil {
		return nil, err
	}
	var err error
	if res.main, err = b.source(ctx, b.opts.seconds); err != nil {
		return nil, err
	}
	res.singleCmd = singleCommand(res.main.path, filepath.Join("work", "single"), b.opts.mp4Only)
	res.naiveCmds = naiveScript(res.main.path, filepath.Join("work", "naive"), b.opts.mp4Only)
	if res.jobOutputsJSON, err = outputsJSON(b.opts.mp4Only); err != nil {
		return nil, err
	}

	if err := b.startCluster(ctx); err != nil {
		return nil, err
	}
	for i := range b.opts.runs {
		b.Step("run", "%d of %d", i+1, b.opts.runs)
		d, err := b.runSingle(ctx, res)
		if err != nil {
			return nil, err
		}
		res.single = append(res.single, d)
		if d, err = b.runNaive(ctx, res); err != nil {
			return nil, err
		}
		res.naive = append(res.naive, d)
		j, err := b.runJob(ctx, res.main)
		if err != nil {
			return nil, err
		}
		res.jobs = append(res.jobs, j)
	}
	row, err := b.finishCluster(res.main, len(res.jobs), bestJob(res.jobs).wall)
	if err != nil {
		return nil, err
	}
	res.rss = append(res.rss, row)

	if b.opts.long {
		// A fresh cluster, so its peak RSS is that of the long job alone.
		long, err := b.source(ctx, b.opts.longSeconds)
		if err != nil {
			return nil, err
		}
		if err := b.startCluster(ctx); err != nil {
			return nil, err
		}
		b.Step("run", "long source, for the peak RSS")
		j, err := b.runJob(ctx, long)
		if err != nil {
			return nil, err
		}
		row, err := b.finishCluster(long, 1, j.wall)
		if err != nil {
			return nil, err
		}
		res.rss = append(res.rss, row)
	}
	res.machine.loadEnd = loadAverage()
	return res, nil
}

// source generates (once) and uploads a 1080p30 clip of seconds.
func (b *bench) source(ctx context.Context, seconds float64) (source, error) {
	clip := devstack.Clip{Width: 1920, Height: 1080, FPS: 30, Seconds: seconds, CRF: 18, Preset: "veryfast"}
	name := fmt.Sprintf("source-%gs-1080p30.mp4", seconds)
	local, err := b.GenerateClip(ctx, name, clip)
	if err != nil {
		return source{}, err
	}
	src := source{clip: clip, path: name, key: "sources/" + name}
	if src.size, err = b.minio.Upload(ctx, local, inBucket, src.key, "video/mp4"); err != nil {
		return source{}, err
	}
	b.Step("sample", "%s uploaded to s3://%s/%s (%s)", name, inBucket, src.key, devstack.HumanSize(src.size))
	return src, nil
}

// ffmpeg runs one hand-written command in .bench and returns how long it
// took. A failed command's stderr is kept in .bench/ffmpeg.log.
func (b *bench) ffmpeg(ctx context.Context, args []string) (measure, error) {
	cmd := exec.CommandContext(ctx, "ffmpeg", args...)
	var stderr bytes.Buffer
	cmd.Dir, cmd.Stdout, cmd.Stderr = b.Dir, io.Discard, &stderr
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if ctx.Err() != nil {
		return measure{}, ctx.Err()
	}
	if err != nil {
		log := b.Path("ffmpeg.log")
		_ = os.WriteFile(log, stderr.Bytes(), 0o600)
		return measure{}, fmt.Errorf("%s: %w (stderr: %s)\n%s", shellQuote(args), err, b.Rel("ffmpeg.log"), devstack.LogTail(log, 20))
	}
	return measure{wall: d, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}, nil
}

// workDir empties .bench/work/<name> and creates the folders the
// contenders write into.
func (b *bench) workDir(name string) (string, error) {
	dir := b.Path(filepath.Join("work", name))
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	return dir, makeDirs(dir)
}

func (b *bench) runSingle(ctx context.Context, res *results) (measure, error) {
	dir, err := b.workDir("single")
	if err != nil {
		return measure{}, err
	}
	m, err := b.ffmpeg(ctx, res.singleCmd)
	if err != nil {
		return measure{}, err
	}
	if err := verifyLocal(ctx, dir, res.main.clip.Seconds, b.opts.mp4Only); err != nil {
		return measure{}, fmt.Errorf("the single command's outputs: %w", err)
	}
	b.Step("single", "%.1f s (CPU %.1f s)", m.wall.Seconds(), m.cpu.Seconds())
	return m, nil
}

func (b *bench) runNaive(ctx context.Context, res *results) (measure, error) {
	dir, err := b.workDir("naive")
	if err != nil {
		return measure{}, err
	}
	var total measure
	var each []string
	for _, args := range res.naiveCmds {
		m, err := b.ffmpeg(ctx, args)
		if err != nil {
			return measure{}, err
		}
		total.wall += m.wall
		total.cpu += m.cpu
		each = append(each, fmt.Sprintf("%.1f", m.wall.Seconds()))
	}
	if !b.opts.mp4Only {
		start := time.Now()
		if err := writeMaster(dir); err != nil {
			return measure{}, err
		}
		total.wall += time.Since(start)
	}
	if err := verifyLocal(ctx, dir, res.main.clip.Seconds, b.opts.mp4Only); err != nil {
		return measure{}, fmt.Errorf("the naive script's outputs: %w", err)
	}
	b.Step("naive", "%.1f s (CPU %.1f s; %s)", total.wall.Seconds(), total.cpu.Seconds(), strings.Join(each, " + "))
	return total, nil
}

// verifyLocal checks what a hand-written contender wrote: every MP4 has the
// rendition's size, h264, AAC and the source's duration; the HLS master
// lists the ladder and every media playlist is complete.
func verifyLocal(ctx context.Context, dir string, seconds float64, mp4Only bool) error {
	mp4s := map[string]rendition{"720p.mp4": r720}
	if mp4Only {
		for _, r := range ladder {
			mp4s[ladderMP4(r)] = r
		}
	} else {
		master, err := os.ReadFile(filepath.Join(dir, "hls", ffmpeg.HLSMasterName))
		if err != nil {
			return err
		}
		if n := strings.Count(string(master), "#EXT-X-STREAM-INF"); n < len(ladder) {
			return fmt.Errorf("master playlist lists %d video renditions, want %d", n, len(ladder))
		}
		for _, r := range append(renditionNames(ladder), "audio") {
			pl, err := os.ReadFile(filepath.Join(dir, "hls", r, "index.m3u8"))
			if err != nil {
				return err
			}
			if !bytes.Contains(pl, []byte("#EXT-X-ENDLIST")) {
				return fmt.Errorf("%s media playlist is incomplete", r)
			}
		}
	}
	runner := &ffmpeg.Runner{}
	for name, r := range mp4s {
		p, err := runner.Probe(ctx, filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if len(p.Video) != 1 || p.Video[0].Codec != "h264" || p.Video[0].Width != r.width || p.Video[0].Height != r.height ||
			len(p.Audio) != 1 || p.Audio[0].Codec != "aac" || math.Abs(p.Duration-seconds) > 0.5 {
			return fmt.Errorf("%s: %.2f s, video %+v, audio %+v; want %dx%d h264 with aac, %g s", name, p.Duration, p.Video, p.Audio, r.width, r.height, seconds)
		}
	}
	return nil
}

// runJob runs the scenario's job on src through the public API and checks
// its outputs are in the bucket.
func (b *bench) runJob(ctx context.Context, src source) (jobRun, error) {
	cpu0, err := b.clusterCPU()
	if err != nil {
		return jobRun{}, err
	}
	start := time.Now()
	created, err := b.jobs.Create(ctx, connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: b.in, InputPath: src.key, OutputOriginId: b.out,
		Outputs:  jobOutputs(b.opts.mp4Only),
		Metadata: map[string]string{"source": "transcodely-bench"},
	}))
	if err != nil {
		if connect.CodeOf(err) == connect.CodeInvalidArgument && !b.opts.mp4Only {
			return jobRun{}, fmt.Errorf("create job: %w (a job service that cannot package HLS yet refuses the ladder; -mp4-only runs the same encodes as MP4 outputs)", err)
		}
		return jobRun{}, fmt.Errorf("create job: %w", err)
	}
	id := created.Msg.GetJob().GetId()
	b.Step("job", "%s created", id)
	timeout := 10*time.Minute + time.Duration(src.clip.Seconds*15)*time.Second
	last, err := b.Watch(ctx, b.jobs, id, timeout)
	wall := time.Since(start)
	if err != nil {
		return jobRun{}, err
	}
	cpu1, err := b.clusterCPU()
	if err != nil {
		return jobRun{}, err
	}
	got, err := b.jobs.Get(ctx, connect.NewRequest(&jobv1.GetJobRequest{Id: id}))
	if err != nil {
		return jobRun{}, fmt.Errorf("get job %s: %w", id, err)
	}
	job := got.Msg.GetJob()
	if job.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		var outs []string
		for _, o := range job.GetOutputs() {
			outs = append(outs, fmt.Sprintf("%s %s %s", devstack.WireName(o.GetStatus().String(), "OUTPUT_STATUS_"), o.GetErrorCode(), o.GetErrorMessage()))
		}
		return jobRun{}, fmt.Errorf("job %s ended %s (watch saw %s): %s %s; outputs: %s; logs: %s", id,
			devstack.WireName(job.GetStatus().String(), "JOB_STATUS_"), devstack.WireName(last.GetStatus().String(), "JOB_STATUS_"),
			job.GetErrorCode(), job.GetErrorMessage(), strings.Join(outs, "; "), b.Dir)
	}
	if err := b.verifyJob(ctx, job); err != nil {
		return jobRun{}, fmt.Errorf("job %s completed, but %w", id, err)
	}
	run := jobRun{measure: measure{wall: wall, cpu: cpu1 - cpu0}, id: id,
		server: job.GetCompletedAt().AsTime().Sub(job.GetCreatedAt().AsTime()), exec: job.GetExecution()}
	b.Step("job", "%.1f s create to completed (CPU %.1f s; server-side %.1f s); %s", wall.Seconds(), run.cpu.Seconds(), run.server.Seconds(), execution(run.exec))
	return run, nil
}

// verifyJob checks every output of a completed job is in the output bucket:
// the file or master playlist, which for HLS must list the whole ladder,
// and every file the output reports.
func (b *bench) verifyJob(ctx context.Context, job *jobv1.Job) error {
	store, err := b.minio.Store(outBucket)
	if err != nil {
		return err
	}
	want := len(jobOutputs(b.opts.mp4Only))
	if len(job.GetOutputs()) != want {
		return fmt.Errorf("it has %d outputs, want %d", len(job.GetOutputs()), want)
	}
	for i, o := range job.GetOutputs() {
		urls := []string{o.GetOutputUrl()}
		for _, f := range o.GetFiles() {
			urls = append(urls, f.GetUrl())
		}
		for _, u := range urls {
			bucket, key, err := devstack.SplitURL(u)
			if err != nil {
				return fmt.Errorf("output %d: %w", i, err)
			}
			if bucket != outBucket {
				return fmt.Errorf("output %d: %s is not in %s", i, u, outBucket)
			}
			info, err := store.Stat(ctx, key)
			if err != nil {
				return fmt.Errorf("output %d: %s: %w", i, u, err)
			}
			if info.Size == 0 {
				return fmt.Errorf("output %d: %s is empty", i, u)
			}
		}
		if o.GetSpec().GetType() != jobv1.OutputType_OUTPUT_TYPE_HLS {
			continue
		}
		_, key, _ := devstack.SplitURL(o.GetOutputUrl())
		r, err := store.Get(ctx, key)
		if err != nil {
			return err
		}
		master, err := io.ReadAll(io.LimitReader(r, 1<<20))
		r.Close()
		if err != nil {
			return err
		}
		if n := strings.Count(string(master), "#EXT-X-STREAM-INF"); n != len(ladder) {
			return fmt.Errorf("its master playlist %s lists %d video renditions, want %d:\n%s", o.GetOutputUrl(), n, len(ladder), master)
		}
	}
	return nil
}

// execution prints a job's execution fields.
func execution(e *jobv1.Execution) string {
	return fmt.Sprintf("queued %.1f s, probe %.1f s, encode %.1f s, package %.1f s, upload %.1f s; %d encoder(s), %d/%d segments",
		e.GetQueuedSeconds(), e.GetProbeSeconds(), e.GetEncodeSeconds(), e.GetPackageSeconds(), e.GetUploadSeconds(),
		e.GetEncoderCount(), e.GetCompletedSegments(), e.GetTotalSegments())
}

func bestJob(runs []jobRun) jobRun {
	best := runs[0]
	for _, r := range runs[1:] {
		if r.wall < best.wall {
			best = r
		}
	}
	return best
}
