package connapitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentUse drives all four families from many goroutines; run it with
// -race.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(5))
	const workers, rounds = 8, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				name := fmt.Sprintf("w%d-%d", w, i)
				status, _, b := send(t, s, "POST", s.StackAIURL()+"connections", map[string]any{"name": name, "provider_id": "notion", "connection_type_id": "notion", "connection_provider_data": map[string]any{}})
				assert.Equal(t, http.StatusCreated, status)
				id := obj(t, b)["connection_id"].(string)
				send(t, s, "GET", s.StackAIURL()+"connections/"+id+"/resources/children", nil)
				send(t, s, "PUT", s.StackAIURL()+"api/v1/connections/"+id+"/rbac", map[string]any{"subject_type": "user", "role": "viewer", "subject_id": fmt.Sprintf("9b2c0000-0000-4000-8000-%012d", w*100+i)})

				_, _, b = send(t, s, "POST", s.PipesHubURL()+"connectors", map[string]any{"connectorType": "Jira", "instanceName": name, "scope": "team", "authType": "API_TOKEN"})
				key := sub(t, obj(t, b), "connector")["connectorId"].(string)
				send(t, s, "PUT", s.PipesHubURL()+"connectors/"+key+"/config/auth", map[string]any{"auth": map[string]any{}})
				send(t, s, "POST", s.PipesHubURL()+"connectors/"+key+"/toggle", map[string]any{"type": "sync"})

				status, _, _ = send(t, s, "POST", s.InstillURL()+"v1beta/namespaces/conc/connections", map[string]any{
					"id": fmt.Sprintf("c-%d-%d", w, i), "integrationId": "github", "method": "METHOD_DICTIONARY", "setup": map[string]any{"token": "x"},
				})
				assert.Equal(t, http.StatusOK, status)

				_, _, b = send(t, s, "POST", s.OpenIntURL()+"core/connection", map[string]any{"connectorConfigId": "ccfg_github_01", "customerId": "conc"})
				var oid string
				require.NoError(t, json.Unmarshal(b, &oid))
				if i%2 == 0 {
					send(t, s, "DELETE", s.OpenIntURL()+"core/connection/"+oid, nil)
				}
				s.Requests()
			}
		}()
	}
	wg.Wait()

	_, _, b := send(t, s, "GET", s.StackAIURL()+"api/v1/connections?limit=1", nil)
	assert.EqualValues(t, 5+workers*rounds, obj(t, b)["total"])
	_, _, b = send(t, s, "GET", s.PipesHubURL()+"connectors/active", nil)
	assert.Len(t, list(t, obj(t, b), "connectors"), 1+workers*rounds) // seed 4 is active
	_, _, b = send(t, s, "GET", s.InstillURL()+"v1beta/namespaces/conc/connections", nil)
	assert.EqualValues(t, workers*rounds, obj(t, b)["totalSize"])
	_, _, b = send(t, s, "GET", s.OpenIntURL()+"core/connection?customerId=conc", nil)
	assert.Len(t, arr(t, b), workers*rounds/2)
}
