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
		"Create         conn_00000004", `conn_00000005 "Support Slack" (slack, config ccfg_slack_01`,
		`metadata {"stage":"won","team":"sales"}`, "conn_00000004  hubspot       cus_42",
		"conn_00000005 is healthy", "1 pipeline(s)", "conn_00000005  deleted, now not found",
	)
}

func TestRunLive(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(3))
	t.Cleanup(srv.Close)
	out := exampletest.Run(t, run, map[string]string{
		"CONNAPI_PLATFORM": "openint",
		"CONNAPI_BASE_URL": srv.OpenIntURL(),
		"CONNAPI_API_KEY":  srv.APIKey(),
	})
	exampletest.Contains(t, out, "conn_00000003", "Get conn_00000001", "github.svg")
	exampletest.OnlyReads(t, srv)
}

func TestBadSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"CONNAPI_PLATFORM": "instill", "CONNAPI_BASE_URL": "https://x.example/", "CONNAPI_TOKEN": "t"}, "talks to openint"},
		{map[string]string{"CONNAPI_PLATFORM": "openint", "CONNAPI_API_KEY": "k"}, "https://api.openint.dev/v0/"},
		{map[string]string{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": "https://x.example/v0/"}, "CONNAPI_API_KEY or CONNAPI_TOKEN"},
		{map[string]string{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": "http://x.example/v0/", "CONNAPI_API_KEY": "k"}, "plain http"},
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
