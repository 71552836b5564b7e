package delivery

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPrintable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"plain", []byte("ok"), "ok"},
		{"nul and invalid bytes", []byte("a\x00b\xffc"), "ab\uFFFDc"},
		// 1024 bytes cut in the middle of "é": the replacement character
		// would make it longer, so it is dropped.
		{"cut rune at the limit", []byte(strings.Repeat("a", 1023) + "\xc3"), strings.Repeat("a", 1023)},
	}
	for _, tt := range tests {
		got := printable(tt.in)
		if got != tt.want || !utf8.ValidString(got) || len(got) > responseLimit {
			t.Errorf("%s: printable = %q (%d bytes)", tt.name, got, len(got))
		}
	}
}
