// Package otelconnapi traces and measures the calls of connapi clients with
// OpenTelemetry.
//
//	tel, err := otelconnapi.New() // the global providers and propagator
//	if err != nil {
//		return err
//	}
//	c, err := connapi.NewClient(
//		connapi.WithBaseURL(connapi.PipesHubBaseURL),
//		connapi.WithBearerToken(token),
//		connapi.WithMiddleware(tel.Middleware),
//		connapi.WithObserver(tel.Observer()),
//	)
//
// One Telemetry may serve any number of clients.
//
// # Traces
//
// Each call gets a span named after its operation ("ConnectorInstances.Get", kind
// internal), with one child span per attempt, kind client, named "METHOD
// template" ("GET /connectors/{connectorId}"), as OpenTelemetry's HTTP semantic
// conventions name a client request. The attempt spans are the requests: the
// trace context each attempt carries in its headers (the propagator's format,
// W3C traceparent with the usual global setup) names its attempt span, so a
// server's span hangs below it. WithPropagator chooses the propagator,
// WithoutPropagation sends none.
//
// Attributes, on the call span and on each attempt span: http.request.method,
// server.address, server.port, url.template (the vendor's path template, never the
// filled-in path), http.response.status_code, error.type (the status from 400 up,
// or the class of the failure: timeout, connection_reset, …), connapi.operation and
// connapi.platform. The call span adds connapi.attempts (the requests that reached
// the wire), and an event per retry ("connapi.retry": connapi.attempt,
// connapi.retry.reason, connapi.retry.wait in seconds, connapi.retry.retry_after)
// and per give-up ("connapi.give_up": connapi.attempt, connapi.give_up.reason,
// error.type). An attempt span after the first has http.request.resend_count. A
// span whose call or attempt failed has status Error, described by its error.type
// only: an error's text holds the filled-in path and is never recorded.
//
// # Metrics
//
//	http.client.request.duration  histogram, s   per attempt: http.request.method, server.address, server.port,
//	                                             url.template, http.response.status_code, error.type,
//	                                             connapi.operation, connapi.platform
//	connapi.client.calls          counter        per call: connapi.operation, connapi.platform, connapi.outcome
//	                                             (success, http_error, invalid_response, network_error, canceled,
//	                                             timeout, other), http.response.status_code, error.type
//	connapi.client.retries        counter        per retry: connapi.operation, connapi.platform, connapi.retry.reason
//	connapi.client.wait.duration  histogram, s   per wait: connapi.operation, connapi.platform, connapi.wait.reason
//	                                             (retry_after, backoff: before a retry; rate_limit: before an attempt)
//	connapi.client.give_ups       counter        per give-up: connapi.operation, connapi.platform,
//	                                             connapi.give_up.reason, error.type
//
// A call refused before it starts, for its arguments (connapi.ErrInvalidParams)
// or its platform (connapi.ErrWrongPlatform), reaches no middleware: it has no
// span and is not counted. Its error is returned at once, and nothing was sent.
//
// # What never appears
//
// No attribute, event or metric label holds a credential, a query value, a header
// value, an ID, a request id or a filled-in path: only the operation, its path
// template, the server's host and port, statuses, error classes, counts and
// durations. The keys are the scheme of connapi's logs (package connapi,
// "Production").
//
// This module is separate from the SDK's, so that a program that does not use it
// downloads no OpenTelemetry; it needs go.opentelemetry.io/otel v1.40.0 or later.
package otelconnapi

import (
	"context"
	"errors"
	"strconv"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.39.0"
	"go.opentelemetry.io/otel/semconv/v1.39.0/httpconv"
	"go.opentelemetry.io/otel/trace"

	"github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/internal/obsattr"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/connapi/connapi-go/otel"

// Telemetry holds the tracer, the instruments and the propagator that its
// Middleware and Observer use. Build one with New.
type Telemetry struct {
	tracer     trace.Tracer
	propagator propagation.TextMapPropagator // nil: the global one at each attempt
	propagate  bool

	duration httpconv.ClientRequestDuration
	calls    metric.Int64Counter
	retries  metric.Int64Counter
	waits    metric.Float64Histogram
	giveUps  metric.Int64Counter
}

// Option configures New.
type Option func(*config)

type config struct {
	tp        trace.TracerProvider
	mp        metric.MeterProvider
	prop      propagation.TextMapPropagator
	propagate bool
}

// WithTracerProvider sets the provider of the tracer; the default is the global
// one (otel.GetTracerProvider).
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider sets the provider of the meter; the default is the global one
// (otel.GetMeterProvider).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

// WithPropagator sets the propagator that writes each attempt's trace context into
// its request headers; the default is the global one (otel.GetTextMapPropagator),
// read at each attempt.
func WithPropagator(p propagation.TextMapPropagator) Option {
	return func(c *config) { c.prop, c.propagate = p, p != nil }
}

// WithoutPropagation sends no trace context with the requests: the spans are
// recorded all the same.
func WithoutPropagation() Option {
	return func(c *config) { c.prop, c.propagate = nil, false }
}

// durationBuckets are the bucket boundaries that OpenTelemetry's HTTP semantic
// conventions advise for http.client.request.duration, in seconds.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// New returns a Telemetry configured by opts.
func New(opts ...Option) (*Telemetry, error) {
	cfg := config{propagate: true}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.tp == nil {
		cfg.tp = otel.GetTracerProvider()
	}
	if cfg.mp == nil {
		cfg.mp = otel.GetMeterProvider()
	}
	t := &Telemetry{
		tracer: cfg.tp.Tracer(ScopeName, trace.WithInstrumentationVersion(connapi.Version),
			trace.WithSchemaURL(semconv.SchemaURL)),
		propagator: cfg.prop,
		propagate:  cfg.propagate,
	}
	m := cfg.mp.Meter(ScopeName, metric.WithInstrumentationVersion(connapi.Version), metric.WithSchemaURL(semconv.SchemaURL))
	var err, e error
	t.duration, e = httpconv.NewClientRequestDuration(m, metric.WithExplicitBucketBoundaries(durationBuckets...))
	err = errors.Join(err, e)
	t.calls, e = m.Int64Counter("connapi.client.calls", metric.WithUnit("{call}"),
		metric.WithDescription("Calls of connapi clients, by operation and outcome."))
	err = errors.Join(err, e)
	t.retries, e = m.Int64Counter("connapi.client.retries", metric.WithUnit("{retry}"),
		metric.WithDescription("Retries of connapi clients, by operation and reason."))
	err = errors.Join(err, e)
	t.waits, e = m.Float64Histogram("connapi.client.wait.duration", metric.WithUnit("s"),
		metric.WithDescription("Time connapi clients waited: on Retry-After or backoff before a retry, on their rate limits before an attempt."),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	err = errors.Join(err, e)
	t.giveUps, e = m.Int64Counter("connapi.client.give_ups", metric.WithUnit("{call}"),
		metric.WithDescription("Calls of connapi clients that stopped retrying a failure that is retried, by reason."))
	err = errors.Join(err, e)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Options returns the two client options that install t: WithMiddleware with
// t.Middleware and WithObserver with t.Observer().
func (t *Telemetry) Options() []connapi.Option {
	return []connapi.Option{connapi.WithMiddleware(t.Middleware), connapi.WithObserver(t.Observer())}
}

// callKey finds the call's record in the contexts of its attempts.
type callKey struct{}

// callRecord is what the attempts of a call tell its span.
type callRecord struct {
	lastErrorType string // the ErrorType of the last attempt
}

// opAttrs are the attributes that name a call's operation and server.
func opAttrs(call *connapi.Call) []attribute.KeyValue {
	op := call.Operation()
	host, port := call.Server()
	return []attribute.KeyValue{
		semconv.HTTPRequestMethodKey.String(op.Method()),
		semconv.ServerAddress(host),
		semconv.ServerPort(port),
		semconv.URLTemplate(op.PathTemplate()),
		attribute.String(obsattr.Operation, op.Name()),
		attribute.String(obsattr.Platform, obsattr.PlatformValue(int(op.Platform()))),
	}
}

// shortAttrs name a call's operation in the calls, retries, waits and give-ups.
func shortAttrs(call *connapi.Call, more ...attribute.KeyValue) []attribute.KeyValue {
	op := call.Operation()
	return append([]attribute.KeyValue{
		attribute.String(obsattr.Operation, op.Name()),
		attribute.String(obsattr.Platform, obsattr.PlatformValue(int(op.Platform()))),
	}, more...)
}

// Middleware is the connapi.Middleware that gives every call its span and counts
// it (connapi.client.calls). Install it with connapi.WithMiddleware(t.Middleware).
func (t *Telemetry) Middleware(ctx context.Context, call *connapi.Call, next connapi.Invoker) (*connapi.Response, error) {
	rec := &callRecord{}
	ctx = context.WithValue(ctx, callKey{}, rec)
	ctx, span := t.tracer.Start(ctx, call.Operation().Name(), trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(opAttrs(call)...))
	resp, err := next(ctx, call)

	status := 0
	if resp != nil && resp.Response != nil {
		status = resp.StatusCode
	}
	outcome, errType := classify(err, rec.lastErrorType, call.Attempts())
	attrs := []attribute.KeyValue{attribute.Int(obsattr.Attempts, call.Attempts())}
	if status != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(status))
	}
	if errType != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(errType))
		span.SetStatus(codes.Error, errType)
	}
	span.SetAttributes(attrs...)
	span.End()

	counted := shortAttrs(call, attribute.String(obsattr.Outcome, outcome))
	if status != 0 {
		counted = append(counted, semconv.HTTPResponseStatusCode(status))
	}
	if errType != "" {
		counted = append(counted, semconv.ErrorTypeKey.String(errType))
	}
	t.calls.Add(ctx, 1, metric.WithAttributes(counted...))
	return resp, err
}

// classify returns the outcome and error.type of a call that ended with err,
// whose last attempt's ErrorType was last.
func classify(err error, last string, attempts int) (outcome, errType string) {
	var apiErr *connapi.APIError
	var respErr *connapi.ResponseError
	switch {
	case err == nil:
		return obsattr.OutcomeSuccess, ""
	case errors.As(err, &apiErr):
		return obsattr.OutcomeHTTPError, strconv.Itoa(apiErr.StatusCode)
	case errors.As(err, &respErr):
		return obsattr.OutcomeInvalidResponse, "invalid_response"
	case errors.Is(err, context.Canceled):
		return obsattr.OutcomeCanceled, "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		if last == "" {
			last = "timeout"
		}
		return obsattr.OutcomeTimeout, last
	case last != "" || attempts > 0:
		if last == "" {
			last = semconv.ErrorTypeOther.Value.AsString()
		}
		return obsattr.OutcomeNetworkError, last
	}
	return obsattr.OutcomeOther, semconv.ErrorTypeOther.Value.AsString()
}

// Observer returns the connapi.Observer that gives every attempt its span and
// records the attempts' durations, the retries, the waits and the give-ups.
// Install it with connapi.WithObserver(t.Observer()), beside t.Middleware.
func (t *Telemetry) Observer() connapi.Observer {
	return connapi.Observer{
		AttemptStart: t.attemptStart,
		AttemptEnd:   t.attemptEnd,
		Retry:        t.retry,
		GiveUp:       t.giveUp,
	}
}

func (t *Telemetry) attemptStart(ctx context.Context, call *connapi.Call, a connapi.Attempt) context.Context {
	op := call.Operation()
	attrs := append(opAttrs(call), attribute.Int(obsattr.Attempt, a.Number))
	if a.Number > 1 {
		attrs = append(attrs, semconv.HTTPRequestResendCount(a.Number-1))
	}
	ctx, _ = t.tracer.Start(ctx, op.Method()+" "+op.PathTemplate(), trace.WithSpanKind(trace.SpanKindClient),
		trace.WithTimestamp(a.Start), trace.WithAttributes(attrs...))
	if t.propagate {
		p := t.propagator
		if p == nil {
			p = otel.GetTextMapPropagator()
		}
		p.Inject(ctx, propagation.HeaderCarrier(a.Header))
	}
	if a.RateLimitWait > 0 {
		t.waits.Record(ctx, a.RateLimitWait.Seconds(), metric.WithAttributes(
			shortAttrs(call, attribute.String(obsattr.WaitReason, obsattr.WaitRateLimit))...))
	}
	return ctx
}

func (t *Telemetry) attemptEnd(ctx context.Context, call *connapi.Call, a connapi.Attempt) {
	if rec, ok := ctx.Value(callKey{}).(*callRecord); ok {
		rec.lastErrorType = a.ErrorType
	}
	var attrs []attribute.KeyValue
	if a.StatusCode != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(a.StatusCode))
	}
	if a.ErrorType != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(a.ErrorType))
	}
	span := trace.SpanFromContext(ctx)
	span.SetAttributes(attrs...)
	if a.ErrorType != "" {
		span.SetStatus(codes.Error, a.ErrorType)
	}
	span.End(trace.WithTimestamp(a.Start.Add(a.Duration)))

	op := call.Operation()
	host, port := call.Server()
	attrs = append(attrs, semconv.URLTemplate(op.PathTemplate()),
		attribute.String(obsattr.Operation, op.Name()),
		attribute.String(obsattr.Platform, obsattr.PlatformValue(int(op.Platform()))))
	t.duration.Record(ctx, a.Duration.Seconds(), httpconv.RequestMethodAttr(op.Method()), host, port, attrs...)
}

func (t *Telemetry) retry(ctx context.Context, call *connapi.Call, r connapi.Retry) {
	t.retries.Add(ctx, 1, metric.WithAttributes(shortAttrs(call, attribute.String(obsattr.RetryReason, r.Reason))...))
	reason := obsattr.WaitBackoff
	if r.RetryAfter {
		reason = obsattr.WaitRetryAfter
	}
	t.waits.Record(ctx, r.Wait.Seconds(), metric.WithAttributes(shortAttrs(call, attribute.String(obsattr.WaitReason, reason))...))
	if ctx.Value(callKey{}) == nil {
		return // the call has no span of ours (Middleware not installed): leave the caller's span alone
	}
	trace.SpanFromContext(ctx).AddEvent("connapi.retry", trace.WithAttributes(
		attribute.Int(obsattr.Attempt, r.Attempt),
		attribute.String(obsattr.RetryReason, r.Reason),
		attribute.Float64(obsattr.RetryWait, r.Wait.Seconds()),
		attribute.Bool(obsattr.RetryAfter, r.RetryAfter),
	))
}

func (t *Telemetry) giveUp(ctx context.Context, call *connapi.Call, g connapi.GiveUp) {
	t.giveUps.Add(ctx, 1, metric.WithAttributes(shortAttrs(call,
		attribute.String(obsattr.GiveUpReason, g.Reason), semconv.ErrorTypeKey.String(g.Cause))...))
	if ctx.Value(callKey{}) == nil {
		return
	}
	trace.SpanFromContext(ctx).AddEvent("connapi.give_up", trace.WithAttributes(
		attribute.Int(obsattr.Attempt, g.Attempt),
		attribute.String(obsattr.GiveUpReason, g.Reason),
		semconv.ErrorTypeKey.String(g.Cause),
	))
}
