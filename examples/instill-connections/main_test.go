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
		"openai          OpenAI, by OpenAI", "requires [api-key]",
		"setup api-key=***** organization=org-example", "organization=org-platform", "tested          ok",
		"example-openai  openai, METHOD_DICTIONARY", "12 pipelines: pipeline-01",
		"404 NOT_FOUND",
	)
}

func TestRunLive(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(3))
	t.Cleanup(srv.Close)
	out := exampletest.Run(t, run, map[string]string{
		"CONNAPI_PLATFORM":          "instill",
		"CONNAPI_BASE_URL":          srv.InstillURL(),
		"CONNAPI_TOKEN":             srv.Token(),
		"CONNAPI_INSTILL_NAMESPACE": connapitest.DefaultNamespace,
	})
	exampletest.Contains(t, out, "connection-003", "Pipelines that use connection-001", "12 pipelines")
	exampletest.OnlyReads(t, srv)
}

func TestBadSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"}, "talks to instill"},
		{map[string]string{"CONNAPI_PLATFORM": "instill", "CONNAPI_TOKEN": "t", "CONNAPI_INSTILL_NAMESPACE": "ns"}, "https://api.instill-ai.com/"},
		{map[string]string{"CONNAPI_PLATFORM": "instill", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_INSTILL_NAMESPACE": "ns"}, "CONNAPI_TOKEN is required"},
		{map[string]string{"CONNAPI_PLATFORM": "instill", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"}, "CONNAPI_INSTILL_NAMESPACE"},
		{map[string]string{"CONNAPI_PLATFORM": "instill", "CONNAPI_BASE_URL": "ftp://x.example/", "CONNAPI_TOKEN": "t", "CONNAPI_INSTILL_NAMESPACE": "ns"}, "http or https"},
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
