package connapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WithUserAgent refuses any control character, as the credential options do,
// not only a line break: a NUL or DEL failed every call inside net/http.
func TestUserAgentWithControlCharacterIsRefused(t *testing.T) {
	t.Parallel()
	for _, ua := range []string{"app\x00/1", "app\x7f/1", "app/1\x1b[31m", "app\r/1"} {
		_, err := NewClient(WithBaseURL("https://api.example.test/"), WithUserAgent(ua))
		require.Error(t, err, "%q", ua)
		assert.Contains(t, err.Error(), "WithUserAgent")
	}
	_, err := NewClient(WithBaseURL("https://api.example.test/"), WithUserAgent("app/1 (x; y)\tz"))
	require.NoError(t, err)
}
