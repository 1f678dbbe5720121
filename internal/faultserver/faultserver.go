// Package faultserver is the fault-injecting HTTP server of the SDK's reliability
// suite (the fault matrix, the soak and the redaction proof). It is independent of
// connapitest's fault rules: it sits in front of any handler (usually connapitest's
// stateful fake) on real loopback sockets, and it
//
//   - records every request that reaches it, on which connection, and whether that
//     connection had served a request before (a reused keep-alive connection);
//   - knows which writes the handler behind it applied (it ran them and they
//     answered 2xx), and which it answered from an earlier request with the same
//     Idempotency-Key, as a platform that honours keys does;
//   - answers each request as a Plan says: pass, a status with headers (429 with
//     Retry-After, 5xx bursts, X-Should-Retry), a status after the write was
//     applied, a reset before the response (also: only on a reused connection, the
//     case where net/http would replay on its own), a reset mid-body, a truncated
//     body, invalid JSON, an HTML page in any charset, an oversized body, slow
//     headers, a hang, or a redirect to a second origin or in a loop.
//
// The second origin (OtherURL) listens on 127.0.0.2 where the system allows it,
// else on another port of 127.0.0.1: either way another origin than URL. It
// records what reaches it and answers OtherBody.
package faultserver

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Headers the server gives a meaning to.
const (
	// OpHeader tags the requests of one logical operation, so that Plan and the
	// records can tell operations apart (Info.Op, Info.OpSeq).
	OpHeader = "X-Faultserver-Op"
	// WarmupHeader marks a request that only warms a keep-alive connection: it is
	// passed to the handler, never faulted and never recorded, but it does count as
	// a request served on its connection.
	WarmupHeader = "X-Faultserver-Warmup"
	// hopParam marks the hops of a redirect loop.
	hopParam = "faultserver_hop"
)

// Kind is what a Fault does to a request.
type Kind int

// The kinds of fault. "Applied" means the handler behind the server ran the
// request (so a write took effect if it answered 2xx).
const (
	// Pass runs the request and sends its answer.
	Pass Kind = iota
	// Status answers Fault.Status with Fault.Header and Fault.Body; not applied.
	Status
	// StatusAfterApply runs the request, drops its answer and sends Fault.Status
	// (a 504 from a gateway that gave up while the write went through).
	StatusAfterApply
	// ResetBeforeResponse reads the whole request, then resets the connection
	// (TCP RST) without a byte of response; not applied.
	ResetBeforeResponse
	// ResetReused does what ResetBeforeResponse does, but only on a connection
	// that has served a request before (else it passes): the case where net/http
	// replays replayable requests on its own.
	ResetReused
	// ResetMidBody runs the request, sends its status, headers (Content-Length in
	// full) and half its body, then resets the connection.
	ResetMidBody
	// Truncate runs the request and sends its answer with a Content-Length larger
	// than the body, then closes the connection (FIN).
	Truncate
	// InvalidJSON runs the request and answers its status (200 when that was a 2xx
	// without content) with a JSON content type and a body that is not JSON.
	InvalidJSON
	// HTML answers Fault.Status (default 502) with an HTML page, Fault.Body, in
	// Fault.ContentType (default "text/html; charset=utf-8"); not applied.
	HTML
	// Oversized runs the request and answers 200 with a valid JSON body of
	// Fault.Size bytes, streamed without a Content-Length.
	Oversized
	// SlowHeaders runs the request, then holds the answer back until the client
	// goes away or Fault.Delay passes.
	SlowHeaders
	// Hang holds the request without running it until the client goes away or the
	// server closes; not applied.
	Hang
	// Redirect answers Fault.Status (a 3xx) towards the other origin (or
	// Fault.Location), same path and query; not applied.
	Redirect
	// RedirectLoop answers Fault.Status (a 3xx) towards the same URL with a hop
	// counter, and keeps doing so for every hop; not applied.
	RedirectLoop
)

var kindNames = [...]string{"pass", "status", "status after apply", "reset before response",
	"reset on reused connection", "reset mid-body", "truncate", "invalid JSON", "HTML",
	"oversized", "slow headers", "hang", "redirect", "redirect loop"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Fault is what one request gets.
type Fault struct {
	Kind        Kind
	Status      int
	Header      http.Header // added to Status, StatusAfterApply, HTML and Redirect answers
	Body        []byte      // of Status and HTML answers
	ContentType string      // of Status and HTML answers
	Size        int         // of an Oversized body
	Delay       time.Duration
	// Location, for Redirect, replaces the other origin (an origin nothing
	// listens on, say); the request's path and query are appended.
	Location string
}

// Info describes a request to a Plan.
type Info struct {
	Seq    int    // ordinal of the request among all recorded non-hop requests
	Op     string // the OpHeader value ("" when absent)
	OpSeq  int    // ordinal of the request among the requests of Op
	Reused bool   // the connection served a request before
	Method string
	Path   string // as the client sent it (escaped), before any rewrite
}

// Plan decides the fault of each request. It may be called concurrently.
type Plan func(Info) Fault

// Nth gives fault f to the first n requests of each operation, then passes.
func Nth(n int, f Fault) Plan {
	return func(in Info) Fault {
		if in.OpSeq < n {
			return f
		}
		return Fault{}
	}
}

// Always gives f to every request.
func Always(f Fault) Plan { return func(Info) Fault { return f } }

// Record is one request as the server saw it, and what it did with it.
type Record struct {
	Info
	RequestURI  string // raw, as received
	Host        string
	Header      http.Header
	Body        []byte
	Conn        int // ordinal of the TCP connection
	Fault       Kind
	Hop         bool // a hop of a redirect loop, not an attempt of the client
	Applied     bool // the handler ran it and answered 2xx
	Deduped     bool // answered from an earlier request with the same Idempotency-Key
	InnerStatus int  // the handler's status, 0 when it did not run
}

// Options configure a Server.
type Options struct {
	// Rewrite maps the path the client sent to the path the handler gets; nil
	// leaves it alone.
	Rewrite func(path string) string
	// OtherStatus, OtherContentType and OtherBody are the other origin's answer
	// (default 200, application/json, {"success":true,"message":"other origin"}).
	OtherStatus      int
	OtherContentType string
	OtherBody        []byte
	// IgnoreIdempotencyKeys makes the server run every request, as a platform
	// that does not deduplicate would.
	IgnoreIdempotencyKeys bool
	// Held, when set, is called as a request starts to be held (SlowHeaders,
	// Hang), with its record complete: its fault recorded and, for SlowHeaders,
	// the request run. A test ends the hold from there (it cancels the client's
	// context) instead of waiting on a clock. It may be called concurrently.
	Held func(Record)
}

// Server is the fault-injecting server; build it with New and Close it.
type Server struct {
	inner http.Handler
	opts  Options
	main  *httptest.Server
	other *httptest.Server
	done  chan struct{}
	stop  sync.Once
	conns atomic.Int64

	mu      sync.Mutex
	plan    Plan
	seq     int
	opSeq   map[string]int
	recs    []*Record
	others  []*Record
	keyMu   sync.Mutex // held across a keyed request's check, run and store
	keyed   map[string]*stored
	nFaults int
}

type stored struct {
	status int
	header http.Header
	body   []byte
}

type connKey struct{}

type connInfo struct {
	id     int
	served atomic.Int32
}

// New starts a server in front of inner on 127.0.0.1, and its other origin.
func New(inner http.Handler, opts Options) *Server {
	s := &Server{inner: inner, opts: opts, done: make(chan struct{}), opSeq: map[string]int{}, keyed: map[string]*stored{}}
	s.main = httptest.NewUnstartedServer(http.HandlerFunc(s.serveMain))
	s.main.Config.ConnContext = s.connContext
	s.main.Start()
	s.other = httptest.NewUnstartedServer(http.HandlerFunc(s.serveOther))
	s.other.Config.ConnContext = s.connContext
	var lc net.ListenConfig
	if l, err := lc.Listen(context.Background(), "tcp", "127.0.0.2:0"); err == nil {
		_ = s.other.Listener.Close()
		s.other.Listener = l
	}
	s.other.Start()
	return s
}

func (s *Server) connContext(ctx context.Context, _ net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, &connInfo{id: int(s.conns.Add(1))})
}

// URL is the server's origin, e.g. "http://127.0.0.1:41234", without a slash.
func (s *Server) URL() string { return s.main.URL }

// OtherURL is the second origin's URL, without a slash.
func (s *Server) OtherURL() string { return s.other.URL }

// SetPlan replaces the plan; nil passes everything.
func (s *Server) SetPlan(p Plan) {
	s.mu.Lock()
	s.plan = p
	s.mu.Unlock()
}

// Requests returns copies of the records of the requests that reached the main
// origin, in arrival order (warm-ups excluded, hops included and marked).
func (s *Server) Requests() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Record, len(s.recs))
	for i, r := range s.recs {
		out[i] = *r
	}
	return out
}

// Attempts counts the requests of op that reached the main origin, hops excluded.
// An empty op counts every request.
func (s *Server) Attempts(op string) int {
	n := 0
	for _, r := range s.Requests() {
		if !r.Hop && (op == "" || r.Op == op) {
			n++
		}
	}
	return n
}

// Applied counts the requests of op (every request for "") that the handler ran
// and answered 2xx.
func (s *Server) Applied(op string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Applied && (op == "" || r.Op == op) {
			n++
		}
	}
	return n
}

// Faults counts the requests that got a fault other than Pass (including a
// ResetReused that fired).
func (s *Server) Faults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nFaults
}

// OtherRequests returns copies of the records of the requests that reached the
// other origin.
func (s *Server) OtherRequests() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Record, len(s.others))
	for i, r := range s.others {
		out[i] = *r
	}
	return out
}

// Close ends every hang and stops both origins.
func (s *Server) Close() {
	s.stop.Do(func() { close(s.done) })
	s.main.Close()
	s.other.Close()
}

func (s *Server) update(rec *Record, f func(*Record)) {
	s.mu.Lock()
	f(rec)
	s.mu.Unlock()
}

func (s *Server) serveMain(w http.ResponseWriter, r *http.Request) {
	ci, _ := r.Context().Value(connKey{}).(*connInfo)
	reused := false
	connID := 0
	if ci != nil {
		reused = ci.served.Add(1) > 1
		connID = ci.id
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return // the client went away
	}
	if r.Header.Get(WarmupHeader) != "" {
		s.runInto(w, r, body)
		return
	}
	q := r.URL.Query()
	hop, _ := strconv.Atoi(q.Get(hopParam))
	info := Info{Op: r.Header.Get(OpHeader), Reused: reused, Method: r.Method, Path: r.URL.EscapedPath()}
	rec := &Record{RequestURI: r.RequestURI, Host: r.Host, Header: r.Header.Clone(), Body: body, Conn: connID, Hop: hop > 0}
	s.mu.Lock()
	if hop == 0 {
		info.Seq = s.seq
		s.seq++
		info.OpSeq = s.opSeq[info.Op]
		s.opSeq[info.Op]++
	}
	rec.Info = info
	s.recs = append(s.recs, rec)
	plan := s.plan
	s.mu.Unlock()

	var f Fault
	switch {
	case hop > 0:
		f = Fault{Kind: RedirectLoop, Status: http.StatusTemporaryRedirect}
		if st, err := strconv.Atoi(q.Get(hopParam + "_status")); err == nil {
			f.Status = st
		}
	case plan != nil:
		f = plan(info)
	}
	if f.Kind == ResetReused && !reused {
		f = Fault{}
	}
	s.update(rec, func(rec *Record) {
		rec.Fault = f.Kind
		if f.Kind != Pass && !rec.Hop {
			s.nFaults++
		}
	})
	s.apply(w, r, body, rec, f, hop)
}

func (s *Server) apply(w http.ResponseWriter, r *http.Request, body []byte, rec *Record, f Fault, hop int) {
	switch f.Kind {
	case Pass:
		st := s.run(r, body, rec)
		writeStored(w, st)
	case Status:
		copyHeader(w.Header(), f.Header)
		ct := f.ContentType
		if ct == "" {
			ct = "application/json"
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Length", strconv.Itoa(len(f.Body)))
		w.WriteHeader(f.Status)
		_, _ = w.Write(f.Body)
	case StatusAfterApply:
		s.run(r, body, rec)
		copyHeader(w.Header(), f.Header)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.Status)
		_, _ = w.Write(f.Body)
	case ResetBeforeResponse, ResetReused:
		if conn, _, ok := hijack(w); ok {
			reset(conn)
		}
	case ResetMidBody, Truncate:
		st := s.run(r, body, rec)
		b := st.body
		if len(b) < 2 || st.status == http.StatusNoContent {
			st.status, b = http.StatusOK, []byte(`{"ok":true,"padding":"ffffffffffffffff"}`)
		}
		conn, bw, ok := hijack(w)
		if !ok {
			return
		}
		h := st.header.Clone()
		h.Del("Transfer-Encoding")
		if f.Kind == Truncate {
			h.Set("Content-Length", strconv.Itoa(len(b)+len(b)/2+1))
		} else {
			h.Set("Content-Length", strconv.Itoa(len(b)))
			b = b[:len(b)/2]
		}
		writeRaw(bw, st.status, h, b)
		if f.Kind == Truncate {
			_ = conn.Close()
		} else {
			reset(conn)
		}
	case InvalidJSON:
		st := s.run(r, body, rec)
		status := st.status
		if status == http.StatusNoContent || status == http.StatusNotModified {
			status = http.StatusOK
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"id": "injected", this is not JSON`))
	case HTML:
		copyHeader(w.Header(), f.Header)
		ct := f.ContentType
		if ct == "" {
			ct = "text/html; charset=utf-8"
		}
		w.Header().Set("Content-Type", ct)
		status := f.Status
		if status == 0 {
			status = http.StatusBadGateway
		}
		w.WriteHeader(status)
		_, _ = w.Write(f.Body)
	case Oversized:
		s.run(r, body, rec)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		writeOversized(w, f.Size)
	case SlowHeaders:
		st := s.run(r, body, rec)
		s.held(rec)
		if !s.wait(r, f.Delay) {
			return
		}
		writeStored(w, st)
	case Hang:
		s.held(rec)
		s.wait(r, 0)
	case Redirect:
		copyHeader(w.Header(), f.Header)
		origin := s.other.URL
		if f.Location != "" {
			origin = f.Location
		}
		w.Header().Set("Location", origin+r.URL.RequestURI())
		w.WriteHeader(f.Status)
	case RedirectLoop:
		u := *r.URL
		q := u.Query()
		q.Set(hopParam, strconv.Itoa(hop+1))
		q.Set(hopParam+"_status", strconv.Itoa(f.Status))
		u.RawQuery = q.Encode()
		copyHeader(w.Header(), f.Header)
		w.Header().Set("Location", u.RequestURI())
		w.WriteHeader(f.Status)
	}
}

// held tells Options.Held that rec's request is being held.
func (s *Server) held(rec *Record) {
	if s.opts.Held == nil {
		return
	}
	s.mu.Lock()
	cp := *rec
	s.mu.Unlock()
	s.opts.Held(cp)
}

// wait holds a request until the client goes away, the server closes, or d (when
// positive) passes; it reports whether d passed.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	var timeout <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-r.Context().Done():
		return false
	case <-s.done:
		return false
	case <-timeout:
		return true
	}
}

// run passes the request to the handler (or answers it from an earlier request
// with the same Idempotency-Key) and records whether it applied.
func (s *Server) run(r *http.Request, body []byte, rec *Record) *stored {
	key := r.Header.Get("Idempotency-Key")
	if key == "" || s.opts.IgnoreIdempotencyKeys {
		st := s.runInner(r, body)
		s.update(rec, func(rec *Record) {
			rec.InnerStatus = st.status
			rec.Applied = st.status >= 200 && st.status <= 299
		})
		return st
	}
	key = r.Method + " " + r.URL.Path + " " + key
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	s.mu.Lock()
	prev := s.keyed[key]
	s.mu.Unlock()
	if prev != nil {
		s.update(rec, func(rec *Record) { rec.Deduped = true })
		return prev
	}
	st := s.runInner(r, body)
	applied := st.status >= 200 && st.status <= 299
	s.update(rec, func(rec *Record) {
		rec.InnerStatus = st.status
		rec.Applied = applied
		if applied {
			s.keyed[key] = st
		}
	})
	return st
}

func (s *Server) runInner(r *http.Request, body []byte) *stored {
	rr := httptest.NewRecorder()
	s.runInto(rr, r, body)
	return &stored{status: rr.Code, header: rr.Header().Clone(), body: rr.Body.Bytes()}
}

// runInto serves r with the handler, after the rewrite.
func (s *Server) runInto(w http.ResponseWriter, r *http.Request, body []byte) {
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.ContentLength = int64(len(body))
	if s.opts.Rewrite != nil {
		p := s.opts.Rewrite(r.URL.EscapedPath())
		u, err := url.Parse(p)
		if err == nil {
			r2.URL.Path, r2.URL.RawPath = u.Path, u.RawPath
			r2.RequestURI = u.RequestURI()
			if r.URL.RawQuery != "" {
				r2.RequestURI += "?" + r.URL.RawQuery
			}
		}
	}
	s.inner.ServeHTTP(w, r2)
}

func (s *Server) serveOther(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ci, _ := r.Context().Value(connKey{}).(*connInfo)
	rec := &Record{Info: Info{Method: r.Method, Path: r.URL.EscapedPath()}, RequestURI: r.RequestURI, Host: r.Host, Header: r.Header.Clone(), Body: body}
	if ci != nil {
		rec.Conn = ci.id
	}
	s.mu.Lock()
	s.others = append(s.others, rec)
	s.mu.Unlock()
	status, ct, b := s.opts.OtherStatus, s.opts.OtherContentType, s.opts.OtherBody
	if status == 0 {
		status = http.StatusOK
	}
	if ct == "" {
		ct = "application/json"
	}
	if b == nil {
		b = []byte(`{"success":true,"message":"other origin"}`)
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeStored(w http.ResponseWriter, st *stored) {
	copyHeader(w.Header(), st.header)
	w.WriteHeader(st.status)
	_, _ = w.Write(st.body) //nolint:gosec // G705: replays a body the upstream (the fake) sent
}

func copyHeader(dst, src http.Header) {
	for k, vs := range src {
		dst[k] = append([]string(nil), vs...)
	}
}

func hijack(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter, bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, bw, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	return conn, bw, true
}

// reset closes conn with a TCP RST.
func reset(conn net.Conn) {
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

func writeRaw(bw *bufio.ReadWriter, status int, h http.Header, body []byte) {
	_, _ = fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	_ = h.Write(bw)
	_, _ = bw.WriteString("\r\n")
	_, _ = bw.Write(body)
	_ = bw.Flush()
}

// writeOversized streams a valid JSON object of about size bytes.
func writeOversized(w io.Writer, size int) {
	const chunk = 32 << 10
	pad := bytes.Repeat([]byte("x"), chunk)
	if _, err := io.WriteString(w, `{"padding":"`); err != nil {
		return
	}
	for n := 0; n < size; n += chunk {
		if _, err := w.Write(pad); err != nil {
			return
		}
	}
	_, _ = io.WriteString(w, `"}`)
}

// Latin1Page is an HTML error page in ISO-8859-1, with Latin-1 bytes before and
// inside its <title>: the page that made the error decoder cut a string at offsets
// found in its lower-cased (and so longer) copy.
var Latin1Page = []byte("<html><head><meta charset=\"iso-8859-1\"><!-- \xc9t\xe9 \xe0 l'\xe9tranger, d\xe9j\xe0 vu, na\xefve, \xe7a --><title>502 Passerelle d\xe9faillante \xe0 r\xe9\xe9ssayer \xab\xa0\xe9\xe9\xe9\xe9\xe9\xe9\xe9\xe9\xe9\xe9\xe9\xe9\xbb</title></head></html>")

// UTF8Page is an HTML error page in UTF-8.
var UTF8Page = []byte("<!DOCTYPE html><html><head><title>502 Passerelle défaillante</title></head><body><h1>Bad Gateway</h1><p>upstream connect error — réessayez</p></body></html>")

// OneOrigin maps one origin onto connapitest's four families, so that one
// client (base URL "/") can call them all: "/connectors…" goes to PipesHub under
// /api/v1 and "/core/…" to OpenInt under /v0; Stack AI ("/connections…",
// "/api/v1/connections…") and Instill ("/v1beta/…") stay where they are.
func OneOrigin(p string) string {
	switch {
	case p == "/connectors" || strings.HasPrefix(p, "/connectors/"):
		return "/api/v1" + p
	case strings.HasPrefix(p, "/core/"):
		return "/v0" + p
	}
	return p
}
