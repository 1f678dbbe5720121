package connapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVendorErrorBodiesDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		header      http.Header
		code, msg   string
		details     []ErrorDetail
		is          []error
		requestID   string
	}{
		{
			name: "stackai detail string", status: 404, body: `{"detail":"Connection not found"}`,
			msg: "Connection not found", is: []error{ErrNotFound},
		},
		{
			name: "stackai 422 validation", status: 422,
			body: `{"detail":[{"loc":["body","provider_id"],"msg":"field required","type":"value_error.missing"},{"loc":["query","limit",0],"msg":"bad","type":"type_error"}]}`,
			msg:  "request validation failed",
			details: []ErrorDetail{
				{Location: []string{"body", "provider_id"}, Message: "field required", Type: "value_error.missing"},
				{Location: []string{"query", "limit", "0"}, Message: "bad", Type: "type_error"},
			},
			is: []error{ErrValidation},
		},
		{
			name: "pipeshub", status: 403, body: `{"error":{"code":"HTTP_FORBIDDEN","message":"Not allowed","metadata":{"x":1}}}`,
			code: "HTTP_FORBIDDEN", msg: "Not allowed", is: []error{ErrForbidden},
		},
		{
			name: "pipeshub 503", status: 503, body: `{"error":{"code":"HTTP_SERVICE_UNAVAILABLE","message":"connector service down"}}`,
			code: "HTTP_SERVICE_UNAVAILABLE", msg: "connector service down", is: []error{ErrServer},
		},
		{
			name: "instill grpc", status: 404,
			body: `{"code":5,"message":"connection not found","details":[{"@type":"type.googleapis.com/google.rpc.ResourceInfo","resourceName":"x"}]}`,
			code: "NOT_FOUND", msg: "connection not found",
			details: []ErrorDetail{{Type: "type.googleapis.com/google.rpc.ResourceInfo"}},
			is:      []error{ErrNotFound},
		},
		{
			name: "instill bad request field violations", status: 400,
			body: `{"code":3,"message":"invalid","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"connection.setup","description":"required"}]}]}`,
			code: "INVALID_ARGUMENT", msg: "invalid",
			details: []ErrorDetail{{Location: []string{"connection", "setup"}, Message: "required", Type: "type.googleapis.com/google.rpc.BadRequest"}},
			is:      []error{ErrValidation},
		},
		{
			name: "openint trpc issues", status: 400,
			body: `{"code":"BAD_REQUEST","message":"Input validation failed","issues":[{"message":"Required","path":["connectorConfigId"],"code":"invalid_type"}]}`,
			code: "BAD_REQUEST", msg: "Input validation failed",
			details: []ErrorDetail{{Location: []string{"connectorConfigId"}, Message: "Required", Type: "invalid_type"}},
			is:      []error{ErrValidation},
		},
		{
			name: "openint conflict", status: 409, body: `{"code":"CONFLICT","message":"exists"}`,
			code: "CONFLICT", msg: "exists", is: []error{ErrConflict},
		},
		{
			name: "oauth rfc6749", status: 400, body: `{"error":"invalid_grant","error_description":"Invalid login credentials"}`,
			code: "invalid_grant", msg: "Invalid login credentials",
		},
		{
			name: "oauth unauthorized", status: 401, body: `{"error":"invalid_token"}`,
			code: "invalid_token", is: []error{ErrUnauthorized},
		},
		{
			name: "plain text", status: 502, contentType: "text/plain", body: "upstream connect error\n",
			msg: "upstream connect error", is: []error{ErrServer},
		},
		{
			name: "html page", status: 504, contentType: "text/html",
			body: "<html><head><title>504 Gateway Time-out</title></head><body><h1>504</h1></body></html>",
			msg:  "504 Gateway Time-out", is: []error{ErrServer},
		},
		{
			name: "html without title", status: 500, contentType: "text/html",
			body: "<html><body><h1>Oops</h1><p>broken</p></body></html>",
			msg:  "Oops broken", is: []error{ErrServer},
		},
		{
			name: "empty body", status: 429, header: http.Header{"Retry-After": {"7"}},
			is: []error{ErrRateLimited},
		},
		{
			name: "request id in body", status: 500, body: `{"message":"x","requestId":"rid-1"}`,
			msg: "x", requestID: "rid-1",
		},
		{
			name: "request id in header", status: 500, body: `{}`, header: http.Header{"X-Request-Id": {"rid-2"}},
			requestID: "rid-2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			for k, v := range tt.header {
				h[k] = v
			}
			if tt.contentType != "" {
				h.Set("Content-Type", tt.contentType)
			}
			e := newAPIError(&http.Response{StatusCode: tt.status, Header: h}, []byte(tt.body), "GET", "/x", 1, nil)
			assert.Equal(t, tt.code, e.Code)
			assert.Equal(t, tt.msg, e.Message)
			require.Len(t, e.Details, len(tt.details))
			for i, d := range tt.details {
				assert.Equal(t, d.Location, e.Details[i].Location)
				assert.Equal(t, d.Message, e.Details[i].Message)
				assert.Equal(t, d.Type, e.Details[i].Type)
				assert.NotEmpty(t, e.Details[i].Raw)
			}
			for _, s := range tt.is {
				assert.ErrorIs(t, e, s)
			}
			if tt.requestID != "" {
				assert.Equal(t, tt.requestID, e.RequestID)
			}
			assert.NotContains(t, e.Error(), "\n")
			assert.True(t, strings.HasPrefix(e.Error(), "connapi: GET /x: "), e.Error())
		})
	}
}

func TestSentinelsAreExclusive(t *testing.T) {
	t.Parallel()
	all := []error{ErrNotFound, ErrUnauthorized, ErrForbidden, ErrConflict, ErrRateLimited, ErrServer, ErrValidation}
	e := &APIError{StatusCode: 404}
	for _, s := range all {
		assert.Equal(t, s == ErrNotFound, errors.Is(e, s), s) //nolint:errorlint // identity of the sentinel, not a match
	}
	assert.False(t, errors.Is(&APIError{StatusCode: 400}, ErrValidation), "400 without details is not a validation error")
	assert.False(t, errors.Is(e, ErrInvalidParams))
	var iface interface {
		HTTPStatusCode() int
		ErrorCode() string
	} = &APIError{StatusCode: 418, Code: "TEAPOT"}
	assert.Equal(t, 418, iface.HTTPStatusCode())
	assert.Equal(t, "TEAPOT", iface.ErrorCode())
}

func TestAPIErrorCapsBody(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", maxErrorBody*2)
	e := newAPIError(&http.Response{StatusCode: 500, Header: http.Header{"Content-Type": {"text/plain"}}}, []byte(big), "GET", "/x", 1, nil)
	assert.Len(t, e.Body, maxErrorBody)
	assert.Less(t, len(e.Error()), 400)
}

// A token placed in a header and one placed in the query never show in Error(),
// even when the server echoes them back.
func TestSecretsNeverInErrorString(t *testing.T) {
	t.Parallel()
	const (
		headerToken = "hdr-secret-token-1"
		queryToken  = "qry-secret-token-2"
		apiKey      = "apikey-secret-3"
		connID      = "conn_secret_4"
	)
	c, mux := setup(t)
	c2, err := NewClient(WithBaseURL(c.BaseURL()), WithAPIKey(apiKey), WithConnectionID(connID), WithRetryWait(0, 0))
	require.NoError(t, err)
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		echo := strings.Join([]string{r.Header.Get("Authorization"), r.Header.Get("X-Apikey"),
			r.Header.Get("X-Connection-Id"), r.URL.RawQuery}, " | ")
		writeJSON(w, 401, mustJSON(t, map[string]any{"detail": "bad credentials: " + echo,
			"error": map[string]string{"code": "HTTP_UNAUTHORIZED", "message": "bad: " + echo}}))
	})
	for _, cl := range []*Client{c, c2} {
		_, _, err := getThing(context.Background(), cl, "1",
			WithHeader("Authorization", "Bearer "+headerToken),
			WithQuery("access_token", queryToken), WithQuery("code", "authcode-5"), WithQuery("state", "state-6"))
		require.Error(t, err)
		msg := err.Error()
		assert.ErrorIs(t, err, ErrUnauthorized)
		for _, secret := range []string{headerToken, queryToken, apiKey, connID, testToken, "authcode-5", "state-6"} {
			assert.NotContains(t, msg, secret)
		}
		assert.Contains(t, msg, "[REDACTED]")
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.NotContains(t, apiErr.Message, headerToken)
		assert.NotContains(t, apiErr.Path, "?")
	}
}

func TestTokenSourceTokenRedacted(t *testing.T) {
	t.Parallel()
	const tok = "dynamic-token-77"
	c, mux := setup(t)
	c2, err := NewClient(WithBaseURL(c.BaseURL()), WithRetryWait(0, 0),
		WithTokenSource(TokenSourceFunc(func(context.Context) (string, error) { return tok, nil })))
	require.NoError(t, err)
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 403, `{"detail":"token `+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")+` lacks scope"}`)
	})
	_, _, err = getThing(context.Background(), c2, "1")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), tok)
	assert.ErrorIs(t, err, ErrForbidden)
}

func TestRedactURL(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("https://x.test/cb?code=abc&state=def&page=2&Access_Token=ghi")
	got := redactURL(u)
	for _, s := range []string{"abc", "def", "ghi"} {
		assert.NotContains(t, got, "="+s)
	}
	// Every value is masked, names kept (issue 11, defect 6f: names outside a
	// fixed list leaked theirs).
	assert.Equal(t, "https://x.test/cb?Access_Token=REDACTED&code=REDACTED&page=REDACTED&state=REDACTED", got)
}

func TestErrorRetryAfterFromHeader(t *testing.T) {
	t.Parallel()
	e := newAPIError(&http.Response{StatusCode: 503, Header: http.Header{"Retry-After": {"12"}}}, nil, "GET", "/x", 1, nil)
	assert.Equal(t, 12*time.Second, e.RetryAfter)
	assert.Equal(t, "connapi: GET /x: 503: Service Unavailable", e.Error())
}
