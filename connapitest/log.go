package connapitest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Redacted replaces credential values in the request log.
const Redacted = "REDACTED"

// maxLoggedBody caps Request.Body.
const maxLoggedBody = 64 << 10

// credentialHeaders are redacted in the request log.
var credentialHeaders = []string{"Authorization", "X-Apikey", "X-Connection-Id", "Apikey", "Cookie", "Proxy-Authorization"}

// secretFields are redacted in the bodies of the token endpoints.
var secretFields = []string{"password", "refresh_token", "client_secret"}

// secretQueryKeys name query parameters whose values are redacted in the request
// log, compared case-insensitively: tokens, OAuth codes and states, API keys,
// client secrets and passwords.
var secretQueryKeys = []string{
	"access_token", "refresh_token", "id_token", "token", "_token", "code", "state",
	"apikey", "api_key", "client_secret", "password",
}

// Request is one request as the server received it, faulted ones included.
type Request struct {
	// Time is when the server received the request, by its clock (WithClock).
	Time time.Time
	// Method is the request's HTTP method.
	Method string
	// Path is the URL path, unescaped.
	Path string
	// Query is the parsed query string, with every value of access_token,
	// refresh_token, id_token, token, _token, code, state, apikey, api_key,
	// client_secret and password (names compared case-insensitively) replaced by
	// Redacted.
	Query url.Values
	// Header is a copy of the request headers, with the values of Authorization,
	// X-Apikey, X-Connection-Id, Apikey, Cookie and Proxy-Authorization replaced
	// by Redacted.
	Header http.Header
	// Body is the request body, at most 64 KiB. In bodies of the token endpoints
	// the password, refresh_token and client_secret values are Redacted.
	Body []byte
	// RequestID is the request id the server answered with (X-Request-Id).
	RequestID string

	escapedPath string // the path as sent, for RequestCount's patterns
}

// requestLog keeps the most recent requests.
type requestLog struct {
	mu    sync.Mutex
	limit int
	reqs  []Request
}

func newRequestLog(limit int) *requestLog { return &requestLog{limit: limit} }

func (l *requestLog) add(r *http.Request, body []byte, requestID string, now time.Time) {
	if l.limit == 0 {
		return
	}
	hdr := r.Header.Clone()
	for _, k := range credentialHeaders {
		if _, ok := hdr[k]; ok {
			hdr[k] = []string{Redacted}
		}
	}
	if len(body) > maxLoggedBody {
		body = body[:maxLoggedBody]
	}
	if familyOf(r.URL.Path) == familyOAuth {
		body = redactBody(r.Header.Get("Content-Type"), body)
	} else {
		body = slices.Clone(body)
	}
	req := Request{Time: now, Method: r.Method, Path: r.URL.Path, Query: redactQuery(r.URL.Query()), Header: hdr, Body: body, RequestID: requestID, escapedPath: r.URL.EscapedPath()}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = append(l.reqs, req)
	if len(l.reqs) > l.limit {
		l.reqs = slices.Delete(l.reqs, 0, len(l.reqs)-l.limit)
	}
}

// redactQuery replaces the values of secret query parameters with Redacted, one
// per value received, in place.
func redactQuery(q url.Values) url.Values {
	for k, vs := range q {
		if slices.ContainsFunc(secretQueryKeys, func(s string) bool { return strings.EqualFold(s, k) }) {
			for i := range vs {
				vs[i] = Redacted
			}
		}
	}
	return q
}

// redactBody hides secret fields of a form or JSON body.
func redactBody(contentType string, body []byte) []byte {
	if strings.HasPrefix(contentType, "application/x-www-form-urlencoded") {
		v, err := url.ParseQuery(string(body))
		if err != nil {
			return []byte(Redacted)
		}
		for _, k := range secretFields {
			if v.Has(k) {
				v.Set(k, Redacted)
			}
		}
		return []byte(v.Encode())
	}
	var m map[string]any
	if len(body) == 0 {
		return nil
	}
	if json.Unmarshal(body, &m) != nil {
		return []byte(Redacted)
	}
	for _, k := range secretFields {
		if _, ok := m[k]; ok {
			m[k] = Redacted
		}
	}
	b, _ := json.Marshal(m)
	return b
}

// Requests returns a copy of the logged requests, oldest first (at most the
// WithRequestLogLimit most recent).
func (h *Handler) Requests() []Request {
	h.log.mu.Lock()
	defer h.log.mu.Unlock()
	return slices.Clone(h.log.reqs)
}

// ResetRequests empties the request log.
func (h *Handler) ResetRequests() {
	h.log.mu.Lock()
	defer h.log.mu.Unlock()
	h.log.reqs = nil
}

// RequestCount counts the logged requests matching method (empty: any) and path,
// a pattern as in Rule.Path ("/connections/{id}", "/v0/*").
func (h *Handler) RequestCount(method, path string) int {
	h.log.mu.Lock()
	defer h.log.mu.Unlock()
	n := 0
	for _, r := range h.log.reqs {
		if matchRequest(method, path, r.Method, r.escapedPath) {
			n++
		}
	}
	return n
}
