package rpcserve_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"
	"connectrpc.com/grpcreflect"

	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/pkg/rpcserve"
)

var quiet = slog.New(slog.DiscardHandler)

// start serves h on a free loopback port until the test ends. It returns
// the server, the cancel that begins shutdown, and a channel closed when
// Serve returns, after which *result holds Serve's error.
func start(t *testing.T, h http.Handler, shutdownTimeout time.Duration) (*rpcserve.Server, context.CancelFunc, <-chan struct{}, *error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := rpcserve.Listen(ctx, rpcserve.ServeConfig{
		Addr:            "127.0.0.1:0",
		Handler:         h,
		Logger:          quiet,
		ShutdownTimeout: shutdownTimeout,
	})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan struct{})
	var result error
	go func() {
		result = srv.Serve(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return srv, cancel, done, &result
}

// protoHandler reports the protocol the request arrived over.
var protoHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	_, _ = fmt.Fprint(w, r.Proto)
})

func get(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestServer_Serve(t *testing.T) {
	t.Parallel()

	t.Run("reports real port", func(t *testing.T) {
		t.Parallel()
		srv, _, _, _ := start(t, protoHandler, 0)
		addr := srv.Addr().(*net.TCPAddr)
		if addr.Port == 0 || !addr.IP.IsLoopback() {
			t.Errorf("Addr = %v", addr)
		}
		if srv.URL() != "http://"+addr.String() {
			t.Errorf("URL = %q", srv.URL())
		}
	})

	t.Run("serves HTTP/1.1 and h2c on one port", func(t *testing.T) {
		t.Parallel()
		srv, _, _, _ := start(t, protoHandler, 0)
		if got := get(t, &http.Client{}, srv.URL()); got != "HTTP/1.1" {
			t.Errorf("default client: proto = %q, want HTTP/1.1", got)
		}
		if got := get(t, rpcserve.ClientHTTP(), srv.URL()); got != "HTTP/2.0" {
			t.Errorf("ClientHTTP: proto = %q, want HTTP/2.0", got)
		}
	})

	for _, c := range []struct {
		name   string
		client *http.Client
	}{
		{"h2c", rpcserve.ClientHTTP()},
		{"HTTP/1.1", &http.Client{}},
	} {
		t.Run("graceful shutdown finishes in-flight "+c.name+" request", func(t *testing.T) {
			t.Parallel()
			testGracefulShutdown(t, c.client)
		})
	}

	t.Run("shutdown timeout cuts off stuck requests", func(t *testing.T) {
		t.Parallel()
		started := make(chan struct{})
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(started)
			<-r.Context().Done() // Only Close ends this.
		})
		srv, cancel, done, result := start(t, h, 200*time.Millisecond)
		go func() {
			resp, err := http.Get(srv.URL())
			if err == nil {
				resp.Body.Close()
			}
		}()
		<-started
		begin := time.Now()
		cancel()
		select {
		case <-done:
			if err := *result; err == nil || !strings.Contains(err.Error(), "graceful shutdown incomplete") {
				t.Errorf("Serve = %v", err)
			}
			if d := time.Since(begin); d > 3*time.Second {
				t.Errorf("took %s", d)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Serve did not return after the shutdown timeout")
		}
	})
}

func TestListen(t *testing.T) {
	t.Parallel()

	t.Run("rejects missing handler", func(t *testing.T) {
		t.Parallel()
		if _, err := rpcserve.Listen(t.Context(), rpcserve.ServeConfig{Addr: "127.0.0.1:0"}); err == nil {
			t.Error("want error")
		}
	})

	t.Run("reports busy address", func(t *testing.T) {
		t.Parallel()
		srv, _, _, _ := start(t, protoHandler, 0)
		_, err := rpcserve.Listen(t.Context(), rpcserve.ServeConfig{Addr: srv.Addr().String(), Handler: protoHandler})
		if err == nil {
			t.Error("second listener on the same port succeeded")
		}
	})

	t.Run("close releases an unserved listener", func(t *testing.T) {
		t.Parallel()
		srv, err := rpcserve.Listen(t.Context(), rpcserve.ServeConfig{Addr: "127.0.0.1:0", Handler: protoHandler})
		if err != nil {
			t.Fatal(err)
		}
		addr := srv.Addr().String()
		if err := srv.Close(); err != nil {
			t.Fatal(err)
		}
		again, err := rpcserve.Listen(t.Context(), rpcserve.ServeConfig{Addr: addr, Handler: protoHandler})
		if err != nil {
			t.Fatalf("port not released: %v", err)
		}
		_ = again.Close()
	})
}

func TestRun(t *testing.T) {
	t.Parallel()
	t.Run("returns on cancel", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() {
			done <- rpcserve.Run(ctx, rpcserve.FromConfig(config.Server{Addr: "127.0.0.1:0"}, protoHandler, quiet))
		}()
		time.Sleep(50 * time.Millisecond)
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	})
}

func TestMountStandard(t *testing.T) {
	t.Parallel()
	mux := rpcserve.NewMux()
	checker := grpchealth.NewStaticChecker(grpchealth.HealthV1ServiceName)
	rpcserve.MountStandard(mux, []string{grpchealth.HealthV1ServiceName}, checker)
	srv, _, _, _ := start(t, mux, 0)
	client := rpcserve.ClientHTTP()

	t.Run("health over gRPC", func(t *testing.T) {
		t.Parallel()
		hc := grpchealth.NewClient(client, srv.URL(), connect.WithGRPC())
		resp, err := hc.Check(t.Context(), &grpchealth.CheckRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != grpchealth.StatusServing {
			t.Errorf("status = %v", resp.Status)
		}
		if _, err := hc.Check(t.Context(), &grpchealth.CheckRequest{Service: "nope.v1.Nope"}); connect.CodeOf(err) != connect.CodeNotFound {
			t.Errorf("unknown service: err = %v, want NotFound", err)
		}
	})

	t.Run("reflection v1 lists services", func(t *testing.T) {
		t.Parallel()
		stream := grpcreflect.NewClient(client, srv.URL(), connect.WithGRPC()).NewStream(t.Context())
		defer func() { _, _ = stream.Close() }()
		names, err := stream.ListServices()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(names, grpchealth.HealthV1ServiceName) {
			t.Errorf("services = %v", names)
		}
		files, err := stream.FileContainingSymbol(grpchealth.HealthV1ServiceName)
		if err != nil || len(files) == 0 {
			t.Errorf("FileContainingSymbol: %d files, %v", len(files), err)
		}
	})

	t.Run("reflection v1alpha is mounted", func(t *testing.T) {
		t.Parallel()
		// Connect protocol over HTTP/1.1 is enough to prove the route exists:
		// an unmounted route would 404.
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost,
			srv.URL()+"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", strings.NewReader(""))
		req.Header.Set("Content-Type", "application/grpc")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound {
			t.Error("v1alpha reflection not mounted")
		}
	})

	t.Run("nil checker serves listed services", func(t *testing.T) {
		t.Parallel()
		mux := rpcserve.NewMux()
		rpcserve.MountStandard(mux, []string{"transcodely.test.v1.TestService"}, nil)
		srv, _, _, _ := start(t, mux, 0)
		hc := grpchealth.NewClient(client, srv.URL(), connect.WithGRPC())
		resp, err := hc.Check(t.Context(), &grpchealth.CheckRequest{Service: "transcodely.test.v1.TestService"})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != grpchealth.StatusServing {
			t.Errorf("status = %v", resp.Status)
		}
	})

	t.Run("status can be flipped for shutdown", func(t *testing.T) {
		t.Parallel()
		mux := rpcserve.NewMux()
		checker := grpchealth.NewStaticChecker("transcodely.test.v1.Flip")
		rpcserve.MountStandard(mux, []string{"transcodely.test.v1.Flip"}, checker)
		srv, _, _, _ := start(t, mux, 0)
		checker.SetStatus("transcodely.test.v1.Flip", grpchealth.StatusNotServing)
		hc := grpchealth.NewClient(client, srv.URL(), connect.WithGRPC())
		resp, err := hc.Check(t.Context(), &grpchealth.CheckRequest{Service: "transcodely.test.v1.Flip"})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != grpchealth.StatusNotServing {
			t.Errorf("status = %v", resp.Status)
		}
	})
}

// testGracefulShutdown starts a request, cancels the server's context while
// the handler is blocked, and checks that the request still completes and
// Serve only returns afterwards.
func testGracefulShutdown(t *testing.T, client *http.Client) {
	started, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		_, _ = fmt.Fprint(w, "finished")
	})
	srv, cancel, done, result := start(t, h, 10*time.Second)

	body := make(chan string, 1)
	go func() {
		resp, err := client.Get(srv.URL())
		if err != nil {
			body <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body <- string(b)
	}()
	<-started
	cancel() // Begin shutdown with the request in flight.

	select {
	case <-done:
		t.Fatalf("Serve returned before the in-flight request finished: %v", *result)
	case <-time.After(200 * time.Millisecond):
	}
	// New connections are refused while draining.
	if conn, err := net.DialTimeout("tcp", srv.Addr().String(), time.Second); err == nil {
		conn.Close()
		t.Error("new connection accepted during shutdown")
	}
	close(release)
	if got := <-body; got != "finished" {
		t.Errorf("in-flight response = %q", got)
	}
	select {
	case <-done:
		if *result != nil {
			t.Errorf("Serve = %v, want nil after clean shutdown", *result)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the request finished")
	}
}
