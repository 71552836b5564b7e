package rpcwire

import (
	"context"
	"math"
	"strings"
	"sync"
	"time"

	"connectrpc.com/connect"

	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/rpcerr"
)

// RateLimit configures the per-organization request limits: a token bucket
// per organization (per user for the calls that name no organization) that
// refills at RPS tokens a second and holds at most Burst. JobService/Create
// also takes a token from a second, stricter bucket, because each job costs
// encoder time. A zero RPS disables that limit. The buckets live in each
// process, so with several replicas of a service the effective limit is the
// per-replica figure times the replicas behind the proxy.
type RateLimit struct {
	RPS            float64 `env:"TRANSCODELY_RATE_LIMIT_RPS" default:"50"`
	Burst          int     `env:"TRANSCODELY_RATE_LIMIT_BURST" default:"100"`
	JobCreateRPS   float64 `env:"TRANSCODELY_RATE_LIMIT_JOB_CREATE_RPS" default:"5"`
	JobCreateBurst int     `env:"TRANSCODELY_RATE_LIMIT_JOB_CREATE_BURST" default:"20"`
}

// jobCreate is the procedure with its own stricter bucket.
const jobCreate = "/transcodely.v1.JobService/Create"

// maxBuckets bounds memory: past it, buckets that have refilled completely
// (and so carry no information) are dropped.
const maxBuckets = 10000

// bucket is one token bucket. tokens is the level at last.
type bucket struct {
	tokens float64
	last   time.Time
}

// limiter is a set of token buckets of one rate.
type limiter struct {
	rps   float64
	burst float64

	mu      sync.Mutex
	buckets map[string]*bucket
}

func newLimiter(rps float64, burst int) *limiter {
	if rps <= 0 {
		return nil
	}
	b := float64(burst)
	if b < 1 {
		b = math.Max(1, math.Ceil(rps))
	}
	return &limiter{rps: rps, burst: b, buckets: map[string]*bucket{}}
}

// take removes a token from key's bucket. When the bucket is empty it
// returns false and how long until a token is back.
func (l *limiter) take(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rps)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rps * float64(time.Second))
	return false, wait
}

// sweep drops full buckets; a full bucket is what a new one would be.
func (l *limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rps >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// rateLimiter is the interceptor; it runs after authentication, because
// the bucket is the caller's organization.
type rateLimiter struct {
	all, jobCreate *limiter
	now            func() time.Time
}

// newRateLimiter returns nil when every limit is off.
func newRateLimiter(c RateLimit) *rateLimiter {
	r := &rateLimiter{all: newLimiter(c.RPS, c.Burst), jobCreate: newLimiter(c.JobCreateRPS, c.JobCreateBurst), now: time.Now}
	if r.all == nil && r.jobCreate == nil {
		return nil
	}
	return r
}

func (r *rateLimiter) check(ctx context.Context, procedure string) error {
	if strings.HasPrefix(procedure, "/transcodely.internal.") {
		return nil // service-to-service traffic is not the tenant's
	}
	p, ok := auth.FromContext(ctx)
	if !ok {
		return nil // public procedures (health) are not limited per tenant
	}
	key := "org:" + p.OrganizationID
	if p.OrganizationID == "" {
		key = "usr:" + p.UserID
	}
	now := r.now()
	if r.all != nil {
		if ok, wait := r.all.take(key, now); !ok {
			return exhausted(wait)
		}
	}
	if r.jobCreate != nil && procedure == jobCreate {
		if ok, wait := r.jobCreate.take(key, now); !ok {
			return exhausted(wait)
		}
	}
	return nil
}

func exhausted(wait time.Duration) error {
	// Retry-After has whole seconds; never tell a caller to retry at once.
	wait = max(wait, time.Second)
	return rpcerr.ResourceExhausted("rate limit exceeded for this organization; retry after the Retry-After delay", wait)
}

func (r *rateLimiter) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if req.Spec().IsClient {
			return next(ctx, req)
		}
		if err := r.check(ctx, req.Spec().Procedure); err != nil {
			return nil, err
		}
		return next(ctx, req)
	}
}

func (r *rateLimiter) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (r *rateLimiter) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		if err := r.check(ctx, conn.Spec().Procedure); err != nil {
			return err
		}
		return next(ctx, conn)
	}
}
