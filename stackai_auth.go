package connapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Stack AI authenticates API calls with a bearer token obtained through the OAuth2
// password grant. Two token sources cover it, both for WithTokenSource:
//
//   - PasswordGrantTokenSource speaks the standard form-encoded grant of RFC 6749
//     §4.3 (the "OAuth2 password" flow of the API reference), through
//     golang.org/x/oauth2.
//   - GoTrueTokenSource speaks the JSON variant of Stack AI's own examples, which get
//     the token from its Supabase (GoTrue) auth server.
//
// Both cache the token, refresh it DefaultTokenRefreshSkew before it expires (with
// the refresh token when there is one, else by logging in again), and let concurrent
// callers share one request to the token endpoint.

// DefaultTokenRefreshSkew is how long before its expiry a cached token is replaced.
// For a token that lives less than twice as long, half its lifetime is used instead.
const DefaultTokenRefreshSkew = 30 * time.Second

// StackAIGoTrueTokenURL is the token endpoint Stack AI's examples log in at. It is
// taken from the vendor's example notebook, not from the API reference.
const StackAIGoTrueTokenURL = "https://sb.stack-ai.com/auth/v1/token" //nolint:gosec // G101: a public endpoint URL, not a credential

// stackMaxTokenResponse caps how much of a token endpoint's response is read.
const stackMaxTokenResponse = 1 << 20

// PasswordGrantConfig configures a PasswordGrantTokenSource.
type PasswordGrantConfig struct {
	// TokenURL is the token endpoint; required. It must be https, or http to a
	// loopback host, unless AllowInsecureHTTP is set.
	TokenURL string
	// Username is the resource owner's user name (the email for Stack AI); required.
	Username string
	// Password is the resource owner's password; required. It never appears in an
	// error.
	Password string
	// ClientID and ClientSecret identify the client, when the server wants it.
	ClientID     string
	ClientSecret string
	// ClientSecretInBody sends ClientID and ClientSecret as form fields instead of
	// HTTP Basic authentication. Without a ClientSecret they are always form fields.
	ClientSecretInBody bool
	// Scopes are requested with the grant, space-separated on the wire.
	Scopes []string
	// HTTPClient sends the token requests; nil means a plain &http.Client{}. It is
	// copied, and redirects to another origin are refused so the password stays with
	// the token endpoint.
	HTTPClient *http.Client
	// RefreshSkew overrides DefaultTokenRefreshSkew when positive.
	RefreshSkew time.Duration
	// AllowInsecureHTTP allows a plain-http TokenURL on a non-loopback host.
	AllowInsecureHTTP bool
}

// GoTrueConfig configures a GoTrueTokenSource.
type GoTrueConfig struct {
	// TokenURL is the GoTrue token endpoint, e.g. StackAIGoTrueTokenURL; required.
	// grant_type is added to its query. It must be https, or http to a loopback
	// host, unless AllowInsecureHTTP is set.
	TokenURL string
	// APIKey is sent in the "apikey" header (Supabase's public anon key); optional
	// for a bare GoTrue server.
	APIKey string
	// Email and Password are the user's credentials; required. The password never
	// appears in an error.
	Email    string
	Password string
	// HTTPClient sends the token requests; nil means a plain &http.Client{}. It is
	// copied, and redirects to another origin are refused.
	HTTPClient *http.Client
	// RefreshSkew overrides DefaultTokenRefreshSkew when positive.
	RefreshSkew time.Duration
	// AllowInsecureHTTP allows a plain-http TokenURL on a non-loopback host.
	AllowInsecureHTTP bool
}

// Both token sources satisfy TokenSource and TokenInvalidator.
var (
	_ TokenSource      = (*PasswordGrantTokenSource)(nil)
	_ TokenSource      = (*GoTrueTokenSource)(nil)
	_ TokenInvalidator = (*PasswordGrantTokenSource)(nil)
	_ TokenInvalidator = (*GoTrueTokenSource)(nil)
)

// PasswordGrantTokenSource is a TokenSource that logs in with the OAuth2 password
// grant (RFC 6749 §4.3, form-encoded) and refreshes with the refresh_token grant
// (§6). It is safe for concurrent use. Build one with NewPasswordGrantTokenSource.
type PasswordGrantTokenSource struct {
	conf     oauth2.Config
	username string
	password string
	hc       *http.Client
	tokenURL *url.URL
	cache    grantCache
}

// NewPasswordGrantTokenSource returns a token source for the standard OAuth2
// password grant. Nothing is sent before the first Token call. A missing token
// URL, username or password is an ErrInvalidParams.
//
//	ts, err := connapi.NewPasswordGrantTokenSource(connapi.PasswordGrantConfig{
//		TokenURL: tokenURL, Username: email, Password: password,
//	})
//	c, err := connapi.NewClient(connapi.WithBaseURL(connapi.StackAIBaseURL), connapi.WithTokenSource(ts))
func NewPasswordGrantTokenSource(cfg PasswordGrantConfig) (*PasswordGrantTokenSource, error) {
	const op = "NewPasswordGrantTokenSource"
	u, err := stackCheckTokenURL(op, cfg.TokenURL, cfg.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.Username) == "" {
		return nil, invalidParams(op, "username is required")
	}
	if cfg.Password == "" {
		return nil, invalidParams(op, "password is required")
	}
	style := oauth2.AuthStyleInHeader
	if cfg.ClientSecret == "" || cfg.ClientSecretInBody {
		style = oauth2.AuthStyleInParams
	}
	ts := &PasswordGrantTokenSource{
		conf: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint:     oauth2.Endpoint{TokenURL: u.String(), AuthStyle: style},
			Scopes:       append([]string(nil), cfg.Scopes...),
		},
		username: cfg.Username,
		password: cfg.Password,
		hc:       stackTokenHTTPClient(cfg.HTTPClient),
		tokenURL: u,
	}
	ts.cache.init(cfg.RefreshSkew, ts.fetch)
	return ts, nil
}

// Token returns a valid access token, from the cache or from the token endpoint.
// An error response of the endpoint is an *APIError (Code is RFC 6749's "error",
// e.g. "invalid_grant"), which matches ErrUnauthorized on a 401.
func (ts *PasswordGrantTokenSource) Token(ctx context.Context) (string, error) {
	return ts.cache.token(ctx)
}

// Invalidate drops the cached token, whichever it is, so the next Token call gets
// a new one. When the API rejects a token, prefer InvalidateToken, which the client
// calls on a 401.
func (ts *PasswordGrantTokenSource) Invalidate() { ts.cache.invalidate("") }

// InvalidateToken drops the cached token if it is tok, so the next Token call gets
// a new one; a token fetched since tok was handed out is kept. Concurrent calls
// rejected with the same token therefore share one refresh.
func (ts *PasswordGrantTokenSource) InvalidateToken(tok string) {
	if tok != "" {
		ts.cache.invalidate(tok)
	}
}

func (ts *PasswordGrantTokenSource) fetch(ctx context.Context, prev grantToken) (grantToken, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, ts.hc)
	secrets := append([]string{ts.password, ts.conf.ClientSecret, prev.access, prev.refresh}, queryValuesToRedact(ts.tokenURL)...)
	if prev.refresh != "" {
		t, err := ts.conf.TokenSource(ctx, &oauth2.Token{RefreshToken: prev.refresh}).Token()
		if err == nil {
			return ts.fromOAuth2(t), nil
		}
		err = ts.convert(err, secrets)
		if !stackIsClientError(err) {
			return grantToken{}, err
		}
		// The refresh token was refused: log in again.
	}
	t, err := ts.conf.PasswordCredentialsToken(ctx, ts.username, ts.password)
	if err != nil {
		return grantToken{}, ts.convert(err, secrets)
	}
	return ts.fromOAuth2(t), nil
}

func (ts *PasswordGrantTokenSource) fromOAuth2(t *oauth2.Token) grantToken {
	g := grantToken{access: t.AccessToken, refresh: t.RefreshToken}
	switch {
	case t.ExpiresIn > 0:
		g.lifetime, g.expires = time.Duration(t.ExpiresIn)*time.Second, true
	case !t.Expiry.IsZero():
		g.lifetime, g.expires = time.Until(t.Expiry), true
	}
	return g
}

// convert turns an oauth2 error into an *APIError, or a redacted transport error.
func (ts *PasswordGrantTokenSource) convert(err error, secrets []string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		return stackTokenAPIError(re.Response, re.Body, ts.tokenURL, secrets)
	}
	return stackTokenTransportError(err, ts.tokenURL, secrets)
}

// GoTrueTokenSource is a TokenSource that logs in at a GoTrue (Supabase Auth)
// server, as Stack AI's own examples do: POST {TokenURL}?grant_type=password with
// the JSON body {email, password, gotrue_meta_security: {}} and an apikey header.
// It refreshes with grant_type=refresh_token and {refresh_token}, and logs in again
// when there is no refresh token or the server refuses it. It is safe for
// concurrent use. Build one with NewGoTrueTokenSource.
type GoTrueTokenSource struct {
	tokenURL *url.URL
	apiKey   string
	email    string
	password string
	hc       *http.Client
	cache    grantCache
}

// NewGoTrueTokenSource returns a token source for a GoTrue token endpoint. Nothing
// is sent before the first Token call. A missing token URL, email or password is
// an ErrInvalidParams.
//
//	ts, err := connapi.NewGoTrueTokenSource(connapi.GoTrueConfig{
//		TokenURL: connapi.StackAIGoTrueTokenURL, APIKey: anonKey,
//		Email: email, Password: password,
//	})
func NewGoTrueTokenSource(cfg GoTrueConfig) (*GoTrueTokenSource, error) {
	const op = "NewGoTrueTokenSource"
	u, err := stackCheckTokenURL(op, cfg.TokenURL, cfg.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.Email) == "" {
		return nil, invalidParams(op, "email is required")
	}
	if cfg.Password == "" {
		return nil, invalidParams(op, "password is required")
	}
	if strings.ContainsAny(cfg.APIKey, "\r\n") {
		return nil, invalidParams(op, "the API key must be a single line")
	}
	ts := &GoTrueTokenSource{
		tokenURL: u,
		apiKey:   cfg.APIKey,
		email:    cfg.Email,
		password: cfg.Password,
		hc:       stackTokenHTTPClient(cfg.HTTPClient),
	}
	ts.cache.init(cfg.RefreshSkew, ts.fetch)
	return ts, nil
}

// Token returns a valid access token, from the cache or from the token endpoint.
// An error response of the endpoint is an *APIError, which matches
// ErrUnauthorized on a 401.
func (ts *GoTrueTokenSource) Token(ctx context.Context) (string, error) {
	return ts.cache.token(ctx)
}

// Invalidate drops the cached token, whichever it is, so the next Token call gets
// a new one. When the API rejects a token, prefer InvalidateToken, which the client
// calls on a 401.
func (ts *GoTrueTokenSource) Invalidate() { ts.cache.invalidate("") }

// InvalidateToken drops the cached token if it is tok, so the next Token call gets
// a new one; a token fetched since tok was handed out is kept. Concurrent calls
// rejected with the same token therefore share one refresh.
func (ts *GoTrueTokenSource) InvalidateToken(tok string) {
	if tok != "" {
		ts.cache.invalidate(tok)
	}
}

func (ts *GoTrueTokenSource) fetch(ctx context.Context, prev grantToken) (grantToken, error) {
	secrets := append([]string{ts.password, ts.apiKey, prev.access, prev.refresh}, queryValuesToRedact(ts.tokenURL)...)
	if prev.refresh != "" {
		t, err := ts.post(ctx, "refresh_token", map[string]any{"refresh_token": prev.refresh}, secrets)
		if err == nil || !stackIsClientError(err) {
			return t, err
		}
		// The refresh token was refused: log in again.
	}
	body := map[string]any{
		"email":                ts.email,
		"password":             ts.password,
		"gotrue_meta_security": map[string]any{},
	}
	return ts.post(ctx, "password", body, secrets)
}

func (ts *GoTrueTokenSource) post(ctx context.Context, grant string, body any, secrets []string) (grantToken, error) {
	u := *ts.tokenURL
	q := u.Query()
	q.Set("grant_type", grant)
	u.RawQuery = q.Encode()
	b, err := json.Marshal(body)
	if err != nil {
		return grantToken{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(b))
	if err != nil {
		return grantToken{}, stackTokenTransportError(err, ts.tokenURL, secrets)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "connapi-go/"+Version)
	if ts.apiKey != "" {
		req.Header.Set("Apikey", ts.apiKey)
	}
	resp, err := ts.hc.Do(req) //nolint:bodyclose // closed by the deferred drainClose
	if err != nil {
		return grantToken{}, stackTokenTransportError(err, ts.tokenURL, secrets)
	}
	defer drainClose(resp.Body)
	data, err := io.ReadAll(io.LimitReader(resp.Body, stackMaxTokenResponse))
	if err != nil {
		return grantToken{}, stackTokenTransportError(err, ts.tokenURL, secrets)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return grantToken{}, stackTokenAPIError(resp, data, ts.tokenURL, secrets)
	}
	var tr struct {
		AccessToken  string      `json:"access_token"`
		TokenType    string      `json:"token_type"`
		RefreshToken string      `json:"refresh_token"`
		ExpiresIn    json.Number `json:"expires_in"`
		ExpiresAt    json.Number `json:"expires_at"`
	}
	if err := json.Unmarshal(data, &tr); err != nil {
		return grantToken{}, fmt.Errorf("connapi: token endpoint %s: %d response is not a token: %v", redactURL(ts.tokenURL), resp.StatusCode, stackRedactJSONError(err))
	}
	if tr.AccessToken == "" {
		return grantToken{}, fmt.Errorf("connapi: token endpoint %s: response has no access_token", redactURL(ts.tokenURL))
	}
	if tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "bearer") {
		return grantToken{}, fmt.Errorf("connapi: token endpoint %s: token type %q is not bearer", redactURL(ts.tokenURL), stackShorten(tr.TokenType))
	}
	g := grantToken{access: tr.AccessToken, refresh: tr.RefreshToken}
	if n, err := tr.ExpiresIn.Float64(); err == nil && n > 0 {
		g.lifetime, g.expires = time.Duration(n*float64(time.Second)), true
	} else if n, err := tr.ExpiresAt.Int64(); err == nil && n > 0 {
		g.lifetime, g.expires = time.Until(time.Unix(n, 0)), true
	}
	return g, nil
}

// stackRedactJSONError keeps a JSON error's kind but not the offending value, which could
// be a token.
func stackRedactJSONError(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("JSON syntax error at offset %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %s has the wrong type", te.Field)
	}
	return "invalid JSON"
}

// stackCheckTokenURL requires an absolute http(s) URL without user info or fragment,
// and https unless the host is loopback or insecure is set.
func stackCheckTokenURL(op, raw string, insecure bool) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, invalidParams(op, "a token URL is required")
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, invalidParams(op, "bad token URL: %v", redactParseError(err))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, invalidParams(op, "the token URL must be an absolute http or https URL")
	}
	if u.User != nil || u.Fragment != "" {
		return nil, invalidParams(op, "the token URL must not carry user info or a fragment")
	}
	if u.Scheme == "http" && !insecure && !isLoopbackHost(u.Hostname()) {
		return nil, invalidParams(op, "refusing to send a password over plain http to %s; use https, or AllowInsecureHTTP", u.Host)
	}
	return u, nil
}

// stackTokenHTTPClient copies hc (or makes a plain client) and refuses redirects to
// another origin, which would carry the credentials along.
func stackTokenHTTPClient(hc *http.Client) *http.Client {
	var cp http.Client
	if hc != nil {
		cp = *hc
	}
	next := cp.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > 0 {
			first := via[0].URL
			if !strings.EqualFold(req.URL.Scheme, first.Scheme) || !strings.EqualFold(req.URL.Host, first.Host) {
				return http.ErrUseLastResponse
			}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return fmt.Errorf("stopped after %d redirects", len(via))
		}
		return nil
	}
	return &cp
}

// stackTokenAPIError builds the *APIError of a token endpoint's error response. GoTrue's
// newer bodies ({"code": 400, "error_code": "…", "msg": "…"}) are read too.
func stackTokenAPIError(resp *http.Response, body []byte, tokenURL *url.URL, secrets []string) *APIError {
	secrets = stackNonEmpty(secrets)
	return newAPIError(resp, body, http.MethodPost, tokenPath(tokenURL), 1, secrets)
}

// stackTokenTransportError wraps a failure to reach the token endpoint, with the
// URL's query values and every secret redacted.
func stackTokenTransportError(err error, tokenURL *url.URL, secrets []string) error {
	return newTransportErr(http.MethodPost, tokenPath(tokenURL), err, newRedactor(stackNonEmpty(secrets)))
}

func stackNonEmpty(vals []string) []string {
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		if len(v) >= 4 {
			out = append(out, v)
		}
	}
	return out
}

// stackIsClientError reports whether err is a 4xx answer: a refused refresh token, say.
func stackIsClientError(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode >= 400 && ae.StatusCode < 500
}

// grantToken is a token as fetched. expires is false when the server gave no
// expiry; lifetime may then be 0, and it is ≤ 0 for a token already expired.
type grantToken struct {
	access   string
	refresh  string
	lifetime time.Duration
	expires  bool
}

// tokenPath is the path errors name for a token endpoint ("/" rather than nothing).
func tokenPath(u *url.URL) string {
	if p := u.EscapedPath(); p != "" {
		return p
	}
	return "/"
}

// tokenFetchTimeout bounds one request to a token endpoint. The request runs
// detached from the context of the caller that started it, so that caller giving
// up does not fail the others waiting for the same token, and a hung endpoint
// cannot hold them all.
const tokenFetchTimeout = 30 * time.Second

// grantCache caches one token and lets concurrent callers share one fetch.
type grantCache struct {
	skew    time.Duration
	fetch   func(ctx context.Context, prev grantToken) (grantToken, error)
	now     func() time.Time // tests replace it
	timeout time.Duration    // of one fetch; tests shorten it

	mu        sync.Mutex
	tok       grantToken
	refreshAt time.Time // zero: never (no expiry)
	expiresAt time.Time // zero: never; after refreshAt, the token is still usable until then
	has       bool
	flight    *grantFlight
}

// grantFlight is one fetch in progress; done is closed when it ends.
type grantFlight struct {
	done chan struct{}
	tok  string
	err  error
}

func (c *grantCache) init(skew time.Duration, fetch func(context.Context, grantToken) (grantToken, error)) {
	if skew <= 0 {
		skew = DefaultTokenRefreshSkew
	}
	c.skew = skew
	c.fetch = fetch
	c.now = time.Now
	c.timeout = tokenFetchTimeout
}

// invalidate drops the cached token if it is tok, or whatever it is when tok is "".
func (c *grantCache) invalidate(tok string) {
	c.mu.Lock()
	if tok == "" || c.tok.access == tok {
		c.has = false
	}
	c.mu.Unlock()
}

func (c *grantCache) token(ctx context.Context) (string, error) {
	if ctx == nil {
		return "", invalidParams("Token", "nil context")
	}
	c.mu.Lock()
	if c.has && (c.refreshAt.IsZero() || c.now().Before(c.refreshAt)) {
		tok := c.tok.access
		c.mu.Unlock()
		return tok, nil
	}
	f := c.flight
	if f == nil {
		f = &grantFlight{done: make(chan struct{})}
		c.flight = f
		go c.run(context.WithoutCancel(ctx), f, c.tok)
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// run performs the fetch of flight f and publishes its result. When the fetch
// fails while the cached token has not yet expired (it was only due for an early
// refresh), the cached token is handed out instead and the refresh is tried again
// a little later.
func (c *grantCache) run(ctx context.Context, f *grantFlight, prev grantToken) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	done := false
	defer func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if !done {
			f.err = errors.New("connapi: token fetch panicked")
		}
		c.flight = nil
		close(f.done)
	}()
	t, err := c.fetch(ctx, prev)
	done = true
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if err != nil {
		if c.has && (c.expiresAt.IsZero() || now.Before(c.expiresAt)) {
			f.tok = c.tok.access
			c.refreshAt = now.Add(min(5*time.Second, c.expiresAt.Sub(now)/2))
			return
		}
		f.err = err
		return
	}
	c.tok, c.has = t, true
	c.refreshAt, c.expiresAt = time.Time{}, time.Time{}
	switch {
	case t.lifetime > 0:
		c.refreshAt = now.Add(t.lifetime - min(c.skew, t.lifetime/2))
		c.expiresAt = now.Add(t.lifetime)
	case t.expires:
		c.refreshAt, c.expiresAt = now, now // already expired: used by this call only
	}
	f.tok = t.access
}
