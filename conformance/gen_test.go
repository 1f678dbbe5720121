package conformance_test

// A small generator of JSON values from openapi3 schemas, for canned responses, and
// the spec-driven fake transport the conformance tests put under the SDK.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// genMode selects the shape of generated values.
type genMode int

const (
	// genFull fills every property (optional ones too), uses non-null values for
	// nullable fields, gives arrays two items and open objects an extra key.
	genFull genMode = iota
	// genNullHeavy sends only required properties (below the top-level
	// envelope), null for every nullable field, one item per array and the last
	// enum value.
	genNullHeavy
	// genExamples is genFull, except that a schema with an example gives its
	// example (the specs' examples sit on properties, not on whole responses).
	genExamples
)

func (m genMode) String() string {
	return [...]string{"full", "null-heavy", "examples"}[m]
}

var timeLikeRE = regexp.MustCompile(`(^|[a-z])(At|_at|Time|_time|Timestamp)$`)

var mustStartRE = regexp.MustCompile(`Must start with '([^']+)'`)

// maxGenDepth bounds recursion (self-referencing schemas, deep nesting).
const maxGenDepth = 8

// genValue returns a value that conforms to s (for a response: writeOnly
// properties are left out). Deterministic: the same schema and mode give the same
// value.
func genValue(s *openapi3.SchemaRef, mode genMode) any {
	return genSchema(s, mode, 0, "")
}

func genSchema(ref *openapi3.SchemaRef, mode genMode, depth int, name string) any {
	if ref == nil || ref.Value == nil {
		return genAny(mode, depth)
	}
	s := ref.Value
	if mode == genNullHeavy && s.Nullable && depth > 0 {
		return nil
	}
	if mode == genExamples && s.Example != nil {
		return s.Example
	}
	if len(s.Enum) > 0 {
		if mode != genNullHeavy {
			return s.Enum[0]
		}
		return s.Enum[len(s.Enum)-1]
	}
	if len(s.AllOf) > 0 {
		return genAllOf(s, mode, depth, name)
	}
	if len(s.OneOf) > 0 {
		return genSchema(s.OneOf[0], mode, depth, name)
	}
	if len(s.AnyOf) > 0 {
		return genSchema(s.AnyOf[0], mode, depth, name)
	}
	switch {
	case s.Type.Is(openapi3.TypeString):
		return genString(s, mode, name)
	case s.Type.Is(openapi3.TypeInteger):
		return genNumber(s, mode, true)
	case s.Type.Is(openapi3.TypeNumber):
		return genNumber(s, mode, false)
	case s.Type.Is(openapi3.TypeBoolean):
		return mode != genNullHeavy
	case s.Type.Is(openapi3.TypeArray) || (s.Type == nil && s.Items != nil):
		return genArray(s, mode, depth)
	case s.Type.Is(openapi3.TypeObject) || (s.Type == nil && (len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil)):
		return genObject(s, mode, depth)
	}
	return genAny(mode, depth)
}

// genAny is a value for an untyped schema ({}): an object. (A nullable untyped
// schema gives null in null-heavy mode, like any nullable schema.)
func genAny(genMode, int) any {
	return map[string]any{"anyKey": "any value", "anyNumber": 1}
}

func genAllOf(s *openapi3.Schema, mode genMode, depth int, name string) any {
	merged := map[string]any{}
	objects := 0
	for _, part := range s.AllOf {
		v := genSchema(part, mode, depth, name)
		if m, ok := v.(map[string]any); ok {
			objects++
			for k, x := range m {
				merged[k] = x
			}
		} else if len(s.AllOf) == 1 && len(s.Properties) == 0 {
			return v // allOf: [$ref Enum] wrappers (Swagger 2.0 style)
		}
	}
	if len(s.Properties) > 0 || s.Type.Is(openapi3.TypeObject) {
		// OpenAPI 3.1 style: allOf plus sibling properties.
		if m, ok := genObject(s, mode, depth).(map[string]any); ok {
			for k, x := range m {
				merged[k] = x
			}
		}
	}
	if objects == 0 && len(merged) == 0 {
		return genSchema(s.AllOf[0], mode, depth, name)
	}
	return merged
}

func genObject(s *openapi3.Schema, mode genMode, depth int) any {
	out := map[string]any{}
	if depth >= maxGenDepth {
		return out
	}
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := s.Properties[n]
		if p.Value != nil && p.Value.WriteOnly {
			continue
		}
		// Null-heavy drops optional properties, except at the top level: the
		// vendors' envelopes ({"connection": …}, {"success", "connector"}) declare
		// nothing required (proto3, loose specs), yet servers always send the
		// wrapped object, and an answer without it is no answer at all.
		if mode == genNullHeavy && !required[n] && depth > 0 {
			continue
		}
		out[n] = genSchema(p, mode, depth+1, n)
	}
	if mode != genNullHeavy {
		switch {
		case s.AdditionalProperties.Schema != nil:
			out["extraKey"] = genSchema(s.AdditionalProperties.Schema, mode, depth+1, "extraKey")
		case s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has:
			// Open object: an unknown field must never break decoding.
			out["unknownFieldAddedByServer"] = "surprise"
		}
	}
	return out
}

func genArray(s *openapi3.Schema, mode genMode, depth int) any {
	n := 2
	if mode == genNullHeavy {
		n = 1
	}
	if depth >= maxGenDepth {
		n = 0
	}
	if uint64(n) < s.MinItems {
		n = int(s.MinItems)
	}
	if s.MaxItems != nil && uint64(n) > *s.MaxItems {
		n = int(*s.MaxItems)
	}
	out := make([]any, 0, n)
	for i := 0; i < n; i++ {
		v := genSchema(s.Items, mode, depth+1, "")
		if str, ok := v.(string); ok && i > 0 && s.Items != nil && s.Items.Value != nil && s.Items.Value.Format == "" && len(s.Items.Value.Enum) == 0 {
			v = str + "-" + strconv.Itoa(i) // distinct items
		}
		out = append(out, v)
	}
	return out
}

func genString(s *openapi3.Schema, mode genMode, name string) any {
	if ex, ok := s.Example.(string); ok && ex != "" && s.Format == "" {
		return ex
	}
	var v string
	switch s.Format {
	case "date-time":
		if mode == genFull {
			v = "2025-11-10T10:49:18.436394+00:00"
		} else {
			v = "2025-01-02T03:04:05Z"
		}
	case "date":
		v = "2025-01-02"
	case "uuid":
		v = "3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e"
	case "uri", "url":
		v = "https://example.test/resource"
	case "email":
		v = "someone@example.test"
	case "byte":
		v = "AAECAw=="
	case "":
		if timeLikeRE.MatchString(name) {
			// OpenInt's createdAt/updatedAt are plain strings in its spec (zod has no
			// format); the server sends timestamps, and the SDK reads them as such.
			v = "2025-03-04T05:06:07.123Z"
			break
		}
		fallthrough
	default:
		v = "value"
		if name != "" {
			v = name + "-value"
		}
		// OpenInt's zod-generated spec writes id prefixes only in descriptions
		// ("Must start with 'conn_'"); the SDK checks them, so honour them.
		if m := mustStartRE.FindStringSubmatch(s.Description); m != nil {
			v = m[1] + v
		}
	}
	for uint64(len(v)) < s.MinLength {
		v += "x"
	}
	if s.MaxLength != nil && uint64(len(v)) > *s.MaxLength {
		v = v[:*s.MaxLength]
	}
	return v
}

func genNumber(s *openapi3.Schema, mode genMode, integer bool) any {
	v := 2.0
	if !integer {
		v = 2.5
	}
	if mode == genNullHeavy {
		v = 1
	}
	if s.Min != nil && v < *s.Min {
		v = *s.Min
		if s.ExclusiveMin {
			v++
		}
	}
	if s.Max != nil && v > *s.Max {
		v = *s.Max
		if s.ExclusiveMax {
			v--
		}
	}
	if integer {
		return int64(math.Round(v))
	}
	return v
}

// successResponse returns the operation's first 2xx response with a JSON body
// schema, and its status. ok is false when the operation declares no 2xx JSON body
// (then the status is its first 2xx, or 200).
func successResponse(op *openapi3.Operation) (status int, mt *openapi3.MediaType, ok bool) {
	status = http.StatusOK
	var codes []int
	for code := range op.Responses.Map() {
		if n, err := strconv.Atoi(code); err == nil && n >= 200 && n < 300 {
			codes = append(codes, n)
		}
	}
	sort.Ints(codes)
	if len(codes) > 0 {
		status = codes[0]
	}
	for _, n := range codes {
		r := op.Responses.Status(n)
		if r == nil || r.Value == nil {
			continue
		}
		if m := r.Value.Content.Get("application/json"); m != nil && m.Schema != nil {
			return n, m, true
		}
	}
	return status, nil, false
}

// exampleBodies returns the response examples the spec gives for mt, by name.
func exampleBodies(mt *openapi3.MediaType) map[string]any {
	out := map[string]any{}
	if mt == nil {
		return out
	}
	if mt.Example != nil {
		out["example"] = mt.Example
	}
	for name, ex := range mt.Examples {
		if ex != nil && ex.Value != nil && ex.Value.Value != nil {
			out["examples/"+name] = ex.Value.Value
		}
	}
	if len(out) == 0 && mt.Schema != nil && mt.Schema.Value != nil && mt.Schema.Value.Example != nil {
		out["schema example"] = mt.Schema.Value.Example
	}
	return out
}

// validateResponseBody checks a body against the operation's response schema, to
// prove the generator (and any hand-written payload said to be spec-shaped)
// conforms.
func validateResponseBody(ctx context.Context, route *routers.Route, r *http.Request, status int, body []byte) error {
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: r,
			Route:   route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status:  status,
		Header:  http.Header{"Content-Type": {"application/json"}},
		Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true},
	}
	in.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(ctx, in)
}

// ---- the spec-driven fake transport ----

// errRequestCap is returned by specTransport once a call has sent more requests than
// allowed: an iterator walking generated pages (which never say "last page") stops
// there.
var errRequestCap = errors.New("conformance transport: request cap reached")

// responder builds the response for one routed request; nil means "generated
// from the spec".
type responder func(route *routers.Route, r *http.Request) (status int, contentType string, body []byte)

// specTransport is the http.RoundTripper under the SDK: it records every request
// exactly as sent, routes it through the spec and answers with a body generated
// from the operation's 2xx schema (or with what respond says).
type specTransport struct {
	spec *loadedSpec
	mode genMode
	// fixups replace the generated body of an operation ("METHOD /path").
	fixups map[string]func(genMode) any
	// examples answers with the spec's own examples where it has some.
	examples bool
	// respond, when set, answers instead (it may call fromSpec).
	respond responder
	max     int // requests allowed; 0 means 4

	mu   sync.Mutex
	reqs []capturedRequest
}

func (t *specTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	cr := capturedRequest{method: r.Method, url: cloneURL(r), header: r.Header.Clone(), body: body}
	t.mu.Lock()
	t.reqs = append(t.reqs, cr)
	n := len(t.reqs)
	t.mu.Unlock()
	limit := t.max
	if limit == 0 {
		limit = 4
	}
	if n > limit {
		return nil, errRequestCap
	}
	route, _, err := t.spec.route(cr.request(r.Context()))
	if err != nil {
		// An unknown route is the server's 404, not a transport failure.
		return jsonResponse(r, http.StatusNotFound, "application/json", []byte(`{"error":{"code":"HTTP_NOT_FOUND","message":"no such operation in the spec"}}`)), nil //nolint:nilerr // see above
	}
	status, ctype, out := t.generate(route, r)
	return jsonResponse(r, status, ctype, out), nil
}

func (t *specTransport) generate(route *routers.Route, r *http.Request) (int, string, []byte) {
	if t.respond != nil {
		return t.respond(route, r)
	}
	return t.fromSpec(route)
}

// fromSpec answers from the operation's first 2xx response: the fixup for the
// operation if any, else the spec's first example (when examples is set), else a
// body generated in t.mode; {} when the spec declares no JSON body.
func (t *specTransport) fromSpec(route *routers.Route) (int, string, []byte) {
	status, mt, ok := successResponse(route.Operation)
	if fix := t.fixups[route.Method+" "+route.Path]; fix != nil {
		return status, "application/json", mustMarshal(fix(t.mode))
	}
	if !ok {
		return status, "application/json", []byte(`{}`)
	}
	if t.examples {
		ex := exampleBodies(mt)
		if names := sortedKeys(ex); len(names) > 0 {
			return status, "application/json", mustMarshal(ex[names[0]])
		}
	}
	return status, "application/json", mustMarshal(genValue(mt.Schema, t.mode))
}

func (t *specTransport) requests() []capturedRequest {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]capturedRequest(nil), t.reqs...)
}

func cloneURL(r *http.Request) *url.URL {
	u := *r.URL
	return &u
}

func jsonResponse(r *http.Request, status int, contentType string, body []byte) *http.Response {
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       r,
	}
}

func shorten(b []byte) string {
	s := string(b)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return strings.ReplaceAll(s, "\n", " ")
}
