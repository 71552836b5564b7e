// Command transcodely-bench is what `make bench` runs: it times one
// Transcodely job (an h264 HLS ladder of 1080p, 720p and 480p in 6 s
// segments plus a 720p MP4 with AAC, from a 60 s 1080p30 clip with stereo
// audio) against the best single hand-written ffmpeg command producing the
// same renditions and against a naive script running one ffmpeg per
// rendition, and reads the peak RSS of the job service and of the encoder
// process. It prints a markdown table and, with -out, writes it into a file
// (docs/BENCHMARKS.md) with the command and the machine.
//
// The job runs on the production topology: the six separate binaries that
// `make build` writes (account, origin, preset, job, webhook, encoder), one
// encoder process leasing one task at a time, PostgreSQL and MinIO on
// loopback. Everything the bench keeps (clips, logs, MinIO data, secrets)
// lives in .bench/ at the repository root; every process it starts is
// stopped when it ends.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := realMain(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "transcodely-bench:", err)
		os.Exit(1)
	}
}

// options are the command-line flags.
type options struct {
	runs        int
	long        bool
	longSeconds float64
	keep        bool
	out         string
	// Hidden, for trying the harness: mp4Only replaces the HLS ladder by
	// three MP4 outputs (for job services without HLS), seconds shortens
	// the main clip.
	mp4Only bool
	seconds float64
	args    []string
}

// hidden flags are left out of -help: they change what is measured.
var hidden = []string{"mp4-only", "seconds"}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("transcodely-bench", flag.ContinueOnError)
	fs.IntVar(&o.runs, "runs", 1, "time each contender this many times and keep the best")
	fs.BoolVar(&o.long, "long", false, "also run the job on a longer clip, for the peak-RSS comparison")
	fs.Float64Var(&o.longSeconds, "long-seconds", 180, "length of the -long clip in seconds")
	fs.BoolVar(&o.keep, "keep", false, "keep the outputs (.bench/work and the job outputs in MinIO's .bench/minio) for inspection")
	fs.StringVar(&o.out, "out", "", "also write the results as markdown to this file (e.g. docs/BENCHMARKS.md)")
	fs.BoolVar(&o.mp4Only, "mp4-only", false, "")
	fs.Float64Var(&o.seconds, "seconds", 60, "")
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintln(w, "usage: transcodely-bench [flags]")
		fs.VisitAll(func(f *flag.Flag) {
			if slices.Contains(hidden, f.Name) {
				return
			}
			fmt.Fprintf(w, "  -%s\n    \t%s (default %q)\n", f.Name, f.Usage, f.DefValue)
		})
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	case o.runs < 1:
		return o, fmt.Errorf("-runs %d: want at least 1", o.runs)
	case o.seconds <= 0 || o.longSeconds <= 0:
		return o, fmt.Errorf("clip lengths must be positive")
	}
	o.args = args
	return o, nil
}

func realMain(ctx context.Context, args []string) error {
	o, err := parseFlags(args)
	if err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return err
	}
	b, err := newBench(o)
	if err != nil {
		return err
	}
	defer b.cleanup()
	res, err := b.run(ctx)
	if err != nil {
		fmt.Fprintf(os.Stderr, "logs: %s/*.log\n", b.Dir)
		return err
	}
	fmt.Printf("logs       %s/*.log\n", b.Dir)
	report := res.markdown()
	fmt.Printf("\n%s", report)
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(res.document(report)), 0o644); err != nil {
			return err
		}
		fmt.Printf("\nwritten to %s\n", o.out)
	}
	return nil
}
