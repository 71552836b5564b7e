// Package relay moves events from the job service's outbox (job.outbox) to
// the webhook service, which owns delivery.
//
// The guarantees come from the database, not from this process: events are
// written in the transaction of the change that caused them, and a row is
// deleted only in a transaction that commits after the webhook service has
// answered Publish (which it does only once the events are stored). If this
// process dies at any point the rows are still there and are sent again;
// the webhook service skips event ids it already has. Delivery to the
// webhook service is therefore at-least-once and never lossy.
//
// One relay runs at a time across all job replicas (a transaction-scoped
// advisory lock), so events leave in the order they were written. Latency
// is kept low by LISTEN on the outbox channel, with a short poll as a
// fallback for notifications lost while reconnecting.
package relay

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	"github.com/transcodely/transcodely/services/job/internal/store"
	"github.com/transcodely/transcodely/services/job/internal/store/dbgen"
)

// lockKey is the advisory lock that makes one relay active at a time
// ("joboutbx" as an int64, unlikely to collide with migration locks).
const lockKey int64 = 0x6a6f626f75746278

// Defaults of the zero Relay.
const (
	defaultPoll    = time.Second
	defaultBatch   = 100
	defaultTimeout = 10 * time.Second
)

// Relay pushes outbox rows to the webhook service.
type Relay struct {
	Store  *store.Store
	Events internalv1connect.EventServiceClient
	Logger *slog.Logger
	// Poll is how often the outbox is read without a notification.
	Poll time.Duration
	// Batch is how many events one Publish carries at most.
	Batch int32
	// Timeout bounds one Publish call; the outbox transaction stays open
	// that long at most.
	Timeout time.Duration
}

// Run relays until ctx ends. Errors (the webhook service down, the
// database unreachable) are logged and retried with backoff; nothing is
// dropped.
func (r *Relay) Run(ctx context.Context) {
	poll, batch := r.Poll, r.Batch
	if poll <= 0 {
		poll = defaultPoll
	}
	if batch <= 0 {
		batch = defaultBatch
	}
	wake := make(chan struct{}, 1)
	go r.listen(ctx, wake)
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		n, err := r.flush(ctx, batch)
		switch {
		case err != nil && ctx.Err() == nil:
			backoff = min(max(2*backoff, 100*time.Millisecond), 5*time.Second)
			r.Logger.Warn("relaying events to the webhook service failed; will retry", "error", err, "retry_in", backoff)
			sleep(ctx, backoff)
			continue
		case n == int(batch):
			backoff = 0
			continue // more may be waiting
		}
		backoff = 0
		select {
		case <-ctx.Done():
		case <-wake:
		case <-time.After(poll):
		}
	}
}

// Flush sends everything waiting in the outbox once, for tests and
// shutdown paths; it returns how many events were handed over.
func (r *Relay) Flush(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := r.flush(ctx, defaultBatch)
		total += n
		if err != nil || n < defaultBatch {
			return total, err
		}
	}
}

// flush publishes one batch inside a transaction that holds the relay lock
// and deletes the rows only after Publish succeeded.
func (r *Relay) flush(ctx context.Context, batch int32) (int, error) {
	sent := 0
	err := r.Store.InTx(ctx, func(q *dbgen.Queries) error {
		locked, err := q.TryLockOutbox(ctx, lockKey)
		if err != nil || !locked {
			return err // another replica is relaying
		}
		rows, err := q.ListOutbox(ctx, batch)
		if err != nil || len(rows) == 0 {
			return err
		}
		req := &internalv1.PublishRequest{Events: make([]*internalv1.Event, 0, len(rows))}
		seqs := make([]int64, 0, len(rows))
		for _, row := range rows {
			ev := &internalv1.Event{}
			if err := proto.Unmarshal(row.Payload, ev); err != nil {
				// Written by this service; unreadable means a bug, and
				// skipping would lose the event, so stop here loudly.
				return fmt.Errorf("outbox row %d (%s): %w", row.Seq, row.EventID, err)
			}
			req.Events = append(req.Events, ev)
			seqs = append(seqs, row.Seq)
		}
		timeout := r.Timeout
		if timeout <= 0 {
			timeout = defaultTimeout
		}
		pctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		if _, err := r.Events.Publish(pctx, connect.NewRequest(req)); err != nil {
			return fmt.Errorf("publish %d events: %w", len(rows), err)
		}
		sent = len(rows)
		return q.DeleteOutbox(ctx, seqs)
	})
	if err != nil {
		return 0, err
	}
	return sent, nil
}

// listen signals wake on every outbox notification until ctx ends,
// reconnecting after errors.
func (r *Relay) listen(ctx context.Context, wake chan<- struct{}) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := r.listenOnce(ctx, wake)
		if ctx.Err() != nil {
			return
		}
		r.Logger.Warn("outbox notification listener stopped; reconnecting", "error", err)
		sleep(ctx, backoff)
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (r *Relay) listenOnce(ctx context.Context, wake chan<- struct{}) error {
	conn, err := r.Store.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The connection is in LISTEN mode; it must not go back to the pool.
	c := conn.Hijack()
	defer c.Close(context.WithoutCancel(ctx))
	if _, err := c.Exec(ctx, "LISTEN "+store.OutboxChannel); err != nil {
		return err
	}
	signal(wake) // rows may have arrived while not listening
	for {
		if _, err := c.WaitForNotification(ctx); err != nil {
			return err
		}
		signal(wake)
	}
}

func signal(wake chan<- struct{}) {
	select {
	case wake <- struct{}{}:
	default: // a wake-up is already pending
	}
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
