// Package bench measures the SDK's per-request cost against the floor of raw
// net/http plus encoding/json on the same loopback server and payload, in one run:
//
//	go test -run '^$' -bench . -benchmem ./bench
//
// BenchmarkOverhead reports the ratios directly (time-ratio, extra-allocs, extra-B).
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/models"
)

// page builds a bare-array page of n OpenInt connections (about 600 bytes each).
func page(n int) []byte {
	items := make([]map[string]any, n)
	for i := range items {
		items[i] = map[string]any{
			"id":                fmt.Sprintf("conn_%08d", i),
			"createdAt":         "2026-01-02T03:04:05.123456Z",
			"updatedAt":         "2026-03-04T05:06:07Z",
			"connectorName":     "google-drive",
			"displayName":       fmt.Sprintf("Drive of user %d – Ünïcode", i),
			"customerId":        fmt.Sprintf("cus_%d", i),
			"connectorConfigId": "ccfg_01HXYZ",
			"integrationId":     "int_gdrive",
			"settings":          map[string]any{"oauth": map[string]any{"expiresAt": "2026-09-01T00:00:00Z", "scopes": []string{"drive.readonly", "userinfo.email"}}},
			"standard":          map[string]any{"displayName": "Drive", "status": "healthy", "labels": []string{"prod", "eu"}},
			"disabled":          false,
			"metadata":          map[string]any{"team": "eng", "region": "eu-west-1"},
		}
	}
	b, _ := json.Marshal(items)
	return b
}

type server struct {
	*httptest.Server
	newConns atomic.Int64
}

func newServer(tb testing.TB, body []byte) *server {
	s := &server{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.newConns.Add(1)
		}
	}
	s.Start()
	tb.Cleanup(s.Close)
	return s
}

func sdkClient(tb testing.TB, url string) *connapi.Client {
	c, err := connapi.NewClient(connapi.WithBaseURL(url+"/v0/"), connapi.WithAPIKey("bench-key"), connapi.WithRetryWait(0, 0))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.CloseIdleConnections)
	return c
}

func rawClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t}
}

func rawList(ctx context.Context, hc *http.Client, url string) ([]*models.CoreConnection, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/v0/core/connection?limit=100", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("x-apikey", "bench-key")
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var out []*models.CoreConnection
	return out, json.Unmarshal(b, &out)
}

func benchRaw(b *testing.B, n int) {
	srv := newServer(b, page(n))
	hc := rawClient()
	defer hc.CloseIdleConnections()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rawList(ctx, hc, srv.URL); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSDK(b *testing.B, n int) {
	srv := newServer(b, page(n))
	c := sdkClient(b, srv.URL)
	ctx := context.Background()
	p := &connapi.ListCoreConnectionsParams{Limit: 100}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := c.CoreConnections.List(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkList compares one list call (1 and 100 items) through raw net/http and
// through the SDK.
func BenchmarkList(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("raw/items=%d", n), func(b *testing.B) { benchRaw(b, n) })
		b.Run(fmt.Sprintf("sdk/items=%d", n), func(b *testing.B) { benchSDK(b, n) })
	}
}

// BenchmarkOverhead runs b.N raw list calls of one item, then b.N SDK calls, on
// the same server, and reports the SDK's cost as ratios to the raw floor: the
// transport, retry and error layers, without the decode cost that both share.
func BenchmarkOverhead(b *testing.B) {
	srv := newServer(b, page(1))
	hc := rawClient()
	defer hc.CloseIdleConnections()
	c := sdkClient(b, srv.URL)
	ctx := context.Background()
	p := &connapi.ListCoreConnectionsParams{Limit: 100}
	phase := func(call func() error) (time.Duration, uint64, uint64) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		for range b.N {
			if err := call(); err != nil {
				b.Fatal(err)
			}
		}
		d := time.Since(start)
		runtime.ReadMemStats(&after)
		return d, after.Mallocs - before.Mallocs, after.TotalAlloc - before.TotalAlloc
	}
	// Warm both connection pools first.
	_, _ = rawList(ctx, hc, srv.URL)
	_, _, _ = c.CoreConnections.List(ctx, p)
	b.ResetTimer()
	rawT, rawA, rawB := phase(func() error { _, err := rawList(ctx, hc, srv.URL); return err })
	sdkT, sdkA, sdkB := phase(func() error { _, _, err := c.CoreConnections.List(ctx, p); return err })
	n := float64(b.N)
	b.ReportMetric(float64(sdkT)/float64(rawT), "time-ratio")
	b.ReportMetric((float64(sdkA)-float64(rawA))/n, "extra-allocs/op")
	b.ReportMetric((float64(sdkB)-float64(rawB))/n, "extra-B/op")
}

// BenchmarkParallelReuse lists from 32 goroutines and reports how many new
// connections the SDK's default transport opened per 1000 requests (the default
// net/http pool keeps only 2 idle connections per host).
func BenchmarkParallelReuse(b *testing.B) {
	srv := newServer(b, page(1))
	c := sdkClient(b, srv.URL)
	p := &connapi.ListCoreConnectionsParams{Limit: 100}
	b.SetParallelism(16)
	var reqs atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			if _, _, err := c.CoreConnections.List(ctx, p); err != nil {
				b.Error(err)
				return
			}
			reqs.Add(1)
		}
	})
	b.ReportMetric(float64(srv.newConns.Load())*1000/float64(max(reqs.Load(), 1)), "new-conns/1k-req")
}

// TestBenchHarness keeps the harness honest in ordinary test runs: both paths decode
// the same items.
func TestBenchHarness(t *testing.T) {
	srv := newServer(t, page(3))
	hc := rawClient()
	defer hc.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	raw, err := rawList(ctx, hc, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := sdkClient(t, srv.URL).CoreConnections.List(ctx, &connapi.ListCoreConnectionsParams{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != 3 || len(got) != 3 || raw[2].ID != got[2].ID || !strings.HasPrefix(got[0].ID, "conn_") {
		t.Fatalf("raw %d items, sdk %d items", len(raw), len(got))
	}
}
