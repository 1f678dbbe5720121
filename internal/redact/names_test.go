package redact

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSecretName(t *testing.T) {
	t.Parallel()
	for _, name := range []string{
		"password", "userPassword", "passwd", "passphrase", "clientSecret", "client_secret", "CLIENT-SECRET",
		"token", "accessToken", "refresh_token", "id_token", "apiToken", "apiKey", "api-key", "privateKey",
		"private_key", "accessKeyId", "secretAccessKey", "key", "_key", "credentials", "serviceAccountCredential",
		"authorization", "Cookie", "signature", "code", "pat", "oauth", "otp", "pin", "dsn", "jwt", "connectionString",
		"tokenUrl",
	} {
		assert.True(t, SecretName(name), "%s names a secret", name)
	}
	for _, name := range []string{
		"status", "isLocked", "supportedAuthTypes", "authType", "tokenType", "token_type", "keyType", "name",
		"connectorId", "instanceName", "scope", "isActive", "documentationLinks", "isAdminAccessRequired",
		"isAgentActive", "appGroup", "keywords", "clientId", "email", "domain", "baseUrl", "auth", "values",
		"selectedStrategy", "timezone", "events", "folders", "oauthConfigId", "",
	} {
		assert.False(t, SecretName(name), "%s names no secret", name)
	}
}

type named struct {
	Raw   json.RawMessage
	Wire  map[string]json.RawMessage
	Any   map[string]any
	Opt   optional[map[string]any]
	Plain string
}

var _ = Register(map[reflect.Type]map[string]Kind{
	reflect.TypeFor[named](): {"Raw": Names, "Wire": Names, "Any": Names, "Opt": Names},
})

func TestNamesHidesSecretMembersOnly(t *testing.T) {
	t.Parallel()
	orig := named{
		Raw: json.RawMessage(`{"status":"ACTIVE","isLocked":true,"supportedAuthTypes":["OAUTH"],"count":3,"clientSecret":"s1",
			"auth":{"authType":"OAUTH","values":{"domain":"s2","flag":false},"customValues":{"x":"s3"},"nested":{"values":{"ok":"shown-1"}}},
			"sync":{"webhookConfig":{"webhookUrl":"https://hooks.example.com/services/s4","events":["a"]},"values":{"batch":10}},
			"items":[{"apiKey":"s5","label":"shown-2"}],"tokenUrl":"https://auth.example.com/oauth/token?key=s6",
			"credentials":{"access_token":"s7","expires":3600,"valid":true},"html":"<a&b>","private_key":null}`),
		Wire: map[string]json.RawMessage{"status": json.RawMessage(`"DELETING"`), "isLocked": json.RawMessage(`false`),
			"password": json.RawMessage(`"s8"`), "meta": json.RawMessage(`{"refreshToken":"s9","by":"shown-3"}`), "bad": json.RawMessage(`{`)},
		Any:   map[string]any{"status": "ok", "token": "s10", "typed": map[string]string{"secret": "s11", "plain": "shown-4"}, "n": 2, "ch": make(chan int)},
		Opt:   optional[map[string]any]{v: map[string]any{"apiKey": "s12", "status": "shown-5"}, set: true},
		Plain: "p",
	}
	before, err := json.Marshal(orig.Raw)
	require.NoError(t, err)

	got := Copy(orig).(named)
	assert.JSONEq(t, `{"status":"ACTIVE","isLocked":true,"supportedAuthTypes":["OAUTH"],"count":3,"clientSecret":"[REDACTED]",
		"auth":{"authType":"OAUTH","values":{"domain":"[REDACTED]","flag":false},"customValues":{"x":"[REDACTED]"},"nested":{"values":{"ok":"shown-1"}}},
		"sync":{"webhookConfig":{"webhookUrl":"https://hooks.example.com/[REDACTED]","events":["a"]},"values":{"batch":10}},
		"items":[{"apiKey":"[REDACTED]","label":"shown-2"}],"tokenUrl":"https://auth.example.com/oauth/token?key=[REDACTED]",
		"credentials":{"access_token":"[REDACTED]","expires":"[REDACTED]","valid":true},"html":"<a&b>","private_key":null}`, string(got.Raw))
	assert.Contains(t, string(got.Raw), `"<a&b>"`, "no HTML escaping in what is printed")
	assert.Equal(t, `"DELETING"`, string(got.Wire["status"]))
	assert.Equal(t, `false`, string(got.Wire["isLocked"]))
	assert.Equal(t, `"[REDACTED]"`, string(got.Wire["password"]))
	assert.JSONEq(t, `{"refreshToken":"[REDACTED]","by":"shown-3"}`, string(got.Wire["meta"]))
	assert.Equal(t, `"[REDACTED]"`, string(got.Wire["bad"]), "JSON that does not parse is hidden whole")
	assert.Equal(t, "ok", got.Any["status"])
	assert.Equal(t, Mark, got.Any["token"])
	assert.Equal(t, map[string]any{"secret": Mark, "plain": "shown-4"}, got.Any["typed"], "Go values are seen by their JSON names")
	assert.Equal(t, json.Number("2"), got.Any["n"])
	assert.Equal(t, Mark, got.Any["ch"], "a value JSON cannot encode is hidden")
	opt, ok := got.Opt.Get()
	require.True(t, ok)
	assert.Equal(t, map[string]any{"apiKey": Mark, "status": "shown-5"}, opt)

	after, err := json.Marshal(orig.Raw)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the original is left as it was")
	assert.Equal(t, `"s8"`, string(orig.Wire["password"]))
	assert.Equal(t, "s10", orig.Any["token"])

	out := fmt.Sprintf("%+v %#v", got, got)
	for i := 1; i <= 12; i++ {
		assert.NotRegexp(t, fmt.Sprintf(`\bs%d\b`, i), out)
	}
}

func TestNamesEdgeCases(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		``:                    ``,
		`null`:                `null`,
		`  null `:             `  null `,
		`"bare-string"`:       `"[REDACTED]"`,
		`42`:                  `"[REDACTED]"`,
		`true`:                `"[REDACTED]"`,
		`{"a":1} {}`:          `"[REDACTED]"`,
		`not json`:            `"[REDACTED]"`,
		`[{"token":"t"},"x"]`: `[{"token":"[REDACTED]"},"x"]`,
		`{}`:                  `{}`,
	} {
		got := Copy(named{Raw: json.RawMessage(in)}).(named)
		assert.Equal(t, want, string(got.Raw), "input %q", in)
	}
	var nilMaps named
	got := Copy(nilMaps).(named)
	assert.Nil(t, got.Wire)
	assert.Nil(t, got.Any)
	_, ok := got.Opt.Get()
	assert.False(t, ok)
}
