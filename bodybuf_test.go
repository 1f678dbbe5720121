package connapi

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestReadBodyBufferFitsTheContentLength reads bodies whose Content-Length is
// known into an empty buffer, at sizes around the size classes a large
// allocation is rounded to, and checks that the buffer never doubles at the read
// that finds the end: it holds the body and bytes.MinRead, rounded up, and no
// more. Before, a body that filled the room Grow made (157 KB here, a
// 200-instance PipesHub page) left its buffer at about twice its size, and the
// pool kept it so.
func TestReadBodyBufferFitsTheContentLength(t *testing.T) {
	c := &Client{maxResponseBytes: 32 << 20}
	for _, n := range []int{1, 511, 512, 4096, 32 << 10, 157_000, 160 << 10, 1 << 20} {
		for _, off := range []int{-8192, -512, -1, 0, 1} {
			size := n + off
			if size <= 0 {
				continue
			}
			body := strings.Repeat("x", size)
			resp := &http.Response{ContentLength: int64(size), Body: io.NopCloser(strings.NewReader(body))}
			var buf bytes.Buffer
			if err := c.readBody(&callState{}, &buf, resp); err != nil {
				t.Fatalf("size %d: %v", size, err)
			}
			if buf.Len() != size {
				t.Fatalf("size %d: read %d bytes", size, buf.Len())
			}
			// A large allocation is rounded up to whole 8 KiB pages.
			if limit := size + bytes.MinRead + 8192; buf.Cap() > limit && buf.Cap() > 64 {
				t.Errorf("size %d: buffer capacity %d, over %d", size, buf.Cap(), limit)
			}
		}
	}
}
