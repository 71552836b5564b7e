package rpcwire

import (
	"context"
	"testing"
	"time"

	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/rpcerr"
)

func TestRateLimiter(t *testing.T) {
	t.Parallel()
	r := newRateLimiter(RateLimit{RPS: 2, Burst: 3, JobCreateRPS: 0.5, JobCreateBurst: 1})
	now := time.Unix(1000, 0)
	r.now = func() time.Time { return now }
	org1 := auth.WithPrincipal(context.Background(), auth.Principal{OrganizationID: "org_1", KeyID: "ak_1"})
	org2 := auth.WithPrincipal(context.Background(), auth.Principal{OrganizationID: "org_2", KeyID: "ak_2"})
	for i := range 3 {
		if err := r.check(org1, "/transcodely.v1.JobService/List"); err != nil {
			t.Fatalf("call %d within the burst: %v", i, err)
		}
	}
	err := r.check(org1, "/transcodely.v1.JobService/List")
	var re *rpcerr.Error
	if rpcerr.KindOf(err) != rpcerr.KindResourceExhausted {
		t.Fatalf("past the burst: %v", err)
	}
	if re, _ = err.(*rpcerr.Error); re.RetryAfter != time.Second {
		t.Fatalf("retry after %v, want 1 s (0.5 s rounded up)", re.RetryAfter)
	}
	if err := r.check(org2, "/transcodely.v1.JobService/List"); err != nil {
		t.Fatalf("another organization: %v", err)
	}
	// Half a second refills one token at 2/s.
	now = now.Add(500 * time.Millisecond)
	if err := r.check(org1, "/transcodely.v1.JobService/List"); err != nil {
		t.Fatalf("after refill: %v", err)
	}
	// Job creation has its own stricter bucket.
	if err := r.check(org2, jobCreate); err != nil {
		t.Fatal(err)
	}
	err = r.check(org2, jobCreate)
	if re, _ = err.(*rpcerr.Error); re == nil || re.Kind != rpcerr.KindResourceExhausted || re.RetryAfter != 2*time.Second {
		t.Fatalf("second job create: %v", err)
	}
	// Public and internal calls are not limited.
	if err := r.check(context.Background(), "/transcodely.v1.HealthService/Check"); err != nil {
		t.Fatal(err)
	}
	if newRateLimiter(RateLimit{}) != nil {
		t.Fatal("a zero config limits")
	}
}

func TestLimiter_Sweep(t *testing.T) {
	t.Parallel()
	l := newLimiter(1, 1)
	now := time.Unix(0, 0)
	for i := range maxBuckets {
		l.take(string(rune(i)), now)
	}
	// All buckets are full again a second later: the next new key sweeps.
	l.take("new", now.Add(2*time.Second))
	if len(l.buckets) != 1 {
		t.Fatalf("%d buckets after a sweep", len(l.buckets))
	}
}
