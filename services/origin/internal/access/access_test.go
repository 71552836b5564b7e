package access_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/transcodely/transcodely/pkg/netguard"
	"github.com/transcodely/transcodely/services/origin/internal/access"
)

// loopbackOnly allows the test servers and nothing else private.
var loopbackOnly = &access.Checker{Policy: netguard.Policy{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}}

func httpTarget(url string, headers map[string]string) access.Target {
	return access.Target{Provider: "http", Settings: access.Settings{BaseURL: url}, Creds: access.Credentials{Headers: headers}}
}

func TestChecker_HTTP(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("headers are sent and 401 is access denied", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Token") != "sesame" {
				w.WriteHeader(http.StatusUnauthorized)
			}
		}))
		t.Cleanup(srv.Close)
		if res := loopbackOnly.Check(ctx, httpTarget(srv.URL, map[string]string{"X-Token": "sesame"}), true, false); res.Error != "" || !res.Read {
			t.Fatalf("good header: %+v", res)
		}
		res := loopbackOnly.Check(ctx, httpTarget(srv.URL, map[string]string{"X-Token": "nope"}), true, false)
		if !strings.Contains(res.Error, "access denied") || strings.Contains(res.Error, "nope") {
			t.Fatalf("bad header: %+v", res)
		}
	})

	t.Run("a server without HEAD is asked with GET", func(t *testing.T) {
		t.Parallel()
		var gets atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
			gets.Add(1)
			if r.Header.Get("Range") != "bytes=0-0" {
				t.Errorf("GET without a one-byte range: %q", r.Header.Get("Range"))
			}
		}))
		t.Cleanup(srv.Close)
		if res := loopbackOnly.Check(ctx, httpTarget(srv.URL, nil), true, false); res.Error != "" || gets.Load() != 1 {
			t.Fatalf("check = %+v after %d GETs", res, gets.Load())
		}
	})

	t.Run("a redirect to the metadata address is refused at connect time", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.RedirectHandler("http://169.254.169.254/latest/meta-data/", http.StatusFound))
		t.Cleanup(srv.Close)
		res := loopbackOnly.Check(ctx, httpTarget(srv.URL, nil), true, false)
		if res.Read || !strings.Contains(res.Error, "169.254.169.254") || !strings.Contains(res.Error, "not allowed") {
			t.Fatalf("check = %+v; want a refusal naming 169.254.169.254", res)
		}
	})

	t.Run("failures that are not network errors have a message", func(t *testing.T) {
		t.Parallel()
		var loop *httptest.Server
		loop = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, loop.URL+"/again", http.StatusFound)
		}))
		t.Cleanup(loop.Close)
		if res := loopbackOnly.Check(ctx, httpTarget(loop.URL, nil), true, false); !strings.Contains(res.Error, "redirects") {
			t.Fatalf("redirect loop: %+v", res)
		}
		ftp := httptest.NewServer(http.RedirectHandler("ftp://example.com/x", http.StatusFound))
		t.Cleanup(ftp.Close)
		if res := loopbackOnly.Check(ctx, httpTarget(ftp.URL, nil), true, false); !strings.Contains(res.Error, "scheme") {
			t.Fatalf("redirect to ftp: %+v", res)
		}
	})

	t.Run("the strict policy refuses loopback", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.NotFoundHandler())
		t.Cleanup(srv.Close)
		res := (&access.Checker{}).Check(ctx, httpTarget(srv.URL, nil), true, false)
		if !strings.Contains(res.Error, "loopback") {
			t.Fatalf("check = %+v", res)
		}
	})
}

func TestDescribe(t *testing.T) {
	t.Parallel()
	if got := access.Describe(nil); got != "" {
		t.Fatalf("Describe(nil) = %q", got)
	}
	if got := access.Describe(context.DeadlineExceeded); !strings.Contains(got, "in time") {
		t.Fatalf("Describe(deadline) = %q", got)
	}
}
