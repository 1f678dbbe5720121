package connapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	connapi "github.com/connapi/connapi-go"
)

// A platform's short name is the word CONNAPI_PLATFORM and the connapi command
// line use; JSON and YAML carry it through MarshalText and UnmarshalText.
func TestPlatformShortNames(t *testing.T) {
	t.Parallel()
	for name, p := range map[string]connapi.Platform{
		"stackai": connapi.PlatformStackAI, "pipeshub": connapi.PlatformPipesHub,
		"instill": connapi.PlatformInstill, "openint": connapi.PlatformOpenInt,
	} {
		b, err := p.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, name, string(b))
		got, err := connapi.ParsePlatform(" " + name + " ")
		require.NoError(t, err)
		assert.Equal(t, p, got)
		got, err = connapi.ParsePlatform(strings.ToUpper(name[:1]) + name[1:]) // case is ignored
		require.NoError(t, err)
		assert.Equal(t, p, got)

		js, err := json.Marshal(struct{ P connapi.Platform }{p})
		require.NoError(t, err)
		assert.JSONEq(t, `{"P": "`+name+`"}`, string(js))
		var back struct{ P connapi.Platform }
		require.NoError(t, json.Unmarshal(js, &back))
		assert.Equal(t, p, back.P)
	}
	got, err := connapi.ParsePlatform("STACKAI")
	require.NoError(t, err)
	assert.Equal(t, connapi.PlatformStackAI, got)

	// The zero value is the empty name, both ways.
	b, err := connapi.PlatformUnknown.MarshalText()
	require.NoError(t, err)
	assert.Empty(t, b)
	p := connapi.PlatformOpenInt
	require.NoError(t, p.UnmarshalText(nil))
	assert.Equal(t, connapi.PlatformUnknown, p)

	for _, bad := range []string{"gitlab", "Stack AI", "stack-ai", "unknown"} {
		_, err := connapi.ParsePlatform(bad)
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "use stackai, pipeshub, instill or openint")
		assert.ErrorIs(t, err, connapi.ErrInvalidParams)
		p := connapi.PlatformOpenInt
		require.Error(t, p.UnmarshalText([]byte(bad)))
		assert.Equal(t, connapi.PlatformOpenInt, p, "a failed UnmarshalText leaves the value")
	}
	_, err = connapi.ParsePlatform("")
	require.Error(t, err, "ParsePlatform wants a platform")
	_, err = connapi.Platform(9).MarshalText()
	require.Error(t, err)
}
