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
		"(OAuth2 password grant)", "Documents/     directory", "README.md", "directories    6",
		"files          49,", "Archive/2024/q3-summary.pdf",
	)
}

func TestRunLive(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(2))
	t.Cleanup(srv.Close)
	out := demotest.Run(t, run, map[string]string{
		"CONNAPI_PLATFORM": "stackai",
		"CONNAPI_BASE_URL": srv.StackAIURL(),
		"CONNAPI_TOKEN":    srv.Token(),
	})
	demotest.Contains(t, out, "Seed connection 001")
	demotest.OnlyReads(t, srv)
}

func TestBadSettings(t *testing.T) {
	t.Parallel()
	for _, env := range []map[string]string{
		{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"},
		{"CONNAPI_PLATFORM": "stackai", "CONNAPI_TOKEN": "t"},
		{"CONNAPI_PLATFORM": "stackai", "CONNAPI_BASE_URL": "http://x.example/", "CONNAPI_TOKEN": "t"},
	} {
		_, _ = demotest.BadSettings(t, run, env)
	}
}
