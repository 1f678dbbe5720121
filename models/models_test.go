package models_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/connapi/connapi-go/models"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimestampReadsAllForms(t *testing.T) {
	t.Parallel()
	want := time.Date(2025, 11, 10, 10, 49, 18, 436394000, time.UTC)
	tests := map[string]time.Time{
		`"2025-11-10T10:49:18.436394+00:00"`: want,
		`"2025-11-10T12:49:18.436394+02:00"`: want,
		`"2025-11-10T10:49:18.436394Z"`:      want,
		`"2025-11-10T10:49:18.436394"`:       want,
		`"2025-11-10T10:49:18Z"`:             want.Truncate(time.Second),
		`"2025-11-10 10:49:18.436394+00:00"`: want,
		`1762771758436`:                      time.UnixMilli(1762771758436).UTC(),
		`"1762771758436"`:                    time.UnixMilli(1762771758436).UTC(),
		`1762771758436.0`:                    time.UnixMilli(1762771758436).UTC(),
		`null`:                               {},
		`""`:                                 {},
	}
	for in, exp := range tests {
		var ts models.Timestamp
		require.NoError(t, json.Unmarshal([]byte(in), &ts), in)
		assert.True(t, exp.Equal(ts.Time), "%s: got %v want %v", in, ts.Time, exp)
	}
	var ts models.Timestamp
	assert.Error(t, json.Unmarshal([]byte(`"yesterday"`), &ts))
	assert.Error(t, json.Unmarshal([]byte(`true`), &ts))
}

func TestTimestampInStructAndRoundTrip(t *testing.T) {
	t.Parallel()
	var v struct {
		A models.Timestamp  `json:"a"`
		B *models.Timestamp `json:"b"`
		C models.Timestamp  `json:"c"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"a":"2026-01-02T03:04:05.5Z","b":1700000000000,"c":null}`), &v))
	assert.Equal(t, int64(1700000000000), v.B.UnixMilli())
	assert.True(t, v.C.IsZero())
	assert.Zero(t, v.C.UnixMilli())
	out, err := json.Marshal(v)
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":"2026-01-02T03:04:05.5Z","b":"2023-11-14T22:13:20Z","c":null}`, string(out))
	assert.Equal(t, "2026-01-02T03:04:05.5Z", models.NewTimestamp(v.A.Time).UTC().Format(time.RFC3339Nano))
}

func TestPtr(t *testing.T) {
	t.Parallel()
	p := models.Ptr(3)
	*p = 4
	assert.Equal(t, 4, *models.Ptr(*p))
	assert.Equal(t, "x", *models.Ptr("x"))
}

// TestTimestampRange: Timestamp reads only what it can write again. MarshalJSON
// writes RFC 3339 in UTC, whose years have four digits, so an epoch or a zoned
// time outside 0000-01-01T00:00:00Z … 9999-12-31T23:59:59.999999999Z is an error
// on reading (not a garbage year that MarshalJSON writes and UnmarshalJSON then
// refuses), and a time outside it is an error on writing.
func TestTimestampRange(t *testing.T) {
	t.Parallel()
	accepted := map[string]time.Time{
		`253402300799999`:                  time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC),
		`"253402300799999"`:                time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC),
		`-62167219200000`:                  time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		`"9999-12-31T23:59:59.999999999Z"`: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		`"9999-12-31T22:59:59+01:00"`:      time.Date(9999, 12, 31, 21, 59, 59, 0, time.UTC),
		`"0000-01-01T00:00:00Z"`:           time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		`"0000-01-01T00:00:00-01:00"`:      time.Date(0, 1, 1, 1, 0, 0, 0, time.UTC),
	}
	for in, want := range accepted {
		var ts models.Timestamp
		require.NoError(t, json.Unmarshal([]byte(in), &ts), in)
		assert.True(t, want.Equal(ts.Time), "%s: got %v want %v", in, ts.Time, want)
		out, err := json.Marshal(ts)
		require.NoError(t, err, in)
		var again models.Timestamp
		require.NoError(t, json.Unmarshal(out, &again), "%s wrote %s", in, out)
		assert.True(t, want.Equal(again.Time), "%s wrote %s, read back as %v", in, out, again.Time)
	}
	for _, in := range []string{
		`99999999999999999999999`, `"99999999999999999999999"`, `-99999999999999999999999`,
		`253402300800000`, `"253402300800000"`, `-62167219200001`, `1e300`, `-1e300`,
		`"9999-12-31T23:30:00-01:00"`, `"0000-01-01T00:00:00+01:00"`,
	} {
		var ts models.Timestamp
		err := json.Unmarshal([]byte(in), &ts)
		require.Error(t, err, "%s read as %v", in, ts.Time)
		assert.Contains(t, err.Error(), "models.Timestamp", in)
	}
	// Taken directly (not through encoding/json, which checks the number first).
	for _, in := range []string{`NaN`, `+Inf`, `-Inf`, `1e400`} {
		var ts models.Timestamp
		require.Error(t, ts.UnmarshalJSON([]byte(in)), in)
	}
	for _, v := range []time.Time{
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 30, 0, 0, time.FixedZone("", -3600)), // 10000 in UTC
		time.Unix(1<<62, 0),
	} {
		_, err := json.Marshal(models.NewTimestamp(v))
		require.Error(t, err, "%v", v)
		assert.Contains(t, err.Error(), "models.Timestamp")
	}
}
