// Package auth authenticates API calls: it reads the bearer token (an API
// key or a user session token) and the X-Organization-ID header (plus, for
// user sessions on app-scoped services, X-App-ID and X-Environment), asks a
// Verifier who the token acts as, and puts that Principal in the request
// context. It also guards internal (service-to-service) procedures with a
// shared service token, and defines the roles a membership can have.
//
// The package does not know how keys are stored: the account service owns
// them and other services reach it through a Verifier backed by its internal
// KeyService client. What a principal may do once known is decided by the
// authorization table in services/internal/rpcwire.
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
	// HeaderAppID names the app a user session acts in on app-scoped
	// services (an API key always acts as its own app).
	HeaderAppID = "X-App-ID"
	// HeaderEnvironment names the environment ("live", the default, or
	// "test") a user session acts in on app-scoped services.
	HeaderEnvironment = "X-Environment"
)

// Key prefixes of the two environments.
const (
	LivePrefix = "ak_live_"
	TestPrefix = "ak_test_"
	// SessionPrefix starts every user session token.
	SessionPrefix = "ses_"
)

// Environments a principal acts in.
const (
	EnvironmentLive = "live"
	EnvironmentTest = "test"
)

// MsgInvalidCredentials is the one message every unusable token gets, so a
// caller cannot tell a revoked or expired token from one that never existed.
const MsgInvalidCredentials = "missing or invalid API key"

// Principal is who a request acts as.
type Principal struct {
	OrganizationID string
	AppID          string
	KeyID          string
	// Environment is "live" or "test"; resources created by one are
	// invisible to the other.
	Environment string
	Scopes      []string
	// UserID is set for user sessions; Role is then the user's role in
	// OrganizationID (empty when the call named no organization).
	UserID string
	Role   string
}

// IsAPIKey reports whether an API key authenticated the call.
func (p Principal) IsAPIKey() bool { return p.KeyID != "" }

// IsUser reports whether a user session authenticated the call.
func (p Principal) IsUser() bool { return p.UserID != "" && p.KeyID == "" }

// Verifier resolves a bearer token. It returns rpcerr Unauthenticated for a
// bad, revoked or expired token and PermissionDenied for a token used with an
// organization it does not belong to (or a suspended organization).
type Verifier interface {
	Verify(ctx context.Context, token, organizationID string) (Principal, error)
}

// AppVerifier is a Verifier that can also place a user session in an app
// and environment (the X-App-ID and X-Environment headers), which
// app-scoped services need because a user, unlike a key, belongs to no app.
// For an API key, an appID other than the key's own is PermissionDenied.
type AppVerifier interface {
	Verifier
	VerifyInApp(ctx context.Context, token, organizationID, appID, environment string) (Principal, error)
}

// VerifyIn asks v about a token used in an organization and, optionally,
// an app and environment. A plain Verifier cannot answer the latter, so the
// call is refused rather than silently acting outside any app.
func VerifyIn(ctx context.Context, v Verifier, token, organizationID, appID, environment string) (Principal, error) {
	if appID == "" && environment == "" {
		return v.Verify(ctx, token, organizationID)
	}
	av, ok := v.(AppVerifier)
	if !ok {
		return Principal{}, rpcerr.InvalidField(HeaderAppID, "this server does not accept the header")
	}
	return av.VerifyInApp(ctx, token, organizationID, appID, environment)
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
		return Principal{}, rpcerr.Unauthenticated(MsgInvalidCredentials)
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
	// AppScoped reports whether a procedure acts inside one app (origins,
	// presets, jobs, webhooks). A user session calling one must name the
	// app with X-App-ID; nil means no procedure is app-scoped.
	AppScoped func(procedure string) bool
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
		return ctx, rpcerr.Unauthenticated(MsgInvalidCredentials)
	}
	org := strings.TrimSpace(h.Get(HeaderOrganizationID))
	if org == "" && !i.opts.NoOrganization[procedure] {
		return ctx, rpcerr.InvalidField("X-Organization-ID", "header is required")
	}
	// The app and environment headers only mean something where the call
	// acts inside an app; elsewhere they are ignored so a client may send
	// them on every call.
	var app, env string
	appScoped := i.opts.AppScoped != nil && i.opts.AppScoped(procedure)
	if appScoped {
		app = strings.TrimSpace(h.Get(HeaderAppID))
		env = strings.TrimSpace(h.Get(HeaderEnvironment))
	}
	p, err := VerifyIn(ctx, i.v, token, org, app, env)
	if err != nil {
		return ctx, err
	}
	if appScoped && p.AppID == "" {
		return ctx, rpcerr.InvalidField(HeaderAppID, "header is required when a user session token calls an app-scoped service")
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

// NewSessionToken returns a new user session token: "ses_" and 48 random
// base62 characters (about 285 bits). Like a key, it is stored only as
// HashKey of itself.
func NewSessionToken() string { return SessionPrefix + id.Random(48) }

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
	return c.VerifyInApp(ctx, token, organizationID, "", "")
}

// VerifyInApp is Verify for a call that also names an app and environment;
// each combination is cached separately.
func (c *CachingVerifier) VerifyInApp(ctx context.Context, token, organizationID, appID, environment string) (Principal, error) {
	// The cache key is a hash: raw secrets never sit in memory longer than a call.
	k := HashKey([]byte("cache"), token+"\x00"+organizationID+"\x00"+appID+"\x00"+environment)
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
	p, err := VerifyIn(ctx, c.next, token, organizationID, appID, environment)
	if err != nil {
		return Principal{}, err
	}
	c.mu.Lock()
	c.entries[k] = cacheEntry{p: p, expires: now.Add(c.ttl)}
	c.mu.Unlock()
	return p, nil
}
