package engine

import (
	"context"
	"errors"

	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/job/internal/lifecycle"
	"github.com/transcodely/transcodely/services/job/internal/store"
	"github.com/transcodely/transcodely/services/job/internal/store/dbgen"
)

// errLeaseLost marks a result reported under a lease another worker took.
var errLeaseLost = rpcerr.FailedPrecondition("the task's lease was lost to another worker")

// lockOwned locks a job of the caller's app and environment.
func lockOwned(ctx context.Context, q *dbgen.Queries, jobID, appID, env string) (dbgen.JobJob, error) {
	job, err := q.LockJob(ctx, jobID)
	if errors.Is(store.Translate(err), store.ErrNotFound) || (err == nil && (job.AppID != appID || job.Environment != env)) {
		return job, rpcerr.NotFound("job", jobID)
	}
	return job, err
}

// Cancel ends a job that has not ended: queued tasks are dropped at once,
// running ones stop at their next heartbeat.
func (e *Engine) Cancel(ctx context.Context, jobID, appID, env string) error {
	return e.Store.InTx(ctx, func(q *dbgen.Queries) error {
		job, err := lockOwned(ctx, q, jobID, appID, env)
		if err != nil {
			return err
		}
		if lifecycle.Status(job.Status).Terminal() {
			return rpcerr.FailedPrecondition("job " + jobID + " already ended as " + job.Status)
		}
		return e.tracked(ctx, q, job, func() error {
			if err := q.CancelTasks(ctx, job.ID); err != nil {
				return err
			}
			if err := q.CancelOutputs(ctx, job.ID); err != nil {
				return err
			}
			if err := q.CancelThumbnails(ctx, job.ID); err != nil {
				return err
			}
			return e.finish(ctx, q, job, lifecycle.Canceled, "", "")
		})
	})
}

// Confirm starts a job waiting in awaiting_confirmation.
func (e *Engine) Confirm(ctx context.Context, jobID, appID, env string) error {
	defer e.Queued() // the held tasks
	return e.Store.InTx(ctx, func(q *dbgen.Queries) error {
		job, err := lockOwned(ctx, q, jobID, appID, env)
		if err != nil {
			return err
		}
		if lifecycle.Status(job.Status) != lifecycle.AwaitingConfirmation {
			return rpcerr.FailedPrecondition("job " + jobID + " is " + job.Status + "; only awaiting_confirmation jobs can be confirmed")
		}
		return e.tracked(ctx, q, job, func() error {
			if err := q.SetJobStatus(ctx, dbgen.SetJobStatusParams{ID: job.ID, Status: string(lifecycle.Processing),
				Progress: int32(lifecycle.Progress(lifecycle.Processing, 0)), Confirmed: true}); err != nil {
				return err
			}
			if err := q.ReleaseHeldTasks(ctx, job.ID); err != nil {
				return err
			}
			return q.NotifyJobChanged(ctx, job.ID)
		})
	})
}
