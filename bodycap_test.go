package connapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WithMaxResponseBytes takes any positive cap, the largest int64 included (a
// caller's "no cap"): the cap plus one overflowed to a negative limit, and
// every body read as empty, a 200's result and an error's message lost.
func TestMaxResponseBytesAtTheLargestValueReadsTheBody(t *testing.T) {
	t.Parallel()
	c, mux := setup(t, WithMaxResponseBytes(math.MaxInt64))
	mux.HandleFunc("/things/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "gone" {
			writeJSON(w, 404, `{"detail":"no such thing"}`)
			return
		}
		writeJSON(w, 200, `{"id":"x"}`)
	})
	out, _, err := getThing(context.Background(), c, "1")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"id": "x"}, out)
	_, _, err = getThing(context.Background(), c, "gone")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "no such thing", apiErr.Message)
}

// A Content-Length the body does not have is not a size to allocate: under a
// large cap, a server that announced petabytes (or the largest int64) and sent
// two bytes made the buffer's Grow panic (bytes.Buffer: too large, or a
// negative count), a crash of the caller's process. It is a typed failure to
// read the body, as any body that breaks off.
func TestLyingContentLengthIsAnErrorNotAPanic(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cap, length int64
	}{
		{cap: 1 << 60, length: 1 << 49},
		{cap: math.MaxInt64, length: math.MaxInt64},
		{cap: math.MaxInt64, length: math.MaxInt64 - 100},
	} {
		t.Run(strconv.FormatInt(tc.length, 10), func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t, WithMaxResponseBytes(tc.cap))
			mux.HandleFunc("/things/{id}", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", strconv.FormatInt(tc.length, 10))
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(200)
				_, _ = io.WriteString(w, `{}`)
			})
			_, resp, err := getThing(context.Background(), c, "1")
			require.Error(t, err)
			assert.True(t, errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "reading response"), "%v", err)
			require.NotNil(t, resp)
			assert.Equal(t, 3, resp.Attempts, "a GET whose body broke off is retried")
		})
	}
}

// What a Content-Length makes the client allocate before any byte arrives is
// bounded: a lie within the cap (a gigabyte announced, two bytes sent) does not
// cost a gigabyte per call.
func TestContentLengthPreallocationIsBounded(t *testing.T) {
	t.Parallel()
	c := &Client{maxResponseBytes: 4 << 30}
	resp := &http.Response{ContentLength: 1 << 30, Body: io.NopCloser(strings.NewReader(`{}`))}
	var buf bytes.Buffer
	require.NoError(t, c.readBody(&callState{}, &buf, resp)) // a reader that ends early reads as its end here
	assert.Equal(t, 2, buf.Len())
	assert.Less(t, buf.Cap(), 16<<20, "allocated for the announced length")
}
