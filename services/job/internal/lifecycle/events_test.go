package lifecycle

import (
	"reflect"
	"testing"
)

func TestEvents(t *testing.T) {
	t.Parallel()
	outs := func(statuses ...string) []OutputState {
		var o []OutputState
		for i, s := range statuses {
			o = append(o, OutputState{ID: string(rune('a' + i)), Status: s})
		}
		return o
	}
	ev := func(types ...string) []Event {
		var e []Event
		for _, t := range types {
			e = append(e, Event{Type: t})
		}
		return e
	}
	created := Snapshot{Exists: true, Status: Pending, Outputs: outs("pending")}
	probing := Snapshot{Exists: true, Status: Probing, Progress: 1, Outputs: outs("pending", "pending")}
	running := Snapshot{Exists: true, Status: Processing, Progress: 10, Probed: true, Outputs: outs("processing", "processing")}
	tests := []struct {
		name          string
		before, after Snapshot
		want          []Event
	}{
		{"create", Snapshot{}, created, ev(EventCreated)},
		{"lease of the probe (no catalog event)", created, Snapshot{Exists: true, Status: Probing, Progress: 1, Outputs: outs("pending")}, nil},
		{"probe done, processing", probing, running, ev(EventProbed, EventProcessing, EventProgress)},
		{"probe done, delayed start", probing, Snapshot{Exists: true, Status: AwaitingConfirmation, Progress: 5, Probed: true, Outputs: probing.Outputs},
			ev(EventProbed, EventAwaitingConfirmation, EventProgress)},
		{"confirm", Snapshot{Exists: true, Status: AwaitingConfirmation, Progress: 5, Probed: true}, Snapshot{Exists: true, Status: Processing, Progress: 10, Probed: true},
			ev(EventProcessing, EventProgress)},
		{"progress below a milestone", running, Snapshot{Exists: true, Status: Processing, Progress: 24, Probed: true, Outputs: running.Outputs}, nil},
		{"progress crossing two milestones is one event", running, Snapshot{Exists: true, Status: Processing, Progress: 52, Probed: true, Outputs: running.Outputs}, ev(EventProgress)},
		{"progress landing on a milestone", Snapshot{Exists: true, Status: Processing, Progress: 74, Probed: true}, Snapshot{Exists: true, Status: Processing, Progress: 75, Probed: true}, ev(EventProgress)},
		{"one output done", running, Snapshot{Exists: true, Status: Processing, Progress: 52, Probed: true, Outputs: outs("completed", "processing")},
			[]Event{{Type: EventProgress}, {Type: EventOutputCompleted, OutputID: "a"}}},
		{"last output done", Snapshot{Exists: true, Status: Processing, Progress: 52, Probed: true, Outputs: outs("completed", "processing")},
			Snapshot{Exists: true, Status: Completed, Progress: 100, Probed: true, Outputs: outs("completed", "completed")},
			[]Event{{Type: EventOutputCompleted, OutputID: "b"}, {Type: EventCompleted}}},
		{"partial", running, Snapshot{Exists: true, Status: Partial, Progress: 100, Probed: true, Outputs: outs("completed", "failed")},
			[]Event{{Type: EventOutputCompleted, OutputID: "a"}, {Type: EventOutputFailed, OutputID: "b"}, {Type: EventPartial}}},
		{"probe fails", probing, Snapshot{Exists: true, Status: Failed, Progress: 1, Outputs: outs("failed", "failed")},
			[]Event{{Type: EventOutputFailed, OutputID: "a"}, {Type: EventOutputFailed, OutputID: "b"}, {Type: EventFailed}}},
		{"every output fails to plan", probing, Snapshot{Exists: true, Status: Failed, Progress: 10, Probed: true, Outputs: outs("failed", "failed")},
			[]Event{{Type: EventProbed}, {Type: EventOutputFailed, OutputID: "a"}, {Type: EventOutputFailed, OutputID: "b"}, {Type: EventFailed}}},
		{"cancel (canceled outputs have no event)", running, Snapshot{Exists: true, Status: Canceled, Progress: 10, Probed: true, Outputs: outs("canceled", "canceled")}, ev(EventCanceled)},
		{"no change", running, running, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Events(tt.before, tt.after); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Events = %v, want %v", got, tt.want)
			}
		})
	}
}
