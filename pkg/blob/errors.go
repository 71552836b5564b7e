package blob

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
)

// Sentinel errors. Test with errors.Is; the *Error carrying them says more.
var (
	// ErrNotFound means the object does not exist.
	ErrNotFound = errors.New("object not found")
	// ErrAccessDenied means the credentials are wrong or lack permission.
	ErrAccessDenied = errors.New("access denied")
	// ErrNoBucket means the configured bucket does not exist.
	ErrNoBucket = errors.New("bucket does not exist")
	// ErrOutOfRange: a ranged read started past the end (HTTP 416); a read
	// from offset 0 means the object is empty.
	ErrOutOfRange = errors.New("range not satisfiable")
	// ErrUnreachable means the storage endpoint cannot be reached at all
	// (DNS, refused or timed-out connection, TLS failure).
	ErrUnreachable = errors.New("storage endpoint unreachable")
	// ErrInvalidKey means a key or prefix failed ValidateKey.
	ErrInvalidKey = errors.New("invalid key")
)

// Error is a storage failure translated for people. Kind is one of the
// sentinel errors (or nil when none fits), Msg is a sentence a person can act
// on, and Err is the original error, kept for logs.
type Error struct {
	// Kind is the sentinel to test with errors.Is, or nil.
	Kind error
	// Msg says what is wrong in terms a person can act on; safe to show.
	Msg string
	// Err is the original error, for logs; may be nil.
	Err error
}

// Error returns Msg followed by the original error text.
func (e *Error) Error() string {
	if e.Err == nil {
		return e.Msg
	}
	return e.Msg + ": " + e.Err.Error()
}

// Unwrap exposes both Kind and Err to errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 2)
	for _, err := range []error{e.Kind, e.Err} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// NetworkError returns an *Error of kind ErrUnreachable when err shows that
// endpoint could not be reached (DNS failure, refused or reset connection,
// timeout, TLS failure), and nil otherwise. Store implementations and the URL
// helpers share it so that every "cannot connect" reads the same way.
func NetworkError(endpoint string, err error) error {
	reason := networkReason(err)
	if reason == "" {
		return nil
	}
	return &Error{
		Kind: ErrUnreachable,
		Msg:  fmt.Sprintf("cannot reach endpoint %s: %s", endpoint, reason),
		Err:  err,
	}
}

func networkReason(err error) string {
	var (
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		recErr  tls.RecordHeaderError
		netErr  net.Error
		opErr   *net.OpError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return fmt.Sprintf("host %q not found (DNS)", dnsErr.Name)
		}
		return fmt.Sprintf("DNS lookup of %q failed", dnsErr.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset by peer"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "no route to host"
	case errors.As(err, &certErr):
		return "TLS certificate not trusted: " + certErr.Err.Error()
	case errors.As(err, &recErr):
		return "TLS handshake failed; the endpoint may be plain http://"
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		// net/http reports this as untyped text only.
		return "the endpoint speaks plain HTTP; use an http:// URL"
	case errors.Is(err, context.Canceled):
		// The caller gave up; that says nothing about the endpoint.
		return ""
	case errors.As(err, &netErr) && netErr.Timeout():
		return "connection timed out"
	case errors.As(err, &opErr):
		// Covers dialers that refuse addresses on purpose (private ranges).
		return opErr.Err.Error()
	}
	return ""
}
