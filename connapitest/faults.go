package connapitest

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind says what an injected fault does to a request.
type FaultKind int

const (
	// FaultNone lets the request through, after Fault.Delay if any.
	FaultNone FaultKind = iota
	// FaultStatus answers Fault.Status (default 503) with the family's error body,
	// without running the request.
	FaultStatus
	// FaultReset closes the TCP connection (RST) before any response, without
	// running the request. Note that Go's Transport silently retries an idempotent
	// request once when this happens on a reused keep-alive connection; the rule
	// then sees both attempts.
	FaultReset
	// FaultTruncate runs the request, then sends the real status and headers with
	// the full Content-Length but only half of the body, and closes the connection.
	FaultTruncate
	// FaultInvalidJSON answers Fault.Status (default 200) with a JSON content type
	// and a body that is not JSON, without running the request.
	FaultInvalidJSON
	// FaultHTML answers Fault.Status (default 502) with an HTML error page, as a
	// proxy in front of the API would, without running the request.
	FaultHTML
)

// Fault is what happens to a request a Rule picked. Build one with Status,
// RateLimited, Latency, Reset, Truncate, InvalidJSON, HTMLError or Pass.
type Fault struct {
	// Kind says what the fault does; FaultNone (the zero value) lets the request
	// through after Delay.
	Kind FaultKind
	// Status is the HTTP status of FaultStatus, FaultInvalidJSON and FaultHTML.
	Status int
	// RetryAfter, when positive, adds a Retry-After header in whole seconds
	// (rounded up) to FaultStatus and FaultHTML responses, and, when it is not a
	// whole number of seconds, a Retry-After-Ms header with the exact wait.
	RetryAfter time.Duration
	// Delay is waited before the fault (or before passing, for FaultNone). The wait
	// ends early when the request's context is done or the server shuts down
	// (Handler.Shutdown, Server.Close); the request is then not run and its
	// connection is aborted, so the client sees a transport error, never a response.
	Delay time.Duration
}

// Status answers code with the family's error body.
func Status(code int) Fault { return Fault{Kind: FaultStatus, Status: code} }

// RateLimited answers 429 with a Retry-After header of retryAfter (whole seconds,
// rounded up), plus Retry-After-Ms when retryAfter is not whole seconds, so tests
// can ask for a short wait such as 10ms.
func RateLimited(retryAfter time.Duration) Fault {
	return Fault{Kind: FaultStatus, Status: http.StatusTooManyRequests, RetryAfter: retryAfter}
}

// Latency delays the request by d, then lets it through. A delay cut short by
// Shutdown (or the client going away) aborts the connection without running the
// request.
func Latency(d time.Duration) Fault { return Fault{Kind: FaultNone, Delay: d} }

// Reset closes the connection without a response.
func Reset() Fault { return Fault{Kind: FaultReset} }

// Truncate cuts the real response's body in half (Content-Length stays full).
func Truncate() Fault { return Fault{Kind: FaultTruncate} }

// InvalidJSON answers 200 with a body that is not JSON.
func InvalidJSON() Fault { return Fault{Kind: FaultInvalidJSON} }

// HTMLError answers code with an HTML page.
func HTMLError(code int) Fault { return Fault{Kind: FaultHTML, Status: code} }

// Pass lets the request through; use it inside a Rule.Sequence.
func Pass() Fault { return Fault{} }

func (f Fault) passes() bool { return f.Kind == FaultNone && f.Delay <= 0 }

// Rule selects requests and the faults they get. Rules are tried in the order they
// were added; the first one that fires decides, and later rules do not see that
// request. Faults apply before credentials are checked, to every route including
// the token endpoints.
type Rule struct {
	// Method matches the request method (case-insensitive); empty matches any.
	Method string
	// Path matches the URL path. Empty or "*" matches every path; a pattern ending
	// in "*" is a prefix ("/v0/*"); otherwise segments must match one by one, with
	// a "{name}" segment matching any one segment ("/connections/{id}").
	// Segments are those of the path as sent, as the routes see them, each
	// compared unescaped: an id holding an escaped "/" (%2F) is one segment.
	Path string
	// Sequence, if not empty, gives the n-th matching request Sequence[n]; a Pass()
	// element lets that request through, and once the sequence is used up every
	// request passes. Fault, Rate and Times are then ignored.
	Sequence []Fault
	// Fault is given to matching requests, with probability Rate.
	Fault Fault
	// Rate is the probability in (0, 1) that a matching request gets Fault; 0 (or
	// any value outside that range) means every matching request. Each rule draws
	// from its own random stream, seeded from WithFaultSeed and the rule's ordinal:
	// 1 for the first rule added since the server started or Faults.Clear last ran,
	// 2 for the next, and so on (Remove does not reset it). So the same seed, the
	// same rules added in the same order (after a Clear, or on a new server) and the
	// same order of matching requests give the same faults.
	Rate float64
	// Times, when positive, limits how often Fault is given.
	Times int
}

// RuleID identifies a rule added to Faults.
type RuleID int

// Faults holds the fault rules of a server. It is safe for concurrent use, and
// rules may be added or removed while requests are served.
type Faults struct {
	mu    sync.Mutex
	seed  int64
	next  RuleID // last ID handed out; never reset, so a stale ID matches no new rule
	added uint64 // rules added since start or the last Clear; seeds each rule's stream
	rules []*ruleState
}

type ruleState struct {
	id    RuleID
	rule  Rule
	seen  int // matching requests
	fired int // faults given
	rng   *rand.Rand
}

func newFaults(seed int64) *Faults { return &Faults{seed: seed} }

// Add appends a rule and returns its ID. IDs are never reused, not even after
// Clear. The rule's random stream (see Rule.Rate) is seeded from the fault seed
// and the rule's ordinal since start or the last Clear.
//
// Add panics, adding nothing, when a fault of the rule cannot be served: a Kind
// that is not one of the FaultKind constants, or a Status (of FaultStatus,
// FaultInvalidJSON or FaultHTML) that no response can end with, one outside 200
// to 999 other than 0 (the fault's default).
func (f *Faults) Add(r Rule) RuleID {
	if err := r.check(); err != "" {
		panic("connapitest: Faults.Add: " + err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	f.added++
	r.Sequence = append([]Fault(nil), r.Sequence...)
	f.rules = append(f.rules, &ruleState{
		id:   f.next,
		rule: r,
		rng:  rand.New(rand.NewPCG(uint64(f.seed), f.added)), //nolint:gosec // G115: the seed's bits, sign included
	})
	return f.next
}

// check returns what makes a fault of r impossible to serve, or "".
func (r Rule) check() string {
	if len(r.Sequence) == 0 {
		return r.Fault.check("Rule.Fault")
	}
	for i, f := range r.Sequence {
		if err := f.check(fmt.Sprintf("Rule.Sequence[%d]", i)); err != "" {
			return err
		}
	}
	return ""
}

// check returns what makes f impossible to serve, or "": net/http panics on a
// status outside 100 to 999 and sends 1xx as an interim answer, not as the end.
func (f Fault) check(where string) string {
	switch f.Kind {
	case FaultNone, FaultReset, FaultTruncate:
		return ""
	case FaultStatus, FaultInvalidJSON, FaultHTML:
		if f.Status != 0 && (f.Status < 200 || f.Status > 999) {
			return fmt.Sprintf("%s: status %d is not an HTTP status a response can end with (200 to 999; 0 for the fault's default)", where, f.Status)
		}
		return ""
	}
	return fmt.Sprintf("%s: unknown FaultKind %d", where, int(f.Kind))
}

// Remove deletes a rule; it reports whether the rule existed.
func (f *Faults) Remove(id RuleID) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, rs := range f.rules {
		if rs.id == id {
			f.rules = append(f.rules[:i], f.rules[i+1:]...)
			return true
		}
	}
	return false
}

// Clear removes every rule and restarts the ordinals that seed the rules' random
// streams, so rules added afterwards draw as they would on a fresh server with
// the same fault seed.
func (f *Faults) Clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = nil
	f.added = 0
}

// Len returns the number of rules.
func (f *Faults) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.rules)
}

// Fired returns how many faults a rule has given so far (0 for an unknown rule).
func (f *Faults) Fired(id RuleID) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, rs := range f.rules {
		if rs.id == id {
			return rs.fired
		}
	}
	return 0
}

// pick returns the fault of the first rule that fires for r.
func (f *Faults) pick(r *http.Request) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, rs := range f.rules {
		if !matchRequest(rs.rule.Method, rs.rule.Path, r.Method, r.URL.EscapedPath()) {
			continue
		}
		n := rs.seen
		rs.seen++
		var fault Fault
		if seq := rs.rule.Sequence; len(seq) > 0 {
			if n >= len(seq) || seq[n].passes() {
				continue
			}
			fault = seq[n]
		} else {
			if rs.rule.Times > 0 && rs.fired >= rs.rule.Times {
				continue
			}
			if p := rs.rule.Rate; p > 0 && p < 1 && rs.rng.Float64() >= p {
				continue
			}
			if rs.rule.Fault.passes() {
				continue
			}
			fault = rs.rule.Fault
		}
		rs.fired++
		return fault, true
	}
	return Fault{}, false
}

// matchRequest reports whether a request of method to path, the path as sent
// (escaped), matches wantMethod and pattern (see Rule.Path).
func matchRequest(wantMethod, pattern, method, path string) bool {
	if wantMethod != "" && !strings.EqualFold(wantMethod, method) {
		return false
	}
	return matchPath(pattern, path)
}

// matchPath matches an escaped URL path against pattern. Segments are split on
// the path as sent, as the server's routes split them, so that an escaped "/"
// (%2F) stays inside its segment, and each one is compared unescaped. A prefix
// pattern is compared with the whole path unescaped.
func matchPath(pattern, path string) bool {
	if pattern == "" || pattern == "*" {
		return true
	}
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(unescapePath(path), prefix)
	}
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i, p := range ps {
		x := unescapePath(xs[i])
		wild := len(p) > 2 && p[0] == '{' && p[len(p)-1] == '}'
		if (wild && x == "") || (!wild && p != x) {
			return false
		}
	}
	return true
}

// unescapePath undoes the path escaping of s; s as it is when that fails.
func unescapePath(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// applyFault carries out f; it reports whether the request is finished (false: go
// on and serve it). A delay cut short by the client or by Shutdown aborts the
// handler (http.ErrAbortHandler): the connection is closed without a response, so
// the client cannot mistake a request that never ran for a success.
func (h *Handler) applyFault(w http.ResponseWriter, r *http.Request, fam family, f Fault) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			panic(http.ErrAbortHandler)
		case <-h.done:
			panic(http.ErrAbortHandler)
		}
	}
	retryAfter := func() {
		if f.RetryAfter > 0 {
			secs := (f.RetryAfter + time.Second - 1) / time.Second
			w.Header().Set("Retry-After", strconv.Itoa(int(secs)))
			if f.RetryAfter%time.Second != 0 {
				w.Header().Set("Retry-After-Ms", strconv.FormatInt(f.RetryAfter.Milliseconds(), 10))
			}
		}
	}
	switch f.Kind {
	case FaultNone:
		return false
	case FaultStatus:
		status := orDefault(f.Status, http.StatusServiceUnavailable)
		retryAfter()
		writeError(w, fam, status, "injected fault: "+http.StatusText(status))
	case FaultHTML:
		status := orDefault(f.Status, http.StatusBadGateway)
		retryAfter()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		text := fmt.Sprintf("%d %s", status, http.StatusText(status))
		_, _ = fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", text, text)
	case FaultInvalidJSON:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(orDefault(f.Status, http.StatusOK))
		_, _ = w.Write([]byte(`{"injected": this is not JSON`))
	case FaultReset:
		resetConnection(w)
	case FaultTruncate:
		rec := httptest.NewRecorder()
		h.serve(rec, r, fam)
		body, status := rec.Body.Bytes(), rec.Code
		if len(body) == 0 || status == http.StatusNoContent || status == http.StatusNotModified {
			body, status = []byte("{}"), http.StatusOK
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write(body[:len(body)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		panic(http.ErrAbortHandler) // the server closes the connection
	}
	return true
}

// resetConnection closes the client's connection with a TCP RST, or aborts the
// handler when the connection cannot be taken over.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}
