package models

// A small validating JSON reader for the one-pass decoders (issue 12). It walks
// the bytes once: an object's members are decoded straight into their fields, and
// only the members a type keeps undecoded (Extra, Config) are copied as raw JSON.
//
// The typed reads (str, boolean, integer, strings) never fail on a value of another
// type: they report false and leave the reader where it was, so that the caller
// can keep the member in Extra the way the map-based decoders did. Syntax errors
// are found by skip, which every unread value goes through, and are sticky.

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// maxJSONDepth is encoding/json's nesting limit.
const maxJSONDepth = 10000

type jsonReader struct {
	data  []byte
	pos   int
	err   error
	depth int
	// intern, when set, shares the bytes of equal short strings across a page.
	intern map[string]string
}

// errDuplicate makes a one-pass decoder hand the object to the map-based one,
// whose last-one-wins reading of a repeated member it does not reproduce.
var errDuplicate = errors.New("duplicate member")

func (r *jsonReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("offset %d: "+format, append([]any{r.pos}, args...)...)
	}
	r.pos = len(r.data)
}

func (r *jsonReader) ws() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// peek returns the first byte of the next value, 0 at the end.
func (r *jsonReader) peek() byte {
	r.ws()
	if r.pos < len(r.data) {
		return r.data[r.pos]
	}
	return 0
}

// end checks that only white space follows the top-level value.
func (r *jsonReader) end() error {
	if r.err == nil && r.peek() != 0 {
		r.fail("invalid character %q after top-level value", r.data[r.pos])
	}
	return r.err
}

// literal consumes lit (true, false or null) if it is next.
func (r *jsonReader) literal(lit string) bool {
	if len(r.data)-r.pos >= len(lit) && string(r.data[r.pos:r.pos+len(lit)]) == lit {
		r.pos += len(lit)
		return true
	}
	return false
}

// null consumes a null if it is next.
func (r *jsonReader) null() bool {
	return r.peek() == 'n' && r.literal("null")
}

// skip validates and passes over the next value, and returns its bytes.
func (r *jsonReader) skip() []byte {
	c := r.peek()
	start := r.pos
	switch {
	case c == '{':
		r.object()
		for first := true; r.member(&first) != nil; {
			r.skip()
		}
	case c == '[':
		r.array()
		for first := true; r.element(&first); {
			r.skip()
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

// object consumes the '{' of an object if one is next. Its members are then read
// with member, to the end, which the nesting depth counts on.
func (r *jsonReader) object() bool {
	if r.peek() != '{' {
		return false
	}
	r.pos++
	r.nest()
	return true
}

// nest counts one more level of nesting, and fails past encoding/json's limit.
func (r *jsonReader) nest() {
	r.depth++
	if r.depth > maxJSONDepth {
		r.fail("exceeded max depth")
	}
}

// member moves to the next member of an object whose '{' was consumed, consumes
// its name and colon, and returns the name (unescaped); nil after the '}' or on
// an error. first is the loop's state, true before the first member.
func (r *jsonReader) member(first *bool) []byte {
	if r.err != nil {
		return nil
	}
	c := r.peek()
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
		c = r.peek()
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
	if r.peek() != ':' {
		r.fail("invalid character after object key")
		return nil
	}
	r.pos++
	return key
}

// array consumes the '[' of an array if one is next. Its elements are then read
// with element, to the end.
func (r *jsonReader) array() bool {
	if r.peek() != '[' {
		return false
	}
	r.pos++
	r.nest()
	return true
}

// element moves to the next element of an array whose '[' was consumed; false
// after the ']' or on an error.
func (r *jsonReader) element(first *bool) bool {
	if r.err != nil {
		return false
	}
	c := r.peek()
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
func (r *jsonReader) stringEnd() (simple bool) {
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
func (r *jsonReader) number() {
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

// str reads a string as encoding/json does; false, with nothing consumed, for
// any other value.
func (r *jsonReader) str() (string, bool) {
	if r.peek() != '"' {
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

// sharedStr is str for the values that repeat across the items of a page (types,
// scopes, owners): while a page is decoded (intern set), equal ones share their
// bytes.
func (r *jsonReader) sharedStr() (string, bool) {
	if r.intern == nil || r.peek() != '"' {
		return r.str()
	}
	start := r.pos
	if !r.stringEnd() || r.pos-start > 66 {
		r.pos = start
		return r.str()
	}
	b := r.data[start+1 : r.pos-1]
	if s, ok := r.intern[string(b)]; ok {
		return s, true
	}
	s := string(b)
	r.intern[s] = s
	return s, true
}

// boolean reads true or false; false, with nothing consumed, for any other value.
func (r *jsonReader) boolean() (v, ok bool) {
	switch r.peek() {
	case 't':
		return true, r.literal("true")
	case 'f':
		return false, r.literal("false")
	}
	return false, false
}

// integer reads a number that encoding/json puts into an int: an integer literal
// within range (1.0 and 1e3 are not). False, with nothing consumed, otherwise.
func (r *jsonReader) integer() (int, bool) {
	c := r.peek()
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

// strs reads an array of strings as encoding/json reads a []E: null elements
// are "", an empty array is an empty non-nil slice. False, with nothing
// consumed, for anything else.
func strs[E ~string](r *jsonReader) ([]E, bool) {
	start := r.pos
	if !r.array() {
		return nil, false
	}
	out := []E{}
	for first := true; r.element(&first); {
		if r.null() {
			out = append(out, "")
			continue
		}
		s, ok := r.sharedStr()
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

// raw reads any value as a json.RawMessage of its own (a copy).
func (r *jsonReader) raw() json.RawMessage {
	b := r.skip()
	if b == nil {
		return nil
	}
	return append(json.RawMessage(nil), b...)
}

// unmarshal reads the next value with encoding/json into v: false, with nothing
// consumed, when encoding/json refuses it.
func (r *jsonReader) unmarshal(v any) bool {
	start := r.pos
	b := r.skip()
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

// jsonObject decodes the members of one object: each known member into its field,
// the rest (and known members of the wrong type) into extra.
type jsonObject struct {
	r *jsonReader
	// key is the current member's name.
	key []byte
	// seen has a bit per known member name, to catch repeated ones.
	seen uint64
	// keepExtra: unknown and wrongly typed members go into extra.
	keepExtra bool
	extra     map[string]json.RawMessage
}

// known marks the current member as the known name number id, and fails the
// object with errDuplicate if it was there before.
func (o *jsonObject) known(id uint) bool {
	if o.seen&(1<<id) != 0 {
		o.r.err = errDuplicate
		o.r.pos = len(o.r.data)
		return false
	}
	o.seen |= 1 << id
	return true
}

// other keeps the current member's value in extra (when kept), or skips it.
func (o *jsonObject) other() {
	if !o.keepExtra {
		o.r.skip()
		return
	}
	v := o.r.raw()
	if o.r.err != nil {
		return
	}
	if o.extra == nil {
		o.extra = make(map[string]json.RawMessage)
	}
	o.extra[string(o.key)] = v
}

// take reads the current member with read into *dst, where alias is the
// member's rank among the names of the field (0 first): a name ranked before the
// one that set the field wins, whatever the order of the members; got records the
// rank that set it (0: none yet, else rank+1). A null is consumed and sets nothing;
// a value read refuses goes to extra. It reports whether the value was read.
func take[T any](o *jsonObject, dst *T, got *uint8, alias uint8, read func(*jsonReader) (T, bool)) bool {
	if o.r.null() {
		return false
	}
	v, ok := read(o.r)
	if !ok {
		if o.r.err == nil {
			o.other()
		}
		return false
	}
	if *got == 0 || alias+1 < *got {
		*dst = v
		*got = alias + 1
	}
	return true
}

// take1 is take for a field with one name.
func take1[T any](o *jsonObject, dst *T, read func(*jsonReader) (T, bool)) bool {
	var got uint8
	return take(o, dst, &got, 0, read)
}

// Readers for take.

func readStr(r *jsonReader) (string, bool) { return r.str() }

func readShared(r *jsonReader) (string, bool) { return r.sharedStr() }

func readSharedAs[E ~string](r *jsonReader) (E, bool) {
	s, ok := r.sharedStr()
	return E(s), ok
}

func readBool(r *jsonReader) (bool, bool) { return r.boolean() }

func readInt(r *jsonReader) (int, bool) { return r.integer() }

func readIntPtr(r *jsonReader) (*int, bool) {
	n, ok := r.integer()
	if !ok {
		return nil, false
	}
	return &n, true
}

func readRaw(r *jsonReader) (json.RawMessage, bool) {
	v := r.raw()
	return v, r.err == nil
}

// readTimestamp reads what Timestamp.UnmarshalJSON accepts.
func readTimestamp(r *jsonReader) (Timestamp, bool) {
	start := r.pos
	b := r.skip()
	if r.err != nil {
		return Timestamp{}, false
	}
	var t Timestamp
	if t.UnmarshalJSON(b) != nil {
		r.pos = start
		return Timestamp{}, false
	}
	return t, true
}

// readUnmarshal reads a T with encoding/json.
func readUnmarshal[T any](r *jsonReader) (T, bool) {
	var v T
	ok := r.unmarshal(&v)
	return v, ok
}
