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
