package connapitest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// writeError writes msg in the error body of fam, with a vendor code derived from
// status.
func writeError(w http.ResponseWriter, fam family, status int, msg string) {
	switch fam {
	case familyPipesHub:
		writeJSON(w, status, pipesHubError(status, msg))
	case familyInstill:
		writeJSON(w, status, instillError(grpcCode(status), msg))
	case familyOpenInt:
		writeJSON(w, status, openIntError{Code: trpcCode(status), Message: msg})
	case familyOAuth:
		writeJSON(w, status, oauthError{Error: oauthCode(status), Description: msg})
	default:
		writeJSON(w, status, map[string]any{"detail": msg})
	}
}

func unauthorizedMessage(fam family) string {
	switch fam {
	case familyStackAI:
		return "Not authenticated"
	case familyPipesHub:
		return "Authentication required"
	case familyInstill:
		return "Unauthorized"
	}
	return "Invalid credentials"
}

// upperSnake turns "Too Many Requests" into "TOO_MANY_REQUESTS".
func upperSnake(s string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "_", "-", "_", "'", "").Replace(s))
}

func pipesHubError(status int, msg string) map[string]any {
	code := "HTTP_" + upperSnake(http.StatusText(status))
	if status == http.StatusInternalServerError {
		code = "INTERNAL_ERROR"
	}
	return map[string]any{"error": map[string]any{"code": code, "message": msg}}
}

// instillStatus is the gRPC-gateway error body.
type instillStatus struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Details []any  `json:"details"`
}

func instillError(code int, msg string) instillStatus {
	return instillStatus{Code: code, Message: msg, Details: []any{}}
}

// gRPC codes used by the fake.
const (
	grpcInvalidArgument    = 3
	grpcNotFound           = 5
	grpcAlreadyExists      = 6
	grpcFailedPrecondition = 9
	grpcUnauthenticated    = 16
)

// grpcCode maps an HTTP status to the google.rpc.Code grpc-gateway would send.
func grpcCode(status int) int {
	switch status {
	case 400, 413:
		return grpcInvalidArgument
	case 401:
		return grpcUnauthenticated
	case 403:
		return 7 // PERMISSION_DENIED
	case 404:
		return grpcNotFound
	case 405:
		return 12 // UNIMPLEMENTED: grpc-gateway's routing error for a method not allowed
	case 409:
		return grpcAlreadyExists
	case 429:
		return 8 // RESOURCE_EXHAUSTED
	case 501:
		return 12
	case 503:
		return 14 // UNAVAILABLE
	case 504:
		return 4 // DEADLINE_EXCEEDED
	}
	return 13 // INTERNAL
}

// openIntError is the tRPC error body.
type openIntError struct {
	Code    string      `json:"code"`
	Message string      `json:"message"`
	Issues  []trpcIssue `json:"issues,omitempty"`
}

type trpcIssue struct {
	Message string   `json:"message"`
	Path    []string `json:"path,omitempty"`
}

func trpcCode(status int) string {
	switch status {
	case 405:
		return "METHOD_NOT_SUPPORTED"
	case 413:
		return "PAYLOAD_TOO_LARGE"
	}
	return upperSnake(http.StatusText(status))
}

// oauthError is the RFC 6749 §5.2 error body.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

func oauthCode(status int) string {
	switch {
	case status == 401:
		return "invalid_client"
	case status == 503 || status == 429:
		return "temporarily_unavailable"
	case status >= 500:
		return "server_error"
	}
	return "invalid_request"
}

// stackValidation writes a FastAPI 422 body for one problem.
func stackValidation(w http.ResponseWriter, loc []any, msg, typ string) {
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
		"detail": []map[string]any{{"loc": loc, "msg": msg, "type": typ}},
	})
}

// decodeBody decodes the JSON request body into v. An empty body leaves v alone.
func decodeBody(r *http.Request, v any) error {
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r.Body); err != nil {
		return err
	}
	if len(bytes.TrimSpace(buf.Bytes())) == 0 {
		return nil
	}
	return json.Unmarshal(buf.Bytes(), v)
}

// errBadInt reports a query value that is not an integer in range.
var errBadInt = errors.New("bad integer")

// queryInt reads an integer query parameter: def when absent, errBadInt when not an
// integer or outside [lo, hi] (hi < 0: no upper bound).
func queryInt(q url.Values, name string, def, lo, hi int) (int, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || (hi >= 0 && n > hi) {
		return 0, fmt.Errorf("%w: %s=%q", errBadInt, name, s)
	}
	return n, nil
}

// Offset tokens are the opaque cursors and page tokens of the fake: base64 of
// "offset:N". They are deliberately not plain numbers.
func offsetToken(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(n)))
}

func parseOffsetToken(tok string) (int, bool) {
	if tok == "" {
		return 0, true
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	s, ok := strings.CutPrefix(string(b), "offset:")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// window returns the bounds of items[offset:offset+limit], clamped.
func window(total, offset, limit int) (lo, hi int) {
	lo = min(max(offset, 0), total)
	hi = min(lo+max(limit, 0), total)
	return lo, hi
}

// table keeps objects by ID in insertion order. It is not synchronised.
type table[T any] struct {
	ids []string
	m   map[string]*T
}

func (t *table[T]) get(id string) (*T, bool) {
	v, ok := t.m[id]
	return v, ok
}

func (t *table[T]) put(id string, v *T) {
	if t.m == nil {
		t.m = map[string]*T{}
	}
	if _, ok := t.m[id]; !ok {
		t.ids = append(t.ids, id)
	}
	t.m[id] = v
}

func (t *table[T]) del(id string) bool {
	if _, ok := t.m[id]; !ok {
		return false
	}
	delete(t.m, id)
	for i, v := range t.ids {
		if v == id {
			t.ids = append(t.ids[:i], t.ids[i+1:]...)
			break
		}
	}
	return true
}

// rekey moves the object at id to newID, keeping its place in the order; newID must
// be free. It reports whether id existed.
func (t *table[T]) rekey(id, newID string) bool {
	v, ok := t.m[id]
	if !ok {
		return false
	}
	delete(t.m, id)
	t.m[newID] = v
	if i := slices.Index(t.ids, id); i >= 0 {
		t.ids[i] = newID
	}
	return true
}

// all returns the objects in insertion order, keeping those keep accepts (nil: all).
func (t *table[T]) all(keep func(*T) bool) []*T {
	out := make([]*T, 0, len(t.ids))
	for _, id := range t.ids {
		if v := t.m[id]; keep == nil || keep(v) {
			out = append(out, v)
		}
	}
	return out
}

// secretish reports whether a setup or auth key names a secret value.
func secretish(key string) bool {
	k := strings.ToLower(key)
	for _, s := range []string{"token", "secret", "password", "key", "credential"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// redactedValue replaces secret values on read, as the real servers do.
const redactedValue = "*****"

// redactMap returns a copy of m with the values of secret-ish keys (or keys listed in
// secret) replaced by redactedValue.
func redactMap(m map[string]any, secret map[string]bool) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		if secret[k] || secretish(k) {
			out[k] = redactedValue
		} else {
			out[k] = v
		}
	}
	return out
}
