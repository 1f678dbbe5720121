package jsonenc

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

// Marshal gives json.Encoder's output with SetEscapeHTML(false), without its
// newline, for values of every kind, including after an error and for a value
// larger than what is pooled.
func TestMarshalIsEncoderWithoutHTMLEscaping(t *testing.T) {
	big := strings.Repeat("<&>", maxPooled)
	values := []any{
		nil, true, 12, -1.5, "a<b>&c\u2028", []byte("bytes"), map[string]any{"z": 1, "a": []any{"<", nil}},
		struct {
			A string `json:"a,omitempty"`
			B *int   `json:"b"`
		}{A: "x"},
		math.Inf(1), // an error: Encode fails on it
		big, "after the big one",
		json.RawMessage(`{"raw" : true}`),
	}
	for _, v := range values {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		wantErr := enc.Encode(v)
		got, err := Marshal(v)
		if wantErr != nil {
			var ue *json.UnsupportedValueError
			if err == nil || !errors.As(err, &ue) {
				t.Fatalf("Marshal(%v): error %v, want %v", v, err, wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("Marshal(%v): %v", v, err)
		}
		if w := bytes.TrimSuffix(want.Bytes(), []byte("\n")); !bytes.Equal(got, w) {
			t.Fatalf("Marshal(%v) = %s, want %s", v, got, w)
		}
	}
}

// The result is the caller's: a later Marshal does not change it.
func TestMarshalResultIsACopy(t *testing.T) {
	a, err := Marshal("first")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Marshal("second, longer"); err != nil {
		t.Fatal(err)
	}
	if string(a) != `"first"` {
		t.Fatalf("got %s", a)
	}
}
