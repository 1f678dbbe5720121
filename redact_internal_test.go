package connapi

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/connapi/connapi-go/internal/redact"
)

// Printing a model hides the same query parameters as an error does.
func TestRedactionQueryKeysMatchErrors(t *testing.T) {
	t.Parallel()
	assert.Equal(t, sensitiveQueryKeys, redact.SensitiveQueryKeys)
}
