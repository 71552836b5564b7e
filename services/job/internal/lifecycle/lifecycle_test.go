package lifecycle

import "testing"

func TestTransition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from, to Status
		ok       bool
	}{
		{Pending, Probing, true},
		{Probing, Processing, true},
		{Probing, AwaitingConfirmation, true},
		{AwaitingConfirmation, Processing, true},
		{Processing, Completed, true},
		{Processing, Partial, true},
		{Pending, Canceled, true},
		{Processing, Failed, true},
		{Pending, Processing, false},
		{Pending, Completed, false},
		{AwaitingConfirmation, Completed, false},
		{Completed, Canceled, false},
		{Failed, Processing, false},
		{Canceled, Canceled, false},
		{Partial, Completed, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+"->"+string(tt.to), func(t *testing.T) {
			t.Parallel()
			if got := CanTransition(tt.from, tt.to); got != tt.ok {
				t.Fatalf("CanTransition(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.ok)
			}
			if err := Transition(tt.from, tt.to); (err == nil) != tt.ok {
				t.Fatalf("Transition(%s, %s) = %v", tt.from, tt.to, err)
			}
		})
	}
}

func TestProgress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    Status
		f    float64
		want int
	}{
		{Pending, 0, 0},
		{Probing, 0, 1},
		{AwaitingConfirmation, 0, 5},
		{Processing, 0, 10},
		{Processing, 0.5, 52},
		{Processing, 1, 95},
		{Processing, 7, 95},
		{Processing, -1, 10},
		{Completed, 0, 100},
		{Failed, 0.3, -1},
	}
	for _, tt := range tests {
		if got := Progress(tt.s, tt.f); got != tt.want {
			t.Errorf("Progress(%s, %v) = %d, want %d", tt.s, tt.f, got, tt.want)
		}
	}
}

func TestOutcome(t *testing.T) {
	t.Parallel()
	if Outcome(3, 0) != Completed || Outcome(2, 1) != Partial || Outcome(0, 2) != Failed {
		t.Fatal("Outcome mapping wrong")
	}
	for _, s := range []Status{Completed, Partial, Failed, Canceled} {
		if !s.Terminal() || !s.Valid() {
			t.Errorf("%s should be terminal and valid", s)
		}
	}
	if Status("bogus").Valid() {
		t.Error("bogus status valid")
	}
}
