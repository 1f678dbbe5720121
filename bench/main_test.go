package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// benchServer is the benchmark server process TestMain starts.
var benchServer struct {
	api     string // base URL of the API port: http://127.0.0.1:N
	control string // base URL of the control port
}

func TestMain(m *testing.M) {
	os.Exit(runWithServer(m))
}

// runWithServer builds internal/benchserver, starts it, runs the tests and
// benchmarks, and stops it: closing its standard input ends it, and it is killed
// if it has not exited a few seconds later. If this process dies first, the pipe
// closes all the same and the server exits by itself.
func runWithServer(m *testing.M) int {
	dir, err := os.MkdirTemp("", "connapi-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	bin := filepath.Join(dir, "benchserver")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	buildCtx, buildCancel := context.WithTimeout(ctx, 5*time.Minute)
	defer buildCancel()
	build := exec.CommandContext(buildCtx, "go", "build", "-o", bin, "./internal/benchserver") //nolint:gosec // G204: bin is our own temporary path
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench: building the server:", err)
		return 1
	}
	cmd := exec.CommandContext(ctx, bin) //nolint:gosec // G204: the server just built
	stdin, err := cmd.StdinPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "bench: starting the server:", err)
		return 1
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	defer func() {
		_ = stdin.Close()
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}()

	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var line string
	select {
	case line = <-ready:
	case <-exited:
		fmt.Fprintln(os.Stderr, "bench: the server exited before it was ready")
		return 1
	case <-time.After(2 * time.Minute):
		fmt.Fprintln(os.Stderr, "bench: the server did not get ready in 2 minutes")
		return 1
	}
	for _, f := range strings.Fields(line) {
		if v, ok := strings.CutPrefix(f, "api="); ok {
			benchServer.api = "http://" + v
		}
		if v, ok := strings.CutPrefix(f, "control="); ok {
			benchServer.control = "http://" + v
		}
	}
	if benchServer.api == "" || benchServer.control == "" {
		fmt.Fprintf(os.Stderr, "bench: unexpected server banner %q\n", line)
		return 1
	}
	return m.Run()
}

// serverStats reads the server's counters through its control port, on a
// connection of its own, so that reading them opens no connection on the API port.
func serverStats(ctx context.Context, tb testing.TB) (newConns, requests int64) {
	tb.Helper()
	t := &http.Transport{}
	defer t.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, benchServer.control+"/stats", nil)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := (&http.Client{Transport: t}).Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	var s struct{ NewConns, Requests int64 }
	err = json.NewDecoder(resp.Body).Decode(&s)
	_ = resp.Body.Close()
	if err != nil {
		tb.Fatal(err)
	}
	return s.NewConns, s.Requests
}
