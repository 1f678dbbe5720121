package connapitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Stack AI page (docs.stack-ai.com/stack-ai/api-reference/connections), point by
// point: what the fake answers where the page says something.

// fastAPIDetail returns the detail list of a FastAPI 422 as (loc, type) pairs.
func fastAPIDetail(t *testing.T, status int, b []byte) [][2]any {
	t.Helper()
	require.Equal(t, http.StatusUnprocessableEntity, status, "%s", b)
	var out [][2]any
	for _, d := range list(t, obj(t, b), "detail") {
		out = append(out, [2]any{d["loc"], d["type"]})
	}
	return out
}

func TestStackAIPaginatedSortsNewestFirstByDefault(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(3))
	_, _, b := send(t, s, "GET", s.StackAIURL()+"api/v1/connections", nil)
	assert.Equal(t, []string{"Seed connection 003", "Seed connection 002", "Seed connection 001"},
		field(list(t, obj(t, b), "items"), "name"), "sort_by created_at, sort_dir desc by default")
	_, _, b = send(t, s, "GET", s.StackAIURL()+"api/v1/connections?sort_dir=asc", nil)
	assert.Equal(t, "Seed connection 001", field(list(t, obj(t, b), "items"), "name")[0])
}

func TestStackAIConnectionRequestRequiredFields(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	full := func() map[string]any {
		return map[string]any{"provider_id": "notion", "connection_type_id": "notion", "connection_provider_data": map[string]any{}}
	}
	without := func(k string) map[string]any { m := full(); delete(m, k); return m }
	id := stackUUID(1)
	for _, ep := range []struct{ method, path string }{
		{"POST", "connections"},
		{"PUT", "connections/" + id},
		{"POST", "connections/oauth/start"},
		{"POST", "connections/oauth/callback?code=c1"},
		{"PUT", "connections/oauth/callback/" + id + "?code=c1"},
	} {
		t.Run(ep.method+" "+ep.path, func(t *testing.T) {
			for _, k := range []string{"provider_id", "connection_type_id", "connection_provider_data"} {
				status, _, b := send(t, s, ep.method, s.StackAIURL()+ep.path, without(k))
				assert.Equal(t, [][2]any{{[]any{"body", k}, "missing"}}, fastAPIDetail(t, status, b), k)
			}
			status, _, b := send(t, s, ep.method, s.StackAIURL()+ep.path, nil)
			assert.Equal(t, [][2]any{{[]any{"body"}, "missing"}}, fastAPIDetail(t, status, b), "no body")
			status, _, b = send(t, s, ep.method, s.StackAIURL()+ep.path, `{"provider_id": null, "connection_type_id": "x", "connection_provider_data": []}`)
			assert.Equal(t, [][2]any{{[]any{"body", "provider_id"}, "string_type"}, {[]any{"body", "connection_provider_data"}, "model_type"}},
				fastAPIDetail(t, status, b))
		})
	}
	// What the page allows is accepted: blank strings, and no name.
	status, _, b := send(t, s, "POST", s.StackAIURL()+"connections", map[string]any{
		"provider_id": " ", "connection_type_id": "", "connection_provider_data": map[string]any{},
	})
	require.Equal(t, http.StatusCreated, status, "%s", b)
	assert.Equal(t, "Unnamed connection", obj(t, b)["name"])
}

func TestStackAIPatchTakesOnlyName(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	u := s.StackAIURL() + "connections/" + stackUUID(1)
	status, _, b := send(t, s, "PATCH", u, `{}`)
	assert.Equal(t, [][2]any{{[]any{"body", "name"}, "missing"}}, fastAPIDetail(t, status, b))
	status, _, b = send(t, s, "PATCH", u, map[string]any{"provider_id": "gdrive"})
	assert.Equal(t, [][2]any{{[]any{"body", "name"}, "missing"}}, fastAPIDetail(t, status, b))
	status, _, b = send(t, s, "PATCH", u, nil)
	assert.Equal(t, [][2]any{{[]any{"body"}, "missing"}}, fastAPIDetail(t, status, b))

	// Unknown fields are ignored, as pydantic does by default; only the name changes.
	status, _, b = send(t, s, "PATCH", u, map[string]any{"name": "Renamed", "provider_id": "gdrive", "colour": "red"})
	require.Equal(t, http.StatusOK, status, "%s", b)
	c := obj(t, b)
	assert.Equal(t, "Renamed", c["name"])
	assert.Equal(t, "gdrive", c["provider_id"], "seed 1 is on gdrive")
	status, _, b = send(t, s, "PATCH", u, map[string]any{"name": "Again", "provider_id": "notion"})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "gdrive", obj(t, b)["provider_id"], "provider_id is not a PATCH field")
}

func TestStackAIUpdateFromCallbackReplacesTheConnection(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	status, _, b := send(t, s, "PUT", s.StackAIURL()+"connections/oauth/callback/"+stackUUID(1)+"?code=c2", map[string]any{
		"name": "Re-consented Drive", "provider_id": "gdrive", "connection_type_id": "gdrive",
		"connection_provider_data": map[string]any{"folder": "root"},
	})
	require.Equal(t, http.StatusOK, status, "%s", b)
	c := obj(t, b)
	assert.Equal(t, "Re-consented Drive", c["name"])
	assert.Equal(t, map[string]any{"folder": "root"}, c["connection_provider_data"])
}

func TestStackAIRBACSubjectIDIsAUUID(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	base := s.StackAIURL() + "api/v1/connections/" + stackUUID(1) + "/rbac"
	status, _, b := send(t, s, "PUT", base, map[string]any{"subject_type": "group", "role": "viewer", "subject_id": "g1"})
	assert.Equal(t, [][2]any{{[]any{"body", "subject_id"}, "uuid_parsing"}}, fastAPIDetail(t, status, b))
	status, _, b = send(t, s, "DELETE", base+"?subject_type=group&subject_id=g1", nil)
	assert.Equal(t, [][2]any{{[]any{"query", "subject_id"}, "uuid_parsing"}}, fastAPIDetail(t, status, b))
	status, _, b = send(t, s, "PUT", base, `{}`)
	assert.Equal(t, [][2]any{
		{[]any{"body", "subject_type"}, "missing"}, {[]any{"body", "role"}, "missing"}, {[]any{"body", "subject_id"}, "missing"},
	}, fastAPIDetail(t, status, b))
	status, _, b = send(t, s, "DELETE", base, nil)
	assert.Equal(t, [][2]any{{[]any{"query", "subject_type"}, "missing"}, {[]any{"query", "subject_id"}, "missing"}}, fastAPIDetail(t, status, b))
}

// The page types role as a plain string, so it is no FastAPI enum (no 422); the
// fake refuses roles outside Stack AI's role model (viewer, editor, admin: the SDK's
// models.Role constants) with a 400, as a check in the backend's code would.
func TestStackAIRoles(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	base := s.StackAIURL() + "api/v1/connections/" + stackUUID(1)
	const group = "9b2c0000-0000-4000-8000-0000000000c1"
	for _, role := range []string{"viewer", "editor", "admin"} {
		status, _, b := send(t, s, "PUT", base+"/rbac", map[string]any{"subject_type": "group", "role": role, "subject_id": group})
		assert.Equal(t, http.StatusOK, status, "%s: %s", role, b)
		status, _, b = send(t, s, "PATCH", base+"/organization-role", map[string]any{"role": role})
		assert.Equal(t, http.StatusOK, status, "%s: %s", role, b)
	}
	for _, role := range []string{"view", "edit", "owner", ""} {
		status, _, b := send(t, s, "PUT", base+"/rbac", map[string]any{"subject_type": "group", "role": role, "subject_id": group})
		assert.Equal(t, http.StatusBadRequest, status, "%q: %s", role, b)
		assert.Contains(t, obj(t, b)["detail"], "viewer, editor or admin")
		status, _, _ = send(t, s, "PATCH", base+"/organization-role", map[string]any{"role": role})
		assert.Equal(t, http.StatusBadRequest, status, "%q", role)
	}
	status, _, b := send(t, s, "PUT", base+"/rbac", `{"subject_type": "group", "role": 5, "subject_id": "`+group+`"}`)
	assert.Equal(t, [][2]any{{[]any{"body", "role"}, "string_type"}}, fastAPIDetail(t, status, b))
}

func TestStackAIListLimitsAreUnbounded(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(3))
	for _, path := range []string{"connections", "api/v1/connections"} {
		for _, limit := range []int{5000, 1001} {
			status, _, b := send(t, s, "GET", fmt.Sprintf("%s%s?limit=%d", s.StackAIURL(), path, limit), nil)
			require.Equal(t, http.StatusOK, status, "%s limit=%d: %s", path, limit, b)
		}
		status, _, b := send(t, s, "GET", s.StackAIURL()+path+"?limit=ten", nil)
		assert.Equal(t, [][2]any{{[]any{"query", "limit"}, "int_parsing"}}, fastAPIDetail(t, status, b))
	}
	_, _, b := send(t, s, "GET", s.StackAIURL()+"connections?limit=0", nil)
	assert.Empty(t, arr(t, b), "limit 0 selects nothing")
}

func TestStackAIAvailableNeedsNoAuth(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for _, auth := range []string{"", "Bearer wrong"} {
		status, _, b := send(t, s, "GET", s.StackAIURL()+"connections/available", nil, "Authorization", auth)
		require.Equal(t, http.StatusOK, status, "%q: %s", auth, b)
		assert.Len(t, arr(t, b), len(stackCatalog))
	}
	status, _, _ := send(t, s, "GET", s.StackAIURL()+"connections", nil, "Authorization", "")
	assert.Equal(t, http.StatusUnauthorized, status, "the other routes still need a credential")
}

// The page shows "No content" for the RBAC DELETE (like the connection DELETE), and
// for the 200 "any" answers of the RBAC PUT and the organization-role PATCH.
func TestStackAIRBACWritesAnswerNoContent(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	base := s.StackAIURL() + "api/v1/connections/" + stackUUID(1)
	const user = "9b2c0000-0000-4000-8000-0000000000d1"
	status, _, b := send(t, s, "PUT", base+"/rbac", map[string]any{"subject_type": "user", "role": "editor", "subject_id": user})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "null\n", string(b))
	status, _, b = send(t, s, "PATCH", base+"/organization-role", map[string]any{"role": "viewer"})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "null\n", string(b))

	_, _, b = send(t, s, "GET", base+"/rbac", nil)
	rbac := obj(t, b)
	assert.Equal(t, "viewer", rbac["org_level_role"])
	assert.Equal(t, []any{"editor"}, sub(t, rbac, "user_roles")[user])

	status, hdr, b := send(t, s, "DELETE", base+"/rbac?subject_type=user&subject_id="+user, nil)
	require.Equal(t, http.StatusNoContent, status)
	assert.Empty(t, b)
	assert.Empty(t, hdr.Get("Content-Type"))
	_, _, b = send(t, s, "GET", base+"/rbac", nil)
	assert.NotContains(t, sub(t, obj(t, b), "user_roles"), user)
}

// Search's query is a required string: without it the answer is FastAPI's 422
// missing, but an empty query is a string (FastAPI reads ?query= as ""), which
// matches every resource, as the vendor-notes' rule for plain "required" strings
// says a server takes "".
func TestStackAISearchTakesAnEmptyQuery(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	base := s.StackAIURL() + "connections/" + stackUUID(1) + "/resources/search"
	status, _, b := send(t, s, "GET", base, nil)
	assert.Equal(t, [][2]any{{[]any{"query", "query"}, "missing"}}, fastAPIDetail(t, status, b))
	status, _, b = send(t, s, "GET", base+"?query=&page_size=1000", nil)
	require.Equal(t, http.StatusOK, status, "%s", b)
	assert.Len(t, list(t, obj(t, b), "data"), 55, "every resource of the tree")
}

// FastAPI validates a request's path, query and body together and answers every
// problem in one 422, in that order (the notes' "every problem of a request in one
// 422"): a malformed connection_id does not hide the body's or the query's errors,
// nor they its.
func TestStackAIOneValidationErrorListsPathQueryAndBody(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	bad := "connections/not-a-uuid"
	pathErr := [2]any{[]any{"path", "connection_id"}, "uuid_parsing"}
	for _, c := range []struct {
		method, path string
		body         any
		want         [][2]any
	}{
		{"PUT", bad, map[string]any{}, [][2]any{pathErr,
			{[]any{"body", "provider_id"}, "missing"}, {[]any{"body", "connection_type_id"}, "missing"}, {[]any{"body", "connection_provider_data"}, "missing"}}},
		{"PUT", bad, nil, [][2]any{pathErr, {[]any{"body"}, "missing"}}},
		{"PATCH", bad, map[string]any{}, [][2]any{pathErr, {[]any{"body", "name"}, "missing"}}},
		{"PUT", "connections/oauth/callback/not-a-uuid", map[string]any{}, [][2]any{pathErr, {[]any{"query", "code"}, "missing"},
			{[]any{"body", "provider_id"}, "missing"}, {[]any{"body", "connection_type_id"}, "missing"}, {[]any{"body", "connection_provider_data"}, "missing"}}},
		{"GET", bad + "/resources/children?page_size=0", nil, [][2]any{pathErr, {[]any{"query", "page_size"}, "greater_than_equal"}}},
		{"GET", bad + "/resources/search", nil, [][2]any{pathErr, {[]any{"query", "query"}, "missing"}}},
		{"PUT", "api/v1/" + bad + "/rbac", map[string]any{"subject_type": "user", "role": "viewer"}, [][2]any{pathErr, {[]any{"body", "subject_id"}, "missing"}}},
		{"DELETE", "api/v1/" + bad + "/rbac?subject_type=team", nil, [][2]any{pathErr,
			{[]any{"query", "subject_type"}, "enum"}, {[]any{"query", "subject_id"}, "missing"}}},
		{"PATCH", "api/v1/" + bad + "/organization-role", map[string]any{}, [][2]any{pathErr, {[]any{"body", "role"}, "missing"}}},
	} {
		status, _, b := send(t, s, c.method, s.StackAIURL()+c.path, c.body)
		assert.Equal(t, c.want, fastAPIDetail(t, status, b), "%s %s", c.method, c.path)
	}
}

// connection_provider is "string or null, optional": present, it filters, even
// when empty (FastAPI reads ?connection_provider= as ""), which no connection's
// provider is.
func TestStackAIListFiltersOnAnEmptyProvider(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(2))
	_, _, b := send(t, s, "GET", s.StackAIURL()+"connections", nil)
	var all []any
	require.NoError(t, json.Unmarshal(b, &all))
	require.Len(t, all, 2)
	_, _, b = send(t, s, "GET", s.StackAIURL()+"connections?connection_provider=", nil)
	require.NoError(t, json.Unmarshal(b, &all))
	assert.Empty(t, all)
}

// refresh_oauth_tokens is a boolean: FastAPI reads true/false, 1/0, yes/no, on/off
// (any case) and answers anything else with a 422 bool_parsing, in the same 422 as
// the path's errors.
func TestStackAIRefreshOAuthTokensIsABoolean(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	id := stackUUID(1)
	for _, p := range []string{"connections/" + id, "connections/" + id + "/resources", "connections/" + id + "/resources/children", "connections/" + id + "/resources/search?query=a"} {
		sep := "?"
		if strings.Contains(p, "?") {
			sep = "&"
		}
		for _, v := range []string{"true", "False", "1", "0", "yes", "off"} {
			status, _, b := send(t, s, "GET", s.StackAIURL()+p+sep+"refresh_oauth_tokens="+v, nil)
			assert.Equal(t, http.StatusOK, status, "%s %s: %s", p, v, b)
		}
		status, _, b := send(t, s, "GET", s.StackAIURL()+p+sep+"refresh_oauth_tokens=sometimes", nil)
		assert.Equal(t, [][2]any{{[]any{"query", "refresh_oauth_tokens"}, "bool_parsing"}}, fastAPIDetail(t, status, b), p)
	}
}
