package relay_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/migrate"
	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/pkg/pgdbtest"
	"github.com/transcodely/transcodely/services/job/internal/relay"
	"github.com/transcodely/transcodely/services/job/internal/store"
	"github.com/transcodely/transcodely/services/job/internal/store/dbgen"
)

func newStore(t *testing.T) *store.Store {
	t.Helper()
	tmpl := pgdbtest.NewTemplate(t, "job", func(ctx context.Context, url string) error {
		pool, err := pgdb.Open(ctx, url)
		if err != nil {
			return err
		}
		defer pool.Close()
		return migrate.Run(ctx, pool, store.Schema, store.Migrations())
	})
	return store.New(tmpl.NewPool(t))
}

// sink is a fake EventService. failFirst calls fail before storing;
// storeThenFail calls store the batch and still answer an error, as when
// the answer is lost on the way back.
type sink struct {
	mu            sync.Mutex
	calls         int
	failFirst     int
	storeThenFail map[int]bool
	ids           []string
}

func (s *sink) Publish(_ context.Context, req *connect.Request[internalv1.PublishRequest]) (*connect.Response[internalv1.PublishResponse], error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.calls <= s.failFirst {
		return nil, connect.NewError(connect.CodeUnavailable, errors.New("webhook service down"))
	}
	for _, e := range req.Msg.GetEvents() {
		s.ids = append(s.ids, e.GetId())
	}
	if s.storeThenFail[s.calls] {
		return nil, connect.NewError(connect.CodeDeadlineExceeded, errors.New("answer lost"))
	}
	return connect.NewResponse(&internalv1.PublishResponse{Stored: int32(len(req.Msg.GetEvents()))}), nil
}

func (s *sink) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.ids)
}

func (s *sink) client(t *testing.T) internalv1connect.EventServiceClient {
	mux := http.NewServeMux()
	mux.Handle(internalv1connect.NewEventServiceHandler(s))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return internalv1connect.NewEventServiceClient(srv.Client(), srv.URL)
}

// write adds n events to the outbox, each in its own transaction, and
// returns their ids in write order.
func write(t *testing.T, st *store.Store, n int) []string {
	t.Helper()
	var ids []string
	for range n {
		ev := &internalv1.Event{Id: id.New(id.Event), Type: "job.created", AppId: "app_1", Environment: "test", JobId: "job_1"}
		payload, err := proto.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.InTx(context.Background(), func(q *dbgen.Queries) error {
			if err := q.InsertOutbox(context.Background(), dbgen.InsertOutboxParams{EventID: ev.GetId(), EventType: ev.GetType(), JobID: "job_1", Payload: payload}); err != nil {
				return err
			}
			return q.NotifyOutbox(context.Background())
		}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ev.GetId())
	}
	return ids
}

func run(t *testing.T, r *relay.Relay) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); r.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

func waitBacklog(t *testing.T, st *store.Store, want int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, err := st.OutboxBacklog(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if b.Pending == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox holds %d events, want %d", b.Pending, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRelay_OutageAndOrder: while the webhook service is down nothing
// leaves the outbox; afterwards every event arrives once, in write order,
// and the outbox is empty.
func TestRelay_OutageAndOrder(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	s := &sink{failFirst: 3}
	ids := write(t, st, 250)
	run(t, &relay.Relay{Store: st, Events: s.client(t), Logger: slog.New(slog.DiscardHandler), Poll: 50 * time.Millisecond, Batch: 100})
	waitBacklog(t, st, 0)
	if got := s.received(); !slices.Equal(got, ids) {
		t.Fatalf("received %d events, want %d in write order", len(got), len(ids))
	}
	// Events written later go out at once (the notification path).
	more := write(t, st, 5)
	waitBacklog(t, st, 0)
	if got := s.received(); !slices.Equal(got[len(got)-5:], more) {
		t.Fatalf("later events: %v", got[len(got)-5:])
	}
}

// TestRelay_AtLeastOnce: when Publish stored a batch but its answer was
// lost, the rows stay and the batch is sent again (the webhook service
// drops the duplicates by id); nothing is lost.
func TestRelay_AtLeastOnce(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	s := &sink{storeThenFail: map[int]bool{1: true}}
	ids := write(t, st, 10)
	run(t, &relay.Relay{Store: st, Events: s.client(t), Logger: slog.New(slog.DiscardHandler), Poll: 50 * time.Millisecond})
	waitBacklog(t, st, 0)
	got := s.received()
	if len(got) != 20 || !slices.Equal(got[:10], ids) || !slices.Equal(got[10:], ids) {
		t.Fatalf("received %v, want the batch twice", got)
	}
}

// TestRelay_Replicas: relays of several job replicas share one outbox;
// one at a time holds it, so events still go out once each, in order.
func TestRelay_Replicas(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	s := &sink{}
	c := s.client(t)
	for range 3 {
		run(t, &relay.Relay{Store: st, Events: c, Logger: slog.New(slog.DiscardHandler), Poll: 20 * time.Millisecond, Batch: 7})
	}
	ids := write(t, st, 100)
	waitBacklog(t, st, 0)
	if got := s.received(); !slices.Equal(got, ids) {
		t.Fatalf("received %d events (want %d once each, in order)", len(got), len(ids))
	}
}
