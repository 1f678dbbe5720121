package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/examples/internal/exampletest"
)

func TestRunAgainstFake(t *testing.T) {
	t.Parallel()
	out := exampletest.Run(t, run, nil)
	exampletest.Contains(t, out,
		"(OAuth2 password grant)", "Documents/     directory", "README.md", "directories    6",
		"files          49,", "Archive/2024/q3-summary.pdf",
	)
}

func TestRunLive(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(2))
	t.Cleanup(srv.Close)
	out := exampletest.Run(t, run, map[string]string{
		"CONNAPI_PLATFORM": " StackAI ", // trimmed, any case
		"CONNAPI_BASE_URL": srv.StackAIURL(),
		"CONNAPI_TOKEN":    srv.Token(),
	})
	exampletest.Contains(t, out, "Seed connection 001")
	exampletest.OnlyReads(t, srv)
}

func TestBadSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"}, "talks to stackai"},
		{map[string]string{"CONNAPI_PLATFORM": "stackai", "CONNAPI_TOKEN": "t"}, "https://api.stack-ai.com/"},
		{map[string]string{"CONNAPI_PLATFORM": "stackai", "CONNAPI_BASE_URL": "https://x.example/"}, "CONNAPI_TOKEN is required"},
		{map[string]string{"CONNAPI_PLATFORM": "stackai", "CONNAPI_BASE_URL": "http://x.example/", "CONNAPI_TOKEN": "t"}, "plain http"},
	} {
		out, err := exampletest.BadSettings(t, run, tc.env, isSettingsError)
		if err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %q lacks %q", tc.env, err, tc.want)
		}
		if out != "" {
			t.Errorf("%v: printed %q", tc.env, out)
		}
	}
}

// isSettingsError reports whether err is this program's settings error, for which
// main exits with status 2.
func isSettingsError(err error) bool { return errors.As(err, new(settingsError)) }
