package connapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors. An *APIError matches the sentinel of its status through errors.Is,
// so both errors.Is(err, connapi.ErrNotFound) and errors.As(err, &apiErr) work on the
// same value.
var (
	// ErrNotFound matches a 404 response.
	ErrNotFound = errors.New("not found")
	// ErrUnauthorized matches a 401 response: a missing, wrong or expired credential.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden matches a 403 response.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict matches a 409 response.
	ErrConflict = errors.New("conflict")
	// ErrRateLimited matches a 429 response.
	ErrRateLimited = errors.New("rate limited")
	// ErrServer matches any 5xx response.
	ErrServer = errors.New("server error")
	// ErrValidation matches a 422 response, and a 400 response that names the fields
	// it rejects (APIError.Details).
	ErrValidation = errors.New("validation failed")
	// ErrInvalidParams is returned before any request is sent, when the arguments of
	// a call are wrong: an empty or malformed ID, an out-of-range page size, a missing
	// required field.
	ErrInvalidParams = errors.New("invalid parameters")
	// ErrResponseTooLarge is returned (inside a *ResponseError) when a response body
	// exceeds the client's cap; see WithMaxResponseBytes.
	ErrResponseTooLarge = errors.New("response body too large")
)

// maxErrorBody caps APIError.Body.
const maxErrorBody = 64 << 10

// APIError is returned for every response whose status is not 2xx, after retries.
// A call whose context ended (or whose rate limiter's turn would have come after
// its deadline) while it waited to retry such a response, before the retry
// reached the server, or just as such a response that is not retried came,
// returns that response's APIError inside an error that also matches the
// context's error: errors.As(err, &apiErr) and errors.Is(err, context.Canceled)
// both hold. It carries what the platform said in any of its error formats:
//
//   - Stack AI (FastAPI): {"detail": "…"} or 422 {"detail": [{"loc", "msg", "type"}]}
//   - PipesHub: {"error": {"code", "message", "metadata"}}
//   - Instill AI (gRPC gateway): {"code": 5, "message", "details": [{"@type", …}]}
//   - OpenInt (tRPC): {"code": "NOT_FOUND", "message", "issues": [{"message", "path"}]}
//   - OAuth 2.0 (RFC 6749 §5.2): {"error", "error_description"}
//   - plain text or an HTML error page, kept in Message (tags stripped, shortened).
//
// Error() is a single line. It never contains credentials: no header, no value of a
// sensitive query key, and none of the client's credentials even if the server echoed
// them in its message.
type APIError struct {
	// StatusCode is the HTTP status of the final attempt.
	StatusCode int
	// Code is the platform's machine-readable code: "HTTP_NOT_FOUND" (PipesHub),
	// "NOT_FOUND" (OpenInt, and Instill's numeric gRPC code by name),
	// "invalid_grant" (OAuth). Empty when the body has none.
	Code string
	// Message is the human-readable message from the body.
	Message string
	// Details lists field-level problems: FastAPI loc/msg/type, OpenInt issues,
	// gRPC details.
	Details []ErrorDetail
	// RequestID comes from the body or from the X-Request-Id header.
	RequestID string
	// RetryAfter is the wait the server asked for (Retry-After), if any.
	RetryAfter time.Duration
	// Attempts is how many attempts may have reached the server, retries
	// included (see Response.Attempts).
	Attempts int
	// Method and Path identify the request; Path has no query string.
	Method string
	Path   string
	// Body is the raw response body, capped at 64 KiB, with the call's secrets
	// masked.
	Body []byte
}

// ErrorDetail is one field-level problem reported by the server.
type ErrorDetail struct {
	// Location is the path to the offending field, e.g. ["body", "provider_id"].
	Location []string `json:"location,omitempty"`
	// Message says what is wrong.
	Message string `json:"message,omitempty"`
	// Type is the FastAPI error type or the gRPC detail "@type".
	Type string `json:"type,omitempty"`
	// Raw is the detail as the server sent it.
	Raw json.RawMessage `json:"raw,omitempty"`
}

// Field returns Location joined with dots, e.g. "body.provider_id".
func (d ErrorDetail) Field() string { return strings.Join(d.Location, ".") }

// Error returns one line: "connapi: GET /connections/123: 404 HTTP_NOT_FOUND: not
// found (request_id=…)".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("connapi: ")
	e.writeRequest(&b)
	e.writeAnswer(&b)
	return oneLine(b.String())
}

// writeRequest writes "METHOD /path: ", when the error names its request.
func (e *APIError) writeRequest(b *strings.Builder) {
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
}

// writeAnswer writes what the server answered: "404 HTTP_NOT_FOUND: not found
// (request_id=…)", and the attempts.
func (e *APIError) writeAnswer(b *strings.Builder) {
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Code != "" {
		b.WriteByte(' ')
		b.WriteString(e.Code)
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	for i, d := range e.Details {
		if i == 3 {
			fmt.Fprintf(b, "; and %d more", len(e.Details)-3)
			break
		}
		b.WriteString("; ")
		if f := d.Field(); f != "" {
			b.WriteString(f)
			b.WriteString(": ")
		}
		b.WriteString(d.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request_id=")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	if e.Attempts > 1 {
		fmt.Fprintf(b, " after %d attempts", e.Attempts)
	}
}

// Is matches the sentinel that corresponds to the status code.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	case ErrValidation:
		return e.StatusCode == http.StatusUnprocessableEntity ||
			(e.StatusCode == http.StatusBadRequest && len(e.Details) > 0)
	}
	return false
}

// HTTPStatusCode returns the status code, for middleware that classifies errors by
// behaviour rather than by type.
func (e *APIError) HTTPStatusCode() int { return e.StatusCode }

// ErrorCode returns the platform's machine-readable code.
func (e *APIError) ErrorCode() string { return e.Code }

// ResponseError reports a successful (2xx) response the SDK could not use: a body
// that is not JSON (an HTML page from a proxy, say), JSON of the wrong shape, a
// truncated body, or one larger than the client's cap. Err says which.
type ResponseError struct {
	Method      string
	Path        string
	StatusCode  int
	ContentType string
	Err         error
}

// Error returns one line naming the request and the problem.
func (e *ResponseError) Error() string {
	return fmt.Sprintf("connapi: %s %s: %d response (%s) unusable: %v", e.Method, e.Path, e.StatusCode, orUnknown(e.ContentType), e.Err)
}

// Unwrap returns the underlying problem (a JSON error, io.ErrUnexpectedEOF,
// ErrResponseTooLarge).
func (e *ResponseError) Unwrap() error { return e.Err }

func orUnknown(s string) string {
	if s == "" {
		return "no content type"
	}
	return s
}

// invalidParams builds the error every service returns for bad arguments.
func invalidParams(op, format string, args ...any) error {
	return fmt.Errorf("connapi: %s: %w: %s", op, ErrInvalidParams, fmt.Sprintf(format, args...))
}

// newAPIError decodes any of the supported error bodies, with every form of each
// of secrets masked.
func newAPIError(resp *http.Response, body []byte, method, path string, attempts int, secrets []string) *APIError {
	return newRedactedAPIError(resp, body, method, path, attempts, newRedactor(secrets))
}

// newRedactedAPIError is newAPIError with the call's redactor. Everything the error
// holds is masked here, once: the body before it is capped and parsed (so no part
// of a secret survives the cap or the message's shortening), and every field read
// from it after (parsing undoes JSON escapes), the path and the request id.
func newRedactedAPIError(resp *http.Response, body []byte, method, path string, attempts int, r *redactor) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		Method:     method,
		Path:       r.apply(path),
		Attempts:   attempts,
	}
	if masked := r.apply(string(body)); masked != string(body) {
		body = []byte(masked)
	}
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
	}
	e.Body = bytes.Clone(body)
	if d, ok := parseRetryAfter(resp.Header, time.Now()); ok {
		e.RetryAfter = d
	}
	parseErrorBody(e, body, resp.Header.Get("Content-Type"))
	if e.RequestID == "" {
		e.RequestID = requestIDFromHeader(resp.Header)
	}
	e.Code, e.Message, e.RequestID = r.apply(e.Code), r.apply(e.Message), r.apply(e.RequestID)
	for i := range e.Details {
		d := &e.Details[i]
		d.Message, d.Type = r.apply(d.Message), r.apply(d.Type)
		for k := range d.Location {
			d.Location[k] = r.apply(d.Location[k])
		}
		if raw := r.apply(string(d.Raw)); raw != string(d.Raw) {
			d.Raw = json.RawMessage(raw)
		}
	}
	return e
}

func requestIDFromHeader(h http.Header) string {
	for _, k := range []string{"X-Request-Id", "X-Correlation-Id", "Request-Id", "X-Amzn-Requestid", "Cf-Ray"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// wireError is the union of the four vendors' error bodies and RFC 6749's.
type wireError struct {
	Detail           json.RawMessage   `json:"detail"`
	Error            json.RawMessage   `json:"error"`
	ErrorDescription string            `json:"error_description"`
	Code             json.RawMessage   `json:"code"`
	Message          string            `json:"message"`
	Msg              string            `json:"msg"`        // GoTrue
	ErrorCode        string            `json:"error_code"` // GoTrue
	Details          []json.RawMessage `json:"details"`
	Issues           []json.RawMessage `json:"issues"`
	RequestID        string            `json:"requestId"`
	RequestID2       string            `json:"request_id"`
}

func parseErrorBody(e *APIError, body []byte, contentType string) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return
	}
	var w wireError
	if trimmed[0] == '{' && json.Unmarshal(trimmed, &w) == nil {
		e.RequestID = firstNonEmpty(w.RequestID, w.RequestID2)
		e.Message = firstNonEmpty(w.Message, w.Msg)
		if len(w.Code) > 0 {
			e.Code = decodeCode(w.Code, e.StatusCode)
		}
		if w.ErrorCode != "" {
			e.Code = w.ErrorCode
		}
		// PipesHub {"error": {...}} or OAuth {"error": "invalid_grant"}.
		if len(w.Error) > 0 {
			var s string
			if json.Unmarshal(w.Error, &s) == nil {
				e.Code = s
				e.Message = firstNonEmpty(w.ErrorDescription, e.Message)
			} else {
				var pe struct {
					Code      json.RawMessage `json:"code"`
					Message   string          `json:"message"`
					RequestID string          `json:"requestId"`
				}
				if json.Unmarshal(w.Error, &pe) == nil {
					if len(pe.Code) > 0 {
						e.Code = decodeCode(pe.Code, e.StatusCode)
					}
					e.Message = firstNonEmpty(pe.Message, e.Message)
					e.RequestID = firstNonEmpty(pe.RequestID, e.RequestID)
				}
			}
		}
		// FastAPI {"detail": "..."} or {"detail": [{"loc","msg","type"}]}.
		if len(w.Detail) > 0 {
			var s string
			if json.Unmarshal(w.Detail, &s) == nil {
				e.Message = firstNonEmpty(e.Message, s)
			} else {
				var items []json.RawMessage
				if json.Unmarshal(w.Detail, &items) == nil {
					for _, it := range items {
						e.Details = append(e.Details, decodeDetail(it))
					}
					if e.Message == "" {
						e.Message = "request validation failed"
					}
				}
			}
		}
		for _, it := range w.Issues {
			e.Details = append(e.Details, decodeDetail(it))
		}
		for _, it := range w.Details {
			e.Details = append(e.Details, decodeDetail(it))
		}
		return
	}
	// Plain text, HTML, or JSON of another shape.
	e.Message = textMessage(trimmed, contentType)
}

// decodeCode reads a string code, or a numeric gRPC code which it names. A number
// equal to the HTTP status (GoTrue's {"code": 400}) says nothing more and is dropped.
func decodeCode(raw json.RawMessage, status int) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n int
	if json.Unmarshal(raw, &n) == nil {
		if n == status {
			return ""
		}
		if n >= 0 && n < len(grpcCodes) {
			return grpcCodes[n]
		}
		return strconv.Itoa(n)
	}
	return ""
}

// grpcCodes names google.rpc.Code values.
var grpcCodes = [...]string{
	"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
	"ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
	"ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
	"UNAUTHENTICATED",
}

func decodeDetail(raw json.RawMessage) ErrorDetail {
	d := ErrorDetail{Raw: raw}
	var w struct {
		Loc     []json.RawMessage `json:"loc"`
		Path    []json.RawMessage `json:"path"`
		Msg     string            `json:"msg"`
		Message string            `json:"message"`
		Type    string            `json:"type"`
		AtType  string            `json:"@type"`
		Code    string            `json:"code"`
		// google.rpc.BadRequest
		FieldViolations []struct {
			Field       string `json:"field"`
			Description string `json:"description"`
		} `json:"fieldViolations"`
		Reason string `json:"reason"`
	}
	if json.Unmarshal(raw, &w) != nil {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			d.Message = s
		}
		return d
	}
	for _, l := range append(w.Loc, w.Path...) {
		var s string
		if json.Unmarshal(l, &s) == nil {
			d.Location = append(d.Location, s)
		} else {
			d.Location = append(d.Location, string(l))
		}
	}
	d.Message = firstNonEmpty(w.Msg, w.Message, w.Reason)
	d.Type = firstNonEmpty(w.Type, w.AtType, w.Code)
	if len(w.FieldViolations) > 0 {
		fv := w.FieldViolations[0]
		if len(d.Location) == 0 && fv.Field != "" {
			d.Location = strings.Split(fv.Field, ".")
		}
		d.Message = firstNonEmpty(d.Message, fv.Description)
	}
	return d
}

// textMessage turns a non-JSON body into a short one-line message. A body in
// ISO-8859-1 (as its Content-Type says, and not valid UTF-8) is decoded first.
func textMessage(body []byte, contentType string) string {
	s := string(body)
	if !utf8.ValidString(s) && isLatin1(contentType) {
		s = latin1ToUTF8(body)
	}
	if strings.Contains(contentType, "html") || bytes.HasPrefix(body, []byte("<")) {
		if t := htmlTitle(s); t != "" {
			s = t
		} else {
			s = stripTags(s)
		}
	}
	s = strings.Join(strings.Fields(s), " ")
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "?")
	}
	const maxLen = 200
	if len(s) > maxLen {
		cut := maxLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// htmlTitle returns the text of the first <title> element. The tags are matched
// without regard to ASCII case, on the bytes themselves: a lower-cased copy could
// differ in length (an invalid UTF-8 byte becomes three), and its offsets would not
// fit the original.
func htmlTitle(s string) string {
	i := indexFoldASCII(s, "<title>")
	if i < 0 {
		return ""
	}
	rest := s[i+len("<title>"):]
	j := indexFoldASCII(rest, "</title>")
	if j < 0 {
		return ""
	}
	return strings.TrimSpace(rest[:j])
}

// indexFoldASCII is strings.Index with ASCII letters matched in either case; lower
// must be lower case. Every other byte must match exactly, so offsets are s's own.
func indexFoldASCII(s, lower string) int {
	for i := 0; i+len(lower) <= len(s); i++ {
		match := true
		for k := 0; k < len(lower); k++ {
			b := s[i+k]
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			if b != lower[k] {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

// isLatin1 reports whether a Content-Type names ISO-8859-1 (or its usual aliases).
func isLatin1(contentType string) bool {
	ct := strings.ToLower(contentType)
	i := strings.Index(ct, "charset=")
	if i < 0 {
		return false
	}
	cs := strings.Trim(strings.TrimSpace(strings.SplitN(ct[i+len("charset="):], ";", 2)[0]), `"'`)
	switch cs {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1", "windows-1252", "cp1252":
		return true
	}
	return false
}

// latin1ToUTF8 maps each byte to the code point of the same value.
func latin1ToUTF8(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/4)
	for _, c := range b {
		sb.WriteRune(rune(c))
	}
	return sb.String()
}

func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
			b.WriteByte(' ')
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func oneLine(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		s = strings.Join(strings.Fields(s), " ")
	}
	return s
}

// ErrCrossOriginRedirect matches the error of a request other than GET or HEAD
// that the server redirected to another origin (scheme, host or port): the client
// does not follow, so neither the body nor the credentials reach that origin. The
// error names the status and the target host; the *Response is the redirect.
var ErrCrossOriginRedirect = errors.New("redirect to another origin not followed")

// ErrMaybeApplied matches the error of a call other than a read that failed after
// the server may already have applied it: an attempt's answer was lost to a
// network failure after the request was sent, to a 500, 502 or 504, or to a body
// cut off, or the call's context ended (cancelled, or past its deadline) after
// the request may have reached the server and before an answer refusing it was
// read; and no later attempt settled it. The error still matches what the last
// attempt got (an *APIError, ErrCrossOriginRedirect, the context's error, …), but
// that answer does not mean the change did not happen: read the object before
// repeating the call. A write's error reads in three ways: nil (or a
// *ResponseError), it happened; one matching ErrMaybeApplied, it may have; any
// other, it did not.
var ErrMaybeApplied = errors.New("the server may have applied the request")
