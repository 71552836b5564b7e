package engine

import (
	"context"
	"encoding/json"

	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/services/job/internal/lifecycle"
	"github.com/transcodely/transcodely/services/job/internal/store/dbgen"
)

// NewJob is a validated job ready to persist.
type NewJob struct {
	ID, OrganizationID, AppID, Environment string
	Priority                               string
	InputURL, InputOriginID, InputPath     string
	OutputOriginID, OutputPathTemplate     string
	InputOriginName, OutputOriginName      string
	// Request is the protojson of the request, presets resolved.
	Request        []byte
	WebhookURL     string
	Metadata       map[string]string
	DelayedStart   bool
	IdempotencyKey string
	BatchID        string
	Traceparent    string
	Outputs        []NewOutput
	// Thumbnails are the protojson of each ThumbnailSpec, in request order.
	Thumbnails [][]byte
}

// NewOutput is one output of a NewJob.
type NewOutput struct {
	ID       string
	Spec     []byte // protojson of OutputSpec
	PresetID string
}

// priorityRank orders the queue: premium work is leased first.
var priorityRank = map[string]int32{"economy": 0, "standard": 10, "premium": 20}

// Create persists a job with its outputs, its probe task and its
// job.created event in one transaction. With an idempotency key already bound (within 24 hours) it
// creates nothing and returns the bound job's id.
func (e *Engine) Create(ctx context.Context, j NewJob) (jobID string, created bool, err error) {
	err = e.Store.InTx(ctx, func(q *dbgen.Queries) error {
		if j.IdempotencyKey != "" {
			bound, err := q.ClaimIdempotencyKey(ctx, dbgen.ClaimIdempotencyKeyParams{AppID: j.AppID, Environment: j.Environment, Key: j.IdempotencyKey, JobID: j.ID})
			if err != nil {
				return err
			}
			if bound != j.ID {
				jobID = bound
				return nil
			}
		}
		meta, err := json.Marshal(j.Metadata)
		if err != nil {
			return err
		}
		if err := q.InsertJob(ctx, dbgen.InsertJobParams{
			ID: j.ID, OrganizationID: j.OrganizationID, AppID: j.AppID, Environment: j.Environment,
			Status: string(lifecycle.Pending), Priority: j.Priority, InputUrl: j.InputURL, InputOriginID: j.InputOriginID,
			InputPath: j.InputPath, OutputOriginID: j.OutputOriginID, OutputPathTemplate: j.OutputPathTemplate,
			Request: j.Request, WebhookUrl: j.WebhookURL, Metadata: meta, DelayedStart: j.DelayedStart,
			BatchID: j.BatchID, Traceparent: j.Traceparent, InputOriginName: j.InputOriginName, OutputOriginName: j.OutputOriginName,
		}); err != nil {
			return err
		}
		for i, o := range j.Outputs {
			if err := q.InsertOutput(ctx, dbgen.InsertOutputParams{ID: o.ID, JobID: j.ID, Position: int32(i), Spec: o.Spec, PresetID: o.PresetID}); err != nil {
				return err
			}
		}
		for i, spec := range j.Thumbnails {
			if err := q.InsertThumbnail(ctx, dbgen.InsertThumbnailParams{JobID: j.ID, Position: int32(i), Spec: spec}); err != nil {
				return err
			}
		}
		if err := q.InsertTask(ctx, dbgen.InsertTaskParams{
			ID: id.New(id.Task), JobID: j.ID, Kind: KindProbe, Status: "queued",
			Priority: priorityRank[j.Priority], Plan: []byte("{}"), MaxAttempts: e.MaxAttempts,
		}); err != nil {
			return err
		}
		jobID, created = j.ID, true
		if err := e.recordEvents(ctx, q, j.ID, lifecycle.Snapshot{}); err != nil {
			return err
		}
		return q.NotifyJobChanged(ctx, j.ID)
	})
	return jobID, created, err
}
