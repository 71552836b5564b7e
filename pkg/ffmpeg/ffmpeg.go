// Package ffmpeg is the only place in Transcodely that executes the ffmpeg
// and ffprobe binaries.
//
// Everything else in the project talks to this package through typed values
// (TranscodeJob, ProbeResult, ...) instead of assembling command lines, so
// that process handling, cancellation, error reporting and credential
// redaction are implemented once:
//
//   - every process runs in its own process group and a cancelled context
//     SIGKILLs the whole group, so an abandoned job cannot keep burning CPU;
//   - failures carry the tail of ffmpeg's stderr (*ExitError) and input
//     problems are classified into ErrInvalidMedia, ErrNoVideo and
//     ErrInputUnreachable so callers can tell a bad upload from a broken
//     worker;
//   - inputs are often presigned URLs, so query strings are redacted
//     (RedactURL) wherever a command line or ffmpeg output is logged or put
//     into an error.
//
// Inputs are treated as untrusted: unless a job names its demuxer explicitly
// (TranscodeJob.InputFormat), ffmpeg may only open them with a fixed list of
// ordinary media demuxers and the protocols the input's kind needs. This keeps
// uploaded HLS playlists, concat scripts and similar "media" files from making
// ffmpeg read local files or internal URLs into an output.
package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Sentinel errors that classify why an input could not be used. Errors
// returned by Runner methods wrap at most one of them; test with errors.Is.
var (
	// ErrInvalidMedia means the input was read but is not a media file
	// ffmpeg can demux: random bytes, text, an empty file, a truncated MP4
	// without its index, or a container outside the allowed list.
	ErrInvalidMedia = errors.New("input is not a readable media file")
	// ErrNoVideo means the input is valid media but has no video stream
	// (cover art does not count).
	ErrNoVideo = errors.New("input has no video stream")
	// ErrInputUnreachable means the input could not be fetched at all: a
	// missing local file, an HTTP error status (e.g. an expired presigned
	// URL), a DNS failure or a refused connection.
	ErrInputUnreachable = errors.New("input could not be read")
)

const (
	// stderrTailSize bounds how much of ffmpeg's stderr is kept: enough for
	// the last few error lines, small enough to put into an error value.
	stderrTailSize = 4 << 10
	// waitDelay bounds how long Wait keeps waiting for stdout/stderr to be
	// closed after the process exited or the context was cancelled, so a
	// stray descendant holding the pipes cannot hang a worker.
	waitDelay = 5 * time.Second
	// networkTimeout is passed as -rw_timeout for http(s) inputs so a stalled
	// object store fails the job instead of hanging it until the job deadline.
	networkTimeout = 30 * time.Second
)

// Runner runs ffmpeg and ffprobe. The zero value is ready to use and finds
// both binaries in PATH. A Runner is safe for concurrent use.
type Runner struct {
	// FFmpegPath is the ffmpeg binary; empty means "ffmpeg" from PATH.
	FFmpegPath string
	// FFprobePath is the ffprobe binary; empty means "ffprobe" from PATH.
	FFprobePath string
	// Logger receives debug records for every process start and exit, with
	// URLs redacted. Nil disables logging.
	Logger *slog.Logger
}

func (r *Runner) ffmpeg() string {
	if r.FFmpegPath != "" {
		return r.FFmpegPath
	}
	return "ffmpeg"
}

func (r *Runner) ffprobe() string {
	if r.FFprobePath != "" {
		return r.FFprobePath
	}
	return "ffprobe"
}

func (r *Runner) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// ExitError reports that ffmpeg or ffprobe ran but exited unsuccessfully.
type ExitError struct {
	// Args is the command line, program first, with URLs redacted.
	Args []string
	// ExitCode is the process exit status, or -1 if it was killed by a signal.
	ExitCode int
	// StderrTail holds the last few KiB of stderr, with URLs redacted.
	StderrTail string
}

// Error returns the program name, exit code and the stderr tail, because the
// tail is usually the only explanation of what went wrong.
func (e *ExitError) Error() string {
	prog := "ffmpeg"
	if len(e.Args) > 0 {
		prog = filepath.Base(e.Args[0])
	}
	tail := strings.TrimSpace(e.StderrTail)
	if tail == "" {
		return fmt.Sprintf("%s exited with code %d (no error output)", prog, e.ExitCode)
	}
	return fmt.Sprintf("%s exited with code %d: %s", prog, e.ExitCode, tail)
}

// InputError is returned when the input itself is the problem. Its message
// is short and meant for humans (it may be shown to the user who uploaded
// the file); the ffmpeg details stay available through errors.As on Err.
type InputError struct {
	// Kind is ErrInvalidMedia, ErrNoVideo or ErrInputUnreachable.
	Kind error
	// Input is the offending input with its query string redacted.
	Input string
	// Reason is a short human explanation, e.g. "moov atom not found".
	Reason string
	// Err is the underlying failure, typically an *ExitError; may be nil.
	Err error
}

// Error returns the kind followed by the reason, e.g.
// "input is not a readable media file: the file is empty".
func (e *InputError) Error() string {
	if e.Reason == "" {
		return e.Kind.Error()
	}
	return e.Kind.Error() + ": " + e.Reason
}

// Unwrap exposes both the classification and the underlying failure so that
// errors.Is(err, ErrInvalidMedia) and errors.As(err, &exitErr) both work.
func (e *InputError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// run executes prog with args, sending stdout to stdout (may be nil) and
// keeping the stderr tail for errors.
func (r *Runner) run(ctx context.Context, prog string, args []string, stdout io.Writer) error {
	cmd := exec.CommandContext(ctx, prog, args...)
	// A process group of its own lets Cancel kill ffmpeg together with
	// anything it spawned, and keeps a terminal's Ctrl-C aimed at the worker
	// from reaching ffmpeg behind the worker's back.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		// SIGKILL rather than SIGTERM: on SIGTERM ffmpeg flushes encoders
		// and writes trailers, which can take seconds, and the output of a
		// cancelled job is thrown away anyway.
		err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if errors.Is(err, syscall.ESRCH) {
			return os.ErrProcessDone
		}
		return err
	}
	cmd.WaitDelay = waitDelay
	// SVT-AV1 prints a multi-line banner straight to stderr regardless of
	// -loglevel; keep it out of the stderr tail so errors stay readable.
	cmd.Env = append(os.Environ(), "SVT_LOG=1")
	tail := &tailBuffer{max: stderrTailSize}
	cmd.Stderr = tail
	cmd.Stdout = stdout

	log := r.logger()
	redacted := redactArgs(append([]string{prog}, args...))
	log.DebugContext(ctx, "ffmpeg: starting process", "args", redacted)
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if err == nil {
		log.DebugContext(ctx, "ffmpeg: process finished", "prog", prog, "elapsed", elapsed)
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		log.DebugContext(ctx, "ffmpeg: process killed by context", "prog", prog, "elapsed", elapsed, "cause", context.Cause(ctx))
		if cause := context.Cause(ctx); cause != nil && cause != ctxErr {
			return fmt.Errorf("%s stopped: %w (%w)", filepath.Base(prog), ctxErr, cause)
		}
		return fmt.Errorf("%s stopped: %w", filepath.Base(prog), ctxErr)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		exitErr := &ExitError{Args: redacted, ExitCode: ee.ExitCode(), StderrTail: redactText(tail.String())}
		log.DebugContext(ctx, "ffmpeg: process failed", "prog", prog, "elapsed", elapsed, "exit_code", exitErr.ExitCode)
		return exitErr
	}
	// Start failures (binary missing, not executable) keep exec's error so
	// errors.Is(err, exec.ErrNotFound) works.
	return fmt.Errorf("run %s: %w", prog, err)
}

// tailBuffer is an io.Writer that keeps only the last max bytes written.
type tailBuffer struct {
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

// String returns the kept bytes, starting at a line boundary when the
// buffer overflowed so the tail never begins mid-line or mid-rune.
func (b *tailBuffer) String() string {
	s := string(b.buf)
	if len(b.buf) >= b.max {
		if i := strings.IndexByte(s, '\n'); i >= 0 && i < len(s)-1 {
			s = s[i+1:]
		}
	}
	return strings.ToValidUTF8(s, "")
}
