package models

// Stack AI connections (https://docs.stack-ai.com/stack-ai/api-reference/connections).
//
// JSON names are the vendor's snake_case. Two generations of the API are read into
// the same types: the newer one (provider_id, connection_type_id, created_by and
// updated_by) and the older one (connection_provider, share_with_org, user_id).

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
	"strings"
)

// UserProfile is the Stack AI user who created or last updated an object. Every
// field but ID may be null on the wire, which leaves it at its zero value.
type UserProfile struct {
	ID                     string    `json:"id"`
	Email                  string    `json:"email,omitempty"`
	FullName               string    `json:"full_name,omitempty"`
	AvatarURL              string    `json:"avatar_url,omitempty"`
	HasCompletedOnboarding bool      `json:"has_completed_onboarding,omitempty"`
	LastSignedIn           Timestamp `json:"last_signed_in,omitzero"`
	UpdatedAt              Timestamp `json:"updated_at,omitzero"`
}

// Connection is a Stack AI connection: the stored credentials that link a Stack AI
// organization to an external provider such as Google Drive or Slack.
type Connection struct {
	// ConnectionID is the connection's UUID.
	ConnectionID string `json:"connection_id"`
	// Name defaults to "Unnamed connection" on the server.
	Name  string `json:"name,omitempty"`
	OrgID string `json:"org_id,omitempty"`
	// ProviderID and ConnectionTypeID name the provider and the kind of connection
	// (see AvailableConnection).
	ProviderID       string `json:"provider_id,omitempty"`
	ConnectionTypeID string `json:"connection_type_id,omitempty"`
	// ConnectionProviderData is the provider-specific data, free-form.
	ConnectionProviderData map[string]any `json:"connection_provider_data,omitempty"`
	CreatedAt              Timestamp      `json:"created_at,omitzero"`
	UpdatedAt              Timestamp      `json:"updated_at,omitzero"`
	CreatedBy              *UserProfile   `json:"created_by,omitempty"`
	UpdatedBy              *UserProfile   `json:"updated_by,omitempty"`

	// ConnectionProvider is the older API's provider name (newer: ProviderID).
	ConnectionProvider string `json:"connection_provider,omitempty"`
	// ShareWithOrg is the older API's organization sharing flag; nil when absent.
	ShareWithOrg *bool `json:"share_with_org,omitempty"`
	// UserID is the older API's owner UUID.
	UserID string `json:"user_id,omitempty"`
}

// ConnectionRequest is the body that creates or replaces a connection, and that
// starts or completes an OAuth flow.
type ConnectionRequest struct {
	// Name is optional; the server uses "Unnamed connection" when it is empty.
	Name string `json:"name,omitempty"`
	// ProviderID is required, e.g. "gdrive".
	ProviderID string `json:"provider_id"`
	// ConnectionTypeID is required, e.g. "gdrive" or "gdrive_oauth".
	ConnectionTypeID string `json:"connection_type_id"`
	// ConnectionProviderData holds the provider's parameters (the Params of the
	// AvailableConnection). The server requires an object, so nil is sent as {}.
	ConnectionProviderData map[string]any `json:"connection_provider_data"`
}

// MarshalJSON sends a nil ConnectionProviderData as {} rather than null.
func (r ConnectionRequest) MarshalJSON() ([]byte, error) {
	type plain ConnectionRequest
	p := plain(r)
	if p.ConnectionProviderData == nil {
		p.ConnectionProviderData = map[string]any{}
	}
	return json.Marshal(p)
}

// ConnectionType says how a connection authenticates. It is an open set.
type ConnectionType string

// Known connection types.
const (
	ConnectionTypeCredentials ConnectionType = "credentials"
	ConnectionTypeOAuth       ConnectionType = "oauth"
)

// AvailableConnection is a kind of connection that can be configured, with the
// parameters its ConnectionProviderData takes.
type AvailableConnection struct {
	ConnectionTypeID string                     `json:"connection_type_id,omitempty"`
	ProviderID       string                     `json:"provider_id,omitempty"`
	Name             string                     `json:"name,omitempty"`
	Description      string                     `json:"description,omitempty"`
	Labels           []string                   `json:"labels,omitempty"`
	Params           []AvailableConnectionParam `json:"params,omitempty"`
	MinimumPlan      string                     `json:"minimum_plan,omitempty"`
	// Color is a CSS color such as "#A3A3A3".
	Color            string         `json:"color,omitempty"`
	IsMarketingStunt bool           `json:"is_marketing_stunt,omitempty"`
	ConnectionType   ConnectionType `json:"connection_type,omitempty"`

	// ID and Icon are the older API's fields (newer: ConnectionTypeID, ProviderID).
	ID   string `json:"id,omitempty"`
	Icon string `json:"icon,omitempty"`
}

// AvailableConnectionParam describes one parameter of an AvailableConnection, as a
// form field.
type AvailableConnectionParam struct {
	// Name is the key in ConnectionRequest.ConnectionProviderData.
	Name        string `json:"name,omitempty"`
	Label       string `json:"label,omitempty"`
	Type        string `json:"type,omitempty"`
	Placeholder string `json:"placeholder,omitempty"`
	// Default is a float64, a string or nil, as JSON decodes into any.
	Default  any    `json:"default,omitempty"`
	Help     string `json:"help,omitempty"`
	URL      string `json:"url,omitempty"`
	Required bool   `json:"required,omitempty"`
}

// InodeType tells files from directories. It is an open set.
type InodeType string

// Known inode types.
const (
	InodeTypeFile      InodeType = "file"
	InodeTypeDirectory InodeType = "directory"
)

// ResourceStatus is the indexing state of a file. It is an open set.
type ResourceStatus string

// Known resource statuses.
const (
	ResourceStatusResource      ResourceStatus = "resource"
	ResourceStatusIndexed       ResourceStatus = "indexed"
	ResourceStatusPending       ResourceStatus = "pending"
	ResourceStatusPendingDelete ResourceStatus = "pending_delete"
	ResourceStatusDeleted       ResourceStatus = "deleted"
	ResourceStatusError         ResourceStatus = "error"
)

// InodePath is where a resource sits in the provider, e.g. "Reports/2025/q1.pdf".
// It reads both {"path": "…"} and a bare string.
type InodePath struct {
	Path string `json:"path"`
}

// UnmarshalJSON implements json.Unmarshaler.
func (p *InodePath) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		p.Path = ""
		return nil
	case b[0] == '"':
		return json.Unmarshal(b, &p.Path)
	}
	type plain InodePath
	var v plain
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = InodePath(v)
	return nil
}

// Resource is a file or directory behind a Stack AI connection (the vendor's
// StackFile and StackDirectory). The content fields and Status are set for files
// only.
type Resource struct {
	ResourceID string    `json:"resource_id"`
	InodeType  InodeType `json:"inode_type,omitempty"`
	InodePath  InodePath `json:"inode_path,omitzero"`
	InodeID    string    `json:"inode_id,omitempty"`
	// KnowledgeBaseID is set when the resource is read through a knowledge base.
	KnowledgeBaseID string         `json:"knowledge_base_id,omitempty"`
	Status          ResourceStatus `json:"status,omitempty"`
	Size            int64          `json:"size,omitempty"`
	ContentMime     string         `json:"content_mime,omitempty"`
	ContentHash     string         `json:"content_hash,omitempty"`
	CreatedAt       Timestamp      `json:"created_at,omitzero"`
	ModifiedAt      Timestamp      `json:"modified_at,omitzero"`
	IndexedAt       Timestamp      `json:"indexed_at,omitzero"`
	// DataloaderMetadata and UserMetadata are free-form.
	DataloaderMetadata map[string]any `json:"dataloader_metadata,omitempty"`
	UserMetadata       map[string]any `json:"user_metadata,omitempty"`
}

// IsDirectory reports whether the resource is a directory.
func (r *Resource) IsDirectory() bool { return r != nil && r.InodeType == InodeTypeDirectory }

// ResourcePage is one page of resources: Stack AI's cursor envelope
// {data, next_cursor, current_cursor}. NextCursor is empty on the last page.
type ResourcePage struct {
	Data          []*Resource `json:"data"`
	NextCursor    string      `json:"next_cursor,omitempty"`
	CurrentCursor string      `json:"current_cursor,omitempty"`
}

// ConnectionPage is one page of GET /api/v1/connections. The envelope is not
// documented, so a bare array and an object with the items under "items", "data"
// or "results" (and any of "total", "total_count", "count", "limit", "offset",
// "has_more", "has_next_page") all decode. Fields the server did not send stay nil.
type ConnectionPage struct {
	Items   []*Connection `json:"items"`
	Total   *int          `json:"total,omitempty"`
	Limit   *int          `json:"limit,omitempty"`
	Offset  *int          `json:"offset,omitempty"`
	HasMore *bool         `json:"has_more,omitempty"`
}

// UnmarshalJSON implements json.Unmarshaler.
func (p *ConnectionPage) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return nil
	}
	if b[0] == '[' {
		*p = ConnectionPage{}
		return json.Unmarshal(b, &p.Items)
	}
	var env struct {
		Items       json.RawMessage `json:"items"`
		Data        json.RawMessage `json:"data"`
		Results     json.RawMessage `json:"results"`
		Total       *int            `json:"total"`
		TotalCount  *int            `json:"total_count"`
		Count       *int            `json:"count"`
		Limit       *int            `json:"limit"`
		Offset      *int            `json:"offset"`
		HasMore     *bool           `json:"has_more"`
		HasNextPage *bool           `json:"has_next_page"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return err
	}
	out := ConnectionPage{
		Total:   stackFirstNonNil(env.Total, env.TotalCount, env.Count),
		Limit:   env.Limit,
		Offset:  env.Offset,
		HasMore: stackFirstNonNil(env.HasMore, env.HasNextPage),
	}
	for _, raw := range []json.RawMessage{env.Items, env.Data, env.Results} {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
			continue
		}
		if err := json.Unmarshal(raw, &out.Items); err != nil {
			return err
		}
		break
	}
	*p = out
	return nil
}

func stackFirstNonNil[T any](vals ...*T) *T {
	for _, v := range vals {
		if v != nil {
			return v
		}
	}
	return nil
}

// Role is an access level on a Stack AI connection. The API reference types it as
// a plain string, so it is an open set and the server has the last say; the values
// Stack AI's role model uses are the constants below.
type Role string

// Known roles: the values of Stack AI's API role model (viewer, editor, admin). The
// governance pages' labels "view" and "edit" name the same levels in the web app;
// they are not API values, and a server refuses them.
const (
	RoleViewer Role = "viewer"
	RoleEditor Role = "editor"
	RoleAdmin  Role = "admin"
)

// SubjectType says whether an RBAC subject is a user or a group.
type SubjectType string

// Subject types.
const (
	SubjectTypeUser  SubjectType = "user"
	SubjectTypeGroup SubjectType = "group"
)

// ConnectionRBAC is who may use a connection: a role for the whole organization
// (nil when the organization as a whole has no access) and roles granted to users
// and groups.
type ConnectionRBAC struct {
	OrgLevelRole *Role           `json:"org_level_role"`
	UserRoles    RoleAssignments `json:"user_roles,omitempty"`
	GroupRoles   RoleAssignments `json:"group_roles,omitempty"`
	// Raw is the body as the server sent it, for shapes RoleAssignments reads
	// differently than intended.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON implements json.Unmarshaler and keeps the raw body in Raw.
func (r *ConnectionRBAC) UnmarshalJSON(b []byte) error {
	type plain ConnectionRBAC
	var v plain
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = ConnectionRBAC(v)
	r.Raw = bytes.Clone(b)
	return nil
}

// RoleAssignments maps a subject ID (a user or group UUID) to its roles.
//
// The wire shape is not documented, so decoding accepts all of these:
//
//	{"<subject_id>": ["editor"]}            subject → roles
//	{"<subject_id>": "editor"}              subject → role
//	{"editor": ["<subject_id>", …]}         role → subjects (keys that are role
//	                                        names, or values that are all UUIDs)
//	[{"subject_id"|"user_id"|"group_id"|"id": "…", "role": "…"|"roles": […]}]
//	["<subject_id>", …]                     subjects without a role
//
// and always yields subject → roles (for role → subjects, roles in key order).
// Values of any other shape are skipped.
type RoleAssignments map[string][]Role

// Roles returns the roles of subjectID.
func (a RoleAssignments) Roles(subjectID string) []Role { return a[subjectID] }

// Subjects returns the IDs of the subjects that hold role, sorted.
func (a RoleAssignments) Subjects(role Role) []string {
	var out []string
	for id, roles := range a {
		if slices.Contains(roles, role) {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// UnmarshalJSON implements json.Unmarshaler; see RoleAssignments for the shapes.
func (a *RoleAssignments) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	out := RoleAssignments{}
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*a = nil
		return nil
	case b[0] == '{':
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
		vals := make(map[string][]string, len(m))
		for k, raw := range m {
			if v, ok := stackStrings(raw); ok {
				vals[k] = v
			}
		}
		byRole := len(vals) > 0
		for k, v := range vals {
			if !stackIsRoleKey(k, v) {
				byRole = false
				break
			}
		}
		keys := make([]string, 0, len(vals))
		for k := range vals {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := vals[k]
			if byRole {
				for _, id := range v {
					out.add(id, Role(k))
				}
				continue
			}
			if len(v) == 0 {
				out.add(k, "")
			}
			for _, r := range v {
				out.add(k, Role(r))
			}
		}
	case b[0] == '[':
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		for _, raw := range items {
			var id string
			if json.Unmarshal(raw, &id) == nil {
				out.add(id, "")
				continue
			}
			var obj map[string]json.RawMessage
			if json.Unmarshal(raw, &obj) != nil {
				continue
			}
			id = ""
			for _, k := range []string{"subject_id", "user_id", "group_id", "id"} {
				if s, ok := stackStrings(obj[k]); ok && len(s) == 1 {
					id = s[0]
					break
				}
			}
			if id == "" {
				continue
			}
			var roles []string
			for _, k := range []string{"role", "roles"} {
				if s, ok := stackStrings(obj[k]); ok {
					roles = append(roles, s...)
				}
			}
			if len(roles) == 0 {
				out.add(id, "")
			}
			for _, r := range roles {
				out.add(id, Role(r))
			}
		}
	default:
		// A scalar: nothing usable.
	}
	*a = out
	return nil
}

// add records role for id; an empty role only makes sure id is present.
func (a RoleAssignments) add(id string, role Role) {
	if id == "" {
		return
	}
	if role == "" {
		if _, ok := a[id]; !ok {
			a[id] = []Role{}
		}
		return
	}
	if !slices.Contains(a[id], role) {
		a[id] = append(a[id], role)
	}
}

// stackStrings reads a JSON string, an array of strings (non-strings skipped)
// or null.
func stackStrings(raw json.RawMessage) ([]string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, false
	}
	if bytes.Equal(raw, []byte("null")) {
		return nil, true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []string{s}, true
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil, false
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		if json.Unmarshal(it, &s) == nil && s != "" {
			out = append(out, s)
		}
	}
	return out, true
}

// stackIsRoleKey reports whether a map entry reads as role → subject IDs: the key
// is not a UUID, and it is a known role name or its values are all UUIDs.
func stackIsRoleKey(key string, vals []string) bool {
	if stackIsUUID(key) {
		return false
	}
	switch Role(strings.ToLower(key)) {
	case RoleViewer, RoleEditor, RoleAdmin, "user", "owner":
		return true
	}
	if len(vals) == 0 {
		return false
	}
	for _, v := range vals {
		if !stackIsUUID(v) {
			return false
		}
	}
	return true
}

// stackIsUUID reports whether s has the 8-4-4-4-12 hex form.
func stackIsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
