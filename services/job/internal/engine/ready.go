package engine

import "sync"

// readySignal wakes every waiting Lease call at once when work may have
// been queued in this process (a probe planned segments, the last segment
// released the package tasks), so a task does not sit for a poll interval
// between two steps of a job. Leases on other replicas still find the work
// at their next poll.
type readySignal struct {
	mu sync.Mutex
	ch chan struct{}
}

// wait returns a channel that is closed at the next broadcast. Take it
// before looking for work, so a broadcast in between is not missed.
func (s *readySignal) wait() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch == nil {
		s.ch = make(chan struct{})
	}
	return s.ch
}

func (s *readySignal) broadcast() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch != nil {
		close(s.ch)
		s.ch = nil
	}
}

// WorkReady returns a channel closed when work may have been queued.
func (e *Engine) WorkReady() <-chan struct{} { return e.ready.wait() }

// Queued tells waiting Lease calls to look for work now.
func (e *Engine) Queued() { e.ready.broadcast() }
