package webhooksig_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/transcodely/transcodely/pkg/webhooksig"
)

const secret = "whsec_0123456789abcdefghijABCDEFGHIJ"

func TestSign_KnownVector(t *testing.T) {
	t.Parallel()
	body := []byte(`{"id":"evt_1","type":"job.completed"}`)
	at := time.Unix(1700000000, 0)
	// Computed independently of the package, straight from the scheme.
	h := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(h, "%d.%s", at.Unix(), body)
	want := "t=1700000000,v1=" + hex.EncodeToString(h.Sum(nil))
	if got := webhooksig.Sign(secret, at, body); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	body := []byte(`{"id":"evt_1","type":"job.completed","data":{"job":{"metadata":{"k":"v"}}}}`)
	signedAt := time.Unix(1700000000, 0)
	header := webhooksig.Sign(secret, signedAt, body)
	tests := []struct {
		name      string
		secret    string
		header    string
		body      []byte
		now       time.Time
		tolerance time.Duration
		want      error
	}{
		{name: "valid", secret: secret, header: header, body: body, now: signedAt.Add(time.Minute)},
		{name: "valid at the edge of the default tolerance", secret: secret, header: header, body: body, now: signedAt.Add(5 * time.Minute)},
		{name: "tampered body", secret: secret, header: header, body: []byte(`{"id":"evt_1","type":"job.failed","data":{"job":{"metadata":{"k":"v"}}}}`), now: signedAt, want: webhooksig.ErrNoMatch},
		{name: "one byte appended", secret: secret, header: header, body: append(append([]byte{}, body...), ' '), now: signedAt, want: webhooksig.ErrNoMatch},
		{name: "old timestamp", secret: secret, header: header, body: body, now: signedAt.Add(5*time.Minute + time.Second), want: webhooksig.ErrTooOld},
		{name: "timestamp far in the future", secret: secret, header: header, body: body, now: signedAt.Add(-time.Hour), want: webhooksig.ErrTooOld},
		{name: "custom tolerance", secret: secret, header: header, body: body, now: signedAt.Add(time.Hour), tolerance: 2 * time.Hour},
		{name: "timestamp swapped into a valid signature", secret: secret, header: "t=1700000100," + header[len("t=1700000000,"):], body: body, now: signedAt, want: webhooksig.ErrNoMatch},
		{name: "wrong secret", secret: "whsec_other", header: header, body: body, now: signedAt, want: webhooksig.ErrNoMatch},
		{name: "missing header", secret: secret, header: "", body: body, now: signedAt, want: webhooksig.ErrMissingHeader},
		{name: "no v1", secret: secret, header: "t=1700000000", body: body, now: signedAt, want: webhooksig.ErrMissingHeader},
		{name: "bad t", secret: secret, header: "t=soon,v1=00", body: body, now: signedAt, want: webhooksig.ErrMissingHeader},
		{name: "one of several v1 values matches", secret: secret, header: "t=1700000000,v1=deadbeef," + header[len("t=1700000000,"):] + ",v2=future", body: body, now: signedAt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := webhooksig.Verify(tt.secret, tt.header, tt.body, tt.now, tt.tolerance)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}
