package devstack

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Server is a program that serves on an address until it is stopped.
type Server struct {
	// Name names the log (<state>/<Name>.log) and pid (<state>/<Name>.pid)
	// files; for Ensure it must also be the binary's file name, which is how
	// a pid file is told apart from a reused pid.
	Name string
	Bin  string
	Args []string
	Env  []string
	// Addr is the host:port it listens on.
	Addr string
	// Healthy reports whether it is ready to serve.
	Healthy func(context.Context) bool
	// Timeout bounds the start-up; 30 s if 0.
	Timeout time.Duration
}

// Process is a server this program started.
type Process struct {
	Name string
	// Pid is also the process group id: stopping signals the whole group,
	// so children (ffmpeg under an encoder) go too.
	Pid int
	// Log is the file receiving its output.
	Log     string
	pidFile string
	exited  chan struct{}
	waitErr error
}

// Ensure makes sure srv answers healthy on its address, starting it
// detached if nothing listens there: it outlives this program and is ended
// by StopService. A server an earlier run left is reused.
func (s *Stack) Ensure(ctx context.Context, srv Server) error {
	if Listening(srv.Addr) {
		// A server from an earlier run may still be starting up: give it a
		// moment before blaming another program.
		if waitHealthy(ctx, 3*time.Second, nil, srv.Healthy) == nil {
			s.Step(srv.Name, "already running on %s", srv.Addr)
			return nil
		}
		return fmt.Errorf("port %s is taken by another program that does not answer like %s; stop it or free port %s", srv.Addr, srv.Name, srv.Addr[strings.LastIndex(srv.Addr, ":")+1:])
	}
	_, err := s.spawn(ctx, srv, true)
	return err
}

// Start starts srv as a child of this program and waits until it is
// healthy. The kernel kills it if this program dies; Stop ends it.
func (s *Stack) Start(ctx context.Context, srv Server) (*Process, error) {
	if Listening(srv.Addr) {
		return nil, fmt.Errorf("%s: port %s is already taken", srv.Name, srv.Addr)
	}
	return s.spawn(ctx, srv, false)
}

func (s *Stack) spawn(ctx context.Context, srv Server, detached bool) (*Process, error) {
	if _, err := os.Stat(srv.Bin); err != nil {
		return nil, fmt.Errorf("%s: %w (run `make build tools` first)", srv.Name, err)
	}
	p := &Process{Name: srv.Name, Log: s.Path(srv.Name + ".log"), pidFile: s.Path(srv.Name + ".pid"), exited: make(chan struct{})}
	s.Step(srv.Name, "starting on %s (log: %s)", srv.Addr, s.Rel(srv.Name+".log"))
	flags := os.O_CREATE | os.O_WRONLY | os.O_APPEND
	if !detached {
		flags = os.O_CREATE | os.O_WRONLY | os.O_TRUNC // one run's log, so tails and searches see only it
	}
	logf, err := os.OpenFile(p.Log, flags, 0o600)
	if err != nil {
		return nil, err
	}
	defer logf.Close() // the child has its own descriptor
	cmd := exec.Command(srv.Bin, srv.Args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = s.Root, srv.Env, logf, logf
	if detached {
		// A new session, so the server outlives this command and the
		// terminal's Ctrl-C, and StopService can signal its whole group.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	} else {
		// Its own group (so Stop reaches what it forks), killed by the
		// kernel if this program dies without stopping it.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	}
	started := make(chan error, 1)
	go func() {
		// Pdeathsig fires when the thread that started the child exits, so
		// that thread is held until the child ends.
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("start %s: %w", srv.Name, err)
	}
	p.Pid = cmd.Process.Pid
	if err := os.WriteFile(p.pidFile, []byte(strconv.Itoa(p.Pid)+"\n"), 0o600); err != nil {
		_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
		return nil, err
	}
	timeout := srv.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	if err := waitHealthy(ctx, timeout, p.exited, srv.Healthy); err != nil {
		if p.Exited() {
			err = fmt.Errorf("%w (%v)", err, p.waitErr)
		}
		_ = syscall.Kill(-p.Pid, syscall.SIGKILL) // half-started: nothing to keep
		_ = os.Remove(p.pidFile)
		return nil, fmt.Errorf("%s: %w\n--- tail of %s ---\n%s", srv.Name, err, s.Rel(srv.Name+".log"), LogTail(p.Log, 12))
	}
	return p, nil
}

// Stop ends the process group with SIGTERM, then SIGKILL if it is still
// there after 10 s. It reports a crash (an exit before Stop) as an error.
func (p *Process) Stop() error {
	defer os.Remove(p.pidFile)
	select {
	case <-p.exited:
		return fmt.Errorf("%s had exited before it was stopped: %v (log: %s)", p.Name, p.waitErr, p.Log)
	default:
	}
	_ = syscall.Kill(-p.Pid, syscall.SIGTERM)
	select {
	case <-p.exited:
		return nil
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
		<-p.exited
		return fmt.Errorf("%s did not stop in 10 s after SIGTERM: killed", p.Name)
	}
}

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// PeakRSS is the process's peak resident set size in bytes so far (VmHWM
// from /proc/<pid>/status). Its children are not counted.
func (p *Process) PeakRSS() (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.Pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no VmHWM line", p.Pid)
}

// clockTicks is the kernel's USER_HZ, the unit of /proc/<pid>/stat times;
// 100 on every Linux architecture Transcodely builds for.
const clockTicks = 100

// CPUTime is the user and system CPU time the process and its waited-for
// children (an encoder's finished ffmpeg runs) have used so far.
func (p *Process) CPUTime() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.Pid))
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces and parentheses; the fields after
	// its last closing parenthesis start with the state (field 3), so
	// utime, stime, cutime and cstime (fields 14-17) are at 11-14.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 15 {
		return 0, fmt.Errorf("/proc/%d/stat: too few fields", p.Pid)
	}
	var ticks int64
	for _, s := range f[11:15] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/stat: %w", p.Pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// waitHealthy polls healthy until it holds, the process exits, or timeout.
func waitHealthy(ctx context.Context, timeout time.Duration, exited <-chan struct{}, healthy func(context.Context) bool) error {
	deadline := time.After(timeout)
	for !healthy(ctx) {
		select {
		case <-exited:
			return errors.New("exited during start-up")
		case <-deadline:
			return fmt.Errorf("not healthy after %v", timeout)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return nil
}

// Listening reports whether something accepts connections on addr.
func Listening(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, 500*time.Millisecond)
	if err == nil {
		c.Close()
	}
	return err == nil
}

// FreeAddr returns a loopback address with a port nothing listens on right
// now.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// HTTPOK reports whether a request answers 200 within two seconds.
func HTTPOK(ctx context.Context, method, url, body string) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		return false
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// APIHealthy is the health check of every Transcodely binary: its
// transcodely.v1.HealthService answers at baseURL.
func APIHealthy(baseURL string) func(context.Context) bool {
	return func(ctx context.Context) bool {
		return HTTPOK(ctx, "POST", baseURL+"/transcodely.v1.HealthService/Check", "{}")
	}
}

// LogTail returns the last n lines of a log file.
func LogTail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	return string(bytes.Join(lines[max(0, len(lines)-n):], []byte("\n")))
}

// RunningPID returns the pid in <state>/<name>.pid if that process is alive
// and is still our binary: a stale file must never make a stop signal an
// unrelated process that reused the pid.
func (s *Stack) RunningPID(name string) (int, bool) {
	b, err := os.ReadFile(s.Path(name + ".pid"))
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 1 {
		return 0, false
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	argv0, _, _ := bytes.Cut(cmdline, []byte{0})
	return pid, err == nil && filepath.Base(string(argv0)) == name && !gone(pid)
}

// gone reports whether pid has exited. A zombie counts as gone: detached
// servers are orphans, a container's init may never reap them, and a
// zombie still "exists" for kill(pid, 0).
func gone(pid int) bool {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	_, rest, _ := bytes.Cut(b, []byte(") "))
	return len(rest) == 0 || rest[0] == 'Z'
}

// StopService ends the process group in <state>/<name>.pid that Ensure
// started: SIGTERM, then SIGKILL if it is still there after 10 s.
func (s *Stack) StopService(name string) error {
	pid, ok := s.RunningPID(name)
	if !ok {
		s.Step(name, "not running")
		return ignoreMissing(os.Remove(s.Path(name + ".pid")))
	}
	s.Step(name, "stopping (pid %d)", pid)
	if err := syscall.Kill(-pid, syscall.SIGTERM); err != nil {
		return fmt.Errorf("stop %s: %w", name, err)
	}
	for i := 0; i < 100 && !gone(pid); i++ {
		time.Sleep(100 * time.Millisecond)
	}
	if !gone(pid) {
		s.Step(name, "did not stop in 10 s: killing")
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}
	return ignoreMissing(os.Remove(s.Path(name + ".pid")))
}

func ignoreMissing(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}
