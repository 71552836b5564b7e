package slug

import "testing"

func TestProblem(t *testing.T) {
	t.Parallel()
	for s, ok := range map[string]bool{
		"acme": true, "a1b": true, "acme-video-2": true, "abc": true,
		"ab": false, "Acme": false, "acme_co": false, "-acme": false, "acme-": false, "ac--me": false,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":  true,  // 48
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": false, // 49
	} {
		if got := Problem(s) == ""; got != ok {
			t.Errorf("Problem(%q) = %q, want ok=%v", s, Problem(s), ok)
		}
	}
}
