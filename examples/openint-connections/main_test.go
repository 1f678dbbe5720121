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
		"Create         conn_00000004", `conn_00000005 "Support Slack" (slack, config ccfg_slack_01`,
		`metadata {"stage":"won","team":"sales"}`, "conn_00000004  hubspot       cus_42",
		"conn_00000005 is healthy", "1 pipeline(s)", "conn_00000005  deleted, now not found",
	)
}

func TestRunLive(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(3))
	t.Cleanup(srv.Close)
	out := demotest.Run(t, run, map[string]string{
		"CONNAPI_PLATFORM": "openint",
		"CONNAPI_BASE_URL": srv.OpenIntURL(),
		"CONNAPI_API_KEY":  srv.APIKey(),
	})
	demotest.Contains(t, out, "conn_00000003", "Get conn_00000001", "github.svg")
	demotest.OnlyReads(t, srv)
}

func TestBadSettings(t *testing.T) {
	t.Parallel()
	for _, env := range []map[string]string{
		{"CONNAPI_PLATFORM": "instill", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"},
		{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": "https://x.example/v0/"},
		{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": "http://x.example/v0/", "CONNAPI_API_KEY": "k"},
	} {
		_, _ = demotest.BadSettings(t, run, env)
	}
}
