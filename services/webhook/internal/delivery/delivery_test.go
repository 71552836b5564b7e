package delivery_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/keyring"
	"github.com/transcodely/transcodely/pkg/migrate"
	"github.com/transcodely/transcodely/pkg/netguard"
	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/pkg/pgdbtest"
	"github.com/transcodely/transcodely/pkg/webhooksig"
	"github.com/transcodely/transcodely/services/webhook/internal/delivery"
	"github.com/transcodely/transcodely/services/webhook/internal/retry"
	"github.com/transcodely/transcodely/services/webhook/internal/secret"
	"github.com/transcodely/transcodely/services/webhook/internal/store"
	"github.com/transcodely/transcodely/services/webhook/internal/store/dbgen"
)

// bench is a webhook schema on its own database with helpers to add
// endpoints and events, and to run dispatchers on it.
type bench struct {
	t      *testing.T
	st     *store.Store
	keeper *secret.Keeper
}

func newBench(t *testing.T) *bench {
	t.Helper()
	tmpl := pgdbtest.NewTemplate(t, "webhook", func(ctx context.Context, url string) error {
		pool, err := pgdb.Open(ctx, url)
		if err != nil {
			return err
		}
		defer pool.Close()
		return migrate.Run(ctx, pool, store.Schema, store.Migrations())
	})
	ring, err := keyring.Parse(keyring.NewKeySpec("t1"))
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(tmpl.NewPool(t))
	return &bench{t: t, st: st, keeper: &secret.Keeper{Store: st, Ring: ring}}
}

func (b *bench) endpoint(url string) (string, string) {
	b.t.Helper()
	wid, sec := id.New(id.Webhook), secret.New()
	kid, sealed := b.keeper.Seal(wid, sec)
	if _, err := b.st.InsertEndpoint(context.Background(), dbgen.InsertEndpointParams{ID: wid, AppID: "app_1", Environment: "test", Url: url,
		Events: []string{"*"}, Status: "enabled", SecretCipher: sealed, SecretKeyID: kid}); err != nil {
		b.t.Fatal(err)
	}
	return wid, sec
}

// event stores an event with one delivery to endpointID and returns its id.
func (b *bench) event(endpointID, url string) string {
	b.t.Helper()
	ctx := context.Background()
	eid := id.New(id.Event)
	body := fmt.Sprintf(`{"id":%q,"type":"job.completed"}`, eid)
	if _, err := b.st.InsertEvent(ctx, dbgen.InsertEventParams{ID: eid, AppID: "app_1", Environment: "test", Type: "job.completed",
		Envelope: []byte{}, Body: []byte(body), CreatedAt: pgtype.Timestamptz{Time: time.Now(), Valid: true}}); err != nil {
		b.t.Fatal(err)
	}
	if err := b.st.InsertDelivery(ctx, dbgen.InsertDeliveryParams{EventID: eid, EndpointID: endpointID, Url: url}); err != nil {
		b.t.Fatal(err)
	}
	return eid
}

// run starts a dispatcher until the test ends.
func (b *bench) run(d *delivery.Dispatcher) {
	d.Store, d.Secrets = b.st, b.keeper
	d.Policy = netguard.Policy{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}
	d.Logger = slog.New(slog.DiscardHandler)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx) }()
	b.t.Cleanup(func() { cancel(); <-done })
}

func (b *bench) attempts(eventIDs ...string) []dbgen.WebhookAttempt {
	b.t.Helper()
	a, err := b.st.ListAttempts(context.Background(), eventIDs)
	if err != nil {
		b.t.Fatal(err)
	}
	return a
}

func (b *bench) statuses(eventIDs ...string) map[string]string {
	b.t.Helper()
	ds, err := b.st.ListDeliveries(context.Background(), eventIDs)
	if err != nil {
		b.t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range ds {
		out[d.EventID] = d.Status
	}
	return out
}

// eventually polls cond for up to timeout.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// counter counts requests per Webhook-Id and checks signatures.
type counter struct {
	mu     sync.Mutex
	secret string
	byID   map[string]int
	bad    []string
}

func (c *counter) record(r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil {
		c.byID = map[string]int{}
	}
	c.byID[r.Header.Get("Webhook-Id")]++
	if c.secret != "" {
		if err := webhooksig.Verify(c.secret, r.Header.Get("Transcodely-Signature"), body, time.Now(), 0); err != nil {
			c.bad = append(c.bad, err.Error())
		}
	}
}

func (c *counter) count() (total int, ids map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids = map[string]int{}
	for k, v := range c.byID {
		ids[k] = v
		total += v
	}
	return total, ids
}

// TestDispatcher_SlowReceiverDoesNotBlockOthers: receivers that never
// answer hold a worker each for at most the timeout, while a fast receiver
// gets everything meanwhile; the slow attempts are logged as timeouts.
func TestDispatcher_SlowReceiverDoesNotBlockOthers(t *testing.T) {
	t.Parallel()
	b := newBench(t)
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	fastCount := &counter{}
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fastCount.record(r) }))
	defer fast.Close()
	slowID, _ := b.endpoint(slow.URL)
	fastID, fastSecret := b.endpoint(fast.URL)
	fastCount.secret = fastSecret
	var slowEvents, fastEvents []string
	for range 3 {
		slowEvents = append(slowEvents, b.event(slowID, slow.URL))
	}
	for range 20 {
		fastEvents = append(fastEvents, b.event(fastID, fast.URL))
	}
	timeout := 3 * time.Second
	started := time.Now()
	b.run(&delivery.Dispatcher{Concurrency: 4, Timeout: timeout, Poll: 50 * time.Millisecond,
		Schedule: retry.Schedule{Base: time.Hour, MaxDelay: time.Hour, MaxAttempts: 1}})
	eventually(t, timeout, "every fast delivery", func() bool { n, _ := fastCount.count(); return n >= len(fastEvents) })
	if took := time.Since(started); took >= timeout {
		t.Fatalf("fast deliveries took %v, as long as a slow receiver's timeout", took)
	}
	if _, ids := fastCount.count(); len(ids) != len(fastEvents) || len(fastCount.bad) > 0 {
		t.Fatalf("fast receiver: %v, bad signatures %v", ids, fastCount.bad)
	}
	eventually(t, 3*timeout, "slow deliveries to fail", func() bool {
		st := b.statuses(slowEvents...)
		return st[slowEvents[0]] == "failed" && st[slowEvents[1]] == "failed" && st[slowEvents[2]] == "failed"
	})
	for _, a := range b.attempts(slowEvents...) {
		if a.Success || !strings.Contains(a.Error, "timed out") || a.LatencyMs < float64(timeout.Milliseconds())*0.9 || a.NextRetryAt.Valid {
			t.Errorf("slow attempt = %+v", a)
		}
	}
}

// TestDispatcher_GivesUp: a receiver that never answers 2xx gets exactly
// MaxAttempts attempts (a redirect is not followed and counts as a
// failure), each logged with the first 1 KiB of its answer; the delivery
// then fails for good.
func TestDispatcher_GivesUp(t *testing.T) {
	t.Parallel()
	b := newBench(t)
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(strings.Repeat("é", 2000) + "\x00\xff"))
	}))
	defer srv.Close()
	wid, _ := b.endpoint(srv.URL)
	eid := b.event(wid, srv.URL)
	b.run(&delivery.Dispatcher{Concurrency: 2, Poll: 20 * time.Millisecond,
		Schedule: retry.Schedule{Base: 20 * time.Millisecond, MaxDelay: 50 * time.Millisecond, MaxAttempts: 3}})
	eventually(t, 10*time.Second, "the delivery to fail", func() bool { return b.statuses(eid)[eid] == "failed" })
	att := b.attempts(eid)
	mu.Lock()
	made := n
	mu.Unlock()
	if len(att) != 3 || made != 3 {
		t.Fatalf("%d attempts logged, %d made; want 3", len(att), made)
	}
	if att[0].StatusCode != http.StatusFound || att[0].Success || att[0].Error != "HTTP 302" || !att[0].NextRetryAt.Valid {
		t.Errorf("redirect attempt = %+v", att[0])
	}
	for _, a := range att[1:] {
		if a.StatusCode != http.StatusServiceUnavailable || len(a.ResponseBody) > 1024 || len(a.ResponseBody) < 1000 || !strings.HasPrefix(a.ResponseBody, "éé") {
			t.Errorf("attempt %d: status %d, body of %d bytes", a.Attempt, a.StatusCode, len(a.ResponseBody))
		}
	}
	if att[2].NextRetryAt.Valid {
		t.Errorf("the last attempt schedules a retry: %+v", att[2])
	}
}

// TestDispatcher_SharedWork: two dispatchers on one database (two
// replicas) claim with SKIP LOCKED, so every event is delivered exactly
// once when every receiver answers 2xx.
func TestDispatcher_SharedWork(t *testing.T) {
	t.Parallel()
	b := newBench(t)
	c := &counter{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { c.record(r) }))
	defer srv.Close()
	wid, sec := b.endpoint(srv.URL)
	c.secret = sec
	const events = 60
	for range events {
		b.event(wid, srv.URL)
	}
	for range 2 {
		b.run(&delivery.Dispatcher{Concurrency: 3, Poll: 20 * time.Millisecond, Schedule: retry.Default()})
	}
	eventually(t, 20*time.Second, "every delivery", func() bool { n, _ := c.count(); return n >= events })
	time.Sleep(200 * time.Millisecond)
	total, ids := c.count()
	if total != events || len(ids) != events || len(c.bad) > 0 {
		t.Fatalf("%d requests for %d distinct events (want %d each once); bad signatures: %v", total, len(ids), events, c.bad)
	}
}

// TestDispatcher_DisabledEndpoint: a delivery due to an endpoint disabled
// after the event arrived is canceled without a request.
func TestDispatcher_DisabledEndpoint(t *testing.T) {
	t.Parallel()
	b := newBench(t)
	c := &counter{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { c.record(r) }))
	defer srv.Close()
	wid, _ := b.endpoint(srv.URL)
	eid := b.event(wid, srv.URL)
	ep, err := b.st.GetEndpoint(context.Background(), dbgen.GetEndpointParams{ID: wid, AppID: "app_1", Environment: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.st.UpdateEndpoint(context.Background(), dbgen.UpdateEndpointParams{ID: wid, Url: ep.Url, Events: ep.Events,
		Status: "disabled", SecretCipher: ep.SecretCipher, SecretKeyID: ep.SecretKeyID}); err != nil {
		t.Fatal(err)
	}
	b.run(&delivery.Dispatcher{Concurrency: 1, Poll: 20 * time.Millisecond, Schedule: retry.Default()})
	eventually(t, 5*time.Second, "the delivery to be canceled", func() bool { return b.statuses(eid)[eid] == "canceled" })
	if n, _ := c.count(); n != 0 || len(b.attempts(eid)) != 0 {
		t.Fatalf("a disabled endpoint got %d requests", n)
	}
}
