package conformance_test

// Spec conformance of the SDK (issue 8).
//
// Every SDK method whose endpoint is in a vendor spec has at least one case below
// (in conformance_<vendor>_test.go). Each case runs the real SDK method over a
// transport that records the request exactly as sent and answers from the spec:
//
//   - TestRequestConformance validates each recorded request with kin-openapi's
//     openapi3filter.ValidateRequest (route, method, path and query parameters,
//     security, content type, body schema), plus: no undeclared query parameter,
//     no body where none is declared. PipesHub requests are checked against both
//     the SDK spec and the newer upstream spec, except for parameters only the
//     upstream spec has.
//   - TestResponseDecoding answers with bodies generated from the operation's 2xx
//     schema (all properties filled; only required ones with nulls; the spec's
//     property examples) and with the spec's response examples if any, and
//     requires the SDK to decode them without dropping a field.
//   - TestMalformedResponses answers with HTML, truncated JSON and wrongly typed
//     JSON, and requires a typed error (*connapi.ResponseError or
//     *connapi.APIError), never a panic and never a silently empty result.
//
// Everything is offline, deterministic and parallel.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/pagination"
)

// confCase is one call of one SDK method.
type confCase struct {
	// method is the SDK method as the coverage test names it,
	// e.g. "CoreConnectionsService.Get".
	method string
	// variant tells cases of the same method apart ("nil params", "all params").
	variant string
	spec    specID
	// also lists more specs the requests must conform to (PipesHub: the upstream
	// spec besides the SDK spec, where both declare what the call sends).
	also []specID
	// ops are the operations the call must hit, in order; an iterator case lists
	// its one operation, which every page request must hit.
	ops []string
	// iter marks iterator cases: generated pages never say "last page", so the
	// walk may end with errRequestCap or pagination.ErrPaginationStalled.
	iter bool
	// noResult marks methods that return no decoded value (only *Response).
	noResult bool
	// fixups replace the generated body of an operation ("METHOD /path" as in the
	// spec), for values the SDK must be able to chain on (a created id it fetches).
	fixups map[string]func(genMode) any
	// call runs the SDK method and returns its decoded result.
	call func(ctx context.Context, c *connapi.Client) (any, error)
}

func (cc confCase) name() string {
	if cc.variant == "" {
		return cc.method
	}
	return cc.method + "/" + cc.variant
}

// allConfCases gathers the per-vendor case lists.
func allConfCases() []confCase {
	var all []confCase
	for _, cs := range [][]confCase{instillCases, pipesHubCases, openIntCases} {
		all = append(all, cs...)
	}
	return all
}

// fixedTime is the time used in hand-written payloads.
var fixedTime = time.Date(2025, 11, 10, 10, 49, 18, 436394000, time.UTC)

// iterResult drains an iterator case: at most n items, and the walk may end at the
// transport's request cap or with a stalled token (generated pages repeat).
func iterResult[T any](seq iter.Seq2[T, error], n int) (any, error) {
	items, err := pagination.CollectN(seq, n)
	if errors.Is(err, errRequestCap) || errors.Is(err, pagination.ErrPaginationStalled) {
		err = nil
	}
	return items, err
}

// run calls the case over tr, turning a panic into a test failure.
func (cc confCase) run(t *testing.T, s *loadedSpec, tr *specTransport) (res any, err error) {
	t.Helper()
	c := newConformanceClient(t, s, tr)
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("%s panicked: %v", cc.name(), p)
		}
	}()
	return cc.call(context.Background(), c)
}

// transport returns the spec transport for the case in mode, with its fixups.
func (cc confCase) transport(s *loadedSpec, mode genMode) *specTransport {
	return &specTransport{spec: s, mode: mode, fixups: cc.fixups}
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func TestRequestConformance(t *testing.T) {
	t.Parallel()
	for _, cc := range allConfCases() {
		t.Run(cc.name(), func(t *testing.T) {
			t.Parallel()
			s := loadSpec(t, cc.spec)
			tr := cc.transport(s, genFull)
			if _, err := cc.run(t, s, tr); err != nil && !cc.iter {
				t.Fatalf("%s: %v", cc.name(), err)
			}
			reqs := tr.requests()
			if len(reqs) == 0 {
				t.Fatalf("%s sent no request", cc.name())
			}
			checkAgainst := []*loadedSpec{s}
			for _, id := range cc.also {
				checkAgainst = append(checkAgainst, loadSpec(t, id))
			}
			for i, cr := range reqs {
				if i >= 4 {
					break // past the transport's cap
				}
				want := cc.ops[min(i, len(cc.ops)-1)]
				for _, spec := range checkAgainst {
					op, err := spec.validateRequest(context.Background(), cr)
					if err != nil {
						t.Errorf("request %d of %s does not conform: %v", i+1, cc.name(), err)
						continue
					}
					t.Logf("%s %s -> %s (%s)", cr.method, cr.url.RequestURI(), op, spec.def.file)
					if op != want {
						t.Errorf("request %d of %s hit %s, want %s", i+1, cc.name(), op, want)
					}
				}
			}
			if !cc.iter && len(reqs) != len(cc.ops) {
				t.Errorf("%s sent %d requests, want %d (%v)", cc.name(), len(reqs), len(cc.ops), cc.ops)
			}
		})
	}
}

// caseOps returns the spec operations of the case's ops.
func caseOps(t *testing.T, s *loadedSpec, cc confCase) []*openapi3.Operation {
	t.Helper()
	var out []*openapi3.Operation
	for _, op := range cc.ops {
		method, path, _ := strings.Cut(op, " ")
		item := s.doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Fatalf("%s: %s is not in %s", cc.name(), op, s.def.file)
		}
		out = append(out, item.GetOperation(method))
	}
	return out
}

func TestResponseDecoding(t *testing.T) {
	t.Parallel()
	for _, cc := range allConfCases() {
		t.Run(cc.name(), func(t *testing.T) {
			t.Parallel()
			s := loadSpec(t, cc.spec)
			hasSchema, hasExamples := false, false
			for _, op := range caseOps(t, s, cc) {
				_, mt, ok := successResponse(op)
				hasSchema = hasSchema || ok
				hasExamples = hasExamples || len(exampleBodies(mt)) > 0
			}
			if !hasSchema {
				t.Logf("no 2xx JSON schema for %v in %s: nothing to decode", cc.ops, s.def.file)
				return
			}
			for _, mode := range []genMode{genFull, genNullHeavy, genExamples} {
				tr := cc.transport(s, mode)
				res, err := cc.run(t, s, tr)
				if err != nil {
					t.Errorf("%s could not decode a %s response generated from the spec: %v", cc.name(), mode, err)
					continue
				}
				if !cc.noResult && isNil(res) {
					t.Errorf("%s returned no result for a %s response", cc.name(), mode)
				}
				// Every property was filled: a result with nothing in it means the
				// SDK reads other names than the spec's (or the wrong envelope).
				if mode == genFull && !cc.noResult && isEmptyResult(res) {
					t.Errorf("%s decoded nothing from a full response generated from the spec: %s", cc.name(), describe(res))
				}
				// And no documented field is dropped: every free-text value of the
				// (last) answer is in the result, re-encoded.
				if mode == genFull && !cc.noResult && !cc.iter {
					ops := caseOps(t, s, cc)
					if _, mt, ok := successResponse(ops[len(ops)-1]); ok && cc.fixups[cc.ops[len(cc.ops)-1]] == nil {
						var want []string
						generatedStrings(genValue(mt.Schema, genFull), &want)
						got := describeFull(res)
						for _, w := range want {
							if !strings.Contains(got, w) {
								t.Errorf("%s dropped %q of a full response generated from the spec", cc.name(), w)
							}
						}
					}
				}
			}
			if hasExamples {
				tr := cc.transport(s, genFull)
				tr.examples = true
				if _, err := cc.run(t, s, tr); err != nil {
					t.Errorf("%s could not decode the spec's example response: %v", cc.name(), err)
				}
			}
		})
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// generatedStrings collects the free-text values the generator made ("name-value"),
// which a decoder has no reason to alter.
func generatedStrings(v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			generatedStrings(e, out)
		}
	case []any:
		for _, e := range x {
			generatedStrings(e, out)
		}
	case string:
		if strings.HasSuffix(x, "-value") {
			*out = append(*out, x)
		}
	}
}

func describeFull(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(b)
}

// isEmptyResult reports whether a decoded result holds no data: a nil or zero
// struct, an empty slice or map, an empty string.
func isEmptyResult(v any) bool {
	if isNil(v) {
		return true
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return true
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Slice, reflect.Map, reflect.String:
		return rv.Len() == 0
	}
	return rv.IsZero()
}

// malformed is a broken answer to every request of a case.
type malformed struct {
	name string
	// mustFail: a method that returns a decoded value must return an error.
	mustFail bool
	// wantAPIError: the error must be an *APIError (non-2xx status).
	wantAPIError bool
	body         func(route *routers.Route, mode genMode) (status int, contentType string, body []byte, applies bool)
}

const htmlPage = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>upstream connect error</p></body></html>`

var malformedBodies = []malformed{
	{name: "HTML with 200", mustFail: true, body: func(*routers.Route, genMode) (int, string, []byte, bool) {
		return http.StatusOK, "text/html; charset=utf-8", []byte(htmlPage), true
	}},
	{name: "HTML labelled JSON", mustFail: true, body: func(*routers.Route, genMode) (int, string, []byte, bool) {
		return http.StatusOK, "application/json", []byte(htmlPage), true
	}},
	{name: "HTML with 502", mustFail: true, wantAPIError: true, body: func(*routers.Route, genMode) (int, string, []byte, bool) {
		return http.StatusBadGateway, "text/html", []byte(htmlPage), true
	}},
	{name: "truncated JSON", mustFail: true, body: func(route *routers.Route, mode genMode) (int, string, []byte, bool) {
		status, mt, ok := successResponse(route.Operation)
		if !ok {
			return 0, "", nil, false
		}
		b := mustMarshal(genValue(mt.Schema, mode))
		if len(b) < 2 {
			return 0, "", nil, false
		}
		return status, "application/json", b[:len(b)/2], true
	}},
	{name: "wrong top-level type", mustFail: true, body: func(route *routers.Route, _ genMode) (int, string, []byte, bool) {
		status, mt, ok := successResponse(route.Operation)
		if !ok {
			return 0, "", nil, false
		}
		b, ok := wrongType(mt.Schema)
		return status, "application/json", b, ok
	}},
	{name: "wrong nested types", body: func(route *routers.Route, mode genMode) (int, string, []byte, bool) {
		status, mt, ok := successResponse(route.Operation)
		if !ok {
			return 0, "", nil, false
		}
		v := genValue(mt.Schema, genFull)
		if !scramble(v, 0) {
			return 0, "", nil, false
		}
		return status, "application/json", mustMarshal(v), true
	}},
}

// wrongType returns a JSON value of another type than s allows, if s is typed.
func wrongType(ref *openapi3.SchemaRef) ([]byte, bool) {
	if ref == nil || ref.Value == nil {
		return nil, false
	}
	s := ref.Value
	switch {
	case s.Type.Is(openapi3.TypeObject) || len(s.Properties) > 0 || len(s.AllOf) > 0:
		return []byte(`["not", "an", "object"]`), true
	case s.Type.Is(openapi3.TypeArray):
		return []byte(`{"not": "an array"}`), true
	case s.Type.Is(openapi3.TypeString):
		return []byte(`12345`), true
	case s.Type.Is(openapi3.TypeInteger), s.Type.Is(openapi3.TypeNumber), s.Type.Is(openapi3.TypeBoolean):
		return []byte(`"not a scalar of that type"`), true
	}
	return nil, false // untyped ({}): anything is valid
}

// scramble replaces, in a generated value, every scalar with a value of another JSON
// type (strings become numbers, numbers and booleans become strings) and every
// nested object with an array. It reports whether it changed anything.
func scramble(v any, depth int) bool {
	changed := false
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			switch e.(type) {
			case string:
				x[k] = 12345
				changed = true
			case int64, float64, bool:
				x[k] = "not-a-number-or-bool"
				changed = true
			case map[string]any:
				if depth >= 1 {
					x[k] = []any{"not", "an", "object"}
					changed = true
				} else if scramble(e, depth+1) {
					changed = true
				}
			case []any:
				if scramble(e, depth+1) {
					changed = true
				}
			}
		}
	case []any:
		for i, e := range x {
			switch e.(type) {
			case string:
				x[i] = 12345
				changed = true
			case map[string]any:
				if scramble(e, depth+1) {
					changed = true
				}
			}
		}
	}
	return changed
}

func TestMalformedResponses(t *testing.T) {
	t.Parallel()
	for _, cc := range allConfCases() {
		for _, m := range malformedBodies {
			t.Run(cc.name()+"/"+m.name, func(t *testing.T) {
				t.Parallel()
				s := loadSpec(t, cc.spec)
				applied := false
				tr := cc.transport(s, genFull)
				tr.respond = func(route *routers.Route, r *http.Request) (int, string, []byte) {
					status, ctype, body, ok := m.body(route, genFull)
					if !ok {
						return tr.fromSpec(route)
					}
					applied = true
					return status, ctype, body
				}
				res, err := cc.run(t, s, tr)
				if !applied {
					return // nothing to break for this operation (e.g. an untyped answer)
				}
				if err != nil {
					var re *connapi.ResponseError
					var ae *connapi.APIError
					switch {
					case m.wantAPIError && !errors.As(err, &ae):
						t.Errorf("%s: %s: want *connapi.APIError, got %T: %v", cc.name(), m.name, err, err)
					case !errors.As(err, &re) && !errors.As(err, &ae):
						t.Errorf("%s: %s: want *connapi.ResponseError or *connapi.APIError, got %T: %v", cc.name(), m.name, err, err)
					}
					return
				}
				if m.wantAPIError {
					t.Errorf("%s: %s: a 502 gave no error", cc.name(), m.name)
				}
				if m.mustFail && !cc.noResult {
					t.Errorf("%s: %s: no error, and a result built from a broken body: %s", cc.name(), m.name, describe(res))
				}
			})
		}
	}
}

func describe(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return shorten(b)
}

// TestConformanceCasesCoverEveryMethod: every SDK method whose "// API:" operation is
// in a vendor spec has at least one request-conformance case, and every case names
// a real SDK method.
func TestConformanceCasesCoverEveryMethod(t *testing.T) {
	t.Parallel()
	methods, _, _ := parseAPILines(t)
	inSpec := map[string]bool{}
	for _, d := range specDefs {
		for _, op := range loadSpec(t, d.id).ops {
			inSpec[normOp(op)] = true
		}
	}
	sdk := map[string]bool{}
	needCase := map[string]bool{}
	for _, m := range methods {
		sdk[m.name] = true
		if inSpec[normOp(m.op)] {
			needCase[m.name] = true
		}
	}
	have := map[string]bool{}
	for _, cc := range allConfCases() {
		have[cc.method] = true
		if !sdk[cc.method] {
			t.Errorf("case %s names no SDK method with an API line", cc.name())
		}
	}
	for _, name := range sortedKeys(needCase) {
		if !have[name] {
			t.Errorf("%s calls a spec'd endpoint but has no conformance case", name)
		}
	}
}

// Guard against the suite passing vacuously: the validator must reject requests
// that break the spec.
func TestConformanceValidatorBites(t *testing.T) {
	t.Parallel()
	s := loadSpec(t, specOpenInt)
	ctx := context.Background()
	good := func() capturedRequest {
		r, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.def.server+"/core/connection?limit=10", http.NoBody)
		r.Header.Set("X-Apikey", confAPIKey)
		return capturedRequest{method: r.Method, url: r.URL, header: r.Header}
	}
	if _, err := s.validateRequest(ctx, good()); err != nil {
		t.Fatalf("a conforming request was rejected: %v", err)
	}
	bad := map[string]func(*capturedRequest){
		"no credential":         func(c *capturedRequest) { c.header.Del("X-Apikey") },
		"wrong credential":      func(c *capturedRequest) { c.header.Set("X-Apikey", "other") },
		"undeclared query":      func(c *capturedRequest) { c.url.RawQuery = "pageSize=3" },
		"ill-typed query":       func(c *capturedRequest) { c.url.RawQuery = "limit=ten" },
		"unknown path":          func(c *capturedRequest) { c.url.Path = "/v0/core/connections" },
		"body where none":       func(c *capturedRequest) { c.body = []byte(`{}`); c.header.Set("Content-Type", "application/json") },
		"wrong method for path": func(c *capturedRequest) { c.method = http.MethodPut },
	}
	for name, mutate := range bad {
		cr := good()
		u := *cr.url
		cr.url = &u
		mutate(&cr)
		if _, err := s.validateRequest(ctx, cr); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// Body schema: _sync requires a body; a string field must not be a number.
	post := func(path, body string) capturedRequest {
		r, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.def.server+path, http.NoBody)
		r.Header.Set("X-Apikey", confAPIKey)
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		return capturedRequest{method: r.Method, url: r.URL, header: r.Header, body: []byte(body)}
	}
	if _, err := s.validateRequest(ctx, post("/core/connection/conn_1/_sync", "")); err == nil {
		t.Error("a missing required body was accepted")
	}
	if _, err := s.validateRequest(ctx, post("/core/connection", `{"connectorConfigId": 5}`)); err == nil {
		t.Error("an ill-typed body was accepted")
	}
	if _, err := s.validateRequest(ctx, post("/core/connection", `{"connectorConfigId": "ccfg_1"}`)); err != nil {
		t.Errorf("a conforming body was rejected: %v", err)
	}
}
