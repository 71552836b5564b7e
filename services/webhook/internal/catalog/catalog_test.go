package catalog

import (
	"slices"
	"testing"
)

func TestMatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		subscribed []string
		typ        string
		want       bool
	}{
		{[]string{"*"}, "job.progress", true},
		{Default, "job.completed", true},
		{Default, "job.created", false},
		{[]string{"output.failed"}, "output.failed", true},
		{nil, "job.completed", false},
	}
	for _, tt := range tests {
		if got := Matches(tt.subscribed, tt.typ); got != tt.want {
			t.Errorf("Matches(%v, %s) = %v", tt.subscribed, tt.typ, got)
		}
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want []string }{
		{nil, []string{"job.completed", "job.failed"}},
		{[]string{"job.failed", "*"}, []string{"*"}},
		{[]string{"output.failed", "job.created", "job.created"}, []string{"job.created", "output.failed"}},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Normalize(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if !Known("*") || !Known("webhook.test") || Known("job.started") {
		t.Error("Known is wrong")
	}
}
