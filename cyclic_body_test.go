package connapi

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/connapi/connapi-go/models"
)

// A configuration map that holds itself gets encoding/json's error and no
// request, through the hand-written Create body as through every other; it
// crashed the process with a stack overflow.
func TestCreateWithACyclicConfigSendsNothing(t *testing.T) {
	t.Parallel()
	c, n := noRequestClient(t)
	values := map[string]any{"tenant": "a"}
	values["self"] = values
	_, _, err := c.ConnectorInstances.Create(t.Context(), &CreateConnectorRequest{
		ConnectorType: "Confluence",
		InstanceName:  "wiki",
		Scope:         models.ConnectorScopeTeam,
		Config:        &models.ConnectorConfigSections{Auth: &models.ConnectorAuthConfig{Values: values}},
	})
	var unsupported *json.UnsupportedValueError
	assert.True(t, errors.As(err, &unsupported), "err = %v", err)
	assert.Zero(t, n.Load())
}
