package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// demo is the state of one invocation: where things live and what earlier
// steps learned.
type demo struct {
	root, dir string // repository root and <root>/.demo
	dbURL     string // the database allinone uses
	env       map[string]string
	key, org  string // API key and organization id
}

func newDemo() (*demo, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			d := &demo{root: dir, dir: filepath.Join(dir, ".demo")}
			return d, os.MkdirAll(d.dir, 0o700)
		}
		if filepath.Dir(dir) == dir {
			return nil, fmt.Errorf("no go.work in %s or its parents: run from the Transcodely repository", wd)
		}
	}
}

func (d *demo) path(name string) string { return filepath.Join(d.dir, name) }
func (d *demo) tool(name string) string { return filepath.Join(d.root, ".tools", "bin", name) }

// ensure makes sure a server answers healthy on addr, starting bin detached
// if nothing listens there.
func (d *demo) ensure(ctx context.Context, name, addr string, healthy func(context.Context) bool, bin string, args, env []string, timeout time.Duration) error {
	if listening(addr) {
		// A server from an earlier run may still be starting up: give it a
		// moment before blaming another program.
		if waitHealthy(ctx, 3*time.Second, nil, healthy) == nil {
			fmt.Printf("%-10s already running on %s\n", name, addr)
			return nil
		}
		return fmt.Errorf("port %s is taken by another program that does not answer like %s; stop it or free port %s", addr, name, addr[strings.LastIndex(addr, ":")+1:])
	}
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("%s: %w (run `make build tools` first)", name, err)
	}
	fmt.Printf("%-10s starting on %s (log: .demo/%s.log)\n", name, addr, name)
	logf, err := os.OpenFile(d.path(name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close() // the child has its own descriptor
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = d.root, env, logf, logf
	// A new session, so the server outlives this command and the terminal's
	// Ctrl-C, and stop can signal its whole process group.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	if err := os.WriteFile(d.path(name+".pid"), []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o600); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	if err := waitHealthy(ctx, timeout, exited, healthy); err != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // half-started: nothing to keep
		_ = os.Remove(d.path(name + ".pid"))
		return fmt.Errorf("%s: %w\n--- tail of .demo/%s.log ---\n%s", name, err, name, d.logTail(name))
	}
	return nil
}

// waitHealthy polls healthy until it holds, the process exits, or timeout.
func waitHealthy(ctx context.Context, timeout time.Duration, exited <-chan error, healthy func(context.Context) bool) error {
	deadline := time.After(timeout)
	for !healthy(ctx) {
		select {
		case err := <-exited:
			return fmt.Errorf("exited during start-up (%v)", err)
		case <-deadline:
			return fmt.Errorf("not healthy after %v", timeout)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return nil
}

func listening(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, 500*time.Millisecond)
	if err == nil {
		c.Close()
	}
	return err == nil
}

// httpOK reports whether a request answers 200 within two seconds.
func httpOK(ctx context.Context, method, url, body string) bool {
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

func (d *demo) logTail(name string) string {
	b, _ := os.ReadFile(d.path(name + ".log"))
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	return string(bytes.Join(lines[max(0, len(lines)-12):], []byte("\n")))
}

// runningPID returns the pid in .demo/<name>.pid if that process is alive
// and is still our binary: a stale file must never make stop signal an
// unrelated process that reused the pid.
func (d *demo) runningPID(name string) (int, bool) {
	b, err := os.ReadFile(d.path(name + ".pid"))
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

// gone reports whether pid has exited. A zombie counts as gone: the demo's
// servers are orphans, a container's init may never reap them, and a zombie
// still "exists" for kill(pid, 0).
func gone(pid int) bool {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	_, rest, _ := bytes.Cut(b, []byte(") "))
	return len(rest) == 0 || rest[0] == 'Z'
}

// stopService ends the process group in .demo/<name>.pid: SIGTERM, then
// SIGKILL if it is still there after 10 s.
func (d *demo) stopService(name string) error {
	pid, ok := d.runningPID(name)
	if !ok {
		fmt.Printf("%-10s not running\n", name)
		return ignoreMissing(os.Remove(d.path(name + ".pid")))
	}
	fmt.Printf("%-10s stopping (pid %d)\n", name, pid)
	if err := syscall.Kill(-pid, syscall.SIGTERM); err != nil {
		return fmt.Errorf("stop %s: %w", name, err)
	}
	for i := 0; i < 100 && !gone(pid); i++ {
		time.Sleep(100 * time.Millisecond)
	}
	if !gone(pid) {
		fmt.Printf("%-10s did not stop in 10 s: killing\n", name)
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}
	return ignoreMissing(os.Remove(d.path(name + ".pid")))
}

func ignoreMissing(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// status prints what runs; it changes nothing.
func (d *demo) status(ctx context.Context) error {
	for _, s := range []struct {
		name, addr string
		up         bool
	}{{"postgres", pgAddr, listening(pgAddr)}, {"minio", minioAddr, minioHealthy(ctx)}, {"allinone", apiAddr, apiHealthy(ctx)}} {
		state := "not running"
		if s.up {
			state = "running on " + s.addr
		}
		if pid, ok := d.runningPID(s.name); ok {
			state += fmt.Sprintf(" (pid %d)", pid)
		}
		fmt.Printf("%-10s %s\n", s.name, state)
	}
	return nil
}
