// Package watch fans Postgres notifications about changed jobs out to Watch
// streams. Every job replica listens on the same channel, so a watcher sees
// changes made by any replica.
package watch

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Hub holds one LISTEN connection per process and the subscribers of each job.
type Hub struct {
	Pool    *pgxpool.Pool
	Channel string
	Logger  *slog.Logger

	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{}
}

// Subscribe returns a channel that receives a signal whenever jobID may
// have changed (coalesced: one pending signal at most), and a function to
// stop.
func (h *Hub) Subscribe(jobID string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[string]map[chan struct{}]struct{}{}
	}
	if h.subs[jobID] == nil {
		h.subs[jobID] = map[chan struct{}]struct{}{}
	}
	h.subs[jobID][ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs[jobID], ch)
		if len(h.subs[jobID]) == 0 {
			delete(h.subs, jobID)
		}
		h.mu.Unlock()
	}
}

// signal wakes the subscribers of jobID, or of every job when jobID is "".
func (h *Hub) signal(jobID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, set := range h.subs {
		if jobID != "" && id != jobID {
			continue
		}
		for ch := range set {
			select {
			case ch <- struct{}{}:
			default: // a signal is already pending
			}
		}
	}
}

// Run listens until ctx ends, reconnecting after errors. After a reconnect
// every subscriber is woken, since notifications may have been missed.
func (h *Hub) Run(ctx context.Context) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := h.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		h.Logger.Warn("job notification listener stopped; reconnecting", "error", err)
		h.signal("")
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (h *Hub) listen(ctx context.Context) error {
	conn, err := h.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The connection is in LISTEN mode; it must not go back to the pool.
	c := conn.Hijack()
	defer c.Close(context.WithoutCancel(ctx))
	if _, err := c.Exec(ctx, "LISTEN "+h.Channel); err != nil {
		return err
	}
	h.signal("")
	for {
		n, err := c.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		h.signal(n.Payload)
	}
}
