package pagination

import (
	"errors"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	t.Parallel()
	p, err := Parse(0, "", 5)
	if err != nil || p.Limit != DefaultLimit || p.Offset != 5 || p.After {
		t.Fatalf("defaults = %+v, %v", p, err)
	}
	if p, _ := Parse(500, "", 0); p.Limit != MaxLimit {
		t.Fatalf("limit not capped: %d", p.Limit)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	p, err = Parse(10, Cursor(at, "job_x"), 30)
	if err != nil || !p.After || !p.CreatedAt.Equal(at) || p.ID != "job_x" || p.Offset != 0 {
		t.Fatalf("cursor = %+v, %v", p, err)
	}
	for _, bad := range []string{"%%%", "bm9waXBl", "MTIzfA"} {
		if _, err := Parse(10, bad, 0); !errors.Is(err, ErrBadCursor) {
			t.Errorf("Parse(%q) = %v", bad, err)
		}
	}
}

func TestNext(t *testing.T) {
	t.Parallel()
	base := time.Unix(1000, 0)
	rows := []int{5, 4, 3}
	key := func(i int) (time.Time, string) { return base.Add(time.Duration(i) * time.Second), "id" }
	page, next := Next(Page{Limit: 2}, rows, key)
	if len(page) != 2 || next != Cursor(base.Add(4*time.Second), "id") {
		t.Fatalf("Next = %v, %q", page, next)
	}
	if page, next := Next(Page{Limit: 3}, rows, key); len(page) != 3 || next != "" {
		t.Fatalf("last page = %v, %q", page, next)
	}
}
