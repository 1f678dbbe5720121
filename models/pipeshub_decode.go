package models

// One-pass decoders of the PipesHub types that come in pages (issue 12). They
// read exactly what the map-based decoders (unmarshalWire, in pipeshub.go) read —
// the golden corpus (golden_test.go) holds them to it — without building a map of
// the members first and decoding each member again: both wire shapes, aliases
// ranked as before whatever the order of the members, nulls skipped, members of
// the wrong type and unknown ones kept in Extra. An object with a repeated member
// is handed to unmarshalWire, which reads the last of them.

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/connapi/connapi-go/internal/jsonread"
)

// unmarshalOnePass runs decode over b, a whole JSON value: null gives the zero
// value, a repeated member hands b to slow.
func unmarshalOnePass[T any](b []byte, what string, dst *T, decode func(*jsonread.Reader, *T) error, slow func([]byte) error) error {
	var r jsonread.Reader
	r.Reset(b)
	var v T
	if !r.Null() {
		if err := decode(&r, &v); err != nil {
			if errors.Is(err, jsonread.ErrDuplicate) {
				return slow(b)
			}
			return fmt.Errorf("models.%s: %w", what, err)
		}
	}
	if err := r.End(); err != nil {
		return fmt.Errorf("models.%s: %w", what, err)
	}
	*dst = v
	return nil
}

// inline decodes the object at r with decode, or, when it has a repeated member,
// its bytes with slow.
func inline[T any](r *jsonread.Reader, v *T, decode func(*jsonread.Reader, *T) error, slow func(*T, []byte) error) error {
	start := r.Mark()
	err := decode(r, v)
	if !errors.Is(err, jsonread.ErrDuplicate) {
		return err
	}
	r.Rewind(start)
	b := r.Skip()
	if err := r.Err(); err != nil {
		return err
	}
	var zero T
	*v = zero
	return slow(v, b)
}

func notObject(r *jsonread.Reader) error {
	if err := r.Err(); err != nil {
		return err
	}
	c := r.Peek()
	if c == 0 {
		return errors.New("unexpected end of JSON input")
	}
	return fmt.Errorf("cannot read a value starting with %q as an object", c)
}

// UnmarshalJSON reads both the spec's and the backend's shape.
func (c *ConnectorInstance) UnmarshalJSON(b []byte) error {
	return unmarshalOnePass(b, "ConnectorInstance", c, decodeConnectorInstance, c.unmarshalWire)
}

func decodeConnectorInstance(r *jsonread.Reader, c *ConnectorInstance) error {
	if !r.Object() {
		return notObject(r)
	}
	o := jsonread.Members{R: r, KeepExtra: true}
	var id, name, typ, agent, lastSync, created, updated uint8
	syncTaken := false
	for first := true; ; {
		key := r.Member(&first)
		if key == nil {
			break
		}
		o.Key = key
		switch string(key) {
		case "connectorId":
			if o.Known(0) {
				jsonread.Take(&o, &c.ConnectorID, &id, 0, jsonread.ReadStr)
			}
		case "_key":
			if o.Known(1) {
				jsonread.Take(&o, &c.ConnectorID, &id, 1, jsonread.ReadStr)
			}
		case "instanceName":
			if o.Known(2) {
				jsonread.Take(&o, &c.InstanceName, &name, 0, jsonread.ReadStr)
			}
		case "name":
			if o.Known(3) {
				jsonread.Take(&o, &c.InstanceName, &name, 1, jsonread.ReadStr)
			}
		case "connectorType":
			if o.Known(4) {
				jsonread.Take(&o, &c.ConnectorType, &typ, 0, jsonread.ReadShared)
			}
		case "type":
			if o.Known(5) {
				jsonread.Take(&o, &c.ConnectorType, &typ, 1, jsonread.ReadShared)
			}
		case "scope":
			if o.Known(6) {
				jsonread.Take1(&o, &c.Scope, jsonread.ReadSharedAs[ConnectorScope])
			}
		case "authType":
			if o.Known(7) {
				jsonread.Take1(&o, &c.AuthType, jsonread.ReadSharedAs[AuthType])
			}
		case "orgId":
			if o.Known(8) {
				jsonread.Take1(&o, &c.OrgID, jsonread.ReadShared)
			}
		case "createdBy":
			if o.Known(9) {
				jsonread.Take1(&o, &c.CreatedBy, jsonread.ReadShared)
			}
		case "updatedBy":
			if o.Known(10) {
				jsonread.Take1(&o, &c.UpdatedBy, jsonread.ReadShared)
			}
		case "isActive":
			if o.Known(11) {
				jsonread.Take1(&o, &c.IsActive, jsonread.ReadBool)
			}
		case "isConfigured":
			if o.Known(12) {
				jsonread.Take1(&o, &c.IsConfigured, jsonread.ReadBool)
			}
		case "isAuthenticated":
			if o.Known(13) {
				jsonread.Take1(&o, &c.IsAuthenticated, jsonread.ReadBool)
			}
		case "syncEnabled":
			if o.Known(14) {
				syncTaken = jsonread.Take1(&o, &c.SyncEnabled, jsonread.ReadBool)
			}
		case "agentEnabled":
			if o.Known(15) {
				jsonread.Take(&o, &c.AgentEnabled, &agent, 0, jsonread.ReadBool)
			}
		case "isAgentActive":
			if o.Known(16) {
				jsonread.Take(&o, &c.AgentEnabled, &agent, 1, jsonread.ReadBool)
			}
		case "pendingFullSync":
			if o.Known(17) {
				jsonread.Take1(&o, &c.PendingFullSync, jsonread.ReadBool)
			}
		case "lastSyncAt":
			if o.Known(18) {
				jsonread.Take(&o, &c.LastSyncAt, &lastSync, 0, readTimestamp)
			}
		case "lastSyncTimestamp":
			if o.Known(19) {
				jsonread.Take(&o, &c.LastSyncAt, &lastSync, 1, readTimestamp)
			}
		case "createdAt":
			if o.Known(20) {
				jsonread.Take(&o, &c.CreatedAt, &created, 0, readTimestamp)
			}
		case "createdAtTimestamp":
			if o.Known(21) {
				jsonread.Take(&o, &c.CreatedAt, &created, 1, readTimestamp)
			}
		case "updatedAt":
			if o.Known(22) {
				jsonread.Take(&o, &c.UpdatedAt, &updated, 0, readTimestamp)
			}
		case "updatedAtTimestamp":
			if o.Known(23) {
				jsonread.Take(&o, &c.UpdatedAt, &updated, 1, readTimestamp)
			}
		case "status":
			if o.Known(24) {
				jsonread.Take1(&o, &c.Status, jsonread.ReadShared)
			}
		case "isLocked":
			if o.Known(25) {
				jsonread.Take1(&o, &c.IsLocked, jsonread.ReadBool)
			}
		case "created":
			if o.Known(26) {
				jsonread.Take1(&o, &c.Created, jsonread.ReadBool)
			}
		case "appGroup":
			if o.Known(27) {
				jsonread.Take1(&o, &c.AppGroup, jsonread.ReadShared)
			}
		case "appDescription":
			if o.Known(28) {
				jsonread.Take1(&o, &c.AppDescription, jsonread.ReadShared)
			}
		case "appCategories":
			if o.Known(29) {
				jsonread.Take1(&o, &c.AppCategories, jsonread.Strs[string])
			}
		case "iconPath":
			if o.Known(30) {
				jsonread.Take1(&o, &c.IconPath, jsonread.ReadShared)
			}
		case "supportedAuthTypes":
			if o.Known(31) {
				jsonread.Take1(&o, &c.SupportedAuthTypes, jsonread.Strs[AuthType])
			}
		case "supportsRealtime":
			if o.Known(32) {
				jsonread.Take1(&o, &c.SupportsRealtime, jsonread.ReadBool)
			}
		case "supportsSync":
			if o.Known(33) {
				jsonread.Take1(&o, &c.SupportsSync, jsonread.ReadBool)
			}
		case "supportsAgent":
			if o.Known(34) {
				jsonread.Take1(&o, &c.SupportsAgent, jsonread.ReadBool)
			}
		case "documentationLinks":
			if o.Known(35) {
				jsonread.Take1(&o, &c.DocumentationLinks, readDocumentationLinks)
			}
		case "isAdminAccessRequired":
			if o.Known(36) {
				jsonread.Take1(&o, &c.IsAdminAccessRequired, jsonread.ReadBool)
			}
		case "connectorInfo":
			if o.Known(37) {
				jsonread.Take1(&o, &c.ConnectorInfo, jsonread.ReadShared)
			}
		case "config":
			if o.Known(38) {
				jsonread.Take1(&o, &c.Config, jsonread.ReadRaw)
			}
		default:
			o.Other()
		}
	}
	if err := r.Err(); err != nil {
		return err
	}
	if !syncTaken {
		c.SyncEnabled = c.IsActive
	}
	c.Extra = o.Extra
	return nil
}

// readDocumentationLinks reads documentationLinks as encoding/json does: objects
// with exactly the names title, url and type are read here, anything else by
// encoding/json (which matches names without regard to case).
func readDocumentationLinks(r *jsonread.Reader) ([]ConnectorDocumentationLink, bool) {
	if r.Peek() != '[' {
		return nil, false
	}
	start := r.Mark()
	if out, ok := documentationLinks(r); ok {
		return out, true
	}
	r.Rewind(start)
	return jsonread.ReadUnmarshal[[]ConnectorDocumentationLink](r)
}

func documentationLinks(r *jsonread.Reader) ([]ConnectorDocumentationLink, bool) {
	r.Array()
	out := []ConnectorDocumentationLink{}
	for first := true; r.Element(&first); {
		var l ConnectorDocumentationLink
		if !r.Null() {
			if !r.Object() {
				return nil, false
			}
			for first := true; ; {
				key := r.Member(&first)
				if key == nil {
					break
				}
				var dst *string
				switch string(key) {
				case "title":
					dst = &l.Title
				case "url":
					dst = &l.URL
				case "type":
					dst = &l.Type
				default:
					return nil, false
				}
				if r.Null() {
					continue
				}
				s, ok := r.SharedStr()
				if !ok {
					return nil, false
				}
				*dst = s
			}
		}
		if r.Err() != nil {
			return nil, false
		}
		out = append(out, l)
	}
	return out, r.Err() == nil
}

// readTimestamp reads what Timestamp.UnmarshalJSON accepts.
func readTimestamp(r *jsonread.Reader) (Timestamp, bool) {
	start := r.Mark()
	b := r.Skip()
	if r.Err() != nil {
		return Timestamp{}, false
	}
	var t Timestamp
	if t.UnmarshalJSON(b) != nil {
		r.Rewind(start)
		return Timestamp{}, false
	}
	return t, true
}

// UnmarshalJSON reads both the spec's and the backend's shape.
func (p *ConnectorPagination) UnmarshalJSON(b []byte) error {
	return unmarshalOnePass(b, "ConnectorPagination", p, decodeConnectorPagination, p.unmarshalWire)
}

func decodeConnectorPagination(r *jsonread.Reader, p *ConnectorPagination) error {
	if !r.Object() {
		return notObject(r)
	}
	o := jsonread.Members{R: r, KeepExtra: true}
	var total, hasMore uint8
	for first := true; ; {
		key := r.Member(&first)
		if key == nil {
			break
		}
		o.Key = key
		switch string(key) {
		case "page":
			if o.Known(0) {
				jsonread.Take1(&o, &p.Page, jsonread.ReadInt)
			}
		case "limit":
			if o.Known(1) {
				jsonread.Take1(&o, &p.Limit, jsonread.ReadInt)
			}
		case "total":
			if o.Known(2) && jsonread.Take(&o, &p.Total, &total, 0, jsonread.ReadInt) {
				p.totalSet = true
			}
		case "totalCount":
			if o.Known(3) && jsonread.Take(&o, &p.Total, &total, 1, jsonread.ReadInt) {
				p.totalSet = true
			}
		case "totalPages":
			if o.Known(4) {
				jsonread.Take1(&o, &p.TotalPages, jsonread.ReadInt)
			}
		case "hasMore":
			if o.Known(5) && jsonread.Take(&o, &p.HasMore, &hasMore, 0, jsonread.ReadBool) {
				p.hasMoreSet = true
			}
		case "hasNext":
			if o.Known(6) && jsonread.Take(&o, &p.HasMore, &hasMore, 1, jsonread.ReadBool) {
				p.hasMoreSet = true
			}
		case "hasPrev":
			if o.Known(7) {
				jsonread.Take1(&o, &p.HasPrev, jsonread.ReadBool)
			}
		case "nextPage":
			if o.Known(8) && (r.Peek() == 'n' && r.Null() || jsonread.Take1(&o, &p.NextPage, jsonread.ReadIntPtr)) {
				p.nextPageSet = true
			}
		case "prevPage":
			if o.Known(9) && (r.Peek() == 'n' && r.Null() || jsonread.Take1(&o, &p.PrevPage, jsonread.ReadIntPtr)) {
				p.prevPageSet = true
			}
		case "search":
			if o.Known(10) {
				jsonread.Take1(&o, &p.Search, jsonread.ReadStr)
			}
		default:
			o.Other()
		}
	}
	if err := r.Err(); err != nil {
		return err
	}
	p.Extra = o.Extra
	return nil
}

// readPagination reads a pagination object in place; false for anything else.
func readPagination(r *jsonread.Reader) (*ConnectorPagination, bool) {
	if r.Peek() != '{' {
		return nil, false
	}
	p := new(ConnectorPagination)
	if inline(r, p, decodeConnectorPagination, (*ConnectorPagination).unmarshalWire) != nil {
		return nil, false
	}
	return p, true
}

// UnmarshalJSON reads the flat and the nested shape.
func (l *ConnectorInstanceList) UnmarshalJSON(b []byte) error {
	return unmarshalOnePass(b, "ConnectorInstanceList", l, decodeConnectorInstanceList, l.unmarshalWire)
}

func decodeConnectorInstanceList(r *jsonread.Reader, l *ConnectorInstanceList) error {
	if !r.Object() {
		return notObject(r)
	}
	defer r.Intern()()
	o := jsonread.Members{R: r}
	var nested *ConnectorInstanceList
	var pagination *ConnectorPagination
	var scopeCounts *ConnectorScopeCounts
	for first := true; ; {
		key := r.Member(&first)
		if key == nil {
			break
		}
		o.Key = key
		switch string(key) {
		case "connectors":
			if !o.Known(0) {
				break
			}
			switch r.Peek() {
			case '{':
				nested = new(ConnectorInstanceList)
				if err := inline(r, nested, decodeConnectorInstanceList, (*ConnectorInstanceList).unmarshalWire); err != nil {
					return err
				}
			case '[':
				r.Array()
				l.Connectors = []*ConnectorInstance{}
				for first := true; r.Element(&first); {
					if r.Null() {
						continue
					}
					if r.Peek() != '{' {
						return fmt.Errorf("connectors: %w", notObject(r))
					}
					c := new(ConnectorInstance)
					if err := inline(r, c, decodeConnectorInstance, (*ConnectorInstance).unmarshalWire); err != nil {
						return fmt.Errorf("connectors: %w", err)
					}
					l.Connectors = append(l.Connectors, c)
				}
			default:
				if !r.Null() {
					return fmt.Errorf("connectors: %w", notObject(r))
				}
			}
		case "pagination":
			if o.Known(1) {
				jsonread.Take1(&o, &pagination, readPagination)
			}
		case "scopeCounts":
			if o.Known(2) {
				jsonread.Take1(&o, &scopeCounts, jsonread.ReadUnmarshal[*ConnectorScopeCounts])
			}
		default:
			r.Skip()
		}
	}
	if err := r.Err(); err != nil {
		return err
	}
	if nested != nil {
		*l = *nested
	}
	if pagination != nil {
		l.Pagination = pagination
	}
	if scopeCounts != nil {
		l.ScopeCounts = scopeCounts
	}
	return nil
}

// UnmarshalJSON reads both the spec's and the backend's shape.
func (t *ConnectorType) UnmarshalJSON(b []byte) error {
	return unmarshalOnePass(b, "ConnectorType", t, decodeConnectorType, t.unmarshalWire)
}

func decodeConnectorType(r *jsonread.Reader, t *ConnectorType) error {
	if !r.Object() {
		return notObject(r)
	}
	o := jsonread.Members{R: r, KeepExtra: true}
	var typ, name, desc, auth, cats uint8
	// supportedScopes is an array; the backend's scope an array or a string.
	var scopes, scopeList []ConnectorScope
	var scopeOne ConnectorScope
	var scopeRaw []byte
	scopesOK, scopeListOK, scopeOneOK := false, false, false
	for first := true; ; {
		key := r.Member(&first)
		if key == nil {
			break
		}
		o.Key = key
		switch string(key) {
		case "connectorType":
			if o.Known(0) {
				jsonread.Take(&o, &t.ConnectorType, &typ, 0, jsonread.ReadShared)
			}
		case "type":
			if o.Known(1) {
				jsonread.Take(&o, &t.ConnectorType, &typ, 1, jsonread.ReadShared)
			}
		case "displayName":
			if o.Known(2) {
				jsonread.Take(&o, &t.DisplayName, &name, 0, jsonread.ReadStr)
			}
		case "name":
			if o.Known(3) {
				jsonread.Take(&o, &t.DisplayName, &name, 1, jsonread.ReadStr)
			}
		case "description":
			if o.Known(4) {
				jsonread.Take(&o, &t.Description, &desc, 0, jsonread.ReadStr)
			}
		case "appDescription":
			if o.Known(5) {
				jsonread.Take(&o, &t.Description, &desc, 1, jsonread.ReadStr)
			}
		case "appGroupId":
			if o.Known(6) {
				jsonread.Take1(&o, &t.AppGroupID, jsonread.ReadShared)
			}
		case "appGroup":
			if o.Known(7) {
				jsonread.Take1(&o, &t.AppGroup, jsonread.ReadShared)
			}
		case "authTypes":
			if o.Known(8) {
				jsonread.Take(&o, &t.AuthTypes, &auth, 0, jsonread.Strs[AuthType])
			}
		case "supportedAuthTypes":
			if o.Known(9) {
				jsonread.Take(&o, &t.AuthTypes, &auth, 1, jsonread.Strs[AuthType])
			}
		case "supportedScopes":
			if o.Known(10) {
				scopesOK = jsonread.Take1(&o, &scopes, jsonread.Strs[ConnectorScope])
			}
		case "scope":
			if !o.Known(11) || r.Null() {
				break
			}
			scopeRaw = r.Skip()
			sub := r.Sub(scopeRaw)
			if scopeList, scopeListOK = jsonread.Strs[ConnectorScope](&sub); !scopeListOK {
				sub = r.Sub(scopeRaw)
				scopeOne, scopeOneOK = jsonread.ReadSharedAs[ConnectorScope](&sub)
			}
		case "supportsSync":
			if o.Known(12) {
				jsonread.Take1(&o, &t.SupportsSync, jsonread.ReadBool)
			}
		case "supportsAgent":
			if o.Known(13) {
				jsonread.Take1(&o, &t.SupportsAgent, jsonread.ReadBool)
			}
		case "supportsRealtime":
			if o.Known(14) {
				jsonread.Take1(&o, &t.SupportsRealtime, jsonread.ReadBool)
			}
		case "iconPath":
			if o.Known(15) {
				jsonread.Take1(&o, &t.IconPath, jsonread.ReadShared)
			}
		case "categories":
			if o.Known(16) {
				jsonread.Take(&o, &t.Categories, &cats, 0, jsonread.Strs[string])
			}
		case "appCategories":
			if o.Known(17) {
				jsonread.Take(&o, &t.Categories, &cats, 1, jsonread.Strs[string])
			}
		case "isBeta":
			if o.Known(18) {
				jsonread.Take1(&o, &t.IsBeta, jsonread.ReadBool)
			}
		case "connectorInfo":
			if o.Known(19) {
				jsonread.Take1(&o, &t.ConnectorInfo, jsonread.ReadStr)
			}
		case "config":
			if o.Known(20) {
				jsonread.Take1(&o, &t.Config, jsonread.ReadRaw)
			}
		default:
			o.Other()
		}
	}
	if err := r.Err(); err != nil {
		return err
	}
	// As the map-based reading did: the arrays first (supportedScopes before
	// scope), then scope as one string; a scope string left over stays in Extra.
	switch {
	case scopesOK:
		t.SupportedScopes = scopes
	case scopeListOK:
		t.SupportedScopes = scopeList
	case scopeOneOK:
		t.SupportedScopes = []ConnectorScope{scopeOne}
	}
	if scopeRaw != nil && !scopeListOK && (!scopeOneOK || scopesOK) {
		if o.Extra == nil {
			o.Extra = make(map[string]json.RawMessage)
		}
		o.Extra["scope"] = append(json.RawMessage(nil), scopeRaw...)
	}
	t.Extra = o.Extra
	return nil
}
