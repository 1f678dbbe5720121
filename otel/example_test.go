package otelconnapi_test

import (
	"context"
	"fmt"
	"log"
	"sort"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	otelconnapi "github.com/connapi/connapi-go/otel"
)

// A call retried after a 503 gives a span for the call and one per attempt, and
// its metrics. In production the providers come from your OpenTelemetry setup
// (an OTLP exporter, say) and otelconnapi.New() takes the global ones.
func Example() {
	srv := connapitest.NewServer(connapitest.WithSeed(1))
	defer srv.Close()
	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/v0/core/connection",
		Sequence: []connapitest.Fault{connapitest.Status(503)}})

	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	tel, err := otelconnapi.New(
		otelconnapi.WithTracerProvider(tp),
		otelconnapi.WithMeterProvider(mp),
		otelconnapi.WithPropagator(propagation.TraceContext{}),
	)
	if err != nil {
		log.Fatal(err)
	}
	c, err := connapi.NewClient(
		connapi.WithBaseURL(srv.OpenIntURL()),
		connapi.WithAPIKey(srv.APIKey()),
		connapi.WithRetryWait(0, 0),
		connapi.WithMiddleware(tel.Middleware),
		connapi.WithObserver(tel.Observer()),
	)
	if err != nil {
		log.Fatal(err)
	}
	if _, _, err := c.CoreConnections.List(context.Background(), nil); err != nil {
		log.Fatal(err)
	}

	show := func(kvs []attribute.KeyValue, keys ...string) string {
		set := attribute.NewSet(kvs...)
		out := ""
		for _, k := range keys {
			if v, ok := set.Value(attribute.Key(k)); ok {
				out += fmt.Sprintf(" %s=%s", k, fmt.Sprint(v.AsInterface()))
			}
		}
		return out
	}
	for _, s := range spans.GetSpans() { // in the order they ended
		fmt.Printf("span %q (%s)%s\n", s.Name, s.SpanKind,
			show(s.Attributes, "connapi.attempts", "http.request.resend_count", "http.response.status_code", "error.type"))
		for _, e := range s.Events {
			fmt.Printf("  event %s%s\n", e.Name, show(e.Attributes, "connapi.attempt", "connapi.retry.reason"))
		}
	}
	fmt.Println("traceparent sent:", srv.Requests()[0].Header.Get("Traceparent") != "")

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		log.Fatal(err)
	}
	var names []string
	for _, m := range rm.ScopeMetrics[0].Metrics {
		names = append(names, m.Name)
	}
	sort.Strings(names)
	fmt.Println("metrics:", names)
	// Output:
	// span "GET /core/connection" (client) http.response.status_code=503 error.type=503
	// span "GET /core/connection" (client) http.request.resend_count=1 http.response.status_code=200
	// span "CoreConnections.List" (internal) connapi.attempts=2 http.response.status_code=200
	//   event connapi.retry connapi.attempt=1 connapi.retry.reason=503
	// traceparent sent: true
	// metrics: [connapi.client.calls connapi.client.retries connapi.client.wait.duration http.client.request.duration]
}
