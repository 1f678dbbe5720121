package connapi

import (
	"context"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"
)

// firstErr returns the error of seq's first step.
func firstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		return err
	}
	return nil
}

// Every …Iter reports a nil context as ErrInvalidParams on its first step, with no
// request, like any other bad argument.
func TestEveryIterRejectsNilContext(t *testing.T) {
	t.Parallel()
	c, n := noRequestClient(t)
	var nilCtx context.Context
	for name, err := range map[string]error{
		"Connections.ListIter":                         firstErr(c.Connections.ListIter(nilCtx, nil)),
		"Connections.ListPaginatedIter":                firstErr(c.Connections.ListPaginatedIter(nilCtx, nil)),
		"Resources.ChildrenIter":                       firstErr(c.Resources.ChildrenIter(nilCtx, stackConnID, nil)),
		"Resources.SearchIter":                         firstErr(c.Resources.SearchIter(nilCtx, stackConnID, &SearchResourcesParams{Query: "q"})),
		"ConnectorInstances.ListIter":                  firstErr(c.ConnectorInstances.ListIter(nilCtx, nil)),
		"ConnectorInstances.ListConfiguredIter":        firstErr(c.ConnectorInstances.ListConfiguredIter(nilCtx, nil)),
		"ConnectorInstances.ListActiveAgentsIter":      firstErr(c.ConnectorInstances.ListActiveAgentsIter(nilCtx, nil)),
		"ConnectorInstances.RegistryIter":              firstErr(c.ConnectorInstances.RegistryIter(nilCtx, nil)),
		"ConnectorInstances.FilterOptionsIter":         firstErr(c.ConnectorInstances.FilterOptionsIter(nilCtx, "c1", "folders", nil)),
		"NamespaceConnections.ListIter":                firstErr(c.NamespaceConnections.ListIter(nilCtx, "ns", nil)),
		"NamespaceConnections.ReferencedPipelinesIter": firstErr(c.NamespaceConnections.ReferencedPipelinesIter(nilCtx, "ns", "c", nil)),
		"Integrations.ListIter":                        firstErr(c.Integrations.ListIter(nilCtx, nil)),
		"CoreConnections.ListIter":                     firstErr(c.CoreConnections.ListIter(nilCtx, nil)),
	} {
		assert.ErrorIs(t, err, ErrInvalidParams, name)
	}
	assert.Zero(t, n.Load())
}
