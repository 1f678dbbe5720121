package connapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go/models"
)

var stackRBACJSON = `{
  "org_level_role": "viewer",
  "user_roles": {"` + stackUserID + `": ["admin"], "` + stackUser2ID + `": ["editor"]},
  "group_roles": {"` + stackGroupID + `": ["viewer"]},
  "inherited_from": null
}`

func TestRBACGet(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /api/v1/connections/{id}/rbac", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, stackConnID, r.PathValue("id"))
		testQuery(t, r, nil)
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, stackRBACJSON)
	})
	got, _, err := c.RBAC.Get(context.Background(), stackConnID, nil)
	require.NoError(t, err)
	require.NotNil(t, got.OrgLevelRole)
	assert.Equal(t, models.RoleViewer, *got.OrgLevelRole)
	assert.Equal(t, []models.Role{models.RoleAdmin}, got.UserRoles.Roles(stackUserID))
	assert.Equal(t, []string{stackUser2ID}, got.UserRoles.Subjects(models.RoleEditor))
	assert.Equal(t, models.RoleAssignments{stackGroupID: {models.RoleViewer}}, got.GroupRoles)
	assert.JSONEq(t, stackRBACJSON, string(got.Raw))
}

func TestRBACDecodeShapes(t *testing.T) {
	t.Parallel()
	u1, u2 := stackUserID, stackUser2ID
	cases := map[string]struct {
		body string
		org  *models.Role
		user models.RoleAssignments
	}{
		"subject to roles": {
			`{"org_level_role": null, "user_roles": {"` + u1 + `": ["editor", "viewer"]}, "group_roles": {}}`,
			nil, models.RoleAssignments{u1: {models.RoleEditor, models.RoleViewer}},
		},
		"subject to role": {
			`{"org_level_role": "editor", "user_roles": {"` + u1 + `": "viewer", "` + u2 + `": "admin"}}`,
			Ptr(models.RoleEditor), models.RoleAssignments{u1: {models.RoleViewer}, u2: {models.RoleAdmin}},
		},
		"role to subjects": {
			`{"user_roles": {"editor": ["` + u1 + `", "` + u2 + `"], "admin": ["` + u1 + `"]}}`,
			nil, models.RoleAssignments{u1: {models.RoleAdmin, models.RoleEditor}, u2: {models.RoleEditor}},
		},
		"custom role to uuids": {
			`{"user_roles": {"auditor": ["` + u2 + `"]}}`,
			nil, models.RoleAssignments{u2: {"auditor"}},
		},
		"list of objects": {
			`{"user_roles": [{"user_id": "` + u1 + `", "role": "editor"}, {"subject_id": "` + u2 + `", "roles": ["viewer"]}, {"role": "admin"}]}`,
			nil, models.RoleAssignments{u1: {models.RoleEditor}, u2: {models.RoleViewer}},
		},
		"list of ids": {
			`{"user_roles": ["` + u1 + `"]}`,
			nil, models.RoleAssignments{u1: {}},
		},
		"odd values skipped": {
			`{"user_roles": {"` + u1 + `": ["editor", 3, null], "` + u2 + `": {"weird": true}}}`,
			nil, models.RoleAssignments{u1: {models.RoleEditor}},
		},
		"null and missing": {`{"user_roles": null}`, nil, nil},
		"scalar":           {`{"user_roles": 5}`, nil, models.RoleAssignments{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got models.ConnectionRBAC
			require.NoError(t, json.Unmarshal([]byte(tc.body), &got))
			assert.Equal(t, tc.org, got.OrgLevelRole)
			assert.Equal(t, tc.user, got.UserRoles)
		})
	}
}

func TestRBACUpdate(t *testing.T) {
	t.Parallel()
	// The page answers 200 with no content; whatever a server sends is discarded.
	responses := map[string]struct {
		status int
		body   string
	}{
		"rbac echoed":   {http.StatusOK, stackRBACJSON},
		"null":          {http.StatusOK, `null`},
		"message only":  {http.StatusOK, `{"message": "Role updated"}`},
		"no content":    {http.StatusNoContent, ``},
		"plain boolean": {http.StatusOK, `true`},
	}
	for name, tc := range responses {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("PUT /api/v1/connections/{id}/rbac", func(w http.ResponseWriter, r *http.Request) {
				assert.Equal(t, stackConnID, r.PathValue("id"))
				testQuery(t, r, nil)
				testJSONBody(t, r, `{"subject_type": "user", "role": "editor", "subject_id": "`+stackUser2ID+`"}`)
				if tc.status == http.StatusNoContent {
					w.WriteHeader(tc.status)
					return
				}
				writeJSON(w, tc.status, tc.body)
			})
			resp, err := c.RBAC.Update(context.Background(), stackConnID, &UpdateRBACRequest{
				SubjectType: models.SubjectTypeUser, Role: models.RoleEditor, SubjectID: stackUser2ID,
			})
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)
		})
	}
}

func TestRBACUpdateForbidden(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("PUT /api/v1/connections/{id}/rbac", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusForbidden, `{"detail": "Only connection admins can change access"}`)
	})
	resp, err := c.RBAC.Update(context.Background(), stackConnID, &UpdateRBACRequest{
		SubjectType: models.SubjectTypeGroup, Role: models.RoleAdmin, SubjectID: stackGroupID,
	})
	assert.ErrorIs(t, err, ErrForbidden)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
}

func TestRBACDelete(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("DELETE /api/v1/connections/{id}/rbac", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, stackConnID, r.PathValue("id"))
		testQuery(t, r, url.Values{"subject_type": {"group"}, "subject_id": {stackGroupID}})
		testNoBody(t, r)
		w.WriteHeader(http.StatusNoContent)
	})
	resp, err := c.RBAC.Delete(context.Background(), stackConnID, &DeleteRBACParams{SubjectType: models.SubjectTypeGroup, SubjectID: stackGroupID})
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
}

func TestRBACUpdateOrganizationRole(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("PATCH /api/v1/connections/{id}/organization-role", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, stackConnID, r.PathValue("id"))
		testQuery(t, r, nil)
		if r.Header.Get("X-Test-Case") == "remove" {
			testJSONBody(t, r, `{"role": null}`)
			writeJSON(w, http.StatusOK, `{"org_level_role": null, "user_roles": {}, "group_roles": {}}`)
			return
		}
		testJSONBody(t, r, `{"role": "editor"}`)
		writeJSON(w, http.StatusOK, `{"org_level_role": "editor", "user_roles": {}, "group_roles": {}}`)
	})
	resp, err := c.RBAC.UpdateOrganizationRole(context.Background(), stackConnID, &UpdateOrganizationRoleRequest{Role: Ptr(models.RoleEditor)})
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	resp, err = c.RBAC.UpdateOrganizationRole(context.Background(), stackConnID, &UpdateOrganizationRoleRequest{Role: nil}, WithHeader("X-Test-Case", "remove"))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestRBACValidation(t *testing.T) {
	t.Parallel()
	c, n := noRequestClient(t)
	ctx := context.Background()
	okReq := func(mut func(*UpdateRBACRequest)) *UpdateRBACRequest {
		r := &UpdateRBACRequest{SubjectType: models.SubjectTypeUser, Role: models.RoleViewer, SubjectID: stackUserID}
		mut(r)
		return r
	}
	calls := map[string]struct {
		call  func() error
		words []string
	}{
		"get bad id":         {func() error { _, _, err := c.RBAC.Get(ctx, "my-connection", nil); return err }, []string{"UUID"}},
		"update nil":         {func() error { _, err := c.RBAC.Update(ctx, stackConnID, nil); return err }, []string{"UpdateRBACRequest"}},
		"update bad conn id": {func() error { _, err := c.RBAC.Update(ctx, "x", okReq(func(*UpdateRBACRequest) {})); return err }, []string{"connection ID"}},
		"update bad subject type": {func() error {
			_, err := c.RBAC.Update(ctx, stackConnID, okReq(func(r *UpdateRBACRequest) { r.SubjectType = "team" }))
			return err
		}, []string{"subject_type"}},
		"update empty subject type": {func() error {
			_, err := c.RBAC.Update(ctx, stackConnID, okReq(func(r *UpdateRBACRequest) { r.SubjectType = "" }))
			return err
		}, []string{"subject_type"}},
		"update subject not uuid": {func() error {
			_, err := c.RBAC.Update(ctx, stackConnID, okReq(func(r *UpdateRBACRequest) { r.SubjectID = "ana@example.com" }))
			return err
		}, []string{"subject ID", "UUID"}},
		"update empty role": {func() error {
			_, err := c.RBAC.Update(ctx, stackConnID, okReq(func(r *UpdateRBACRequest) { r.Role = "" }))
			return err
		}, []string{"role"}},
		"delete nil": {func() error { _, err := c.RBAC.Delete(ctx, stackConnID, nil); return err }, []string{"DeleteRBACParams"}},
		"delete no subject": {func() error {
			_, err := c.RBAC.Delete(ctx, stackConnID, &DeleteRBACParams{SubjectType: models.SubjectTypeUser})
			return err
		}, []string{"subject ID"}},
		"delete bad type": {func() error {
			_, err := c.RBAC.Delete(ctx, stackConnID, &DeleteRBACParams{SubjectType: "org", SubjectID: stackUserID})
			return err
		}, []string{"subject_type"}},
		"org role nil request": {func() error { _, err := c.RBAC.UpdateOrganizationRole(ctx, stackConnID, nil); return err }, []string{"UpdateOrganizationRoleRequest"}},
		"org role bad id": {func() error {
			_, err := c.RBAC.UpdateOrganizationRole(ctx, "", &UpdateOrganizationRoleRequest{Role: nil})
			return err
		}, []string{"connection ID"}},
		"org role empty role": {func() error {
			_, err := c.RBAC.UpdateOrganizationRole(ctx, stackConnID, &UpdateOrganizationRoleRequest{Role: Ptr(models.Role(""))})
			return err
		}, []string{"role", "nil"}},
	}
	for name, tc := range calls {
		t.Run(name, func(t *testing.T) {
			assertInvalidParams(t, tc.call(), tc.words...)
		})
	}
	assert.EqualValues(t, 0, n.Load())
}
