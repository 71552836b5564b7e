// Package pagination implements the List conventions every service shares:
// limit 1-100 (default 20), opaque cursors for keyset pagination on
// (created_at, id) newest first, and offset as the alternative.
package pagination

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Limits of a page.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// ErrBadCursor is returned for a cursor this package did not make.
var ErrBadCursor = errors.New("cursor is not valid; pass next_cursor from a previous response unchanged")

// Page is a decoded page request.
type Page struct {
	Limit int32
	// After is set when a cursor was given: return rows strictly older than
	// (CreatedAt, ID).
	After     bool
	CreatedAt time.Time
	ID        string
	// Offset applies only without a cursor.
	Offset int32
}

// Parse decodes a request's pagination fields.
func Parse(limit int32, cursor string, offset int32) (Page, error) {
	p := Page{Limit: limit, Offset: offset}
	if p.Limit <= 0 {
		p.Limit = DefaultLimit
	}
	p.Limit = min(p.Limit, MaxLimit)
	if cursor == "" {
		return p, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return Page{}, ErrBadCursor
	}
	ts, id, ok := strings.Cut(string(raw), "|")
	if !ok || id == "" {
		return Page{}, ErrBadCursor
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return Page{}, ErrBadCursor
	}
	p.After, p.CreatedAt, p.ID, p.Offset = true, time.Unix(0, n).UTC(), id, 0
	return p, nil
}

// Cursor encodes the position after a row.
func Cursor(createdAt time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(createdAt.UnixNano(), 10) + "|" + id))
}

// Fetch is how many rows to ask the database for: one more than the page,
// to learn whether another page exists without counting.
func (p Page) Fetch() int32 { return p.Limit + 1 }

// Next trims rows fetched with Fetch to the page and returns the cursor of
// the next page ("" on the last page). key returns a row's position.
func Next[T any](p Page, rows []T, key func(T) (time.Time, string)) ([]T, string) {
	if int32(len(rows)) <= p.Limit {
		return rows, ""
	}
	rows = rows[:p.Limit]
	t, id := key(rows[len(rows)-1])
	return rows, Cursor(t, id)
}
