package demo_test

import (
	"errors"
	"testing"

	"github.com/connapi/connapi-go/examples/internal/demo"
	"github.com/connapi/connapi-go/examples/internal/demo/demotest"
)

func TestLiveClient(t *testing.T) {
	t.Parallel()
	const url = "https://x.example/"
	for _, tc := range []struct {
		platform string
		env      map[string]string
		want     string // "nil", "client" or "settings"
	}{
		{"stackai", nil, "nil"},
		{"stackai", map[string]string{"CONNAPI_PLATFORM": " StackAI ", "CONNAPI_BASE_URL": url, "CONNAPI_TOKEN": "t"}, "client"},
		{"stackai", map[string]string{"CONNAPI_PLATFORM": "pipeshub", "CONNAPI_BASE_URL": url, "CONNAPI_TOKEN": "t"}, "settings"},
		{"stackai", map[string]string{"CONNAPI_PLATFORM": "stackai", "CONNAPI_BASE_URL": url, "CONNAPI_API_KEY": "k"}, "settings"},
		{"openint", map[string]string{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": url, "CONNAPI_API_KEY": "k"}, "client"},
		{"openint", map[string]string{"CONNAPI_PLATFORM": "openint", "CONNAPI_BASE_URL": url, "CONNAPI_TOKEN": "t"}, "client"},
		{"instill", map[string]string{"CONNAPI_PLATFORM": "instill", "CONNAPI_BASE_URL": url, "CONNAPI_TOKEN": "t"}, "settings"},
		{"instill", map[string]string{"CONNAPI_PLATFORM": "instill", "CONNAPI_BASE_URL": url, "CONNAPI_TOKEN": "t", "CONNAPI_INSTILL_NAMESPACE": "ns"}, "client"},
		{"pipeshub", map[string]string{"CONNAPI_PLATFORM": "pipeshub", "CONNAPI_TOKEN": "t"}, "settings"},
	} {
		c, err := demo.LiveClient(demotest.Env(tc.env), tc.platform)
		got := "client"
		switch {
		case errors.As(err, new(demo.SettingsError)):
			got = "settings"
		case err != nil:
			got = err.Error()
		case c == nil:
			got = "nil"
		}
		if got != tc.want {
			t.Errorf("%s %v: got %s, want %s", tc.platform, tc.env, got, tc.want)
		}
	}
}
