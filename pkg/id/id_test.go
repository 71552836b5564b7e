package id

import "testing"

func TestNew(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		v := New(Job)
		if !HasPrefix(v, Job) || len(v) != len("job_")+randomLength {
			t.Fatalf("New(job) = %q", v)
		}
		if seen[v] {
			t.Fatalf("duplicate id %q", v)
		}
		seen[v] = true
	}
	for _, bad := range []string{"job_", "ori_abc", "job_ab-c", "jobabc"} {
		if HasPrefix(bad, Job) {
			t.Errorf("HasPrefix(%q, job) = true", bad)
		}
	}
}
