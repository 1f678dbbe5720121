package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// openPTY returns the two ends of a new pseudo-terminal.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0) // pollable: reads take deadlines
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { _ = master.Close() })
	fd := int(master.Fd()) //nolint:gosec // a file descriptor fits in an int
	require.NoError(t, unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0))
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	require.NoError(t, err)
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tty.Close() })
	return master, tty
}

// syncBuffer is a bytes.Buffer for one writer and one polling reader.
type syncBuffer struct {
	ch  chan []byte
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.ch <- bytes.Clone(p)
	return len(p), nil
}

// A secret typed on a terminal for config set KEY - is not echoed: the terminal
// shows the prompt, and not the password.
func TestConfigSetSecretIsNotEchoed(t *testing.T) {
	t.Parallel()
	master, tty := openPTY(t)
	dir := t.TempDir()
	stderr := &syncBuffer{ch: make(chan []byte, 16)}
	done := make(chan int, 1)
	go func() {
		env := &Env{Stdin: tty, Stdout: io.Discard, Stderr: stderr, StdinTTY: true,
			Getenv: func(k string) string { return map[string]string{"XDG_CONFIG_HOME": dir}[k] }}
		done <- Run(t.Context(), []string{"config", "set", "--profile", "typed", "password", "-"}, env)
	}()
	// The password is typed once the prompt is there, as a person would.
	deadline := time.After(30 * time.Second) // reached only when the test fails
	for !strings.Contains(stderr.buf.String(), "(not echoed): ") {
		select {
		case b := <-stderr.ch:
			stderr.buf.Write(b)
		case <-deadline:
			t.Fatalf("no prompt: %q", stderr.buf.String())
		}
	}
	_, err := master.WriteString("hunter2-typed\n")
	require.NoError(t, err)
	select {
	case code := <-done:
		require.Equal(t, 0, code, stderr.buf.String())
	case <-deadline:
		t.Fatal("config set did not end")
	}
	// What the terminal shows: everything written to it, read until it is quiet.
	require.NoError(t, master.SetReadDeadline(time.Now().Add(200*time.Millisecond)))
	shown, _ := io.ReadAll(master)
	assert.NotContains(t, string(shown), "hunter2-typed")

	b, err := os.ReadFile(filepath.Join(dir, "connapi", "config.yaml"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "password: hunter2-typed")
}
