package ffmpeg

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// Progress is one report of a running encode, parsed from ffmpeg's
// -progress output (about twice a second, plus a final one).
type Progress struct {
	// OutTime is how much output media has been written so far. Divide by
	// the expected duration for a percentage.
	OutTime time.Duration
	// Frame is the number of video frames written (first video output).
	Frame int64
	// FPS is the current encoding rate in frames per second.
	FPS float64
	// Speed is the encoding speed relative to real time (2 = twice as fast).
	Speed float64
	// TotalSize is the number of bytes written to the first output so far.
	TotalSize int64
	// Done is set on ffmpeg's final report. It means ffmpeg stopped writing,
	// not that it succeeded: Transcode's error says that.
	Done bool
}

// progressWriter is ffmpeg's stdout. It turns the key=value blocks that
// -progress writes into Progress values; each block ends with a
// "progress=continue" or "progress=end" line.
type progressWriter struct {
	fn      func(Progress)
	cur     Progress
	partial []byte
}

func (w *progressWriter) Write(p []byte) (int, error) {
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		w.line(string(w.partial[:i]))
		w.partial = w.partial[i+1:]
	}
	// Move the unfinished line to the front so the buffer does not grow
	// with the length of the encode.
	w.partial = append([]byte(nil), w.partial...)
	return len(p), nil
}

func (w *progressWriter) line(line string) {
	key, val, ok := strings.Cut(strings.TrimSpace(line), "=")
	if !ok {
		return
	}
	val = strings.TrimSpace(val)
	switch key {
	case "frame":
		if n, err := strconv.ParseInt(val, 10, 64); err == nil {
			w.cur.Frame = n
		}
	case "fps":
		if f, err := strconv.ParseFloat(val, 64); err == nil {
			w.cur.FPS = f
		}
	case "total_size":
		if n, err := strconv.ParseInt(val, 10, 64); err == nil {
			w.cur.TotalSize = n
		}
	case "out_time_us":
		// N/A and negative values show up before the first packet is muxed.
		if us, err := strconv.ParseInt(val, 10, 64); err == nil && us >= 0 {
			w.cur.OutTime = time.Duration(us) * time.Microsecond
		}
	case "speed":
		if f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(val, "x")), 64); err == nil {
			w.cur.Speed = f
		}
	case "progress":
		w.cur.Done = val == "end"
		if w.fn != nil {
			w.fn(w.cur)
		}
	}
}
