package engine_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/migrate"
	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/pkg/pgdbtest"
	"github.com/transcodely/transcodely/services/job/internal/engine"
	"github.com/transcodely/transcodely/services/job/internal/store"
)

func newEngine(t *testing.T) *engine.Engine {
	t.Helper()
	tmpl := pgdbtest.NewTemplate(t, "job", func(ctx context.Context, url string) error {
		pool, err := pgdb.Open(ctx, url)
		if err != nil {
			return err
		}
		defer pool.Close()
		return migrate.Run(ctx, pool, store.Schema, store.Migrations())
	})
	return &engine.Engine{Store: store.New(tmpl.NewPool(t)), Logger: slog.New(slog.DiscardHandler), MaxAttempts: 3}
}

// outbox decodes what waits in job.outbox, in order.
func outbox(t *testing.T, e *engine.Engine) []*internalv1.Event {
	t.Helper()
	rows, err := e.Store.ListOutbox(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []*internalv1.Event
	for _, r := range rows {
		ev := &internalv1.Event{}
		if err := proto.Unmarshal(r.Payload, ev); err != nil {
			t.Fatal(err)
		}
		if ev.GetId() != r.EventID {
			t.Fatalf("row %d: event id %s, column %s", r.Seq, ev.GetId(), r.EventID)
		}
		out = append(out, ev)
	}
	return out
}

func types(evs []*internalv1.Event) []string {
	var s []string
	for _, e := range evs {
		s = append(s, e.GetType())
	}
	return s
}

// TestEngine_EventsInTransaction: the job changes that are events write
// them to the outbox with the job as it is after the change; a change that
// does not happen (a replayed idempotent Create, a refused Cancel) writes
// nothing.
func TestEngine_EventsInTransaction(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	ctx := context.Background()
	nj := engine.NewJob{
		ID: id.New(id.Job), OrganizationID: "org_1", AppID: "app_1", Environment: "test", Priority: "standard",
		InputURL: "https://example.com/a.mp4", OutputOriginID: "ori_1", Request: []byte("{}"),
		WebhookURL: "https://hooks.example.com/x", Metadata: map[string]string{"video_id": "vid_42"}, IdempotencyKey: "k1",
		Outputs: []engine.NewOutput{{ID: id.New(id.Output), Spec: []byte(`{"type":"OUTPUT_TYPE_MP4"}`)}},
	}
	if _, created, err := e.Create(ctx, nj); err != nil || !created {
		t.Fatalf("Create = %v, %v", created, err)
	}
	replay := nj
	replay.ID = id.New(id.Job)
	if jobID, created, err := e.Create(ctx, replay); err != nil || created || jobID != nj.ID {
		t.Fatalf("replayed Create = %s, %v, %v", jobID, created, err)
	}
	evs := outbox(t, e)
	if !slices.Equal(types(evs), []string{"job.created"}) {
		t.Fatalf("after Create: %v", types(evs))
	}
	c := evs[0]
	j := c.GetData().GetJob()
	if c.GetAppId() != "app_1" || c.GetOrganizationId() != "org_1" || c.GetEnvironment() != "test" || c.GetJobId() != nj.ID ||
		c.GetWebhookUrl() != nj.WebhookURL || c.GetCreatedAt() == nil || j.GetId() != nj.ID || j.GetMetadata()["video_id"] != "vid_42" ||
		j.GetStatus() != jobv1.JobStatus_JOB_STATUS_PENDING || len(j.GetOutputs()) != 1 {
		t.Fatalf("job.created = %v", c)
	}

	if err := e.Cancel(ctx, nj.ID, "app_1", "test"); err != nil {
		t.Fatal(err)
	}
	if err := e.Cancel(ctx, nj.ID, "app_1", "test"); err == nil {
		t.Fatal("second Cancel succeeded")
	}
	evs = outbox(t, e)
	if !slices.Equal(types(evs), []string{"job.created", "job.canceled"}) {
		t.Fatalf("after Cancel: %v", types(evs))
	}
	if j := evs[1].GetData().GetJob(); j.GetStatus() != jobv1.JobStatus_JOB_STATUS_CANCELED ||
		j.GetOutputs()[0].GetStatus() != jobv1.OutputStatus_OUTPUT_STATUS_CANCELED || evs[1].GetId() == evs[0].GetId() {
		t.Fatalf("job.canceled = %v", evs[1])
	}
}
