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
		"\nStack AI\n", "signed in", "3 connections, 2 per page", "connected \"Marketing Drive\"",
		"7 at the root", "has [editor]",
		"\nPipesHub\n", "isConfigured=true isAuthenticated=true isActive=true", "202 Accepted",
		"\nInstill AI\n", "tested          ok", "deleted         quickstart-openai",
		"\nOpenInt\n", `{"stage":"won","team":"sales"}`, "(2 attempts: survived an injected 429)",
	)
}

// TestRunLive runs the read-only part through the environment, against
// connapitest, and checks that it only reads.
func TestRunLive(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(3))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		platform, baseURL, want string
		extra                   map[string]string
	}{
		{"stackai", srv.StackAIURL(), "Seed connection 003", map[string]string{"CONNAPI_TOKEN": srv.Token()}},
		{"pipeshub", srv.PipesHubURL(), "Seed connector 003", map[string]string{"CONNAPI_TOKEN": srv.Token()}},
		{"instill", srv.InstillURL(), "connection-003", map[string]string{
			"CONNAPI_TOKEN": srv.Token(), "CONNAPI_INSTILL_NAMESPACE": connapitest.DefaultNamespace}},
		{"openint", srv.OpenIntURL(), "conn_00000003", map[string]string{"CONNAPI_API_KEY": srv.APIKey()}},
	} {
		env := map[string]string{"CONNAPI_PLATFORM": tc.platform, "CONNAPI_BASE_URL": tc.baseURL}
		for k, v := range tc.extra {
			env[k] = v
		}
		exampletest.Contains(t, exampletest.Run(t, run, env), tc.want)
	}
	exampletest.OnlyReads(t, srv)
}

func TestBadSettings(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		env  map[string]string
		want string
	}{
		"unknown platform":       {map[string]string{"CONNAPI_PLATFORM": "zapier", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"}, "unknown CONNAPI_PLATFORM"},
		"no platform":            {map[string]string{"CONNAPI_TOKEN": "t"}, "CONNAPI_PLATFORM is not"},
		"no base URL":            {map[string]string{"CONNAPI_PLATFORM": "stackai", "CONNAPI_TOKEN": "t"}, "https://api.stack-ai.com/"},
		"no token":               {map[string]string{"CONNAPI_PLATFORM": "pipeshub", "CONNAPI_BASE_URL": "https://x.example/"}, "CONNAPI_TOKEN is required"},
		"no openint key":         {map[string]string{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": "https://x.example/"}, "CONNAPI_API_KEY"},
		"no namespace":           {map[string]string{"CONNAPI_PLATFORM": "instill", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"}, "CONNAPI_INSTILL_NAMESPACE"},
		"bad scheme":             {map[string]string{"CONNAPI_PLATFORM": "stackai", "CONNAPI_BASE_URL": "ftp://x.example/", "CONNAPI_TOKEN": "t"}, "http or https"},
		"plain http":             {map[string]string{"CONNAPI_PLATFORM": "stackai", "CONNAPI_BASE_URL": "http://x.example/", "CONNAPI_TOKEN": "t"}, "plain http"},
		"another platform's URL": {map[string]string{"CONNAPI_PLATFORM": "pipeshub", "CONNAPI_BASE_URL": "https://api.openint.dev/v0/", "CONNAPI_TOKEN": "t"}, "contradicts"},
	} {
		out, err := exampletest.BadSettings(t, run, tc.env, isSettingsError)
		if err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q lacks %q", name, err, tc.want)
		}
		if out != "" {
			t.Errorf("%s: printed %q", name, out)
		}
	}
}

// isSettingsError reports whether err is this program's settings error, for which
// main exits with status 2.
func isSettingsError(err error) bool { return errors.As(err, new(settingsError)) }
