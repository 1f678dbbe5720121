// Package cli is the connapi command line: its commands, configuration,
// credentials, output and exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/term"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/cmd/connapi/internal/config"
)

// Exit codes, documented in `connapi --help` and the README.
const (
	ExitOK       = 0 // success
	ExitError    = 1 // any other error
	ExitUsage    = 2 // bad command line, flags, input, profile or configuration; nothing was sent
	ExitNotFound = 3 // the object does not exist
	ExitAuth     = 4 // the platform refused the credentials (401 or 403)
	ExitPartial  = 5 // some items of a bulk operation failed, or health found broken connections
	// An interrupted command exits 128 plus the signal's number: 130 for SIGINT
	// (Ctrl-C), 143 for SIGTERM.
	ExitInterrupted = 128 + 2
	ExitTerminated  = 128 + 15
)

const exitCodeHelp = `Exit codes:
  0  success (also a create whose get afterwards failed: the id is printed, a warning goes to stderr)
  1  error
  2  usage error: bad command, flag, argument, --body, profile or configuration (nothing is sent)
  3  not found
  4  authentication or permission failure (401, 403)
  5  partial failure: some items of a bulk delete, a cross-platform list or health failed, or health found broken connections
  130  interrupted (Ctrl-C, SIGINT); 143 terminated (SIGTERM): the requests in flight are cancelled`

// Env is what one run of connapi sees of the world.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// StdinTTY, StdoutTTY and StderrTTY say which streams are terminals.
	StdinTTY, StdoutTTY, StderrTTY bool
	// Getenv reads the environment.
	Getenv func(string) string
	// Keychain stores secrets; nil means the OS keychain.
	Keychain config.Keychain

	// progressNow shows progress bars at once (tests), not after progressDelay.
	progressNow bool
}

// Main runs connapi with the process's arguments, streams and environment until
// it ends or is interrupted, and returns its exit code.
func Main() int {
	ctx, stop := notifyContext(context.Background())
	defer stop()
	env := &Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		StdinTTY:  term.IsTerminal(int(os.Stdin.Fd())),  //nolint:gosec // a file descriptor fits in an int
		StdoutTTY: term.IsTerminal(int(os.Stdout.Fd())), //nolint:gosec // as above
		StderrTTY: term.IsTerminal(int(os.Stderr.Fd())), //nolint:gosec // as above
		Getenv:    os.Getenv,
	}
	return Run(ctx, os.Args[1:], env)
}

// Run runs connapi with args and returns its exit code. Errors are printed on
// env.Stderr, one line each.
func Run(ctx context.Context, args []string, env *Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Keychain == nil {
		env.Keychain = config.OSKeychain{}
	}
	// Every reader of standard input goes through one that remembers it was read
	// (--password-stdin must not take what --body - or - wanted, nor the reverse).
	e := *env
	stdin := &trackedReader{r: env.Stdin}
	e.Stdin = stdin
	a := &app{env: &e, stdin: stdin}
	defer a.close()
	root := a.rootCommand() //nolint:contextcheck // the commands take ctx from cobra (cmd.Context())
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	name := "connapi"
	if cmd != nil {
		name = cmd.CommandPath()
	}
	var sig *interrupted
	if errors.As(context.Cause(ctx), &sig) {
		// Whatever failed failed because the signal cancelled it: say so, and
		// nothing else (the command's error names a request, at best).
		_, _ = fmt.Fprintf(env.Stderr, "%s: interrupted (%s)\n", name, sig.sig)
		return sig.code()
	}
	code := exitCode(err)
	var pe *partialError
	if !errors.As(err, &pe) {
		_, _ = fmt.Fprintf(env.Stderr, "%s: %s\n", name, errorLine(err))
	}
	return code
}

// interrupted is the cause of the context of a run that a signal ended.
type interrupted struct{ sig os.Signal }

func (e *interrupted) Error() string { return "interrupted (" + e.sig.String() + ")" }

// code is the exit code of a run the signal ended: 128 plus its number.
func (e *interrupted) code() int {
	if s, ok := e.sig.(syscall.Signal); ok && s > 0 && s < 128 {
		return 128 + int(s)
	}
	return ExitInterrupted
}

// notifyContext returns a context that SIGINT or SIGTERM cancels, with an
// *interrupted as its cause, so that the run stops its requests and exits with
// the signal's code. After the first signal the default handling is back: a
// second Ctrl-C ends the process at once. stop releases the signals.
func notifyContext(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			signal.Stop(ch)
			cancel(&interrupted{sig: sig})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// usageError is a mistake in the command line or the input: exit code 2, and
// nothing was sent.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// partialError ends a bulk operation or a health check some of whose items
// failed; they were reported already, one line each.
type partialError struct{ code int }

func (e *partialError) Error() string { return "some items failed" }

// exitCode maps an error to the exit code documented in exitCodeHelp.
func exitCode(err error) int {
	var pe *partialError
	var ue *usageError
	var ce *config.UsageError
	switch {
	case errors.As(err, &pe):
		return pe.code
	case errors.As(err, &ue), errors.As(err, &ce),
		errors.Is(err, connapi.ErrInvalidParams), isWrongPlatform(err):
		return ExitUsage
	case errors.Is(err, connapi.ErrNotFound):
		return ExitNotFound
	case errors.Is(err, connapi.ErrUnauthorized), errors.Is(err, connapi.ErrForbidden), refusedLogin(err):
		return ExitAuth
	}
	return ExitError
}

// refusedLogin reports a login refused by an OAuth2 or GoTrue token endpoint,
// which answers bad credentials with 400 and an RFC 6749 §5.2 code.
func refusedLogin(err error) bool {
	var ae *connapi.APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.Code {
	case "invalid_grant", "invalid_client", "unauthorized_client":
		return true
	}
	return false
}

// errorLine is err on one line, without the SDK's own "connapi: " prefix (the
// command's name stands before it).
func errorLine(err error) string {
	s := strings.TrimPrefix(err.Error(), "connapi: ")
	return strings.Join(strings.Fields(s), " ")
}
