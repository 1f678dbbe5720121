package connapitest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
)

// Base paths of the four families, relative to the server's root URL. They do not
// collide, so one server serves all four.
const (
	StackAIPath  = "/"        // connections…, api/v1/connections…
	PipesHubPath = "/api/v1/" // connectors…
	InstillPath  = "/"        // v1beta/…
	OpenIntPath  = "/v0/"     // core/connection…
)

// maxBody caps request bodies; larger ones get 413.
const maxBody = 1 << 20

// Handler is the fake itself: an http.Handler serving all four families from one
// in-memory store, with authentication, fault injection and a request log. It is
// safe for concurrent use. NewServer runs one on a loopback httptest server; use
// NewHandler directly to serve it on an address of your choice (see
// cmd/connapi-fake).
type Handler struct {
	cfg    config
	mux    *http.ServeMux
	faults *Faults
	log    *requestLog
	done   chan struct{}
	stop   sync.Once
	reqSeq atomic.Int64 // request ids

	mu      sync.Mutex // guards everything below
	seq     counter    // tokens and OAuth states
	access  map[string]tokenGrant
	refresh map[string]tokenGrant
	stack   stackState
	pipes   pipesState
	instill instillState
	openInt openIntState
}

// NewHandler returns a Handler with its catalogs loaded and, with WithSeed, its
// seed data.
func NewHandler(opts ...Option) *Handler {
	h := &Handler{
		cfg:     newConfig(opts),
		mux:     http.NewServeMux(),
		done:    make(chan struct{}),
		access:  map[string]tokenGrant{},
		refresh: map[string]tokenGrant{},
	}
	h.faults = newFaults(h.cfg.faultSeed)
	h.log = newRequestLog(h.cfg.logLimit)
	h.routeAuth()
	h.routeStackAI()
	h.routePipesHub()
	h.routeInstill()
	h.routeOpenInt()
	h.seedAll()
	return h
}

// Token returns the static bearer token the server accepts.
func (h *Handler) Token() string { return h.cfg.token }

// MemberToken returns the static bearer token of the organization's non-admin
// member (DefaultMemberToken unless WithMemberToken).
func (h *Handler) MemberToken() string { return h.cfg.memberToken }

// APIKey returns the API key the server accepts (x-apikey, and apikey for GoTrue).
func (h *Handler) APIKey() string { return h.cfg.apiKey }

// Email returns the user name of the OAuth2 password grant.
func (h *Handler) Email() string { return h.cfg.email }

// Password returns the password of the OAuth2 password grant.
func (h *Handler) Password() string { return h.cfg.password }

// Faults returns the fault rules, which may be changed while the server runs.
func (h *Handler) Faults() *Faults { return h.faults }

// Shutdown ends pending injected latencies at once: their requests are not run
// and their connections are aborted without a response. Server.Close calls it.
func (h *Handler) Shutdown() { h.stop.Do(func() { close(h.done) }) }

// ServeHTTP logs the request, applies the first fault rule that fires, checks the
// credentials and dispatches to the family's route.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fam := familyOf(r.URL.Path)
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return // the client went away
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rid := h.requestID(r, fam)
	w.Header().Set("X-Request-Id", rid)
	h.log.add(r, body, rid, h.cfg.now())
	if len(body) > maxBody {
		writeError(w, fam, http.StatusRequestEntityTooLarge, "request body too large")
		return
	}
	if rl := h.cfg.rateLimit; rl != nil && fam != familyOAuth && !rl.admit(w.Header(), h.cfg.now()) {
		writeError(w, fam, http.StatusTooManyRequests, "rate limit exceeded")
		return
	}
	if f, ok := h.faults.pick(r); ok && h.applyFault(w, r, fam, f) {
		return
	}
	h.serve(w, r, fam)
}

// requestID returns the id of r's answer, sent in X-Request-Id on every answer
// (the header PipesHub's backend documents; the other vendors' pages name none, and
// X-Request-Id is what connapi reads). PipesHub takes it "from the X-Request-ID
// header when supplied" (printable ASCII, at most 128 characters); otherwise it is
// a UUID-shaped counter, unique per server.
func (h *Handler) requestID(r *http.Request, fam family) string {
	if fam == familyPipesHub {
		if in := r.Header.Get("X-Request-Id"); in != "" && len(in) <= 128 && printable(in) {
			return in
		}
	}
	return fmt.Sprintf("5eed0000-0000-4000-8000-%012d", h.reqSeq.Add(1))
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// serve checks credentials and runs the route; unknown routes get the family's 404
// or 405 body. Routes write into a buffer, so that no handler holds the store's
// lock while a slow client reads.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, fam family) {
	if fam != familyOAuth && !public(r) && !h.authorized(r, fam) {
		if fam == familyStackAI {
			w.Header().Set("WWW-Authenticate", "Bearer")
		}
		writeError(w, fam, http.StatusUnauthorized, unauthorizedMessage(fam))
		return
	}
	rec := httptest.NewRecorder()
	h.mux.ServeHTTP(rec, r)
	if rec.Code == http.StatusNotFound || rec.Code == http.StatusMethodNotAllowed {
		if _, pattern := h.mux.Handler(r); pattern == "" { // the mux's own plain-text answer
			if allow := rec.Header().Get("Allow"); allow != "" {
				w.Header().Set("Allow", allow)
			}
			writeError(w, fam, rec.Code, http.StatusText(rec.Code))
			return
		}
	}
	copyRecorded(w, rec)
}

// public reports whether a route needs no credential: Stack AI's page lists no
// authorization for GET /connections/available.
func public(r *http.Request) bool {
	return r.Method == http.MethodGet && r.URL.Path == "/connections/available"
}

func copyRecorded(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// counter hands out 1, 2, 3, … for deterministic IDs; guarded by Handler.mu.
type counter int

func (c *counter) next() int {
	*c++
	return int(*c)
}

// Server is a Handler running on a loopback httptest server. Close it when done.
type Server struct {
	*Handler
	ts *httptest.Server
}

// NewServer starts a fake server of all four families on 127.0.0.1.
//
//	srv := connapitest.NewServer(connapitest.WithSeed(25))
//	defer srv.Close()
//	// point a client at srv.StackAIURL(), srv.PipesHubURL(), srv.InstillURL()
//	// or srv.OpenIntURL() with "Authorization: Bearer "+srv.Token()
func NewServer(opts ...Option) *Server {
	h := NewHandler(opts...)
	return &Server{Handler: h, ts: httptest.NewServer(h)}
}

// URL returns the server's root URL, without a trailing slash, e.g.
// "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.ts.URL }

// StackAIURL returns the Stack AI base URL (URL()+"/").
func (s *Server) StackAIURL() string { return s.ts.URL + StackAIPath }

// PipesHubURL returns the PipesHub base URL (URL()+"/api/v1/").
func (s *Server) PipesHubURL() string { return s.ts.URL + PipesHubPath }

// InstillURL returns the Instill AI base URL (URL()+"/").
func (s *Server) InstillURL() string { return s.ts.URL + InstillPath }

// OpenIntURL returns the OpenInt base URL (URL()+"/v0/").
func (s *Server) OpenIntURL() string { return s.ts.URL + OpenIntPath }

// Client returns an *http.Client for the server (no credentials added).
func (s *Server) Client() *http.Client { return s.ts.Client() }

// OAuthTokenURL is the RFC 6749 token endpoint (form-encoded password and
// refresh_token grants), for connapi.NewPasswordGrantTokenSource.
func (s *Server) OAuthTokenURL() string { return s.ts.URL + "/oauth/token" }

// GoTrueTokenURL is the GoTrue (Supabase Auth) token endpoint that Stack AI's
// examples log in at, for connapi.NewGoTrueTokenSource.
func (s *Server) GoTrueTokenURL() string { return s.ts.URL + "/auth/v1/token" }

// Close ends pending injected latencies (aborting their connections) and stops
// the server.
func (s *Server) Close() {
	s.Handler.Shutdown()
	s.ts.Close()
}

// family is the API family a path belongs to; it decides the error body shape.
type family int

const (
	familyStackAI family = iota // also the shape for paths nobody serves
	familyPipesHub
	familyInstill
	familyOpenInt
	familyOAuth
)

func familyOf(p string) family {
	switch {
	case strings.HasPrefix(p, "/v0/"):
		return familyOpenInt
	case strings.HasPrefix(p, "/v1beta/"):
		return familyInstill
	case p == "/api/v1/connectors" || strings.HasPrefix(p, "/api/v1/connectors/"):
		return familyPipesHub
	case p == "/oauth/token" || strings.HasPrefix(p, "/auth/v1/"):
		return familyOAuth
	}
	return familyStackAI
}
