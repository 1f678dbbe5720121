package connapitest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The PipesHub page (ConnectorInstances: list, create, the list variants, get,
// delete, update_name), point by point.

// The page's create examples name types as the registry's own words in kebab or
// lower case (google-drive, confluence, slack); the registry calls them
// GoogleDrive, Confluence, Slack. Both are accepted; the instance carries the
// registry's name.
func TestPipesHubCreateTakesThePagesConnectorTypes(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for typ, want := range map[string]string{
		"google-drive": "GoogleDrive", "confluence": "Confluence", "slack": "Slack",
		"GoogleDrive": "GoogleDrive", "google_drive": "GoogleDrive", "JIRA": "Jira",
	} {
		status, _, b := send(t, s, "POST", s.PipesHubURL()+"connectors", map[string]any{
			"connectorType": typ, "instanceName": "My " + typ, "scope": "personal", "authType": "OAUTH",
		})
		require.Equal(t, http.StatusOK, status, "%s: %s", typ, b)
		c := sub(t, obj(t, b), "connector")
		assert.Equal(t, want, c["connectorType"], typ)
		_, _, b = send(t, s, "GET", s.PipesHubURL()+"connectors/"+c["connectorId"].(string), nil)
		assert.Equal(t, want, sub(t, obj(t, b), "connector")["type"], typ)

		status, _, b = send(t, s, "GET", s.PipesHubURL()+"connectors/registry/"+typ+"/schema", nil)
		require.Equal(t, http.StatusOK, status, "%s: %s", typ, b)
		assert.Equal(t, want, sub(t, obj(t, b), "schema")["connectorType"])
	}
	status, _, b := send(t, s, "POST", s.PipesHubURL()+"connectors", map[string]any{"connectorType": "dropbox", "instanceName": "x", "scope": "team"})
	require.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, sub(t, obj(t, b), "error")["message"], "dropbox")
}

// The page's permission rules: team scope is admin-only (create, delete, toggle),
// a personal connector is its creator's alone (the others do not see it, and get
// 403 when they name it), and team connectors are visible to every user.
func TestPipesHubPermissions(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(2))
	require.Equal(t, DefaultMemberToken, s.MemberToken())
	base := s.PipesHubURL() + "connectors"
	member := []string{"Authorization", "Bearer " + s.MemberToken()}
	forbidden := func(status int, b []byte) {
		t.Helper()
		require.Equal(t, http.StatusForbidden, status, "%s", b)
		assert.Equal(t, "HTTP_FORBIDDEN", sub(t, obj(t, b), "error")["code"])
	}

	// Create: team needs an admin; personal is for everyone.
	status, _, b := send(t, s, "POST", base, map[string]any{"connectorType": "slack", "instanceName": "Team Slack", "scope": "team", "authType": "OAUTH"}, member...)
	forbidden(status, b)
	status, _, b = send(t, s, "POST", base, map[string]any{"connectorType": "slack", "instanceName": "My Slack", "scope": "personal", "authType": "OAUTH"}, member...)
	require.Equal(t, http.StatusOK, status, "%s", b)
	mine := sub(t, obj(t, b), "connector")
	assert.Equal(t, pipesMemberID, mine["createdBy"])
	memberKey := mine["connectorId"].(string)
	status, _, b = send(t, s, "POST", base, map[string]any{"connectorType": "confluence", "instanceName": "Admin's own", "scope": "personal", "authType": "API_TOKEN"})
	require.Equal(t, http.StatusOK, status, "%s", b)
	adminKey := sub(t, obj(t, b), "connector")["connectorId"].(string)

	// Visibility: team connectors for all, personal ones for their creator only.
	names := func(scope string, hdr ...string) []string {
		_, _, b := send(t, s, "GET", base+"?scope="+scope, nil, hdr...)
		return field(list(t, obj(t, b), "connectors"), "name")
	}
	assert.Equal(t, []string{"Seed connector 001", "Seed connector 002"}, names("team", member...))
	assert.Equal(t, []string{"My Slack"}, names("personal", member...))
	assert.Equal(t, []string{"Admin's own"}, names("personal"))
	_, _, b = send(t, s, "GET", base+"/inactive", nil, member...)
	assert.NotContains(t, field(list(t, obj(t, b), "connectors"), "name"), "Admin's own")

	// Someone else's personal connector: 403, for the admin too.
	status, _, b = send(t, s, "GET", base+"/"+memberKey, nil)
	forbidden(status, b)
	status, _, b = send(t, s, "DELETE", base+"/"+memberKey, nil)
	forbidden(status, b)
	status, _, b = send(t, s, "GET", base+"/"+adminKey+"/config", nil, member...)
	forbidden(status, b)

	// Team connectors: a member may read them, not delete or toggle them.
	team := "b7e1a000-0000-4000-8000-000000000001"
	status, _, _ = send(t, s, "GET", base+"/"+team, nil, member...)
	assert.Equal(t, http.StatusOK, status)
	status, _, b = send(t, s, "DELETE", base+"/"+team, nil, member...)
	forbidden(status, b)
	status, _, b = send(t, s, "POST", base+"/"+team+"/toggle", map[string]any{"type": "sync"}, member...)
	forbidden(status, b)

	// The creator may delete their own.
	status, _, b = send(t, s, "DELETE", base+"/"+memberKey, nil, member...)
	require.Equal(t, http.StatusAccepted, status, "%s", b)
	status, _, _ = send(t, s, "DELETE", base+"/"+team, nil)
	assert.Equal(t, http.StatusAccepted, status, "the admin deletes team connectors")
}

func TestMemberToken(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithMemberToken("m-1"))
	assert.Equal(t, "m-1", s.MemberToken())
	status, _, _ := send(t, s, "GET", s.PipesHubURL()+"connectors?scope=team", nil, "Authorization", "Bearer m-1")
	assert.Equal(t, http.StatusOK, status)
	status, _, _ = send(t, s, "GET", s.StackAIURL()+"connections", nil, "Authorization", "Bearer m-1")
	assert.Equal(t, http.StatusOK, status, "a member of the organization, on every family")
	status, _, _ = send(t, s, "GET", s.PipesHubURL()+"connectors?scope=team", nil, "Authorization", "Bearer "+DefaultMemberToken)
	assert.Equal(t, http.StatusUnauthorized, status)

	off := newTestServer(t, WithMemberToken(""))
	status, _, _ = send(t, off, "GET", off.PipesHubURL()+"connectors?scope=team", nil, "Authorization", "Bearer ")
	assert.Equal(t, http.StatusUnauthorized, status, "an empty member token turns the member off")
}

// In the spec shape an instance and a registry type carry only what the SDK spec
// allows: lastSyncAt is a non-nullable date-time (left out, as nothing syncs), and
// authType is the spec's closed enum, so a backend-only auth type (Slack's
// BEARER_TOKEN) is neither listed nor accepted there; the backend shape keeps it.
func TestPipesHubSpecShapeStaysInsideTheSpec(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithPipesHubSpecShape())
	base := s.PipesHubURL() + "connectors"
	status, _, b := send(t, s, "POST", base, map[string]any{"connectorType": "slack", "instanceName": "Team Slack", "scope": "team", "authType": "OAUTH"})
	require.Equal(t, http.StatusCreated, status, "%s", b)
	c := sub(t, obj(t, b), "connector")
	assert.NotContains(t, c, "lastSyncAt")
	_, _, b = send(t, s, "GET", base+"/"+c["connectorId"].(string), nil)
	assert.NotContains(t, sub(t, obj(t, b), "connector"), "lastSyncAt")

	_, _, b = send(t, s, "GET", base+"/registry", nil)
	for _, it := range obj(t, b)["connectors"].([]any) {
		it := it.(map[string]any)
		for _, a := range it["authTypes"].([]any) {
			assert.Contains(t, []any{"OAUTH", "OAUTH_ADMIN_CONSENT", "API_TOKEN", "USERNAME_PASSWORD", "NONE"}, a, it["connectorType"])
		}
	}
	status, _, b = send(t, s, "POST", base, map[string]any{"connectorType": "slack", "instanceName": "Bot", "scope": "team", "authType": "BEARER_TOKEN"})
	assert.Equal(t, http.StatusBadRequest, status, "%s", b)

	backend := newTestServer(t)
	status, _, b = send(t, backend, "POST", backend.PipesHubURL()+"connectors", map[string]any{"connectorType": "slack", "instanceName": "Bot", "scope": "team", "authType": "BEARER_TOKEN"})
	assert.Equal(t, http.StatusOK, status, "%s", b)
}

// Both PipesHub specs give "Duplicate instance name" as a reason for create's 400.
// A name is taken when an instance of the same connector type in the same scope
// already has it: team names across the organization, personal names per creator.
func TestPipesHubCreateRefusesADuplicateInstanceName(t *testing.T) {
	t.Parallel()
	for _, shape := range []Option{WithPipesHubSpecShape(), WithSeed(0)} {
		s := newTestServer(t, shape)
		base := s.PipesHubURL() + "connectors"
		member := []string{"Authorization", "Bearer " + s.MemberToken()}
		create := func(typ, name, scope string, hdr ...string) (int, []byte) {
			status, _, b := send(t, s, "POST", base, map[string]any{"connectorType": typ, "instanceName": name, "scope": scope, "authType": "OAUTH"}, hdr...)
			return status, b
		}
		status, b := create("google-drive", "Company Drive", "team")
		require.Less(t, status, 300, "%s", b)
		status, b = create("GoogleDrive", "Company Drive", "team")
		require.Equal(t, http.StatusBadRequest, status, "%s", b)
		assert.Contains(t, sub(t, obj(t, b), "error")["message"], "Company Drive")

		// Another type, another scope, another creator's personal instance: free.
		status, b = create("confluence", "Company Drive", "team")
		assert.Less(t, status, 300, "%s", b)
		status, b = create("google-drive", "Company Drive", "personal")
		assert.Less(t, status, 300, "%s", b)
		status, b = create("google-drive", "Company Drive", "personal", member...)
		assert.Less(t, status, 300, "%s", b)
		status, b = create("google-drive", "Company Drive", "personal", member...)
		assert.Equal(t, http.StatusBadRequest, status, "%s", b)
	}
}

// The page's auth_type: "Authentication type (required if connector supports
// multiple auth methods)". Without it, a type with several auth types is a 400
// that names them; a type with one takes that one.
func TestPipesHubCreateWantsAnAuthTypeWhenThereAreSeveral(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	base := s.PipesHubURL() + "connectors"
	status, _, b := send(t, s, "POST", base, map[string]any{"connectorType": "google-drive", "instanceName": "Drive", "scope": "team"})
	require.Equal(t, http.StatusBadRequest, status, "%s", b)
	msg := sub(t, obj(t, b), "error")["message"]
	assert.Contains(t, msg, "authType")
	assert.Contains(t, msg, "OAUTH_ADMIN_CONSENT")
	status, _, b = send(t, s, "POST", base, map[string]any{"connectorType": "google-drive", "instanceName": "Drive", "scope": "team", "authType": "OAUTH"})
	require.Equal(t, http.StatusOK, status, "%s", b)

	// In the spec shape Slack has one auth type the spec knows (OAUTH): it is taken.
	spec := newTestServer(t, WithPipesHubSpecShape())
	status, _, b = send(t, spec, "POST", spec.PipesHubURL()+"connectors", map[string]any{"connectorType": "slack", "instanceName": "Slack", "scope": "team"})
	require.Equal(t, http.StatusCreated, status, "%s", b)
	assert.Equal(t, "OAUTH", sub(t, obj(t, b), "connector")["authType"])
}
