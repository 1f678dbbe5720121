package otelconnapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"golang.org/x/time/rate"

	"github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/internal/redact/redacttest"
	"github.com/connapi/connapi-go/models"
	otelconnapi "github.com/connapi/connapi-go/otel"
)

// recorder is a Telemetry over the SDK's in-memory span exporter and a manual
// metric reader.
type recorder struct {
	spans  *tracetest.InMemoryExporter
	reader *sdkmetric.ManualReader
	tel    *otelconnapi.Telemetry
}

func newRecorder(t *testing.T, opts ...otelconnapi.Option) *recorder {
	t.Helper()
	r := &recorder{spans: tracetest.NewInMemoryExporter(), reader: sdkmetric.NewManualReader()}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(r.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(r.reader))
	t.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	tel, err := otelconnapi.New(append([]otelconnapi.Option{otelconnapi.WithTracerProvider(tp), otelconnapi.WithMeterProvider(mp),
		otelconnapi.WithPropagator(propagation.TraceContext{})}, opts...)...)
	require.NoError(t, err)
	r.tel = tel
	return r
}

// attrs turns attributes into a map, for comparisons.
func attrs(kvs []attribute.KeyValue) map[string]any {
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.AsInterface()
	}
	return m
}

// point is one data point of a metric: its attributes and its value (a count of
// measurements for a histogram, the sum for a counter), and a histogram's sum.
type point struct {
	attrs map[string]any
	value int64
	sum   float64
}

// metrics collects every metric of the scope by name.
func (r *recorder) metrics(t *testing.T) map[string][]point {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, r.reader.Collect(context.Background(), &rm))
	out := map[string][]point{}
	for _, sm := range rm.ScopeMetrics {
		require.Equal(t, otelconnapi.ScopeName, sm.Scope.Name)
		require.Equal(t, connapi.Version, sm.Scope.Version)
		for _, m := range sm.Metrics {
			var pts []point
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				require.True(t, d.IsMonotonic, m.Name)
				for _, dp := range d.DataPoints {
					pts = append(pts, point{attrs: attrs(dp.Attributes.ToSlice()), value: dp.Value})
				}
			case metricdata.Histogram[float64]:
				require.Equal(t, "s", m.Unit, m.Name)
				for _, dp := range d.DataPoints {
					pts = append(pts, point{attrs: attrs(dp.Attributes.ToSlice()), value: int64(dp.Count), sum: dp.Sum})
				}
			default:
				t.Fatalf("metric %s: unexpected data %T", m.Name, m.Data)
			}
			sort.Slice(pts, func(i, j int) bool { return fmt.Sprint(pts[i].attrs) < fmt.Sprint(pts[j].attrs) })
			out[m.Name] = pts
		}
	}
	return out
}

// server returns a fake with one seeded PipesHub connector, its id and port.
func server(t *testing.T) (*connapitest.Server, string, int) {
	t.Helper()
	srv := connapitest.NewServer(connapitest.WithSeed(1))
	t.Cleanup(srv.Close)
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.PipesHubURL()), connapi.WithBearerToken(srv.Token()))
	require.NoError(t, err)
	page, _, err := c.ConnectorInstances.List(t.Context(), nil)
	require.NoError(t, err)
	srv.ResetRequests()
	u, err := url.Parse(srv.URL())
	require.NoError(t, err)
	port, err := strconv.Atoi(u.Port())
	require.NoError(t, err)
	return srv, page.Connectors[0].ConnectorID, port
}

func (r *recorder) client(t *testing.T, baseURL, token string, opts ...connapi.Option) *connapi.Client {
	t.Helper()
	all := append([]connapi.Option{connapi.WithBaseURL(baseURL), connapi.WithPlatform(connapi.PlatformPipesHub),
		connapi.WithBearerToken(token), connapi.WithRetryWait(0, 0)}, r.tel.Options()...)
	c, err := connapi.NewClient(append(all, opts...)...)
	require.NoError(t, err)
	return c
}

// The done-when test of issue 16: the trace and the metrics of a call retried
// after a 503, attribute by attribute.
func TestCallRetriedAfter503(t *testing.T) {
	t.Parallel()
	srv, id, port := server(t)
	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/api/v1/connectors/{id}", Sequence: []connapitest.Fault{connapitest.Status(503)}})
	rec := newRecorder(t)
	c := rec.client(t, srv.PipesHubURL(), srv.Token())

	inst, resp, err := c.ConnectorInstances.Get(context.Background(), id, nil)
	require.NoError(t, err)
	require.Equal(t, id, inst.ConnectorID)
	require.Equal(t, 2, resp.Attempts)

	// Traces: the call's span and one child per attempt.
	spans := rec.spans.GetSpans()
	require.Len(t, spans, 3)
	var call tracetest.SpanStub
	var attempts []tracetest.SpanStub
	for _, s := range spans {
		if s.Name == "ConnectorInstances.Get" {
			call = s
		} else {
			attempts = append(attempts, s)
		}
	}
	sort.Slice(attempts, func(i, j int) bool { return attempts[i].StartTime.Before(attempts[j].StartTime) })
	require.Len(t, attempts, 2)
	op := map[string]any{
		"http.request.method": "GET",
		"server.address":      "127.0.0.1",
		"server.port":         int64(port),
		"url.template":        "/connectors/{connectorId}",
		"connapi.operation":   "ConnectorInstances.Get",
		"connapi.platform":    "pipeshub",
	}
	with := func(m map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range op {
			out[k] = v
		}
		for k, v := range m {
			out[k] = v
		}
		return out
	}

	assert.Equal(t, trace.SpanKindInternal, call.SpanKind)
	assert.False(t, call.Parent.IsValid(), "the call's span is a root here")
	assert.Equal(t, codes.Unset, call.Status.Code)
	assert.Equal(t, with(map[string]any{"connapi.attempts": int64(2), "http.response.status_code": int64(200)}), attrs(call.Attributes))
	require.Len(t, call.Events, 1)
	assert.Equal(t, "connapi.retry", call.Events[0].Name)
	assert.Equal(t, map[string]any{"connapi.attempt": int64(1), "connapi.retry.reason": "503", "connapi.retry.wait": 0.0,
		"connapi.retry.retry_after": false}, attrs(call.Events[0].Attributes))
	assert.Equal(t, otelconnapi.ScopeName, call.InstrumentationScope.Name)

	for i, a := range attempts {
		assert.Equal(t, "GET /connectors/{connectorId}", a.Name)
		assert.Equal(t, trace.SpanKindClient, a.SpanKind)
		assert.Equal(t, call.SpanContext.SpanID(), a.Parent.SpanID(), "attempt %d is a child of the call", i+1)
		assert.Equal(t, call.SpanContext.TraceID(), a.SpanContext.TraceID())
		assert.Empty(t, a.Events)
		assert.False(t, a.StartTime.Before(call.StartTime) || a.EndTime.After(call.EndTime), "attempt %d within the call", i+1)
	}
	assert.Equal(t, with(map[string]any{"connapi.attempt": int64(1), "http.response.status_code": int64(503), "error.type": "503"}),
		attrs(attempts[0].Attributes))
	assert.Equal(t, codes.Error, attempts[0].Status.Code)
	assert.Equal(t, "503", attempts[0].Status.Description)
	assert.Equal(t, with(map[string]any{"connapi.attempt": int64(2), "http.request.resend_count": int64(1), "http.response.status_code": int64(200)}),
		attrs(attempts[1].Attributes))
	assert.Equal(t, codes.Unset, attempts[1].Status.Code)

	// Each request carried its own attempt's trace context.
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	for i, r := range reqs {
		sc := attempts[i].SpanContext
		assert.Equal(t, "00-"+sc.TraceID().String()+"-"+sc.SpanID().String()+"-01", r.Header.Get("Traceparent"), "request %d", i+1)
	}

	// Metrics.
	m := rec.metrics(t)
	durAttrs := func(status int, errType string) map[string]any {
		a := with(map[string]any{"http.response.status_code": int64(status)})
		delete(a, "connapi.attempt")
		if errType != "" {
			a["error.type"] = errType
		}
		return a
	}
	byStatus := map[int64]point{}
	for _, p := range m["http.client.request.duration"] {
		byStatus[p.attrs["http.response.status_code"].(int64)] = p
	}
	require.Len(t, m["http.client.request.duration"], 2)
	assert.Equal(t, durAttrs(503, "503"), byStatus[503].attrs)
	assert.Equal(t, durAttrs(200, ""), byStatus[200].attrs)
	for _, p := range byStatus {
		assert.Equal(t, int64(1), p.value, "one attempt each")
		assert.Positive(t, p.sum)
	}
	short := func(k, v string) map[string]any {
		return map[string]any{"connapi.operation": "ConnectorInstances.Get", "connapi.platform": "pipeshub", k: v}
	}
	calls := short("connapi.outcome", "success")
	calls["http.response.status_code"] = int64(200)
	assert.Equal(t, []point{{attrs: calls, value: 1}}, m["connapi.client.calls"])
	assert.Equal(t, []point{{attrs: short("connapi.retry.reason", "503"), value: 1}}, m["connapi.client.retries"])
	assert.Equal(t, []point{{attrs: short("connapi.wait.reason", "backoff"), value: 1, sum: 0}}, m["connapi.client.wait.duration"])
	assert.Empty(t, m["connapi.client.give_ups"])
	assert.Len(t, m, 4, "no other metric: %v", m)
}

// A wait the server asked for is told from a backoff, in the event and in the
// wait metric.
func TestRetryAfterWait(t *testing.T) {
	t.Parallel()
	h := connapitest.NewHandler(connapitest.WithSeed(1))
	var n atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, `{"error":{"code":"HTTP_TOO_MANY_REQUESTS","message":"slow down"}}`, http.StatusTooManyRequests)
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer ts.Close()
	defer h.Shutdown()
	rec := newRecorder(t)
	c := rec.client(t, ts.URL+connapitest.PipesHubPath, h.Token())
	_, resp, err := c.ConnectorInstances.List(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, 2, resp.Attempts)
	m := rec.metrics(t)
	require.Len(t, m["connapi.client.wait.duration"], 1)
	assert.Equal(t, "retry_after", m["connapi.client.wait.duration"][0].attrs["connapi.wait.reason"])
	assert.Equal(t, "429", m["connapi.client.retries"][0].attrs["connapi.retry.reason"])
	for _, s := range rec.spans.GetSpans() {
		if s.Name == "ConnectorInstances.List" {
			require.Len(t, s.Events, 1)
			assert.Equal(t, true, attrs(s.Events[0].Attributes)["connapi.retry.retry_after"])
		}
	}
}

// A call that fails without an answer, retries exhausted: the give-up, the
// network error class, the spans' error status.
func TestCallThatGivesUp(t *testing.T) {
	t.Parallel()
	srv, id, _ := server(t)
	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/api/v1/connectors/{id}", Fault: connapitest.Reset()})
	rec := newRecorder(t)
	c := rec.client(t, srv.PipesHubURL(), srv.Token(), connapi.WithMaxRetries(1))
	_, _, err := c.ConnectorInstances.Get(context.Background(), id, nil)
	require.Error(t, err)

	m := rec.metrics(t)
	require.Len(t, m["connapi.client.calls"], 1)
	callAttrs := m["connapi.client.calls"][0].attrs
	assert.Equal(t, "network_error", callAttrs["connapi.outcome"])
	assert.Contains(t, []any{"connection_reset", "connection_closed"}, callAttrs["error.type"])
	require.Len(t, m["connapi.client.give_ups"], 1)
	assert.Equal(t, "retries_exhausted", m["connapi.client.give_ups"][0].attrs["connapi.give_up.reason"])
	assert.Equal(t, callAttrs["error.type"], m["connapi.client.give_ups"][0].attrs["error.type"])
	spans := rec.spans.GetSpans()
	require.Len(t, spans, 3)
	for _, s := range spans {
		assert.Equal(t, codes.Error, s.Status.Code, s.Name)
		assert.NotContains(t, attrs(s.Attributes), "http.response.status_code", s.Name)
		if s.Name == "ConnectorInstances.Get" {
			require.Len(t, s.Events, 2)
			assert.Equal(t, []string{"connapi.retry", "connapi.give_up"}, []string{s.Events[0].Name, s.Events[1].Name})
		}
	}
}

// Propagation can be turned off; the spans are recorded all the same.
func TestWithoutPropagation(t *testing.T) {
	t.Parallel()
	srv, id, _ := server(t)
	rec := newRecorder(t, otelconnapi.WithoutPropagation())
	c := rec.client(t, srv.PipesHubURL(), srv.Token())
	_, _, err := c.ConnectorInstances.Get(context.Background(), id, nil)
	require.NoError(t, err)
	assert.Len(t, rec.spans.GetSpans(), 2)
	assert.Empty(t, srv.Requests()[0].Header.Get("Traceparent"))
}

// The time spent waiting for the client's rate limit is measured.
func TestRateLimitWait(t *testing.T) {
	t.Parallel()
	srv, id, _ := server(t)
	rec := newRecorder(t)
	l := rate.NewLimiter(rate.Every(5*time.Millisecond), 1)
	for range 60 { // 300 ms of tokens owed: the call waits whatever the machine's load
		l.Reserve()
	}
	c := rec.client(t, srv.PipesHubURL(), srv.Token(), connapi.WithRateLimiter(l))
	_, _, err := c.ConnectorInstances.Get(context.Background(), id, nil)
	require.NoError(t, err)
	m := rec.metrics(t)
	require.Len(t, m["connapi.client.wait.duration"], 1)
	p := m["connapi.client.wait.duration"][0]
	assert.Equal(t, "rate_limit", p.attrs["connapi.wait.reason"])
	assert.Equal(t, int64(1), p.value)
	assert.Positive(t, p.sum)
}

// No secret of the redaction proof, no ID, no filled-in path and no request id
// appears in any attribute, event or metric label, whatever the call went through.
func TestNoSecretsNoIDs(t *testing.T) {
	t.Parallel()
	secrets := redacttest.ProofSecrets
	srv := connapitest.NewServer(connapitest.WithSeed(1), connapitest.WithBearerToken(secrets["bearer token"]))
	defer srv.Close()
	srv.Faults().Add(connapitest.Rule{Path: "/api/v1/connectors/*", Sequence: []connapitest.Fault{connapitest.Status(503), connapitest.Reset()}})
	rec := newRecorder(t)
	c := rec.client(t, srv.PipesHubURL(), secrets["bearer token"], connapi.WithMaxRetries(3))
	opts := []connapi.RequestOption{
		connapi.WithQuery("api-key", secrets["query api-key"]),
		connapi.WithQuery("sessionToken", secrets["query sessionToken"]),
		connapi.WithHeader("X-Connection-Id", secrets["connection id"]),
	}
	page, _, err := c.ConnectorInstances.List(context.Background(), nil, opts...)
	require.NoError(t, err)
	id := page.Connectors[0].ConnectorID
	_, _, err = c.ConnectorInstances.Get(context.Background(), id, nil, opts...)
	require.NoError(t, err)
	_, _, err = c.ConnectorInstances.Get(context.Background(), secrets["OAuth code"], nil, opts...) // an id that is a secret: 404
	require.ErrorIs(t, err, connapi.ErrNotFound)
	_, _, err = c.ConnectorInstances.UpdateAuthConfig(context.Background(), id, &connapi.UpdateConnectorAuthConfigRequest{
		Auth: &models.ConnectorAuthConfig{Values: map[string]any{"clientSecret": secrets["PipesHub clientSecret"]}}}, opts...)
	require.NoError(t, err)

	var all []string
	add := func(kvs []attribute.KeyValue) {
		for _, kv := range kvs {
			all = append(all, string(kv.Key)+"="+fmt.Sprint(kv.Value.AsInterface()))
		}
	}
	for _, s := range rec.spans.GetSpans() {
		all = append(all, s.Name, s.Status.Description)
		add(s.Attributes)
		for _, e := range s.Events {
			all = append(all, e.Name)
			add(e.Attributes)
		}
	}
	for name, pts := range rec.metrics(t) {
		all = append(all, name)
		for _, p := range pts {
			for k, v := range p.attrs {
				all = append(all, fmt.Sprintf("%s=%v", k, v))
			}
		}
	}
	text := strings.Join(all, "\n")
	require.Contains(t, text, "connapi.operation=ConnectorInstances.UpdateAuthConfig", "the calls were recorded")
	forbidden := []string{id, "5eed0000", "/api/v1/connectors/"}
	for _, s := range secrets {
		forbidden = append(forbidden, s, url.QueryEscape(s), url.PathEscape(s))
	}
	for _, f := range forbidden {
		assert.NotContains(t, text, f)
	}
}
