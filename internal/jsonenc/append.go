package jsonenc

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// The appenders below write what Marshal writes, byte for byte, for the values a
// request body holds most (strings, numbers, booleans, and maps and slices of
// them), without reflection; TestAppendMatchesMarshal holds them to it. Anything
// else goes through Marshal's encoder.

// AppendString appends s as a JSON string, as Marshal writes it: '"', '\\' and
// control characters escaped, U+2028 and U+2029 escaped, each invalid UTF-8 byte
// replaced; "<", ">" and "&" as they are. The escapes are those of the
// encoding/json it is built with (Go 1.27's writes an invalid byte as U+FFFD
// itself where earlier releases wrote \ufffd), read from it once (escapes).
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	done := 0 // s[:done] is in b
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if esc := escapes.ascii[c]; esc != "" {
				b = append(b, s[done:i]...)
				b = append(b, esc...)
				done = i + 1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		var esc string
		switch {
		case r == utf8.RuneError && size == 1:
			esc = escapes.invalid
		case r == '\u2028':
			esc = escapes.lineSep
		case r == '\u2029':
			esc = escapes.paraSep
		default:
			i += size
			continue
		}
		b = append(b, s[done:i]...)
		b = append(b, esc...)
		i += size
		done = i
	}
	b = append(b, s[done:]...)
	return append(b, '"')
}

// escapes are what Marshal writes, between the quotes, for the bytes and runes
// it does not write as they are.
var escapes struct {
	ascii                     [utf8.RuneSelf]string // "" for a byte written as it is
	invalid, lineSep, paraSep string
}

func init() {
	inner := func(s string) string {
		q, err := Marshal(s)
		if err != nil || len(q) < 2 {
			panic("jsonenc: encoding/json cannot write a string")
		}
		return string(q[1 : len(q)-1])
	}
	for c := range utf8.RuneSelf {
		if e := inner(string(rune(c))); e != string(rune(c)) {
			escapes.ascii[c] = e
		}
	}
	escapes.invalid = inner("\x80")
	escapes.lineSep = inner("\u2028")
	escapes.paraSep = inner("\u2029")
}

// AppendInt appends n in decimal.
func AppendInt(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }

// Build returns what write appends to an empty buffer, in a slice of its own:
// write works in a pooled buffer.
func Build(write func([]byte) ([]byte, error)) ([]byte, error) {
	e := pool.Get().(*encoder)
	e.buf.Reset()
	b, err := write(e.buf.AvailableBuffer())
	if err != nil {
		return nil, err
	}
	out := bytes.Clone(b)
	if cap(b) <= maxPooled {
		if cap(b) > e.buf.Cap() {
			e.buf = *bytes.NewBuffer(b[:0]) // keep the room write grew
		}
		pool.Put(e)
	}
	return out, nil
}

// errNotFinite marks a float Marshal refuses; the caller then lets Marshal
// report it, in its own words.
var errNotFinite = errors.New("jsonenc: NaN or infinite float")

// AppendFloat appends f as Marshal writes a float64: the shortest form that
// reads back the same, in exponent form below 1e-6 and from 1e21 on (with
// e-07, not e-07's zero). It fails on NaN and infinities, which JSON cannot hold.
func AppendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, errNotFinite
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// Two-digit negative exponents lose their leading zero: 1e-07 → 1e-7.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// maxAppendDepth is how deep AppendValue follows maps and slices by itself.
// Below that it hands the value to encoding/json, which finds a map or slice
// that holds itself (and fails with its *json.UnsupportedValueError) where
// AppendValue would recurse until the stack overflows: a fatal error, not a
// panic, that takes the whole process down. encoding/json starts looking for
// cycles at the same depth.
const maxAppendDepth = 1000

// AppendValue appends the JSON encoding of v, as Marshal writes it.
func AppendValue(b []byte, v any) ([]byte, error) {
	return appendValue(b, v, 0)
}

func appendValue(b []byte, v any, depth int) ([]byte, error) {
	if depth > maxAppendDepth {
		return appendEncoded(b, v)
	}
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return AppendString(b, x), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case float64:
		return AppendFloat(b, x)
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case int32:
		return strconv.AppendInt(b, int64(x), 10), nil
	case uint64:
		return strconv.AppendUint(b, x, 10), nil
	case map[string]any:
		return appendMap(b, x, depth)
	case []any:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendValue(b, e, depth+1); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case []string:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendString(b, e)
		}
		return append(b, ']'), nil
	}
	return appendEncoded(b, v)
}

// appendMap appends m with its keys in order, as Marshal writes a map.
func appendMap(b []byte, m map[string]any, depth int) ([]byte, error) {
	if m == nil {
		return append(b, "null"...), nil
	}
	var room [16]string
	keys := room[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, k)
		b = append(b, ':')
		var err error
		if b, err = appendValue(b, m[k], depth+1); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendEncoded appends v as Marshal's encoder writes it.
func appendEncoded(b []byte, v any) ([]byte, error) {
	e := pool.Get().(*encoder)
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return b, err
	}
	out := e.buf.Bytes()
	b = append(b, out[:len(out)-1]...)
	if e.buf.Cap() <= maxPooled {
		pool.Put(e)
	}
	return b, nil
}
