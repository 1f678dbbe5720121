package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type item struct {
	Zeta  string         `json:"zeta"`
	Alpha int64          `json:"alpha"`
	Big   json.Number    `json:"big"`
	Note  string         `json:"note,omitempty"`
	Extra map[string]any `json:"extra,omitempty"`
}

var cols = []Column{
	Col("ZETA", func(i item) string { return i.Zeta }),
	Col("NOTE", func(i item) string { return i.Note }),
}

func print(t *testing.T, f Format, jq string, items ...item) string {
	t.Helper()
	var buf bytes.Buffer
	p := &Printer{Out: &buf, Format: f}
	if jq != "" {
		code, err := ParseJQ(jq)
		require.NoError(t, err)
		p.JQ = code
	}
	l := p.List(cols)
	for _, it := range items {
		require.NoError(t, l.Add(it))
	}
	require.NoError(t, l.Close())
	return buf.String()
}

func TestFormats(t *testing.T) {
	t.Parallel()
	a := item{Zeta: "z<&>", Alpha: 1 << 60, Big: "123456789012345678901234567890", Note: "two\nlines"}
	b := item{Zeta: "second"}

	assert.Equal(t, "[\n  {\n    \"zeta\": \"z<&>\",\n    \"alpha\": 1152921504606846976,\n    \"big\": 123456789012345678901234567890,\n    \"note\": \"two\\nlines\"\n  },\n  {\n    \"zeta\": \"second\",\n    \"alpha\": 0,\n    \"big\": 0\n  }\n]\n",
		print(t, JSON, "", a, b), "field order kept, no HTML escaping, big numbers exact")
	assert.Equal(t, "[]\n", print(t, JSON, ""))
	assert.Equal(t, `{"zeta":"z<&>","alpha":1152921504606846976,"big":123456789012345678901234567890,"note":"two\nlines"}`+"\n"+`{"zeta":"second","alpha":0,"big":0}`+"\n",
		print(t, NDJSON, "", a, b))
	y := print(t, YAML, "", a, b)
	assert.True(t, strings.HasPrefix(y, "- zeta: z<&>\n  alpha: 1152921504606846976\n"), y)
	assert.Contains(t, y, "- zeta: second\n")
	assert.Equal(t, "[]\n", print(t, YAML, ""))
	tab := print(t, Table, "", a, b)
	assert.Equal(t, "ZETA    NOTE\nz<&>    two lines\nsecond  -\n", tab, "control characters never break a row")
}

func TestJQ(t *testing.T) {
	t.Parallel()
	a := item{Zeta: "z", Alpha: 1 << 60, Big: "123456789012345678901234567890", Extra: map[string]any{"k": []any{1, "x"}}}
	b := item{Zeta: "y", Alpha: 2}
	// On the whole list, as an array.
	assert.Equal(t, "2\n", print(t, JSON, "length", a, b))
	assert.Equal(t, "z\ny\n", print(t, JSON, ".[].zeta", a, b), "strings raw")
	assert.Equal(t, "1152921504606846976\n123456789012345678901234567890\n", print(t, JSON, ".[0].alpha, .[0].big", a, b), "numbers exact")
	assert.Equal(t, `{"k":[1,"x"]}`+"\n", print(t, JSON, ".[0].extra", a, b), "compact JSON")
	// Per item with ndjson.
	assert.Equal(t, "z\ny\n", print(t, NDJSON, ".zeta", a, b))
	assert.Equal(t, "", print(t, NDJSON, "select(.alpha == 3)", a, b))
}

func TestParse(t *testing.T) {
	t.Parallel()
	f, err := ParseFormat("", true)
	require.NoError(t, err)
	assert.Equal(t, Table, f)
	f, err = ParseFormat("", false)
	require.NoError(t, err)
	assert.Equal(t, JSON, f)
	_, err = ParseFormat("xml", false)
	assert.ErrorContains(t, err, `unknown output format "xml"`)
	_, err = ParseJQ(".[")
	assert.ErrorContains(t, err, "bad --jq expression")
	_, err = ParseJQ("$undefined")
	assert.ErrorContains(t, err, "bad --jq expression")
}

func TestRedactRunsFirst(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	code, err := ParseJQ(".zeta")
	require.NoError(t, err)
	p := &Printer{Out: &buf, Format: JSON, JQ: code, Redact: func(v any) any {
		it := v.(item)
		it.Zeta = "[REDACTED]"
		return it
	}}
	require.NoError(t, p.One(item{Zeta: "secret"}, nil))
	assert.Equal(t, "[REDACTED]\n", buf.String())
}
