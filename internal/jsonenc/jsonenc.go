// Package jsonenc encodes JSON as the SDK sends it: encoding/json's output
// without HTML escaping ("<", ">" and "&" stay as they are) and without the
// newline json.Encoder ends each value with. The encoders and their buffers are
// pooled, so an encoding allocates little beyond what encoding/json does and the
// copy of the result.
package jsonenc

import (
	"bytes"
	"encoding/json"
	"sync"
)

// encoder is a json.Encoder writing into its own buffer.
type encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var pool = sync.Pool{New: func() any {
	e := new(encoder)
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

// maxPooled is the largest buffer put back in the pool.
const maxPooled = 64 << 10

// Marshal returns the JSON encoding of v, as json.Marshal does but without HTML
// escaping.
func Marshal(v any) ([]byte, error) {
	e := pool.Get().(*encoder)
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		// A json.Encoder keeps its first error: this one is not pooled again.
		return nil, err
	}
	b := e.buf.Bytes()
	out := bytes.Clone(b[:len(b)-1]) // without Encode's newline
	if e.buf.Cap() <= maxPooled {
		pool.Put(e)
	}
	return out, nil
}
