package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/connapi/connapi-go/connapitest"
)

// envOf returns an env lookup over m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestRunAgainstFake(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), &out, envOf(nil)); err != nil {
		t.Fatalf("run: %v\n%s", err, &out)
	}
	for _, want := range []string{
		"\nStack AI\n", "signed in", "3 connections, 2 per page", "connected \"Marketing Drive\"",
		"7 at the root", "has [editor]",
		"\nPipesHub\n", "isConfigured=true isAuthenticated=true isActive=true", "202 DELETING",
		"\nInstill AI\n", "tested          ok", "deleted         quickstart-openai",
		"\nOpenInt\n", `{"stage":"won","team":"sales"}`, "(2 attempts: survived an injected 429)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
	}
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
		var out bytes.Buffer
		if err := run(context.Background(), &out, envOf(env)); err != nil {
			t.Fatalf("%s: run: %v\n%s", tc.platform, err, &out)
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("%s: output lacks %q:\n%s", tc.platform, tc.want, &out)
		}
	}
	reqs := srv.Requests()
	if len(reqs) == 0 {
		t.Fatal("no request reached the server")
	}
	for _, r := range reqs {
		if r.Method != http.MethodGet {
			t.Errorf("read-only run sent %s %s", r.Method, r.Path)
		}
	}
}

func TestBadSettings(t *testing.T) {
	t.Parallel()
	// A cancelled context: any attempt to reach the network would fail with
	// context.Canceled, not with a settingsError.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, tc := range map[string]struct {
		env  map[string]string
		want string
	}{
		"unknown platform": {map[string]string{"CONNAPI_PLATFORM": "zapier", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"}, "unknown CONNAPI_PLATFORM"},
		"no platform":      {map[string]string{"CONNAPI_TOKEN": "t"}, "CONNAPI_PLATFORM is not"},
		"no base URL":      {map[string]string{"CONNAPI_PLATFORM": "stackai", "CONNAPI_TOKEN": "t"}, "https://api.stack-ai.com/"},
		"no token":         {map[string]string{"CONNAPI_PLATFORM": "pipeshub", "CONNAPI_BASE_URL": "https://x.example/"}, "CONNAPI_TOKEN is required"},
		"no openint key":   {map[string]string{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": "https://x.example/"}, "CONNAPI_API_KEY"},
		"no namespace":     {map[string]string{"CONNAPI_PLATFORM": "instill", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"}, "CONNAPI_INSTILL_NAMESPACE"},
		"bad scheme":       {map[string]string{"CONNAPI_PLATFORM": "stackai", "CONNAPI_BASE_URL": "ftp://x.example/", "CONNAPI_TOKEN": "t"}, "http or https"},
		"plain http":       {map[string]string{"CONNAPI_PLATFORM": "stackai", "CONNAPI_BASE_URL": "http://x.example/", "CONNAPI_TOKEN": "t"}, "plain http"},
	} {
		var out bytes.Buffer
		err := run(ctx, &out, envOf(tc.env))
		var se settingsError
		if !errors.As(err, &se) {
			t.Errorf("%s: got %v, want a settingsError", name, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q lacks %q", name, err, tc.want)
		}
		if out.Len() != 0 {
			t.Errorf("%s: printed %q", name, &out)
		}
	}
}
