// Package delivery POSTs stored events to their destinations: a dispatcher
// claims due deliveries from Postgres (FOR UPDATE SKIP LOCKED, so any
// number of webhook replicas share the work) and hands each to a bounded
// pool of workers; every attempt has its own timeout, so one slow receiver
// holds one worker for at most that long and never the others.
//
// All state is in the database: a claim is a lease (next_attempt_at moves
// to the claim's expiry), so a delivery whose process died mid-attempt is
// attempted again once the lease runs out, and a restarted service simply
// picks up what is due. Deliveries are at-least-once; receivers deduplicate
// by the Webhook-Id header.
package delivery

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/netguard"
	"github.com/transcodely/transcodely/pkg/webhooksig"
	"github.com/transcodely/transcodely/services/webhook/internal/retry"
	"github.com/transcodely/transcodely/services/webhook/internal/secret"
	"github.com/transcodely/transcodely/services/webhook/internal/store"
	"github.com/transcodely/transcodely/services/webhook/internal/store/dbgen"
)

// Limits of one attempt.
const (
	// DefaultTimeout is the spec's "2xx within 10 s".
	DefaultTimeout = 10 * time.Second
	// responseLimit is how much of a receiver's answer is kept in the log.
	responseLimit = 1024
	// claimMargin is added to the timeout to make a claim's lease: long
	// enough that a live worker always records its attempt first.
	claimMargin = 30 * time.Second
)

// UserAgent identifies deliveries to receivers.
const UserAgent = "Transcodely-Webhooks/1"

// Dispatcher runs deliveries.
type Dispatcher struct {
	Store   *store.Store
	Secrets *secret.Keeper
	// Policy guards every outbound connection (redirects included).
	Policy   netguard.Policy
	Schedule retry.Schedule
	Logger   *slog.Logger
	// Concurrency is how many attempts run at once in this process.
	Concurrency int
	// Timeout bounds one attempt, response included.
	Timeout time.Duration
	// Poll is the longest the dispatcher sleeps without a notification.
	Poll time.Duration

	client *http.Client
	// done receives one value per finished attempt; Run counts running
	// workers with it.
	done chan struct{}
}

// Run dispatches until ctx ends, then waits for running attempts to finish
// (each within Timeout) so they are recorded rather than retried.
func (d *Dispatcher) Run(ctx context.Context) {
	if d.Concurrency <= 0 {
		d.Concurrency = 16
	}
	if d.Timeout <= 0 {
		d.Timeout = DefaultTimeout
	}
	if d.Poll <= 0 {
		d.Poll = time.Second
	}
	d.client = d.Policy.HTTPClient(d.Timeout)
	// Redirects are not followed: a receiver that moved should be updated,
	// and a 3xx is not a 2xx.
	d.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	d.done = make(chan struct{}, d.Concurrency)
	wake := make(chan struct{}, 1)
	go d.listen(ctx, wake)

	var wg sync.WaitGroup
	defer wg.Wait()
	running := 0
	for ctx.Err() == nil {
		// Collect finished workers without blocking.
	drain:
		for {
			select {
			case <-d.done:
				running--
			default:
				break drain
			}
		}
		free := d.Concurrency - running
		if free == 0 {
			// Saturated: claim nothing until a worker is free, so due rows
			// stay claimable by other replicas meanwhile.
			select {
			case <-ctx.Done():
			case <-d.done:
				running--
			}
			continue
		}
		jobs, err := d.claim(ctx, free)
		if err != nil && ctx.Err() == nil {
			d.Logger.Warn("claiming webhook deliveries", "error", err)
		}
		for _, j := range jobs {
			running++
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Detached from ctx: an attempt under way is finished and
				// recorded even during shutdown (Timeout bounds it).
				d.attempt(context.WithoutCancel(ctx), j)
				d.done <- struct{}{}
			}()
		}
		if len(jobs) > 0 {
			continue // more may be due
		}
		wait := d.Poll
		if due, err := d.Store.NextDue(ctx); err == nil && due.Valid {
			wait = min(wait, time.Until(due.Time))
		}
		if wait <= 0 {
			// Due, but another dispatcher's claim transaction holds it.
			wait = 10 * time.Millisecond
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-wake:
		case <-d.done:
			running--
		case <-timer.C:
		}
		timer.Stop()
	}
}

// claimed is a delivery this dispatcher holds, with the token proving it.
type claimed struct {
	dbgen.ClaimDeliveriesRow
	token string
}

func (d *Dispatcher) claim(ctx context.Context, n int) ([]claimed, error) {
	token := id.Random(24)
	rows, err := d.Store.ClaimDeliveries(ctx, dbgen.ClaimDeliveriesParams{
		ClaimToken: token, ClaimSeconds: (d.Timeout + claimMargin).Seconds(), RowLimit: int32(n),
	})
	out := make([]claimed, len(rows))
	for i, r := range rows {
		out[i] = claimed{r, token}
	}
	return out, store.Translate(err)
}

// outcome is the result of one HTTP attempt.
type outcome struct {
	at      time.Time
	url     string
	status  int
	latency time.Duration
	err     string
	body    string
}

func (o outcome) ok() bool { return o.err == "" && o.status >= 200 && o.status < 300 }

// attempt makes one attempt of a claimed delivery and records it.
func (d *Dispatcher) attempt(ctx context.Context, j claimed) {
	log := d.Logger.With("delivery", j.ID, "event", j.EventID, "endpoint", j.EndpointID)
	if j.EndpointID != "" && (j.EndpointStatus == nil || *j.EndpointStatus != "enabled") {
		// Disabled or deleted after the event arrived: it receives nothing.
		if err := d.cancel(ctx, j); err != nil {
			log.Warn("canceling a delivery to a disabled endpoint", "error", err)
		}
		return
	}
	sec, err := d.secretOf(ctx, j)
	if err != nil {
		// Without the secret nothing can be signed; retrying follows the
		// schedule like any failure, and the reason is in the log.
		log.Error("webhook secret unavailable", "error", err)
		d.record(ctx, j, outcome{at: time.Now(), url: j.Url, err: "signing secret unavailable"}, log)
		return
	}
	d.record(ctx, j, d.post(ctx, j, sec), log)
}

func (d *Dispatcher) secretOf(ctx context.Context, j claimed) (string, error) {
	if j.EndpointID == "" {
		return d.Secrets.ForJobURL(ctx, j.AppID, j.Environment)
	}
	kid := ""
	if j.SecretKeyID != nil {
		kid = *j.SecretKeyID
	}
	return d.Secrets.Open(j.EndpointID, kid, j.SecretCipher)
}

// post sends the signed body and reads at most responseLimit bytes back.
func (d *Dispatcher) post(ctx context.Context, j claimed, sec string) outcome {
	ctx, cancel := context.WithTimeout(ctx, d.Timeout)
	defer cancel()
	now := time.Now()
	o := outcome{at: now, url: j.Url}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.Url, bytes.NewReader(j.Body))
	if err != nil {
		o.err = "invalid url: " + err.Error()
		return o
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set(webhooksig.HeaderID, j.EventID)
	req.Header.Set(webhooksig.HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(webhooksig.HeaderSignature, webhooksig.Sign(sec, now, j.Body))
	resp, err := d.client.Do(req)
	if err != nil {
		o.latency = time.Since(now)
		o.err = describe(err, d.Timeout)
		return o
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, responseLimit))
	// Drain a little more so the connection can be reused, but never
	// wait on a receiver that streams forever.
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	o.latency = time.Since(now)
	o.status = resp.StatusCode
	o.body = printable(body)
	if !o.ok() {
		o.err = "HTTP " + strconv.Itoa(resp.StatusCode)
	}
	return o
}

// describe turns a transport error into a short message for the log,
// without the URL (which may carry a token in its query).
func describe(err error, timeout time.Duration) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Client.Timeout"):
		return fmt.Sprintf("timed out after %v", timeout)
	case errors.Is(err, netguard.ErrForbiddenAddress):
		var fe *netguard.ForbiddenError
		if errors.As(err, &fe) {
			return "refused by the outbound policy: " + fe.Error()
		}
		return "refused by the outbound policy"
	}
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) && ue.Unwrap() != nil {
		return ue.Unwrap().Error()
	}
	return err.Error()
}

// printable makes a response body storable as text: valid UTF-8 without
// NUL bytes (which Postgres text refuses), still at most responseLimit
// bytes (a replacement character is longer than the byte it replaces).
func printable(b []byte) string {
	s := strings.ReplaceAll(strings.ToValidUTF8(string(b), "\uFFFD"), "\x00", "")
	for len(s) > responseLimit {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// record logs the attempt and schedules the next one or settles the
// delivery, only if this claim still holds it.
func (d *Dispatcher) record(ctx context.Context, j claimed, o outcome, log *slog.Logger) {
	n := int(j.Attempts) + 1
	status := "delivered"
	var next pgtype.Timestamptz
	if !o.ok() {
		if at, again := d.Schedule.Next(n, time.Now(), uniform()); again {
			status, next = "pending", pgtype.Timestamptz{Time: at, Valid: true}
		} else {
			status = "failed"
		}
	}
	err := d.Store.InTx(ctx, func(q *dbgen.Queries) error {
		due := next
		if !due.Valid {
			due = pgtype.Timestamptz{Time: time.Now(), Valid: true}
		}
		rows, err := q.FinishAttempt(ctx, dbgen.FinishAttemptParams{ID: j.ID, ClaimToken: j.token, Status: status, Attempts: int32(n), NextAttemptAt: due})
		if err != nil || rows == 0 {
			return err // the claim expired and another dispatcher owns the row
		}
		return q.InsertAttempt(ctx, dbgen.InsertAttemptParams{
			DeliveryID: j.ID, Attempt: int32(n), AttemptedAt: pgtype.Timestamptz{Time: o.at, Valid: true}, Url: o.url,
			StatusCode: int32(o.status), LatencyMs: float64(o.latency.Microseconds()) / 1000, Error: o.err,
			ResponseBody: o.body, Success: o.ok(), NextRetryAt: next,
		})
	})
	attrs := []any{"attempt", n, "status_code", o.status, "latency_ms", o.latency.Milliseconds(), "outcome", status}
	switch {
	case err != nil:
		log.Error("recording a webhook attempt", append(attrs, "error", err)...)
	case o.ok():
		log.Debug("webhook delivered", attrs...)
	case status == "failed":
		log.Warn("webhook delivery failed for good", append(attrs, "error", o.err)...)
	default:
		log.Info("webhook attempt failed; will retry", append(attrs, "error", o.err, "next_attempt_at", next.Time)...)
	}
}

// cancel settles a delivery whose endpoint may no longer receive.
func (d *Dispatcher) cancel(ctx context.Context, j claimed) error {
	_, err := d.Store.FinishAttempt(ctx, dbgen.FinishAttemptParams{ID: j.ID, ClaimToken: j.token, Status: "canceled",
		Attempts: j.Attempts, NextAttemptAt: pgtype.Timestamptz{Time: time.Now(), Valid: true}})
	return store.Translate(err)
}

// uniform is a random number in [0, 1) for jitter.
func uniform() float64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return float64(binary.BigEndian.Uint64(b[:])>>11) / (1 << 53)
}

// listen signals wake on every delivery notification until ctx ends.
func (d *Dispatcher) listen(ctx context.Context, wake chan<- struct{}) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := d.listenOnce(ctx, wake)
		if ctx.Err() != nil {
			return
		}
		d.Logger.Warn("delivery notification listener stopped; reconnecting", "error", err)
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (d *Dispatcher) listenOnce(ctx context.Context, wake chan<- struct{}) error {
	conn, err := d.Store.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The connection is in LISTEN mode; it must not go back to the pool.
	c := conn.Hijack()
	defer c.Close(context.WithoutCancel(ctx))
	if _, err := c.Exec(ctx, "LISTEN "+store.DeliveryChannel); err != nil {
		return err
	}
	for {
		select {
		case wake <- struct{}{}:
		default:
		}
		if _, err := c.WaitForNotification(ctx); err != nil {
			return err
		}
	}
}
