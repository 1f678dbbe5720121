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
		"openai          OpenAI, by OpenAI", "requires [api-key]",
		"setup api-key=***** organization=org-example", "organization=org-platform", "tested          ok",
		"example-openai  openai, METHOD_DICTIONARY", "12 pipelines: pipeline-01",
		"404 NOT_FOUND",
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
		"CONNAPI_PLATFORM":          "instill",
		"CONNAPI_BASE_URL":          srv.InstillURL(),
		"CONNAPI_TOKEN":             srv.Token(),
		"CONNAPI_INSTILL_NAMESPACE": connapitest.DefaultNamespace,
	}
	var out bytes.Buffer
	if err := run(context.Background(), &out, func(k string) string { return env[k] }); err != nil {
		t.Fatalf("run: %v\n%s", err, &out)
	}
	for _, want := range []string{"connection-003", "Pipelines that use connection-001", "12 pipelines"} {
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
		{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"},
		{"CONNAPI_PLATFORM": "instill", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"},
		{"CONNAPI_PLATFORM": "instill", "CONNAPI_BASE_URL": "ftp://x.example/", "CONNAPI_TOKEN": "t", "CONNAPI_INSTILL_NAMESPACE": "ns"},
	} {
		err := run(ctx, &bytes.Buffer{}, func(k string) string { return env[k] })
		if !errors.As(err, new(settingsError)) {
			t.Errorf("%v: got %v, want a settingsError", env, err)
		}
	}
}
