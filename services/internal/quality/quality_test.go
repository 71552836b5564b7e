package quality

import "testing"

func TestTier(t *testing.T) {
	t.Parallel()
	if s, c, q := Tier("h264", ""); !c || !q || s != (Setting{23, "faster"}) {
		t.Fatalf("h264 default = %+v %v %v", s, c, q)
	}
	if s, _, _ := Tier("av1", "economy"); s != (Setting{40, "10"}) {
		t.Fatalf("av1 economy = %+v", s)
	}
	if _, c, _ := Tier("h263", "standard"); c {
		t.Fatal("unknown codec known")
	}
	if _, c, q := Tier("vp9", "ultra"); !c || q {
		t.Fatal("unknown tier known")
	}
}
