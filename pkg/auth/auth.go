// Package auth authenticates API calls: it reads the bearer token and the
// X-Organization-ID header, asks a Verifier who the token acts as, and puts
// that Principal in the request context. It also guards internal
// (service-to-service) procedures with a shared service token.
//
// The package does not know how keys are stored: the account service owns
// them and other services reach it through a Verifier backed by its internal
// KeyService client.
package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"connectrpc.com/connect"

	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/rpcerr"
)

// Header names the API uses.
const (
	HeaderAuthorization  = "Authorization"
	HeaderOrganizationID = "X-Organization-ID"
	// HeaderServiceToken carries the shared secret on internal RPCs.
	HeaderServiceToken = "X-Transcodely-Service-Token"
)

// Key prefixes of the two environments.
const (
	LivePrefix = "ak_live_"
	TestPrefix = "ak_test_"
)

// Principal is who a request acts as.
type Principal struct {
	OrganizationID string
	AppID          string
	KeyID          string
	// Environment is "live" or "test"; resources created by one are
	// invisible to the other.
	Environment string
	Scopes      []string
	UserID      string
	Role        string
}

// Verifier resolves a bearer token. It returns rpcerr Unauthenticated for a
// bad, revoked or expired token and PermissionDenied for a token used with an
// organization it does not belong to (or a suspended organization).
type Verifier interface {
	Verify(ctx context.Context, token, organizationID string) (Principal, error)
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the request's principal.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// MustFromContext returns the request's principal or an Unauthenticated
// error, for handlers behind the interceptor.
func MustFromContext(ctx context.Context) (Principal, error) {
	p, ok := FromContext(ctx)
	if !ok {
		return Principal{}, rpcerr.Unauthenticated("missing or invalid API key")
	}
	return p, nil
}

// Options say which procedures are open.
type Options struct {
	// Public procedures need no token at all (health checks).
	Public map[string]bool
	// NoOrganization procedures need a token but no X-Organization-ID
	// (GetMe, CheckSlug, organization Create).
	NoOrganization map[string]bool
}

// NewInterceptor authenticates every public call. Internal procedures
// (/transcodely.internal.*) are left to the service-token interceptor.
func NewInterceptor(v Verifier, opts Options) connect.Interceptor {
	return &interceptor{v: v, opts: opts}
}

type interceptor struct {
	v    Verifier
	opts Options
}

func (i *interceptor) authenticate(ctx context.Context, procedure string, h interface{ Get(string) string }) (context.Context, error) {
	if i.opts.Public[procedure] || strings.HasPrefix(procedure, "/transcodely.internal.") {
		return ctx, nil
	}
	token, ok := strings.CutPrefix(h.Get(HeaderAuthorization), "Bearer ")
	token = strings.TrimSpace(token)
	if !ok || token == "" {
		return ctx, rpcerr.Unauthenticated("missing or invalid API key")
	}
	org := strings.TrimSpace(h.Get(HeaderOrganizationID))
	if org == "" && !i.opts.NoOrganization[procedure] {
		return ctx, rpcerr.InvalidField("X-Organization-ID", "header is required")
	}
	p, err := i.v.Verify(ctx, token, org)
	if err != nil {
		return ctx, err
	}
	return WithPrincipal(ctx, p), nil
}

func (i *interceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if req.Spec().IsClient {
			return next(ctx, req)
		}
		ctx, err := i.authenticate(ctx, req.Spec().Procedure, req.Header())
		if err != nil {
			return nil, err
		}
		return next(ctx, req)
	}
}

func (i *interceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (i *interceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		ctx, err := i.authenticate(ctx, conn.Spec().Procedure, conn.RequestHeader())
		if err != nil {
			return err
		}
		return next(ctx, conn)
	}
}

// NewServiceTokenInterceptor guards internal procedures on the handler side
// and adds the token on the client side, so one option serves both.
func NewServiceTokenInterceptor(token string) connect.Interceptor {
	return &serviceToken{token: token}
}

type serviceToken struct{ token string }

func (s *serviceToken) check(procedure string, h interface{ Get(string) string }) error {
	if !strings.HasPrefix(procedure, "/transcodely.internal.") {
		return nil
	}
	got := h.Get(HeaderServiceToken)
	if s.token == "" || subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) != 1 {
		return rpcerr.Unauthenticated("internal procedure: missing or wrong service token")
	}
	return nil
}

func (s *serviceToken) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if req.Spec().IsClient {
			req.Header().Set(HeaderServiceToken, s.token)
			return next(ctx, req)
		}
		if err := s.check(req.Spec().Procedure, req.Header()); err != nil {
			return nil, err
		}
		return next(ctx, req)
	}
}

func (s *serviceToken) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return func(ctx context.Context, spec connect.Spec) connect.StreamingClientConn {
		conn := next(ctx, spec)
		conn.RequestHeader().Set(HeaderServiceToken, s.token)
		return conn
	}
}

func (s *serviceToken) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		if err := s.check(conn.Spec().Procedure, conn.RequestHeader()); err != nil {
			return err
		}
		return next(ctx, conn)
	}
}

// NewKeySecret returns a new API key secret for the environment ("live" or
// "test"): the prefix and 40 random base62 characters (about 238 bits).
func NewKeySecret(environment string) string {
	prefix := TestPrefix
	if environment == "live" {
		prefix = LivePrefix
	}
	return prefix + id.Random(40)
}

// HashKey returns the stored form of a key secret: HMAC-SHA256 with a
// server-side pepper, hex encoded. A database dump alone cannot be used to
// check guesses without the pepper.
func HashKey(pepper []byte, secret string) string {
	m := hmac.New(sha256.New, pepper)
	m.Write([]byte(secret))
	return hex.EncodeToString(m.Sum(nil))
}

// CachingVerifier remembers successful verifications for TTL, so a busy
// service does not ask the account service on every call. A revoked key
// therefore stops working on every replica within TTL.
type CachingVerifier struct {
	next Verifier
	ttl  time.Duration
	now  func() time.Time

	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	p       Principal
	expires time.Time
}

// NewCachingVerifier wraps next with a cache of the given TTL.
func NewCachingVerifier(next Verifier, ttl time.Duration) *CachingVerifier {
	return &CachingVerifier{next: next, ttl: ttl, now: time.Now, entries: map[string]cacheEntry{}}
}

// Verify answers from the cache or asks next. Failures are not cached, so a
// key that starts working (clock skew, replication) is seen at once.
func (c *CachingVerifier) Verify(ctx context.Context, token, organizationID string) (Principal, error) {
	// The cache key is a hash: raw secrets never sit in memory longer than a call.
	k := HashKey([]byte("cache"), token+"\x00"+organizationID)
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[k]
	if ok && now.Before(e.expires) {
		c.mu.Unlock()
		return e.p, nil
	}
	if len(c.entries) > 10000 {
		// Bound memory: stale entries are cheap to rebuild.
		clear(c.entries)
	}
	c.mu.Unlock()
	p, err := c.next.Verify(ctx, token, organizationID)
	if err != nil {
		return Principal{}, err
	}
	c.mu.Lock()
	c.entries[k] = cacheEntry{p: p, expires: now.Add(c.ttl)}
	c.mu.Unlock()
	return p, nil
}
