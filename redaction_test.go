package connapi

// The redaction proof (issue 11): secrets planted in every input channel, driven
// through every error path, must not appear (raw, query-escaped or path-escaped) in
// Error(), in any fmt verb, anywhere along the Unwrap chain, in the public fields
// of the errors found there, in Response.RequestID, or in any slog record (JSON and
// text handlers, at Debug).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connapi/connapi-go/internal/faultserver"
	"github.com/connapi/connapi-go/internal/redact/redacttest"
	"github.com/connapi/connapi-go/models"
)

// plantedSecrets are the redaction proof's secrets (redacttest.ProofSecrets, which
// the OpenTelemetry module's tests plant too).
var plantedSecrets = redacttest.ProofSecrets

// secretForms are the raw secret and its escaped echoes.
func secretForms(s string) map[string]string {
	return map[string]string{"raw": s, "query-escaped": url.QueryEscape(s), "path-escaped": url.PathEscape(s)}
}

// echoHandler answers every request with status, echoing everything it got: the
// URL, every header value and the body, in the body (JSON, or an HTML title) and
// in response headers (X-Request-Id echoes Authorization, as a misconfigured proxy
// might).
type echoHandler struct {
	status int
	html   bool
	token  bool // answer token requests with the issued tokens
}

func (e echoHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if e.token && (strings.HasSuffix(r.URL.Path, "/oauth/token") || strings.HasSuffix(r.URL.Path, "/auth/v1/token")) {
		writeJSON(w, http.StatusOK, `{"access_token":"`+plantedSecrets["issued access token"]+`","refresh_token":"`+
			plantedSecrets["issued refresh token"]+`","token_type":"bearer","expires_in":3600}`)
		return
	}
	var echo []string
	echo = append(echo, r.URL.String(), r.RequestURI, string(body))
	for _, vs := range r.Header {
		echo = append(echo, vs...)
	}
	all := strings.Join(echo, " | ")
	w.Header().Set("X-Request-Id", r.Header.Get("Authorization")+r.Header.Get("X-Apikey"))
	w.Header().Set("Www-Authenticate", `Bearer error="invalid_token", token="`+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")+`"`)
	w.Header().Set("X-Echo", url.QueryEscape(all))
	if e.html {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(e.status)
		_, _ = io.WriteString(w, "<html><head><title>"+all+"</title></head></html>")
		return
	}
	b, _ := json.Marshal(map[string]any{
		"detail":     []any{map[string]any{"loc": []any{"body", all}, "msg": all, "type": "value_error", "input": string(body)}},
		"message":    all,
		"error":      map[string]any{"code": "BAD", "message": all},
		"request_id": r.Header.Get("Authorization"),
		"echo":       echo,
	})
	writeJSON(w, e.status, string(b))
}

// redactionPath is one way for a call to fail.
type redactionPath struct {
	name    string
	inner   echoHandler
	plan    faultserver.Plan
	timeout time.Duration // per attempt
	// creds picks the credential set: "static", "tokensource", "passwordgrant",
	// "gotrue".
	creds string
}

func redactionPaths(closedOrigin string) []redactionPath {
	f := func(k faultserver.Kind) faultserver.Fault { return faultserver.Fault{Kind: k} }
	var paths []redactionPath
	for _, creds := range []string{"static", "tokensource"} {
		paths = append(paths,
			redactionPath{name: "echo in a 400 JSON body", inner: echoHandler{status: 400}, creds: creds},
			redactionPath{name: "echo in a 502 HTML title, retries exhausted", inner: echoHandler{status: 502, html: true}, creds: creds},
			redactionPath{name: "echo in headers of a 401", inner: echoHandler{status: 401}, creds: creds},
			redactionPath{name: "503 echo, retries exhausted", inner: echoHandler{status: 503}, creds: creds},
			redactionPath{name: "reset before the response", inner: echoHandler{status: 200}, plan: faultserver.Always(f(faultserver.ResetBeforeResponse)), creds: creds},
			redactionPath{name: "timeout", inner: echoHandler{status: 200}, plan: faultserver.Always(f(faultserver.SlowHeaders)), timeout: hangTimeout, creds: creds},
			redactionPath{name: "cross-host 307 echoing the query", inner: echoHandler{status: 400}, plan: faultserver.Always(faultserver.Fault{Kind: faultserver.Redirect, Status: 307}), creds: creds},
			redactionPath{name: "redirect to an origin nobody listens on", inner: echoHandler{status: 400},
				plan: faultserver.Always(faultserver.Fault{Kind: faultserver.Redirect, Status: 302, Location: closedOrigin}), creds: creds},
		)
	}
	for _, creds := range []string{"passwordgrant", "gotrue"} {
		paths = append(paths,
			redactionPath{name: "token endpoint echoes a 401", inner: echoHandler{status: 401}, creds: creds},
			redactionPath{name: "token endpoint resets", inner: echoHandler{status: 200}, plan: faultserver.Always(f(faultserver.ResetBeforeResponse)), creds: creds},
			redactionPath{name: "issued token echoed by the API", inner: echoHandler{status: 400, token: true}, creds: creds},
		)
	}
	return paths
}

// redactionCall is one call carrying some of the secrets.
type redactionCall struct {
	name string
	call func(ctx context.Context, c *Client, opts ...RequestOption) (*Response, error)
}

var redactionCalls = []redactionCall{
	{"GET with secret query values", func(ctx context.Context, c *Client, opts ...RequestOption) (*Response, error) {
		opts = append(opts, WithQuery("api-key", plantedSecrets["query api-key"]), WithQuery("sessionToken", plantedSecrets["query sessionToken"]),
			WithQuery("token", plantedSecrets["query token"]))
		_, resp, err := c.ConnectorInstances.HandleOAuthCallback(ctx, &ConnectorOAuthCallbackParams{
			Code: plantedSecrets["OAuth code"], State: plantedSecrets["OAuth state"]}, opts...)
		return resp, err
	}},
	{"POST with an OAuth code", func(ctx context.Context, c *Client, opts ...RequestOption) (*Response, error) {
		_, resp, err := c.OAuth.CreateFromCallback(ctx, &CreateConnectionFromCallbackRequest{Code: plantedSecrets["OAuth code"], Connection: &models.ConnectionRequest{ProviderID: "gdrive", ConnectionTypeID: "gdrive"}}, opts...)
		return resp, err
	}},
	{"Instill setup", func(ctx context.Context, c *Client, opts ...RequestOption) (*Response, error) {
		_, resp, err := c.NamespaceConnections.Create(ctx, "ns", &models.NamespaceConnection{ID: "conn", IntegrationID: "github",
			Method: models.NamespaceConnectionMethodDictionary, Setup: map[string]any{"token": plantedSecrets["Instill setup"]}}, opts...)
		return resp, err
	}},
	{"PipesHub clientSecret", func(ctx context.Context, c *Client, opts ...RequestOption) (*Response, error) {
		_, resp, err := c.ConnectorInstances.UpdateAuthConfig(ctx, "inst", &UpdateConnectorAuthConfigRequest{Auth: &models.ConnectorAuthConfig{
			Values: map[string]any{"clientId": "id", "clientSecret": plantedSecrets["PipesHub clientSecret"]}}}, opts...)
		return resp, err
	}},
	{"OpenInt settings", func(ctx context.Context, c *Client, opts ...RequestOption) (*Response, error) {
		_, resp, err := c.CoreConnections.Create(ctx, &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_x",
			Settings: map[string]any{"apiKey": plantedSecrets["OpenInt settings"]}}, opts...)
		return resp, err
	}},
}

// redactionClient builds the client of a credential set, logging to both handlers.
func redactionClient(t *testing.T, srv *faultserver.Server, creds string, logs slog.Handler) *Client {
	t.Helper()
	opts := []Option{WithBaseURL(srv.URL() + "/"), WithLogger(slog.New(logs))}
	switch creds {
	case "static":
		opts = append(opts, WithBearerToken(plantedSecrets["bearer token"]), WithAPIKey(plantedSecrets["API key"]),
			WithConnectionID(plantedSecrets["connection id"]))
	case "tokensource":
		opts = append(opts, WithTokenSource(TokenSourceFunc(func(context.Context) (string, error) {
			return plantedSecrets["TokenSource token"], nil
		})))
	case "passwordgrant":
		ts, err := NewPasswordGrantTokenSource(PasswordGrantConfig{
			TokenURL: srv.URL() + "/oauth/token?apikey=" + url.QueryEscape(plantedSecrets["password-grant URL key"]),
			Username: "user@example.test", Password: plantedSecrets["password-grant password"],
			ClientID: "client", ClientSecret: plantedSecrets["password-grant secret"],
		})
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, WithTokenSource(ts))
	case "gotrue":
		ts, err := NewGoTrueTokenSource(GoTrueConfig{
			TokenURL: srv.URL() + "/auth/v1/token?apikey=" + url.QueryEscape(plantedSecrets["GoTrue URL key"]),
			APIKey:   plantedSecrets["GoTrue API key"], Email: "user@example.test", Password: plantedSecrets["GoTrue password"],
		})
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, WithTokenSource(ts))
	}
	c, err := NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	c.waitHook = func(time.Duration) time.Duration { return 0 }
	return c
}

func TestRedactionProof(t *testing.T) {
	// An origin nobody listens on, for redirects that lead nowhere.
	var lc net.ListenConfig
	l, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedOrigin := "http://" + l.Addr().String()
	_ = l.Close()

	for _, p := range redactionPaths(closedOrigin) {
		t.Run(p.creds+"/"+p.name, func(t *testing.T) {
			t.Parallel()
			srv := faultserver.New(p.inner, faultserver.Options{OtherStatus: 404})
			defer srv.Close()
			srv.SetPlan(p.plan)
			var jsonLog, textLog lockedBuffer
			logs := fanout{
				slog.NewJSONHandler(&jsonLog, &slog.HandlerOptions{Level: slog.LevelDebug}),
				slog.NewTextHandler(&textLog, &slog.HandlerOptions{Level: slog.LevelDebug}),
			}
			c := redactionClient(t, srv, p.creds, logs)
			defer c.CloseIdleConnections()
			failed := 0
			for _, rc := range redactionCalls {
				var opts []RequestOption
				if p.timeout > 0 {
					opts = append(opts, WithRequestTimeout(p.timeout))
				}
				resp, err := rc.call(context.Background(), c, opts...)
				if err == nil {
					continue // a path that a call survives carries nothing to check
				}
				failed++
				for where, text := range errorTexts(err) {
					findSecrets(t, rc.name+": "+where, text)
				}
				if resp != nil {
					findSecrets(t, rc.name+": Response.RequestID", resp.RequestID)
				}
			}
			if failed == 0 {
				t.Fatalf("no call failed: the path tests nothing")
			}
			findSecrets(t, "JSON log", jsonLog.String())
			findSecrets(t, "text log", textLog.String())
		})
	}
}

// findSecrets reports every planted secret, in any form, found in text.
func findSecrets(t *testing.T, where, text string) {
	t.Helper()
	for name, s := range plantedSecrets {
		for form, v := range secretForms(s) {
			if !strings.Contains(text, v) {
				continue
			}
			t.Errorf("%s: %s (%s) leaks: …%s…", where, name, form, around(text, v))
		}
	}
}

func around(text, v string) string {
	i := strings.Index(text, v)
	lo, hi := max(i-40, 0), min(i+len(v)+20, len(text))
	return text[lo:hi]
}

// errorTexts renders err and every error along its Unwrap chains (single and
// multiple) under every verb, and the public text fields of the SDK's and the
// standard library's error types found there.
func errorTexts(err error) map[string]string {
	out := map[string]string{}
	seen := map[error]bool{}
	var walk func(e error, path string)
	walk = func(e error, path string) {
		if e == nil || seen[e] {
			return
		}
		if reflect.TypeOf(e).Comparable() {
			seen[e] = true
		}
		name := fmt.Sprintf("%s%T", path, e)
		out[name+".Error()"] = e.Error()
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			out[name+" "+verb] = fmt.Sprintf(verb, e)
		}
		switch x := e.(type) { //nolint:errorlint // each link of the chain is looked at on its own
		case *APIError:
			out[name+".Body"] = string(x.Body)
			out[name+".Message"] = x.Message
			out[name+".RequestID"] = x.RequestID
			for i, d := range x.Details {
				out[fmt.Sprintf("%s.Details[%d]", name, i)] = d.Message + " " + d.Field() + " " + string(d.Raw)
			}
		case *url.Error:
			out[name+".URL"] = x.URL
		}
		switch u := e.(type) { //nolint:errorlint // walking the chain link by link
		case interface{ Unwrap() error }:
			walk(u.Unwrap(), name+" > ")
		case interface{ Unwrap() []error }:
			for i, inner := range u.Unwrap() {
				walk(inner, fmt.Sprintf("%s > [%d]", name, i))
			}
		}
	}
	walk(err, "")
	return out
}

// fanout sends every record to each handler.
type fanout []slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range f {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range f {
		if err := h.Handle(ctx, r.Clone()); err != nil {
			return err
		}
	}
	return nil
}

func (f fanout) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(as)
	}
	return out
}

func (f fanout) WithGroup(g string) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithGroup(g)
	}
	return out
}

// lockedBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
