package connapi

import (
	"context"
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

// GetRBACParams are the options of RBAC.Get. The endpoint takes none today; the
// type is there so that one it gains later is a new field, not a new signature.
// Pass nil.
type GetRBACParams struct{}

// UpdateOrganizationRoleRequest is the body of RBAC.UpdateOrganizationRole.
type UpdateOrganizationRoleRequest struct {
	// Role is the organization-wide role, e.g. models.RoleViewer. Nil is sent as
	// null and removes organization-wide access.
	Role *models.Role `json:"role"`
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
// role and the roles of users and groups. p may be nil.
//
// API: GET /api/v1/connections/{connection_id}/rbac
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *RBACService) Get(ctx context.Context, connectionID string, p *GetRBACParams, opts ...RequestOption) (*models.ConnectionRBAC, *Response, error) {
	id, err := stackConnectionID("RBAC.Get", connectionID)
	if err != nil {
		return nil, nil, err
	}
	var out models.ConnectionRBAC
	resp, err := s.client.do(ctx, opRBACGet, "api/v1/connections/"+id+"/rbac", nil, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// Update grants req.Role on the connection with the given UUID to a user or a
// group, replacing the role the subject had. The page answers 200 with no content
// (its schema is "any"), so nothing is returned but the *Response: call Get to read
// the RBAC.
//
// API: PUT /api/v1/connections/{connection_id}/rbac
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *RBACService) Update(ctx context.Context, connectionID string, req *UpdateRBACRequest, opts ...RequestOption) (*Response, error) {
	const op = "RBAC.Update"
	id, err := stackConnectionID(op, connectionID)
	if err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalidParams(op, "an UpdateRBACRequest is required")
	}
	if err := stackCheckSubject(op, req.SubjectType, req.SubjectID); err != nil {
		return nil, err
	}
	if err := stackCheckRole(op, req.Role); err != nil {
		return nil, err
	}
	return s.client.do(ctx, opRBACUpdate, "api/v1/connections/"+id+"/rbac", nil, req, nil, opts)
}

// Delete revokes the role of a user or a group on the connection with the given
// UUID. The page answers "No content" (204). p is required. If an attempt failed
// after the server may have applied it and the retry gets 404, the revocation is
// taken as done: the error is nil and resp.AlreadyApplied is set.
//
// API: DELETE /api/v1/connections/{connection_id}/rbac
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *RBACService) Delete(ctx context.Context, connectionID string, p *DeleteRBACParams, opts ...RequestOption) (*Response, error) {
	const op = "RBAC.Delete"
	id, err := stackConnectionID(op, connectionID)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, invalidParams(op, "DeleteRBACParams are required")
	}
	if err := stackCheckSubject(op, p.SubjectType, p.SubjectID); err != nil {
		return nil, err
	}
	q := url.Values{"subject_type": {string(p.SubjectType)}, "subject_id": {p.SubjectID}}
	return s.client.do(ctx, opRBACDelete, "api/v1/connections/"+id+"/rbac", q, nil, nil, opts)
}

// UpdateOrganizationRole sets the role every member of the organization has on the
// connection with the given UUID. A nil req.Role sends an explicit null, which
// removes organization-wide access (users and groups keep their own roles); req
// itself is required, so that no call removes access by omission. Like Update, the
// page answers 200 with no content: call Get to read the RBAC.
//
// API: PATCH /api/v1/connections/{connection_id}/organization-role
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *RBACService) UpdateOrganizationRole(ctx context.Context, connectionID string, req *UpdateOrganizationRoleRequest, opts ...RequestOption) (*Response, error) {
	const op = "RBAC.UpdateOrganizationRole"
	id, err := stackConnectionID(op, connectionID)
	if err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalidParams(op, "an UpdateOrganizationRoleRequest is required (a nil Role removes organization-wide access)")
	}
	if req.Role != nil && *req.Role == "" {
		return nil, invalidParams(op, "role must not be empty; a nil role removes organization-wide access")
	}
	return s.client.do(ctx, opRBACUpdateOrganizationRole, "api/v1/connections/"+id+"/organization-role", nil, req, nil, opts)
}
