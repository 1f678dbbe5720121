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
)

// unmarshalOnePass runs decode over b, a whole JSON value: null gives the zero
// value, a repeated member hands b to slow.
func unmarshalOnePass[T any](b []byte, what string, dst *T, decode func(*jsonReader, *T) error, slow func([]byte) error) error {
	r := jsonReader{data: b}
	var v T
	if !r.null() {
		if err := decode(&r, &v); err != nil {
			if errors.Is(err, errDuplicate) {
				return slow(b)
			}
			return fmt.Errorf("models.%s: %w", what, err)
		}
	}
	if err := r.end(); err != nil {
		return fmt.Errorf("models.%s: %w", what, err)
	}
	*dst = v
	return nil
}

// inline decodes the object at r with decode, or, when it has a repeated member,
// its bytes with slow.
func inline[T any](r *jsonReader, v *T, decode func(*jsonReader, *T) error, slow func(*T, []byte) error) error {
	start := r.pos
	depth := r.depth
	err := decode(r, v)
	if !errors.Is(err, errDuplicate) {
		return err
	}
	r.err, r.pos, r.depth = nil, start, depth
	b := r.skip()
	if r.err != nil {
		return r.err
	}
	var zero T
	*v = zero
	return slow(v, b)
}

func notObject(r *jsonReader) error {
	if r.err != nil {
		return r.err
	}
	c := r.peek()
	if c == 0 {
		return errors.New("unexpected end of JSON input")
	}
	return fmt.Errorf("cannot read a value starting with %q as an object", c)
}

// UnmarshalJSON reads both the spec's and the backend's shape.
func (c *ConnectorInstance) UnmarshalJSON(b []byte) error {
	return unmarshalOnePass(b, "ConnectorInstance", c, (*jsonReader).connectorInstance, c.unmarshalWire)
}

func (r *jsonReader) connectorInstance(c *ConnectorInstance) error {
	if !r.object() {
		return notObject(r)
	}
	o := jsonObject{r: r, keepExtra: true}
	var id, name, typ, agent, lastSync, created, updated uint8
	syncTaken := false
	for first := true; ; {
		key := r.member(&first)
		if key == nil {
			break
		}
		o.key = key
		switch string(key) {
		case "connectorId":
			if o.known(0) {
				take(&o, &c.ConnectorID, &id, 0, readStr)
			}
		case "_key":
			if o.known(1) {
				take(&o, &c.ConnectorID, &id, 1, readStr)
			}
		case "instanceName":
			if o.known(2) {
				take(&o, &c.InstanceName, &name, 0, readStr)
			}
		case "name":
			if o.known(3) {
				take(&o, &c.InstanceName, &name, 1, readStr)
			}
		case "connectorType":
			if o.known(4) {
				take(&o, &c.ConnectorType, &typ, 0, readShared)
			}
		case "type":
			if o.known(5) {
				take(&o, &c.ConnectorType, &typ, 1, readShared)
			}
		case "scope":
			if o.known(6) {
				take1(&o, &c.Scope, readSharedAs[ConnectorScope])
			}
		case "authType":
			if o.known(7) {
				take1(&o, &c.AuthType, readSharedAs[AuthType])
			}
		case "orgId":
			if o.known(8) {
				take1(&o, &c.OrgID, readShared)
			}
		case "createdBy":
			if o.known(9) {
				take1(&o, &c.CreatedBy, readShared)
			}
		case "updatedBy":
			if o.known(10) {
				take1(&o, &c.UpdatedBy, readShared)
			}
		case "isActive":
			if o.known(11) {
				take1(&o, &c.IsActive, readBool)
			}
		case "isConfigured":
			if o.known(12) {
				take1(&o, &c.IsConfigured, readBool)
			}
		case "isAuthenticated":
			if o.known(13) {
				take1(&o, &c.IsAuthenticated, readBool)
			}
		case "syncEnabled":
			if o.known(14) {
				syncTaken = take1(&o, &c.SyncEnabled, readBool)
			}
		case "agentEnabled":
			if o.known(15) {
				take(&o, &c.AgentEnabled, &agent, 0, readBool)
			}
		case "isAgentActive":
			if o.known(16) {
				take(&o, &c.AgentEnabled, &agent, 1, readBool)
			}
		case "pendingFullSync":
			if o.known(17) {
				take1(&o, &c.PendingFullSync, readBool)
			}
		case "lastSyncAt":
			if o.known(18) {
				take(&o, &c.LastSyncAt, &lastSync, 0, readTimestamp)
			}
		case "lastSyncTimestamp":
			if o.known(19) {
				take(&o, &c.LastSyncAt, &lastSync, 1, readTimestamp)
			}
		case "createdAt":
			if o.known(20) {
				take(&o, &c.CreatedAt, &created, 0, readTimestamp)
			}
		case "createdAtTimestamp":
			if o.known(21) {
				take(&o, &c.CreatedAt, &created, 1, readTimestamp)
			}
		case "updatedAt":
			if o.known(22) {
				take(&o, &c.UpdatedAt, &updated, 0, readTimestamp)
			}
		case "updatedAtTimestamp":
			if o.known(23) {
				take(&o, &c.UpdatedAt, &updated, 1, readTimestamp)
			}
		case "status":
			if o.known(24) {
				take1(&o, &c.Status, readShared)
			}
		case "isLocked":
			if o.known(25) {
				take1(&o, &c.IsLocked, readBool)
			}
		case "created":
			if o.known(26) {
				take1(&o, &c.Created, readBool)
			}
		case "appGroup":
			if o.known(27) {
				take1(&o, &c.AppGroup, readShared)
			}
		case "appDescription":
			if o.known(28) {
				take1(&o, &c.AppDescription, readShared)
			}
		case "appCategories":
			if o.known(29) {
				take1(&o, &c.AppCategories, strs[string])
			}
		case "iconPath":
			if o.known(30) {
				take1(&o, &c.IconPath, readShared)
			}
		case "supportedAuthTypes":
			if o.known(31) {
				take1(&o, &c.SupportedAuthTypes, strs[AuthType])
			}
		case "supportsRealtime":
			if o.known(32) {
				take1(&o, &c.SupportsRealtime, readBool)
			}
		case "supportsSync":
			if o.known(33) {
				take1(&o, &c.SupportsSync, readBool)
			}
		case "supportsAgent":
			if o.known(34) {
				take1(&o, &c.SupportsAgent, readBool)
			}
		case "documentationLinks":
			if o.known(35) {
				take1(&o, &c.DocumentationLinks, readDocumentationLinks)
			}
		case "isAdminAccessRequired":
			if o.known(36) {
				take1(&o, &c.IsAdminAccessRequired, readBool)
			}
		case "connectorInfo":
			if o.known(37) {
				take1(&o, &c.ConnectorInfo, readShared)
			}
		case "config":
			if o.known(38) {
				take1(&o, &c.Config, readRaw)
			}
		default:
			o.other()
		}
	}
	if r.err != nil {
		return r.err
	}
	if !syncTaken {
		c.SyncEnabled = c.IsActive
	}
	c.Extra = o.extra
	return nil
}

// readDocumentationLinks reads documentationLinks as encoding/json does: objects
// with exactly the names title, url and type are read here, anything else by
// encoding/json (which matches names without regard to case).
func readDocumentationLinks(r *jsonReader) ([]ConnectorDocumentationLink, bool) {
	if r.peek() != '[' {
		return nil, false
	}
	start, depth := r.pos, r.depth
	if out, ok := documentationLinks(r); ok {
		return out, true
	}
	r.err, r.pos, r.depth = nil, start, depth
	return readUnmarshal[[]ConnectorDocumentationLink](r)
}

func documentationLinks(r *jsonReader) ([]ConnectorDocumentationLink, bool) {
	r.array()
	out := []ConnectorDocumentationLink{}
	for first := true; r.element(&first); {
		var l ConnectorDocumentationLink
		if !r.null() {
			if !r.object() {
				return nil, false
			}
			for first := true; ; {
				key := r.member(&first)
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
				if r.null() {
					continue
				}
				s, ok := r.sharedStr()
				if !ok {
					return nil, false
				}
				*dst = s
			}
		}
		if r.err != nil {
			return nil, false
		}
		out = append(out, l)
	}
	return out, r.err == nil
}

// UnmarshalJSON reads both the spec's and the backend's shape.
func (p *ConnectorPagination) UnmarshalJSON(b []byte) error {
	return unmarshalOnePass(b, "ConnectorPagination", p, (*jsonReader).connectorPagination, p.unmarshalWire)
}

func (r *jsonReader) connectorPagination(p *ConnectorPagination) error {
	if !r.object() {
		return notObject(r)
	}
	o := jsonObject{r: r, keepExtra: true}
	var total, hasMore uint8
	for first := true; ; {
		key := r.member(&first)
		if key == nil {
			break
		}
		o.key = key
		switch string(key) {
		case "page":
			if o.known(0) {
				take1(&o, &p.Page, readInt)
			}
		case "limit":
			if o.known(1) {
				take1(&o, &p.Limit, readInt)
			}
		case "total":
			if o.known(2) && take(&o, &p.Total, &total, 0, readInt) {
				p.totalSet = true
			}
		case "totalCount":
			if o.known(3) && take(&o, &p.Total, &total, 1, readInt) {
				p.totalSet = true
			}
		case "totalPages":
			if o.known(4) {
				take1(&o, &p.TotalPages, readInt)
			}
		case "hasMore":
			if o.known(5) && take(&o, &p.HasMore, &hasMore, 0, readBool) {
				p.hasMoreSet = true
			}
		case "hasNext":
			if o.known(6) && take(&o, &p.HasMore, &hasMore, 1, readBool) {
				p.hasMoreSet = true
			}
		case "hasPrev":
			if o.known(7) {
				take1(&o, &p.HasPrev, readBool)
			}
		case "nextPage":
			if o.known(8) && (r.peek() == 'n' && r.null() || take1(&o, &p.NextPage, readIntPtr)) {
				p.nextPageSet = true
			}
		case "prevPage":
			if o.known(9) && (r.peek() == 'n' && r.null() || take1(&o, &p.PrevPage, readIntPtr)) {
				p.prevPageSet = true
			}
		case "search":
			if o.known(10) {
				take1(&o, &p.Search, readStr)
			}
		default:
			o.other()
		}
	}
	if r.err != nil {
		return r.err
	}
	p.Extra = o.extra
	return nil
}

// readPagination reads a pagination object in place; false for anything else.
func readPagination(r *jsonReader) (*ConnectorPagination, bool) {
	if r.peek() != '{' {
		return nil, false
	}
	p := new(ConnectorPagination)
	if inline(r, p, (*jsonReader).connectorPagination, (*ConnectorPagination).unmarshalWire) != nil {
		return nil, false
	}
	return p, true
}

// UnmarshalJSON reads the flat and the nested shape.
func (l *ConnectorInstanceList) UnmarshalJSON(b []byte) error {
	return unmarshalOnePass(b, "ConnectorInstanceList", l, (*jsonReader).connectorInstanceList, l.unmarshalWire)
}

func (r *jsonReader) connectorInstanceList(l *ConnectorInstanceList) error {
	if !r.object() {
		return notObject(r)
	}
	if r.intern == nil {
		r.intern = make(map[string]string, 64)
		defer func() { r.intern = nil }()
	}
	o := jsonObject{r: r}
	var nested *ConnectorInstanceList
	var pagination *ConnectorPagination
	var scopeCounts *ConnectorScopeCounts
	for first := true; ; {
		key := r.member(&first)
		if key == nil {
			break
		}
		o.key = key
		switch string(key) {
		case "connectors":
			if !o.known(0) {
				break
			}
			switch r.peek() {
			case '{':
				nested = new(ConnectorInstanceList)
				if err := inline(r, nested, (*jsonReader).connectorInstanceList, (*ConnectorInstanceList).unmarshalWire); err != nil {
					return err
				}
			case '[':
				r.array()
				l.Connectors = []*ConnectorInstance{}
				for first := true; r.element(&first); {
					if r.null() {
						continue
					}
					if r.peek() != '{' {
						return fmt.Errorf("connectors: %w", notObject(r))
					}
					c := new(ConnectorInstance)
					if err := inline(r, c, (*jsonReader).connectorInstance, (*ConnectorInstance).unmarshalWire); err != nil {
						return fmt.Errorf("connectors: %w", err)
					}
					l.Connectors = append(l.Connectors, c)
				}
			default:
				if !r.null() {
					return fmt.Errorf("connectors: %w", notObject(r))
				}
			}
		case "pagination":
			if o.known(1) {
				take1(&o, &pagination, readPagination)
			}
		case "scopeCounts":
			if o.known(2) {
				take1(&o, &scopeCounts, readUnmarshal[*ConnectorScopeCounts])
			}
		default:
			r.skip()
		}
	}
	if r.err != nil {
		return r.err
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
	return unmarshalOnePass(b, "ConnectorType", t, (*jsonReader).connectorType, t.unmarshalWire)
}

func (r *jsonReader) connectorType(t *ConnectorType) error {
	if !r.object() {
		return notObject(r)
	}
	o := jsonObject{r: r, keepExtra: true}
	var typ, name, desc, auth, cats uint8
	// supportedScopes is an array; the backend's scope an array or a string.
	var scopes, scopeList []ConnectorScope
	var scopeOne ConnectorScope
	var scopeRaw []byte
	scopesOK, scopeListOK, scopeOneOK := false, false, false
	for first := true; ; {
		key := r.member(&first)
		if key == nil {
			break
		}
		o.key = key
		switch string(key) {
		case "connectorType":
			if o.known(0) {
				take(&o, &t.ConnectorType, &typ, 0, readShared)
			}
		case "type":
			if o.known(1) {
				take(&o, &t.ConnectorType, &typ, 1, readShared)
			}
		case "displayName":
			if o.known(2) {
				take(&o, &t.DisplayName, &name, 0, readStr)
			}
		case "name":
			if o.known(3) {
				take(&o, &t.DisplayName, &name, 1, readStr)
			}
		case "description":
			if o.known(4) {
				take(&o, &t.Description, &desc, 0, readStr)
			}
		case "appDescription":
			if o.known(5) {
				take(&o, &t.Description, &desc, 1, readStr)
			}
		case "appGroupId":
			if o.known(6) {
				take1(&o, &t.AppGroupID, readShared)
			}
		case "appGroup":
			if o.known(7) {
				take1(&o, &t.AppGroup, readShared)
			}
		case "authTypes":
			if o.known(8) {
				take(&o, &t.AuthTypes, &auth, 0, strs[AuthType])
			}
		case "supportedAuthTypes":
			if o.known(9) {
				take(&o, &t.AuthTypes, &auth, 1, strs[AuthType])
			}
		case "supportedScopes":
			if o.known(10) {
				scopesOK = take1(&o, &scopes, strs[ConnectorScope])
			}
		case "scope":
			if !o.known(11) || r.null() {
				break
			}
			scopeRaw = r.skip()
			sub := jsonReader{data: scopeRaw, intern: r.intern}
			if scopeList, scopeListOK = strs[ConnectorScope](&sub); !scopeListOK {
				sub.pos = 0
				scopeOne, scopeOneOK = readSharedAs[ConnectorScope](&sub)
			}
		case "supportsSync":
			if o.known(12) {
				take1(&o, &t.SupportsSync, readBool)
			}
		case "supportsAgent":
			if o.known(13) {
				take1(&o, &t.SupportsAgent, readBool)
			}
		case "supportsRealtime":
			if o.known(14) {
				take1(&o, &t.SupportsRealtime, readBool)
			}
		case "iconPath":
			if o.known(15) {
				take1(&o, &t.IconPath, readShared)
			}
		case "categories":
			if o.known(16) {
				take(&o, &t.Categories, &cats, 0, strs[string])
			}
		case "appCategories":
			if o.known(17) {
				take(&o, &t.Categories, &cats, 1, strs[string])
			}
		case "isBeta":
			if o.known(18) {
				take1(&o, &t.IsBeta, readBool)
			}
		case "connectorInfo":
			if o.known(19) {
				take1(&o, &t.ConnectorInfo, readStr)
			}
		case "config":
			if o.known(20) {
				take1(&o, &t.Config, readRaw)
			}
		default:
			o.other()
		}
	}
	if r.err != nil {
		return r.err
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
		if o.extra == nil {
			o.extra = make(map[string]json.RawMessage)
		}
		o.extra["scope"] = append(json.RawMessage(nil), scopeRaw...)
	}
	t.Extra = o.extra
	return nil
}
