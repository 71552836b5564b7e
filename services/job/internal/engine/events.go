package engine

import (
	"context"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	webhookv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/webhookv1"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/services/job/internal/jobview"
	"github.com/transcodely/transcodely/services/job/internal/lifecycle"
	"github.com/transcodely/transcodely/services/job/internal/store/dbgen"
)

// snapshot reads what events are derived from. Call it on a job locked by
// the transaction (LockJob), before changing anything, so no concurrent
// change slips between the snapshot and the change.
func snapshot(ctx context.Context, q *dbgen.Queries, job dbgen.JobJob) (lifecycle.Snapshot, error) {
	outs, err := q.ListOutputs(ctx, job.ID)
	if err != nil {
		return lifecycle.Snapshot{}, err
	}
	return snapshotOf(job, outs), nil
}

func snapshotOf(job dbgen.JobJob, outs []dbgen.JobOutput) lifecycle.Snapshot {
	s := lifecycle.Snapshot{Exists: true, Status: lifecycle.Status(job.Status), Progress: int(job.Progress), Probed: job.ProbedAt.Valid}
	for _, o := range outs {
		s.Outputs = append(s.Outputs, lifecycle.OutputState{ID: o.ID, Status: o.Status})
	}
	return s
}

// tracked runs change on a job the transaction has locked and then records
// the events the change produced in the outbox, in the same transaction:
// the events exist exactly when the change commits.
func (e *Engine) tracked(ctx context.Context, q *dbgen.Queries, job dbgen.JobJob, change func() error) error {
	before, err := snapshot(ctx, q, job)
	if err != nil {
		return err
	}
	if err := change(); err != nil {
		return err
	}
	return e.recordEvents(ctx, q, job.ID, before)
}

// recordEvents compares the job with before and writes one outbox row per
// event, each carrying the job rendered as it is now (the public Job,
// metadata included).
func (e *Engine) recordEvents(ctx context.Context, q *dbgen.Queries, jobID string, before lifecycle.Snapshot) error {
	job, err := q.GetJobByID(ctx, jobID)
	if err != nil {
		return err
	}
	outs, err := q.ListOutputs(ctx, jobID)
	if err != nil {
		return err
	}
	events := lifecycle.Events(before, snapshotOf(job, outs))
	if len(events) == 0 {
		return nil
	}
	thumbs, err := q.ListThumbnails(ctx, jobID)
	if err != nil {
		return err
	}
	view := jobview.Job(job, outs, thumbs)
	now := timestamppb.New(time.Now())
	for _, ev := range events {
		msg := &internalv1.Event{
			Id: id.New(id.Event), Type: ev.Type, CreatedAt: now,
			OrganizationId: job.OrganizationID, AppId: job.AppID, Environment: job.Environment,
			JobId: job.ID, OutputId: ev.OutputID, WebhookUrl: job.WebhookUrl,
			Data: &webhookv1.WebhookEventData{Job: view, Output: outputOf(view, ev.OutputID)},
		}
		payload, err := proto.Marshal(msg)
		if err != nil {
			return err
		}
		if err := q.InsertOutbox(ctx, dbgen.InsertOutboxParams{EventID: msg.GetId(), EventType: ev.Type, JobID: job.ID, Payload: payload}); err != nil {
			return err
		}
	}
	return q.NotifyOutbox(ctx)
}

// outputOf finds an output of the rendered job; nil for "" (job events).
func outputOf(j *jobv1.Job, outputID string) *jobv1.Output {
	if outputID == "" {
		return nil
	}
	for _, o := range j.GetOutputs() {
		if o.GetId() == outputID {
			return o
		}
	}
	return nil
}
