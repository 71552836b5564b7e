package retry

import (
	"testing"
	"time"
)

func TestSchedule_Delay(t *testing.T) {
	t.Parallel()
	s := Default()
	want := []time.Duration{
		time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute,
		64 * time.Minute, 128 * time.Minute, 256 * time.Minute, 512 * time.Minute,
		14 * time.Hour, 14 * time.Hour, 14 * time.Hour, 14 * time.Hour,
	}
	for i, w := range want {
		if got := s.Delay(i + 1); got != w {
			t.Errorf("Delay(%d) = %v, want %v", i+1, got, w)
		}
	}
}

func TestSchedule_Total(t *testing.T) {
	t.Parallel()
	// "Up to 15 attempts over about 72 hours."
	if got := Default().Total(); got < 70*time.Hour || got > 75*time.Hour {
		t.Fatalf("Total = %v, want about 72 h", got)
	}
}

func TestSchedule_Next(t *testing.T) {
	t.Parallel()
	s := Schedule{Base: 10 * time.Millisecond, MaxDelay: time.Second, MaxAttempts: 4}
	now := time.Unix(1700000000, 0)
	tests := []struct {
		attempt int
		u       float64
		want    time.Duration
		ok      bool
	}{
		{1, 0.5, 10 * time.Millisecond, true},
		{1, 0, 8 * time.Millisecond, true},
		{1, 0.999999, 12 * time.Millisecond, true},
		{3, 0.5, 40 * time.Millisecond, true},
		{4, 0.5, 0, false},
		{9, 0.5, 0, false},
	}
	for _, tt := range tests {
		at, ok := s.Next(tt.attempt, now, tt.u)
		if ok != tt.ok {
			t.Fatalf("Next(%d) ok = %v, want %v", tt.attempt, ok, tt.ok)
		}
		if ok && (at.Sub(now)-tt.want).Abs() > 50*time.Microsecond {
			t.Errorf("Next(%d, u=%v) waits %v, want %v", tt.attempt, tt.u, at.Sub(now), tt.want)
		}
	}
}
