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
		"(OAuth2 password grant)", "Documents/     directory", "README.md", "directories    6",
		"files          49,", "Archive/2024/q3-summary.pdf",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
	}
}

func TestRunLive(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(2))
	t.Cleanup(srv.Close)
	env := map[string]string{
		"CONNAPI_PLATFORM": "stackai",
		"CONNAPI_BASE_URL": srv.StackAIURL(),
		"CONNAPI_TOKEN":    srv.Token(),
	}
	var out bytes.Buffer
	if err := run(context.Background(), &out, func(k string) string { return env[k] }); err != nil {
		t.Fatalf("run: %v\n%s", err, &out)
	}
	if !strings.Contains(out.String(), "Seed connection 001") {
		t.Errorf("output lacks the first connection:\n%s", &out)
	}
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("sent %s %s; the example must only read", r.Method, r.Path)
		}
	}
}

func TestBadSettings(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // any network attempt would fail with context.Canceled instead
	for _, env := range []map[string]string{
		{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"},
		{"CONNAPI_PLATFORM": "stackai", "CONNAPI_TOKEN": "t"},
		{"CONNAPI_PLATFORM": "stackai", "CONNAPI_BASE_URL": "http://x.example/", "CONNAPI_TOKEN": "t"},
	} {
		err := run(ctx, &bytes.Buffer{}, func(k string) string { return env[k] })
		if !errors.As(err, new(settingsError)) {
			t.Errorf("%v: got %v, want a settingsError", env, err)
		}
	}
}
