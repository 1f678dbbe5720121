// Package redact hides the secrets of the SDK's models when they are printed or
// logged. Packages Register, per struct type, the fields that hold secrets and how
// each is hidden; Copy returns a copy of a value with those fields hidden at every
// depth; Format and LogValue print and log that copy field by field. The types that use it
// implement fmt.Formatter and slog.LogValuer with one line each, and leave their
// JSON encoding alone: json.Marshal stays the one faithful view.
package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Mark replaces every hidden value.
const Mark = "[REDACTED]"

// Kind says how a field's value is hidden.
type Kind uint8

const (
	// Keys hides every value of a map (map[string]any, map[string]json.RawMessage)
	// or of a JSON object (json.RawMessage) and keeps its keys, so a reader still
	// sees which settings are there. JSON that is not an object becomes Mark whole.
	Keys Kind = iota + 1
	// Value hides a whole string, when it is not empty.
	Value
	// URL keeps a URL's scheme and host and hides the rest (path, query, fragment,
	// user info): for URLs that may carry a secret in their path, such as webhooks.
	URL
	// Query keeps a URL but hides the value of every query parameter (names kept,
	// as the root package's errors do) and any password in its user info.
	Query
	// Names hides, in a map (map[string]any, map[string]json.RawMessage) or a JSON
	// object (json.RawMessage), the values of the members named like a secret
	// (SecretName), at every depth, and keeps the rest: for open members nobody
	// has vetted one by one, such as the settings and status a server adds to a
	// model. The values under a member named values or customValues inside a
	// member named auth are hidden whatever their names (an auth schema's values
	// are credentials), and a webhook URL keeps only its scheme and host (as
	// URL). Booleans and nulls are never hidden: they cannot hold a secret.
	Names
)

// registry holds the secret fields of every registered type, by Go field name.
var registry = struct {
	sync.RWMutex
	fields map[reflect.Type]map[string]Kind
	deep   map[reflect.Type]bool // the type holds a secret field at some depth
}{fields: map[reflect.Type]map[string]Kind{}, deep: map[reflect.Type]bool{}}

// Register adds the secret fields of some struct types: per type, its secret fields
// by Go name and how each is hidden. Packages register their types in a package
// variable's initializer, before any value is printed. Register panics if a type is
// not a struct, or names a field it does not have or that the kind cannot hide:
// those are mistakes, caught when the package loads. It returns true, for use in
// a variable declaration.
func Register(fields map[reflect.Type]map[string]Kind) bool {
	for t, fs := range fields {
		if t.Kind() != reflect.Struct {
			panic(fmt.Sprintf("redact: %v is not a struct", t))
		}
		for name, k := range fs {
			f, ok := t.FieldByName(name)
			if !ok || !f.IsExported() || len(f.Index) != 1 {
				panic(fmt.Sprintf("redact: %v has no exported field %s", t, name))
			}
			if !fits(f.Type, k) {
				panic(fmt.Sprintf("redact: %v.%s (%v) cannot be hidden as kind %d", t, name, f.Type, k))
			}
		}
	}
	registry.Lock()
	defer registry.Unlock()
	for t, fs := range fields {
		registry.fields[t] = fs
	}
	clear(registry.deep)
	return true
}

var rawMessageType = reflect.TypeFor[json.RawMessage]()

func fits(t reflect.Type, k Kind) bool {
	switch k {
	case Keys:
		if t == rawMessageType {
			return true
		}
		if t.Kind() == reflect.Map {
			return t.Key().Kind() == reflect.String &&
				(t.Elem().Kind() == reflect.Interface || t.Elem() == rawMessageType || t.Elem().Kind() == reflect.String)
		}
		if inner, ok := optionalOf(t); ok {
			return fits(inner, k)
		}
		return false
	case Names:
		if t == rawMessageType {
			return true
		}
		if t.Kind() == reflect.Map {
			return t.Key().Kind() == reflect.String && (t.Elem().Kind() == reflect.Interface || t.Elem() == rawMessageType)
		}
		if inner, ok := optionalOf(t); ok {
			return fits(inner, k)
		}
		return false
	case Value, URL, Query:
		return t.Kind() == reflect.String
	}
	return false
}

// optionalOf reports whether t is an optional wrapper, such as models.Nullable: a
// struct with a method Get() (T, bool) whose pointer decodes JSON. It returns T.
func optionalOf(t reflect.Type) (reflect.Type, bool) {
	if t.Kind() != reflect.Struct || !reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		return nil, false
	}
	get, ok := t.MethodByName("Get")
	if !ok || get.Type.NumIn() != 1 || get.Type.NumOut() != 2 || get.Type.Out(1).Kind() != reflect.Bool {
		return nil, false
	}
	return get.Type.Out(0), true
}

// Fields returns the registered secret fields of t by Go name, and their kinds.
func Fields(t reflect.Type) map[string]Kind {
	registry.RLock()
	defer registry.RUnlock()
	return registry.fields[t]
}

// Holds reports whether a value of type t holds a registered secret field at some
// depth (in itself, a field, an element, a pointee).
func Holds(t reflect.Type) bool {
	registry.RLock()
	found, ok := registry.deep[t]
	registry.RUnlock()
	if ok {
		return found
	}
	registry.Lock()
	defer registry.Unlock()
	return holds(t, map[reflect.Type]bool{})
}

// holds runs with the registry locked.
func holds(t reflect.Type, seen map[reflect.Type]bool) bool {
	if v, ok := registry.deep[t]; ok {
		return v
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	found := false
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		found = holds(t.Elem(), seen)
	case reflect.Struct:
		found = len(registry.fields[t]) > 0
		for i := 0; i < t.NumField() && !found; i++ {
			if t.Field(i).IsExported() {
				found = holds(t.Field(i).Type, seen)
			}
		}
	}
	registry.deep[t] = found
	return found
}

// Copy returns a copy of v, of the same type, with every registered secret field
// hidden at every depth. v itself is left as it was.
func Copy(v any) any {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return v
	}
	return copyValue(rv).Interface()
}

func copyValue(v reflect.Value) reflect.Value {
	t := v.Type()
	if !Holds(t) {
		return v
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(t.Elem())
		out.Elem().Set(copyValue(v.Elem()))
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(copyValue(v.Index(i)))
		}
		return out
	case reflect.Array:
		out := reflect.New(t).Elem()
		for i := range v.Len() {
			out.Index(i).Set(copyValue(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(t, v.Len())
		iter := v.MapRange()
		for iter.Next() {
			out.SetMapIndex(iter.Key(), copyValue(iter.Value()))
		}
		return out
	case reflect.Struct:
		out := reflect.New(t).Elem()
		out.Set(v) // unexported fields too; they hold no secret (Holds looks at exported ones)
		secret := Fields(t)
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if k, ok := secret[f.Name]; ok {
				out.Field(i).Set(hide(v.Field(i), k))
			} else if Holds(f.Type) {
				out.Field(i).Set(copyValue(v.Field(i)))
			}
		}
		return out
	}
	return v
}

// hide returns v hidden as k says.
func hide(v reflect.Value, k Kind) reflect.Value {
	t := v.Type()
	switch k {
	case Keys:
		if t == rawMessageType {
			return reflect.ValueOf(hideJSON(v.Bytes())).Convert(t)
		}
		if t.Kind() == reflect.Struct { // an optional wrapper (fits checked it)
			return hideOptional(v, k)
		}
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(t, v.Len())
		mark := reflect.ValueOf(Mark)
		if t.Elem() == rawMessageType {
			mark = reflect.ValueOf(json.RawMessage(`"` + Mark + `"`))
		}
		mark = mark.Convert(t.Elem())
		for _, key := range v.MapKeys() {
			out.SetMapIndex(key, mark)
		}
		return out
	case Names:
		return hideNames(v)
	case Value:
		if v.Len() == 0 {
			return v
		}
		return reflect.ValueOf(Mark).Convert(t)
	case URL:
		return reflect.ValueOf(hideURL(v.String(), false)).Convert(t)
	case Query:
		return reflect.ValueOf(hideURL(v.String(), true)).Convert(t)
	}
	panic("redact: unknown kind")
}

// hideOptional hides the value an optional wrapper holds, and leaves an absent or
// null one as it is. The wrapper is rebuilt through its JSON decoding, the one way
// in from outside its package; should that fail, the zero (absent) wrapper stands
// in, which shows nothing.
func hideOptional(v reflect.Value, k Kind) reflect.Value {
	got := v.MethodByName("Get").Call(nil)
	if !got[1].Bool() {
		return v
	}
	b, err := json.Marshal(hide(got[0], k).Interface())
	out := reflect.New(v.Type())
	if err != nil || out.Interface().(json.Unmarshaler).UnmarshalJSON(b) != nil {
		return reflect.Zero(v.Type())
	}
	return out.Elem()
}

// hideJSON keeps the keys of a JSON object and hides their values; any other
// JSON (or none that parses) becomes the JSON string Mark. Empty input and null
// stay as they are.
func hideJSON(b []byte) json.RawMessage {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return json.RawMessage(b)
	}
	var obj map[string]json.RawMessage
	if trimmed[0] != '{' || json.Unmarshal(trimmed, &obj) != nil {
		return json.RawMessage(`"` + Mark + `"`)
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out bytes.Buffer
	out.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			out.WriteByte(',')
		}
		kb, _ := json.Marshal(k) // a string always marshals
		out.Write(kb)
		out.WriteString(`:"` + Mark + `"`)
	}
	out.WriteByte('}')
	return out.Bytes()
}

// hideURL hides a URL's secrets. With query, every query value and the password
// are hidden; otherwise everything after the host. A string that does
// not parse as an absolute URL becomes Mark, unless empty.
func hideURL(s string, query bool) string {
	if s == "" {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || (!query && u.Host == "") {
		return Mark
	}
	if !query {
		rest := u.EscapedPath() != "" && u.EscapedPath() != "/" || u.RawQuery != "" || u.Fragment != "" || u.User != nil
		out := u.Scheme + "://" + u.Host
		if rest {
			out += "/" + Mark
		}
		return out
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), Mark)
	}
	if u.RawQuery == "" {
		return u.String()
	}
	parts := strings.Split(u.RawQuery, "&")
	for i, part := range parts {
		if part == "" {
			continue
		}
		key, _, _ := strings.Cut(part, "=")
		parts[i] = key + "=" + Mark // unescaped: this URL is for reading, not for sending
	}
	u.RawQuery = strings.Join(parts, "&")
	return u.String()
}

// Format prints v, a struct (or a pointer to one) already hidden by Copy, as fmt
// prints a struct for verb, field by field, without calling v's own methods. Each
// field is printed with the same verb and flags, so nested types with a Format of
// their own hide their secrets too. json.RawMessage fields print as text for %v.
func Format(f fmt.State, verb rune, v any) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			_, _ = io.WriteString(f, "<nil>")
			return
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), v)
		return
	}
	directive := fmt.FormatString(f, verb)
	sharp := verb == 'v' && f.Flag('#')
	names := verb == 'v' && (sharp || f.Flag('+'))
	t := rv.Type()
	if sharp {
		_, _ = io.WriteString(f, t.String())
	}
	_, _ = io.WriteString(f, "{")
	for i := range t.NumField() {
		if i > 0 {
			if sharp {
				_, _ = io.WriteString(f, ", ")
			} else {
				_, _ = io.WriteString(f, " ")
			}
		}
		field := t.Field(i)
		if names {
			_, _ = io.WriteString(f, field.Name+":")
		}
		fv := rv.Field(i)
		switch {
		case field.Type == rawMessageType && verb == 'v' && !sharp:
			_, _ = f.Write(fv.Bytes())
		case field.IsExported():
			_, _ = fmt.Fprintf(f, directive, fv.Interface())
		default:
			_, _ = fmt.Fprintf(f, directive, fv) // fmt prints what a reflect.Value holds
		}
	}
	_, _ = io.WriteString(f, "}")
}

// LogValue returns v, a struct (or a pointer to one) already hidden by Copy, as a
// slog group of its non-zero exported fields, keyed by their JSON names (the Go
// name, first letter lowered, for fields JSON leaves out). Nested values that are
// slog.LogValuers are resolved by the handler; json.RawMessage becomes a string.
func LogValue(v any) slog.Value {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return slog.Value{}
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return slog.AnyValue(v)
	}
	t := rv.Type()
	attrs := make([]slog.Attr, 0, t.NumField())
	for i := range t.NumField() {
		field := t.Field(i)
		fv := rv.Field(i)
		if !field.IsExported() || fv.IsZero() {
			continue
		}
		key := jsonName(field)
		if field.Type == rawMessageType {
			attrs = append(attrs, slog.String(key, string(fv.Bytes())))
			continue
		}
		attrs = append(attrs, slog.Any(key, fv.Interface()))
	}
	return slog.GroupValue(attrs...)
}

// jsonName is the key of field in JSON, or its Go name with the first letter
// lowered when JSON leaves it out.
func jsonName(field reflect.StructField) string {
	name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
	if name != "" && name != "-" {
		return name
	}
	r, size := utf8.DecodeRuneInString(field.Name)
	return string(unicode.ToLower(r)) + field.Name[size:]
}
