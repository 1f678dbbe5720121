package connapitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
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
// it cannot. The caller unlocks h.mu when ok. For an endpoint with other
// parameters to check, use fastAPIFields.path and stackConnByID, so that one 422
// lists every problem.
func (h *Handler) stackConnFor(w http.ResponseWriter, r *http.Request) (*stackConn, bool) {
	f := fastAPIFields{}
	f.path(r)
	if !f.done(w) {
		return nil, false
	}
	return h.stackConnByID(w, r.PathValue("id"))
}

// stackConnByID finds the connection with a valid id with h.mu held, writing 404
// when there is none. The caller unlocks h.mu when ok.
func (h *Handler) stackConnByID(w http.ResponseWriter, id string) (*stackConn, bool) {
	h.mu.Lock()
	c, ok := h.stack.conns.get(id)
	if !ok {
		h.mu.Unlock()
		stackNotFound(w, "Connection")
		return nil, false
	}
	return c, true
}

// stackQueryInt reads an integer query parameter or writes a 422: def when
// absent, 422 int_parsing when not an integer, 422 when outside [lo, hi]. The page
// bounds page_size (1..1000); limit and offset have no bounds (math.MinInt,
// math.MaxInt).
func stackQueryInt(w http.ResponseWriter, q url.Values, name string, def, lo, hi int) (int, bool) {
	n := def
	if s, ok := q[name]; ok {
		v, err := strconv.Atoi(s[0])
		if err != nil {
			stackValidation(w, []any{"query", name}, "Input should be a valid integer, unable to parse string as an integer", "int_parsing")
			return 0, false
		}
		n = v
	}
	switch {
	case n < lo:
		stackValidation(w, []any{"query", name}, fmt.Sprintf("Input should be greater than or equal to %d", lo), "greater_than_equal")
		return 0, false
	case n > hi:
		stackValidation(w, []any{"query", name}, fmt.Sprintf("Input should be less than or equal to %d", hi), "less_than_equal")
		return 0, false
	}
	return n, true
}

// stackLimitOffset reads the limit and offset of the connection lists. The page
// gives them no bounds, so any integer is accepted: a limit of 0 or less selects
// nothing, an offset below 0 counts from the start.
func stackLimitOffset(w http.ResponseWriter, q url.Values, defLimit int) (limit, offset int, ok bool) {
	if limit, ok = stackQueryInt(w, q, "limit", defLimit, math.MinInt, math.MaxInt); !ok {
		return 0, 0, false
	}
	if offset, ok = stackQueryInt(w, q, "offset", 0, math.MinInt, math.MaxInt); !ok {
		return 0, 0, false
	}
	return max(limit, 0), max(offset, 0), true
}

func (h *Handler) stackAvailable(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, stackCatalog)
}

func (h *Handler) stackList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset, ok := stackLimitOffset(w, q, 1000)
	if !ok {
		return
	}
	// connection_provider is "string or null": present, even empty, it filters.
	provider, filter := q["connection_provider"]
	h.mu.Lock()
	defer h.mu.Unlock()
	all := h.stack.conns.all(func(c *stackConn) bool { return !filter || c.providerID == provider[0] })
	lo, hi := window(len(all), offset, limit)
	out := make([]stackConnectionJSON, 0, hi-lo)
	for _, c := range all[lo:hi] {
		out = append(out, h.stackJSON(c))
	}
	writeJSON(w, http.StatusOK, out)
}

// stackRequest is the ConnectionRequest body.
type stackRequest struct {
	Name                   *string
	ProviderID             *string
	ConnectionTypeID       *string
	ConnectionProviderData map[string]any
}

// body reads a JSON object body as FastAPI validates one: no body is 422 missing
// at ["body"], invalid JSON is 422 json_invalid, anything but an object is 422
// model_attributes_type. Each member stays raw for the field checks, which follow
// with f.where set to "body". It reports whether there is an object to check.
func (f *fastAPIFields) readBody(r *http.Request) bool {
	f.where = "body"
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r.Body); err != nil {
		f.failAt([]any{"body"}, "JSON decode error", "json_invalid")
		return false
	}
	b := bytes.TrimSpace(buf.Bytes())
	if len(b) == 0 {
		f.failAt([]any{"body"}, "Field required", "missing")
		return false
	}
	if !json.Valid(b) {
		f.failAt([]any{"body"}, "JSON decode error", "json_invalid")
		return false
	}
	if b[0] != '{' || json.Unmarshal(b, &f.body) != nil {
		f.failAt([]any{"body"}, "Input should be a valid dictionary or object to extract fields from", "model_attributes_type")
		return false
	}
	return true
}

// path checks the {id} path parameter, connection_id, a UUID, and returns it.
func (f *fastAPIFields) path(r *http.Request) string {
	id := r.PathValue("id")
	if !uuidRE.MatchString(id) {
		f.failAt([]any{"path", "connection_id"}, "Input should be a valid UUID", "uuid_parsing")
	}
	return id
}

// boolean checks an optional boolean query parameter as pydantic reads one:
// true/false, 1/0, yes/no, on/off, t/f, y/n, in any case.
func (f *fastAPIFields) boolean(name string) {
	vs, ok := f.query[name]
	if !ok {
		return
	}
	switch strings.ToLower(vs[0]) {
	case "true", "false", "1", "0", "yes", "no", "on", "off", "t", "f", "y", "n":
	default:
		f.failAt([]any{"query", name}, "Input should be a valid boolean, unable to interpret input", "bool_parsing")
	}
}

// queryInt reads an integer query parameter as stackQueryInt does, collecting its
// error.
func (f *fastAPIFields) queryInt(name string, def, lo, hi int) (int, bool) {
	n := def
	if s, ok := f.query[name]; ok {
		v, err := strconv.Atoi(s[0])
		if err != nil {
			f.failAt([]any{"query", name}, "Input should be a valid integer, unable to parse string as an integer", "int_parsing")
			return 0, false
		}
		n = v
	}
	switch {
	case n < lo:
		f.failAt([]any{"query", name}, fmt.Sprintf("Input should be greater than or equal to %d", lo), "greater_than_equal")
		return 0, false
	case n > hi:
		f.failAt([]any{"query", name}, fmt.Sprintf("Input should be less than or equal to %d", hi), "less_than_equal")
		return 0, false
	}
	return n, true
}

// fastAPIFields checks the parameters of a request one by one, collecting the
// errors FastAPI would report in one 422: path, then query, then body, each in
// field order. where says which of query and body the field methods read.
type fastAPIFields struct {
	where string // "body" or "query"
	errs  []map[string]any
	body  map[string]json.RawMessage
	query url.Values
}

// stackChecks starts checking r: its path's connection_id when withPath, then
// its query.
func stackChecks(r *http.Request, withPath bool) (*fastAPIFields, string) {
	f := &fastAPIFields{where: "query", query: r.URL.Query()}
	var id string
	if withPath {
		id = f.path(r)
	}
	return f, id
}

func (f *fastAPIFields) fail(name, msg, typ string) {
	f.failAt([]any{f.where, name}, msg, typ)
}

func (f *fastAPIFields) failAt(loc []any, msg, typ string) {
	f.errs = append(f.errs, map[string]any{"loc": loc, "msg": msg, "type": typ})
}

// str reads a string field. A required field that is absent is "missing"; null or
// another JSON type is "string_type". It reports whether a string was read.
func (f *fastAPIFields) str(name string, required bool) (string, bool) {
	if f.where == "query" {
		vs, ok := f.query[name]
		if !ok {
			if required {
				f.fail(name, "Field required", "missing")
			}
			return "", false
		}
		return vs[0], true
	}
	raw, ok := f.body[name]
	if !ok {
		if required {
			f.fail(name, "Field required", "missing")
		}
		return "", false
	}
	var v string
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte(`"`)) && json.Unmarshal(raw, &v) == nil {
		return v, true
	}
	f.fail(name, "Input should be a valid string", "string_type")
	return "", false
}

// object reads a required JSON object field (a pydantic model such as
// BaseConnectionDataModel).
func (f *fastAPIFields) object(name string) (map[string]any, bool) {
	raw, ok := f.body[name]
	if !ok {
		f.fail(name, "Field required", "missing")
		return nil, false
	}
	var v map[string]any
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) || json.Unmarshal(raw, &v) != nil {
		f.fail(name, "Input should be a valid dictionary or instance of BaseConnectionDataModel", "model_type")
		return nil, false
	}
	return v, true
}

// oneOf reads a required string enum field.
func (f *fastAPIFields) oneOf(name string, values ...string) (string, bool) {
	v, ok := f.str(name, true)
	if !ok {
		return "", false
	}
	if !slices.Contains(values, v) {
		f.fail(name, "Input should be '"+strings.Join(values, "' or '")+"'", "enum")
		return "", false
	}
	return v, true
}

// uuid reads a required UUID field.
func (f *fastAPIFields) uuid(name string) (string, bool) {
	v, ok := f.str(name, true)
	if !ok {
		return "", false
	}
	if !uuidRE.MatchString(v) {
		f.fail(name, "Input should be a valid UUID", "uuid_parsing")
		return "", false
	}
	return v, true
}

// done writes the collected errors as one 422 and reports whether there were none.
func (f *fastAPIFields) done(w http.ResponseWriter) bool {
	if len(f.errs) == 0 {
		return true
	}
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": f.errs})
	return false
}

// decodeStackRequest reads a ConnectionRequest as the page defines it: name
// optional (default "Unnamed connection"), provider_id, connection_type_id and
// connection_provider_data required. Any string is accepted, empty or blank ones
// too, as FastAPI does for str. It writes a 422 and returns false on error.
func decodeStackRequest(f *fastAPIFields, r *http.Request) stackRequest {
	var in stackRequest
	if !f.readBody(r) {
		return in
	}
	if v, ok := f.str("name", false); ok {
		in.Name = &v
	}
	if v, ok := f.str("provider_id", true); ok {
		in.ProviderID = &v
	}
	if v, ok := f.str("connection_type_id", true); ok {
		in.ConnectionTypeID = &v
	}
	in.ConnectionProviderData, _ = f.object("connection_provider_data")
	return in
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
	f, _ := stackChecks(r, false)
	in := decodeStackRequest(f, r)
	if !f.done(w) {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	writeJSON(w, http.StatusCreated, h.stackJSON(h.newStackConn(in, h.cfg.now())))
}

func (h *Handler) stackGet(w http.ResponseWriter, r *http.Request) {
	f, id := stackChecks(r, true)
	f.boolean("refresh_oauth_tokens")
	if !f.done(w) {
		return
	}
	c, ok := h.stackConnByID(w, id)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	writeJSON(w, http.StatusOK, h.stackJSON(c))
}

// stackReplace serves PUT /connections/{id}: the ConnectionRequest replaces every
// field; an absent name falls back to its default.
func (h *Handler) stackReplace(w http.ResponseWriter, r *http.Request) {
	f, id := stackChecks(r, true)
	h.stackReplaceChecked(w, r, f, id)
}

// stackReplaceChecked reads the ConnectionRequest into f, which holds the checks
// of the path and query so far, and replaces the connection id with it.
func (h *Handler) stackReplaceChecked(w http.ResponseWriter, r *http.Request, f *fastAPIFields, id string) {
	in := decodeStackRequest(f, r)
	if !f.done(w) {
		return
	}
	c, ok := h.stackConnByID(w, id)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	h.replaceStackConn(c, in)
	writeJSON(w, http.StatusOK, h.stackJSON(c))
}

// replaceStackConn applies a validated ConnectionRequest to c; h.mu is held.
func (h *Handler) replaceStackConn(c *stackConn, in stackRequest) {
	c.name = "Unnamed connection"
	if in.Name != nil {
		c.name = *in.Name
	}
	c.providerID, c.typeID, c.data = *in.ProviderID, *in.ConnectionTypeID, in.ConnectionProviderData
	c.updated = h.cfg.now()
}

// stackPatch serves PATCH /connections/{id}, whose body has one field: name,
// required. Other members are ignored, as pydantic ignores extra fields by default.
func (h *Handler) stackPatch(w http.ResponseWriter, r *http.Request) {
	f, id := stackChecks(r, true)
	var name string
	if f.readBody(r) {
		name, _ = f.str("name", true)
	}
	if !f.done(w) {
		return
	}
	c, ok := h.stackConnByID(w, id)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	c.name, c.updated = name, h.cfg.now()
	writeJSON(w, http.StatusOK, h.stackJSON(c))
}

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
	f, _ := stackChecks(r, false)
	in := decodeStackRequest(f, r)
	if !f.done(w) {
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
	f, _ := stackChecks(r, false)
	f.str("code", true)
	in := decodeStackRequest(f, r)
	if !f.done(w) {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	writeJSON(w, http.StatusOK, h.stackJSON(h.newStackConn(in, h.cfg.now())))
}

// stackOAuthRecallback re-authorises an existing connection with a new code. Its
// body is the same ConnectionRequest as create's, required, and it replaces the
// connection's fields as PUT /connections/{id} does.
func (h *Handler) stackOAuthRecallback(w http.ResponseWriter, r *http.Request) {
	f, id := stackChecks(r, true)
	f.str("code", true)
	h.stackReplaceChecked(w, r, f, id)
}

// stackListPaginated serves GET /api/v1/connections: limit/offset, sort_by
// (default created_at), sort_dir (default desc, as the page says) and
// field__operator filters, in an {items, total, limit, offset} envelope.
func (h *Handler) stackListPaginated(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset, ok := stackLimitOffset(w, q, 10)
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
		dir = "desc"
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

// stackRoles is Stack AI's role model. The page types role as a plain string, so
// a role outside it is no 422 (pydantic's enum error) but a 400 from the backend's
// own check.
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

// knownRole writes a 400 for a role outside stackRoles.
func knownRole(w http.ResponseWriter, role string) bool {
	if !slices.Contains(stackRoles, role) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"detail": fmt.Sprintf("Invalid role %q: expected viewer, editor or admin", role)})
		return false
	}
	return true
}

// stackRBACPut gives a user or group one role on the connection. The page's 200
// answer is "any", shown as "No content": the fake answers null.
func (h *Handler) stackRBACPut(w http.ResponseWriter, r *http.Request) {
	f, id := stackChecks(r, true)
	var st, role, sid string
	if f.readBody(r) {
		st, _ = f.oneOf("subject_type", "user", "group")
		role, _ = f.str("role", true)
		sid, _ = f.uuid("subject_id")
	}
	if !f.done(w) || !knownRole(w, role) {
		return
	}
	c, ok := h.stackConnByID(w, id)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	c.roles(st)[sid] = []string{role}
	c.updated = h.cfg.now()
	writeJSON(w, http.StatusOK, nil)
}

// stackRBACDelete removes the roles of ?subject_type=&subject_id= and answers 204
// with no content, as the page shows.
func (h *Handler) stackRBACDelete(w http.ResponseWriter, r *http.Request) {
	f, id := stackChecks(r, true)
	st, _ := f.oneOf("subject_type", "user", "group")
	sid, _ := f.uuid("subject_id")
	if !f.done(w) {
		return
	}
	c, ok := h.stackConnByID(w, id)
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
	c.updated = h.cfg.now()
	w.WriteHeader(http.StatusNoContent)
}

// stackOrgRole sets or (with null) clears the organisation-wide role. Like the
// RBAC PUT, it answers 200 null.
func (h *Handler) stackOrgRole(w http.ResponseWriter, r *http.Request) {
	f, id := stackChecks(r, true)
	var role *string
	if f.readBody(r) {
		if raw, present := f.body["role"]; present && bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			// null removes organisation-wide access
		} else if v, ok := f.str("role", true); ok {
			role = &v
		}
	}
	if !f.done(w) || (role != nil && !knownRole(w, *role)) {
		return
	}
	c, ok := h.stackConnByID(w, id)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	c.orgRole = role
	c.updated = h.cfg.now()
	writeJSON(w, http.StatusOK, nil)
}
