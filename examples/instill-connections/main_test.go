package main

import (
	"testing"

	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/examples/internal/demo/demotest"
)

func TestRunAgainstFake(t *testing.T) {
	t.Parallel()
	out := demotest.Run(t, run, nil)
	demotest.Contains(t, out,
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
	out := demotest.Run(t, run, map[string]string{
		"CONNAPI_PLATFORM":          "instill",
		"CONNAPI_BASE_URL":          srv.InstillURL(),
		"CONNAPI_TOKEN":             srv.Token(),
		"CONNAPI_INSTILL_NAMESPACE": connapitest.DefaultNamespace,
	})
	demotest.Contains(t, out, "connection-003", "Pipelines that use connection-001", "12 pipelines")
	demotest.OnlyReads(t, srv)
}

func TestBadSettings(t *testing.T) {
	t.Parallel()
	for _, env := range []map[string]string{
		{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"},
		{"CONNAPI_PLATFORM": "instill", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"},
		{"CONNAPI_PLATFORM": "instill", "CONNAPI_BASE_URL": "ftp://x.example/", "CONNAPI_TOKEN": "t", "CONNAPI_INSTILL_NAMESPACE": "ns"},
	} {
		_, _ = demotest.BadSettings(t, run, env)
	}
}
