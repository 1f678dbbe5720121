// Package obsattr holds the attribute keys and values that the client's logs
// (package connapi) and its OpenTelemetry instrumentation (module
// github.com/connapi/connapi-go/otel) share, so that one scheme names the same
// thing the same way in a log record, a span and a metric. The scheme is
// documented in package connapi ("Production"). Keys that OpenTelemetry's
// semantic conventions define are theirs; the others start with "connapi.".
//
// No key carries a secret, an ID or a filled-in path: operations are named by
// their name and path template only.
package obsattr

// Keys.
const (
	// Operation is the operation's name, "ConnectorInstances.Get".
	Operation = "connapi.operation"
	// Platform is the operation's platform: one of PlatformValues.
	Platform = "connapi.platform"
	// Attempt is an attempt's number in its call, from 1.
	Attempt = "connapi.attempt"
	// Attempts is how many requests of a call reached the wire.
	Attempts = "connapi.attempts"
	// Duration is how long an attempt took.
	Duration = "connapi.duration"
	// RequestID is the server's id of a request, redacted.
	RequestID = "connapi.request_id"
	// RetryReason is why an attempt is retried: a status or an error class.
	RetryReason = "connapi.retry.reason"
	// RetryWait is the wait before a retry.
	RetryWait = "connapi.retry.wait"
	// RetryAfter is true when RetryWait is what the server asked for.
	RetryAfter = "connapi.retry.retry_after"
	// GiveUpReason is why a call makes no more attempts.
	GiveUpReason = "connapi.give_up.reason"
	// Outcome is how a call ended: one of the Outcome… values.
	Outcome = "connapi.outcome"
	// WaitReason is what a wait was for: one of the Wait… values.
	WaitReason = "connapi.wait.reason"

	// OpenTelemetry's semantic conventions.
	HTTPMethod  = "http.request.method"
	URLTemplate = "url.template"
	StatusCode  = "http.response.status_code"
	ErrorType   = "error.type"
)

// Values of Outcome.
const (
	OutcomeSuccess         = "success"          // the call returned no error
	OutcomeHTTPError       = "http_error"       // an *APIError: the server answered with a status of 400 or more
	OutcomeInvalidResponse = "invalid_response" // a *ResponseError: a 2xx the SDK could not use
	OutcomeNetworkError    = "network_error"    // no usable answer: a transport failure
	OutcomeCanceled        = "canceled"         // the call's context was canceled
	OutcomeTimeout         = "timeout"          // the call's deadline passed
	OutcomeOther           = "other"            // any other error (a middleware's own, say)
)

// Values of WaitReason.
const (
	WaitRetryAfter = "retry_after" // the server's Retry-After before a retry
	WaitBackoff    = "backoff"     // the client's backoff before a retry
	WaitRateLimit  = "rate_limit"  // the client's rate limits before an attempt
)

// PlatformValues are the values of Platform, indexed by connapi.Platform:
// unknown, Stack AI, PipesHub, Instill AI, OpenInt.
var PlatformValues = [...]string{"unknown", "stackai", "pipeshub", "instill", "openint"}

// PlatformValue returns the value of Platform for a connapi.Platform.
func PlatformValue(p int) string {
	if p < 0 || p >= len(PlatformValues) {
		return PlatformValues[0]
	}
	return PlatformValues[p]
}
