// Package id makes the prefixed, Stripe-style identifiers the public API uses
// (job_…, ori_…, ak_…): a short type prefix and random base62 characters.
package id

import (
	"crypto/rand"
	"math/big"
	"strings"
)

// Prefixes of every resource the API exposes.
const (
	Organization = "org"
	App          = "app"
	APIKey       = "ak"
	User         = "usr"
	Membership   = "mem"
	Origin       = "ori"
	Preset       = "pst"
	Job          = "job"
	Output       = "out"
	Task         = "tsk"
	Webhook      = "whe"
	Event        = "evt"
	Batch        = "bat"
	Session      = "ses"
)

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// randomLength gives 16 base62 characters: about 95 bits, enough that
// collisions never happen in practice while ids stay readable.
const randomLength = 16

// New returns prefix + "_" + 16 random base62 characters.
func New(prefix string) string {
	return prefix + "_" + Random(randomLength)
}

// Random returns n cryptographically random base62 characters.
func Random(n int) string {
	var b strings.Builder
	b.Grow(n)
	limit := big.NewInt(int64(len(alphabet)))
	for range n {
		v, err := rand.Int(rand.Reader, limit)
		if err != nil {
			// crypto/rand never fails on supported platforms (Go 1.24+
			// crashes instead), so this is unreachable.
			panic(err)
		}
		b.WriteByte(alphabet[v.Int64()])
	}
	return b.String()
}

// HasPrefix reports whether s looks like an id of the given prefix.
func HasPrefix(s, prefix string) bool {
	rest, ok := strings.CutPrefix(s, prefix+"_")
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if !strings.ContainsRune(alphabet, c) {
			return false
		}
	}
	return true
}
