// Package jsonread is a small validating JSON reader for the SDK's one-pass
// decoders (issue 12). It walks the bytes once: an object's members are decoded
// straight into their fields, and only the members a type keeps undecoded (Extra,
// Config) are copied as raw JSON. It reads what encoding/json reads: the same
// grammar, nesting limit, string unescaping (invalid UTF-8 becomes U+FFFD) and
// number rules for int fields.
//
// The typed reads (Str, Bool, Int, Strs) never fail on a value of another type:
// they report false and leave the reader where it was, so that the caller can keep
// the member in Extra the way the map-based decoders did. Syntax errors are found
// by Skip, which every unread value goes through, and are sticky.
package jsonread

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// MaxDepth is encoding/json's nesting limit.
const MaxDepth = 10000

// Reader reads one JSON text. The zero Reader reads nothing; Reset gives it bytes.
type Reader struct {
	data  []byte
	pos   int
	err   error
	depth int
	// intern, when set, shares the bytes of equal short strings across a page.
	intern map[string]string
}

// ErrDuplicate is the error of an object with a repeated known member (see
// Members.Known): a one-pass decoder hands such an object to a map-based one,
// whose last-one-wins reading it does not reproduce.
var ErrDuplicate = errors.New("duplicate member")

// Reset makes r read b from its start.
func (r *Reader) Reset(b []byte) { *r = Reader{data: b} }

// Sub returns a Reader of b that shares r's interning of strings.
func (r *Reader) Sub(b []byte) Reader { return Reader{data: b, intern: r.intern} }

// Err returns the first error met, nil if none.
func (r *Reader) Err() error { return r.err }

// Mark is a position of a Reader, to go back to with Rewind.
type Mark struct{ pos, depth int }

// Mark returns the current position.
func (r *Reader) Mark() Mark { return Mark{r.pos, r.depth} }

// Rewind goes back to m and forgets the error met since.
func (r *Reader) Rewind(m Mark) { r.pos, r.depth, r.err = m.pos, m.depth, nil }

// Intern makes SharedStr share the bytes of equal strings until the returned func
// is called; it does nothing (and returns a no-op) when interning is on already.
func (r *Reader) Intern() (stop func()) {
	if r.intern != nil {
		return func() {}
	}
	r.intern = make(map[string]string, 64)
	return func() { r.intern = nil }
}

func (r *Reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("offset %d: "+format, append([]any{r.pos}, args...)...)
	}
	r.pos = len(r.data)
}

func (r *Reader) ws() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// Peek returns the first byte of the next value, 0 at the end.
func (r *Reader) Peek() byte {
	r.ws()
	if r.pos < len(r.data) {
		return r.data[r.pos]
	}
	return 0
}

// End checks that only white space follows the top-level value.
func (r *Reader) End() error {
	r.ws()
	if r.err == nil && r.pos < len(r.data) {
		r.fail("invalid character %q after top-level value", r.data[r.pos])
	}
	return r.err
}

// literal consumes lit (true, false or null) if it is next.
func (r *Reader) literal(lit string) bool {
	if len(r.data)-r.pos >= len(lit) && string(r.data[r.pos:r.pos+len(lit)]) == lit {
		r.pos += len(lit)
		return true
	}
	return false
}

// Null consumes a null if it is next.
func (r *Reader) Null() bool {
	return r.Peek() == 'n' && r.literal("null")
}

// Skip validates and passes over the next value, and returns its bytes.
func (r *Reader) Skip() []byte {
	c := r.Peek()
	start := r.pos
	switch {
	case c == '{':
		r.Object()
		for first := true; r.Member(&first) != nil; {
			r.Skip()
		}
	case c == '[':
		r.Array()
		for first := true; r.Element(&first); {
			r.Skip()
		}
	case c == '"':
		r.stringEnd()
	case c == '-' || c >= '0' && c <= '9':
		r.number()
	case c == 't' && r.literal("true"), c == 'f' && r.literal("false"), c == 'n' && r.literal("null"):
	case c == 0:
		r.fail("unexpected end of JSON input")
	default:
		r.fail("invalid character %q looking for beginning of value", c)
	}
	if r.err != nil {
		return nil
	}
	return r.data[start:r.pos]
}

// Object consumes the '{' of an object if one is next. Its members are then read
// with member, to the end, which the nesting depth counts on.
func (r *Reader) Object() bool {
	if r.Peek() != '{' {
		return false
	}
	r.pos++
	r.nest()
	return true
}

// nest counts one more level of nesting, and fails past encoding/json's limit.
func (r *Reader) nest() {
	r.depth++
	if r.depth > MaxDepth {
		r.fail("exceeded max depth")
	}
}

// Member moves to the next member of an object whose '{' was consumed, consumes
// its name and colon, and returns the name (unescaped); nil after the '}' or on
// an error. first is the loop's state, true before the first member.
func (r *Reader) Member(first *bool) []byte {
	if r.err != nil {
		return nil
	}
	c := r.Peek()
	if c == '}' {
		r.pos++
		r.depth--
		return nil
	}
	if !*first {
		if c != ',' {
			r.fail("invalid character %q after object member", c)
			return nil
		}
		r.pos++
		c = r.Peek()
	}
	*first = false
	if c != '"' {
		r.fail("invalid character %q looking for beginning of object key string", c)
		return nil
	}
	start := r.pos
	simple := r.stringEnd()
	if r.err != nil {
		return nil
	}
	key := r.data[start+1 : r.pos-1]
	if !simple {
		var s string
		if err := json.Unmarshal(r.data[start:r.pos], &s); err != nil {
			r.fail("%v", err)
			return nil
		}
		key = []byte(s)
	}
	if r.Peek() != ':' {
		r.fail("invalid character after object key")
		return nil
	}
	r.pos++
	return key
}

// Array consumes the '[' of an array if one is next. Its elements are then read
// with element, to the end.
func (r *Reader) Array() bool {
	if r.Peek() != '[' {
		return false
	}
	r.pos++
	r.nest()
	return true
}

// Element moves to the next element of an array whose '[' was consumed; false
// after the ']' or on an error.
func (r *Reader) Element(first *bool) bool {
	if r.err != nil {
		return false
	}
	c := r.Peek()
	if c == ']' {
		r.pos++
		r.depth--
		return false
	}
	if !*first {
		if c != ',' {
			r.fail("invalid character %q after array element", c)
			return false
		}
		r.pos++
	}
	*first = false
	return r.err == nil
}

// stringEnd passes over the string starting at r.pos (a '"') and reports whether
// its bytes are its value: no escape, valid UTF-8.
func (r *Reader) stringEnd() (simple bool) {
	simple = true
	ascii := true
	i := r.pos + 1
	for i < len(r.data) {
		c := r.data[i]
		switch {
		case c == '"':
			if !ascii && simple {
				simple = utf8.Valid(r.data[r.pos+1 : i])
			}
			r.pos = i + 1
			return simple
		case c == '\\':
			simple = false
			if i+1 >= len(r.data) {
				i = len(r.data)
				continue
			}
			switch r.data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(r.data) || !isHex4(r.data[i+2:i+6]) {
					r.pos = i
					r.fail("invalid \\u escape in string literal")
					return false
				}
				i += 6
			default:
				r.pos = i
				r.fail("invalid escape in string literal")
				return false
			}
		case c < 0x20:
			r.pos = i
			r.fail("invalid character %q in string literal", c)
			return false
		default:
			if c >= utf8.RuneSelf {
				ascii = false
			}
			i++
		}
	}
	r.pos = len(r.data)
	r.fail("unexpected end of JSON input")
	return false
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// number passes over a number, checking JSON's grammar.
func (r *Reader) number() {
	d := r.data
	i := r.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	digits := func() bool {
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		return i > j
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case !digits():
		r.pos = i
		r.fail("invalid number")
		return
	}
	if i < len(d) && d[i] == '.' {
		i++
		if !digits() {
			r.pos = i
			r.fail("invalid number")
			return
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if !digits() {
			r.pos = i
			r.fail("invalid number")
			return
		}
	}
	r.pos = i
}

// Str reads a string as encoding/json does; false, with nothing consumed, for
// any other value.
func (r *Reader) Str() (string, bool) {
	if r.Peek() != '"' {
		return "", false
	}
	start := r.pos
	simple := r.stringEnd()
	if r.err != nil {
		return "", false
	}
	if simple {
		return string(r.data[start+1 : r.pos-1]), true
	}
	var s string
	if json.Unmarshal(r.data[start:r.pos], &s) != nil {
		r.pos = start
		return "", false
	}
	return s, true
}

// SharedStr is str for the values that repeat across the items of a page (types,
// scopes, owners): while a page is decoded (intern set), equal ones share their
// bytes.
func (r *Reader) SharedStr() (string, bool) {
	if r.intern == nil || r.Peek() != '"' {
		return r.Str()
	}
	start := r.pos
	if !r.stringEnd() || r.pos-start > 66 {
		r.pos = start
		return r.Str()
	}
	b := r.data[start+1 : r.pos-1]
	if s, ok := r.intern[string(b)]; ok {
		return s, true
	}
	s := string(b)
	r.intern[s] = s
	return s, true
}

// Bool reads true or false; false, with nothing consumed, for any other value.
func (r *Reader) Bool() (v, ok bool) {
	switch r.Peek() {
	case 't':
		return true, r.literal("true")
	case 'f':
		return false, r.literal("false")
	}
	return false, false
}

// Int reads a number that encoding/json puts into an int: an integer literal
// within range (1.0 and 1e3 are not). False, with nothing consumed, otherwise.
func (r *Reader) Int() (int, bool) {
	c := r.Peek()
	if c != '-' && (c < '0' || c > '9') {
		return 0, false
	}
	start := r.pos
	r.number()
	if r.err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(string(r.data[start:r.pos]), 10, strconv.IntSize)
	if err != nil {
		r.pos = start
		return 0, false
	}
	return int(n), true
}

// Strs reads an array of strings as encoding/json reads a []E: null elements
// are "", an empty array is an empty non-nil slice. False, with nothing
// consumed, for anything else.
func Strs[E ~string](r *Reader) ([]E, bool) {
	start := r.pos
	if !r.Array() {
		return nil, false
	}
	out := []E{}
	for first := true; r.Element(&first); {
		if r.Null() {
			out = append(out, "")
			continue
		}
		s, ok := r.SharedStr()
		if !ok {
			r.pos = start
			return nil, false
		}
		out = append(out, E(s))
	}
	if r.err != nil {
		return nil, false
	}
	return out, true
}

// Raw reads any value as a json.RawMessage of its own (a copy).
func (r *Reader) Raw() json.RawMessage {
	b := r.Skip()
	if b == nil {
		return nil
	}
	return append(json.RawMessage(nil), b...)
}

// Unmarshal reads the next value with encoding/json into v: false, with nothing
// consumed, when encoding/json refuses it.
func (r *Reader) Unmarshal(v any) bool {
	start := r.pos
	b := r.Skip()
	if r.err != nil {
		return false
	}
	if json.Unmarshal(b, v) != nil {
		r.pos = start
		return false
	}
	return true
}

// ---- one object's members, with aliases and Extra

// Members decodes the members of one object: each known member into its field,
// the rest (and known members of the wrong type) into Extra.
type Members struct {
	R *Reader
	// Key is the current member's name.
	Key []byte
	// seen has a bit per known member name, to catch repeated ones.
	seen uint64
	// KeepExtra: unknown and wrongly typed members go into Extra.
	KeepExtra bool
	Extra     map[string]json.RawMessage
}

// Known marks the current member as the known name number id, and fails the
// Object with ErrDuplicate if it was there before.
func (o *Members) Known(id uint) bool {
	if o.seen&(1<<id) != 0 {
		o.R.err = ErrDuplicate
		o.R.pos = len(o.R.data)
		return false
	}
	o.seen |= 1 << id
	return true
}

// Other keeps the current member's value in Extra (when kept), or skips it.
func (o *Members) Other() {
	if !o.KeepExtra {
		o.R.Skip()
		return
	}
	v := o.R.Raw()
	if o.R.err != nil {
		return
	}
	if o.Extra == nil {
		o.Extra = make(map[string]json.RawMessage)
	}
	o.Extra[string(o.Key)] = v
}

// Take reads the current member with read into *dst, where alias is the
// member's rank among the names of the field (0 first): a name ranked before the
// one that set the field wins, whatever the order of the members; got records the
// rank that set it (0: none yet, else rank+1). A null is consumed and sets nothing;
// a value read refuses goes to extra. It reports whether the value was read.
func Take[T any](o *Members, dst *T, got *uint8, alias uint8, read func(*Reader) (T, bool)) bool {
	if o.R.Null() {
		return false
	}
	v, ok := read(o.R)
	if !ok {
		if o.R.err == nil {
			o.Other()
		}
		return false
	}
	if *got == 0 || alias+1 < *got {
		*dst = v
		*got = alias + 1
	}
	return true
}

// Take1 is Take for a field with one name.
func Take1[T any](o *Members, dst *T, read func(*Reader) (T, bool)) bool {
	var got uint8
	return Take(o, dst, &got, 0, read)
}

// Readers for Take: each reads one value, or reports false and consumes nothing.

// ReadStr reads a string.
func ReadStr(r *Reader) (string, bool) { return r.Str() }

// ReadShared reads a string that repeats across a page (SharedStr).
func ReadShared(r *Reader) (string, bool) { return r.SharedStr() }

// ReadSharedAs is ReadShared for a string type.
func ReadSharedAs[E ~string](r *Reader) (E, bool) {
	s, ok := r.SharedStr()
	return E(s), ok
}

// ReadBool reads true or false.
func ReadBool(r *Reader) (bool, bool) { return r.Bool() }

// ReadInt reads a number that fits an int.
func ReadInt(r *Reader) (int, bool) { return r.Int() }

// ReadIntPtr is ReadInt into a new int.
func ReadIntPtr(r *Reader) (*int, bool) {
	n, ok := r.Int()
	if !ok {
		return nil, false
	}
	return &n, true
}

// ReadRaw reads any value, as a copy of its bytes.
func ReadRaw(r *Reader) (json.RawMessage, bool) {
	v := r.Raw()
	return v, r.err == nil
}

// ReadUnmarshal reads a T with encoding/json.
func ReadUnmarshal[T any](r *Reader) (T, bool) {
	var v T
	ok := r.Unmarshal(&v)
	return v, ok
}
