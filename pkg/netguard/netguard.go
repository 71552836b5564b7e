// Package netguard enforces where Transcodely may connect on behalf of
// users: source URLs, customer S3 endpoints and webhook URLs are all
// user-supplied, and without a guard they turn the platform into a proxy
// into its own network (SSRF): cloud metadata credentials, the database,
// internal services.
//
// Two layers work together:
//
//   - CheckURL validates early, at request time, so a bad URL is rejected
//     with a clear message before a job is accepted.
//   - DialContext (and the Transport and HTTPClient built on it) checks the
//     IP actually being connected to, for every connection. This is the
//     layer that is safe: DNS answers that change between validation and use
//     (rebinding) and redirects to internal addresses are caught because the
//     check happens after resolution, at dial time.
//
// Only publicly routable unicast addresses pass by default. Policy.Allow
// lists exceptions (for example 127.0.0.0/8 in local development and tests).
package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrForbiddenAddress is wrapped by every refusal, through net.OpError and
// url.Error too, so callers can use errors.Is to tell policy refusals from
// network failures.
var ErrForbiddenAddress = errors.New("forbidden address")

// ForbiddenError is a refusal naming the address and the reason.
type ForbiddenError struct {
	Addr   netip.Addr
	Reason string // e.g. "private", "loopback", "cloud metadata"
}

// Error implements error.
func (e *ForbiddenError) Error() string {
	if !e.Addr.IsValid() {
		return "address is " + e.Reason + " and not allowed"
	}
	return fmt.Sprintf("address %s is %s and not allowed", e.Addr, e.Reason)
}

// Is makes errors.Is(err, ErrForbiddenAddress) true.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbiddenAddress }

// Policy decides which addresses may be connected to. The zero value is the
// strict production policy.
type Policy struct {
	// Allow lists prefixes that are permitted even though they are not
	// public, checked before every rule. Listing a prefix that covers
	// 169.254.169.254 or fd00:ec2::254 exposes cloud credentials.
	Allow []netip.Prefix
	// Resolver is used by CheckURL; nil means net.DefaultResolver. Tests
	// substitute fake DNS here. Dialing always uses the system resolver,
	// which is fine because the dial-time check sees the resolved IP.
	Resolver Resolver
}

// blocked is one refused range. Order matters: the first match names the
// reason, so specific entries precede the ranges that contain them.
type blocked struct {
	prefix netip.Prefix
	reason string
}

var blockedRanges = func() []blocked {
	entries := []struct{ cidr, reason string }{
		// Cloud metadata services first, so the message says why it
		// matters. Most sit inside ranges below anyway.
		{"169.254.169.254/32", "cloud metadata"}, // AWS, GCP, Azure, OpenStack, DigitalOcean
		{"169.254.170.2/32", "cloud metadata"},   // AWS ECS task metadata
		{"169.254.169.253/32", "cloud metadata"}, // AWS VPC DNS
		{"100.100.100.200/32", "cloud metadata"}, // Alibaba Cloud
		{"192.0.0.192/32", "cloud metadata"},     // Oracle Cloud
		{"fd00:ec2::254/128", "cloud metadata"},  // AWS IMDS over IPv6
		{"fd00:ec2::23/128", "cloud metadata"},   // AWS Time Sync / DNS over IPv6

		// IPv4 special-purpose ranges (IANA registry, not globally reachable).
		{"0.0.0.0/8", "unspecified (this network)"},
		{"10.0.0.0/8", "private"},
		{"100.64.0.0/10", "shared address space (CGNAT)"},
		{"127.0.0.0/8", "loopback"},
		{"169.254.0.0/16", "link-local"},
		{"172.16.0.0/12", "private"},
		{"192.0.0.0/24", "reserved (IETF protocol assignments)"},
		{"192.0.2.0/24", "reserved (documentation)"},
		{"192.88.99.0/24", "reserved (6to4 relay)"},
		{"192.168.0.0/16", "private"},
		{"198.18.0.0/15", "reserved (benchmarking)"},
		{"198.51.100.0/24", "reserved (documentation)"},
		{"203.0.113.0/24", "reserved (documentation)"},
		{"224.0.0.0/4", "multicast"},
		{"240.0.0.0/4", "reserved"}, // includes 255.255.255.255 broadcast

		// IPv6.
		{"::/128", "unspecified"},
		{"::1/128", "loopback"},
		{"::/96", "reserved (IPv4-compatible)"},
		{"64:ff9b:1::/48", "reserved (local-use NAT64)"},
		{"100::/64", "reserved (discard-only)"},
		{"2001:db8::/32", "reserved (documentation)"},
		{"2001::/23", "reserved (IETF protocol assignments, incl. Teredo)"},
		{"2002::/16", "reserved (6to4, embeds an IPv4 address)"},
		{"3fff::/20", "reserved (documentation)"},
		{"5f00::/16", "reserved (SRv6)"},
		{"fc00::/7", "unique-local (private)"},
		{"fe80::/10", "link-local"},
		{"fec0::/10", "site-local (private)"},
		{"ff00::/8", "multicast"},
	}
	out := make([]blocked, len(entries))
	for i, e := range entries {
		out[i] = blocked{netip.MustParsePrefix(e.cidr), e.reason}
	}
	return out
}()

// nat64 is the well-known NAT64 prefix: 64:ff9b::a.b.c.d reaches a.b.c.d
// through a NAT64 gateway, so the embedded IPv4 address decides.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// CheckIP returns nil if ip may be connected to, or a *ForbiddenError
// (wrapping ErrForbiddenAddress) naming it and why it is refused.
func (p Policy) CheckIP(ip netip.Addr) error {
	if !ip.IsValid() {
		return &ForbiddenError{Reason: "invalid"}
	}
	shown := ip
	// Prefix.Contains never matches an address with a zone, which would
	// let fe80::1%eth0 through every rule.
	ip = ip.WithZone("")
	// ::ffff:10.0.0.5 is 10.0.0.5 on the wire; judge the IPv4 address.
	ip = ip.Unmap()
	if nat64.Contains(ip) {
		b := ip.As16()
		embedded := netip.AddrFrom4([4]byte(b[12:16]))
		if err := p.CheckIP(embedded); err != nil && !p.allowed(ip) {
			return &ForbiddenError{Addr: shown, Reason: "NAT64 for a non-public IPv4 address"}
		}
		return nil
	}
	if p.allowed(ip) {
		return nil
	}
	for _, b := range blockedRanges {
		if b.prefix.Contains(ip) {
			return &ForbiddenError{Addr: shown, Reason: b.reason}
		}
	}
	// Catch-alls for anything the table misses (future IANA changes).
	switch {
	case ip.IsLoopback():
		return &ForbiddenError{Addr: shown, Reason: "loopback"}
	case ip.IsPrivate():
		return &ForbiddenError{Addr: shown, Reason: "private"}
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return &ForbiddenError{Addr: shown, Reason: "link-local"}
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast():
		return &ForbiddenError{Addr: shown, Reason: "multicast"}
	case ip.IsUnspecified():
		return &ForbiddenError{Addr: shown, Reason: "unspecified"}
	case !ip.IsGlobalUnicast():
		return &ForbiddenError{Addr: shown, Reason: "not a global unicast address"}
	}
	return nil
}

func (p Policy) allowed(ip netip.Addr) bool {
	for _, pfx := range p.Allow {
		if pfx.Contains(ip) {
			return true
		}
	}
	return false
}

// control runs after DNS resolution, immediately before connect(2), for
// every address the dialer tries, so it sees exactly what is connected to.
func (p Policy) control(network, address string, _ syscall.RawConn) error {
	switch network {
	case "tcp4", "tcp6", "udp4", "udp6":
	default:
		return fmt.Errorf("network %q: %w", network, ErrForbiddenAddress)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("unparseable address %q: %w", address, ErrForbiddenAddress)
	}
	return p.CheckIP(ap.Addr())
}

// Dialer returns a net.Dialer that refuses forbidden addresses at connect
// time. Use it to build clients this package has no helper for (SDKs that
// take a dial function).
func (p Policy) Dialer() *net.Dialer {
	return &net.Dialer{
		Timeout:   10 * time.Second,
		KeepAlive: 30 * time.Second,
		Control:   p.control,
	}
}

// DialContext dials like net.Dialer.DialContext but refuses every forbidden
// address, whether given literally or obtained from DNS. Only TCP and UDP
// are supported: a unix socket has no IP to judge.
func (p Policy) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	switch network {
	case "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6":
	default:
		return nil, fmt.Errorf("netguard: network %q: %w", network, ErrForbiddenAddress)
	}
	return p.Dialer().DialContext(ctx, network, addr)
}

// Transport returns an HTTP transport that dials through DialContext and
// ignores HTTP(S)_PROXY: with a proxy, the only IP dialed would be the
// proxy's, and the real destination would escape the check.
func (p Policy) Transport() *http.Transport {
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           p.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   10,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
	}
}

// maxRedirects matches net/http's default limit.
const maxRedirects = 10

// HTTPClient returns a client using Transport. timeout bounds whole
// requests including the body; 0 means none (for large downloads, bound them
// with the request context instead). Redirects are followed (each hop is
// dialed through the guard) up to 10 times, and only to http or https.
func (p Policy) HTTPClient(timeout time.Duration) *http.Client {
	return &http.Client{
		Transport: p.Transport(),
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return fmt.Errorf("stopped after %d redirects", maxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to unsupported scheme %q", req.URL.Scheme)
			}
			return nil
		},
	}
}

// Resolver is the subset of *net.Resolver CheckURL uses.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// CheckURL validates a user-supplied URL at request time: it must parse, be
// absolute, use one of allowedSchemes (default http and https), have a
// host, and every address the host resolves to must pass CheckIP. Errors
// describe the problem for the user ("host internal.example resolves to
// 10.0.0.5: address 10.0.0.5 is private and not allowed").
//
// Passing does not make later connections safe (DNS can change); always
// connect through DialContext as well.
func (p Policy) CheckURL(ctx context.Context, raw string, allowedSchemes ...string) error {
	var r Resolver = net.DefaultResolver
	if p.Resolver != nil {
		r = p.Resolver
	}
	if len(allowedSchemes) == 0 {
		allowedSchemes = []string{"http", "https"}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("invalid URL: %w", unwrapURLError(err))
	}
	if u.Scheme == "" || u.Opaque != "" {
		return errors.New("invalid URL: must be absolute, like https://host/path")
	}
	if !containsFold(allowedSchemes, u.Scheme) {
		return fmt.Errorf("URL scheme %q is not allowed (allowed: %s)", u.Scheme, strings.Join(allowedSchemes, ", "))
	}
	host := u.Hostname()
	if host == "" {
		return errors.New("invalid URL: missing host")
	}
	if port := u.Port(); port != "" {
		if n, err := net.LookupPort("tcp", port); err != nil || n == 0 {
			return fmt.Errorf("invalid URL: bad port %q", port)
		}
	}

	if ip, err := netip.ParseAddr(host); err == nil {
		return p.CheckIP(ip)
	}
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return fmt.Errorf("host %s cannot be resolved: %w", host, err)
	}
	if len(addrs) == 0 {
		return fmt.Errorf("host %s has no addresses", host)
	}
	// Every address must pass, not just one: the dialer may pick any.
	for _, ip := range addrs {
		if err := p.CheckIP(ip); err != nil {
			return fmt.Errorf("host %s resolves to %s: %w", host, ip, err)
		}
	}
	return nil
}

// unwrapURLError drops url.Error's "parse <raw>:" prefix so the URL, which
// may carry credentials, is not echoed into API errors and logs.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// ParsePrefixes parses a comma-separated list of CIDR prefixes, such as the
// value of an allow-list environment variable. Bare addresses mean a single
// host (/32 or /128); empty items are ignored.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !strings.Contains(item, "/") {
			ip, err := netip.ParseAddr(item)
			if err != nil {
				return nil, fmt.Errorf("netguard: invalid address %q", item)
			}
			out = append(out, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
			continue
		}
		pfx, err := netip.ParsePrefix(item)
		if err != nil {
			return nil, fmt.Errorf("netguard: invalid prefix %q", item)
		}
		out = append(out, pfx.Masked())
	}
	return out, nil
}
