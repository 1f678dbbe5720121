package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// optional mimics models.Nullable: a Get() (T, bool) and a JSON decoding.
type optional[T any] struct {
	v   T
	set bool
}

func (o optional[T]) Get() (T, bool) { return o.v, o.set }

func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.set = true
	return json.Unmarshal(b, &o.v)
}

type inner struct {
	Token string
	Plain string
}

type outer struct {
	Name     string
	Settings map[string]any
	Raw      json.RawMessage
	Wire     map[string]json.RawMessage
	Hook     string
	Auth     string
	Opt      optional[map[string]any]
	In       *inner
	Ins      []inner
	ByKey    map[string]*inner
	hidden   string
	Metadata map[string]any `json:"meta"`
}

var _ = Register(map[reflect.Type]map[string]Kind{
	reflect.TypeFor[inner](): {"Token": Value},
	reflect.TypeFor[outer](): {"Settings": Keys, "Raw": Keys, "Wire": Keys, "Hook": URL, "Auth": Query, "Opt": Keys},
})

func planted() outer {
	return outer{
		Name:     "n1",
		Settings: map[string]any{"oauth": map[string]any{"access_token": "s1"}, "apiKey": "s2"},
		Raw:      json.RawMessage(`{"b":"s3","a":{"x":"s4"}}`),
		Wire:     map[string]json.RawMessage{"credentials": json.RawMessage(`"s5"`)},
		Hook:     "https://hooks.example.com/services/s6?sig=s7",
		Auth:     "https://u:s8@auth.example.com/authorize?client_id=cid&STATE=s9&code=s10&scope=read",
		Opt:      optional[map[string]any]{v: map[string]any{"k": "s11"}, set: true},
		In:       &inner{Token: "s12", Plain: "p1"},
		Ins:      []inner{{Token: "s13", Plain: "p2"}},
		ByKey:    map[string]*inner{"x": {Token: "s14", Plain: "p3"}},
		hidden:   "h1",
		Metadata: map[string]any{"team": "sales"},
	}
}

func TestCopyHidesEveryKindAtEveryDepth(t *testing.T) {
	t.Parallel()
	orig := planted()
	before, err := json.Marshal(orig)
	require.NoError(t, err)

	got := Copy(orig).(outer)
	assert.Equal(t, "n1", got.Name)
	assert.Equal(t, map[string]any{"oauth": Mark, "apiKey": Mark}, got.Settings)
	assert.JSONEq(t, `{"a":"[REDACTED]","b":"[REDACTED]"}`, string(got.Raw))
	assert.Equal(t, map[string]json.RawMessage{"credentials": json.RawMessage(`"[REDACTED]"`)}, got.Wire)
	assert.Equal(t, "https://hooks.example.com/[REDACTED]", got.Hook)
	assert.Equal(t, "https://u:%5BREDACTED%5D@auth.example.com/authorize?client_id=[REDACTED]&STATE=[REDACTED]&code=[REDACTED]&scope=[REDACTED]", got.Auth, "the password escaped, as url.URL writes it")
	v, ok := got.Opt.Get()
	require.True(t, ok)
	assert.Equal(t, map[string]any{"k": Mark}, v)
	assert.Equal(t, &inner{Token: Mark, Plain: "p1"}, got.In)
	assert.Equal(t, []inner{{Token: Mark, Plain: "p2"}}, got.Ins)
	assert.Equal(t, map[string]*inner{"x": {Token: Mark, Plain: "p3"}}, got.ByKey)
	assert.Equal(t, "h1", got.hidden, "unexported fields are copied as they are")
	assert.Equal(t, map[string]any{"team": "sales"}, got.Metadata, "fields not registered are kept")

	after, err := json.Marshal(orig)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "the original is left as it was")
	assert.Equal(t, "s12", orig.In.Token)
}

func TestHideEdgeCases(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		``:                 ``,
		`null`:             `null`,
		` {} `:             `{}`,
		`["s1"]`:           `"[REDACTED]"`,
		`"s1"`:             `"[REDACTED]"`,
		`12`:               `"[REDACTED]"`,
		`{"broken":`:       `"[REDACTED]"`,
		`{"a\"b":1,"c":2}`: `{"a\"b":"[REDACTED]","c":"[REDACTED]"}`,
	} {
		assert.Equal(t, want, string(hideJSON([]byte(in))), "%q", in)
	}
	for in, want := range map[string]string{
		"":                              "",
		"https://h.example.com":         "https://h.example.com",
		"https://h.example.com/":        "https://h.example.com",
		"https://h.example.com/?x=1":    "https://h.example.com/[REDACTED]",
		"https://h.example.com/#frag":   "https://h.example.com/[REDACTED]",
		"https://user@h.example.com":    "https://h.example.com/[REDACTED]",
		"not a url with secret s1":      Mark,
		"/relative/s1":                  Mark,
		"https://h.example.com:8443/a/": "https://h.example.com:8443/[REDACTED]",
	} {
		assert.Equal(t, want, hideURL(in, false), "URL %q", in)
	}
	for in, want := range map[string]string{
		"":                                      "",
		"https://a.example.com/p?x=1&y=2":       "https://a.example.com/p?x=[REDACTED]&y=[REDACTED]",
		"https://a.example.com/p?a=1&&b":        "https://a.example.com/p?a=[REDACTED]&&b=[REDACTED]",
		"https://a.example.com/p":               "https://a.example.com/p",
		"https://a.example.com/p?api%5Fkey=s":   "https://a.example.com/p?api%5Fkey=[REDACTED]",
		"https://a.example.com/p?token":         "https://a.example.com/p?token=[REDACTED]",
		"https://a.example.com/p?code=a&code=b": "https://a.example.com/p?code=[REDACTED]&code=[REDACTED]",
		"https://u@a.example.com/p":             "https://u@a.example.com/p",
		"%zz":                                   Mark,
	} {
		assert.Equal(t, want, hideURL(in, true), "Query %q", in)
	}
	// An absent or null optional stays as it is.
	var absent optional[map[string]any]
	assert.Equal(t, absent, hideOptional(reflect.ValueOf(absent), Keys).Interface())
}

func TestRegisterRefusesMistakes(t *testing.T) {
	t.Parallel()
	type s struct {
		Name  string
		N     int
		quiet string
	}
	for name, fields := range map[string]map[reflect.Type]map[string]Kind{
		"not a struct":      {reflect.TypeFor[string](): {}},
		"no such field":     {reflect.TypeFor[s](): {"Nope": Value}},
		"unexported field":  {reflect.TypeFor[s](): {"quiet": Value}},
		"kind does not fit": {reflect.TypeFor[s](): {"N": Value}},
		"keys of a string":  {reflect.TypeFor[s](): {"Name": Keys}},
		"unknown kind":      {reflect.TypeFor[s](): {"Name": Kind(99)}},
	} {
		assert.Panics(t, func() { Register(fields) }, name)
	}
	_ = s{quiet: ""}
}

func TestHolds(t *testing.T) {
	t.Parallel()
	assert.True(t, Holds(reflect.TypeFor[outer]()))
	assert.True(t, Holds(reflect.TypeFor[*inner]()))
	assert.True(t, Holds(reflect.TypeFor[[]*outer]()))
	assert.True(t, Holds(reflect.TypeFor[map[string][]inner]()))
	assert.False(t, Holds(reflect.TypeFor[string]()))
	assert.False(t, Holds(reflect.TypeFor[struct{ A, B string }]()))
}

// formatted is a type that prints and logs through this package, as models do.
type formatted struct{ outer }

func (f formatted) Format(s fmt.State, verb rune) { Format(s, verb, Copy(f)) }
func (f formatted) LogValue() slog.Value          { return LogValue(Copy(f)) }

func TestFormatAndLogValue(t *testing.T) {
	t.Parallel()
	o := planted()
	assert.Equal(t, "<nil>", fmt.Sprintf("%v", (*formatted)(nil)))

	s := fmt.Sprintf("%+v", Copy(o))
	assert.NotContains(t, s, "s1")
	var buf bytes.Buffer
	var nilOuter *outer
	Format(fakeState{&buf}, 'v', nilOuter)
	assert.Equal(t, "<nil>", buf.String())

	buf.Reset()
	Format(fakeState{&buf}, 'v', Copy(o))
	assert.Contains(t, buf.String(), `{"a":"[REDACTED]","b":"[REDACTED]"}`, "raw JSON prints as text under %v")
	assert.NotContains(t, buf.String(), "s3")

	v := LogValue(Copy(o))
	require.Equal(t, slog.KindGroup, v.Kind())
	keys := map[string]bool{}
	for _, a := range v.Group() {
		keys[a.Key] = true
	}
	assert.True(t, keys["name"] && keys["settings"] && keys["meta"] && keys["raw"], "JSON names, else the Go name lowered: %v", keys)
	assert.False(t, keys["hidden"], "unexported fields are not logged")
	assert.Equal(t, slog.Value{}, LogValue(nilOuter))
	assert.Equal(t, slog.StringValue("x").String(), LogValue("x").String())
}

// fakeState is a fmt.State for %v without flags.
type fakeState struct{ *bytes.Buffer }

func (fakeState) Width() (int, bool)     { return 0, false }
func (fakeState) Precision() (int, bool) { return 0, false }
func (fakeState) Flag(int) bool          { return false }
