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
		"configured   isConfigured=true  isAuthenticated=false isActive=false",
		"authorized   isConfigured=true  isAuthenticated=true  isActive=false",
		"sync on      isConfigured=true  isAuthenticated=true  isActive=true",
		"202 Accepted (accepted=true)",
		"Slack        OAUTH, BEARER_TOKEN",
		"Seed connector 005", "total        5",
	)
}

func TestRunLive(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(3))
	t.Cleanup(srv.Close)
	out := exampletest.Run(t, run, map[string]string{
		"CONNAPI_PLATFORM": "pipeshub",
		"CONNAPI_BASE_URL": srv.PipesHubURL(),
		"CONNAPI_TOKEN":    srv.Token(),
	})
	exampletest.Contains(t, out, "total        3")
	exampletest.OnlyReads(t, srv)
}

func TestBadSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"CONNAPI_PLATFORM": "stackai", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"}, "talks to pipeshub"},
		{map[string]string{"CONNAPI_PLATFORM": "pipeshub", "CONNAPI_TOKEN": "t"}, "https://app.pipeshub.com/api/v1/"},
		{map[string]string{"CONNAPI_PLATFORM": "pipeshub", "CONNAPI_BASE_URL": "https://x.example/api/v1/"}, "CONNAPI_TOKEN is required"},
		{map[string]string{"CONNAPI_PLATFORM": "pipeshub", "CONNAPI_BASE_URL": "http://x.example/api/v1/", "CONNAPI_TOKEN": "t"}, "plain http"},
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
