// Package models holds the plain data types of the four platforms, named in each
// vendor's own words. It has no HTTP code and never imports the root package.
//
// Decoding is tolerant: unknown fields are ignored, and where a vendor's backend and
// spec disagree (PipesHub), both shapes decode into the same fields.
package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Ptr returns a pointer to v, for optional fields: models.Ptr(true), models.Ptr("x").
// It is the same function as connapi.Ptr, which code that imports the client uses;
// it stays here because this package never imports the client.
func Ptr[T any](v T) *T { return &v }

// Timestamp is a point in time as the platforms send it. It reads RFC 3339 with or
// without a zone offset (no offset means UTC) and with or without fractional
// seconds, PostgreSQL's text form ("2024-12-09 10:00:00.123+00"), and epoch milliseconds as a JSON number or numeric string (PipesHub's
// createdAtTimestamp). null and "" give the zero Timestamp. It writes RFC 3339 with
// nanoseconds, or null when zero.
//
// Its range is what it writes and reads again: RFC 3339 has four-digit years, so a
// time outside 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z (in UTC) is
// an error from UnmarshalJSON (an epoch too large, or a zoned time that crosses
// either end) and from MarshalJSON, as it is for time.Time.
type Timestamp struct {
	time.Time
}

// NewTimestamp wraps t.
func NewTimestamp(t time.Time) Timestamp { return Timestamp{Time: t} }

var timestampLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999-07", // hour-only offset
	"2006-01-02 15:04:05.999999999-07", // PostgreSQL timestamptz text
	"2006-01-02",
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		t.Time = time.Time{}
		return nil
	}
	if b[0] != '"' {
		ms, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return fmt.Errorf("models.Timestamp: %s is neither a string nor a number", truncate(b))
		}
		return t.setEpochMillis(ms, string(b))
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	return t.parse(s)
}

func (t *Timestamp) parse(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	if isNumeric(s) {
		if ms, err := strconv.ParseFloat(s, 64); err == nil {
			return t.setEpochMillis(ms, s)
		}
	}
	for _, layout := range timestampLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			if !inTimestampRange(v) {
				return outOfRange(s)
			}
			t.Time = v
			return nil
		}
	}
	return fmt.Errorf("models.Timestamp: cannot read %q as RFC 3339 or epoch milliseconds", s)
}

// isNumeric reports whether s has only digits and dots, so that the common
// RFC 3339 case skips strconv (whose failure allocates an error).
func isNumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' {
			return false
		}
	}
	return true
}

// The ends of Timestamp's range, and of its epochs in milliseconds.
var (
	minTimestamp = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTimestamp = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
)

func inTimestampRange(v time.Time) bool {
	return !v.Before(minTimestamp) && !v.After(maxTimestamp)
}

func outOfRange(s string) error {
	return fmt.Errorf("models.Timestamp: %s is outside the years 0000 to 9999 that RFC 3339 can write", truncate([]byte(s)))
}

// setEpochMillis sets t to ms milliseconds after the Unix epoch (in is the text
// read, for the error), or fails when that is outside Timestamp's range.
func (t *Timestamp) setEpochMillis(ms float64, in string) error {
	// The first test keeps the int64 conversions below defined (and refuses NaN):
	// 1e17 ms is far beyond year 9999 yet 1e14 s fits an int64.
	if !(ms > -1e17 && ms < 1e17) {
		return outOfRange(in)
	}
	sec := int64(ms / 1000)
	nsec := int64((ms - float64(sec)*1000) * 1e6)
	v := time.Unix(sec, nsec).UTC()
	if !inTimestampRange(v) {
		return outOfRange(in)
	}
	t.Time = v
	return nil
}

// MarshalJSON implements json.Marshaler.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	if !inTimestampRange(t.Time) {
		return nil, fmt.Errorf("models.Timestamp: %s is outside the years 0000 to 9999 that RFC 3339 can write", t.UTC())
	}
	return json.Marshal(t.UTC().Format(time.RFC3339Nano))
}

// UnixMilli returns the time as epoch milliseconds, 0 when zero.
func (t Timestamp) UnixMilli() int64 {
	if t.IsZero() {
		return 0
	}
	return t.Time.UnixMilli()
}

func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
