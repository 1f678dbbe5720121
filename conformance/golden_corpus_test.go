package conformance_test

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/routers"
)

var updateCorpus = flag.Bool("update", false, "write the spec payloads into the models' golden corpus")

// goldenCorpusDir is where package models keeps the payloads of its golden
// corpus (models/golden_test.go) that come from the specs.
const goldenCorpusDir = "../models/testdata/golden/payloads/conformance"

// TestGoldenCorpusHasSpecPayloads checks that the models' golden corpus holds
// every 2xx body this suite makes from the specs: generated in every mode, the
// specs' own examples, the malformed variants that are still JSON-ish, and the
// hand-written vendor-shaped instances. With -update it writes the missing ones:
//
//	go test ./conformance -run TestGoldenCorpusHasSpecPayloads -update
//	go test ./models -run TestGolden -update
func TestGoldenCorpusHasSpecPayloads(t *testing.T) {
	t.Parallel()
	want := map[string][]byte{
		"pipeshub-spec-instance":    []byte(phSpecInstance),
		"pipeshub-backend-instance": []byte(phBackendInstance),
	}
	nonName := regexp.MustCompile(`[^A-Za-z0-9_.-]+`)
	for _, def := range specDefs {
		s := loadSpec(t, def.id)
		for path, item := range s.doc.Paths.Map() {
			for method, op := range item.Operations() {
				_, mt, ok := successResponse(op)
				if !ok {
					continue
				}
				base := string(def.id) + "-" + method + "-" + strings.Trim(nonName.ReplaceAllString(path, "_"), "_")
				for _, mode := range []genMode{genFull, genNullHeavy, genExamples} {
					want[base+"-"+mode.String()] = mustMarshal(genValue(mt.Schema, mode))
				}
				for name, ex := range exampleBodies(mt) {
					want[base+"-"+nonName.ReplaceAllString(name, "_")] = mustMarshal(ex)
				}
				route := &routers.Route{Method: method, Path: path, Operation: op}
				for _, m := range malformedBodies {
					if _, ctype, body, applies := m.body(route, genFull); applies && strings.Contains(ctype, "json") {
						want[base+"-malformed-"+nonName.ReplaceAllString(m.name, "_")] = body
					}
				}
			}
		}
	}
	if len(want) < 100 {
		t.Fatalf("only %d payloads made from the specs", len(want))
	}
	have := map[string]bool{}
	entries, err := os.ReadDir(goldenCorpusDir)
	if err != nil && !*updateCorpus {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(goldenCorpusDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		have[corpusHash(b)] = true
	}
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	sort.Strings(names)
	missing := 0
	for _, name := range names {
		body := want[name]
		h := corpusHash(body)
		if have[h] {
			continue
		}
		have[h] = true
		if !*updateCorpus {
			missing++
			t.Errorf("payload %s is not in %s", name, goldenCorpusDir)
			continue
		}
		if err := os.MkdirAll(goldenCorpusDir, 0o755); err != nil { //nolint:gosec // G301: a committed test directory
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(goldenCorpusDir, name+"-"+h[:12]), body, 0o644); err != nil { //nolint:gosec // G306: a committed test file
			t.Fatal(err)
		}
	}
	if missing > 0 {
		t.Errorf("%d payloads missing: run go test ./conformance -run TestGoldenCorpusHasSpecPayloads -update, then go test ./models -run TestGolden -update", missing)
	}
}

func corpusHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
