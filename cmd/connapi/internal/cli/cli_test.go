package cli

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zalando/go-keyring"
	"go.uber.org/goleak"

	"github.com/connapi/connapi-go/connapitest"
)

func TestMain(m *testing.M) {
	keyring.MockInit() // no test touches the machine's keychain
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
	)
}

// run runs connapi in-process with env's settings and returns its exit code,
// stdout and stderr.
func run(t *testing.T, env *Env, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if env.Stdout == nil {
		env.Stdout = &out
	}
	env.Stderr = &errOut
	env.Getenv = func(k string) string { return vars[k] }
	code := Run(t.Context(), args, env)
	return code, out.String(), errOut.String()
}

func TestKeychainRoundTrip(t *testing.T) {
	srv := connapitest.NewServer(connapitest.WithSeed(3))
	defer srv.Close()
	dir := t.TempDir()
	vars := map[string]string{"XDG_CONFIG_HOME": dir}
	env := func(stdin string) *Env { return &Env{Stdin: strings.NewReader(stdin), Keychain: kc{}} }

	code, _, errOut := run(t, env(""), vars, "config", "set", "--profile", "kc", "platform", "openint")
	require.Equal(t, 0, code, errOut)
	code, _, errOut = run(t, env(""), vars, "config", "set", "--profile", "kc", "base-url", srv.OpenIntURL())
	require.Equal(t, 0, code, errOut)
	code, _, errOut = run(t, env(srv.APIKey()+"\n"), vars, "config", "set", "--profile", "kc", "api-key", "-", "--keychain")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "in the OS keychain")

	// The secret is in the keychain, not in the file.
	b, err := os.ReadFile(filepath.Join(dir, "connapi", "config.yaml"))
	require.NoError(t, err)
	assert.NotContains(t, string(b), srv.APIKey())
	assert.Contains(t, string(b), "keychain: true")
	got, err := keyring.Get("connapi", "kc/api-key")
	require.NoError(t, err)
	assert.Equal(t, srv.APIKey(), got)

	// The profile works with it; config shows where it is, not what.
	code, out, errOut := run(t, env(""), vars, "openint", "connections", "list", "-o", "ndjson", "--jq", ".id")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "conn_00000001\nconn_00000002\nconn_00000003\n", out)
	code, out, _ = run(t, env(""), vars, "config", "get", "api-key")
	require.Equal(t, 0, code)
	assert.Equal(t, "keychain\n", out)
	code, out, _ = run(t, env(""), vars, "config", "list", "-o", "json")
	require.Equal(t, 0, code)
	assert.NotContains(t, out, srv.APIKey())
	code, out, _ = run(t, env(""), vars, "config", "get", "api-key", "--show-secrets")
	require.Equal(t, 0, code)
	assert.Equal(t, srv.APIKey()+"\n", out)

	// Deleting the profile removes its secrets from the keychain.
	code, _, errOut = run(t, env(""), vars, "config", "delete", "kc")
	require.Equal(t, 0, code, errOut)
	_, err = keyring.Get("connapi", "kc/api-key")
	assert.ErrorIs(t, err, keyring.ErrNotFound)
}

// The password grant's client secret, kept in the keychain, is read back from it
// for the login (HTTP Basic, which the token endpoint here wants), never shown,
// and removed with its profile.
func TestKeychainClientSecret(t *testing.T) {
	srv := connapitest.NewServer(connapitest.WithSeed(3))
	defer srv.Close()
	const clientSecret = "kc-client-secret-5150" //nolint:gosec // G101: a fake credential, planted to prove it never shows
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		if err := r.ParseForm(); err != nil || !ok || id != "kc-client" || secret != clientSecret || r.PostForm.Get("scope") != "a b" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":"invalid_client"}`)
			return
		}
		resp, err := http.PostForm(srv.OAuthTokenURL(), r.PostForm) //nolint:noctx // a loopback test server
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer func() { _ = resp.Body.Close() }()
		w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	defer tokens.Close()
	dir := t.TempDir()
	vars := map[string]string{"XDG_CONFIG_HOME": dir}
	env := func(stdin string) *Env { return &Env{Stdin: strings.NewReader(stdin), Keychain: kc{}} }
	for _, kv := range [][2]string{
		{"platform", "stackai"}, {"base-url", srv.StackAIURL()}, {"email", srv.Email()}, {"grant", "password"},
		{"token-url", tokens.URL + "/oauth/token"}, {"client-id", "kc-client"}, {"scopes", "a,b"},
	} {
		code, _, errOut := run(t, env(""), vars, "config", "set", "--profile", "kc2", kv[0], kv[1])
		require.Equal(t, 0, code, errOut)
	}
	code, _, errOut := run(t, env(srv.Password()+"\n"), vars, "config", "set", "--profile", "kc2", "password", "-", "--keychain")
	require.Equal(t, 0, code, errOut)
	code, _, errOut = run(t, env(clientSecret+"\n"), vars, "config", "set", "--profile", "kc2", "client-secret", "-", "--keychain")
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, errOut, clientSecret)

	b, err := os.ReadFile(filepath.Join(dir, "connapi", "config.yaml"))
	require.NoError(t, err)
	assert.NotContains(t, string(b), clientSecret)
	assert.Contains(t, string(b), "scopes: a b")
	got, err := keyring.Get("connapi", "kc2/client-secret")
	require.NoError(t, err)
	assert.Equal(t, clientSecret, got)

	code, out, errOut := run(t, env(""), vars, "stackai", "connections", "list", "--limit", "1", "-o", "ndjson", "--jq", ".connection_id", "--debug")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "5a1c0000-0000-4000-8000-000000000001\n", out)
	assert.NotContains(t, errOut, clientSecret)
	code, out, _ = run(t, env(""), vars, "config", "list", "-o", "json")
	require.Equal(t, 0, code)
	assert.Contains(t, out, `"client_secret": "keychain"`)
	assert.NotContains(t, out, clientSecret)

	code, _, errOut = run(t, env(""), vars, "config", "delete", "kc2")
	require.Equal(t, 0, code, errOut)
	_, err = keyring.Get("connapi", "kc2/client-secret")
	assert.ErrorIs(t, err, keyring.ErrNotFound)
}

// kc is go-keyring's mock provider (set up by TestMain) behind the Keychain
// interface.
type kc struct{}

func (kc) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (kc) Set(s, u, v string) error        { return keyring.Set(s, u, v) }
func (kc) Delete(s, u string) error        { return keyring.Delete(s, u) }

func TestTableOnATerminalJSONElsewhere(t *testing.T) {
	t.Parallel()
	code, out, _ := run(t, &Env{StdoutTTY: true}, nil, "--fake", "openint", "connections", "get", "conn_00000001")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "ID "), out)
	code, out, _ = run(t, &Env{}, nil, "--fake", "openint", "connections", "get", "conn_00000001")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "{\n"), out)
}

func TestProgressOnlyOnATerminal(t *testing.T) {
	t.Parallel()
	for _, tty := range []bool{false, true} {
		code, _, errOut := run(t, &Env{StderrTTY: tty, progressNow: true}, nil, "--fake", "openint", "connections", "list", "--all", "--limit", "5", "-o", "ndjson")
		require.Equal(t, 0, code)
		if tty {
			assert.Contains(t, errOut, "fetching")
		} else {
			assert.Empty(t, errOut)
		}
	}
	// A quick command shows no bar even on a terminal.
	code, _, errOut := run(t, &Env{StderrTTY: true}, nil, "--fake", "openint", "connections", "list", "--all", "-o", "ndjson")
	require.Equal(t, 0, code)
	assert.Empty(t, errOut)
}

// TestAllStreams shows that --all -o ndjson prints each page as it arrives: the
// first page is read from stdout while the second is still held by the server.
func TestAllStreams(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(20))
	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/v0/core/connection",
		Sequence: []connapitest.Fault{connapitest.Pass(), connapitest.Latency(time.Hour)}})
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code, _, _ := run(t, &Env{Stdout: pw}, nil, "openint", "connections", "list", "--all", "--limit", "10", "-o", "ndjson",
			"--base-url", srv.OpenIntURL(), "--api-key", srv.APIKey())
		_ = pw.Close()
		done <- code
	}()
	// Buffered output would never come: the second page is never answered.
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pr)
		for i := 0; i < 10 && sc.Scan(); i++ {
			lines <- sc.Text()
		}
	}()
	for i := 0; i < 10; i++ {
		select {
		case l, ok := <-lines:
			require.True(t, ok, "line %d", i)
			assert.Contains(t, l, `"id":"conn_`)
		case <-time.After(time.Minute):
			t.Fatal("the first page was not printed while the second was pending")
		}
	}
	srv.Close() // aborts the held request
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	assert.Equal(t, ExitError, <-done)
}

func TestFakeServe(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		env := &Env{Stdout: pw, Stderr: io.Discard, Getenv: func(string) string { return "" }}
		done <- Run(ctx, []string{"fake", "serve", "--addr", "127.0.0.1:0", "--seed", "2"}, env)
		_ = pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	require.True(t, sc.Scan())
	root, ok := strings.CutPrefix(sc.Text(), "connapi fake serve listening on ")
	require.True(t, ok, sc.Text())
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, root+"/v0/core/connection", nil)
	require.NoError(t, err)
	req.Header.Set("x-apikey", connapitest.DefaultAPIKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(b), "conn_00000002")
	cancel()
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	assert.Equal(t, 0, <-done)

	code, _, errOut := run(t, &Env{}, nil, "fake", "serve", "--addr", "0.0.0.0:0")
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, errOut, "--public")
}

// On a terminal, a list that stopped at a page says how to get the rest: every
// paging style, the offset-paged lists too.
func TestMoreResultsHint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		hint string
	}{
		{[]string{"openint", "connections", "list", "--limit", "5"}, "--offset 5"},
		{[]string{"openint", "connections", "list", "--limit", "5", "--offset", "10"}, "--offset 15"},
		{[]string{"stackai", "connections", "list", "--limit", "5"}, "--offset 5"},
		{[]string{"stackai", "connections", "list", "--paginated", "--limit", "5"}, "--offset 5"},
		{[]string{"pipeshub", "instances", "list", "--limit", "5"}, "--page 2"},
		{[]string{"instill", "connections", "list", "--page-size", "5"}, "--page-token "},
	} {
		code, _, errOut := run(t, &Env{StderrTTY: true}, nil, append([]string{"--fake", "-o", "json"}, tc.args...)...)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, errOut, "more results: pass --all, or "+tc.hint, "%v", tc.args)
	}
	// The last page, and any page off a terminal, say nothing.
	for _, tty := range []bool{true, false} {
		code, _, errOut := run(t, &Env{StderrTTY: tty}, nil, "--fake", "-o", "json", "openint", "connections", "list", "--limit", "5", "--offset", "28")
		require.Equal(t, 0, code, errOut)
		assert.Empty(t, errOut)
	}
	code, _, errOut := run(t, &Env{}, nil, "--fake", "-o", "json", "openint", "connections", "list", "--limit", "5")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
}

// A credential that cannot be a header value (a newline pasted with it) is a
// usage error, named but not shown, and nothing is sent: net/http refused the
// request, which read as an error (exit 1).
func TestCredentialWithAControlCharacterIsAUsageError(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(1))
	defer srv.Close()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "connapi"), 0o700))
	cfg := "profiles:\n  oi:\n    platform: openint\n    base_url: " + srv.OpenIntURL() + "\n    api_key: \"sec\\nret-key\"\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "connapi", "config.yaml"), []byte(cfg), 0o600))
	for _, tc := range []struct {
		name string
		vars map[string]string
		args []string
	}{
		{"flag", nil, []string{"openint", "connections", "get", "conn_00000001", "--base-url", srv.OpenIntURL(), "--api-key", "sec\nret-key"}},
		{"env", map[string]string{"CONNAPI_TOKEN": "sec\rret-key\n", "CONNAPI_BASE_URL": srv.StackAIURL()},
			[]string{"stackai", "connections", "list"}},
		{"profile", map[string]string{"XDG_CONFIG_HOME": dir}, []string{"openint", "connections", "list"}},
		{"cross", map[string]string{"XDG_CONFIG_HOME": dir}, []string{"connections", "list"}},
	} {
		vars := map[string]string{"XDG_CONFIG_HOME": t.TempDir()}
		for k, v := range tc.vars {
			vars[k] = v
		}
		srv.ResetRequests()
		code, _, errOut := run(t, &Env{}, vars, tc.args...)
		assert.Equal(t, ExitUsage, code, "%s: %s", tc.name, errOut)
		assert.Contains(t, errOut, "control character", tc.name)
		assert.NotContains(t, errOut, "ret-key", tc.name)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), "%s: one line: %q", tc.name, errOut)
		assert.Empty(t, srv.Requests(), tc.name)
	}
}
