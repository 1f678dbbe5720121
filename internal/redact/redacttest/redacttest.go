// Package redacttest checks that types registered with package redact hide their
// secrets when printed and logged. The models' and the root package's tests use it
// on every type they declare, so that a new secret field or type cannot be
// forgotten.
package redacttest

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/connapi/connapi-go/internal/redact"
)

// Secret starts every planted secret value.
const Secret = "PLANTEDSECRET"

// Shown starts every planted value that is not secret, which printing must keep.
const Shown = "shownvalue"

// Verbs are the fmt directives every secret-bearing type is printed with.
var Verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%+q", "%x", "%X", "%d", "%t", "%30v", "%-30s"}

// leaks returns the forms of Secret found in out: raw, or hex-encoded (%x, %X).
func leaks(out string) []string {
	var found []string
	for _, form := range []string{Secret, hex.EncodeToString([]byte(Secret)), strings.ToUpper(hex.EncodeToString([]byte(Secret)))} {
		if strings.Contains(out, form) {
			found = append(found, form)
		}
	}
	return found
}

// Plant returns a value of type t whose registered secret fields, at every depth,
// hold values starting with Secret, whose other string fields hold values starting
// with Shown, and whose pointers, slices and structs on the way to a secret are
// filled in.
func Plant(t testing.TB, typ reflect.Type) reflect.Value {
	t.Helper()
	n := 0
	return plant(t, typ, &n, 0)
}

func plant(t testing.TB, typ reflect.Type, n *int, depth int) reflect.Value {
	t.Helper()
	v := reflect.New(typ).Elem()
	if depth > 8 {
		return v
	}
	switch typ.Kind() {
	case reflect.Pointer:
		v.Set(plant(t, typ.Elem(), n, depth+1).Addr())
	case reflect.Slice:
		if redact.Holds(typ.Elem()) {
			v.Set(reflect.Append(v, plant(t, typ.Elem(), n, depth+1)))
		}
	case reflect.Struct:
		secret := redact.Fields(typ)
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			*n++
			if k, ok := secret[f.Name]; ok {
				v.Field(i).Set(secretValue(t, f.Type, k, *n))
			} else if redact.Holds(f.Type) {
				v.Field(i).Set(plant(t, f.Type, n, depth+1))
			} else if f.Type.Kind() == reflect.String {
				v.Field(i).SetString(fmt.Sprintf("%s%d", Shown, *n))
			}
		}
	}
	return v
}

// secretValue is a planted value of type typ for kind k.
func secretValue(t testing.TB, typ reflect.Type, k redact.Kind, n int) reflect.Value {
	t.Helper()
	s := fmt.Sprintf("%s%d", Secret, n)
	var src any
	switch k {
	case redact.Value:
		src = s
	case redact.URL:
		src = "https://hooks.example.com/" + s + "?sig=" + s
	case redact.Query:
		src = "https://auth.example.com/authorize?client_id=" + Shown + "&state=" + s + "&code=" + s
	case redact.Keys:
		src = map[string]any{"apiKey": s, "oauth": map[string]any{"credentials": map[string]any{"access_token": s}}}
	case redact.Names:
		src = map[string]any{
			"apiKey": s, "status": Shown, "isLocked": true, "oauth": map[string]any{"credentials": map[string]any{"access_token": s}},
			"nested":     []any{map[string]any{"client_secret": s, "name": Shown}},
			"auth":       map[string]any{"authType": Shown, "values": map[string]any{"domain": s}},
			"webhookUrl": "https://hooks.example.com/" + s, "tokenUrl": "https://auth.example.com/token?key=" + s,
		}
	}
	b, err := json.Marshal(src)
	if err != nil {
		t.Fatal(err)
	}
	if typ == reflect.TypeFor[json.RawMessage]() {
		return reflect.ValueOf(json.RawMessage(b))
	}
	out := reflect.New(typ)
	if err := json.Unmarshal(b, out.Interface()); err != nil {
		t.Fatalf("planting %v: %v", typ, err)
	}
	return out.Elem()
}

// CheckHidden prints and logs v (a planted value) and its pointer in every way a
// program would, and fails t for every output that shows a planted secret. It also
// checks that the output keeps what is not secret, that json.Marshal still shows
// the secrets, and that printing left v as it was.
func CheckHidden(t *testing.T, v reflect.Value) {
	t.Helper()
	name := v.Type().String()
	before, jerr := json.Marshal(v.Interface())
	if jerr == nil && len(leaks(string(before))) == 0 {
		t.Errorf("%s: json.Marshal shows no planted secret: the plant or the encoding is wrong: %s", name, before)
	}
	ptr := reflect.New(v.Type())
	ptr.Elem().Set(v)
	outs := map[string]string{}
	for _, x := range []struct {
		what string
		val  any
	}{{"value", v.Interface()}, {"pointer", ptr.Interface()}} {
		for _, verb := range Verbs {
			outs[x.what+" "+verb] = fmt.Sprintf(verb, x.val)
		}
		outs[x.what+" Sprint"] = fmt.Sprint(x.val)
		outs[x.what+" Errorf"] = fmt.Errorf("failed: %v", x.val).Error()
		for _, h := range []struct {
			name string
			new  func(*bytes.Buffer) slog.Handler
		}{
			{"slog JSON", func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) }},
			{"slog text", func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }},
		} {
			var buf bytes.Buffer
			l := slog.New(h.new(&buf))
			l.Info("msg", "v", x.val)
			l.Info("msg", slog.Group("g", "v", x.val))
			l.With("v", x.val).Info("msg")
			outs[x.what+" "+h.name] = buf.String()
		}
	}
	keys := make([]string, 0, len(outs))
	for k := range outs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if found := leaks(outs[k]); len(found) > 0 {
			t.Errorf("%s, %s shows a secret (%s):\n%s", name, k, strings.Join(found, ", "), outs[k])
		}
	}
	// What is not secret stays visible: the keys of hidden maps, and plain fields.
	if s := outs["value %+v"]; !strings.Contains(s, redact.Mark) {
		t.Errorf("%s: %%+v shows no %s:\n%s", name, redact.Mark, s)
	}
	for _, k := range []string{"value %+v", "value slog JSON", "value slog text"} {
		if hasShown(v.Type()) && !strings.Contains(outs[k], Shown) {
			t.Errorf("%s: %s hides what is not secret too:\n%s", name, k, outs[k])
		}
	}
	after, _ := json.Marshal(v.Interface())
	if !bytes.Equal(before, after) {
		t.Errorf("%s: printing changed the value:\nbefore %s\nafter  %s", name, before, after)
	}
}

// hasShown reports whether Plant puts a Shown value into a type: a plain string
// field of it, or of a type on the way to a secret.
func hasShown(typ reflect.Type) bool {
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct {
		return false
	}
	secret := redact.Fields(typ)
	for i := range typ.NumField() {
		f := typ.Field(i)
		if !f.IsExported() {
			continue
		}
		if _, ok := secret[f.Name]; !ok && (f.Type.Kind() == reflect.String || (redact.Holds(f.Type) && hasShown(f.Type))) {
			return true
		}
	}
	return false
}

// DeclaredStructs returns the names of the struct types declared in the non-test
// Go files of dir (generic types without their type parameters).
func DeclaredStructs(t testing.TB, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f) //nolint:gosec // G304: a source file of the package under test
		if err != nil {
			t.Fatal(err)
		}
		af, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				if _, ok := ts.Type.(*ast.StructType); ok && ts.Name.IsExported() {
					names = append(names, ts.Name.Name)
				}
			}
		}
	}
	sort.Strings(names)
	return names
}

// suspiciousName matches the names of string fields that may hold a secret.
var suspiciousName = regexp.MustCompile(`(?i)token|secret|passw|credential|key|code|state|cookie|session|signature|url|uri`)

// Suspicious lists the exported fields of the struct types given that may carry a
// secret, as "Type.Field": maps, interfaces, json.RawMessage, byte slices, optional
// wrappers of those, and strings whose names suggest one.
func Suspicious(types []reflect.Type) []string {
	var out []string
	for _, typ := range types {
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() || f.Anonymous {
				continue
			}
			if suspiciousType(f.Type) || (f.Type.Kind() == reflect.String && suspiciousName.MatchString(f.Name)) {
				out = append(out, typeName(typ)+"."+f.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

func suspiciousType(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == reflect.TypeFor[json.RawMessage](), t.Kind() == reflect.Map, t.Kind() == reflect.Interface:
		return true
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return true
	case t.Kind() == reflect.Struct && strings.HasPrefix(t.Name(), "Nullable["):
		return strings.Contains(t.Name(), "map[") || strings.Contains(t.Name(), "interface")
	}
	return false
}

// typeName is t's name without its package or type arguments.
func typeName(t reflect.Type) string {
	name, _, _ := strings.Cut(t.Name(), "[")
	return name
}

// CheckDeclared fails t unless types (one per struct type declared in dir) names
// every one of them, every type that holds a secret implements fmt.Formatter and
// slog.LogValuer (value and pointer), and every suspicious field is either
// registered as a secret or listed in reviewed with the reason it is not one.
func CheckDeclared(t *testing.T, dir string, types []reflect.Type, reviewed map[string]string) {
	t.Helper()
	have := map[string]bool{}
	for _, typ := range types {
		have[typeName(typ)] = true
	}
	for _, name := range DeclaredStructs(t, dir) {
		if !have[name] {
			t.Errorf("struct type %s is not in the redaction test's list of types: add it, so that its secrets (if any) are checked", name)
		}
	}
	formatter := reflect.TypeFor[fmt.Formatter]()
	valuer := reflect.TypeFor[slog.LogValuer]()
	for _, typ := range types {
		if !redact.Holds(typ) {
			continue
		}
		for _, tt := range []reflect.Type{typ, reflect.PointerTo(typ)} {
			if !tt.Implements(formatter) || !tt.Implements(valuer) {
				t.Errorf("%v holds a secret field but does not implement both fmt.Formatter and slog.LogValuer: add its Format and LogValue (one line each, see redact.go)", tt)
			}
		}
	}
	for _, field := range Suspicious(types) {
		typ, name, _ := strings.Cut(field, ".")
		registered := false
		for _, tt := range types {
			if typeName(tt) == typ {
				_, registered = redact.Fields(tt)[name]
			}
		}
		_, ok := reviewed[field]
		switch {
		case registered && ok:
			t.Errorf("%s is registered as a secret and listed as reviewed safe: drop one", field)
		case !registered && !ok:
			t.Errorf("%s may carry a secret: register it in redact.go (how to hide it), or list it in the test's reviewed fields with the reason it is safe to print", field)
		}
	}
	all := map[string]bool{}
	for _, f := range Suspicious(types) {
		all[f] = true
	}
	for field := range reviewed {
		if !all[field] {
			t.Errorf("reviewed field %s no longer exists (or is no longer suspicious): drop it from the list", field)
		}
	}
}
