package connapitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStackAIAvailable(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	status, _, b := send(t, s, "GET", s.StackAIURL()+"connections/available", nil)
	require.Equal(t, http.StatusOK, status)
	items := arr(t, b)
	require.Len(t, items, 4)
	assert.Equal(t, "gdrive", items[0]["provider_id"])
	assert.Equal(t, "oauth", items[0]["connection_type"])
	assert.Equal(t, "credentials", items[1]["connection_type"])
	for _, k := range []string{"connection_type_id", "name", "description", "labels", "params", "minimum_plan", "color", "is_marketing_stunt"} {
		assert.Contains(t, items[1], k)
	}
	assert.Equal(t, "api_key", list(t, items[1], "params")[0]["name"])
}

func TestStackAICreateValidation(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	status, _, b := send(t, s, "POST", s.StackAIURL()+"connections", map[string]any{"name": "x", "provider_id": "notion", "connection_provider_data": map[string]any{}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	detail := list(t, obj(t, b), "detail")
	require.Len(t, detail, 1)
	assert.Equal(t, []any{"body", "connection_type_id"}, detail[0]["loc"])
	assert.Equal(t, "Field required", detail[0]["msg"])
	assert.Equal(t, "missing", detail[0]["type"])

	status, _, b = send(t, s, "POST", s.StackAIURL()+"connections", `{"provider_id": 5, "connection_type_id": "notion", "connection_provider_data": {}}`)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Equal(t, []any{"body", "provider_id"}, list(t, obj(t, b), "detail")[0]["loc"])

	status, _, _ = send(t, s, "POST", s.StackAIURL()+"connections", `{not json`)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
}

func TestStackAICRUD(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	base := s.StackAIURL() + "connections"
	status, _, b := send(t, s, "POST", base, map[string]any{
		"name": "Team Notion", "provider_id": "notion", "connection_type_id": "notion",
		"connection_provider_data": map[string]any{"api_key": "secret_1"},
	})
	require.Equal(t, http.StatusCreated, status, "%s", b)
	c := obj(t, b)
	id := c["connection_id"].(string)
	assert.Regexp(t, uuidRE, id)
	assert.Equal(t, "Team Notion", c["name"])
	assert.Equal(t, stackOrgID, c["org_id"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$`, c["created_at"])
	assert.Equal(t, DefaultEmail, sub(t, c, "created_by")["email"])
	assert.Contains(t, c, "updated_by")

	status, _, b = send(t, s, "GET", base+"/"+id, nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "Team Notion", obj(t, b)["name"])

	// PUT replaces the whole request; the name falls back to its default.
	status, _, b = send(t, s, "PUT", base+"/"+id, map[string]any{"provider_id": "notion", "connection_type_id": "notion", "connection_provider_data": map[string]any{}})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "Unnamed connection", obj(t, b)["name"])

	// PATCH changes only what it has.
	status, _, b = send(t, s, "PATCH", base+"/"+id, map[string]any{"name": "Renamed"})
	require.Equal(t, http.StatusOK, status)
	c = obj(t, b)
	assert.Equal(t, "Renamed", c["name"])
	assert.Equal(t, "notion", c["provider_id"])

	status, _, b = send(t, s, "GET", base+"/"+id+"/health", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "healthy", obj(t, b)["status"])

	status, _, b = send(t, s, "DELETE", base+"/"+id, nil)
	require.Equal(t, http.StatusNoContent, status)
	assert.Empty(t, b)
	status, _, b = send(t, s, "GET", base+"/"+id, nil)
	require.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, map[string]any{"detail": "Connection not found"}, obj(t, b))
	status, _, _ = send(t, s, "DELETE", base+"/"+id, nil)
	assert.Equal(t, http.StatusNotFound, status)

	status, _, b = send(t, s, "GET", base+"/not-a-uuid", nil)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Equal(t, []any{"path", "connection_id"}, list(t, obj(t, b), "detail")[0]["loc"])
}

func TestStackAIListOffset(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(9))
	status, _, b := send(t, s, "GET", s.StackAIURL()+"connections", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Len(t, arr(t, b), 9) // default limit 1000

	var names []string
	for offset := 0; ; offset += 4 {
		_, _, b = send(t, s, "GET", fmt.Sprintf("%sconnections?limit=4&offset=%d", s.StackAIURL(), offset), nil)
		page := arr(t, b)
		names = append(names, field(page, "name")...)
		if len(page) < 4 {
			break
		}
	}
	require.Len(t, names, 9)
	assert.Equal(t, "Seed connection 001", names[0])
	assert.Equal(t, "Seed connection 009", names[8])

	_, _, b = send(t, s, "GET", s.StackAIURL()+"connections?connection_provider=notion", nil)
	for _, c := range arr(t, b) {
		assert.Equal(t, "notion", c["provider_id"])
	}
	status, _, _ = send(t, s, "GET", s.StackAIURL()+"connections?limit=x", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
}

func TestStackAIListPaginated(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(23))
	base := s.StackAIURL() + "api/v1/connections"
	status, _, b := send(t, s, "GET", base, nil)
	require.Equal(t, http.StatusOK, status)
	env := obj(t, b)
	assert.EqualValues(t, 23, env["total"])
	assert.EqualValues(t, 10, env["limit"])
	assert.EqualValues(t, 0, env["offset"])
	assert.Len(t, list(t, env, "items"), 10)

	var ids []string
	for offset := 0; offset < 23; offset += 10 {
		_, _, b = send(t, s, "GET", fmt.Sprintf("%s?offset=%d", base, offset), nil)
		ids = append(ids, field(list(t, obj(t, b), "items"), "connection_id")...)
	}
	assert.Len(t, ids, 23)
	assert.Equal(t, stackUUID(23), ids[0], "newest first")

	_, _, b = send(t, s, "GET", base+"?sort_by=name&sort_dir=desc&limit=2", nil)
	assert.Equal(t, []string{"Seed connection 023", "Seed connection 022"}, field(list(t, obj(t, b), "items"), "name"))

	_, _, b = send(t, s, "GET", base+"?name__icontains=CONNECTION%2001&provider_id__eq=gdrive", nil)
	env = obj(t, b)
	assert.EqualValues(t, 2, env["total"]) // 013 and 017: every fourth seed is on gdrive
	for _, c := range list(t, env, "items") {
		assert.Equal(t, "gdrive", c["provider_id"])
		assert.Contains(t, strings.ToLower(c["name"].(string)), "connection 01")
	}

	status, _, b = send(t, s, "GET", base+"?color__eq=red", nil)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Equal(t, []any{"query", "color__eq"}, list(t, obj(t, b), "detail")[0]["loc"])
	status, _, _ = send(t, s, "GET", base+"?sort_dir=up", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
}

func TestStackAIOAuth(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	req := map[string]any{"name": "Drive", "provider_id": "gdrive", "connection_type_id": "gdrive", "connection_provider_data": map[string]any{}}
	notion := map[string]any{"provider_id": "notion", "connection_type_id": "notion", "connection_provider_data": map[string]any{}}
	status, _, b := send(t, s, "POST", s.StackAIURL()+"connections/oauth/start", req)
	require.Equal(t, http.StatusOK, status)
	var authURL string
	require.NoError(t, json.Unmarshal(b, &authURL), "a JSON string: %s", b)
	u, err := url.Parse(authURL)
	require.NoError(t, err)
	assert.Equal(t, "accounts.google.com", u.Host)
	assert.NotEmpty(t, u.Query().Get("state"))

	status, _, _ = send(t, s, "POST", s.StackAIURL()+"connections/oauth/start", notion)
	assert.Equal(t, http.StatusBadRequest, status)

	status, _, b = send(t, s, "POST", s.StackAIURL()+"connections/oauth/callback", req)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Equal(t, []any{"query", "code"}, list(t, obj(t, b), "detail")[0]["loc"])

	status, _, b = send(t, s, "POST", s.StackAIURL()+"connections/oauth/callback?code=abc", req)
	require.Equal(t, http.StatusOK, status)
	id := obj(t, b)["connection_id"].(string)

	req["name"] = "Drive 2"
	status, _, b = send(t, s, "PUT", s.StackAIURL()+"connections/oauth/callback/"+id+"?code=def", req)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "Drive 2", obj(t, b)["name"])
	status, _, _ = send(t, s, "PUT", s.StackAIURL()+"connections/oauth/callback/"+stackUUID(99)+"?code=def", req)
	assert.Equal(t, http.StatusNotFound, status)
}

func TestStackAIResources(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	base := s.StackAIURL() + "connections/" + stackUUID(1) + "/resources"

	status, _, b := send(t, s, "GET", base+"/children", nil)
	require.Equal(t, http.StatusOK, status)
	page := obj(t, b)
	root := list(t, page, "data")
	require.Len(t, root, 7)
	assert.Nil(t, page["next_cursor"])
	assert.Nil(t, page["current_cursor"])
	dir, file := root[0], root[6]
	assert.Equal(t, "directory", dir["inode_type"])
	assert.Equal(t, map[string]any{"path": "Documents"}, dir["inode_path"])
	assert.NotContains(t, dir, "size")
	assert.Equal(t, "file", file["inode_type"])
	for _, k := range []string{"resource_id", "status", "size", "content_mime", "content_hash", "created_at", "modified_at"} {
		assert.Contains(t, file, k)
	}
	assert.Equal(t, "image/png", file["content_mime"])

	// A directory of 13 entries, in pages of 5.
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 5)
		q := url.Values{"resource_id": {dir["resource_id"].(string)}, "page_size": {"5"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		_, _, b = send(t, s, "GET", base+"/children?"+q.Encode(), nil)
		page = obj(t, b)
		got = append(got, field(list(t, page, "data"), "resource_id")...)
		if cursor != "" {
			assert.Equal(t, cursor, page["current_cursor"])
		}
		next, _ := page["next_cursor"].(string)
		if next == "" {
			break
		}
		assert.NotRegexp(t, `^\d+$`, next)
		cursor = next
	}
	assert.Len(t, got, 13)

	// A file has no children; an unknown ID is a 404; page_size is bounded.
	_, _, b = send(t, s, "GET", base+"/children?resource_id="+file["resource_id"].(string), nil)
	assert.Empty(t, list(t, obj(t, b), "data"))
	status, _, _ = send(t, s, "GET", base+"/children?resource_id=nope", nil)
	assert.Equal(t, http.StatusNotFound, status)
	status, _, _ = send(t, s, "GET", base+"/children?page_size=1001", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	status, _, _ = send(t, s, "GET", base+"/children?cursor=garbage", nil)
	assert.Equal(t, http.StatusBadRequest, status)

	// Search: 3 directories × 3 "q… summary" files, found over pages of 4.
	_, _, b = send(t, s, "GET", base+"/search?query=SUMMARY&page_size=4", nil)
	page = obj(t, b)
	assert.Len(t, list(t, page, "data"), 4)
	next := page["next_cursor"].(string)
	_, _, b = send(t, s, "GET", base+"/search?query=summary&page_size=10&cursor="+next, nil)
	assert.Len(t, list(t, obj(t, b), "data"), 5)
	status, _, _ = send(t, s, "GET", base+"/search", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, status)

	// Get by IDs: known ones resolve, unknown ones are null.
	id := dir["resource_id"].(string)
	_, _, b = send(t, s, "GET", base+"?resource_ids="+id+"&resource_ids=unknown", nil)
	m := obj(t, b)
	assert.Equal(t, "Documents", sub(t, m, id)["inode_path"].(map[string]any)["path"])
	assert.Contains(t, m, "unknown")
	assert.Nil(t, m["unknown"])

	// Trees are per connection: same layout, other IDs.
	assert.NotEqual(t, buildTree(stackUUID(2)).root, buildTree(stackUUID(1)).root)
	assert.Equal(t, buildTree(stackUUID(1)).root, buildTree(stackUUID(1)).root)
	assert.Len(t, buildTree("x").order, 55)
}

func TestStackAIRBAC(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	base := s.StackAIURL() + "api/v1/connections/" + stackUUID(1)
	status, _, b := send(t, s, "GET", base+"/rbac", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]any{
		"org_level_role": nil,
		"user_roles":     map[string]any{stackUserID: []any{"admin"}},
		"group_roles":    map[string]any{},
	}, obj(t, b))

	const g1 = "9b2c0000-0000-4000-8000-0000000000c1"
	status, _, _ = send(t, s, "PUT", base+"/rbac", map[string]any{"subject_type": "group", "role": "viewer", "subject_id": g1})
	require.Equal(t, http.StatusOK, status)
	_, _, b = send(t, s, "GET", base+"/rbac", nil)
	assert.Equal(t, map[string]any{g1: []any{"viewer"}}, obj(t, b)["group_roles"])
	status, _, _ = send(t, s, "PUT", base+"/rbac", map[string]any{"subject_type": "user", "role": "owner", "subject_id": g1})
	assert.Equal(t, http.StatusBadRequest, status)
	status, _, _ = send(t, s, "PUT", base+"/rbac", map[string]any{"subject_type": "robot", "role": "viewer", "subject_id": g1})
	assert.Equal(t, http.StatusUnprocessableEntity, status)

	status, _, _ = send(t, s, "DELETE", base+"/rbac?subject_type=group&subject_id="+g1, nil)
	require.Equal(t, http.StatusNoContent, status)
	_, _, b = send(t, s, "GET", base+"/rbac", nil)
	assert.Equal(t, map[string]any{}, obj(t, b)["group_roles"])
	status, _, b = send(t, s, "DELETE", base+"/rbac?subject_type=group&subject_id="+g1, nil)
	require.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, "Role assignment not found", obj(t, b)["detail"])

	status, _, _ = send(t, s, "PATCH", base+"/organization-role", map[string]any{"role": "editor"})
	require.Equal(t, http.StatusOK, status)
	_, _, b = send(t, s, "GET", base+"/rbac", nil)
	assert.Equal(t, "editor", obj(t, b)["org_level_role"])
	status, _, _ = send(t, s, "PATCH", base+"/organization-role", `{"role": null}`)
	require.Equal(t, http.StatusOK, status)
	_, _, b = send(t, s, "GET", base+"/rbac", nil)
	assert.Nil(t, obj(t, b)["org_level_role"])
	status, _, _ = send(t, s, "PATCH", base+"/organization-role", `{}`)
	assert.Equal(t, http.StatusUnprocessableEntity, status)

	status, _, _ = send(t, s, "GET", s.StackAIURL()+"api/v1/connections/"+stackUUID(7)+"/rbac", nil)
	assert.Equal(t, http.StatusNotFound, status)
}

func TestUnknownRoutes(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	status, _, b := send(t, s, "GET", s.URL()+"/nothing/here", nil)
	require.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, map[string]any{"detail": "Not Found"}, obj(t, b))

	status, hdr, b := send(t, s, "POST", s.StackAIURL()+"connections/available", nil)
	require.Equal(t, http.StatusMethodNotAllowed, status)
	assert.Contains(t, hdr.Get("Allow"), "GET")
	assert.Equal(t, "Method Not Allowed", obj(t, b)["detail"])

	status, _, b = send(t, s, "GET", s.PipesHubURL()+"connectors/x/nothing", nil)
	require.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, "HTTP_NOT_FOUND", sub(t, obj(t, b), "error")["code"])

	status, _, b = send(t, s, "PUT", s.OpenIntURL()+"core/connection", nil)
	require.Equal(t, http.StatusMethodNotAllowed, status)
	assert.Equal(t, "METHOD_NOT_SUPPORTED", obj(t, b)["code"])

	status, _, b = send(t, s, "GET", s.InstillURL()+"v1beta/nothing", nil)
	require.Equal(t, http.StatusNotFound, status)
	assert.EqualValues(t, 5, obj(t, b)["code"])
	assert.Regexp(t, regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`), s.URL())

	// The mux's own redirects (unclean paths) pass through untouched.
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequestWithContext(t.Context(), "GET", s.URL()+"/x/../connections", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token())
	resp, err := c.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	// net/http's mux cleans the path with a 301 up to Go 1.24 and a 307 since.
	assert.Contains(t, []int{http.StatusMovedPermanently, http.StatusTemporaryRedirect}, resp.StatusCode)
	assert.Equal(t, "/connections", resp.Header.Get("Location"))
}

func TestStackFilterOperators(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		op, value, v string
		want         bool
	}{
		{"eq", "a", "a", true}, {"ne", "a", "a", false}, {"contains", "b", "abc", true},
		{"contains", "B", "abc", false}, {"icontains", "B", "abc", true}, {"startswith", "ab", "abc", true},
		{"istartswith", "AB", "abc", true}, {"in", "x,abc", "abc", true}, {"in", "x,y", "abc", false},
		{"gt", "2025-01-01", "2025-02-01", true}, {"gte", "b", "b", true}, {"lt", "b", "a", true}, {"lte", "a", "b", false},
	} {
		assert.Equal(t, tc.want, stackFilter{op: tc.op, value: tc.value}.match(tc.v), "%+v", tc)
	}
	s := newTestServer(t, WithSeed(3))
	_, _, b := send(t, s, "GET", s.StackAIURL()+"api/v1/connections?created_at__gt=2025-01-01T00:01:30&connection_type_id__in=notion,confluence&sort_by=updated_at&sort_dir=asc", nil)
	assert.Equal(t, []string{"Seed connection 002", "Seed connection 003"}, field(list(t, obj(t, b), "items"), "name"))
}
