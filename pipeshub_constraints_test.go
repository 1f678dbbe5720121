package connapi_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go"
)

// The PipesHub specs require SaveConnectorFiltersRequest.filters, an object, with
// no minimum of members, and nothing of UpdateConnectorFiltersSyncRequest: an empty
// filters object (which saves no selection) and a filters-sync update of baseUrl
// alone are valid requests, and are sent. A nil Filters is still refused: it is
// the missing member.
func TestPipesHubSendsWhatTheSpecsAllowOfFilters(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, r.Method+" "+r.URL.Path+" "+string(b))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"success": true, "message": "ok", "config": {}}`)
	}))
	defer srv.Close()
	c, err := connapi.NewClient(connapi.WithBaseURL(srv.URL+"/api/v1/"), connapi.WithBearerToken("t"), connapi.WithoutRetries())
	require.NoError(t, err)
	ctx := context.Background()
	ci := c.ConnectorInstances

	_, _, err = ci.SaveFilters(ctx, "c1", &connapi.SaveConnectorFiltersRequest{Filters: map[string]any{}})
	require.NoError(t, err, "an empty filters object")
	_, _, err = ci.UpdateFiltersSyncConfig(ctx, "c1", &connapi.UpdateConnectorFiltersSyncRequest{BaseURL: "https://wiki.example.com"})
	require.NoError(t, err, "baseUrl alone")
	_, _, err = ci.UpdateFiltersSyncConfig(ctx, "c1", &connapi.UpdateConnectorFiltersSyncRequest{})
	require.NoError(t, err, "an empty update")
	assert.Equal(t, []string{
		`POST /api/v1/connectors/c1/filters {"filters":{}}`,
		`PUT /api/v1/connectors/c1/config/filters-sync {"baseUrl":"https://wiki.example.com"}`,
		`PUT /api/v1/connectors/c1/config/filters-sync {}`,
	}, bodies)

	_, _, err = ci.SaveFilters(ctx, "c1", &connapi.SaveConnectorFiltersRequest{})
	require.ErrorIs(t, err, connapi.ErrInvalidParams, "nil filters is the missing member")
	_, _, err = ci.SaveFilters(ctx, "c1", nil)
	require.ErrorIs(t, err, connapi.ErrInvalidParams)
	_, _, err = ci.UpdateFiltersSyncConfig(ctx, "c1", nil)
	require.ErrorIs(t, err, connapi.ErrInvalidParams)
	assert.Len(t, bodies, 3, "nothing more was sent")
}
