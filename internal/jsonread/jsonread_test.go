package jsonread

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

var seeds = []string{
	`{}`, `[]`, `null`, `true`, `false`, `0`, `-0`, `1.5e-3`, `"a\u00e9\ud83d\ude00\n"`, `"\xff"`,
	`{"a":[1,{"b":null}],"c":"d"}`, ` [ 1 , 2 ] `, `{"a":1,}`, `[1,]`, `01`, `1.`, `-`, `tru`, `"\x01"`, `"\q"`,
	`{"a" 1}`, `{1:2}`, "0\x00", "{}\x00", `[1 2]`, `{"a":1} x`, `"`, `"\u12"`, `99999999999999999999`, `1e3`, `-9223372036854775808`,
	strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth),
	strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1),
}

// FuzzReaderMatchesEncodingJSON: Skip accepts exactly what json.Valid accepts,
// and Str, Int and Bool read what json.Unmarshal reads into a string, an int and
// a bool (or refuse what it refuses).
func FuzzReaderMatchesEncodingJSON(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var r Reader
		r.Reset(b)
		r.Skip()
		if got, want := r.End() == nil, json.Valid(b); got != want {
			t.Fatalf("%q: Skip+End accepts %v, json.Valid %v (%v)", b, got, want, r.Err())
		}
		if !json.Valid(b) {
			return
		}
		var s string
		r.Reset(b)
		got, ok := r.Str()
		if wantErr := json.Unmarshal(b, &s); ok != (wantErr == nil && r.End() == nil) || ok && got != s {
			t.Fatalf("%q: Str %q %v, json.Unmarshal %q %v", b, got, ok, s, wantErr)
		}
		var n int
		r.Reset(b)
		gotN, ok := r.Int()
		isNull := string(bytes.TrimSpace(b)) == "null"
		if wantErr := json.Unmarshal(b, &n); ok != (wantErr == nil && !isNull) || ok && gotN != n {
			t.Fatalf("%q: Int %d %v, json.Unmarshal %d %v", b, gotN, ok, n, wantErr)
		}
	})
}
