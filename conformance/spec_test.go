package conformance_test

// Spec loading for the conformance suite: the vendor specs in testdata/specs are
// loaded once, converted to OpenAPI 3.0 where needed, patched IN MEMORY for the
// OpenAPI 3.1 features kin-openapi v0.135.0 does not handle, given servers that
// match the SDK's base URLs, and turned into routers. The files on disk are
// byte-identical copies of the vendors' files (see each SOURCE.md). Every patch is
// listed in docs/vendor-notes.md ("Workarounds in the loaded specs").

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/oasdiff/yaml"

	"github.com/connapi/connapi-go"
)

// Credentials the conformance clients send; the AuthenticationFunc checks for them.
const (
	confBearer = "conformance-bearer-7c1e"
	confAPIKey = "conformance-apikey-93ab"
)

// specID names one loaded spec.
type specID string

const (
	specInstill          specID = "instill"           // Swagger 2.0, converted with openapi2conv
	specPipesHub         specID = "pipeshub"          // the SDK spec (out.openapi.yaml)
	specPipesHubUpstream specID = "pipeshub-upstream" // the newer upstream spec (backend/…)
	specOpenInt          specID = "openint"           // OpenAPI 3.1, patched to 3.0 at load time
)

// specDef says where a spec is and how the SDK reaches its platform.
type specDef struct {
	id      specID
	vendor  string
	file    string // under testdata/specs
	swagger bool   // Swagger 2.0 (needs openapi2conv)
	// server replaces the spec's servers, so that paths match the SDK's base URL
	// (Instill: the root; PipesHub: /api/v1; OpenInt: /v0).
	server string
	// inScope tells which paths are connection-related (kept in the router, and
	// listed by the coverage test).
	inScope func(path string) bool
	// patch applies the vendor-specific workarounds (after the generic ones).
	patch func(doc *openapi3.T) []string
}

var specDefs = []specDef{
	{
		id: specInstill, vendor: "Instill AI", file: "instill-ai/service.swagger.yaml", swagger: true,
		server: "https://api.instill.conformance.test",
		inScope: func(p string) bool {
			return strings.HasPrefix(p, "/v1beta/namespaces/{namespaceId}/connections") || strings.HasPrefix(p, "/v1beta/integrations")
		},
		patch: patchInstill,
	},
	{
		id: specPipesHub, vendor: "PipesHub", file: "pipeshub/out.openapi.yaml",
		server:  "https://pipeshub.conformance.test/api/v1",
		inScope: func(p string) bool { return p == "/connectors" || strings.HasPrefix(p, "/connectors/") },
	},
	{
		id: specPipesHubUpstream, vendor: "PipesHub", file: "pipeshub/backend/pipeshub-openapi.yaml",
		server:  "https://pipeshub.conformance.test/api/v1",
		inScope: func(p string) bool { return p == "/connectors" || strings.HasPrefix(p, "/connectors/") },
	},
	{
		id: specOpenInt, vendor: "OpenInt", file: "openint/openapi.json",
		server: "https://api.openint.conformance.test/v0",
		// /core/connection… plus the connector_config admin operations, which the
		// coverage test lists and allowlists.
		inScope: func(p string) bool { return strings.HasPrefix(p, "/core/connect") },
		patch:   patchOpenInt,
	},
}

// loadedSpec is a spec ready for validation.
type loadedSpec struct {
	def *specDef
	// doc keeps only the in-scope paths, patched; router routes over it.
	doc    *openapi3.T
	router routers.Router
	// ops lists every operation of the ORIGINAL document (before pruning and
	// patching), as "METHOD /path", for the coverage test.
	ops []string
	// workarounds lists what was patched, for the log and docs/vendor-notes.md.
	workarounds []string
}

// baseURL is what the SDK client is given (with a trailing slash).
func (s *loadedSpec) baseURL() string { return s.def.server + "/" }

var (
	specOnce  = map[specID]*sync.Once{}
	specCache = map[specID]*loadedSpec{}
	specErrs  = map[specID]error{}
)

func init() {
	for _, d := range specDefs {
		specOnce[d.id] = new(sync.Once)
	}
}

// loadSpec returns the loaded spec, loading it on first use (safe for parallel tests).
func loadSpec(t testing.TB, id specID) *loadedSpec {
	t.Helper()
	once, ok := specOnce[id]
	if !ok {
		t.Fatalf("unknown spec %q", id)
	}
	once.Do(func() {
		for i := range specDefs {
			if specDefs[i].id == id {
				specCache[id], specErrs[id] = buildSpec(&specDefs[i])
			}
		}
	})
	if err := specErrs[id]; err != nil {
		t.Fatalf("loading spec %s: %v", id, err)
	}
	return specCache[id]
}

func buildSpec(def *specDef) (*loadedSpec, error) {
	path := filepath.Join("testdata", "specs", filepath.FromSlash(def.file))
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ls := &loadedSpec{def: def}
	var doc *openapi3.T
	if def.swagger {
		// openapi2 has no YAML loader of its own; kin-openapi itself reads YAML with
		// github.com/oasdiff/yaml (YAML -> JSON -> encoding/json), so we do the same.
		var d2 openapi2.T
		if err := yaml.Unmarshal(data, &d2); err != nil {
			return nil, fmt.Errorf("reading Swagger 2.0: %w", err)
		}
		ls.ops = listOps2(&d2)
		if doc, err = openapi2conv.ToV3(&d2); err != nil {
			return nil, fmt.Errorf("converting Swagger 2.0 to OpenAPI 3: %w", err)
		}
		ls.workarounds = append(ls.workarounds, "Swagger 2.0 converted to OpenAPI 3.0 with openapi2conv.ToV3")
	} else {
		loader := openapi3.NewLoader()
		if doc, err = loader.LoadFromData(data); err != nil {
			return nil, err
		}
		ls.ops = listOps3(doc)
	}

	// Keep only the connection-related paths: the rest of each spec (CRM, agents,
	// pipelines, …) is not what the SDK talks to, and a request that strays there
	// must fail routing.
	kept := openapi3.NewPaths()
	for p, item := range doc.Paths.Map() {
		if def.inScope(p) {
			kept.Set(p, item)
		}
	}
	doc.Paths = kept

	ls.workarounds = append(ls.workarounds, downgrade31(doc)...)
	if def.patch != nil {
		ls.workarounds = append(ls.workarounds, def.patch(doc)...)
	}
	doc.Servers = openapi3.Servers{{URL: def.server}}
	ls.workarounds = append(ls.workarounds, "servers replaced by "+def.server+" (the SDK's base URL)")

	// The specs carry regular expressions Go's regexp cannot compile (PipesHub's
	// password rules use look-ahead) in schemas the SDK never sends; example values
	// are not ours to check.
	if err := doc.Validate(context.Background(), specValidationOptions()...); err != nil {
		return nil, fmt.Errorf("validating the patched spec: %w", err)
	}
	if ls.router, err = legacy.NewRouter(doc, specValidationOptions()...); err != nil {
		return nil, err
	}
	ls.doc = doc
	return ls, nil
}

func specValidationOptions() []openapi3.ValidationOption {
	return []openapi3.ValidationOption{
		openapi3.DisableSchemaPatternValidation(),
		openapi3.DisableExamplesValidation(),
	}
}

func listOps3(doc *openapi3.T) []string {
	var ops []string
	for p, item := range doc.Paths.Map() {
		for m := range item.Operations() {
			ops = append(ops, strings.ToUpper(m)+" "+p)
		}
	}
	sort.Strings(ops)
	return ops
}

func listOps2(doc *openapi2.T) []string {
	var ops []string
	for p, item := range doc.Paths {
		for m := range item.Operations() {
			ops = append(ops, strings.ToUpper(m)+" "+p)
		}
	}
	sort.Strings(ops)
	return ops
}

// ---- OpenAPI 3.1 -> 3.0 (kin-openapi v0.135.0 validates 3.0 semantics) ----

// downgrade31 rewrites, in every schema reachable from the (pruned) document, the
// OpenAPI 3.1 / JSON Schema 2020-12 constructs kin-openapi v0.135.0 does not
// validate, into their OpenAPI 3.0 equivalents:
//
//   - a type array with "null" (["string","null"]) becomes type "string" with
//     nullable: true (kin-openapi parses the array but rejects "null" as a type);
//   - a oneOf/anyOf alternative that is just {type: "null"} is dropped and the
//     schema becomes nullable;
//   - const: v (left in Extensions by kin-openapi) becomes enum: [v];
//   - in a 3.1 document, an untyped, unconstrained schema ({}) becomes nullable,
//     since JSON Schema's {} accepts null and 3.0's does not;
//   - the top-level webhooks object is removed, and openapi: 3.1.x is declared 3.0.3.
//
// It fails loudly (returns a note starting with "UNHANDLED") for a type array with
// two non-null types, which no in-scope schema has.
func downgrade31(doc *openapi3.T) []string {
	w := &schemaWalker{seen: map[*openapi3.Schema]bool{}}
	counts := map[string]int{}
	is31 := strings.HasPrefix(doc.OpenAPI, "3.1")
	w.fn = func(s *openapi3.Schema) {
		if s.Type != nil && len(*s.Type) > 1 {
			types := slices.DeleteFunc(slices.Clone(*s.Type), func(t string) bool { return t == openapi3.TypeNull })
			if len(types) < len(*s.Type) {
				s.Nullable = true
			}
			t := openapi3.Types(types)
			s.Type = &t
			counts["type arrays [T, \"null\"] rewritten to type T + nullable: true"]++
			if len(types) > 1 {
				counts["UNHANDLED: type array with several non-null types"]++
			}
		}
		for _, xof := range []*openapi3.SchemaRefs{&s.OneOf, &s.AnyOf} {
			n := len(*xof)
			*xof = slices.DeleteFunc(*xof, func(r *openapi3.SchemaRef) bool {
				return r != nil && r.Value != nil && r.Value.Type.Is(openapi3.TypeNull)
			})
			if len(*xof) < n {
				s.Nullable = true
				counts["oneOf/anyOf alternatives {type: null} dropped, schema made nullable"]++
			}
		}
		if is31 && s.Type == nil && !s.Nullable && schemaUnconstrained(s) {
			// In 3.1 (JSON Schema) {} accepts every value, null included; kin-openapi
			// applies 3.0's rule (not nullable unless nullable: true). OpenInt's
			// "metadata" is such a schema, and the server sends null there.
			s.Nullable = true
			counts["untyped schemas ({}) made nullable, as JSON Schema has them"]++
		}
		if v, ok := s.Extensions["const"]; ok {
			s.Enum = []any{v}
			delete(s.Extensions, "const")
			counts["const rewritten to a one-value enum"]++
		}
	}
	w.doc(doc)
	if _, ok := doc.Extensions["webhooks"]; ok {
		// 3.1's top-level webhooks (OpenInt: sync.completed, pageview) are outgoing
		// calls from the platform, not part of the API the SDK calls; 3.0 has no such
		// field, and kin-openapi keeps it as an unknown sibling, which fails validation.
		delete(doc.Extensions, "webhooks")
		counts["top-level webhooks (3.1) removed"]++
	}
	if doc.OpenAPI != "" && strings.HasPrefix(doc.OpenAPI, "3.1") {
		counts["openapi: "+doc.OpenAPI+" declared as 3.0.3"]++
		doc.OpenAPI = "3.0.3"
	}
	var notes []string
	for k, n := range counts {
		notes = append(notes, fmt.Sprintf("%s (%d)", k, n))
	}
	sort.Strings(notes)
	return notes
}

// schemaWalker calls fn once for every schema reachable from a document's paths
// and components.
type schemaWalker struct {
	seen map[*openapi3.Schema]bool
	fn   func(*openapi3.Schema)
}

func (w *schemaWalker) doc(doc *openapi3.T) {
	for _, item := range doc.Paths.Map() {
		w.params(item.Parameters)
		for _, op := range item.Operations() {
			w.params(op.Parameters)
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				w.content(op.RequestBody.Value.Content)
			}
			if op.Responses != nil {
				for _, r := range op.Responses.Map() {
					w.response(r)
				}
			}
		}
	}
	if c := doc.Components; c != nil {
		for _, s := range c.Schemas {
			w.schema(s)
		}
		for _, p := range c.Parameters {
			w.param(p)
		}
		for _, b := range c.RequestBodies {
			if b.Value != nil {
				w.content(b.Value.Content)
			}
		}
		for _, r := range c.Responses {
			w.response(r)
		}
	}
}

func (w *schemaWalker) params(ps openapi3.Parameters) {
	for _, p := range ps {
		w.param(p)
	}
}

func (w *schemaWalker) param(p *openapi3.ParameterRef) {
	if p == nil || p.Value == nil {
		return
	}
	w.schema(p.Value.Schema)
	w.content(p.Value.Content)
}

func (w *schemaWalker) response(r *openapi3.ResponseRef) {
	if r == nil || r.Value == nil {
		return
	}
	w.content(r.Value.Content)
	for _, h := range r.Value.Headers {
		if h.Value != nil {
			w.schema(h.Value.Schema)
		}
	}
}

func (w *schemaWalker) content(c openapi3.Content) {
	for _, mt := range c {
		if mt != nil {
			w.schema(mt.Schema)
		}
	}
}

func (w *schemaWalker) schema(r *openapi3.SchemaRef) {
	if r == nil || r.Value == nil || w.seen[r.Value] {
		return
	}
	s := r.Value
	w.seen[s] = true
	w.fn(s)
	for _, p := range s.Properties {
		w.schema(p)
	}
	w.schema(s.Items)
	w.schema(s.AdditionalProperties.Schema)
	w.schema(s.Not)
	for _, xs := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, x := range xs {
			w.schema(x)
		}
	}
}

// schemaUnconstrained reports whether s constrains nothing (a bare {} with at most
// a title, description or example).
func schemaUnconstrained(s *openapi3.Schema) bool {
	return len(s.Enum) == 0 && len(s.AllOf) == 0 && len(s.AnyOf) == 0 && len(s.OneOf) == 0 && s.Not == nil &&
		len(s.Properties) == 0 && s.Items == nil && s.AdditionalProperties.Schema == nil && s.AdditionalProperties.Has == nil &&
		s.Format == "" && s.Pattern == "" && len(s.Required) == 0
}

// ---- vendor-specific patches ----

// patchInstill relaxes the PATCH body: the swagger reuses the full Connection
// (required id, integrationId, method, setup) as the body of
// UpdateNamespaceConnection, but the proto's update_mask is derived by
// grpc-gateway from the fields present in the body (the swagger exposes no
// updateMask parameter), so a partial body is the documented way to update. Only
// the PATCH body loses "required"; Create keeps it.
func patchInstill(doc *openapi3.T) []string {
	item := doc.Paths.Value("/v1beta/namespaces/{namespaceId}/connections/{connectionId}")
	if item == nil || item.Patch == nil || item.Patch.RequestBody == nil || item.Patch.RequestBody.Value == nil {
		return []string{"UNHANDLED: Instill PATCH connection body not found"}
	}
	for _, mt := range item.Patch.RequestBody.Value.Content {
		if mt.Schema == nil || mt.Schema.Value == nil {
			continue
		}
		relaxed := *mt.Schema.Value // shallow copy: the shared Connection schema is untouched
		relaxed.Required = nil
		mt.Schema = openapi3.NewSchemaRef("", &relaxed)
	}
	return []string{"PATCH /v1beta/namespaces/{namespaceId}/connections/{connectionId}: body schema's required list dropped (update_mask is derived from the fields sent)"}
}

// patchOpenInt replaces the global security requirement. The spec ANDs the
// x-apikey and x-connection-id schemes for every operation (a generator artefact:
// trpc-openapi copies the router's global security); the server
// (packages/api/createRouterHandler.ts) needs only one credential for
// /core/connection*: x-apikey, or an Authorization: Bearer token. x-connection-id
// selects a connection for unified/proxy calls only.
func patchOpenInt(doc *openapi3.T) []string {
	doc.Security = openapi3.SecurityRequirements{{"apikey": {}}, {"token": {}}}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			op.Security = nil // inherit the global requirement
		}
	}
	return []string{"security: {apikey AND connectionId} replaced by {apikey} OR {token} (the server needs x-apikey or a Bearer token; x-connection-id is for unified calls)"}
}

// ---- authentication ----

// conformanceAuth is the AuthenticationFunc: a security scheme is satisfied only
// when the SDK sent exactly the credential the test client was given, in the
// header the scheme names (Bearer for PipesHub and Instill, x-apikey for OpenInt).
func conformanceAuth(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s := in.SecurityScheme
	h := in.RequestValidationInput.Request.Header
	switch {
	case s.Type == "http" && strings.EqualFold(s.Scheme, "bearer"):
		if got := h.Get("Authorization"); got != "Bearer "+confBearer {
			return fmt.Errorf("want Authorization: Bearer <token>, got %q", redactCred(got))
		}
		return nil
	case s.Type == "apiKey" && s.In == "header":
		got := h.Get(s.Name)
		switch strings.ToLower(s.Name) {
		case "authorization": // Instill's "Bearer instill_sk_…" apiKey scheme; OpenInt's token
			if got != "Bearer "+confBearer {
				return fmt.Errorf("want %s: Bearer <token>, got %q", s.Name, redactCred(got))
			}
		case "x-apikey":
			if got != confAPIKey {
				return fmt.Errorf("want %s: <api key>, got %q", s.Name, redactCred(got))
			}
		default:
			if got == "" {
				return fmt.Errorf("header %s missing", s.Name)
			}
		}
		return nil
	}
	return fmt.Errorf("security scheme %s (%s) is not one the SDK uses", in.SecuritySchemeName, s.Type)
}

func redactCred(s string) string {
	if s == "" {
		return ""
	}
	return "<" + fmt.Sprint(len(s)) + " bytes>"
}

// ---- request validation ----

// route finds the spec operation of r ("METHOD /path/{param}").
func (s *loadedSpec) route(r *http.Request) (*routers.Route, map[string]string, error) {
	return s.router.FindRoute(r)
}

// validateRequest checks one captured request against the spec: the route (method
// and path), path and query parameters, security, content type and body schema
// (openapi3filter.ValidateRequest), plus two checks kin-openapi leaves out (or gets
// wrong): no query parameter the operation does not declare, and no body where the
// operation declares none.
func (s *loadedSpec) validateRequest(ctx context.Context, cr capturedRequest) (string, error) {
	r := cr.request(ctx)
	route, pathParams, err := s.route(r)
	if err != nil {
		return "", fmt.Errorf("%s %s: no operation in %s: %w", r.Method, r.URL.Path, s.def.file, err)
	}
	op := route.Method + " " + route.Path
	var problems []string
	declared := map[string]bool{}
	for _, ps := range []openapi3.Parameters{route.PathItem.Parameters, route.Operation.Parameters} {
		for _, p := range ps {
			if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
				declared[p.Value.Name] = true
			}
		}
	}
	for k := range r.URL.Query() {
		if !declared[k] {
			problems = append(problems, fmt.Sprintf("query parameter %q is not declared by the operation", k))
		}
	}
	// kin-openapi v0.135.0's RejectWhenRequestBodyNotSpecified rejects every body,
	// declared or not (validate_request.go checks only ContentLength), so the
	// "no undeclared body" rule is checked here instead.
	if route.Operation.RequestBody == nil && len(cr.body) > 0 {
		problems = append(problems, "a body was sent, but the operation declares none")
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: pathParams,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc:  conformanceAuth,
			SkipSettingDefaults: true,
			MultiError:          true,
		},
	}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return op, fmt.Errorf("%s %s (%s in %s): %s", r.Method, r.URL.RequestURI(), op, s.def.file, strings.Join(problems, "; "))
	}
	return op, nil
}

// capturedRequest is what the SDK put on the wire (after its auth layer).
type capturedRequest struct {
	method string
	url    *url.URL
	header http.Header
	body   []byte
}

func (c capturedRequest) request(ctx context.Context) *http.Request {
	r, _ := http.NewRequestWithContext(ctx, c.method, c.url.String(), strings.NewReader(string(c.body)))
	r.Header = c.header.Clone()
	if len(c.body) == 0 {
		r.Body = http.NoBody
	}
	return r
}

// newConformanceClient returns a client for spec's platform whose requests go to rt.
// PipesHub and Instill authenticate with a Bearer token, OpenInt with x-apikey.
// Retries are off, so a canned error response is seen once.
func newConformanceClient(t testing.TB, s *loadedSpec, rt http.RoundTripper) *connapi.Client {
	t.Helper()
	opts := []connapi.Option{
		connapi.WithBaseURL(s.baseURL()),
		connapi.WithHTTPClient(&http.Client{Transport: rt}),
		connapi.WithoutRetries(),
	}
	if s.def.id == specOpenInt {
		opts = append(opts, connapi.WithAPIKey(confAPIKey))
	} else {
		opts = append(opts, connapi.WithBearerToken(confBearer))
	}
	c, err := connapi.NewClient(opts...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}
