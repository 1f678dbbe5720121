package connapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/connapi/connapi-go/models"
)

// UpdateRBACRequest grants a role on a connection to a user or a group.
type UpdateRBACRequest struct {
	// SubjectType is models.SubjectTypeUser or models.SubjectTypeGroup.
	SubjectType models.SubjectType `json:"subject_type"`
	// Role is the role to grant, e.g. models.RoleEditor.
	Role models.Role `json:"role"`
	// SubjectID is the user's or group's UUID.
	SubjectID string `json:"subject_id"`
}

// DeleteRBACParams names the user or group whose role on a connection is revoked.
type DeleteRBACParams struct {
	// SubjectType is models.SubjectTypeUser or models.SubjectTypeGroup.
	SubjectType models.SubjectType `url:"subject_type"`
	// SubjectID is the user's or group's UUID.
	SubjectID string `url:"subject_id"`
}

func stackCheckSubject(op string, t models.SubjectType, id string) error {
	switch t {
	case models.SubjectTypeUser, models.SubjectTypeGroup:
	default:
		return invalidParams(op, "subject_type must be %q or %q, got %q", models.SubjectTypeUser, models.SubjectTypeGroup, t)
	}
	_, err := stackUUIDParam(op, "subject ID", id)
	return err
}

// stackCheckRole accepts any non-empty role: the page types role as a plain string,
// so the role set is the server's to decide (models.RoleViewer, RoleEditor and
// RoleAdmin are the known ones).
func stackCheckRole(op string, r models.Role) error {
	if r == "" {
		return invalidParams(op, "role is required, e.g. %q", models.RoleViewer)
	}
	return nil
}

// Get returns who may use the connection with the given UUID: the organization-wide
// role and the roles of users and groups.
//
// API: GET /api/v1/connections/{connection_id}/rbac
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *RBACService) Get(ctx context.Context, connectionID string, opts ...RequestOption) (*models.ConnectionRBAC, *Response, error) {
	id, err := stackConnectionID("RBAC.Get", connectionID)
	if err != nil {
		return nil, nil, err
	}
	var out models.ConnectionRBAC
	resp, err := s.client.do(ctx, http.MethodGet, "api/v1/connections/"+id+"/rbac", nil, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// Update grants req.Role on the connection with the given UUID to a user or a
// group, replacing the role the subject had. The page types the 200 answer as
// "any" and shows "No content" (connapitest answers null): when the server sends
// the connection's RBAC back it is returned, otherwise the result is nil; call Get
// to read the RBAC.
//
// API: PUT /api/v1/connections/{connection_id}/rbac
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *RBACService) Update(ctx context.Context, connectionID string, req *UpdateRBACRequest, opts ...RequestOption) (*models.ConnectionRBAC, *Response, error) {
	const op = "RBAC.Update"
	id, err := stackConnectionID(op, connectionID)
	if err != nil {
		return nil, nil, err
	}
	if req == nil {
		return nil, nil, invalidParams(op, "an UpdateRBACRequest is required")
	}
	if err := stackCheckSubject(op, req.SubjectType, req.SubjectID); err != nil {
		return nil, nil, err
	}
	if err := stackCheckRole(op, req.Role); err != nil {
		return nil, nil, err
	}
	return s.send(ctx, http.MethodPut, "api/v1/connections/"+id+"/rbac", nil, req, opts)
}

// Delete revokes the role of a user or a group on the connection with the given
// UUID. The page answers "No content" (204), and the result is then nil; like
// Update, it returns the connection's RBAC should a server send it back. If an
// attempt failed after the server may have applied it and the retry gets 404, the
// revocation is taken as done: the error is nil, resp.AlreadyApplied is set and the
// RBAC is nil.
//
// API: DELETE /api/v1/connections/{connection_id}/rbac
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *RBACService) Delete(ctx context.Context, connectionID string, p *DeleteRBACParams, opts ...RequestOption) (*models.ConnectionRBAC, *Response, error) {
	const op = "RBAC.Delete"
	id, err := stackConnectionID(op, connectionID)
	if err != nil {
		return nil, nil, err
	}
	if p == nil {
		return nil, nil, invalidParams(op, "DeleteRBACParams are required")
	}
	if err := stackCheckSubject(op, p.SubjectType, p.SubjectID); err != nil {
		return nil, nil, err
	}
	q := url.Values{"subject_type": {string(p.SubjectType)}, "subject_id": {p.SubjectID}}
	return s.send(ctx, http.MethodDelete, "api/v1/connections/"+id+"/rbac", q, nil, opts)
}

// UpdateOrganizationRole sets the role every member of the organization has on the
// connection with the given UUID. A nil role sends an explicit null, which removes
// organization-wide access (users and groups keep their own roles). Like Update, it
// returns the connection's RBAC when the server sends it back.
//
// API: PATCH /api/v1/connections/{connection_id}/organization-role
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *RBACService) UpdateOrganizationRole(ctx context.Context, connectionID string, role *models.Role, opts ...RequestOption) (*models.ConnectionRBAC, *Response, error) {
	const op = "RBAC.UpdateOrganizationRole"
	id, err := stackConnectionID(op, connectionID)
	if err != nil {
		return nil, nil, err
	}
	if role != nil && *role == "" {
		return nil, nil, invalidParams(op, "role must not be empty; a nil role removes organization-wide access")
	}
	body := struct {
		Role *models.Role `json:"role"`
	}{role}
	return s.send(ctx, http.MethodPatch, "api/v1/connections/"+id+"/organization-role", nil, body, opts)
}

// send runs an RBAC write and decodes the body as the connection's RBAC when it is
// an object carrying any of its fields.
func (s *RBACService) send(ctx context.Context, method, path string, q, in any, opts []RequestOption) (*models.ConnectionRBAC, *Response, error) {
	var raw rawBody
	resp, err := s.client.do(ctx, method, path, q, in, &raw, opts)
	if err != nil {
		return nil, resp, err
	}
	b := bytes.TrimSpace(raw.data)
	if len(b) == 0 || b[0] != '{' {
		return nil, resp, nil
	}
	var keys map[string]json.RawMessage
	if json.Unmarshal(b, &keys) != nil {
		// The write succeeded; a body that is not an RBAC object just carries none.
		return nil, resp, nil //nolint:nilerr // see above
	}
	_, a := keys["org_level_role"]
	_, u := keys["user_roles"]
	_, g := keys["group_roles"]
	if !a && !u && !g {
		return nil, resp, nil
	}
	var out models.ConnectionRBAC
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, resp, &ResponseError{Method: method, Path: path, StatusCode: resp.StatusCode, ContentType: raw.contentType, Err: err}
	}
	return &out, resp, nil
}
