package redact

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

// secretWords mark a member whose value is a secret when its name, lower-cased
// and without separators, contains one of them: passwords, client secrets,
// tokens (access, refresh, id, API, personal), keys (API, private, access,
// signing), credentials, and what carries them.
var secretWords = []string{
	"secret", "password", "passwd", "passphrase", "token", "credential", "key",
	"authorization", "cookie", "signature", "connectionstring",
}

// secretNames are whole names (lower-cased, without separators) that hold a
// secret though they contain none of secretWords: an OAuth code, a personal access
// token (pat), the stored OAuth credentials PipesHub echoes in a config (oauth), a
// one-time password, a connection string (dsn).
var secretNames = map[string]bool{"code": true, "pat": true, "oauth": true, "otp": true, "pin": true, "dsn": true, "jwt": true}

// SecretName reports whether a member named name holds a secret, by the rule
// Names applies to the members nobody vetted: its name, lower-cased and without
// separators, contains secret, password, passwd, passphrase, token, credential,
// key, authorization, cookie, signature or connectionstring, or is code, pat,
// oauth, otp, pin, dsn or jwt. A name that ends in "type" or "types" names a kind,
// not a value (authType, tokenType, supportedAuthTypes), and "keyword" is not a
// key; status, isLocked and the like hold no secret word.
func SecretName(name string) bool {
	n := normalName(name)
	if strings.HasSuffix(n, "type") || strings.HasSuffix(n, "types") {
		return false
	}
	if secretNames[n] {
		return true
	}
	n = strings.ReplaceAll(n, "keyword", "")
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// normalName lower-cases name and drops everything but letters and digits, so
// that client_secret, clientSecret and client-secret are one name.
func normalName(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for _, r := range name {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			b.WriteRune(r)
		case 'A' <= r && r <= 'Z':
			b.WriteRune(r + ('a' - 'A'))
		case r > 0x7f:
			b.WriteString(strings.ToLower(string(r)))
		}
	}
	return b.String()
}

// hideNames hides v, a map or JSON object registered with kind Names.
func hideNames(v reflect.Value) reflect.Value {
	t := v.Type()
	if t == rawMessageType {
		return reflect.ValueOf(hideNamesJSON(v.Bytes())).Convert(t)
	}
	if t.Kind() == reflect.Struct { // an optional wrapper (fits checked it)
		return hideOptional(v, Names)
	}
	if v.IsNil() {
		return v
	}
	out := reflect.MakeMapWithSize(t, v.Len())
	iter := v.MapRange()
	for iter.Next() {
		name := iter.Key().String()
		e := iter.Value()
		var hidden reflect.Value
		if t.Elem() == rawMessageType {
			hidden = reflect.ValueOf(hideNamedJSON(name, e.Bytes()))
		} else {
			h := hideMember(name, plain(e.Interface()), false)
			if h == nil {
				hidden = reflect.Zero(t.Elem())
			} else {
				hidden = reflect.ValueOf(h)
			}
		}
		out.SetMapIndex(iter.Key(), hidden.Convert(t.Elem()))
	}
	return out
}

// hideNamesJSON hides the secret members of a JSON object or array, at every
// depth. Empty input and null stay as they are; any other JSON that is not an
// object or an array (or that does not parse) becomes the JSON string Mark, as
// nobody can tell what a bare value is.
func hideNamesJSON(b []byte) json.RawMessage {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return json.RawMessage(b)
	}
	v, ok := decodeJSON(trimmed)
	if !ok || (trimmed[0] != '{' && trimmed[0] != '[') {
		return json.RawMessage(`"` + Mark + `"`)
	}
	return encodeJSON(walkNames(v, false))
}

// hideNamedJSON hides the JSON value of a member named name.
func hideNamedJSON(name string, b []byte) json.RawMessage {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 {
		return json.RawMessage(b)
	}
	v, ok := decodeJSON(trimmed)
	if !ok {
		return json.RawMessage(`"` + Mark + `"`)
	}
	return encodeJSON(hideMember(name, v, false))
}

// hideMember returns the value of a member named name with its secrets hidden.
// inAuth says the member is inside one named auth.
func hideMember(name string, v any, inAuth bool) any {
	switch v.(type) {
	case nil, bool:
		return v
	}
	n := normalName(name)
	switch {
	case inAuth && (n == "values" || n == "customvalues"):
		return hideAll(v)
	case strings.HasSuffix(n, "webhookurl"):
		if s, ok := v.(string); ok {
			return hideURL(s, false)
		}
		return hideAll(v)
	case SecretName(name):
		if s, ok := v.(string); ok && (strings.HasSuffix(n, "url") || strings.HasSuffix(n, "uri")) {
			return hideURL(s, true) // a token endpoint: its query may carry one
		}
		return hideAll(v)
	}
	return walkNames(v, n == "auth")
}

// walkNames hides the secret members of v, a decoded JSON value, at every depth.
func walkNames(v any, inAuth bool) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = hideMember(k, e, inAuth)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = walkNames(e, false)
		}
		return out
	}
	return v
}

// hideAll hides a whole value: an object keeps its keys and every value but a
// boolean or null becomes Mark; anything else but a boolean or null becomes Mark.
func hideAll(v any) any {
	switch x := v.(type) {
	case nil, bool:
		return v
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			switch e.(type) {
			case nil, bool:
				out[k] = e
			default:
				out[k] = Mark
			}
		}
		return out
	}
	return Mark
}

// plain turns a Go value held in a map[string]any into the values JSON decodes
// to (maps, slices, strings, numbers, booleans, nil), so that its members are
// seen by name. A value JSON cannot encode becomes Mark.
func plain(v any) any {
	switch v.(type) {
	case nil, bool, string, float64, json.Number:
		return v
	case map[string]any, []any:
		// Their elements may be of other types still: walk them through JSON too.
	}
	b, err := json.Marshal(v)
	if err != nil {
		return Mark
	}
	out, ok := decodeJSON(b)
	if !ok {
		return Mark
	}
	return out
}

func decodeJSON(b []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || dec.More() {
		return nil, false
	}
	return v, true
}

// encodeJSON encodes a decoded JSON value without HTML escaping (the output is
// for reading).
func encodeJSON(v any) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return json.RawMessage(`"` + Mark + `"`)
	}
	return json.RawMessage(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}
