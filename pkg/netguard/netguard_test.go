package netguard_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/transcodely/transcodely/pkg/netguard"
)

func TestPolicy_CheckIP(t *testing.T) {
	t.Parallel()

	t.Run("refuses non-public addresses", func(t *testing.T) {
		t.Parallel()
		cases := []struct{ ip, reason string }{
			{"10.0.0.5", "private"},
			{"172.16.0.1", "private"},
			{"172.31.255.255", "private"},
			{"192.168.1.1", "private"},
			{"127.0.0.1", "loopback"},
			{"127.255.0.9", "loopback"},
			{"169.254.169.254", "cloud metadata"},
			{"169.254.170.2", "cloud metadata"},
			{"169.254.1.1", "link-local"},
			{"100.64.0.1", "CGNAT"},
			{"100.127.255.255", "CGNAT"},
			{"100.100.100.200", "cloud metadata"},
			{"0.0.0.0", "unspecified"},
			{"0.1.2.3", "unspecified"},
			{"224.0.0.1", "multicast"},
			{"239.255.255.250", "multicast"},
			{"255.255.255.255", "reserved"},
			{"198.18.0.1", "benchmarking"},
			{"192.0.2.1", "documentation"},
			{"::", "unspecified"},
			{"::1", "loopback"},
			{"fd00::1", "unique-local"},
			{"fc00::1", "unique-local"},
			{"fd00:ec2::254", "cloud metadata"},
			{"fe80::1", "link-local"},
			{"fe80::1%eth0", "link-local"},
			{"ff02::1", "multicast"},
			{"::ffff:10.0.0.5", "private"},
			{"::ffff:127.0.0.1", "loopback"},
			{"::ffff:169.254.169.254", "cloud metadata"},
			{"::7f00:1", "IPv4-compatible"}, // ::127.0.0.1
			{"64:ff9b::a00:5", "NAT64"},
			{"64:ff9b:1::1", "NAT64"},
			{"2002:a00:5::1", "6to4"},
			{"2001:db8::1", "documentation"},
		}
		var p netguard.Policy
		for _, c := range cases {
			err := p.CheckIP(netip.MustParseAddr(c.ip))
			if err == nil {
				t.Errorf("%s allowed", c.ip)
				continue
			}
			if !errors.Is(err, netguard.ErrForbiddenAddress) {
				t.Errorf("%s: error %v does not wrap ErrForbiddenAddress", c.ip, err)
			}
			if !strings.Contains(err.Error(), c.reason) || !strings.Contains(err.Error(), c.ip) {
				t.Errorf("%s: error %q does not name the address and %q", c.ip, err, c.reason)
			}
		}
	})

	t.Run("message format", func(t *testing.T) {
		t.Parallel()
		err := netguard.Policy{}.CheckIP(netip.MustParseAddr("10.0.0.5"))
		if got, want := err.Error(), "address 10.0.0.5 is private and not allowed"; got != want {
			t.Errorf("error = %q, want %q", got, want)
		}
		var fe *netguard.ForbiddenError
		if !errors.As(err, &fe) || fe.Addr.String() != "10.0.0.5" || fe.Reason != "private" {
			t.Errorf("ForbiddenError = %+v", fe)
		}
	})

	t.Run("allows public addresses", func(t *testing.T) {
		t.Parallel()
		var p netguard.Policy
		for _, ip := range []string{
			"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1",
			"11.0.0.1", "192.169.0.1", "2606:4700:4700::1111", "2a00:1450:4001::1",
			"::ffff:8.8.8.8", "64:ff9b::808:808",
		} {
			if err := p.CheckIP(netip.MustParseAddr(ip)); err != nil {
				t.Errorf("%s refused: %v", ip, err)
			}
		}
	})

	t.Run("refuses the zero address", func(t *testing.T) {
		t.Parallel()
		if err := (netguard.Policy{}).CheckIP(netip.Addr{}); !errors.Is(err, netguard.ErrForbiddenAddress) {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("allow list is an exception", func(t *testing.T) {
		t.Parallel()
		allow, err := netguard.ParsePrefixes("127.0.0.0/8, fd00::/8")
		if err != nil {
			t.Fatal(err)
		}
		p := netguard.Policy{Allow: allow}
		for _, ip := range []string{"127.0.0.1", "127.0.0.2", "::ffff:127.0.0.1", "fd00::1", "8.8.8.8"} {
			if err := p.CheckIP(netip.MustParseAddr(ip)); err != nil {
				t.Errorf("%s refused: %v", ip, err)
			}
		}
		for _, ip := range []string{"10.0.0.1", "::1", "169.254.169.254", "fc00::1"} {
			if err := p.CheckIP(netip.MustParseAddr(ip)); err == nil {
				t.Errorf("%s allowed", ip)
			}
		}
	})
}

func TestParsePrefixes(t *testing.T) {
	t.Parallel()

	t.Run("valid lists", func(t *testing.T) {
		t.Parallel()
		got, err := netguard.ParsePrefixes(" 127.0.0.0/8,::1/128,, 10.1.2.3/8 ,192.168.0.7")
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != "[127.0.0.0/8 ::1/128 10.0.0.0/8 192.168.0.7/32]" {
			t.Errorf("got %v", got)
		}
		if got, err := netguard.ParsePrefixes(""); err != nil || len(got) != 0 {
			t.Errorf("empty: %v, %v", got, err)
		}
	})

	t.Run("invalid items", func(t *testing.T) {
		t.Parallel()
		for _, s := range []string{"nope", "10.0.0.0/33", "127.0.0.0/8,x"} {
			if _, err := netguard.ParsePrefixes(s); err == nil {
				t.Errorf("%q accepted", s)
			}
		}
	})
}

// fakeResolver maps host names to addresses without DNS.
type fakeResolver map[string][]string

func (f fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	addrs, ok := f[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	out := make([]netip.Addr, len(addrs))
	for i, a := range addrs {
		out[i] = netip.MustParseAddr(a)
	}
	return out, nil
}

func TestPolicy_CheckURL(t *testing.T) {
	t.Parallel()
	dns := fakeResolver{
		"public.example":   {"93.184.215.14"},
		"internal.example": {"10.0.0.5"},
		"mixed.example":    {"93.184.215.14", "169.254.169.254"},
		"empty.example":    {},
	}
	strict := netguard.Policy{Resolver: dns}

	t.Run("refusals name the problem", func(t *testing.T) {
		t.Parallel()
		cases := []struct {
			url, want string
			schemes   []string
		}{
			{url: "ftp://public.example/x", want: `scheme "ftp" is not allowed`},
			{url: "s3://bucket/key", want: `scheme "s3" is not allowed (allowed: https)`, schemes: []string{"https"}},
			{url: "http://public.example/", want: `scheme "http" is not allowed`, schemes: []string{"https"}},
			{url: "/relative/path", want: "must be absolute"},
			{url: "mailto:someone@public.example", want: "must be absolute"},
			{url: "http:///path", want: "missing host"},
			{url: "http://public.example:0/", want: "bad port"},
			{url: "http://10.0.0.5/x", want: "address 10.0.0.5 is private"},
			{url: "http://[::1]:8080/", want: "address ::1 is loopback"},
			{url: "http://[fd00::1]/", want: "unique-local"},
			{url: "http://[fe80::1%25eth0]/", want: "link-local"},
			{url: "http://169.254.169.254/latest/meta-data/", want: "cloud metadata"},
			{url: "http://internal.example/", want: "host internal.example resolves to 10.0.0.5: address 10.0.0.5 is private"},
			{url: "http://mixed.example/", want: "resolves to 169.254.169.254"},
			{url: "http://missing.example/", want: "host missing.example cannot be resolved"},
			{url: "http://empty.example/", want: "host empty.example has no addresses"},
		}
		for _, c := range cases {
			err := strict.CheckURL(t.Context(), c.url, c.schemes...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("CheckURL(%q) = %v, want error containing %q", c.url, err, c.want)
			}
		}
	})

	t.Run("address refusals wrap ErrForbiddenAddress", func(t *testing.T) {
		t.Parallel()
		for _, u := range []string{"http://10.0.0.5/", "http://internal.example/"} {
			if err := strict.CheckURL(t.Context(), u); !errors.Is(err, netguard.ErrForbiddenAddress) {
				t.Errorf("CheckURL(%q) = %v", u, err)
			}
		}
	})

	t.Run("localhost via the real resolver", func(t *testing.T) {
		t.Parallel()
		err := netguard.Policy{}.CheckURL(t.Context(), "http://localhost:9000/video.mp4")
		if !errors.Is(err, netguard.ErrForbiddenAddress) || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("err = %v", err)
		}
		allowLoopback := netguard.Policy{Allow: []netip.Prefix{
			netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"),
		}}
		if err := allowLoopback.CheckURL(t.Context(), "http://localhost:9000/video.mp4"); err != nil {
			t.Errorf("allowed localhost refused: %v", err)
		}
	})

	t.Run("accepts public URLs", func(t *testing.T) {
		t.Parallel()
		for _, u := range []string{
			"https://public.example/video.mp4?sig=abc",
			"HTTPS://public.example:8443/",
			"http://8.8.8.8/",
			"https://[2606:4700:4700::1111]/",
			"https://user:pass@public.example/",
		} {
			if err := strict.CheckURL(t.Context(), u); err != nil {
				t.Errorf("CheckURL(%q) = %v", u, err)
			}
		}
		if err := strict.CheckURL(t.Context(), "s3://public.example/bucket", "s3"); err != nil {
			t.Errorf("custom scheme refused: %v", err)
		}
	})

	t.Run("parse errors do not echo the URL", func(t *testing.T) {
		t.Parallel()
		err := strict.CheckURL(t.Context(), "http://user:hunter2@[::1/")
		if err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("err = %v", err)
		}
	})
}

// listen starts a server on addr (e.g. "127.0.0.2:0") counting requests.
func listen(t *testing.T, addr string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen on %s: %v", addr, err)
	}
	var hits atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = fmt.Fprint(w, "ok")
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &hits
}

// redirector answers every request with a redirect to target.
func redirector(t *testing.T, target string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.RedirectHandler(target, http.StatusFound))
	t.Cleanup(srv.Close)
	return srv
}

func TestPolicy_DialContext(t *testing.T) {
	t.Parallel()
	target, _ := listen(t, "127.0.0.1:0")
	addr := target.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)

	t.Run("refuses literal and resolved loopback", func(t *testing.T) {
		t.Parallel()
		for _, a := range []string{addr, net.JoinHostPort("localhost", port)} {
			conn, err := netguard.Policy{}.DialContext(t.Context(), "tcp", a)
			if err == nil {
				conn.Close()
				t.Errorf("dial %s succeeded", a)
				continue
			}
			if !errors.Is(err, netguard.ErrForbiddenAddress) {
				t.Errorf("dial %s: %v does not wrap ErrForbiddenAddress", a, err)
			}
		}
	})

	t.Run("allows listed prefixes", func(t *testing.T) {
		t.Parallel()
		p := netguard.Policy{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}
		for _, a := range []string{addr, net.JoinHostPort("localhost", port)} {
			conn, err := p.DialContext(t.Context(), "tcp", a)
			if err != nil {
				t.Errorf("dial %s: %v", a, err)
				continue
			}
			conn.Close()
		}
	})

	t.Run("refuses non-IP networks", func(t *testing.T) {
		t.Parallel()
		p := netguard.Policy{Allow: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}}
		if _, err := p.DialContext(t.Context(), "unix", "/var/run/docker.sock"); !errors.Is(err, netguard.ErrForbiddenAddress) {
			t.Errorf("unix dial: %v", err)
		}
	})

	t.Run("metadata is refused before any packet is sent", func(t *testing.T) {
		t.Parallel()
		start := time.Now()
		_, err := netguard.Policy{}.DialContext(t.Context(), "tcp", "169.254.169.254:80")
		if !errors.Is(err, netguard.ErrForbiddenAddress) {
			t.Errorf("err = %v", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("took %s; the check should happen before connecting", d)
		}
	})
}

func TestPolicy_HTTPClient(t *testing.T) {
	t.Parallel()
	onlyFirstLoopback := netguard.Policy{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}
	allLoopback := netguard.Policy{Allow: []netip.Prefix{
		netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"),
	}}

	other4, hits4 := listen(t, "127.0.0.2:0")
	other6, hits6 := listen(t, "[::1]:0")

	t.Run("allowed server is reachable", func(t *testing.T) {
		t.Parallel()
		srv, hits := listen(t, "127.0.0.1:0")
		resp, err := onlyFirstLoopback.HTTPClient(5 * time.Second).Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if hits.Load() != 1 {
			t.Errorf("hits = %d", hits.Load())
		}
	})

	t.Run("redirects to forbidden addresses are refused at dial time", func(t *testing.T) {
		t.Parallel()
		for _, target := range []string{other4.URL, other6.URL, "http://169.254.169.254/latest/meta-data/"} {
			from := redirector(t, target)
			resp, err := onlyFirstLoopback.HTTPClient(5 * time.Second).Get(from.URL)
			if err == nil {
				resp.Body.Close()
				t.Errorf("redirect to %s followed", target)
				continue
			}
			if !errors.Is(err, netguard.ErrForbiddenAddress) {
				t.Errorf("redirect to %s: %v does not wrap ErrForbiddenAddress", target, err)
			}
		}
		if hits4.Load() != 0 || hits6.Load() != 0 {
			t.Errorf("forbidden servers were reached: %d, %d", hits4.Load(), hits6.Load())
		}
	})

	t.Run("redirects are followed when the policy allows the target", func(t *testing.T) {
		t.Parallel()
		srv4, h4 := listen(t, "127.0.0.2:0")
		srv6, h6 := listen(t, "[::1]:0")
		for _, target := range []string{srv4.URL, srv6.URL} {
			from := redirector(t, target)
			resp, err := allLoopback.HTTPClient(5 * time.Second).Get(from.URL)
			if err != nil {
				t.Errorf("redirect to %s: %v", target, err)
				continue
			}
			resp.Body.Close()
		}
		if h4.Load() != 1 || h6.Load() != 1 {
			t.Errorf("hits = %d, %d, want 1, 1", h4.Load(), h6.Load())
		}
	})

	t.Run("redirects to other schemes are refused", func(t *testing.T) {
		t.Parallel()
		from := redirector(t, "ftp://127.0.0.1/file")
		resp, err := allLoopback.HTTPClient(5 * time.Second).Get(from.URL)
		if err == nil {
			resp.Body.Close()
			t.Fatal("redirect to ftp followed")
		}
		if !strings.Contains(err.Error(), "unsupported scheme") {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("proxy environment is ignored", func(t *testing.T) {
		t.Parallel()
		if (netguard.Policy{}).Transport().Proxy != nil {
			t.Error("transport uses a proxy")
		}
	})
}
