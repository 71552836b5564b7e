package ffmpeg

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// allowedDemuxers is passed as -format_whitelist for inputs whose format is
// not forced. It lists ordinary audio/video containers and elementary
// streams. Deliberately missing: hls, dash, concat, ffconcat-like scripts,
// image2 sequences, tty (text "art") and anything else that either reads
// further URLs/files named inside the input or turns non-media into "video".
var allowedDemuxers = []string{
	// Containers.
	"mov", "matroska", "avi", "flv", "live_flv", "mpegts", "mpeg", "mpegvideo",
	"mxf", "asf", "ogg", "nut", "dv", "gxf", "wtv", "rm", "ivf", "obu",
	"yuv4mpegpipe", "gif", "apng", "swf", "smjpeg", "r3d", "lxf", "xmv",
	// Video elementary streams.
	"h264", "hevc", "m4v", "vc1", "av1", "mjpeg", "h261", "h263", "cavsvideo", "dirac",
	// Audio containers and elementary streams (audio-only inputs must be
	// readable so they can be reported as ErrNoVideo, not as garbage).
	"wav", "w64", "aiff", "caf", "mp3", "aac", "flac", "ac3", "eac3", "dts",
	"truehd", "mlp", "amr", "amrnb", "amrwb", "au", "wv", "ape", "tak", "mpc",
	"mpc8", "opus", "loas", "latm",
}

var demuxerWhitelist = strings.Join(allowedDemuxers, ",")

// inputKind tells how an input string will be opened by ffmpeg.
type inputKind int

const (
	inputLocal  inputKind = iota // a path in the local file system
	inputRemote                  // http(s) URL
	inputOther                   // any other URL scheme; left to ffmpeg
)

func kindOf(input string) inputKind {
	lower := strings.ToLower(input)
	switch {
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		return inputRemote
	case strings.Contains(input, "://"):
		return inputOther
	default:
		return inputLocal
	}
}

// ffmpegPath turns a local path into something ffmpeg cannot mistake for an
// option ("-x.mp4") or a protocol ("a:b.mp4").
func ffmpegPath(p string) string {
	if strings.HasPrefix(p, "-") || (kindOf(p) == inputLocal && strings.Contains(p, ":")) {
		return "file:" + p
	}
	return p
}

// inputArgs returns the demuxer/protocol restrictions and network options
// for an untrusted input, followed by "-i input". Seek options go before
// this and are added by the caller.
func inputArgs(input, forcedFormat string) []string {
	if forcedFormat != "" {
		// The caller built the input itself (e.g. a lavfi graph in tests);
		// restrictions would only get in the way.
		return []string{"-f", forcedFormat, "-i", input}
	}
	args := []string{"-format_whitelist", demuxerWhitelist}
	switch kindOf(input) {
	case inputLocal:
		args = append(args, "-protocol_whitelist", "file")
		input = ffmpegPath(input)
	case inputRemote:
		args = append(args,
			"-protocol_whitelist", "http,https,tcp,tls",
			"-rw_timeout", strconv.FormatInt(networkTimeout.Microseconds(), 10))
	}
	return append(args, "-i", input)
}

// precheckLocal fails fast, with a clearer message than ffmpeg's, for the
// two most common local problems: a missing file and an empty file.
func precheckLocal(input string) error {
	if kindOf(input) != inputLocal {
		return nil
	}
	st, err := os.Stat(input)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &InputError{Kind: ErrInputUnreachable, Input: input, Reason: "file does not exist", Err: err}
	case err != nil:
		return &InputError{Kind: ErrInputUnreachable, Input: input, Reason: err.Error(), Err: err}
	case st.IsDir():
		return &InputError{Kind: ErrInvalidMedia, Input: input, Reason: "input is a directory"}
	case st.Size() == 0:
		return &InputError{Kind: ErrInvalidMedia, Input: input, Reason: "the file is empty"}
	}
	return nil
}

var (
	httpStatusRe   = regexp.MustCompile(`Server returned ([0-9]{3}[^\r\n]*)`)
	notWhitelistRe = regexp.MustCompile(`\[([^\s@\]]+) @ 0x[0-9a-fA-F]+\] Format not on whitelist`)
)

// unreachableHints are stderr fragments that mean the bytes never arrived.
var unreachableHints = []struct{ needle, reason string }{
	{"Failed to resolve hostname", "host name could not be resolved"},
	{"Connection refused", "connection refused"},
	{"Connection timed out", "connection timed out"},
	{"No route to host", "no route to host"},
	{"Network is unreachable", "network is unreachable"},
	{"Connection reset by peer", "connection reset by peer"},
	{"Error in the pull function", "TLS error"},
}

// classifyInputError maps a failed ffmpeg/ffprobe run to an *InputError
// when its stderr shows that the input (rather than the encoder, the output
// or the machine) is at fault. Otherwise err is returned unchanged.
func classifyInputError(input string, err error) error {
	var exitErr *ExitError
	if !errors.As(err, &exitErr) {
		return err
	}
	stderr := exitErr.StderrTail
	redacted := RedactURL(input)
	unreachable := func(reason string) error {
		return &InputError{Kind: ErrInputUnreachable, Input: redacted, Reason: reason, Err: err}
	}
	invalid := func(reason string) error {
		return &InputError{Kind: ErrInvalidMedia, Input: redacted, Reason: reason, Err: err}
	}

	if m := httpStatusRe.FindStringSubmatch(stderr); m != nil {
		return unreachable("server returned " + strings.TrimSpace(m[1]))
	}
	for _, h := range unreachableHints {
		if strings.Contains(stderr, h.needle) {
			return unreachable(h.reason)
		}
	}
	// ffmpeg prefixes open errors with the input as given on the command line
	// (redacted in the tail), which tells an input error from an output one.
	inputPrefix := redactText(ffmpegPath(input)) + ": "
	if strings.Contains(stderr, inputPrefix+"No such file or directory") {
		return unreachable("file does not exist")
	}
	if strings.Contains(stderr, inputPrefix+"Permission denied") {
		return unreachable("permission denied")
	}
	if m := notWhitelistRe.FindStringSubmatch(stderr); m != nil {
		return invalid(fmt.Sprintf("unsupported container format %q", m[1]))
	}
	switch {
	case strings.Contains(stderr, "moov atom not found"):
		return invalid("the MP4/MOV index (moov atom) is missing; the file is probably truncated or still uploading")
	case strings.Contains(stderr, "EBML header parsing failed"):
		return invalid("the Matroska/WebM header is damaged")
	// "when processing input" names the input whatever its (redacted)
	// prefix looks like: URL redaction may swallow the ": " separator.
	case strings.Contains(stderr, "Invalid data found when processing input"),
		strings.Contains(stderr, inputPrefix+"End of file"):
		return invalid("unrecognized or corrupt data")
	}
	return err
}
