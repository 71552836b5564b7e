// Package catalog is the list of event types an endpoint can subscribe to
// and the rule deciding which endpoints receive an event. It is pure Go.
package catalog

import "slices"

// All is "every event type", as a subscription.
const All = "*"

// Test is the type of test pings; no job produces it.
const Test = "webhook.test"

// Types are the event types, in the spec's order.
var Types = []string{
	"job.created", "job.probed", "job.awaiting_confirmation", "job.processing", "job.progress",
	"job.completed", "job.partial", "job.failed", "job.canceled",
	"output.completed", "output.failed", Test,
}

// Default is what an endpoint created without a list receives: the two
// events most integrations need.
var Default = []string{"job.completed", "job.failed"}

// Known reports whether s is a type or "*".
func Known(s string) bool { return s == All || slices.Contains(Types, s) }

// Matches reports whether an endpoint subscribed to subscribed receives
// events of type eventType.
func Matches(subscribed []string, eventType string) bool {
	return slices.Contains(subscribed, All) || slices.Contains(subscribed, eventType)
}

// Normalize returns the subscription to store: the default for an empty
// list, just "*" when "*" is listed, otherwise the list sorted in catalog
// order without duplicates.
func Normalize(events []string) []string {
	if len(events) == 0 {
		return slices.Clone(Default)
	}
	if slices.Contains(events, All) {
		return []string{All}
	}
	out := []string{}
	for _, t := range Types {
		if slices.Contains(events, t) {
			out = append(out, t)
		}
	}
	return out
}
