package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/cmd/connapi/internal/config"
)

func TestExitCode(t *testing.T) {
	t.Parallel()
	api := func(status int) error { return fmt.Errorf("wrapped: %w", &connapi.APIError{StatusCode: status}) }
	for _, tc := range []struct {
		err  error
		want int
	}{
		{errors.New("boom"), ExitError},
		{api(http.StatusInternalServerError), ExitError},
		{api(http.StatusConflict), ExitError},
		{context.Canceled, ExitError},
		{usagef("bad flag"), ExitUsage},
		{&config.UsageError{Msg: "chmod 600"}, ExitUsage},
		{fmt.Errorf("x: %w", connapi.ErrInvalidParams), ExitUsage},
		{&connapi.WrongPlatformError{Operation: "Connections.List", OperationPlatform: connapi.PlatformStackAI, ClientPlatform: connapi.PlatformOpenInt}, ExitUsage},
		{api(http.StatusNotFound), ExitNotFound},
		{api(http.StatusUnauthorized), ExitAuth},
		{api(http.StatusForbidden), ExitAuth},
		// A login refused at the token endpoint (RFC 6749 §5.2 answers 400).
		{fmt.Errorf("obtaining token: %w", &connapi.APIError{StatusCode: http.StatusBadRequest, Code: "invalid_grant"}), ExitAuth},
		{&connapi.APIError{StatusCode: http.StatusBadRequest, Code: "invalid_client"}, ExitAuth},
		{&connapi.APIError{StatusCode: http.StatusBadRequest, Code: "VALIDATION"}, ExitError},
		{&partialError{code: ExitPartial}, ExitPartial},
		{&partialError{code: ExitNotFound}, ExitNotFound},
	} {
		assert.Equal(t, tc.want, exitCode(tc.err), "%v", tc.err)
	}
}

// A run whose context a signal cancelled exits 128 plus the signal's number and
// says only that it was interrupted.
func TestRunInterrupted(t *testing.T) {
	t.Parallel()
	for sig, want := range map[os.Signal]int{os.Interrupt: ExitInterrupted, syscall.SIGTERM: ExitTerminated} {
		ctx, cancel := context.WithCancelCause(t.Context())
		cancel(&interrupted{sig: sig})
		var stdout, stderr bytes.Buffer
		code := Run(ctx, []string{"--fake", "openint", "connections", "list", "-o", "json"}, &Env{Stdout: &stdout, Stderr: &stderr})
		assert.Equal(t, want, code, "%v: %s", sig, stderr.String())
		assert.Equal(t, "connapi openint connections list: interrupted ("+sig.String()+")\n", stderr.String())
	}
	// A run that ends well before it notices the signal exits 0.
	ctx, cancel := context.WithCancelCause(t.Context())
	cancel(&interrupted{sig: os.Interrupt})
	var stdout, stderr bytes.Buffer
	assert.Equal(t, ExitOK, Run(ctx, []string{"--version"}, &Env{Stdout: &stdout, Stderr: &stderr}))
}
