package lifecycle

import "slices"

// Event types of the public catalog that the job lifecycle produces.
const (
	EventCreated              = "job.created"
	EventProbed               = "job.probed"
	EventAwaitingConfirmation = "job.awaiting_confirmation"
	EventProcessing           = "job.processing"
	EventProgress             = "job.progress"
	EventCompleted            = "job.completed"
	EventPartial              = "job.partial"
	EventFailed               = "job.failed"
	EventCanceled             = "job.canceled"
	EventOutputCompleted      = "output.completed"
	EventOutputFailed         = "output.failed"
)

// ProgressMilestones are the percentages whose crossing is a job.progress
// event: few enough that a long encode sends a handful of events, not one
// per heartbeat.
var ProgressMilestones = []int{5, 10, 25, 50, 75, 90}

// OutputState is one output's status at a moment.
type OutputState struct {
	ID     string
	Status string
}

// Snapshot is what a job looked like at one moment, as far as events are
// concerned. The zero value is a job that does not exist yet.
type Snapshot struct {
	Exists   bool
	Status   Status
	Progress int
	// Probed is whether the probe result has been recorded.
	Probed bool
	// Outputs in position order.
	Outputs []OutputState
}

// Event is one event a change produces. OutputID is set on output.*
// events.
type Event struct {
	Type     string
	OutputID string
}

// statusEvents maps a status a job moves into to the event announcing it.
// Pending and probing have none: job.created and job.probed cover them.
var statusEvents = map[Status]string{
	AwaitingConfirmation: EventAwaitingConfirmation,
	Processing:           EventProcessing,
	Completed:            EventCompleted,
	Partial:              EventPartial,
	Failed:               EventFailed,
	Canceled:             EventCanceled,
}

// Events lists, in the order a receiver should see them, the events a
// change from before to after produces. One transaction may move a job
// through several steps (a probe whose every output fails to plan ends the
// job at once); the events then describe the net change: the probe, the
// outputs that ended, and the terminal status, with the job as it is
// after the change.
//
// A job.progress event is emitted once per change that crosses one or more
// milestones while the job is still running (the terminal event says the
// rest); the job's progress field carries the exact figure.
func Events(before, after Snapshot) []Event {
	if !after.Exists {
		return nil
	}
	var out []Event
	if !before.Exists {
		out = append(out, Event{Type: EventCreated})
	}
	if !before.Probed && after.Probed {
		out = append(out, Event{Type: EventProbed})
	}
	statusChanged := before.Exists && before.Status != after.Status
	if statusChanged && !after.Status.Terminal() {
		if t, ok := statusEvents[after.Status]; ok {
			out = append(out, Event{Type: t})
		}
	}
	if !after.Status.Terminal() && slices.ContainsFunc(ProgressMilestones, func(m int) bool {
		return before.Progress < m && after.Progress >= m
	}) {
		out = append(out, Event{Type: EventProgress})
	}
	was := make(map[string]string, len(before.Outputs))
	for _, o := range before.Outputs {
		was[o.ID] = o.Status
	}
	for _, o := range after.Outputs {
		if was[o.ID] == o.Status {
			continue
		}
		switch o.Status {
		case "completed":
			out = append(out, Event{Type: EventOutputCompleted, OutputID: o.ID})
		case "failed":
			out = append(out, Event{Type: EventOutputFailed, OutputID: o.ID})
		}
	}
	if statusChanged && after.Status.Terminal() {
		out = append(out, Event{Type: statusEvents[after.Status]})
	}
	return out
}
