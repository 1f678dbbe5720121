package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/zalando/go-keyring"
	"go.uber.org/goleak"

	"github.com/connapi/connapi-go/cmd/connapi/internal/cli"
	"github.com/connapi/connapi-go/connapitest"
)

// TestMain runs the tests, or, when the test binary is started as connapi-exe
// by a script, connapi itself. Its keychain is go-keyring's in-memory mock (one
// per process), or a keychain that fails everything when CONNAPI_TEST_KEYCHAIN
// is "none": no test touches the machine's real keychain.
func TestMain(m *testing.M) {
	testscript.Main(leakCheck{m}, map[string]func(){
		"connapi-exe": func() {
			if os.Getenv("CONNAPI_TEST_KEYCHAIN") == "none" {
				keyring.MockInitWithError(errors.New("no keychain on this machine"))
			} else {
				keyring.MockInit()
			}
			os.Exit(cli.Main())
		},
	})
}

// leakCheck fails the run if a test leaves a goroutine behind (the scripts'
// fake servers are closed when each script ends).
type leakCheck struct{ m *testing.M }

func (l leakCheck) Run() int {
	code := l.m.Run()
	if code == 0 {
		if err := goleak.Find(goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
			goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop")); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			return 1
		}
	}
	return code
}

// scriptState is what a script's commands share: its fake server and the exit
// code of its last connapi.
type scriptState struct {
	srv  *connapitest.Server
	mu   sync.Mutex
	exit int
}

type stateKey struct{}

func state(ts *testscript.TestScript) *scriptState { return ts.Value(stateKey{}).(*scriptState) }

// TestScripts runs testdata/script/*.txtar, one per area of the command line.
// Each script gets its own seeded connapitest server and a configuration file
// with one profile per platform (stackai, pipeshub, instill, openint; openint is
// the current one) pointing at it. Commands:
//
//	connapi ARGS...        runs connapi (! connapi expects a failure)
//	status N               the last connapi exited with N
//	fake fault METHOD PATH STATUS [TIMES]   injects a fault on the script's server
//	fake sent N [METHOD PATH]                the server saw N requests (since reset)
//	fake reset             empties the server's request log
//	fake log               prints the request log (METHOD PATH?QUERY BODY) on stdout
//	envfile NAME FILE      sets $NAME to FILE's content, trimmed (cp stdout FILE first)
func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		Deadline:            time.Now().Add(5 * time.Minute),
		Setup: func(env *testscript.Env) error {
			srv := connapitest.NewServer(connapitest.WithSeed(30))
			env.Defer(srv.Close)
			env.Values[stateKey{}] = &scriptState{srv: srv}
			// A race-enabled connapi would wait a second at exit for late reports.
			env.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
			cfgHome := filepath.Join(env.WorkDir, ".config")
			env.Setenv("XDG_CONFIG_HOME", cfgHome)
			env.Setenv("FAKE_URL", srv.URL())
			env.Setenv("FAKE_TOKEN", srv.Token())
			env.Setenv("FAKE_APIKEY", srv.APIKey())
			env.Setenv("CLIENT_TOKEN_URL", clientTokenEndpoint(env, srv))
			if err := os.MkdirAll(filepath.Join(cfgHome, "connapi"), 0o700); err != nil {
				return err
			}
			cfg := fmt.Sprintf(`current: openint
profiles:
  stackai:
    platform: stackai
    base_url: %s
    token: %s
  pipeshub:
    platform: pipeshub
    base_url: %s
    token: %s
  instill:
    platform: instill
    base_url: %s
    token: %s
    namespace: %s
  openint:
    platform: openint
    base_url: %s
    api_key: %s
`, srv.StackAIURL(), srv.Token(), srv.PipesHubURL(), srv.Token(), srv.InstillURL(), srv.Token(), connapitest.DefaultNamespace, srv.OpenIntURL(), srv.APIKey())
			return os.WriteFile(filepath.Join(cfgHome, "connapi", "config.yaml"), []byte(cfg), 0o600)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"connapi": runConnapi,
			"status":  checkStatus,
			"fake":    fakeCmd,
			"envfile": envFile,
		},
	})
}

func runConnapi(ts *testscript.TestScript, neg bool, args []string) {
	err := ts.Exec("connapi-exe", args...)
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("connapi: %v", err)
		}
		code = ee.ExitCode()
	}
	st := state(ts)
	st.mu.Lock()
	st.exit = code
	st.mu.Unlock()
	switch {
	case neg && code == 0:
		ts.Fatalf("connapi succeeded unexpectedly")
	case !neg && code != 0:
		ts.Fatalf("connapi failed: exit code %d", code)
	}
}

func checkStatus(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: status N")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	st := state(ts)
	st.mu.Lock()
	got := st.exit
	st.mu.Unlock()
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

func fakeCmd(ts *testscript.TestScript, neg bool, args []string) {
	srv := state(ts).srv
	if len(args) == 0 {
		ts.Fatalf("usage: fake fault|sent|reset|log ...")
	}
	switch args[0] {
	case "fault":
		if len(args) < 4 || len(args) > 5 {
			ts.Fatalf("usage: fake fault METHOD PATH STATUS [TIMES]")
		}
		code, err := strconv.Atoi(args[3])
		ts.Check(err)
		r := connapitest.Rule{Method: args[1], Path: args[2], Fault: connapitest.Status(code)}
		if len(args) == 5 {
			r.Times, err = strconv.Atoi(args[4])
			ts.Check(err)
		}
		srv.Faults().Add(r)
	case "sent":
		if len(args) != 2 && len(args) != 4 {
			ts.Fatalf("usage: fake sent N [METHOD PATH]")
		}
		want, err := strconv.Atoi(args[1])
		ts.Check(err)
		got := len(srv.Requests())
		if len(args) == 4 {
			got = srv.RequestCount(args[2], args[3])
		}
		if (got == want) == neg {
			ts.Fatalf("the fake saw %d requests, want %s%d", got, map[bool]string{true: "not ", false: ""}[neg], want)
		}
	case "reset":
		srv.ResetRequests()
	case "log":
		var b strings.Builder
		for _, r := range srv.Requests() {
			fmt.Fprintf(&b, "%s %s", r.Method, r.Path)
			if len(r.Query) > 0 {
				fmt.Fprintf(&b, "?%s", r.Query.Encode())
			}
			if len(r.Body) > 0 {
				fmt.Fprintf(&b, " %s", r.Body)
			}
			b.WriteByte('\n')
		}
		_, _ = ts.Stdout().Write([]byte(b.String()))
	default:
		ts.Fatalf("unknown fake command %q", args[0])
	}
}

func envFile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: envfile NAME FILE")
	}
	ts.Setenv(args[0], strings.TrimSpace(ts.ReadFile(args[1])))
}

// The OAuth client of the scripts' password grants: clientTokenEndpoint checks it.
const (
	scriptClientID     = "cli-client-7"
	scriptClientSecret = "planted-client-secret" //nolint:gosec // G101: a fake credential, planted to prove it never shows
)

// clientTokenEndpoint serves an RFC 6749 token endpoint that wants the scripts'
// OAuth client (HTTP Basic, as RFC 6749 §2.3.1 prefers) and a scope, and hands
// the grant on to the fake's own /oauth/token. It returns its URL.
func clientTokenEndpoint(env *testscript.Env, srv *connapitest.Server) string {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		if err := r.ParseForm(); err != nil || !ok || id != scriptClientID || secret != scriptClientSecret || r.PostForm.Get("scope") == "" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":"invalid_client","error_description":"client authentication failed"}`)
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
	env.Defer(ts.Close)
	return ts.URL + "/oauth/token"
}
