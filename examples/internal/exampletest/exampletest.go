// Package exampletest holds the checks that the example programs' tests share. Only
// those tests import it: the programs themselves import nothing but the SDK and the
// standard library, so that each compiles when copied into another module.
package exampletest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/connapi/connapi-go/connapitest"
)

// RunFunc is an example's run function.
type RunFunc = func(ctx context.Context, out io.Writer, env func(string) string) error

// Env returns a lookup over m, for run's env; a nil m is an empty environment.
func Env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// Run runs run with the variables in env and returns what it printed. It stops
// the test if run fails.
func Run(t testing.TB, run RunFunc, env map[string]string) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), &out, Env(env)); err != nil {
		t.Fatalf("run with %v: %v\n%s", env, err, &out)
	}
	return out.String()
}

// Contains reports each string of want that out lacks.
func Contains(t testing.TB, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

// OnlyReads reports a run against a real platform, here srv, that sent nothing
// or sent anything but a GET.
func OnlyReads(t testing.TB, srv *connapitest.Server) {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) == 0 {
		t.Fatal("no request reached the server")
	}
	for _, r := range reqs {
		if r.Method != http.MethodGet {
			t.Errorf("sent %s %s; against a real platform the example must only read", r.Method, r.Path)
		}
	}
}

// BadSettings runs run with the variables in env and a cancelled context, so
// that any attempt to reach the network fails with context.Canceled instead,
// and reports an error for which isSettings is false (the example's own
// settings error type). It returns what run printed and the error.
func BadSettings(t testing.TB, run RunFunc, env map[string]string, isSettings func(error) bool) (string, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	err := run(ctx, &out, Env(env))
	if err == nil || !isSettings(err) {
		t.Errorf("%v: got %v, want a settings error", env, err)
	}
	return out.String(), err
}
