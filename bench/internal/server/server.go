// Package server is the PipesHub fake the benchmarks call: the three
// connector-instance operations, answering payload's bodies. It is an http.Handler
// so that the equivalence test can run it in process; the benchmarks run it in its
// own process (../benchserver), so that their B/op and allocs/op count the client
// alone.
package server

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/connapi/connapi-go/bench/internal/payload"
)

// Handler answers GET /api/v1/connectors/{payload.InstanceID}, GET
// /api/v1/connectors?scope=team&page=P&limit=L and POST /api/v1/connectors with a
// valid body. Anything else gets a 4xx, so that a contestant sending a wrong
// request fails its benchmark.
type Handler struct {
	get, create []byte
	pages       sync.Map // pageKey -> []byte
}

type pageKey struct{ page, limit int }

// New returns a Handler. With prewarm, every page of 200 items and the first
// page of 20 are encoded before it returns, so that no request of the benchmarks
// waits for encoding; without, pages are encoded on first use.
func New(prewarm bool) *Handler {
	h := &Handler{get: payload.Get(), create: payload.Create()}
	if !prewarm {
		return h
	}
	var wg sync.WaitGroup
	pages := (payload.Total + payload.MaxLimit - 1) / payload.MaxLimit
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := 1 + w; p <= pages; p += 4 {
				h.page(p, payload.MaxLimit)
			}
		}()
	}
	wg.Wait()
	h.page(1, 20)
	return h
}

func (h *Handler) page(page, limit int) []byte {
	k := pageKey{page, limit}
	if b, ok := h.pages.Load(k); ok {
		return b.([]byte)
	}
	b := payload.ListPage(page, limit)
	h.pages.Store(k, b)
	return b
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+payload.Token {
		fail(w, http.StatusUnauthorized, "HTTP_UNAUTHORIZED", "missing or wrong bearer token")
		return
	}
	path, ok := strings.CutPrefix(r.URL.EscapedPath(), payload.BasePath+"/connectors")
	switch {
	case !ok:
		fail(w, http.StatusNotFound, "HTTP_NOT_FOUND", "no such route")
	case path == "" && r.Method == http.MethodGet:
		h.list(w, r)
	case path == "" && r.Method == http.MethodPost:
		h.createOne(w, r)
	case path == "/"+payload.InstanceID && r.Method == http.MethodGet:
		send(w, h.get)
	case strings.Count(path, "/") == 1 && r.Method == http.MethodGet:
		fail(w, http.StatusNotFound, "HTTP_NOT_FOUND", "Connector not found")
	default:
		fail(w, http.StatusMethodNotAllowed, "HTTP_METHOD_NOT_ALLOWED", "no such operation")
	}
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("scope") != "team" {
		fail(w, http.StatusBadRequest, "HTTP_BAD_REQUEST", "Scope is required")
		return
	}
	page, limit := 1, 20
	var err1, err2 error
	if s := q.Get("page"); s != "" {
		page, err1 = strconv.Atoi(s)
	}
	if s := q.Get("limit"); s != "" {
		limit, err2 = strconv.Atoi(s)
	}
	if err1 != nil || err2 != nil || page < 1 || limit < 1 || limit > payload.MaxLimit {
		fail(w, http.StatusBadRequest, "HTTP_BAD_REQUEST", "bad page or limit")
		return
	}
	send(w, h.page(page, limit))
}

func (h *Handler) createOne(w http.ResponseWriter, r *http.Request) {
	var req payload.CreateRequest
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil || req.ConnectorType == "" || req.InstanceName == "" || req.Scope == "" ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		fail(w, http.StatusBadRequest, "HTTP_BAD_REQUEST", "invalid create request")
		return
	}
	send(w, h.create)
}

func send(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

func fail(w http.ResponseWriter, status int, code, msg string) {
	b, _ := json.Marshal(map[string]any{"error": map[string]string{"code": code, "message": msg}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
