package keyring

import (
	"bytes"
	"errors"
	"testing"
)

func TestRing(t *testing.T) {
	t.Parallel()
	spec1 := NewKeySpec("k1")
	old, err := Parse(spec1)
	if err != nil {
		t.Fatal(err)
	}
	kid, ct := old.Seal([]byte("s3cret"), []byte("ori_1"))
	if kid != "k1" || bytes.Contains(ct, []byte("s3cret")) {
		t.Fatalf("Seal = %q, %q", kid, ct)
	}
	if _, err := old.Open(kid, ct, []byte("ori_2")); err == nil {
		t.Fatal("ciphertext opened under another owner")
	}
	// Rotation: the new ring seals with k2 and still opens k1.
	rotated, err := Parse(NewKeySpec("k2") + "," + spec1)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := rotated.Open(kid, ct, []byte("ori_1"))
	if err != nil || string(pt) != "s3cret" {
		t.Fatalf("Open after rotation = %q, %v", pt, err)
	}
	if k, _ := rotated.Seal([]byte("x"), nil); k != "k2" {
		t.Fatalf("rotated ring seals with %q", k)
	}
	if _, err := rotated.Open("k9", ct, nil); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("unknown key: %v", err)
	}
	for _, bad := range []string{"", "k1", "k1:notbase64!", "k1:c2hvcnQ=", NewKeySpec("a") + "," + NewKeySpec("a")} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}
