package engine

import (
	"context"
	"time"
)

// SweepScratch deletes the scratch files of ended jobs until ctx ends: at
// once when wake receives (a job just ended), and every interval otherwise,
// so scratch left by a crash or a failed delete is removed later.
//
// A job stays on the list for two lease durations after it ended and is
// swept again meanwhile: an encoder that was cut off by a cancel may still
// finish an upload within its lease, and that file must not outlive the
// job either.
func (e *Engine) SweepScratch(ctx context.Context, interval time.Duration, wake <-chan struct{}) {
	if e.Scratch == nil {
		return
	}
	for {
		e.sweepOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		case <-wake:
		}
	}
}

func (e *Engine) sweepOnce(ctx context.Context) {
	rows, err := e.Store.ScratchToSweep(ctx)
	if err != nil {
		if ctx.Err() == nil {
			e.Logger.WarnContext(ctx, "listing scratch to sweep", "error", err)
		}
		return
	}
	for _, r := range rows {
		if err := e.Scratch.DeletePrefix(ctx, r.ID+"/"); err != nil {
			e.Logger.WarnContext(ctx, "deleting scratch", "job", r.ID, "error", err)
			continue
		}
		if r.CompletedAt.Valid && time.Since(r.CompletedAt.Time) > 2*e.LeaseDuration {
			if err := e.Store.ClearScratchPending(ctx, r.ID); err != nil {
				e.Logger.WarnContext(ctx, "clearing scratch mark", "job", r.ID, "error", err)
			}
		}
	}
}
