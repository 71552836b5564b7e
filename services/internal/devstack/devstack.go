// Package devstack runs Transcodely on a developer's machine for the
// commands that need a whole installation (transcodely-demo,
// transcodely-bench): PostgreSQL, MinIO, server secrets, the service
// binaries built by `make build`, the account bootstrap, S3 origins and
// watching a job through the public API.
//
// A Stack keeps everything it writes (logs, pids, secrets, the API key,
// generated clips, MinIO data) in one state folder at the repository root,
// such as .demo/ or .bench/, so a second run reuses it.
package devstack

import (
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Stack is where one command keeps its state and finds its binaries.
type Stack struct {
	// Root is the repository root (the folder holding go.work).
	Root string
	// Dir is the state folder, <Root>/<name>.
	Dir string
	// Bin holds the binaries `make build` writes (allinone, account, job,
	// encoder, ...).
	Bin string
	// Tools holds the tools `make tools` builds (minio).
	Tools string
	// Out receives one line per step.
	Out io.Writer
}

// New finds the repository root from the working directory and creates the
// state folder name (".demo") under it.
func New(name string) (*Stack, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			tools := filepath.Join(dir, ".tools", "bin")
			s := &Stack{Root: dir, Dir: filepath.Join(dir, name), Bin: tools, Tools: tools, Out: os.Stdout}
			return s, os.MkdirAll(s.Dir, 0o700)
		}
		if filepath.Dir(dir) == dir {
			return nil, fmt.Errorf("no go.work in %s or its parents: run from the Transcodely repository", wd)
		}
	}
}

// Path is name inside the state folder.
func (s *Stack) Path(name string) string { return filepath.Join(s.Dir, name) }

// Rel is name inside the state folder as messages show it (".demo/name").
func (s *Stack) Rel(name string) string { return filepath.Join(filepath.Base(s.Dir), name) }

// Binary is the path of a binary built by `make build`.
func (s *Stack) Binary(name string) string { return filepath.Join(s.Bin, name) }

// Step prints one progress line: the step name in a column, then the message.
func (s *Stack) Step(step, format string, a ...any) {
	fmt.Fprintf(s.Out, "%-10s %s\n", step, fmt.Sprintf(format, a...))
}

// ReadEnv and WriteEnv keep KEY=VALUE files that a shell can source too.
func ReadEnv(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	return ParseEnv(b), err
}

// ParseEnv reads KEY=VALUE lines; other lines are ignored.
func ParseEnv(b []byte) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
			m[k] = v
		}
	}
	return m
}

// WriteEnv writes m sorted by key, readable by the owner only (it holds
// secrets).
func WriteEnv(path string, m map[string]string) error {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(&b, "%s=%s\n", k, m[k])
	}
	return os.WriteFile(path, []byte(b.String()), 0o600)
}

// Environ is this process's environment without the variables starting
// with any of drop, plus set (KEY=VALUE pairs from a map). Children get it
// so that the developer's shell cannot point them elsewhere.
func Environ(set map[string]string, drop ...string) []string {
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		for _, p := range drop {
			if strings.HasPrefix(kv, p) {
				return true
			}
		}
		return false
	})
	for _, k := range slices.Sorted(maps.Keys(set)) {
		env = append(env, k+"="+set[k])
	}
	return env
}

// HumanSize prints a byte count in megabytes.
func HumanSize(n int64) string { return fmt.Sprintf("%.2f MB", float64(n)/1e6) }

// WireName spells an enum value as the JSON API does: JOB_STATUS_PENDING -> pending.
func WireName(s, prefix string) string { return strings.ToLower(strings.TrimPrefix(s, prefix)) }
