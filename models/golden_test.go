package models_test

// The golden corpus (issue 12): every model decodes every payload of the corpus to
// the same Go value, frozen in testdata/golden/<source>.golden, so that a rewrite of
// the decoders cannot change a result unnoticed.
//
// The payloads are files in testdata/golden/payloads/<source>/:
//
//   - fuzz: every value of the root module's fuzz corpora (testdata/fuzz) and the
//     seeds of FuzzModelDecode, FuzzAPIError and this package's FuzzDecode;
//   - tests: the JSON-looking string literals of this package's tests and of the
//     root package's tests;
//   - conformance: the 2xx bodies generated from the vendor specs in every mode,
//     and the specs' own examples (written by the conformance module's
//     TestGoldenCorpusHasSpecPayloads);
//   - bench: the benchmark server's answers (written by the bench module's
//     TestGoldenCorpusHasBenchPayloads).
//
// Regenerate after an intended change of what a model decodes (and review the
// diff of the .golden files):
//
//	go test ./models -run TestGolden -update
//
// which also harvests the fuzz and tests payloads again. The conformance and bench
// payloads are refreshed with -update in their own modules.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connapi/connapi-go/models"
)

var update = flag.Bool("update", false, "rewrite the golden corpus of TestGolden* from today's decoders")

const goldenDir = "testdata/golden"

// goldenModels is every exported type of package models (TestGoldenModelsCoverEveryModel
// keeps it complete), decoded with json.Unmarshal into a new value.
func goldenModels() []any {
	return []any{
		new(models.AuthType), new(models.AvailableConnection), new(models.AvailableConnectionParam),
		new(models.Connection), new(models.ConnectionPage), new(models.ConnectionRBAC),
		new(models.ConnectionRequest), new(models.ConnectionType), new(models.ConnectorAuthConfig),
		new(models.ConnectorConfig), new(models.ConnectorConfigSections), new(models.ConnectorConfigUpdate),
		new(models.ConnectorDeleteResult), new(models.ConnectorDocumentationLink), new(models.ConnectorFilterField),
		new(models.ConnectorFilterFieldOptions), new(models.ConnectorFilterOption), new(models.ConnectorFilterOptions),
		new(models.ConnectorFilterValues), new(models.ConnectorFiltersConfig), new(models.ConnectorInstance),
		new(models.ConnectorInstanceList), new(models.ConnectorOAuthAuthorization), new(models.ConnectorOAuthCallbackResult),
		new(models.ConnectorPagination), new(models.ConnectorRegistry), new(models.ConnectorResult),
		new(models.ConnectorScheduledSync), new(models.ConnectorSchema), new(models.ConnectorScope),
		new(models.ConnectorScopeCounts), new(models.ConnectorSyncConfig), new(models.ConnectorSyncStrategy),
		new(models.ConnectorToggleResult), new(models.ConnectorToggleType), new(models.ConnectorType),
		new(models.ConnectorWebhookSync), new(models.CoreConnection), new(models.CoreConnectionConnector),
		new(models.CoreConnectionConnectorConfig), new(models.CoreConnectionIntegration), new(models.CoreConnectionStandard),
		new(models.CoreConnectionStatus), new(models.CoreConnectionSyncResult), new(models.CorePipelineSync),
		new(models.InodePath), new(models.InodeType), new(models.InstillView),
		new(models.Integration), new(models.IntegrationLink), new(models.IntegrationList),
		new(models.IntegrationOAuthConfig), new(models.NamespaceConnection), new(models.NamespaceConnectionList),
		new(models.NamespaceConnectionMethod), new(models.Nullable[string]), new(models.Nullable[map[string]any]),
		new(models.ReferencedPipelineList), new(models.Resource), new(models.ResourcePage),
		new(models.ResourceStatus), new(models.Role), new(models.RoleAssignments),
		new(models.SubjectType), new(models.Timestamp), new(models.UserProfile),
	}
}

// TestGoldenModelsCoverEveryModel parses package models and fails for an exported
// type that goldenModels lacks.
func TestGoldenModelsCoverEveryModel(t *testing.T) {
	t.Parallel()
	have := map[string]bool{}
	for _, v := range goldenModels() {
		name, _, _ := strings.Cut(reflect.TypeOf(v).Elem().Name(), "[")
		have[name] = true
	}
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				for _, s := range g.Specs {
					if ts := s.(*ast.TypeSpec); ts.Name.IsExported() {
						n++
						if !have[ts.Name.Name] {
							t.Errorf("models.%s is not in goldenModels: the golden corpus does not decode it", ts.Name.Name)
						}
					}
				}
			}
		}
	}
	if n < 50 {
		t.Fatalf("found only %d exported types: is the parse right?", n)
	}
}

// TestGolden decodes every payload of the corpus into every model and compares
// the results with the frozen ones.
func TestGolden(t *testing.T) {
	// Not parallel: -update rewrites the payload directories first.
	if *update {
		harvestFuzz(t)
		harvestTests(t)
	}
	sources, err := os.ReadDir(filepath.Join(goldenDir, "payloads"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sources) < 4 {
		t.Fatalf("%d payload sources in %s/payloads, want fuzz, tests, conformance and bench", len(sources), goldenDir)
	}
	total := 0
	for _, src := range sources {
		payloads := readPayloads(t, src.Name())
		total += len(payloads)
		got := goldenText(payloads)
		file := filepath.Join(goldenDir, src.Name()+".golden")
		if *update {
			if err := os.WriteFile(file, []byte(got), 0o644); err != nil { //nolint:gosec // G306: a committed test file
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run go test ./models -run TestGolden -update)", err)
		}
		compareGolden(t, src.Name(), string(want), got)
	}
	if total < 300 {
		t.Errorf("only %d payloads in the corpus", total)
	}
}

type goldenPayload struct {
	name string
	data []byte
}

func readPayloads(t *testing.T, source string) []goldenPayload {
	t.Helper()
	dir := filepath.Join(goldenDir, "payloads", source)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenPayload
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, goldenPayload{e.Name(), b})
	}
	return out
}

// goldenText is the golden file of payloads: per payload a "== name" line, then
// per model its result: "error", "ok zero" (the zero value), or "ok", the
// json.Marshal of the value and a dump of every field (unexported ones too).
func goldenText(payloads []goldenPayload) string {
	var b strings.Builder
	for _, p := range payloads {
		fmt.Fprintf(&b, "== %s\n", p.name)
		for _, m := range goldenModels() {
			typ := reflect.TypeOf(m).Elem()
			v := reflect.New(typ)
			name := strings.TrimPrefix(typ.String(), "models.")
			if json.Unmarshal(p.data, v.Interface()) != nil {
				fmt.Fprintf(&b, "%s: error\n", name)
				continue
			}
			if v.Elem().IsZero() {
				fmt.Fprintf(&b, "%s: ok zero\n", name)
				continue
			}
			j, err := json.Marshal(v.Interface())
			if err != nil {
				j = []byte("marshal error: " + err.Error())
			}
			fmt.Fprintf(&b, "%s: ok\n\tjson %s\n\tvalue %s\n", name, j, dumpValue(v.Elem()))
		}
	}
	return b.String()
}

// compareGolden reports the first differing results of each payload.
func compareGolden(t *testing.T, source, want, got string) {
	t.Helper()
	if want == got {
		return
	}
	split := func(s string) map[string]string {
		m := map[string]string{}
		for _, block := range strings.Split(s, "== ")[1:] {
			name, body, _ := strings.Cut(block, "\n")
			m[name] = body
		}
		return m
	}
	w, g := split(want), split(got)
	bad := 0
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range w {
			if !yield(k) {
				return
			}
		}
	}) {
		gb, ok := g[name]
		if !ok {
			t.Errorf("%s/%s: in the golden file, no longer in the payloads (run -update)", source, name)
			continue
		}
		if gb == w[name] {
			continue
		}
		bad++
		if bad > 10 {
			continue
		}
		wl, gl := strings.Split(w[name], "\n"), strings.Split(gb, "\n")
		for i := range max(len(wl), len(gl)) {
			var a, b string
			if i < len(wl) {
				a = wl[i]
			}
			if i < len(gl) {
				b = gl[i]
			}
			if a != b {
				t.Errorf("%s/%s decodes differently:\nwant %s\ngot  %s", source, name, around(a, b), around(b, a))
				break
			}
		}
	}
	for name := range g {
		if _, ok := w[name]; !ok {
			t.Errorf("%s/%s: a payload without golden results (run go test ./models -run TestGolden -update)", source, name)
		}
	}
	if bad > 10 {
		t.Errorf("%s: %d payloads decode differently in all", source, bad)
	}
}

// around returns the part of line a around its first difference from b.
func around(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from, to := max(i-150, 0), min(i+250, len(a))
	out := a[from:to]
	if from > 0 {
		out = "…" + out
	}
	if to < len(a) {
		out += "…"
	}
	return out
}

// dumpValue prints v completely and deterministically: every non-zero struct
// field (unexported ones too), nil apart from empty, map keys sorted, the dynamic
// type of interface values (float64 apart from json.Number), times as instant and
// location.
func dumpValue(v reflect.Value) string {
	var b strings.Builder
	dump(&b, v)
	return b.String()
}

var timeType = reflect.TypeFor[time.Time]()

func dump(b *strings.Builder, v reflect.Value) {
	switch v.Kind() {
	case reflect.Invalid:
		b.WriteString("nil")
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		b.WriteByte('&')
		dump(b, v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		fmt.Fprintf(b, "%s(", v.Elem().Type())
		dump(b, v.Elem())
		b.WriteByte(')')
	case reflect.Struct:
		if v.Type() == timeType && v.CanInterface() {
			tm := v.Interface().(time.Time)
			fmt.Fprintf(b, "time(%s %q)", tm.Format(time.RFC3339Nano), tm.Location())
			return
		}
		fmt.Fprintf(b, "%s{", v.Type())
		first := true
		for i := range v.NumField() {
			f := v.Field(i)
			if f.IsZero() {
				continue
			}
			if !first {
				b.WriteString(", ")
			}
			first = false
			b.WriteString(v.Type().Field(i).Name)
			b.WriteByte(':')
			dump(b, f)
		}
		b.WriteByte('}')
	case reflect.Slice:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b.WriteString("b" + strconv.Quote(string(v.Bytes())))
			return
		}
		fallthrough
	case reflect.Array:
		b.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			dump(b, v.Index(i))
		}
		b.WriteByte(']')
	case reflect.Map:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		type kv struct{ k, v string }
		var items []kv
		for _, k := range v.MapKeys() {
			items = append(items, kv{dumpValue(k), dumpValue(v.MapIndex(k))})
		}
		sort.Slice(items, func(i, j int) bool { return items[i].k < items[j].k })
		b.WriteByte('{')
		for i, it := range items {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(it.k + ": " + it.v)
		}
		b.WriteByte('}')
	case reflect.String:
		b.WriteString(strconv.Quote(v.String()))
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	default:
		panic("golden dump: unexpected kind " + v.Kind().String() + " in " + v.Type().String())
	}
}

// TestGoldenDumpTellsApart proves the dump sees the differences a decoder rewrite
// could introduce and json.Marshal hides.
func TestGoldenDumpTellsApart(t *testing.T) {
	t.Parallel()
	var withSignal, without models.ConnectorPagination
	if err := json.Unmarshal([]byte(`{"page":1,"hasMore":false}`), &withSignal); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`{"page":1}`), &without); err != nil {
		t.Fatal(err)
	}
	paris := time.FixedZone("CET", 3600)
	instant := time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
	pairs := [][2]any{
		{withSignal, without}, // an unexported field
		{models.ConnectorInstance{AppCategories: []string{}}, models.ConnectorInstance{}},
		{models.ConnectorInstance{Extra: map[string]json.RawMessage{"a": []byte(`1`)}}, models.ConnectorInstance{Extra: map[string]json.RawMessage{"a": []byte(`1.0`)}}},
		{models.ConnectorAuthConfig{Values: map[string]any{"n": float64(1)}}, models.ConnectorAuthConfig{Values: map[string]any{"n": json.Number("1")}}},
		{models.NewTimestamp(instant), models.NewTimestamp(instant.In(paris))},
		{models.ConnectorInstance{Config: json.RawMessage(`{"a":1}`)}, models.ConnectorInstance{Config: json.RawMessage(`{"a": 1}`)}},
		{models.ConnectionPage{Total: models.Ptr(0)}, models.ConnectionPage{}},
		{models.Nullable[string]{}, models.Null[string]()},
	}
	for i, p := range pairs {
		a, b := dumpValue(reflect.ValueOf(p[0])), dumpValue(reflect.ValueOf(p[1]))
		if a == b {
			t.Errorf("pair %d: both dump as %s", i, a)
		}
	}
}

// ---- harvesting (with -update)

// writePayloads replaces the payloads of source with data, one file each, named
// origin-<hash>; identical payloads are kept once.
func writePayloads(t *testing.T, source string, payloads map[string][]byte) {
	t.Helper()
	dir := filepath.Join(goldenDir, "payloads", source)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil { //nolint:gosec // G301: a committed test directory
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, origin := range slices.Sorted(func(yield func(string) bool) {
		for k := range payloads {
			if !yield(k) {
				return
			}
		}
	}) {
		data := payloads[origin]
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:])
		if seen[h] {
			continue
		}
		seen[h] = true
		prefix, _, _ := strings.Cut(origin, "#")
		if err := os.WriteFile(filepath.Join(dir, prefix+"-"+h[:12]), data, 0o644); err != nil { //nolint:gosec // G306: a committed test file
			t.Fatal(err)
		}
	}
}

// harvestFuzz collects the values of the root module's fuzz corpora and the
// string seeds of the fuzz targets.
func harvestFuzz(t *testing.T) {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir("../testdata/fuzz", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path) //nolint:gosec // G122: the repository's own test corpus
		if err != nil {
			return err
		}
		target := filepath.Base(filepath.Dir(path))
		for i, line := range strings.Split(string(b), "\n")[1:] {
			open, end := strings.IndexByte(line, '('), strings.LastIndexByte(line, ')')
			if open < 0 || end <= open {
				continue
			}
			if s, err := strconv.Unquote(line[open+1 : end]); err == nil && s != "" {
				out[fmt.Sprintf("%s-%s#%d", target, d.Name(), i)] = []byte(s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"../fuzz_reliability_test.go", "../fuzz_test.go", "fuzz_test.go"} {
		for i, s := range literals(t, file, true) {
			out[fmt.Sprintf("seed#%s#%d", file, i)] = []byte(s)
		}
	}
	writePayloads(t, "fuzz", out)
}

// harvestTests collects the JSON-looking string literals of this package's tests
// and of the root package's tests.
func harvestTests(t *testing.T) {
	t.Helper()
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Glob("../*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, file := range append(files, root...) {
		if filepath.Base(file) == "golden_test.go" {
			continue
		}
		prefix := "models"
		if strings.HasPrefix(file, "..") {
			prefix = "root"
		}
		for i, s := range literals(t, file, false) {
			if s = strings.TrimSpace(s); len(s) > 1 && (s[0] == '{' || s[0] == '[') {
				out[fmt.Sprintf("%s#%s#%d", prefix, file, i)] = []byte(s)
			}
		}
	}
	writePayloads(t, "tests", out)
}

// literals returns the string literals of file: with fuzzSeeds, only those in
// f.Add calls and []string literals inside Fuzz functions.
func literals(t *testing.T, file string, fuzzSeeds bool) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	add := func(e ast.Expr) {
		if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				out = append(out, s)
			}
		}
	}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if fuzzSeeds && (!ok || !strings.HasPrefix(fn.Name.Name, "Fuzz")) {
			continue
		}
		ast.Inspect(d, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if !fuzzSeeds {
					add(n)
				}
			case *ast.CompositeLit:
				if at, ok := n.Type.(*ast.ArrayType); ok && fuzzSeeds {
					if id, ok := at.Elt.(*ast.Ident); ok && id.Name == "string" {
						for _, e := range n.Elts {
							add(e)
						}
					}
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && fuzzSeeds && sel.Sel.Name == "Add" {
					for _, a := range n.Args {
						if c, ok := a.(*ast.CallExpr); ok && len(c.Args) == 1 {
							a = c.Args[0] // []byte("…")
						}
						add(a)
					}
				}
			}
			return true
		})
	}
	return out
}

// TestGoldenPayloadsAreReadable guards the corpus itself: the harvested sources
// are not empty and hold the shapes the decoders care about.
func TestGoldenPayloadsAreReadable(t *testing.T) {
	t.Parallel()
	for source, want := range map[string]string{
		"fuzz":        `"createdAtTimestamp":1700000000000`,
		"tests":       `"_key"`,
		"conformance": `"connectorId"`,
		"bench":       `"createdAtTimestamp"`,
	} {
		found := false
		for _, p := range readPayloads(t, source) {
			found = found || bytes.Contains(p.data, []byte(want))
		}
		if !found {
			t.Errorf("no payload of %s holds %s", source, want)
		}
	}
}

// TestMain pins time.Local to UTC: time.Parse gives a time in Local when an
// offset matches Local's, so that the golden times do not depend on the TZ of the
// machine.
func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}
