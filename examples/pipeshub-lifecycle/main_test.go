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

func TestRunAgainstFake(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), &out, func(string) string { return "" }); err != nil {
		t.Fatalf("run: %v\n%s", err, &out)
	}
	for _, want := range []string{
		"configured   isConfigured=true  isAuthenticated=false isActive=false",
		"authorized   isConfigured=true  isAuthenticated=true  isActive=false",
		"sync on      isConfigured=true  isAuthenticated=true  isActive=true",
		"202 DELETING (accepted=true)",
		"Slack        OAUTH, BEARER_TOKEN",
		"Seed connector 005", "total        5",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
	}
}

func TestRunLive(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(3))
	t.Cleanup(srv.Close)
	env := map[string]string{
		"CONNAPI_PLATFORM": "pipeshub",
		"CONNAPI_BASE_URL": srv.PipesHubURL(),
		"CONNAPI_TOKEN":    srv.Token(),
	}
	var out bytes.Buffer
	if err := run(context.Background(), &out, func(k string) string { return env[k] }); err != nil {
		t.Fatalf("run: %v\n%s", err, &out)
	}
	if !strings.Contains(out.String(), "total        3") {
		t.Errorf("output lacks the seeded instances:\n%s", &out)
	}
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("sent %s %s; against a real platform the example must only read", r.Method, r.Path)
		}
	}
}

func TestBadSettings(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // any network attempt would fail with context.Canceled instead
	for _, env := range []map[string]string{
		{"CONNAPI_PLATFORM": "stackai", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"},
		{"CONNAPI_PLATFORM": "pipeshub", "CONNAPI_BASE_URL": "https://x.example/api/v1/"},
		{"CONNAPI_PLATFORM": "pipeshub", "CONNAPI_BASE_URL": "http://x.example/api/v1/", "CONNAPI_TOKEN": "t"},
	} {
		err := run(ctx, &bytes.Buffer{}, func(k string) string { return env[k] })
		if !errors.As(err, new(settingsError)) {
			t.Errorf("%v: got %v, want a settingsError", env, err)
		}
	}
}
