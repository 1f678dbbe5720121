package connapitest

import (
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// PipesHub: camelCase JSON, {success, connector(s)} envelopes, errors
// {"error": {"code": "HTTP_…", "message"}}. By default the shapes are those the
// vendor's backend really returns; WithPipesHubSpecShape switches to the spec's.

const (
	pipesUserID   = "6650f0c0c0ffee0000000001" // the administrator (DefaultToken)
	pipesMemberID = "6650f0c0c0ffee0000000002" // the non-admin member (DefaultMemberToken)
	pipesOrgID    = "6650f0c0c0ffee00000000a1"
)

type pipesState struct {
	seq    counter
	insts  table[pipesInstance]
	states map[string]string // OAuth state → instance key
}

type pipesInstance struct {
	key, typ, name, scope, authType string
	createdBy                       string // a user ID
	active, agentActive             bool
	configured, authenticated       bool
	created, updated                time.Time
	baseURL                         string
	auth, sync, filtersCfg          map[string]any // config sections
	filters                         map[string]any // saved filter selections
}

func (h *Handler) routePipesHub() {
	const p = "/api/v1/connectors"
	m := h.mux
	m.HandleFunc("GET "+p, h.pipesList)
	m.HandleFunc("POST "+p, h.pipesCreate)
	m.HandleFunc("GET "+p+"/active", h.pipesPlainList(func(in *pipesInstance) bool { return in.active }))
	m.HandleFunc("GET "+p+"/inactive", h.pipesPlainList(func(in *pipesInstance) bool { return !in.active }))
	m.HandleFunc("GET "+p+"/configured", h.pipesConfiguredList)
	m.HandleFunc("GET "+p+"/agents/active", h.pipesPagedList(func(in *pipesInstance) bool { return in.agentActive }))
	m.HandleFunc("GET "+p+"/registry", h.pipesRegistry)
	m.HandleFunc("GET "+p+"/registry/{connectorType}/schema", h.pipesSchema)
	m.HandleFunc("GET "+p+"/oauth/callback", h.pipesOAuthCallback)
	m.HandleFunc("GET "+p+"/{connectorId}", h.pipesGet)
	m.HandleFunc("DELETE "+p+"/{connectorId}", h.pipesDelete)
	m.HandleFunc("PUT "+p+"/{connectorId}/name", h.pipesRename)
	m.HandleFunc("GET "+p+"/{connectorId}/config", h.pipesGetConfig)
	m.HandleFunc("PUT "+p+"/{connectorId}/config", h.pipesPutConfig)
	m.HandleFunc("PUT "+p+"/{connectorId}/config/auth", h.pipesPutAuth)
	m.HandleFunc("PUT "+p+"/{connectorId}/config/filters-sync", h.pipesPutFiltersSync)
	m.HandleFunc("GET "+p+"/{connectorId}/oauth/authorize", h.pipesAuthorize)
	m.HandleFunc("GET "+p+"/{connectorId}/filters", h.pipesGetFilters)
	m.HandleFunc("POST "+p+"/{connectorId}/filters", h.pipesSaveFilters)
	m.HandleFunc("GET "+p+"/{connectorId}/filters/{filterKey}/options", h.pipesFilterOptions)
	m.HandleFunc("POST "+p+"/{connectorId}/toggle", h.pipesToggle)
}

func pipesFail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, pipesHubError(status, msg))
}

func isOAuth(authType string) bool { return strings.HasPrefix(authType, "OAUTH") }

// pipesUser is who makes a request: the administrator or the non-admin member.
type pipesUser struct {
	id    string
	admin bool
}

func (h *Handler) pipesUserOf(r *http.Request) pipesUser {
	if h.isMember(r) {
		return pipesUser{id: pipesMemberID}
	}
	return pipesUser{id: pipesUserID, admin: true}
}

// sees reports whether u may see in: "Team-scope connectors are visible to all org
// users. Personal connectors are only visible to their creators."
func (u pipesUser) sees(in *pipesInstance) bool {
	return in.scope == "team" || in.createdBy == u.id
}

// mayManage reports whether u may delete or toggle in: "Team scope: Requires
// admin. Personal scope: Only creator can delete" (and toggle).
func (u pipesUser) mayManage(in *pipesInstance) bool {
	if in.scope == "team" {
		return u.admin
	}
	return in.createdBy == u.id
}

// pipesFor finds the {connectorId} instance and returns with h.mu held, or writes a
// 404 (no such instance) or a 403 (another user's personal instance) and returns
// false with h.mu released.
func (h *Handler) pipesFor(w http.ResponseWriter, r *http.Request) (*pipesInstance, bool) {
	id := r.PathValue("connectorId")
	h.mu.Lock()
	in, ok := h.pipes.insts.get(id)
	if !ok {
		h.mu.Unlock()
		pipesFail(w, http.StatusNotFound, "Connector instance "+id+" not found")
		return nil, false
	}
	if !h.pipesUserOf(r).sees(in) {
		h.mu.Unlock()
		pipesFail(w, http.StatusForbidden, "Only the creator can access a personal connector")
		return nil, false
	}
	return in, true
}

// pipesItem renders an instance in the configured shape; h.mu is held. In the spec
// shape lastSyncAt is a date-time string, not nullable: the fake never syncs, so it
// leaves the member out rather than sending null.
func (h *Handler) pipesItem(in *pipesInstance, withConfig bool) map[string]any {
	if h.cfg.pipesHubSpec {
		return map[string]any{
			"connectorId": in.key, "connectorType": in.typ, "instanceName": in.name,
			"scope": in.scope, "authType": in.authType, "createdBy": in.createdBy, "orgId": pipesOrgID,
			"isActive": in.active, "isConfigured": in.configured, "isAuthenticated": in.authenticated,
			"syncEnabled": in.active, "agentEnabled": in.agentActive,
			"createdAt": in.created.UTC().Format(time.RFC3339Nano), "updatedAt": in.updated.UTC().Format(time.RFC3339Nano),
		}
	}
	m := pipesRegistryItem(pipesTypeOf(in.typ), false)
	maps.Copy(m, map[string]any{
		"_key": in.key, "name": in.name, "authType": in.authType, "scope": in.scope,
		"isActive": in.active, "isAgentActive": in.agentActive, "isConfigured": in.configured,
		"isAuthenticated": in.authenticated, "isLocked": false, "status": nil,
		"createdAtTimestamp": in.created.UnixMilli(), "updatedAtTimestamp": in.updated.UnixMilli(),
		"createdBy": in.createdBy, "updatedBy": in.createdBy,
	})
	if withConfig {
		m["config"] = in.sections()
	}
	return m
}

// sections returns the config sections, with auth values redacted.
func (in *pipesInstance) sections() map[string]any {
	auth := maps.Clone(in.auth)
	if auth == nil {
		auth = map[string]any{}
	}
	if v, ok := auth["values"].(map[string]any); ok {
		auth["values"] = redactMap(v, nil)
	}
	sync := in.sync
	if sync == nil {
		sync = map[string]any{"selectedStrategy": "MANUAL"}
	}
	filters := in.filtersCfg
	if filters == nil {
		filters = map[string]any{}
	}
	return map[string]any{"auth": auth, "sync": sync, "filters": filters}
}

// pipesConfig renders the ConnectorConfig object; h.mu is held.
func (h *Handler) pipesConfig(in *pipesInstance) map[string]any {
	var m map[string]any
	if h.cfg.pipesHubSpec {
		m = map[string]any{
			"connectorId": in.key, "connectorType": in.typ, "instanceName": in.name,
			"authType": in.authType, "scope": in.scope, "isActive": in.active,
			"isConfigured": in.configured, "isAuthenticated": in.authenticated,
		}
	} else {
		m = h.pipesItem(in, false)
	}
	m["config"] = in.sections()
	m["baseUrl"] = in.baseURL
	return m
}

// pipesPaging reads page and limit (1..maxLimit), writing a 400 on error.
func pipesPaging(w http.ResponseWriter, q url.Values, defLimit, maxLimit int) (page, limit int, ok bool) {
	page, err := queryInt(q, "page", 1, 1, -1)
	if err == nil {
		limit, err = queryInt(q, "limit", defLimit, 1, maxLimit)
	}
	if err != nil {
		pipesFail(w, http.StatusBadRequest, fmt.Sprintf("page must be >= 1 and limit between 1 and %d", maxLimit))
		return 0, 0, false
	}
	return page, limit, true
}

// pipesPagination renders the pagination object in the configured shape.
func (h *Handler) pipesPagination(page, limit, total int) map[string]any {
	if h.cfg.pipesHubSpec {
		return map[string]any{"page": page, "limit": limit, "total": total, "hasMore": page*limit < total}
	}
	pages := (total + limit - 1) / limit
	var prev, next any
	if page > 1 {
		prev = page - 1
	}
	if page < pages {
		next = page + 1
	}
	return map[string]any{
		"page": page, "limit": limit, "totalCount": total, "totalPages": pages,
		"hasPrev": page > 1, "hasNext": page < pages, "prevPage": prev, "nextPage": next,
	}
}

// pipesFilter builds the instance filter of a list request from scope, search,
// isAuthenticated, isActive and connectorType, writing a 400 on a bad value.
func pipesFilter(w http.ResponseWriter, q url.Values) (func(*pipesInstance) bool, bool) {
	scope, search, typ := q.Get("scope"), strings.ToLower(q.Get("search")), q.Get("connectorType")
	if scope != "" && scope != "team" && scope != "personal" {
		pipesFail(w, http.StatusBadRequest, "scope must be team or personal")
		return nil, false
	}
	bools := map[string]*bool{}
	for _, name := range []string{"isAuthenticated", "isActive"} {
		if s := q.Get(name); s != "" {
			b, err := strconv.ParseBool(s)
			if err != nil {
				pipesFail(w, http.StatusBadRequest, name+" must be true or false")
				return nil, false
			}
			bools[name] = &b
		}
	}
	return func(in *pipesInstance) bool {
		t := pipesTypeOf(in.typ)
		switch {
		case scope != "" && in.scope != scope,
			typ != "" && in.typ != typ,
			bools["isAuthenticated"] != nil && *bools["isAuthenticated"] != in.authenticated,
			bools["isActive"] != nil && *bools["isActive"] != in.active:
			return false
		case search == "":
			return true
		}
		return strings.Contains(strings.ToLower(in.name), search) ||
			strings.Contains(strings.ToLower(in.typ), search) ||
			strings.Contains(strings.ToLower(t.AppGroup), search)
	}, true
}

// pipesPagedList serves a paged list {success, connectors, pagination} of the
// instances keep accepts.
func (h *Handler) pipesPagedList(keep func(*pipesInstance) bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page, ok := h.pipesPage(w, r, keep)
		if !ok {
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"success": true, "connectors": page.items, "pagination": page.pagination,
		})
	}
}

// pipesConfiguredList serves GET /connectors/configured. The spec answers a flat
// page like the other lists; the backend nests it one level down: {success,
// connectors: {connectors: […], pagination, scopeCounts}}, where scopeCounts counts
// the configured instances per scope.
func (h *Handler) pipesConfiguredList(w http.ResponseWriter, r *http.Request) {
	configured := func(in *pipesInstance) bool { return in.configured }
	if h.cfg.pipesHubSpec {
		h.pipesPagedList(configured)(w, r)
		return
	}
	page, ok := h.pipesPage(w, r, configured)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"success": true,
		"connectors": map[string]any{
			"connectors": page.items, "pagination": page.pagination, "scopeCounts": page.scopeCounts,
		},
	})
}

type pipesListPage struct {
	items       []map[string]any
	pagination  map[string]any
	scopeCounts map[string]int // instances keep accepts, per scope, before filters
}

// pipesPage reads the paging and filter parameters of a list request and renders
// the page of the instances keep accepts, writing a 400 on a bad parameter.
func (h *Handler) pipesPage(w http.ResponseWriter, r *http.Request, keep func(*pipesInstance) bool) (pipesListPage, bool) {
	q := r.URL.Query()
	page, limit, ok := pipesPaging(w, q, 20, 200)
	if !ok {
		return pipesListPage{}, false
	}
	filter, ok := pipesFilter(w, q)
	if !ok {
		return pipesListPage{}, false
	}
	u := h.pipesUserOf(r)
	h.mu.Lock()
	defer h.mu.Unlock()
	counts := map[string]int{"personal": 0, "team": 0}
	for _, in := range h.pipes.insts.all(func(in *pipesInstance) bool { return keep(in) && u.sees(in) }) {
		counts[in.scope]++
	}
	all := h.pipes.insts.all(func(in *pipesInstance) bool { return keep(in) && u.sees(in) && filter(in) })
	lo, hi := window(len(all), (page-1)*limit, limit)
	items := make([]map[string]any, 0, hi-lo)
	for _, in := range all[lo:hi] {
		items = append(items, h.pipesItem(in, false))
	}
	return pipesListPage{items: items, pagination: h.pipesPagination(page, limit, len(all)), scopeCounts: counts}, true
}

// pipesList serves GET /connectors. The backend's gateway insists on scope; the
// spec shape defaults it to team.
func (h *Handler) pipesList(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("scope") == "" {
		if !h.cfg.pipesHubSpec {
			pipesFail(w, http.StatusBadRequest, "Scope is required")
			return
		}
		q := r.URL.Query()
		q.Set("scope", "team")
		r.URL.RawQuery = q.Encode()
	}
	h.pipesPagedList(func(*pipesInstance) bool { return true })(w, r)
}

// pipesPlainList serves an unpaged list {success, connectors}.
func (h *Handler) pipesPlainList(keep func(*pipesInstance) bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := h.pipesUserOf(r)
		h.mu.Lock()
		defer h.mu.Unlock()
		items := []map[string]any{}
		for _, in := range h.pipes.insts.all(func(in *pipesInstance) bool { return keep(in) && u.sees(in) }) {
			items = append(items, h.pipesItem(in, false))
		}
		writeJSON(w, http.StatusOK, map[string]any{"success": true, "connectors": items})
	}
}

type pipesCreateRequest struct {
	ConnectorType string         `json:"connectorType"`
	InstanceName  string         `json:"instanceName"`
	Scope         string         `json:"scope"`
	AuthType      string         `json:"authType"`
	Config        map[string]any `json:"config"`
	BaseURL       string         `json:"baseUrl"`
}

func (h *Handler) pipesCreate(w http.ResponseWriter, r *http.Request) {
	var in pipesCreateRequest
	if err := decodeBody(r, &in); err != nil {
		pipesFail(w, http.StatusBadRequest, "Invalid JSON body")
		return
	}
	for _, f := range [][2]string{{"connectorType", in.ConnectorType}, {"instanceName", in.InstanceName}, {"scope", in.Scope}} {
		if f[1] == "" {
			pipesFail(w, http.StatusBadRequest, f[0]+" is required")
			return
		}
	}
	if !validInstanceName(in.InstanceName) {
		pipesFail(w, http.StatusBadRequest, "instanceName must be at most 100 characters")
		return
	}
	if in.Scope != "team" && in.Scope != "personal" {
		pipesFail(w, http.StatusBadRequest, "scope must be team or personal")
		return
	}
	user := h.pipesUserOf(r)
	if in.Scope == "team" && !user.admin {
		pipesFail(w, http.StatusForbidden, "Only administrators can create team connectors")
		return
	}
	t := pipesTypeOf(in.ConnectorType)
	if t == nil {
		pipesFail(w, http.StatusBadRequest, "Unknown connector type "+in.ConnectorType)
		return
	}
	offered := t.authTypes(h.cfg.pipesHubSpec)
	if in.AuthType == "" {
		// "required if connector supports multiple auth methods" (the page)
		if len(offered) != 1 {
			pipesFail(w, http.StatusBadRequest, fmt.Sprintf("authType is required: %s supports %s", t.Type, strings.Join(offered, ", ")))
			return
		}
		in.AuthType = offered[0]
	}
	if !slices.Contains(offered, in.AuthType) {
		pipesFail(w, http.StatusBadRequest, fmt.Sprintf("Auth type %s is not supported by %s", in.AuthType, t.Type))
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	// "Duplicate instance name" (400 in both specs): the same name on an instance of
	// the same type and scope, team-wide or among the creator's personal ones.
	if len(h.pipes.insts.all(func(o *pipesInstance) bool {
		return o.typ == t.Type && o.scope == in.Scope && o.name == in.InstanceName &&
			(in.Scope == "team" || o.createdBy == user.id)
	})) > 0 {
		pipesFail(w, http.StatusBadRequest, fmt.Sprintf("A %s connector named %q already exists", t.Type, in.InstanceName))
		return
	}
	inst := h.newPipesInstance(t, in.InstanceName, in.Scope, in.AuthType, h.cfg.now())
	inst.baseURL, inst.createdBy = in.BaseURL, user.id
	if a, ok := in.Config["auth"].(map[string]any); ok {
		inst.auth, inst.configured = a, true
	}
	if s, ok := in.Config["sync"].(map[string]any); ok {
		inst.sync = s
	}
	if f, ok := in.Config["filters"].(map[string]any); ok {
		inst.filtersCfg = f
	}
	if h.cfg.pipesHubSpec {
		writeJSON(w, http.StatusCreated, map[string]any{"success": true, "connector": h.pipesItem(inst, false)})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"success": true,
		"connector": map[string]any{
			"connectorId": inst.key, "connectorType": inst.typ, "instanceName": inst.name,
			"created": true, "scope": inst.scope, "createdBy": inst.createdBy,
			"isAuthenticated": false, "isConfigured": inst.configured,
		},
		"message": "Connector instance created successfully.",
	})
}

// newPipesInstance stores a new instance; h.mu is held.
func (h *Handler) newPipesInstance(t *pipesType, name, scope, authType string, now time.Time) *pipesInstance {
	inst := &pipesInstance{
		key: fmt.Sprintf("b7e1a000-0000-4000-8000-%012d", h.pipes.seq.next()),
		typ: t.Type, name: name, scope: scope, authType: authType,
		createdBy: pipesUserID, created: now, updated: now,
	}
	h.pipes.insts.put(inst.key, inst)
	return inst
}

func (h *Handler) pipesGet(w http.ResponseWriter, r *http.Request) {
	in, ok := h.pipesFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "connector": h.pipesItem(in, !h.cfg.pipesHubSpec)})
}

// pipesDelete removes the instance at once; the backend answers 202 DELETING. A
// team instance needs an administrator.
func (h *Handler) pipesDelete(w http.ResponseWriter, r *http.Request) {
	in, ok := h.pipesFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	if !h.pipesUserOf(r).mayManage(in) {
		pipesFail(w, http.StatusForbidden, "Only administrators can delete team connectors")
		return
	}
	h.pipes.insts.del(in.key)
	if h.cfg.pipesHubSpec {
		writeJSON(w, http.StatusOK, map[string]any{"success": true, "message": "Connector instance deleted successfully"})
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{
		"success": true, "message": "Connector deletion initiated", "connectorId": in.key, "status": "DELETING",
	})
}

// validInstanceName reports whether an instance name has 1 to 100 characters
// (runes, not bytes).
func validInstanceName(name string) bool {
	n := utf8.RuneCountInString(name)
	return n >= 1 && n <= 100
}

func (h *Handler) pipesRename(w http.ResponseWriter, r *http.Request) {
	var body struct {
		InstanceName string `json:"instanceName"`
	}
	if err := decodeBody(r, &body); err != nil || !validInstanceName(body.InstanceName) {
		pipesFail(w, http.StatusBadRequest, "instanceName is required (1 to 100 characters)")
		return
	}
	in, ok := h.pipesFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	in.name, in.updated = body.InstanceName, h.cfg.now()
	conn := map[string]any{"_key": in.key, "name": in.name}
	if h.cfg.pipesHubSpec {
		conn = h.pipesItem(in, false)
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "connector": conn})
}

func (h *Handler) pipesGetConfig(w http.ResponseWriter, r *http.Request) {
	in, ok := h.pipesFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "config": h.pipesConfig(in)})
}

type pipesConfigRequest struct {
	Auth    map[string]any `json:"auth"`
	Sync    map[string]any `json:"sync"`
	Filters map[string]any `json:"filters"`
	BaseURL *string        `json:"baseUrl"`
}

// setAuth stores new auth settings: the instance becomes configured, and
// authenticated unless it uses OAuth (whose tokens the change clears).
func (in *pipesInstance) setAuth(auth map[string]any) {
	in.auth, in.configured, in.authenticated = auth, true, !isOAuth(in.authType)
}

// pipesUpdateConfig decodes a config body, checks it with check (nil: none) under
// h.mu, applies it and answers {success, config}.
func (h *Handler) pipesUpdateConfig(w http.ResponseWriter, r *http.Request, check func(*pipesInstance, *pipesConfigRequest) string) {
	var body pipesConfigRequest
	if err := decodeBody(r, &body); err != nil {
		pipesFail(w, http.StatusBadRequest, "Invalid JSON body")
		return
	}
	in, ok := h.pipesFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	if check != nil {
		if msg := check(in, &body); msg != "" {
			pipesFail(w, http.StatusBadRequest, msg)
			return
		}
	}
	if body.Auth != nil {
		in.setAuth(body.Auth)
	}
	if body.Sync != nil {
		in.sync = body.Sync
	}
	if body.Filters != nil {
		in.filtersCfg = body.Filters
	}
	if body.BaseURL != nil {
		in.baseURL = *body.BaseURL
	}
	in.updated = h.cfg.now()
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "config": h.pipesConfig(in)})
}

// pipesPutConfig updates any section; like config/auth, it needs the connector
// switched off (sync) first, as the spec says.
func (h *Handler) pipesPutConfig(w http.ResponseWriter, r *http.Request) {
	h.pipesUpdateConfig(w, r, func(in *pipesInstance, _ *pipesConfigRequest) string {
		if in.active {
			return "Connector must be disabled first"
		}
		return ""
	})
}

func (h *Handler) pipesPutAuth(w http.ResponseWriter, r *http.Request) {
	h.pipesUpdateConfig(w, r, func(in *pipesInstance, b *pipesConfigRequest) string {
		switch {
		case b.Auth == nil:
			return "auth is required"
		case in.active:
			return "Connector must be disabled first"
		}
		b.Sync, b.Filters = nil, nil
		return ""
	})
}

func (h *Handler) pipesPutFiltersSync(w http.ResponseWriter, r *http.Request) {
	h.pipesUpdateConfig(w, r, func(in *pipesInstance, b *pipesConfigRequest) string {
		if !in.authenticated || in.active {
			return "Connector must be authenticated and disabled first"
		}
		b.Auth = nil
		return ""
	})
}

// pipesAuthorize returns the provider URL and a state naming the instance.
func (h *Handler) pipesAuthorize(w http.ResponseWriter, r *http.Request) {
	in, ok := h.pipesFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	if !isOAuth(in.authType) {
		pipesFail(w, http.StatusBadRequest, "Connector does not use OAuth")
		return
	}
	state := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%s:%d", in.key, h.seq.next()))
	if h.pipes.states == nil {
		h.pipes.states = map[string]string{}
	}
	h.pipes.states[state] = in.key
	v := url.Values{
		"client_id": {"connapitest"}, "response_type": {"code"}, "state": {state},
		"redirect_uri": {"https://app.connapitest.invalid/api/v1/connectors/oauth/callback"},
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"success": true, "authorizationUrl": pipesTypeOf(in.typ).authURL + "?" + v.Encode(), "state": state,
	})
}

// pipesFrontendURL is where the fake's PipesHub would send the user's browser
// after an OAuth callback, unless the callback names a baseUrl.
const pipesFrontendURL = "https://app.connapitest.invalid"

// pipesOAuthCallback completes the flow started by pipesAuthorize: any non-empty
// code is accepted, the state must be one the server issued. A callback carrying
// the provider's error= (the user denied access) is not a failed request: the
// backend shape answers 200 {success: false, error, redirectUrl}, the spec shape
// 302 to the frontend with oauth_error in the query; the state stays unused.
func (h *Handler) pipesOAuthCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		front := strings.TrimRight(q.Get("baseUrl"), "/")
		if front == "" {
			front = pipesFrontendURL
		}
		redirect := front + "/connectors/oauth/callback?" + url.Values{"oauth_error": {e}}.Encode()
		if h.cfg.pipesHubSpec {
			http.Redirect(w, r, redirect, http.StatusFound) //nolint:gosec // G710: the fake mirrors PipesHub, which redirects to the baseUrl it is given
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"success": false, "error": e, "redirectUrl": redirect})
		return
	}
	if q.Get("code") == "" {
		pipesFail(w, http.StatusBadRequest, "Authorization code is required")
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	key, ok := h.pipes.states[q.Get("state")]
	if !ok {
		pipesFail(w, http.StatusBadRequest, "Invalid or expired state")
		return
	}
	delete(h.pipes.states, q.Get("state"))
	in, ok := h.pipes.insts.get(key)
	if !ok {
		pipesFail(w, http.StatusNotFound, "Connector instance "+key+" not found")
		return
	}
	in.authenticated, in.configured, in.updated = true, true, h.cfg.now()
	writeJSON(w, http.StatusOK, map[string]any{
		"success": true, "message": "OAuth authorization completed", "connectorId": in.key,
	})
}

func (h *Handler) pipesGetFilters(w http.ResponseWriter, r *http.Request) {
	in, ok := h.pipesFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	saved := in.filters
	if saved == nil {
		saved = map[string]any{}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"success": true, "filterOptions": map[string]any{"filters": pipesFilterDefs}, "filters": saved,
	})
}

func (h *Handler) pipesSaveFilters(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Filters map[string]any `json:"filters"`
	}
	if err := decodeBody(r, &body); err != nil || body.Filters == nil {
		pipesFail(w, http.StatusBadRequest, "filters is required")
		return
	}
	in, ok := h.pipesFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	in.filters, in.updated = body.Filters, h.cfg.now()
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "message": "Filters saved successfully"})
}

// pipesFilterOptions pages through a filter field's options by page or by cursor.
func (h *Handler) pipesFilterOptions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, limit, ok := pipesPaging(w, q, 20, 100)
	if !ok {
		return
	}
	offset := (page - 1) * limit
	if c := q.Get("cursor"); c != "" {
		if offset, ok = parseOffsetToken(c); !ok {
			pipesFail(w, http.StatusBadRequest, "Invalid cursor")
			return
		}
	}
	if _, ok := h.pipesFor(w, r); !ok {
		return
	}
	h.mu.Unlock()
	key := r.PathValue("filterKey")
	opts, ok := pipesFilterOptionsOf(key)
	if !ok {
		pipesFail(w, http.StatusNotFound, "Filter field "+key+" not found")
		return
	}
	if s := strings.ToLower(q.Get("search")); s != "" {
		var kept []map[string]string
		for _, o := range opts {
			if strings.Contains(strings.ToLower(o["label"]), s) {
				kept = append(kept, o)
			}
		}
		opts = kept
	}
	lo, hi := window(len(opts), offset, limit)
	pag := map[string]any{"page": page, "limit": limit, "hasMore": hi < len(opts)}
	if hi < len(opts) {
		pag["cursor"] = offsetToken(hi)
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "options": append([]map[string]string{}, opts[lo:hi]...), "pagination": pag})
}

// pipesToggle flips sync (isActive) or agent (isAgentActive). Enabling needs an
// authenticated instance; agent needs a connector type that supports agents. The
// answer is {success, message}; the spec shape adds the updated connector.
func (h *Handler) pipesToggle(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Type string `json:"type"`
	}
	if err := decodeBody(r, &body); err != nil || (body.Type != "sync" && body.Type != "agent") {
		pipesFail(w, http.StatusBadRequest, "type must be sync or agent")
		return
	}
	in, ok := h.pipesFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	if !h.pipesUserOf(r).mayManage(in) {
		pipesFail(w, http.StatusForbidden, "Only administrators can toggle team connectors")
		return
	}
	flag := &in.active
	if body.Type == "agent" {
		if !pipesTypeOf(in.typ).SupportsAgent {
			pipesFail(w, http.StatusBadRequest, in.typ+" does not support agents")
			return
		}
		flag = &in.agentActive
	}
	if !*flag && !in.authenticated {
		pipesFail(w, http.StatusBadRequest, "Connector must be configured and authenticated before it can be enabled")
		return
	}
	*flag = !*flag
	in.updated = h.cfg.now()
	state := "disabled"
	if *flag {
		state = "enabled"
	}
	out := map[string]any{"success": true, "message": fmt.Sprintf("Connector %s %s", body.Type, state)}
	if h.cfg.pipesHubSpec {
		out["connector"] = h.pipesItem(in, false) // the backend sends no instance
	}
	writeJSON(w, http.StatusOK, out)
}

// pipesRegistry lists connector types, paged.
func (h *Handler) pipesRegistry(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, limit, ok := pipesPaging(w, q, 20, 200)
	if !ok {
		return
	}
	if s := q.Get("scope"); s != "" && s != "team" && s != "personal" {
		pipesFail(w, http.StatusBadRequest, "scope must be team or personal")
		return
	}
	search := strings.ToLower(q.Get("search"))
	var all []*pipesType
	for i := range pipesTypes {
		t := &pipesTypes[i]
		if search == "" || strings.Contains(strings.ToLower(t.Type+" "+t.DisplayName+" "+t.AppGroup), search) {
			all = append(all, t)
		}
	}
	lo, hi := window(len(all), (page-1)*limit, limit)
	items := make([]map[string]any, 0, hi-lo)
	for _, t := range all[lo:hi] {
		items = append(items, pipesRegistryItem(t, h.cfg.pipesHubSpec))
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"success": true, "connectors": items, "pagination": h.pipesPagination(page, limit, len(all)),
	})
}

func (h *Handler) pipesSchema(w http.ResponseWriter, r *http.Request) {
	typ := r.PathValue("connectorType")
	t := pipesTypeOf(typ)
	if t == nil {
		pipesFail(w, http.StatusNotFound, "Connector type "+typ+" not found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "schema": t.schema()})
}
