//go:build unix

package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An interrupted command exits 130 (SIGINT) or 143 (SIGTERM), cancels the request
// it is waiting on, and prints one line that holds no secret. The fake server
// holds the request; the signal is sent when the server reports that the request
// arrived, and the server reports in turn that the client went away.
func TestInterruptExits128PlusSignal(t *testing.T) {
	t.Parallel()
	exe, err := exec.LookPath("connapi-exe") // set up in $PATH by testscript.Main
	require.NoError(t, err)
	const secret = "planted-api-key-7f3a" //nolint:gosec // G101: a fake credential, planted to prove it never shows

	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			t.Parallel()
			arrived := make(chan struct{}, 1)
			gone := make(chan struct{}, 1)
			release := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				arrived <- struct{}{}
				select {
				case <-r.Context().Done(): // the client cancelled the request
					gone <- struct{}{}
				case <-release:
				}
			}))
			t.Cleanup(srv.Close)
			t.Cleanup(func() { close(release) })

			cmd := exec.CommandContext(t.Context(), exe, "openint", "connections", "list", "-o", "json")
			cmd.Env = append(os.Environ(),
				"XDG_CONFIG_HOME="+filepath.Join(t.TempDir(), "config"),
				"CONNAPI_PLATFORM=openint", "CONNAPI_BASE_URL="+srv.URL, "CONNAPI_API_KEY="+secret,
				"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			require.NoError(t, cmd.Start())
			select {
			case <-arrived:
			case <-time.After(time.Minute):
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				t.Fatalf("the request never reached the server; stderr: %s", stderr.String())
			}
			require.NoError(t, cmd.Process.Signal(tc.sig))
			err := cmd.Wait()
			var ee *exec.ExitError
			require.ErrorAs(t, err, &ee, "stderr: %s", stderr.String())
			assert.Equal(t, tc.code, ee.ExitCode(), "stderr: %s", stderr.String())
			select {
			case <-gone:
			case <-time.After(time.Minute):
				t.Fatal("the request in flight was not cancelled")
			}
			assert.Equal(t, "connapi openint connections list: interrupted ("+tc.sig.String()+")\n", stderr.String())
			assert.NotContains(t, stdout.String()+stderr.String(), secret)
			assert.Empty(t, stdout.String())
		})
	}
}
