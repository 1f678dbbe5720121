package connapitest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Stack AI: snake_case JSON, no wrappers, FastAPI errors ({"detail": "…"}, and 422
// {"detail": [{"loc", "msg", "type"}]}).

const (
	stackOrgID  = "0f1e2d3c-0000-4000-8000-0000000000a1"
	stackUserID = "0f1e2d3c-0000-4000-8000-0000000000b1"
)

type stackState struct {
	seq   counter
	conns table[stackConn]
}

type stackConn struct {
	id, name, providerID, typeID string
	data                         map[string]any
	created, updated             time.Time
	tree                         *resourceTree // built on first use
	orgRole                      *string
	userRoles, groupRoles        map[string][]string
}

type stackUser struct {
	ID                     string  `json:"id"`
	Email                  string  `json:"email"`
	FullName               string  `json:"full_name"`
	AvatarURL              *string `json:"avatar_url"`
	HasCompletedOnboarding bool    `json:"has_completed_onboarding"`
}

type stackConnectionJSON struct {
	ConnectionID           string         `json:"connection_id"`
	Name                   string         `json:"name"`
	OrgID                  string         `json:"org_id"`
	ProviderID             string         `json:"provider_id"`
	ConnectionTypeID       string         `json:"connection_type_id"`
	ConnectionProviderData map[string]any `json:"connection_provider_data"`
	CreatedAt              string         `json:"created_at"`
	UpdatedAt              string         `json:"updated_at"`
	CreatedBy              stackUser      `json:"created_by"`
	UpdatedBy              stackUser      `json:"updated_by"`
}

// pyTime formats t as Python's isoformat() does for an aware UTC datetime.
func pyTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000+00:00") }

func (h *Handler) stackUser() stackUser {
	return stackUser{ID: stackUserID, Email: h.cfg.email, FullName: "Connapitest User", HasCompletedOnboarding: true}
}

func (h *Handler) stackJSON(c *stackConn) stackConnectionJSON {
	data := c.data
	if data == nil {
		data = map[string]any{}
	}
	return stackConnectionJSON{
		ConnectionID: c.id, Name: c.name, OrgID: stackOrgID, ProviderID: c.providerID,
		ConnectionTypeID: c.typeID, ConnectionProviderData: data,
		CreatedAt: pyTime(c.created), UpdatedAt: pyTime(c.updated),
		CreatedBy: h.stackUser(), UpdatedBy: h.stackUser(),
	}
}

func (h *Handler) routeStackAI() {
	m := h.mux
	m.HandleFunc("GET /connections/available", h.stackAvailable)
	m.HandleFunc("GET /connections", h.stackList)
	m.HandleFunc("POST /connections", h.stackCreate)
	m.HandleFunc("GET /connections/{id}", h.stackGet)
	m.HandleFunc("PUT /connections/{id}", h.stackReplace)
	m.HandleFunc("PATCH /connections/{id}", h.stackPatch)
	m.HandleFunc("DELETE /connections/{id}", h.stackDelete)
	m.HandleFunc("GET /connections/{id}/health", h.stackHealth)
	m.HandleFunc("POST /connections/oauth/start", h.stackOAuthStart)
	m.HandleFunc("POST /connections/oauth/callback", h.stackOAuthCallback)
	m.HandleFunc("PUT /connections/oauth/callback/{id}", h.stackOAuthRecallback)
	m.HandleFunc("GET /connections/{id}/resources", h.stackResources)
	m.HandleFunc("GET /connections/{id}/resources/children", h.stackChildren)
	m.HandleFunc("GET /connections/{id}/resources/search", h.stackSearch)
	m.HandleFunc("GET /api/v1/connections", h.stackListPaginated)
	m.HandleFunc("GET /api/v1/connections/{id}/rbac", h.stackRBACGet)
	m.HandleFunc("PUT /api/v1/connections/{id}/rbac", h.stackRBACPut)
	m.HandleFunc("DELETE /api/v1/connections/{id}/rbac", h.stackRBACDelete)
	m.HandleFunc("PATCH /api/v1/connections/{id}/organization-role", h.stackOrgRole)
}

func stackNotFound(w http.ResponseWriter, what string) {
	writeJSON(w, http.StatusNotFound, map[string]any{"detail": what + " not found"})
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// stackConnFor finds the {id} connection with h.mu held, writing 422 or 404 when
// it cannot. The caller unlocks h.mu when ok.
func (h *Handler) stackConnFor(w http.ResponseWriter, r *http.Request) (*stackConn, bool) {
	id := r.PathValue("id")
	if !uuidRE.MatchString(id) {
		stackValidation(w, []any{"path", "connection_id"}, "Input should be a valid UUID", "uuid_parsing")
		return nil, false
	}
	h.mu.Lock()
	c, ok := h.stack.conns.get(id)
	if !ok {
		h.mu.Unlock()
		stackNotFound(w, "Connection")
		return nil, false
	}
	return c, true
}

// stackQueryInt reads an integer query parameter or writes a 422.
func stackQueryInt(w http.ResponseWriter, q url.Values, name string, def, lo, hi int) (int, bool) {
	n, err := queryInt(q, name, def, lo, hi)
	if err != nil {
		msg := fmt.Sprintf("Input should be a valid integer between %d and %d", lo, hi)
		if hi < 0 {
			msg = fmt.Sprintf("Input should be greater than or equal to %d", lo)
		}
		stackValidation(w, []any{"query", name}, msg, "value_error")
		return 0, false
	}
	return n, true
}

func (h *Handler) stackAvailable(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, stackCatalog)
}

func (h *Handler) stackList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, ok := stackQueryInt(w, q, "limit", 1000, 1, 1000)
	if !ok {
		return
	}
	offset, ok := stackQueryInt(w, q, "offset", 0, 0, -1)
	if !ok {
		return
	}
	provider := q.Get("connection_provider")
	h.mu.Lock()
	defer h.mu.Unlock()
	all := h.stack.conns.all(func(c *stackConn) bool { return provider == "" || c.providerID == provider })
	lo, hi := window(len(all), offset, limit)
	out := make([]stackConnectionJSON, 0, hi-lo)
	for _, c := range all[lo:hi] {
		out = append(out, h.stackJSON(c))
	}
	writeJSON(w, http.StatusOK, out)
}

// stackRequest is the ConnectionRequest body.
type stackRequest struct {
	Name                   *string        `json:"name"`
	ProviderID             *string        `json:"provider_id"`
	ConnectionTypeID       *string        `json:"connection_type_id"`
	ConnectionProviderData map[string]any `json:"connection_provider_data"`
}

// decodeStackRequest reads a ConnectionRequest; with full, provider_id and
// connection_type_id are required. It writes a 422 and returns false on error.
func decodeStackRequest(w http.ResponseWriter, r *http.Request, full bool) (stackRequest, bool) {
	var in stackRequest
	if err := decodeBody(r, &in); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			kind := te.Type.String()
			switch te.Type.Kind() {
			case reflect.String, reflect.Pointer:
				kind = "string"
			case reflect.Map:
				kind = "dictionary"
			}
			stackValidation(w, []any{"body", te.Field}, "Input should be a valid "+kind, kind+"_type")
		} else {
			stackValidation(w, []any{"body"}, "JSON decode error", "json_invalid")
		}
		return in, false
	}
	if full {
		var missing []map[string]any
		for _, f := range []struct {
			name string
			v    *string
		}{{"provider_id", in.ProviderID}, {"connection_type_id", in.ConnectionTypeID}} {
			if f.v == nil || *f.v == "" {
				missing = append(missing, map[string]any{"loc": []any{"body", f.name}, "msg": "Field required", "type": "missing"})
			}
		}
		if len(missing) > 0 {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": missing})
			return in, false
		}
	}
	return in, true
}

// newStackConn builds a connection from a validated full request; h.mu is held.
func (h *Handler) newStackConn(in stackRequest, now time.Time) *stackConn {
	name := "Unnamed connection"
	if in.Name != nil {
		name = *in.Name
	}
	c := &stackConn{
		id:   stackUUID(h.stack.seq.next()),
		name: name, providerID: *in.ProviderID, typeID: *in.ConnectionTypeID,
		data:      in.ConnectionProviderData,
		created:   now,
		updated:   now,
		userRoles: map[string][]string{stackUserID: {"admin"}},
	}
	h.stack.conns.put(c.id, c)
	return c
}

func stackUUID(n int) string { return fmt.Sprintf("5a1c0000-0000-4000-8000-%012d", n) }

func (h *Handler) stackCreate(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeStackRequest(w, r, true)
	if !ok {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	writeJSON(w, http.StatusCreated, h.stackJSON(h.newStackConn(in, h.cfg.now())))
}

func (h *Handler) stackGet(w http.ResponseWriter, r *http.Request) {
	c, ok := h.stackConnFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	writeJSON(w, http.StatusOK, h.stackJSON(c))
}

// stackUpdate applies a ConnectionRequest; full replaces every field (PUT), else
// only the fields present (PATCH).
func (h *Handler) stackUpdate(w http.ResponseWriter, r *http.Request, full bool) {
	in, ok := decodeStackRequest(w, r, full)
	if !ok {
		return
	}
	c, ok := h.stackConnFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	h.applyStackRequest(c, in, full)
	writeJSON(w, http.StatusOK, h.stackJSON(c))
}

func (h *Handler) applyStackRequest(c *stackConn, in stackRequest, full bool) {
	switch {
	case in.Name != nil:
		c.name = *in.Name
	case full:
		c.name = "Unnamed connection"
	}
	if in.ProviderID != nil {
		c.providerID = *in.ProviderID
	}
	if in.ConnectionTypeID != nil {
		c.typeID = *in.ConnectionTypeID
	}
	if in.ConnectionProviderData != nil || full {
		c.data = in.ConnectionProviderData
	}
	c.updated = h.cfg.now()
}

func (h *Handler) stackReplace(w http.ResponseWriter, r *http.Request) { h.stackUpdate(w, r, true) }
func (h *Handler) stackPatch(w http.ResponseWriter, r *http.Request)   { h.stackUpdate(w, r, false) }

func (h *Handler) stackDelete(w http.ResponseWriter, r *http.Request) {
	c, ok := h.stackConnFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	h.stack.conns.del(c.id)
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) stackHealth(w http.ResponseWriter, r *http.Request) {
	c, ok := h.stackConnFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"connection_id": c.id, "status": "healthy"})
}

// stackOAuthStart returns, as a JSON string, the provider's authorization URL with a
// state parameter.
func (h *Handler) stackOAuthStart(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeStackRequest(w, r, true)
	if !ok {
		return
	}
	authURL := "https://oauth.connapitest.invalid/authorize"
	for _, a := range stackCatalog {
		if a.ProviderID == *in.ProviderID && a.ConnectionTypeID == *in.ConnectionTypeID {
			if a.ConnectionType != "oauth" {
				writeJSON(w, http.StatusBadRequest, map[string]any{"detail": "Connection type " + a.ConnectionTypeID + " does not use OAuth"})
				return
			}
			authURL = a.authURL
		}
	}
	h.mu.Lock()
	state := fmt.Sprintf("connapitest-state-%d", h.seq.next())
	h.mu.Unlock()
	v := url.Values{
		"client_id":     {"connapitest"},
		"redirect_uri":  {"https://app.connapitest.invalid/oauth/callback"},
		"response_type": {"code"},
		"state":         {state},
	}
	writeJSON(w, http.StatusOK, authURL+"?"+v.Encode())
}

// stackOAuthCallback creates a connection from the provider's code (any non-empty
// code is accepted) and the ConnectionRequest body.
func (h *Handler) stackOAuthCallback(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("code") == "" {
		stackValidation(w, []any{"query", "code"}, "Field required", "missing")
		return
	}
	in, ok := decodeStackRequest(w, r, true)
	if !ok {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	writeJSON(w, http.StatusOK, h.stackJSON(h.newStackConn(in, h.cfg.now())))
}

// stackOAuthRecallback re-authorises an existing connection with a new code; a body,
// if any, updates the fields it has.
func (h *Handler) stackOAuthRecallback(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("code") == "" {
		stackValidation(w, []any{"query", "code"}, "Field required", "missing")
		return
	}
	h.stackUpdate(w, r, false)
}

// stackListPaginated serves GET /api/v1/connections: limit/offset, sort_by,
// sort_dir and field__operator filters, in an {items, total, limit, offset}
// envelope.
func (h *Handler) stackListPaginated(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, ok := stackQueryInt(w, q, "limit", 10, 1, 1000)
	if !ok {
		return
	}
	offset, ok := stackQueryInt(w, q, "offset", 0, 0, -1)
	if !ok {
		return
	}
	sortBy := q.Get("sort_by")
	if sortBy == "" {
		sortBy = "created_at"
	}
	if !slices.Contains(stackFields, sortBy) {
		stackValidation(w, []any{"query", "sort_by"}, "Input should be one of "+strings.Join(stackFields, ", "), "enum")
		return
	}
	dir := q.Get("sort_dir")
	if dir == "" {
		dir = "asc"
	}
	if dir != "asc" && dir != "desc" {
		stackValidation(w, []any{"query", "sort_dir"}, "Input should be 'asc' or 'desc'", "enum")
		return
	}
	filters, ok := parseStackFilters(w, q)
	if !ok {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	all := h.stack.conns.all(func(c *stackConn) bool {
		for _, f := range filters {
			if !f.match(stackField(c, f.field)) {
				return false
			}
		}
		return true
	})
	slices.SortStableFunc(all, func(a, b *stackConn) int {
		c := strings.Compare(stackField(a, sortBy), stackField(b, sortBy))
		if c == 0 {
			c = strings.Compare(a.id, b.id)
		}
		if dir == "desc" {
			c = -c
		}
		return c
	})
	lo, hi := window(len(all), offset, limit)
	items := make([]stackConnectionJSON, 0, hi-lo)
	for _, c := range all[lo:hi] {
		items = append(items, h.stackJSON(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(all), "limit": limit, "offset": offset})
}

// stackFields can be sorted and filtered on in /api/v1/connections.
var stackFields = []string{"connection_id", "name", "provider_id", "connection_type_id", "org_id", "created_at", "updated_at"}

func stackField(c *stackConn, field string) string {
	switch field {
	case "connection_id":
		return c.id
	case "name":
		return c.name
	case "provider_id":
		return c.providerID
	case "connection_type_id":
		return c.typeID
	case "org_id":
		return stackOrgID
	case "created_at":
		return pyTime(c.created)
	case "updated_at":
		return pyTime(c.updated)
	}
	return ""
}

// stackFilter is one field__operator=value query parameter.
type stackFilter struct {
	field, op, value string
}

var stackOps = []string{"eq", "ne", "contains", "icontains", "startswith", "istartswith", "in", "gt", "gte", "lt", "lte"}

func parseStackFilters(w http.ResponseWriter, q url.Values) ([]stackFilter, bool) {
	var out []stackFilter
	for key, vals := range q {
		field, op, ok := strings.Cut(key, "__")
		if !ok {
			continue
		}
		if !slices.Contains(stackFields, field) || !slices.Contains(stackOps, op) {
			stackValidation(w, []any{"query", key}, "Unsupported filter "+key, "value_error")
			return nil, false
		}
		for _, v := range vals {
			out = append(out, stackFilter{field: field, op: op, value: v})
		}
	}
	return out, true
}

func (f stackFilter) match(v string) bool {
	lv, lf := strings.ToLower(v), strings.ToLower(f.value)
	switch f.op {
	case "eq":
		return v == f.value
	case "ne":
		return v != f.value
	case "contains":
		return strings.Contains(v, f.value)
	case "icontains":
		return strings.Contains(lv, lf)
	case "startswith":
		return strings.HasPrefix(v, f.value)
	case "istartswith":
		return strings.HasPrefix(lv, lf)
	case "in":
		return slices.Contains(strings.Split(f.value, ","), v)
	case "gt":
		return v > f.value
	case "gte":
		return v >= f.value
	case "lt":
		return v < f.value
	case "lte":
		return v <= f.value
	}
	return false
}

// RBAC

var stackRoles = []string{"viewer", "editor", "admin"}

func stackRBACJSON(c *stackConn) map[string]any {
	return map[string]any{
		"org_level_role": c.orgRole,
		"user_roles":     orEmpty(c.userRoles),
		"group_roles":    orEmpty(c.groupRoles),
	}
}

func orEmpty(m map[string][]string) map[string][]string {
	if m == nil {
		return map[string][]string{}
	}
	return m
}

func (h *Handler) stackRBACGet(w http.ResponseWriter, r *http.Request) {
	c, ok := h.stackConnFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	writeJSON(w, http.StatusOK, stackRBACJSON(c))
}

func (c *stackConn) roles(subjectType string) map[string][]string {
	if subjectType == "group" {
		if c.groupRoles == nil {
			c.groupRoles = map[string][]string{}
		}
		return c.groupRoles
	}
	if c.userRoles == nil {
		c.userRoles = map[string][]string{}
	}
	return c.userRoles
}

func validSubjectType(w http.ResponseWriter, loc []any, v string) bool {
	if v != "user" && v != "group" {
		stackValidation(w, loc, "Input should be 'user' or 'group'", "enum")
		return false
	}
	return true
}

func validRole(w http.ResponseWriter, loc []any, v string) bool {
	if !slices.Contains(stackRoles, v) {
		stackValidation(w, loc, "Input should be 'viewer', 'editor' or 'admin'", "enum")
		return false
	}
	return true
}

// stackRBACPut gives a user or group one role on the connection.
func (h *Handler) stackRBACPut(w http.ResponseWriter, r *http.Request) {
	var in struct {
		SubjectType string `json:"subject_type"`
		Role        string `json:"role"`
		SubjectID   string `json:"subject_id"`
	}
	if err := decodeBody(r, &in); err != nil {
		stackValidation(w, []any{"body"}, "JSON decode error", "json_invalid")
		return
	}
	if !validSubjectType(w, []any{"body", "subject_type"}, in.SubjectType) || !validRole(w, []any{"body", "role"}, in.Role) {
		return
	}
	if in.SubjectID == "" {
		stackValidation(w, []any{"body", "subject_id"}, "Field required", "missing")
		return
	}
	c, ok := h.stackConnFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	c.roles(in.SubjectType)[in.SubjectID] = []string{in.Role}
	writeJSON(w, http.StatusOK, stackRBACJSON(c))
}

// stackRBACDelete removes the roles of ?subject_type=&subject_id=.
func (h *Handler) stackRBACDelete(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	st, sid := q.Get("subject_type"), q.Get("subject_id")
	if !validSubjectType(w, []any{"query", "subject_type"}, st) {
		return
	}
	if sid == "" {
		stackValidation(w, []any{"query", "subject_id"}, "Field required", "missing")
		return
	}
	c, ok := h.stackConnFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	roles := c.roles(st)
	if _, ok := roles[sid]; !ok {
		stackNotFound(w, "Role assignment")
		return
	}
	delete(roles, sid)
	writeJSON(w, http.StatusOK, stackRBACJSON(c))
}

// stackOrgRole sets or (with null) clears the organisation-wide role.
func (h *Handler) stackOrgRole(w http.ResponseWriter, r *http.Request) {
	var in map[string]*string
	if err := decodeBody(r, &in); err != nil {
		stackValidation(w, []any{"body"}, "JSON decode error", "json_invalid")
		return
	}
	role, present := in["role"]
	if !present {
		stackValidation(w, []any{"body", "role"}, "Field required", "missing")
		return
	}
	if role != nil && !validRole(w, []any{"body", "role"}, *role) {
		return
	}
	c, ok := h.stackConnFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	c.orgRole = role
	c.updated = h.cfg.now()
	writeJSON(w, http.StatusOK, stackRBACJSON(c))
}
