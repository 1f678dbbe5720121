// Package output prints connapi's results as a table, JSON, NDJSON or YAML,
// filtered by a jq expression, with secrets redacted.
package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/itchyny/gojq"
)

// Format is an output format.
type Format string

// The output formats.
const (
	Table  Format = "table"
	JSON   Format = "json"
	NDJSON Format = "ndjson"
	YAML   Format = "yaml"
)

// Formats lists the formats for help texts and completions.
var Formats = []string{string(Table), string(JSON), string(NDJSON), string(YAML)}

// ParseFormat checks s; an empty s means a table on a terminal, JSON otherwise.
func ParseFormat(s string, terminal bool) (Format, error) {
	switch f := Format(s); f {
	case "":
		if terminal {
			return Table, nil
		}
		return JSON, nil
	case Table, JSON, NDJSON, YAML:
		return f, nil
	}
	return "", fmt.Errorf("unknown output format %q: use table, json, ndjson or yaml", s)
}

// ParseJQ compiles a jq expression.
func ParseJQ(expr string) (*gojq.Code, error) {
	q, err := gojq.Parse(expr)
	if err != nil {
		return nil, fmt.Errorf("bad --jq expression: %v", err) //nolint:errorlint // the message is what matters
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return nil, fmt.Errorf("bad --jq expression: %v", err) //nolint:errorlint // as above
	}
	return code, nil
}

// Column is one column of a table: its header and how to get its cell from a
// value.
type Column struct {
	Header string
	Value  func(v any) string
}

// Col builds a Column for values of type T; other values get an empty cell.
func Col[T any](header string, f func(T) string) Column {
	return Column{Header: header, Value: func(v any) string {
		t, ok := v.(T)
		if !ok {
			return ""
		}
		return f(t)
	}}
}

// Time formats a time for a table cell: UTC, to the second; "" when zero.
func Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Bool formats a bool for a table cell.
func Bool(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// Printer writes results to Out.
type Printer struct {
	Out    io.Writer
	Format Format
	// JQ, when set, filters the JSON form of the output; each result is printed
	// on its own line, strings as raw text and other values as compact JSON.
	JQ *gojq.Code
	// Redact returns v with its secrets replaced; nil prints v as it is
	// (--show-secrets).
	Redact func(v any) any
}

func (p *Printer) redact(v any) any {
	if p.Redact == nil {
		return v
	}
	return p.Redact(v)
}

// One prints a single result. cols are used by the table format; without them a
// table is printed as YAML.
func (p *Printer) One(v any, cols []Column) error {
	v = p.redact(v)
	if p.JQ != nil {
		g, err := generic(v)
		if err != nil {
			return err
		}
		return p.jq(g)
	}
	switch p.Format {
	case Table:
		if len(cols) == 0 {
			return p.yaml(v)
		}
		tw := newTable(p.Out, cols)
		tw.row(v)
		return tw.flush()
	case YAML:
		return p.yaml(v)
	case NDJSON:
		return p.json(v, false)
	default:
		return p.json(v, true)
	}
}

// List starts printing a list of results, streamed as they come for JSON, NDJSON
// and YAML. A table is written when the list is closed, its columns aligned.
// With a jq filter the expression sees the whole list as an array, except with
// NDJSON, where it runs on each item as it comes.
func (p *Printer) List(cols []Column) *List {
	return &List{p: p, cols: cols, table: newTable(p.Out, cols)}
}

// List is a list being printed. Call Close when done, even after an error.
type List struct {
	p       *Printer
	cols    []Column
	table   *table
	n       int
	pending []any // items for a jq filter over the whole list
	closed  bool
}

// Add prints (or holds) one item.
func (l *List) Add(v any) error {
	p := l.p
	v = p.redact(v)
	l.n++
	if p.JQ != nil {
		g, err := generic(v)
		if err != nil {
			return err
		}
		if p.Format == NDJSON {
			return p.jq(g)
		}
		l.pending = append(l.pending, g)
		return nil
	}
	switch p.Format {
	case Table:
		l.table.row(v)
		return nil
	case NDJSON:
		return p.json(v, false)
	case YAML:
		return p.yaml([]any{v})
	default:
		b, err := marshal(v, true)
		if err != nil {
			return err
		}
		prefix := ",\n"
		if l.n == 1 {
			prefix = "[\n"
		}
		_, err = fmt.Fprintf(p.Out, "%s%s", prefix, indentLines(b, "  "))
		return err
	}
}

// Close ends the list: the closing bracket, the table, or the jq results.
func (l *List) Close() error {
	if l.closed {
		return nil
	}
	l.closed = true
	p := l.p
	if p.JQ != nil {
		if p.Format == NDJSON {
			return nil
		}
		all := l.pending
		if all == nil {
			all = []any{}
		}
		return p.jq(all)
	}
	switch p.Format {
	case Table:
		return l.table.flush()
	case NDJSON:
		return nil
	case YAML:
		if l.n == 0 {
			_, err := io.WriteString(p.Out, "[]\n")
			return err
		}
		return nil
	default:
		s := "\n]\n"
		if l.n == 0 {
			s = "[]\n"
		}
		_, err := io.WriteString(p.Out, s)
		return err
	}
}

// Len is how many items were added.
func (l *List) Len() int { return l.n }

func (p *Printer) json(v any, indent bool) error {
	b, err := marshal(v, indent)
	if err != nil {
		return err
	}
	_, err = p.Out.Write(append(b, '\n'))
	return err
}

func (p *Printer) yaml(v any) error {
	b, err := marshal(v, false)
	if err != nil {
		return err
	}
	y, err := yaml.JSONToYAML(b)
	if err != nil {
		return err
	}
	_, err = p.Out.Write(y)
	return err
}

// jq runs the filter on v and prints every result.
func (p *Printer) jq(v any) error {
	iter := p.JQ.Run(v)
	for {
		r, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, ok := r.(error); ok {
			var halt *gojq.HaltError
			if errors.As(err, &halt) && halt.Value() == nil {
				return nil
			}
			return fmt.Errorf("--jq: %v", err) //nolint:errorlint // the message is what matters
		}
		var line []byte
		if s, ok := r.(string); ok {
			line = []byte(s)
		} else {
			b, err := gojq.Marshal(r)
			if err != nil {
				return err
			}
			line = b
		}
		if _, err := p.Out.Write(append(line, '\n')); err != nil {
			return err
		}
	}
}

// marshal encodes v as JSON without HTML escaping.
func marshal(v any, indent bool) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// generic turns v into the plain values gojq works on: maps, slices, strings,
// bools, nil, ints, float64 and *big.Int.
func generic(v any) (any, error) {
	b, err := marshal(v, false)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var g any
	if err := dec.Decode(&g); err != nil {
		return nil, err
	}
	return numbers(g), nil
}

func numbers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = numbers(e)
		}
	case []any:
		for i, e := range t {
			t[i] = numbers(e)
		}
	case json.Number:
		if i, err := t.Int64(); err == nil && i >= math.MinInt && i <= math.MaxInt {
			return int(i)
		}
		if bi, ok := new(big.Int).SetString(string(t), 10); ok {
			return bi
		}
		f, _ := t.Float64()
		return f
	}
	return v
}

func indentLines(b []byte, prefix string) string {
	return prefix + strings.ReplaceAll(string(b), "\n", "\n"+prefix)
}

// table aligns rows with text/tabwriter.
type table struct {
	w    io.Writer
	cols []Column
	rows [][]string
}

func newTable(w io.Writer, cols []Column) *table { return &table{w: w, cols: cols} }

func (t *table) row(v any) {
	r := make([]string, len(t.cols))
	for i, c := range t.cols {
		r[i] = cell(c.Value(v))
	}
	t.rows = append(t.rows, r)
}

// cell keeps a table on one line per row: control characters become spaces.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

func (t *table) flush() error {
	tw := tabwriter.NewWriter(t.w, 0, 0, 2, ' ', 0)
	h := make([]string, len(t.cols))
	for i, c := range t.cols {
		h[i] = c.Header
	}
	_, _ = fmt.Fprintln(tw, strings.Join(h, "\t"))
	for _, r := range t.rows {
		_, _ = fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	t.rows = nil
	return tw.Flush()
}
