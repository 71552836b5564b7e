package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/transcodely/transcodely/pkg/wirejson"
)

// The targets.
const (
	maxJobOverSingle = 1.10 // (a) must, ≤ 1.00 aimed for
	minNaiveOverJob  = 1.5  // (b)
)

// machine describes where the numbers were taken.
type machine struct {
	cpus     int
	cpuModel string
	memory   string
	ffmpeg   string
	kernel   string
	load     string // 1, 5 and 15 minute load averages at the start
	loadEnd  string // and at the end
	date     time.Time
}

func readMachine(ctx context.Context) machine {
	m := machine{cpus: runtime.NumCPU(), date: time.Now().UTC()}
	m.cpuModel = procField("/proc/cpuinfo", "model name")
	if kb := strings.Fields(procField("/proc/meminfo", "MemTotal")); len(kb) > 0 {
		var n float64
		fmt.Sscan(kb[0], &n)
		m.memory = fmt.Sprintf("%.1f GiB", n/(1<<20))
	}
	if out, err := exec.CommandContext(ctx, "ffmpeg", "-version").Output(); err == nil {
		m.ffmpeg, _, _ = strings.Cut(string(out), "\n")
		m.ffmpeg, _, _ = strings.Cut(strings.TrimPrefix(m.ffmpeg, "ffmpeg version "), " Copyright")
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = strings.TrimSpace(string(b))
	}
	m.load = loadAverage()
	return m
}

// loadAverage is the 1, 5 and 15 minute load averages.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

// procField returns the value of the first "key: value" line of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// best is the run with the shortest wall time.
func best(ms []measure) measure {
	b := ms[0]
	for _, m := range ms[1:] {
		if m.wall < b.wall {
			b = m
		}
	}
	return b
}

// walls lists the wall times of every run.
func walls(ms []measure) string {
	var s []string
	for _, m := range ms {
		s = append(s, fmt.Sprintf("%.1f", m.wall.Seconds()))
	}
	return strings.Join(s, ", ")
}

func mib(n int64) string { return fmt.Sprintf("%.1f", float64(n)/(1<<20)) }

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

// scenario names what was produced.
func (r *results) scenario() string {
	if r.opts.mp4Only {
		return "h264 1080p, 720p and 480p as three MP4 outputs (the -mp4-only stand-in for the HLS ladder) + a 720p h264 MP4, all with AAC"
	}
	return "an h264 HLS ladder (1080p, 720p, 480p; 6 s fMP4 segments; AAC audio rendition) + a 720p h264 MP4 with AAC"
}

func (s source) describe() string {
	return fmt.Sprintf("%g s 1920x1080 30 fps h264 + stereo AAC (%s)", s.clip.Seconds, humanMB(s.size))
}

func humanMB(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/1e6) }

// markdown is the results table, as printed and as written into the report.
func (r *results) markdown() string {
	var b strings.Builder
	single, naive, job := best(r.single), best(r.naive), bestJob(r.jobs)
	a, bRatio := job.wall.Seconds()/single.wall.Seconds(), naive.wall.Seconds()/job.wall.Seconds()
	fmt.Fprintf(&b, "Source: %s. Output: %s. Best of %d run(s).\n\n", r.main.describe(), r.scenario(), r.opts.runs)
	b.WriteString("| contender | seconds (best run) | CPU seconds (that run) | seconds (every run) |\n|---|---:|---:|---|\n")
	row := func(name string, best measure, all []measure) {
		fmt.Fprintf(&b, "| %s | %.1f | %.1f | %s |\n", name, best.wall.Seconds(), best.cpu.Seconds(), walls(all))
	}
	row("best single hand-written ffmpeg command", single, r.single)
	row(fmt.Sprintf("naive script, one ffmpeg per rendition in turn (%d runs)", len(r.naiveCmds)), naive, r.naive)
	var jobs []measure
	for _, j := range r.jobs {
		jobs = append(jobs, j.measure)
	}
	row("Transcodely job, create to completed, one encoder", job.measure, jobs)
	b.WriteString("\n")
	b.WriteString("| ratio | value | target | |\n|---|---:|---|---|\n")
	fmt.Fprintf(&b, "| (a) job ÷ best single command | %.2f | ≤ %.2f, aim ≤ 1.00 | %s |\n", a, maxJobOverSingle, verdict(a <= maxJobOverSingle))
	fmt.Fprintf(&b, "| (b) naive script ÷ job (job is this much faster) | %.2f× | ≥ %.1f× | %s |\n\n", bRatio, minNaiveOverJob, verdict(bRatio >= minNaiveOverJob))
	b.WriteString("| source | jobs run by the processes | job service peak RSS (MiB) | encoder peak RSS (MiB, ffmpeg excluded) | job seconds (fastest) |\n|---|---:|---:|---:|---:|\n")
	for _, row := range r.rss {
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %.1f |\n", row.src.describe(), row.jobs, mib(row.job), mib(row.encoder), row.jobSeconds.Seconds())
	}
	if n := len(r.rss); n > 1 {
		first, last := r.rss[0], r.rss[n-1]
		fmt.Fprintf(&b, "\nFrom the %g s to the %g s source (%.1f× the bytes), peak RSS changes ×%.2f in the job service and ×%.2f in the encoder.\n",
			first.src.clip.Seconds, last.src.clip.Seconds, float64(last.src.size)/float64(first.src.size),
			float64(last.job)/float64(first.job), float64(last.encoder)/float64(first.encoder))
	}
	fmt.Fprintf(&b, "\nJob execution (Get, fastest run %s; server-side create to completed %.1f s): %s.\n", job.id, job.server.Seconds(), execution(job.exec))
	return b.String()
}

// document is the whole report file: what was measured, how, where, and
// the table.
func (r *results) document(table string) string {
	var b strings.Builder
	m := r.machine
	b.WriteString("# Benchmarks\n\n")
	b.WriteString("<!-- Written by transcodely-bench (make bench): rerun it rather than editing by hand. -->\n\n")
	b.WriteString("One Transcodely job against hand-written ffmpeg, on one machine. The job runs on the production\n" +
		"topology: the six separate binaries (account, origin, preset, job, webhook, encoder) with exactly one\n" +
		"encoder process leasing one task at a time, PostgreSQL, and MinIO holding the source and the outputs\n" +
		"(uploading the source is not timed). Its time is from just before `JobService/Create` to the completed\n" +
		"status arriving on `JobService/Watch`, outputs verified in the bucket. The hand-written contenders use\n" +
		"the job's own settings: libx264 preset `faster` CRF 23 (the standard quality tier), a closed 2 s GOP\n" +
		"(`-g 60 -keyint_min 60 -sc_threshold 0 -flags +cgop`), yuv420p, AAC 128k stereo 48 kHz, fMP4 HLS\n" +
		"segments of 6 s. The ratios are of wall-clock times; CPU seconds are user plus system time of the\n" +
		"contender's processes (for the job: the six services and the encoder's ffmpeg runs), which other load\n" +
		"on the machine disturbs less. Peak RSS is VmHWM of the job and encoder processes, read just before\n" +
		"they are stopped; ffmpeg runs as the encoder's child and is not counted.\n\n")
	fmt.Fprintf(&b, "Produced by, from the repository root (`make bench BENCH_FLAGS='...'` builds the binaries and runs the same):\n\n```sh\n%s\n```\n\n", r.command())
	fmt.Fprintf(&b, "Machine: %d CPUs (%s), %s RAM, Linux %s, ffmpeg %s, %s; load average (1, 5, 15 min) %s at the start, %s at the end. Date: %s.\n\n",
		m.cpus, m.cpuModel, m.memory, m.kernel, m.ffmpeg, runtime.Version(), m.load, m.loadEnd, m.date.Format("2006-01-02 15:04 UTC"))
	b.WriteString("## Results\n\n")
	b.WriteString(table)
	b.WriteString("\n## The contenders\n\nThe best single command (paths relative to `.bench/`):\n\n```sh\n")
	b.WriteString(shellLines(r.singleCmd))
	b.WriteString("\n```\n\nThe naive script, one command after the other")
	if !r.opts.mp4Only {
		b.WriteString(", then the master playlist written by the script")
	}
	b.WriteString(":\n\n```sh\n")
	for _, c := range r.naiveCmds {
		b.WriteString(shellLines(c) + "\n")
	}
	b.WriteString("```\n\nThe job's outputs (`CreateJobRequest.outputs`):\n\n```json\n")
	b.WriteString(r.jobOutputsJSON)
	b.WriteString("\n```\n")
	return b.String()
}

// command is how the bench was invoked.
func (r *results) command() string {
	parts := []string{".tools/bin/transcodely-bench"}
	for _, a := range r.opts.args {
		if strings.ContainsAny(a, " '\"$") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// outputsJSON is the job's outputs in the public JSON wire format, with
// the fields left at their defaults dropped (the wire format spells every
// field out).
func outputsJSON(mp4Only bool) (string, error) {
	var outs []any
	for _, o := range jobOutputs(mp4Only) {
		raw, err := wirejson.Marshal(o)
		if err != nil {
			return "", err
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", err
		}
		outs = append(outs, prune(v))
	}
	b, err := json.MarshalIndent(outs, "", "  ")
	return string(b), err
}

// prune drops null, zero, empty and false values from decoded JSON.
func prune(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if e = prune(e); e == nil {
				delete(v, k)
			} else {
				v[k] = e
			}
		}
		if len(v) == 0 {
			return nil
		}
	case []any:
		var kept []any
		for _, e := range v {
			if e = prune(e); e != nil {
				kept = append(kept, e)
			}
		}
		if len(kept) == 0 {
			return nil
		}
		return kept
	case string, float64, bool:
		if v == "" || v == 0.0 || v == false {
			return nil
		}
	}
	return v
}
