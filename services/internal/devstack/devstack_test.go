package devstack

import (
	"context"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestEnv_RoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x.env")
	want := map[string]string{"B": "2", "A": "x=y"}
	if err := WriteEnv(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadEnv(path)
	if err != nil || len(got) != 2 || got["A"] != "x=y" || got["B"] != "2" {
		t.Fatalf("ReadEnv = %v, %v; want %v", got, err, want)
	}
}

// Not parallel: it sets an environment variable.
func TestEnviron_DropsPrefixes(t *testing.T) {
	t.Setenv("TRANSCODELY_DEVSTACK_TEST", "from the shell")
	env := Environ(map[string]string{"TRANSCODELY_LISTEN_ADDR": "127.0.0.1:1"}, "TRANSCODELY_")
	var ours []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "TRANSCODELY_") {
			ours = append(ours, kv)
		}
	}
	if len(ours) != 1 || ours[0] != "TRANSCODELY_LISTEN_ADDR=127.0.0.1:1" {
		t.Fatalf("TRANSCODELY_ variables = %v, want only the one set", ours)
	}
}

func TestSplitURL(t *testing.T) {
	t.Parallel()
	if b, k, err := SplitURL("s3://bucket/a/b.m3u8"); err != nil || b != "bucket" || k != "a/b.m3u8" {
		t.Fatalf("SplitURL = %q, %q, %v", b, k, err)
	}
	for _, bad := range []string{"", "s3://bucket", "s3:///key", "http://bucket/key"} {
		if _, _, err := SplitURL(bad); err == nil {
			t.Errorf("SplitURL(%q) accepted", bad)
		}
	}
}

// TestStack_Start starts a child, reads its measurements and stops it.
func TestStack_Start(t *testing.T) {
	t.Parallel()
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Fatal(err)
	}
	addr, err := FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	s := &Stack{Root: t.TempDir(), Dir: t.TempDir(), Out: io.Discard}
	p, err := s.Start(context.Background(), Server{Name: "sleep", Bin: sleep, Args: []string{"60"}, Addr: addr,
		Healthy: func(context.Context) bool { return true }})
	if err != nil {
		t.Fatal(err)
	}
	// /proc shows the new program only once the child has exec'd it,
	// which a loaded machine may take a moment to get to.
	var pid int
	var ok bool
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if pid, ok = s.RunningPID("sleep"); (ok && pid == p.Pid) || time.Now().After(deadline) {
			break
		}
	}
	if !ok || pid != p.Pid {
		t.Errorf("RunningPID = %d, %v; want %d", pid, ok, p.Pid)
	}
	if rss, err := p.PeakRSS(); err != nil || rss <= 0 {
		t.Errorf("PeakRSS = %d, %v", rss, err)
	}
	if cpu, err := p.CPUTime(); err != nil || cpu < 0 {
		t.Errorf("CPUTime = %v, %v", cpu, err)
	}
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	if !p.Exited() {
		t.Fatal("still running after Stop")
	}
	if _, ok := s.RunningPID("sleep"); ok {
		t.Fatal("pid file left behind")
	}
}
