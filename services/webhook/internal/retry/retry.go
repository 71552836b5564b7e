// Package retry is the webhook delivery schedule: how long to wait after a
// failed attempt, and when to give up. It is pure Go so the schedule is
// table-tested without a clock or a database.
//
// With the defaults (base 1 min, doubling, capped at 14 h, 15 attempts)
// the waits after attempts 1..14 are 1m, 2m, 4m, 8m, 16m, 32m, 1h04m,
// 2h08m, 4h16m, 8h32m, 14h, 14h, 14h, 14h: about 73 hours from the first
// attempt to the last, each wait spread by ±20 % jitter so that receivers
// recovering from an outage are not hit by every retry at once.
package retry

import (
	"math"
	"time"
)

// Defaults of the production schedule.
const (
	DefaultBase        = time.Minute
	DefaultMaxDelay    = 14 * time.Hour
	DefaultMaxAttempts = 15
	// Jitter is the fraction by which a wait is spread either way.
	Jitter = 0.2
)

// Schedule says when to retry a failed delivery.
type Schedule struct {
	// Base is the wait after the first failed attempt; each later wait
	// doubles, up to MaxDelay. Tests use milliseconds.
	Base     time.Duration
	MaxDelay time.Duration
	// MaxAttempts counts every attempt, the first one included.
	MaxAttempts int
}

// Default is the production schedule.
func Default() Schedule {
	return Schedule{Base: DefaultBase, MaxDelay: DefaultMaxDelay, MaxAttempts: DefaultMaxAttempts}
}

// Delay is the wait after attempt number attempt (1-based) failed, before
// jitter: Base·2^(attempt-1), at most MaxDelay.
func (s Schedule) Delay(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := float64(s.Base) * math.Pow(2, float64(attempt-1))
	if s.MaxDelay > 0 && d > float64(s.MaxDelay) {
		return s.MaxDelay
	}
	return time.Duration(d)
}

// Next is when to try again after attempt number attempt failed at now;
// ok is false when that was the last attempt allowed. u is a uniform
// random number in [0, 1) that spreads the wait by ±Jitter.
func (s Schedule) Next(attempt int, now time.Time, u float64) (at time.Time, ok bool) {
	if attempt >= s.MaxAttempts {
		return time.Time{}, false
	}
	spread := 1 - Jitter + 2*Jitter*u
	return now.Add(time.Duration(float64(s.Delay(attempt)) * spread)), true
}

// Total is the time from the first attempt to the last without jitter,
// for documentation and configuration checks.
func (s Schedule) Total() time.Duration {
	var t time.Duration
	for a := 1; a < s.MaxAttempts; a++ {
		t += s.Delay(a)
	}
	return t
}
