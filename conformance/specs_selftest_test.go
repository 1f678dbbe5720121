package conformance_test

// Self-tests of the conformance machinery: the specs load (with their workarounds),
// and the generator's output conforms to every in-scope response schema, so that
// a decoding failure in the SDK tests is the SDK's, not the generator's.

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/routers"
)

func TestConformanceSpecsLoad(t *testing.T) {
	t.Parallel()
	for _, d := range specDefs {
		t.Run(string(d.id), func(t *testing.T) {
			t.Parallel()
			s := loadSpec(t, d.id)
			if s.doc.Paths.Len() == 0 {
				t.Fatalf("%s: no in-scope paths", d.file)
			}
			for _, w := range s.workarounds {
				t.Logf("%s workaround: %s", d.file, w)
				if strings.HasPrefix(w, "UNHANDLED") {
					t.Errorf("%s: %s", d.file, w)
				}
			}
		})
	}
}

var pathParamRE = regexp.MustCompile(`\{[^}]+\}`)

// exampleRequest builds a request that routes to (method, path) of s.
func exampleRequest(ctx context.Context, t testing.TB, s *loadedSpec, method, path string) (*http.Request, *routers.Route) {
	t.Helper()
	p := pathParamRE.ReplaceAllString(path, "p1")
	r, err := http.NewRequestWithContext(ctx, method, s.def.server+p, http.NoBody)
	if err != nil {
		t.Fatal(err)
	}
	route, _, err := s.route(r)
	if err != nil {
		t.Fatalf("%s %s does not route: %v", method, path, err)
	}
	return r, route
}

func TestConformanceGeneratorMatchesSpecs(t *testing.T) {
	t.Parallel()
	for _, d := range specDefs {
		t.Run(string(d.id), func(t *testing.T) {
			t.Parallel()
			s := loadSpec(t, d.id)
			ctx := context.Background()
			n := 0
			for path, item := range s.doc.Paths.Map() {
				for method, op := range item.Operations() {
					status, mt, ok := successResponse(op)
					if !ok {
						continue
					}
					r, route := exampleRequest(t.Context(), t, s, method, path)
					if route.Path != path {
						continue // a more specific route shadows this template with p1
					}
					for _, mode := range []genMode{genFull, genNullHeavy, genExamples} {
						b, err := json.Marshal(genValue(mt.Schema, mode))
						if err != nil {
							t.Fatal(err)
						}
						if err := validateResponseBody(ctx, route, r, status, b); err != nil {
							t.Errorf("%s %s %s: generated body does not conform: %v\n%s", method, path, mode, err, shorten(b))
						}
						n++
					}
				}
			}
			t.Logf("%s: %d generated bodies validated", d.file, n)
		})
	}
}
