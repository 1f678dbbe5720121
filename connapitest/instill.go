package connapitest

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Instill AI: camelCase JSON, {connection}/{integration} wrappers, page tokens,
// gRPC-gateway errors {"code": int, "message", "details": []}.

type instillState struct {
	seq counter
	ns  map[string]*table[instillConn]
}

type instillConn struct {
	uid, id, ns, integrationID, method string
	setup                              map[string]any
	scopes                             []string
	identity                           *string
	oauthDetails                       map[string]any
	created, updated                   time.Time
}

// instillRefs is how many pipelines reference every connection (pipeline-01…).
const instillRefs = 12

func (h *Handler) routeInstill() {
	const p = "/v1beta/namespaces/{namespaceId}/connections"
	m := h.mux
	m.HandleFunc("GET "+p, h.instillList)
	m.HandleFunc("POST "+p, h.instillCreate)
	m.HandleFunc("GET "+p+"/{connectionId}", h.instillGet)
	m.HandleFunc("PATCH "+p+"/{connectionId}", h.instillUpdate)
	m.HandleFunc("DELETE "+p+"/{connectionId}", h.instillDelete)
	m.HandleFunc("POST "+p+"/{connectionId}/test", h.instillTest)
	m.HandleFunc("GET "+p+"/{connectionId}/referenced-pipelines", h.instillRefs)
	m.HandleFunc("GET /v1beta/integrations", h.instillIntegrations)
	m.HandleFunc("GET /v1beta/integrations/{integrationId}", h.instillIntegration)
}

func instillFail(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, instillError(code, msg))
}

func invalidArgument(w http.ResponseWriter, msg string) {
	instillFail(w, http.StatusBadRequest, grpcInvalidArgument, msg)
}

// namespace returns the connections of ns, creating the table; h.mu is held.
func (h *Handler) namespace(ns string) *table[instillConn] {
	if h.instill.ns == nil {
		h.instill.ns = map[string]*table[instillConn]{}
	}
	t, ok := h.instill.ns[ns]
	if !ok {
		t = &table[instillConn]{}
		h.instill.ns[ns] = t
	}
	return t
}

// instillFor finds the {connectionId} connection and returns with h.mu held, or
// writes a 404 and returns false with h.mu released.
func (h *Handler) instillFor(w http.ResponseWriter, r *http.Request) (*instillConn, bool) {
	id := r.PathValue("connectionId")
	h.mu.Lock()
	c, ok := h.namespace(r.PathValue("namespaceId")).get(id)
	if !ok {
		h.mu.Unlock()
		instillFail(w, http.StatusNotFound, grpcNotFound, "connection "+id+" not found")
		return nil, false
	}
	return c, true
}

// instillJSON renders a connection. VIEW_BASIC hides setup, scopes and
// oAuthAccessDetails; VIEW_FULL shows them with secret setup values redacted.
func instillJSON(c *instillConn, full bool) map[string]any {
	integ := instillIntegrationOf(c.integrationID)
	m := map[string]any{
		"uid": c.uid, "id": c.id, "namespaceId": c.ns, "integrationId": c.integrationID,
		"integrationTitle": integ.Title, "method": c.method, "view": "VIEW_BASIC",
		"createTime": c.created.UTC().Format(time.RFC3339Nano), "updateTime": c.updated.UTC().Format(time.RFC3339Nano),
	}
	if c.identity != nil {
		m["identity"] = *c.identity
	}
	if full {
		m["view"] = "VIEW_FULL"
		m["setup"] = redactMap(c.setup, integ.secrets())
		scopes := c.scopes
		if scopes == nil {
			scopes = []string{}
		}
		m["scopes"] = scopes
		if c.oauthDetails != nil {
			m["oAuthAccessDetails"] = c.oauthDetails
		}
	}
	return m
}

// parseView reads ?view=; it reports full, or writes a 400.
func parseView(w http.ResponseWriter, q url.Values) (full, ok bool) {
	switch q.Get("view") {
	case "", "VIEW_UNSPECIFIED", "VIEW_BASIC":
		return false, true
	case "VIEW_FULL":
		return true, true
	}
	invalidArgument(w, "invalid view "+q.Get("view"))
	return false, false
}

// instillPageSize reads pageSize (default 10, larger than 100 coerced to 100),
// writing a 400 on error.
func instillPageSize(w http.ResponseWriter, q url.Values) (size int, ok bool) {
	size, err := queryInt(q, "pageSize", 10, 0, -1)
	if err != nil {
		invalidArgument(w, "pageSize must be a non-negative integer")
		return 0, false
	}
	if size == 0 {
		size = 10
	}
	return min(size, 100), true
}

// instillPaging reads pageSize and an offset pageToken, for the fixed lists,
// writing a 400 on error.
func instillPaging(w http.ResponseWriter, q url.Values) (size, offset int, ok bool) {
	if size, ok = instillPageSize(w, q); !ok {
		return 0, 0, false
	}
	offset, ok = parseOffsetToken(q.Get("pageToken"))
	if !ok {
		invalidArgument(w, "invalid page token")
	}
	return size, offset, ok
}

// A connection list's page token names the last connection of the page before,
// by its uid, as Instill's backend's tokens name the last item's (create time,
// uid): the next page starts after it, so connections deleted or created during
// a walk do not make it skip or repeat one. Uids grow with creation, and a
// namespace keeps its connections in creation order.
func instillAfterToken(uid string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("after:" + uid))
}

// parseInstillAfterToken returns the uid a page token names ("" for none).
func parseInstillAfterToken(tok string) (uid string, ok bool) {
	if tok == "" {
		return "", true
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", false
	}
	uid, ok = strings.CutPrefix(string(b), "after:")
	return uid, ok && uid != ""
}

// instillPage returns the bounds of a page and its nextPageToken.
func instillPage(total, size, offset int) (lo, hi int, next string) {
	lo, hi = window(total, offset, size)
	if hi < total {
		next = offsetToken(hi)
	}
	return lo, hi, next
}

var filterTermRE = regexp.MustCompile(`^\s*(\w+)\s*=\s*"([^"]*)"\s*$`)

// parseFilter reads a conjunction of key = "value" terms (a small subset of
// AIP-160), accepting only the given keys.
func parseFilter(expr string, keys ...string) (map[string]string, error) {
	out := map[string]string{}
	if strings.TrimSpace(expr) == "" {
		return out, nil
	}
	for _, term := range strings.Split(expr, " AND ") {
		m := filterTermRE.FindStringSubmatch(term)
		if m == nil || !slices.Contains(keys, m[1]) {
			return nil, errors.New("unsupported filter expression: " + strings.TrimSpace(term))
		}
		out[m[1]] = m[2]
	}
	return out, nil
}

func fuzzy(s, q string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(q)) }

func (h *Handler) instillList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	size, ok := instillPageSize(w, q)
	if !ok {
		return
	}
	after, ok := parseInstillAfterToken(q.Get("pageToken"))
	if !ok {
		invalidArgument(w, "invalid page token")
		return
	}
	// qConnection: fuzzy on connection ID, integration title or vendor; the spec's
	// example writes it q="…".
	f, err := parseFilter(q.Get("filter"), "integrationId", "qConnection", "q")
	if err != nil {
		invalidArgument(w, err.Error())
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	all := h.namespace(r.PathValue("namespaceId")).all(func(c *instillConn) bool {
		if v, ok := f["integrationId"]; ok && c.integrationID != v {
			return false
		}
		in := instillIntegrationOf(c.integrationID)
		for _, k := range []string{"qConnection", "q"} {
			if v, ok := f[k]; ok && !fuzzy(c.id, v) && !fuzzy(in.Title, v) && !fuzzy(in.Vendor, v) {
				return false
			}
		}
		return true
	})
	start := 0
	if after != "" {
		if start = slices.IndexFunc(all, func(c *instillConn) bool { return c.uid > after }); start < 0 {
			start = len(all)
		}
	}
	lo, hi := window(len(all), start, size)
	next := ""
	if hi < len(all) {
		next = instillAfterToken(all[hi-1].uid)
	}
	items := make([]map[string]any, 0, hi-lo)
	for _, c := range all[lo:hi] {
		items = append(items, instillJSON(c, false))
	}
	writeJSON(w, http.StatusOK, map[string]any{"connections": items, "nextPageToken": next, "totalSize": len(all)})
}

// instillBody is a Connection in a request; nil fields were absent. The
// output-only fields are not read: they are ignored.
type instillBody struct {
	ID                 *string        `json:"id"`
	IntegrationID      *string        `json:"integrationId"`
	Method             *string        `json:"method"`
	Setup              map[string]any `json:"setup"`
	Scopes             []string       `json:"scopes"`
	Identity           *string        `json:"identity"`
	OAuthAccessDetails map[string]any `json:"oAuthAccessDetails"`
}

var instillIDRE = regexp.MustCompile(`^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)

func validMethod(m string) bool { return m == "METHOD_DICTIONARY" || m == "METHOD_OAUTH" }

func (h *Handler) instillCreate(w http.ResponseWriter, r *http.Request) {
	var b instillBody
	if err := decodeBody(r, &b); err != nil {
		invalidArgument(w, "invalid JSON body: "+err.Error())
		return
	}
	switch {
	case b.ID == nil || !instillIDRE.MatchString(*b.ID):
		invalidArgument(w, "id is required and must be lowercase letters, digits and hyphens (RFC 1034)")
		return
	case b.IntegrationID == nil || instillIntegrationOf(*b.IntegrationID) == nil:
		invalidArgument(w, "integrationId is required and must name an integration")
		return
	case b.Method == nil || !validMethod(*b.Method):
		invalidArgument(w, "method must be METHOD_DICTIONARY or METHOD_OAUTH")
		return
	case b.Setup == nil:
		invalidArgument(w, "setup is required")
		return
	}
	ns := r.PathValue("namespaceId")
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, exists := h.namespace(ns).get(*b.ID); exists {
		instillFail(w, http.StatusConflict, grpcAlreadyExists, "connection "+*b.ID+" already exists")
		return
	}
	c := h.newInstillConn(ns, *b.ID, *b.IntegrationID, *b.Method, b.Setup, h.cfg.now())
	c.scopes, c.identity, c.oauthDetails = b.Scopes, b.Identity, b.OAuthAccessDetails
	writeJSON(w, http.StatusOK, map[string]any{"connection": instillJSON(c, true)})
}

// newInstillConn stores a new connection; h.mu is held.
func (h *Handler) newInstillConn(ns, id, integration, method string, setup map[string]any, now time.Time) *instillConn {
	c := &instillConn{
		uid: fmt.Sprintf("1a5f0000-0000-4000-8000-%012d", h.instill.seq.next()),
		id:  id, ns: ns, integrationID: integration, method: method, setup: setup,
		created: now, updated: now,
	}
	h.namespace(ns).put(id, c)
	return c
}

func (h *Handler) instillGet(w http.ResponseWriter, r *http.Request) {
	full, ok := parseView(w, r.URL.Query())
	if !ok {
		return
	}
	c, ok := h.instillFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"connection": instillJSON(c, full)})
}

// instillUpdate changes only the fields present in the body; setup is replaced as
// a whole. A new id renames the connection (it must be a valid id and free in the
// namespace, else 400 INVALID_ARGUMENT or 409 ALREADY_EXISTS); the connection
// keeps its uid and its place in lists, and its referenced pipelines follow it.
// As the spec says, "immutable and output-only fields will be ignored":
// integrationId (immutable), namespaceId, uid, integrationTitle, view and the
// times (output only) may be present with any value and change nothing.
func (h *Handler) instillUpdate(w http.ResponseWriter, r *http.Request) {
	var b instillBody
	if err := decodeBody(r, &b); err != nil {
		invalidArgument(w, "invalid JSON body: "+err.Error())
		return
	}
	if b.Method != nil && !validMethod(*b.Method) {
		invalidArgument(w, "method must be METHOD_DICTIONARY or METHOD_OAUTH")
		return
	}
	c, ok := h.instillFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	if b.ID != nil && *b.ID != c.id {
		if !instillIDRE.MatchString(*b.ID) {
			invalidArgument(w, "id must be lowercase letters, digits and hyphens (RFC 1034)")
			return
		}
		t := h.namespace(c.ns)
		if _, taken := t.get(*b.ID); taken {
			instillFail(w, http.StatusConflict, grpcAlreadyExists, "connection "+*b.ID+" already exists")
			return
		}
		t.rekey(c.id, *b.ID)
		c.id = *b.ID
	}
	if b.Method != nil {
		c.method = *b.Method
	}
	if b.Setup != nil {
		c.setup = b.Setup
	}
	if b.Scopes != nil {
		c.scopes = b.Scopes
	}
	if b.Identity != nil {
		c.identity = b.Identity
	}
	if b.OAuthAccessDetails != nil {
		c.oauthDetails = b.OAuthAccessDetails
	}
	c.updated = h.cfg.now()
	writeJSON(w, http.StatusOK, map[string]any{"connection": instillJSON(c, true)})
}

func (h *Handler) instillDelete(w http.ResponseWriter, r *http.Request) {
	c, ok := h.instillFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	h.namespace(c.ns).del(c.id)
	writeJSON(w, http.StatusOK, map[string]any{})
}

// instillTest succeeds when the setup has every field the integration's setup
// schema requires, and fails with FAILED_PRECONDITION otherwise.
func (h *Handler) instillTest(w http.ResponseWriter, r *http.Request) {
	c, ok := h.instillFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	for _, f := range instillIntegrationOf(c.integrationID).required() {
		if v, ok := c.setup[f]; !ok || v == nil || v == "" {
			instillFail(w, http.StatusBadRequest, grpcFailedPrecondition, "connection test failed: missing required setup field "+f)
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

// instillRefs lists the pipelines that reference a connection: every connection
// is referenced by pipeline-01 … pipeline-12. Filter q="…" is a fuzzy match.
func (h *Handler) instillRefs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	size, offset, ok := instillPaging(w, q)
	if !ok {
		return
	}
	f, err := parseFilter(q.Get("filter"), "q")
	if err != nil {
		invalidArgument(w, err.Error())
		return
	}
	if _, ok := h.instillFor(w, r); !ok {
		return
	}
	h.mu.Unlock()
	var ids []string
	for i := 1; i <= instillRefs; i++ {
		if id := fmt.Sprintf("pipeline-%02d", i); fuzzy(id, f["q"]) {
			ids = append(ids, id)
		}
	}
	lo, hi, next := instillPage(len(ids), size, offset)
	writeJSON(w, http.StatusOK, map[string]any{"pipelineIds": append([]string{}, ids[lo:hi]...), "nextPageToken": next, "totalSize": len(ids)})
}

func (h *Handler) instillIntegrations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	size, offset, ok := instillPaging(w, q)
	if !ok {
		return
	}
	// qIntegration: fuzzy on title or vendor; the spec's example writes it q="…".
	f, err := parseFilter(q.Get("filter"), "qIntegration", "q")
	if err != nil {
		invalidArgument(w, err.Error())
		return
	}
	var all []*instillIntegration
	for i := range instillIntegrations {
		in := &instillIntegrations[i]
		keep := true
		for _, k := range []string{"qIntegration", "q"} {
			if v, ok := f[k]; ok && !fuzzy(in.Title, v) && !fuzzy(in.Vendor, v) {
				keep = false
			}
		}
		if keep {
			all = append(all, in)
		}
	}
	lo, hi, next := instillPage(len(all), size, offset)
	items := make([]map[string]any, 0, hi-lo)
	for _, in := range all[lo:hi] {
		items = append(items, in.json(false))
	}
	writeJSON(w, http.StatusOK, map[string]any{"integrations": items, "nextPageToken": next, "totalSize": len(all)})
}

func (h *Handler) instillIntegration(w http.ResponseWriter, r *http.Request) {
	full, ok := parseView(w, r.URL.Query())
	if !ok {
		return
	}
	id := r.PathValue("integrationId")
	in := instillIntegrationOf(id)
	if in == nil {
		instillFail(w, http.StatusNotFound, grpcNotFound, "integration "+id+" not found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"integration": in.json(full)})
}
