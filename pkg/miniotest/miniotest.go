// Package miniotest runs a real MinIO server for tests, so storage code is
// tested against an S3 implementation rather than a mock.
//
// One server is started per test binary, on first use, by Shared. Each test
// then takes its own bucket with NewBucket, which keeps parallel tests apart
// without paying for a server start each. Call Main from TestMain to stop the
// server and delete its data when the tests end; the server is also killed by
// the kernel if the test process dies, so it never outlives it.
//
// The MinIO binary is found through $TRANSCODELY_MINIO_BIN, then
// .tools/bin/minio in the working directory or any parent (built by
// `make tools`), then "minio" on PATH.
package miniotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/transcodely/transcodely/pkg/blob/blobs3"
)

// EnvBinary names the environment variable that points at a MinIO binary.
const EnvBinary = "TRANSCODELY_MINIO_BIN"

const startTimeout = 30 * time.Second

// Server is a running MinIO server.
type Server struct {
	// Endpoint is the S3 API URL, http://127.0.0.1:PORT.
	Endpoint string
	// AccessKey and SecretKey are the root credentials.
	AccessKey string
	SecretKey string
	// Region is the region to sign requests for.
	Region string

	dir     string
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the process has exited
	client  *s3.Client
	buckets atomic.Int64
	stop    sync.Once
}

var (
	sharedOnce sync.Once
	shared     *Server
	sharedErr  error
)

// Shared returns the test binary's MinIO server, starting it on first use.
// It fails tb if the server cannot be started.
func Shared(tb testing.TB) *Server {
	tb.Helper()
	sharedOnce.Do(func() { shared, sharedErr = start() })
	if sharedErr != nil {
		tb.Fatalf("miniotest: %v", sharedErr)
	}
	return shared
}

// Main runs the tests and then stops the shared server, if one was started,
// and exits. Use it as the whole body of TestMain:
//
//	func TestMain(m *testing.M) { miniotest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.Stop()
	}
	os.Exit(code)
}

// Config returns a blobs3 configuration for bucket on this server.
func (s *Server) Config(bucket string) blobs3.Config {
	return blobs3.Config{
		Endpoint:        s.Endpoint,
		Region:          s.Region,
		Bucket:          bucket,
		AccessKeyID:     s.AccessKey,
		SecretAccessKey: s.SecretKey,
	}
}

// NewBucket creates an empty bucket with a unique name for one test and
// removes it, with its content, when the test ends.
func (s *Server) NewBucket(tb testing.TB) string {
	tb.Helper()
	name := fmt.Sprintf("test-%d-%s", s.buckets.Add(1), randomHex(4))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := s.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &name}); err != nil {
		tb.Fatalf("miniotest: create bucket %s: %v", name, err)
	}
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("MinIO log tail (%s):\n%s", s.Endpoint, s.LogTail())
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// MinIO's force-delete removes the objects too, in one request.
		_, err := s.client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: &name},
			s3.WithAPIOptions(smithyhttp.AddHeaderValue("x-minio-force-delete", "true")))
		if err != nil {
			tb.Errorf("miniotest: delete bucket %s: %v", name, err)
		}
	})
	return name
}

// Stop kills the server and deletes its data. It is safe to call twice.
func (s *Server) Stop() {
	s.stop.Do(func() {
		_ = s.cmd.Process.Kill()
		<-s.exited
		_ = os.RemoveAll(s.dir)
	})
}

// LogTail returns the end of the server's log, for failure messages.
func (s *Server) LogTail() string { return logTail(s.dir) }

func start() (*Server, error) {
	bin, err := findBinary()
	if err != nil {
		return nil, err
	}
	// A free port can be taken by someone else between probing and MinIO's
	// bind; a few attempts make that race harmless.
	var errs []error
	for range 3 {
		s, err := startOnce(bin)
		if err == nil {
			return s, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

func startOnce(bin string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "miniotest-*")
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(filepath.Join(dir, "minio.log"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	defer logFile.Close() // the child keeps its own descriptor

	addr := fmt.Sprintf("127.0.0.1:%d", port)
	s := &Server{
		Endpoint:  "http://" + addr,
		AccessKey: "minio-" + randomHex(4),
		SecretKey: randomHex(16),
		Region:    "us-east-1",
		dir:       dir,
		exited:    make(chan struct{}),
	}
	s.cmd = exec.Command(bin, "server", "--address", addr,
		"--certs-dir", filepath.Join(dir, "certs"), filepath.Join(dir, "data"))
	s.cmd.Env = append(withoutMinioEnv(os.Environ()),
		"MINIO_ROOT_USER="+s.AccessKey,
		"MINIO_ROOT_PASSWORD="+s.SecretKey,
		"MINIO_BROWSER=off",
		"MINIO_UPDATE=off",
	)
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	// The kernel kills MinIO when the thread that started it dies, so it
	// cannot outlive a crashed or killed test binary.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}

	started := make(chan error, 1)
	go func() {
		// Pdeathsig fires when the starting *thread* exits, and the Go
		// runtime may retire idle threads. Pinning this goroutine to its
		// thread and keeping it alive in Wait holds the thread for as long
		// as MinIO runs.
		runtime.LockOSThread()
		if err := s.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		_ = s.cmd.Wait()
		close(s.exited)
	}()
	if err := <-started; err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	if err := s.waitReady(); err != nil {
		tail := s.LogTail()
		s.Stop()
		return nil, fmt.Errorf("MinIO (%s) did not become ready: %w\n--- MinIO log tail ---\n%s", bin, err, tail)
	}
	s.client = s3.New(s3.Options{
		Region:       s.Region,
		BaseEndpoint: aws.String(s.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(s.AccessKey, s.SecretKey, ""),
	})
	return s, nil
}

// waitReady polls MinIO's liveness and then readiness endpoints; S3 calls
// made between the two would be answered "server not initialized".
func (s *Server) waitReady() error {
	deadline := time.Now().Add(startTimeout)
	client := &http.Client{Timeout: time.Second}
	for _, probe := range []string{"/minio/health/live", "/minio/health/ready"} {
		for {
			resp, err := client.Get(s.Endpoint + probe)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
				err = fmt.Errorf("%s: %s", probe, resp.Status)
			}
			select {
			case <-s.exited:
				return fmt.Errorf("MinIO exited: %v", s.cmd.ProcessState)
			case <-time.After(100 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("not ready after %v: %w", startTimeout, err)
			}
		}
	}
	return nil
}

func findBinary() (string, error) {
	if p := os.Getenv(EnvBinary); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("$%s=%s: %w", EnvBinary, p, err)
		}
		return p, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, ".tools", "bin", "minio")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	if p, err := exec.LookPath("minio"); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("MinIO server binary not found (looked at $%s, .tools/bin/minio in %s and its parents, and PATH); run `make tools` at the repository root", EnvBinary, wd)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// withoutMinioEnv drops MINIO_* variables of the developer's shell, which
// could point the server at other credentials, KMS or configuration.
func withoutMinioEnv(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "MINIO_") {
			out = append(out, kv)
		}
	}
	return out
}

func logTail(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "minio.log"))
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
