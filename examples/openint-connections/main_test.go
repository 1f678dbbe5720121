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
		"Create         conn_00000004", `conn_00000005 "Support Slack" (slack, config ccfg_slack_01`,
		`metadata {"stage":"won","team":"sales"}`, "conn_00000004  hubspot       cus_42",
		"conn_00000005 is healthy", "1 pipeline(s)", "conn_00000005  deleted, now not found",
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
		"CONNAPI_PLATFORM": "openint",
		"CONNAPI_BASE_URL": srv.OpenIntURL(),
		"CONNAPI_API_KEY":  srv.APIKey(),
	}
	var out bytes.Buffer
	if err := run(context.Background(), &out, func(k string) string { return env[k] }); err != nil {
		t.Fatalf("run: %v\n%s", err, &out)
	}
	for _, want := range []string{"conn_00000003", "Get conn_00000001", "github.svg"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
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
		{"CONNAPI_PLATFORM": "instill", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"},
		{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": "https://x.example/v0/"},
		{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": "http://x.example/v0/", "CONNAPI_API_KEY": "k"},
	} {
		err := run(ctx, &bytes.Buffer{}, func(k string) string { return env[k] })
		if !errors.As(err, new(settingsError)) {
			t.Errorf("%v: got %v, want a settingsError", env, err)
		}
	}
}
