// Package webhooksig signs and verifies Transcodely webhook deliveries.
//
// Every delivery carries the header
//
//	Transcodely-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
//
// where the HMAC is computed with the endpoint's signing secret (the whole
// "whsec_…" string, as UTF-8 bytes) over "<t>.<raw request body>". Binding
// the timestamp into the MAC lets a receiver refuse replays older than a
// tolerance; hex keeps the header ASCII. A header may list several v1
// values (one per secret while a rotated secret is still honoured); any
// match is enough.
//
// The service signs with Sign; receivers written in Go can call Verify.
// docs/WEBHOOKS.md shows the same check in other languages.
package webhooksig

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Header names of a delivery.
const (
	// HeaderSignature carries "t=<unix>,v1=<hex>".
	HeaderSignature = "Transcodely-Signature"
	// HeaderID carries the event id ("evt_…"); receivers deduplicate by it.
	HeaderID = "Webhook-Id"
	// HeaderTimestamp carries the same unix seconds as t=.
	HeaderTimestamp = "Webhook-Timestamp"
)

// SecretPrefix starts every signing secret.
const SecretPrefix = "whsec_"

// DefaultTolerance is how old a signature Verify accepts when given a
// tolerance of 0: long enough for clock skew and slow networks, short
// enough that a captured request cannot be replayed for long.
const DefaultTolerance = 5 * time.Minute

// Errors Verify returns; they wrap nothing secret and may be logged.
var (
	ErrMissingHeader = errors.New("webhooksig: missing or malformed signature header")
	ErrNoMatch       = errors.New("webhooksig: no signature matches the body")
	ErrTooOld        = errors.New("webhooksig: signature timestamp is outside the tolerance")
)

// mac is hex(HMAC-SHA256(secret, "<t>.<body>")).
func mac(secret string, t int64, body []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(strconv.FormatInt(t, 10)))
	h.Write([]byte{'.'})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Sign returns the Transcodely-Signature header value for body sent at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := t.Unix()
	return "t=" + strconv.FormatInt(ts, 10) + ",v1=" + mac(secret, ts, body)
}

// Verify checks a Transcodely-Signature header against the raw body: at
// least one v1 value must be the HMAC of "<t>.<body>" under secret
// (compared in constant time), and t must be within tolerance of now in
// either direction (0 means DefaultTolerance). Pass the body exactly as
// received, before any JSON parsing.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	var ts int64
	var haveTS bool
	var sigs []string
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return ErrMissingHeader
			}
			ts, haveTS = n, true
		case "v1":
			sigs = append(sigs, v)
		}
		// Unknown schemes (v0, future v2) are ignored so the header can
		// grow without breaking receivers.
	}
	if !haveTS || len(sigs) == 0 {
		return ErrMissingHeader
	}
	want := []byte(mac(secret, ts, body))
	matched := false
	for _, s := range sigs {
		if hmac.Equal([]byte(s), want) {
			matched = true
		}
	}
	if !matched {
		return ErrNoMatch
	}
	// Checked after the MAC so a forged header learns nothing about the
	// clock; the timestamp is only trusted once it is authenticated.
	if age := now.Sub(time.Unix(ts, 0)); age > tolerance || age < -tolerance {
		return ErrTooOld
	}
	return nil
}
