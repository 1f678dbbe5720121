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
		"configured   isConfigured=true  isAuthenticated=false isActive=false",
		"authorized   isConfigured=true  isAuthenticated=true  isActive=false",
		"sync on      isConfigured=true  isAuthenticated=true  isActive=true",
		"202 DELETING (accepted=true)",
		"Slack        OAUTH, BEARER_TOKEN",
		"Seed connector 005", "total        5",
	)
}

func TestRunLive(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(3))
	t.Cleanup(srv.Close)
	out := demotest.Run(t, run, map[string]string{
		"CONNAPI_PLATFORM": "pipeshub",
		"CONNAPI_BASE_URL": srv.PipesHubURL(),
		"CONNAPI_TOKEN":    srv.Token(),
	})
	demotest.Contains(t, out, "total        3")
	demotest.OnlyReads(t, srv)
}

func TestBadSettings(t *testing.T) {
	t.Parallel()
	for _, env := range []map[string]string{
		{"CONNAPI_PLATFORM": "stackai", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"},
		{"CONNAPI_PLATFORM": "pipeshub", "CONNAPI_BASE_URL": "https://x.example/api/v1/"},
		{"CONNAPI_PLATFORM": "pipeshub", "CONNAPI_BASE_URL": "http://x.example/api/v1/", "CONNAPI_TOKEN": "t"},
	} {
		_, _ = demotest.BadSettings(t, run, env)
	}
}
