package e2e

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"

	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	webhookv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/webhookv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/webhookv1/webhookv1connect"
	"github.com/transcodely/transcodely/pkg/ffmpeg/ffmpegtest"
	"github.com/transcodely/transcodely/pkg/webhooksig"
	"github.com/transcodely/transcodely/services/account/accountapp"
	"github.com/transcodely/transcodely/services/internal/testenv"
)

// verifyIndependently checks a delivery the way a receiver that has never
// seen our Go package would, from the scheme in docs/WEBHOOKS.md alone:
// HMAC-SHA256 with the secret over "<t>.<raw body>", hex, constant-time
// compare, a timestamp within 5 minutes that matches Webhook-Timestamp.
func verifyIndependently(secret string, h http.Header, body []byte, now time.Time) error {
	var ts string
	var sigs []string
	for _, part := range strings.Split(h.Get("Transcodely-Signature"), ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	if ts == "" || len(sigs) == 0 {
		return errors.New("no t= or v1= in Transcodely-Signature")
	}
	if ts != h.Get("Webhook-Timestamp") {
		return fmt.Errorf("t=%s but Webhook-Timestamp %s", ts, h.Get("Webhook-Timestamp"))
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return err
	}
	if d := now.Sub(time.Unix(unix, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return fmt.Errorf("timestamp %s is %v away", ts, d)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	want := []byte(hex.EncodeToString(mac.Sum(nil)))
	for _, s := range sigs {
		if hmac.Equal([]byte(s), want) {
			return nil
		}
	}
	return errors.New("no v1 signature matches")
}

// delivery is one request a receiver got.
type delivery struct {
	id, typ  string
	header   http.Header
	body     []byte
	event    map[string]any
	verified error
	at       time.Time
}

// receiver is a webhook receiver on 127.0.0.1 that verifies every request
// with verifyIndependently and answers with respond (200 when nil).
type receiver struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	secret  string
	got     []delivery
	respond func(n int) int
	arrived chan struct{}
}

func newReceiver(t *testing.T, respond func(n int) int) *receiver {
	r := &receiver{t: t, respond: respond, arrived: make(chan struct{}, 1000)}
	r.srv = httptest.NewServer(r)
	t.Cleanup(r.srv.Close)
	return r
}

// newReceiverAt serves on a given address (a port reserved earlier).
func newReceiverAt(t *testing.T, addr string, respond func(n int) int) *receiver {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen on %s: %v", addr, err)
	}
	r := &receiver{t: t, respond: respond, arrived: make(chan struct{}, 1000)}
	r.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: r}}
	r.srv.Start()
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) URL() string { return r.srv.URL + "/hooks/transcodely" }

func (r *receiver) setSecret(s string) {
	r.mu.Lock()
	r.secret = s
	r.mu.Unlock()
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	d := delivery{id: req.Header.Get("Webhook-Id"), header: req.Header.Clone(), body: body, at: time.Now()}
	d.verified = verifyIndependently(r.secret, req.Header, body, time.Now())
	if err := json.Unmarshal(body, &d.event); err == nil {
		d.typ, _ = d.event["type"].(string)
	}
	if req.Method != http.MethodPost || req.Header.Get("Content-Type") != "application/json" {
		d.verified = fmt.Errorf("%s with Content-Type %q", req.Method, req.Header.Get("Content-Type"))
	}
	r.got = append(r.got, d)
	n := len(r.got)
	r.mu.Unlock()
	status := http.StatusOK
	if r.respond != nil {
		status = r.respond(n)
	}
	w.WriteHeader(status)
	fmt.Fprintf(w, "receiver answer %d", n)
	r.arrived <- struct{}{}
}

func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

// waitFor waits until pred holds for what arrived so far.
func (r *receiver) waitFor(t *testing.T, timeout time.Duration, what string, pred func([]delivery) bool) []delivery {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if got := r.deliveries(); pred(got) {
			return got
		}
		select {
		case <-r.arrived:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("timed out waiting for %s; received %s", what, summary(r.deliveries()))
		}
	}
}

func summary(ds []delivery) string {
	var s []string
	for _, d := range ds {
		s = append(s, d.typ)
	}
	return fmt.Sprintf("%d deliveries %v", len(ds), s)
}

func hasType(typ string) func([]delivery) bool {
	return func(ds []delivery) bool {
		return slices.ContainsFunc(ds, func(d delivery) bool { return d.typ == typ })
	}
}

func (f *fixture) webhooks() webhookv1connect.WebhookServiceClient {
	return webhookv1connect.NewWebhookServiceClient(http.DefaultClient, f.env.URL, f.env.Auth())
}

func createEndpoint(t *testing.T, client webhookv1connect.WebhookServiceClient, url string, events ...string) (*webhookv1.Webhook, string) {
	t.Helper()
	resp, err := client.Create(context.Background(), connect.NewRequest(&webhookv1.CreateWebhookRequest{Url: url, Events: events, Description: "test receiver"}))
	if err != nil {
		t.Fatalf("create webhook %s: %v", url, err)
	}
	return resp.Msg.GetWebhook(), resp.Msg.GetSecret()
}

// createPendingJob creates a job that stays pending (no encoder runs), so
// its only event is job.created.
func (f *fixture) createPendingJob(t *testing.T, webhookURL string) *jobv1.Job {
	t.Helper()
	resp, err := f.jobs.Create(context.Background(), connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: f.inputOrigin, InputPath: "never/probed.mp4", OutputOriginId: f.outputOrigin,
		Outputs: mp4(commonv1.VideoCodec_VIDEO_CODEC_H264), WebhookUrl: webhookURL, Metadata: map[string]string{"order": "42"},
	}))
	if err != nil {
		t.Fatalf("create job: %v", err)
	}
	return resp.Msg.GetJob()
}

// eventsOf lists every event record of a job (all pages).
func eventsOf(t *testing.T, client webhookv1connect.WebhookServiceClient, jobID, typ string) []*webhookv1.WebhookEventRecord {
	t.Helper()
	var out []*webhookv1.WebhookEventRecord
	cursor := ""
	for {
		resp, err := client.ListEvents(context.Background(), connect.NewRequest(&webhookv1.ListWebhookEventsRequest{
			JobId: jobID, Type: typ, Pagination: &commonv1.PaginationRequest{Limit: 5, Cursor: cursor},
		}))
		if err != nil {
			t.Fatalf("list events: %v", err)
		}
		out = append(out, resp.Msg.GetEvents()...)
		if cursor = resp.Msg.GetPagination().GetNextCursor(); cursor == "" {
			return out
		}
	}
}

// waitRecord polls ListEvents until pred holds for the job's events of typ.
func waitRecord(t *testing.T, client webhookv1connect.WebhookServiceClient, jobID, typ string, timeout time.Duration, pred func(*webhookv1.WebhookEventRecord) bool) *webhookv1.WebhookEventRecord {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		recs := eventsOf(t, client, jobID, typ)
		if len(recs) == 1 && pred(recs[0]) {
			return recs[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting on the %s event of %s: %v", typ, jobID, recs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestWebhookService_Methods covers every method and field of the endpoint
// API: defaults, the URL policy, events, status, secret rotation,
// pagination and deletion.
func TestWebhookService_Methods(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Encoders: -1})
	client := webhookv1connect.NewWebhookServiceClient(http.DefaultClient, env.URL, env.Auth())
	ctx := context.Background()

	created, err := client.Create(ctx, connect.NewRequest(&webhookv1.CreateWebhookRequest{Url: "http://127.0.0.1:9/hook", Description: "local"}))
	if err != nil {
		t.Fatal(err)
	}
	w := created.Msg.GetWebhook()
	if !strings.HasPrefix(w.GetId(), "whe_") || w.GetAppId() != env.AppID || w.GetStatus() != webhookv1.WebhookStatus_WEBHOOK_STATUS_ENABLED ||
		!slices.Equal(w.GetEvents(), []string{"job.completed", "job.failed"}) || w.GetDescription() != "local" || w.GetCreatedAt() == nil {
		t.Fatalf("created = %v", w)
	}
	secret := created.Msg.GetSecret()
	if !strings.HasPrefix(secret, "whsec_") || len(secret) < 32 {
		t.Fatalf("secret = %q", secret)
	}

	t.Run("url policy", func(t *testing.T) {
		for _, tc := range []struct{ url, want string }{
			{"http://8.8.8.8/hook", "https"},          // public but plain http
			{"https://10.0.0.7/hook", "private"},      // private
			{"https://169.254.169.254/x", "metadata"}, // cloud metadata
			{"ftp://127.0.0.1/x", "https"},
			{"https://user:pw@127.0.0.1/x", "credentials"},
		} {
			_, err := client.Create(ctx, connect.NewRequest(&webhookv1.CreateWebhookRequest{Url: tc.url}))
			if connect.CodeOf(err) != connect.CodeInvalidArgument || !strings.Contains(violations(t, err)["url"], tc.want) {
				t.Errorf("Create(%s) = %v, want invalid url mentioning %q", tc.url, err, tc.want)
			}
		}
		_, err := client.Create(ctx, connect.NewRequest(&webhookv1.CreateWebhookRequest{Url: "https://127.0.0.1/x", Events: []string{"job.started"}}))
		if connect.CodeOf(err) != connect.CodeInvalidArgument {
			t.Errorf("unknown event type: %v", err)
		}
	})

	t.Run("get and list", func(t *testing.T) {
		got, err := client.Get(ctx, connect.NewRequest(&webhookv1.GetWebhookRequest{Id: w.GetId()}))
		if err != nil || got.Msg.GetWebhook().GetUrl() != w.GetUrl() {
			t.Fatalf("Get = %v, %v", got, err)
		}
		for range 4 {
			createEndpoint(t, client, "https://127.0.0.1/more", "*")
		}
		var ids []string
		cursor := ""
		for {
			page, err := client.List(ctx, connect.NewRequest(&webhookv1.ListWebhooksRequest{Pagination: &commonv1.PaginationRequest{Limit: 2, Cursor: cursor}}))
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range page.Msg.GetWebhooks() {
				ids = append(ids, x.GetId())
			}
			if cursor = page.Msg.GetPagination().GetNextCursor(); cursor == "" {
				break
			}
		}
		if len(ids) != 5 || ids[4] != w.GetId() {
			t.Fatalf("listed %v; want 5, oldest last", ids)
		}
	})

	t.Run("update", func(t *testing.T) {
		desc := "renamed"
		upd, err := client.Update(ctx, connect.NewRequest(&webhookv1.UpdateWebhookRequest{Id: w.GetId(), Description: &desc,
			Events: []string{"output.failed", "job.created"}, Status: webhookv1.WebhookStatus_WEBHOOK_STATUS_DISABLED}))
		if err != nil {
			t.Fatal(err)
		}
		u := upd.Msg.GetWebhook()
		if u.GetDescription() != "renamed" || u.GetStatus() != webhookv1.WebhookStatus_WEBHOOK_STATUS_DISABLED ||
			!slices.Equal(u.GetEvents(), []string{"job.created", "output.failed"}) || u.GetUrl() != w.GetUrl() || upd.Msg.GetSecret() != "" {
			t.Fatalf("updated = %v (secret %q)", u, upd.Msg.GetSecret())
		}
		rot, err := client.Update(ctx, connect.NewRequest(&webhookv1.UpdateWebhookRequest{Id: w.GetId(), RotateSecret: true}))
		if err != nil {
			t.Fatal(err)
		}
		if s := rot.Msg.GetSecret(); !strings.HasPrefix(s, "whsec_") || s == secret {
			t.Fatalf("rotated secret = %q", s)
		}
		if _, err := client.Update(ctx, connect.NewRequest(&webhookv1.UpdateWebhookRequest{Id: w.GetId(), Events: []string{"job.nope"}})); connect.CodeOf(err) != connect.CodeInvalidArgument {
			t.Fatalf("update with an unknown event = %v", err)
		}
		bad := "http://8.8.8.8/x"
		if _, err := client.Update(ctx, connect.NewRequest(&webhookv1.UpdateWebhookRequest{Id: w.GetId(), Url: &bad})); connect.CodeOf(err) != connect.CodeInvalidArgument {
			t.Fatalf("update to a plain-http public url = %v", err)
		}
	})

	t.Run("secret never leaks", func(t *testing.T) {
		if strings.Contains(env.Logs.String(), secret) {
			t.Fatal("a signing secret was logged")
		}
		got, _ := client.Get(ctx, connect.NewRequest(&webhookv1.GetWebhookRequest{Id: w.GetId()}))
		if b, _ := json.Marshal(got.Msg); strings.Contains(string(b), "whsec_") {
			t.Fatal("Get returned a secret")
		}
	})

	t.Run("delete", func(t *testing.T) {
		if _, err := client.Delete(ctx, connect.NewRequest(&webhookv1.DeleteWebhookRequest{Id: w.GetId()})); err != nil {
			t.Fatal(err)
		}
		if _, err := client.Get(ctx, connect.NewRequest(&webhookv1.GetWebhookRequest{Id: w.GetId()})); connect.CodeOf(err) != connect.CodeNotFound {
			t.Fatalf("Get after Delete = %v", err)
		}
		if _, err := client.Delete(ctx, connect.NewRequest(&webhookv1.DeleteWebhookRequest{Id: w.GetId()})); connect.CodeOf(err) != connect.CodeNotFound {
			t.Fatalf("second Delete = %v", err)
		}
	})

	t.Run("scoped by app and environment", func(t *testing.T) {
		mine := createEndpoint
		ep, _ := mine(t, client, "https://127.0.0.1/scoped", "*")
		live, err := env.Instance.Account.Bootstrap(ctx, accountapp.BootstrapRequest{Email: "owner@example.com", OrgSlug: "acme", AppName: "main", Environment: "live", ForceNewKey: true})
		if err != nil {
			t.Fatal(err)
		}
		otherApp, err := env.Instance.Account.Bootstrap(ctx, accountapp.BootstrapRequest{Email: "owner@example.com", OrgSlug: "acme", AppName: "other", Environment: "test"})
		if err != nil {
			t.Fatal(err)
		}
		for name, key := range map[string]string{"live key of the same app": live.Secret, "another app": otherApp.Secret} {
			c := webhookv1connect.NewWebhookServiceClient(http.DefaultClient, env.URL, testenv.WithAuth(key, env.OrganizationID))
			if _, err := c.Get(ctx, connect.NewRequest(&webhookv1.GetWebhookRequest{Id: ep.GetId()})); connect.CodeOf(err) != connect.CodeNotFound {
				t.Errorf("%s: Get = %v, want not_found", name, err)
			}
			list, err := c.List(ctx, connect.NewRequest(&webhookv1.ListWebhooksRequest{}))
			if err != nil || len(list.Msg.GetWebhooks()) != 0 {
				t.Errorf("%s: List = %v, %v", name, list, err)
			}
			if _, err := c.Delete(ctx, connect.NewRequest(&webhookv1.DeleteWebhookRequest{Id: ep.GetId()})); connect.CodeOf(err) != connect.CodeNotFound {
				t.Errorf("%s: Delete = %v, want not_found", name, err)
			}
		}
	})
}

// TestWebhooks_JobLifecycle runs a real job and checks that an endpoint
// subscribed to "*" and the job's own webhook_url both receive every
// lifecycle event, signed (checked by an independent implementation), with
// the public Job shape and its metadata; it also reports the delivery
// latency (event written to first attempt).
func TestWebhooks_JobLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Heartbeat: 200 * time.Millisecond})
	hooks := f.webhooks()
	all := newReceiver(t, nil)
	perJob := newReceiver(t, nil)
	completedOnly := newReceiver(t, nil)
	ep, secret := createEndpoint(t, hooks, all.URL(), "*")
	all.setSecret(secret)
	// The job's own webhook_url is signed with the app's oldest endpoint's secret.
	perJob.setSecret(secret)
	_, secret2 := createEndpoint(t, hooks, completedOnly.URL()) // default: job.completed, job.failed
	completedOnly.setSecret(secret2)

	dir := t.TempDir()
	clip := ffmpegtest.MakeClip(t, dir, ffmpegtest.ClipOptions{Width: 320, Height: 180, FPS: 25, Seconds: 4, Audio: true})
	f.upload(t, clip, "in/clip.mp4")
	created, err := f.jobs.Create(context.Background(), connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: f.inputOrigin, InputPath: "in/clip.mp4", OutputOriginId: f.outputOrigin,
		Outputs:    mp4(commonv1.VideoCodec_VIDEO_CODEC_H264),
		Metadata:   map[string]string{"video_id": "vid_42", "status": "JOB_STATUS_PENDING"},
		WebhookUrl: perJob.URL(),
	}))
	if err != nil {
		t.Fatal(err)
	}
	jobID := created.Msg.GetJob().GetId()
	final, seen := f.wait(t, jobID, 3*time.Minute)
	if final.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		t.Fatalf("job ended %s: %s (%v)", final.GetStatus(), final.GetErrorMessage(), seen)
	}

	want := []string{"job.created", "job.probed", "job.processing", "job.progress", "output.completed", "job.completed"}
	for _, r := range []*receiver{all, perJob} {
		// Deliveries run in parallel, so they may arrive in any order
		// (docs/WEBHOOKS.md): wait for the whole set.
		got := r.waitFor(t, 30*time.Second, "every lifecycle event", func(ds []delivery) bool {
			return !slices.ContainsFunc(want, func(w string) bool { return !hasType(w)(ds) })
		})
		types := map[string]int{}
		for _, d := range got {
			types[d.typ]++
			if d.verified != nil {
				t.Errorf("%s %s: signature check failed: %v", d.typ, d.id, d.verified)
			}
			if err := webhooksig.Verify(secret, d.header.Get(webhooksig.HeaderSignature), d.body, time.Now(), 0); err != nil {
				t.Errorf("%s: pkg/webhooksig disagrees: %v", d.typ, err)
			}
			ev := d.event
			data, _ := ev["data"].(map[string]any)
			job, _ := data["job"].(map[string]any)
			meta, _ := job["metadata"].(map[string]any)
			if ev["id"] != d.id || !strings.HasPrefix(d.id, "evt_") || ev["app_id"] != f.env.AppID || job["id"] != jobID ||
				meta["video_id"] != "vid_42" || meta["status"] != "JOB_STATUS_PENDING" || ev["created_at"] == nil {
				t.Errorf("envelope of %s = %s", d.typ, d.body)
			}
			if st, _ := job["status"].(string); st == "" || strings.HasPrefix(st, "JOB_STATUS") {
				t.Errorf("%s: job status %q is not a lowercase wire enum", d.typ, st)
			}
			if d.typ == "output.completed" {
				out, _ := data["output"].(map[string]any)
				if out["status"] != "completed" || !strings.HasPrefix(fmt.Sprint(out["id"]), "out_") {
					t.Errorf("output.completed data.output = %v", out)
				}
			}
			if d.typ == "job.completed" && job["status"] != "completed" {
				t.Errorf("job.completed carries status %v", job["status"])
			}
		}
		for _, w := range want {
			if types[w] == 0 {
				t.Errorf("%s: no %s delivery; got %v", r.URL(), w, types)
			}
		}
		for _, never := range []string{"job.failed", "job.canceled", "job.partial", "output.failed", "job.awaiting_confirmation"} {
			if types[never] > 0 {
				t.Errorf("unexpected %s delivery", never)
			}
		}
	}
	got := completedOnly.waitFor(t, 30*time.Second, "job.completed", hasType("job.completed"))
	time.Sleep(300 * time.Millisecond)
	if got = completedOnly.deliveries(); len(got) != 1 || got[0].verified != nil {
		t.Fatalf("default subscription received %s (verified: %v)", summary(got), got[0].verified)
	}

	t.Run("list events", func(t *testing.T) {
		recs := eventsOf(t, hooks, jobID, "")
		if len(recs) < len(want) {
			t.Fatalf("ListEvents(job) = %d records", len(recs))
		}
		var latencies []time.Duration
		for _, rec := range recs {
			if rec.GetDeliveryStatus() != "delivered" || rec.GetEvent().GetData().GetJob().GetMetadata()["video_id"] != "vid_42" {
				t.Errorf("record %s: status %s", rec.GetEvent().GetType(), rec.GetDeliveryStatus())
			}
			for _, d := range rec.GetDeliveries() {
				if !d.GetSuccess() || d.GetStatusCode() != 200 || d.GetAttempt() != 1 || d.GetResponseBody() == "" || d.GetLatencyMs() <= 0 {
					t.Errorf("delivery %v", d)
				}
				if d.GetWebhookId() == ep.GetId() {
					latencies = append(latencies, d.GetAttemptedAt().AsTime().Sub(rec.GetEvent().GetCreatedAt().AsTime()))
				}
			}
		}
		only := eventsOf(t, hooks, jobID, "job.completed")
		if len(only) != 1 || len(only[0].GetDeliveries()) != 3 {
			t.Fatalf("ListEvents(type=job.completed) = %v", only)
		}
		sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
		t.Logf("delivery latency, event written -> first attempt, %d events: min %v, median %v, max %v",
			len(latencies), latencies[0], latencies[len(latencies)/2], latencies[len(latencies)-1])
	})
}

// TestWebhooks_RetryUntilSuccess: a receiver that fails three times gets
// the event a fourth time and accepts it; all four attempts are logged.
func TestWebhooks_RetryUntilSuccess(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Encoders: -1})
	hooks := f.webhooks()
	r := newReceiver(t, func(n int) int {
		if n <= 3 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	_, secret := createEndpoint(t, hooks, r.URL(), "job.created")
	r.setSecret(secret)
	job := f.createPendingJob(t, "")

	got := r.waitFor(t, 20*time.Second, "four attempts", func(ds []delivery) bool { return len(ds) >= 4 })
	rec := waitRecord(t, hooks, job.GetId(), "job.created", 10*time.Second, func(r *webhookv1.WebhookEventRecord) bool {
		return r.GetDeliveryStatus() == "delivered"
	})
	time.Sleep(300 * time.Millisecond) // nothing more may arrive
	if got = r.deliveries(); len(got) != 4 {
		t.Fatalf("receiver got %d requests, want 4", len(got))
	}
	for _, d := range got {
		if d.id != got[0].id || d.verified != nil {
			t.Fatalf("attempt %v: id %s (first %s), verified %v", d.typ, d.id, got[0].id, d.verified)
		}
	}
	ds := rec.GetDeliveries()
	if len(ds) != 4 {
		t.Fatalf("ListEvents shows %d attempts: %v", len(ds), ds)
	}
	for i, d := range ds {
		if d.GetAttempt() != int32(i+1) || d.GetUrl() != r.URL() || d.GetAttemptedAt() == nil {
			t.Errorf("attempt %d = %v", i+1, d)
		}
		if i < 3 && (d.GetSuccess() || d.GetStatusCode() != 500 || d.GetNextRetryAt() == nil || d.GetError() == "" ||
			d.GetResponseBody() != fmt.Sprintf("receiver answer %d", i+1)) {
			t.Errorf("failed attempt %d = %v", i+1, d)
		}
		if i == 3 && (!d.GetSuccess() || d.GetStatusCode() != 200 || d.GetNextRetryAt() != nil || d.GetError() != "") {
			t.Errorf("last attempt = %v", d)
		}
		if i > 0 && !d.GetAttemptedAt().AsTime().After(ds[i-1].GetNextRetryAt().AsTime().Add(-time.Millisecond)) {
			t.Errorf("attempt %d at %v, before its retry time %v", i+1, d.GetAttemptedAt().AsTime(), ds[i-1].GetNextRetryAt().AsTime())
		}
	}
}

// TestWebhooks_ReceiverDownAcrossRestart: the receiver is down, the
// webhook service (the whole installation) restarts, the receiver comes
// back, and the event is still delivered: the retry state is in Postgres.
func TestWebhooks_ReceiverDownAcrossRestart(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Encoders: -1, WebhookRetryBase: 100 * time.Millisecond, WebhookRetryMaxDelay: 500 * time.Millisecond})
	hooks := f.webhooks()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // down: connections are refused
	ep, secret := createEndpoint(t, hooks, "http://"+addr+"/hooks/transcodely", "job.created")
	job := f.createPendingJob(t, "")
	waitRecord(t, hooks, job.GetId(), "job.created", 10*time.Second, func(r *webhookv1.WebhookEventRecord) bool {
		return len(r.GetDeliveries()) >= 2 && r.GetDeliveryStatus() == "pending"
	})

	f.env.Restart(t)
	r := newReceiverAt(t, addr, nil)
	r.setSecret(secret)
	got := r.waitFor(t, 20*time.Second, "delivery after restart", hasType("job.created"))
	if got[0].verified != nil || got[0].header.Get("Webhook-Id") == "" {
		t.Fatalf("delivery after restart: %v", got[0].verified)
	}
	rec := waitRecord(t, hooks, job.GetId(), "job.created", 10*time.Second, func(r *webhookv1.WebhookEventRecord) bool {
		return r.GetDeliveryStatus() == "delivered"
	})
	ds := rec.GetDeliveries()
	last := ds[len(ds)-1]
	if len(ds) < 3 || !last.GetSuccess() || last.GetWebhookId() != ep.GetId() || ds[0].GetSuccess() || ds[0].GetError() == "" {
		t.Fatalf("attempts = %v", ds)
	}
	t.Logf("delivered on attempt %d; first error: %s", last.GetAttempt(), ds[0].GetError())
}

// TestWebhooks_DisabledEndpoint: a disabled endpoint receives nothing,
// while an enabled one of the same app does.
func TestWebhooks_DisabledEndpoint(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Encoders: -1})
	hooks := f.webhooks()
	on, off := newReceiver(t, nil), newReceiver(t, nil)
	_, s1 := createEndpoint(t, hooks, on.URL(), "*")
	on.setSecret(s1)
	disabled, _ := createEndpoint(t, hooks, off.URL(), "*")
	if _, err := hooks.Update(context.Background(), connect.NewRequest(&webhookv1.UpdateWebhookRequest{
		Id: disabled.GetId(), Status: webhookv1.WebhookStatus_WEBHOOK_STATUS_DISABLED,
	})); err != nil {
		t.Fatal(err)
	}
	job := f.createPendingJob(t, "")
	on.waitFor(t, 10*time.Second, "job.created", hasType("job.created"))
	rec := waitRecord(t, hooks, job.GetId(), "job.created", 10*time.Second, func(r *webhookv1.WebhookEventRecord) bool {
		return r.GetDeliveryStatus() == "delivered"
	})
	time.Sleep(500 * time.Millisecond)
	if n := len(off.deliveries()); n != 0 {
		t.Fatalf("disabled endpoint received %d requests", n)
	}
	for _, d := range rec.GetDeliveries() {
		if d.GetWebhookId() == disabled.GetId() {
			t.Fatalf("an attempt to the disabled endpoint was logged: %v", d)
		}
	}
}

// TestWebhooks_JobURLWithoutEndpoint: a job's own webhook_url is signed
// even when the app has no endpoint (with the app's hidden secret), and
// plain http to a public address is refused at Create.
func TestWebhooks_JobURLWithoutEndpoint(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Encoders: -1})
	r := newReceiver(t, nil)
	f.createPendingJob(t, r.URL())
	got := r.waitFor(t, 10*time.Second, "job.created", hasType("job.created"))
	sig := got[0].header.Get("Transcodely-Signature")
	if !strings.HasPrefix(sig, "t=") || !strings.Contains(sig, ",v1=") || len(sig) < 70 {
		t.Fatalf("signature header %q", sig)
	}
	_, err := f.jobs.Create(context.Background(), connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: f.inputOrigin, InputPath: "x.mp4", OutputOriginId: f.outputOrigin,
		Outputs: mp4(commonv1.VideoCodec_VIDEO_CODEC_H264), WebhookUrl: "http://8.8.8.8/hook",
	}))
	if connect.CodeOf(err) != connect.CodeInvalidArgument || violations(t, err)["webhook_url"] == "" {
		t.Fatalf("plain-http public webhook_url: %v", err)
	}
}

// TestWebhooks_Latency measures, on an idle installation, how long an
// event takes from being written (in the job's transaction) to its first
// delivery attempt, and to its arrival at the receiver.
func TestWebhooks_Latency(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Options{Encoders: -1})
	hooks := f.webhooks()
	r := newReceiver(t, nil)
	_, secret := createEndpoint(t, hooks, r.URL(), "job.created")
	r.setSecret(secret)
	const n = 30
	jobs := map[string]bool{}
	for range n {
		jobs[f.createPendingJob(t, "").GetId()] = true
		time.Sleep(20 * time.Millisecond) // one at a time, as a steady trickle
	}
	got := r.waitFor(t, 30*time.Second, "every job.created", func(ds []delivery) bool { return len(ds) >= n })
	arrival := map[string]time.Time{}
	for _, d := range got {
		if d.verified != nil {
			t.Fatalf("unverified delivery: %v", d.verified)
		}
		arrival[d.id] = d.at
	}
	var attempt, arrive []time.Duration
	for _, rec := range eventsOf(t, hooks, "", "job.created") {
		created := rec.GetEvent().GetCreatedAt().AsTime()
		if !jobs[rec.GetEvent().GetData().GetJob().GetId()] || len(rec.GetDeliveries()) != 1 {
			t.Fatalf("record %v", rec)
		}
		attempt = append(attempt, rec.GetDeliveries()[0].GetAttemptedAt().AsTime().Sub(created))
		arrive = append(arrive, arrival[rec.GetEvent().GetId()].Sub(created))
	}
	pct := func(ds []time.Duration) string {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		at := func(p float64) time.Duration {
			return ds[min(len(ds)-1, int(p*float64(len(ds))))].Round(100 * time.Microsecond)
		}
		return fmt.Sprintf("min %v, p50 %v, p95 %v, max %v", at(0), at(0.5), at(0.95), ds[len(ds)-1].Round(100*time.Microsecond))
	}
	t.Logf("%d events, written -> first attempt: %s", len(attempt), pct(attempt))
	t.Logf("%d events, written -> received by the receiver: %s", len(arrive), pct(arrive))
	if slices.Max(attempt) > 5*time.Second {
		t.Errorf("an event waited %v for its first attempt", slices.Max(attempt))
	}
}
