// Package lifecycle is the job state machine: which statuses exist, which
// transitions are allowed, and how far along (0-100) a job is. It is pure Go
// so every rule is table-tested without a database.
package lifecycle

import "fmt"

// Status is a job status; the strings are the public wire values.
type Status string

// Job statuses, in the order a job normally passes through them.
const (
	Pending              Status = "pending"
	Probing              Status = "probing"
	AwaitingConfirmation Status = "awaiting_confirmation"
	Processing           Status = "processing"
	Completed            Status = "completed"
	Partial              Status = "partial"
	Failed               Status = "failed"
	Canceled             Status = "canceled"
)

// Terminal reports whether s never changes again.
func (s Status) Terminal() bool {
	switch s {
	case Completed, Partial, Failed, Canceled:
		return true
	}
	return false
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	_, ok := next[s]
	return ok || s.Terminal()
}

// next lists the forward transitions; any non-terminal status may also move
// to canceled or failed.
var next = map[Status][]Status{
	Pending:              {Probing},
	Probing:              {AwaitingConfirmation, Processing},
	AwaitingConfirmation: {Processing},
	Processing:           {Completed, Partial},
}

// ErrTransition is returned for a transition the state machine forbids.
type ErrTransition struct{ From, To Status }

func (e *ErrTransition) Error() string {
	return fmt.Sprintf("job cannot move from %s to %s", e.From, e.To)
}

// CanTransition reports whether a job may move from one status to another.
func CanTransition(from, to Status) bool {
	if from.Terminal() {
		return false
	}
	if to == Canceled || to == Failed {
		return true
	}
	for _, s := range next[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Transition returns an *ErrTransition when from -> to is not allowed.
func Transition(from, to Status) error {
	if !CanTransition(from, to) {
		return &ErrTransition{From: from, To: to}
	}
	return nil
}

// Progress weights: probing is quick, encoding is nearly all of the work,
// and the last few percent are packaging and upload.
const (
	progressProbed     = 5
	progressEncodeFrom = 10
	progressEncodeTo   = 95
)

// Progress computes the job's 0-100 figure from its status and the fraction
// (0-1) of encode work done. It never reports 100 before completion.
func Progress(s Status, encodeFraction float64) int {
	switch s {
	case Pending:
		return 0
	case Probing:
		return 1
	case AwaitingConfirmation:
		return progressProbed
	case Processing:
		f := min(max(encodeFraction, 0), 1)
		return progressEncodeFrom + int(f*float64(progressEncodeTo-progressEncodeFrom))
	case Completed, Partial:
		return 100
	}
	return -1 // failed and canceled keep the last figure
}

// Outcome decides the terminal status of a job whose outputs have all ended:
// every output completed -> completed; some completed -> partial; none ->
// failed.
func Outcome(completed, failed int) Status {
	switch {
	case failed == 0:
		return Completed
	case completed > 0:
		return Partial
	default:
		return Failed
	}
}
