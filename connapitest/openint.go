package connapitest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// OpenInt v0: camelCase JSON, no wrappers, bare arrays without totals, tRPC errors
// {"code": "NOT_FOUND", "message", "issues"?}.

const openIntOrgID = "org_connapitest"

type openIntState struct {
	seq    counter
	events counter
	conns  table[openIntConn]
}

type openIntConn struct {
	id, connectorName, ccfg                string
	displayName, customerID, integrationID *string
	settings                               map[string]any
	metadata                               any
	disabled                               bool
	status                                 string // standard.status
	created, updated                       time.Time
}

type openIntRef struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	LogoURL string `json:"logoUrl"`
}

type openIntConnJSON struct {
	ID                string             `json:"id"`
	CreatedAt         string             `json:"createdAt"`
	UpdatedAt         string             `json:"updatedAt"`
	ConnectorName     string             `json:"connectorName"`
	DisplayName       *string            `json:"displayName"`
	CustomerID        *string            `json:"customerId"`
	ConnectorConfigID string             `json:"connectorConfigId"`
	IntegrationID     *string            `json:"integrationId"`
	Settings          map[string]any     `json:"settings"`
	Standard          map[string]any     `json:"standard"`
	Disabled          bool               `json:"disabled"`
	Metadata          any                `json:"metadata"`
	ConnectorConfig   *openIntConnConfig `json:"connector_config,omitempty"`
	Integration       *openIntRef        `json:"integration,omitempty"`
	Connector         *openIntRef        `json:"connector,omitempty"`
}

type openIntConnConfig struct {
	ID            string `json:"id"`
	OrgID         string `json:"orgId"`
	ConnectorName string `json:"connectorName"`
}

func jsTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func (h *Handler) routeOpenInt() {
	const p = "/v0/core/connection"
	m := h.mux
	m.HandleFunc("GET "+p, h.openIntList)
	m.HandleFunc("POST "+p, h.openIntCreate)
	m.HandleFunc("GET "+p+"/{id}", h.openIntGet)
	m.HandleFunc("PATCH "+p+"/{id}", h.openIntUpdate)
	m.HandleFunc("DELETE "+p+"/{id}", h.openIntDelete)
	m.HandleFunc("POST "+p+"/{id}/_check", h.openIntCheck)
	m.HandleFunc("POST "+p+"/{id}/_sync", h.openIntSync)
}

func openIntFail(w http.ResponseWriter, status int, msg string, issues ...trpcIssue) {
	writeJSON(w, status, openIntError{Code: trpcCode(status), Message: msg, Issues: issues})
}

// minLengthMessage is zod's message for a string under "Minimum length: 1".
const minLengthMessage = "String must contain at least 1 character(s)"

func badInput(w http.ResponseWriter, field, msg string) {
	openIntFail(w, http.StatusBadRequest, "Invalid input", trpcIssue{Message: msg, Path: []string{field}})
}

// openIntFor finds the {id} connection and returns with h.mu held, or writes an
// error and returns false with h.mu released: 400 BAD_REQUEST for an id without
// the "conn_" prefix (the spec's input validation: "Must start with 'conn_'"), 404
// for an id that names nothing.
func (h *Handler) openIntFor(w http.ResponseWriter, r *http.Request) (*openIntConn, bool) {
	id := r.PathValue("id")
	if !strings.HasPrefix(id, "conn_") {
		badInput(w, "id", "Must start with 'conn_'")
		return nil, false
	}
	h.mu.Lock()
	c, ok := h.openInt.conns.get(id)
	if !ok {
		h.mu.Unlock()
		openIntFail(w, http.StatusNotFound, "Connection "+id+" not found")
		return nil, false
	}
	return c, true
}

// expansion is what ?expand= asked for.
type expansion struct{ integration, connector bool }

func parseExpand(w http.ResponseWriter, s string) (expansion, bool) {
	var e expansion
	for _, part := range strings.Split(s, ",") {
		switch strings.TrimSpace(part) {
		case "":
		case "integration":
			e.integration = true
		case "integration.connector":
			e.integration, e.connector = true, true
		default:
			badInput(w, "expand", "Invalid expand value "+strings.TrimSpace(part))
			return e, false
		}
	}
	return e, true
}

func (c *openIntConn) json(e expansion, withConfig bool) openIntConnJSON {
	out := openIntConnJSON{
		ID: c.id, CreatedAt: jsTime(c.created), UpdatedAt: jsTime(c.updated),
		ConnectorName: c.connectorName, DisplayName: c.displayName, CustomerID: c.customerID,
		ConnectorConfigID: c.ccfg, IntegrationID: c.integrationID, Settings: c.settings,
		Standard: map[string]any{
			"displayName": c.displayName, "status": c.status, "statusMessage": nil, "labels": []string{},
		},
		Disabled: c.disabled, Metadata: c.metadata,
	}
	cfg := openIntConfigOf(c.ccfg)
	if withConfig {
		out.ConnectorConfig = &openIntConnConfig{ID: c.ccfg, OrgID: openIntOrgID, ConnectorName: c.connectorName}
	}
	if e.integration && c.integrationID != nil {
		name := strings.TrimPrefix(*c.integrationID, "int_")
		out.Integration = &openIntRef{ID: *c.integrationID, Name: name, LogoURL: "https://cdn.openint.dev/integrations/" + name + ".svg"}
	}
	if e.connector && cfg != nil {
		out.Connector = &openIntRef{ID: c.ccfg, Name: cfg.ConnectorName, LogoURL: cfg.logoURL()}
	}
	return out
}

func (h *Handler) openIntList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset := -1, 0
	for _, p := range []struct {
		name string
		v    *int
	}{{"limit", &limit}, {"offset", &offset}} {
		if s := q.Get(p.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				badInput(w, p.name, "Expected a non-negative number")
				return
			}
			*p.v = n
		}
	}
	e, ok := parseExpand(w, q.Get("expand"))
	if !ok {
		return
	}
	customer, ccfg, name := q.Get("customerId"), q.Get("connectorConfigId"), q.Get("connectorName")
	if _, ok := q["customerId"]; ok && customer == "" {
		badInput(w, "customerId", minLengthMessage)
		return
	}
	if ccfg != "" && !strings.HasPrefix(ccfg, "ccfg_") {
		badInput(w, "connectorConfigId", "Must start with 'ccfg_'")
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	all := h.openInt.conns.all(func(c *openIntConn) bool {
		return (customer == "" || (c.customerID != nil && *c.customerID == customer)) &&
			(ccfg == "" || c.ccfg == ccfg) && (name == "" || c.connectorName == name)
	})
	if limit < 0 {
		limit = len(all)
	}
	lo, hi := window(len(all), offset, limit)
	out := make([]openIntConnJSON, 0, hi-lo)
	for _, c := range all[lo:hi] {
		out = append(out, c.json(e, false))
	}
	writeJSON(w, http.StatusOK, out)
}

type openIntCreateBody struct {
	ConnectorConfigID string         `json:"connectorConfigId"`
	Settings          map[string]any `json:"settings"`
	DisplayName       *string        `json:"displayName"`
	CustomerID        *string        `json:"customerId"`
	Disabled          bool           `json:"disabled"`
	Metadata          any            `json:"metadata"`
	IntegrationID     *string        `json:"integrationId"`
}

// openIntCreate answers the new connection's ID as a bare JSON string.
func (h *Handler) openIntCreate(w http.ResponseWriter, r *http.Request) {
	var b openIntCreateBody
	if err := decodeBody(r, &b); err != nil {
		openIntFail(w, http.StatusBadRequest, "Invalid JSON body: "+err.Error())
		return
	}
	switch {
	case b.ConnectorConfigID == "":
		badInput(w, "connectorConfigId", "Required")
		return
	case !strings.HasPrefix(b.ConnectorConfigID, "ccfg_"):
		badInput(w, "connectorConfigId", "Must start with 'ccfg_'")
		return
	case b.IntegrationID != nil && !strings.HasPrefix(*b.IntegrationID, "int_"):
		badInput(w, "integrationId", "Must start with 'int_'")
		return
	case b.CustomerID != nil && *b.CustomerID == "":
		badInput(w, "customerId", minLengthMessage)
		return
	}
	cfg := openIntConfigOf(b.ConnectorConfigID)
	if cfg == nil {
		openIntFail(w, http.StatusNotFound, "Connector config "+b.ConnectorConfigID+" not found")
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.newOpenIntConn(cfg, h.cfg.now())
	c.settings, c.displayName, c.customerID = b.Settings, b.DisplayName, b.CustomerID
	c.disabled, c.metadata, c.integrationID = b.Disabled, b.Metadata, b.IntegrationID
	writeJSON(w, http.StatusOK, c.id)
}

// newOpenIntConn stores a new connection; h.mu is held.
func (h *Handler) newOpenIntConn(cfg *openIntConfig, now time.Time) *openIntConn {
	c := &openIntConn{
		id:            fmt.Sprintf("conn_%08d", h.openInt.seq.next()),
		connectorName: cfg.ConnectorName, ccfg: cfg.ID, status: "healthy",
		created: now, updated: now,
	}
	h.openInt.conns.put(c.id, c)
	return c
}

func (h *Handler) openIntGet(w http.ResponseWriter, r *http.Request) {
	e, ok := parseExpand(w, r.URL.Query().Get("expand"))
	if !ok {
		return
	}
	c, ok := h.openIntFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	writeJSON(w, http.StatusOK, c.json(e, true))
}

// openIntUpdate replaces the fields present in the body, except metadata, whose
// top-level keys are merged into the stored object.
func (h *Handler) openIntUpdate(w http.ResponseWriter, r *http.Request) {
	var b map[string]json.RawMessage
	if err := decodeBody(r, &b); err != nil {
		openIntFail(w, http.StatusBadRequest, "Invalid JSON body: "+err.Error())
		return
	}
	var (
		settings                               map[string]any
		displayName, customerID, integrationID *string
		disabled                               bool
		metadata                               any
	)
	for key, dst := range map[string]any{
		"settings": &settings, "displayName": &displayName, "customerId": &customerID,
		"integrationId": &integrationID, "disabled": &disabled, "metadata": &metadata,
	} {
		if raw, ok := b[key]; ok {
			if err := json.Unmarshal(raw, dst); err != nil {
				badInput(w, key, "Invalid value")
				return
			}
		}
	}
	if integrationID != nil && !strings.HasPrefix(*integrationID, "int_") {
		badInput(w, "integrationId", "Must start with 'int_'")
		return
	}
	if customerID != nil && *customerID == "" {
		badInput(w, "customerId", minLengthMessage)
		return
	}
	c, ok := h.openIntFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	has := func(k string) bool { _, ok := b[k]; return ok }
	if has("settings") {
		c.settings = settings
	}
	if has("displayName") {
		c.displayName = displayName
	}
	if has("customerId") {
		c.customerID = customerID
	}
	if has("integrationId") {
		c.integrationID = integrationID
	}
	if has("disabled") {
		c.disabled = disabled
	}
	if has("metadata") {
		old, ok1 := c.metadata.(map[string]any)
		patch, ok2 := metadata.(map[string]any)
		if ok1 && ok2 {
			merged := maps.Clone(old)
			maps.Copy(merged, patch)
			metadata = merged
		}
		c.metadata = metadata
	}
	c.updated = h.cfg.now()
	writeJSON(w, http.StatusOK, c.json(expansion{}, false))
}

func (h *Handler) openIntDelete(w http.ResponseWriter, r *http.Request) {
	if s := r.URL.Query().Get("skipRevoke"); s != "" {
		if _, err := strconv.ParseBool(s); err != nil {
			badInput(w, "skipRevoke", "Expected boolean")
			return
		}
	}
	c, ok := h.openIntFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	h.openInt.conns.del(c.id)
	writeJSON(w, http.StatusOK, map[string]any{})
}

// openIntCheck reports the connection's status; sandboxSimulateDisconnect and
// sandboxSimulateUpdate set it to disconnected and healthy.
func (h *Handler) openIntCheck(w http.ResponseWriter, r *http.Request) {
	var b struct {
		SandboxSimulateUpdate     *bool `json:"sandboxSimulateUpdate"`
		SandboxSimulateDisconnect *bool `json:"sandboxSimulateDisconnect"`
	}
	if err := decodeBody(r, &b); err != nil {
		openIntFail(w, http.StatusBadRequest, "Invalid JSON body: "+err.Error())
		return
	}
	c, ok := h.openIntFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	switch {
	case b.SandboxSimulateDisconnect != nil && *b.SandboxSimulateDisconnect:
		c.status, c.updated = "disconnected", h.cfg.now()
	case b.SandboxSimulateUpdate != nil && *b.SandboxSimulateUpdate:
		c.status, c.updated = "healthy", h.cfg.now()
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": c.id, "status": c.status, "statusMessage": nil})
}

// openIntSync records a sync and returns its event IDs.
func (h *Handler) openIntSync(w http.ResponseWriter, r *http.Request) {
	var b map[string]any
	if err := decodeBody(r, &b); err != nil {
		openIntFail(w, http.StatusBadRequest, "Invalid JSON body: "+err.Error())
		return
	}
	c, ok := h.openIntFor(w, r)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	requested := fmt.Sprintf("evt_%08d", h.openInt.events.next())
	completed := fmt.Sprintf("evt_%08d", h.openInt.events.next())
	writeJSON(w, http.StatusOK, map[string]any{
		"connection_requested_event_id": requested,
		"pipeline_syncs": []map[string]any{{
			"pipeline_id": "pipe_" + strings.TrimPrefix(c.id, "conn_"), "sync_completed_event_id": completed,
		}},
	})
}
