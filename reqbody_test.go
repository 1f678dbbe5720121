package connapi

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/connapi/connapi-go/internal/jsonenc"
	"github.com/stretchr/testify/require"
)

// handWrittenBodies lists a value of every request body type that writes its own
// JSON (bodyAppender).
var handWrittenBodies = []bodyAppender{
	&CreateConnectorRequest{},
}

// TestHandWrittenBodiesMatchMarshal: a body written by hand is, byte for byte,
// what jsonenc.Marshal (encoding/json) writes for it, over random values that
// set every field, at every depth, with every kind of JSON value in the maps and
// sometimes an Extra; where Marshal fails (a NaN), encodeJSON fails with its words.
func TestHandWrittenBodiesMatchMarshal(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(21, 22))
	for _, body := range handWrittenBodies {
		typ := reflect.TypeOf(body).Elem()
		failures := 0
		for i := range 5000 {
			v := reflect.New(typ)
			if i > 0 {
				fillBody(rng, v.Elem(), 0)
			}
			want, wantErr := jsonenc.Marshal(v.Interface())
			got, err := encodeJSON(v.Interface())
			if wantErr != nil {
				// encoding/json's words (which of two NaNs it names may vary
				// with map order).
				failures++
				var ue *json.UnsupportedValueError
				require.ErrorAs(t, err, &ue, "want an error like %v", wantErr)
				require.ErrorAs(t, wantErr, &ue)
				continue
			}
			require.NoError(t, err)
			require.Equal(t, string(want), string(got), "%s %#v", typ.Name(), v.Elem().Interface())
		}
		require.Positive(t, failures, "%s: no value Marshal refuses came up", typ.Name())
		got, err := encodeJSON((*CreateConnectorRequest)(nil))
		require.NoError(t, err)
		require.Equal(t, "null", string(got))
	}
}

// fillBody sets v (settable) to a random value of its type: strings with bytes
// JSON escapes, numbers, pointers set or nil, slices and maps nil, empty or
// full, map values of every JSON kind (and a NaN now and then).
func fillBody(rng *rand.Rand, v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString([]string{"", "a", "Confluence", "<b>&\"q\"\\", "\x00\x1f\u2028é\xff", "https://h.example/x?y=1"}[rng.IntN(6)])
	case reflect.Int:
		v.SetInt(int64(rng.IntN(3)) * int64(rng.IntN(200)-100))
	case reflect.Bool:
		v.SetBool(rng.IntN(2) == 0)
	case reflect.Pointer:
		if rng.IntN(4) > 0 && depth < 6 {
			p := reflect.New(v.Type().Elem())
			fillBody(rng, p.Elem(), depth+1)
			v.Set(p)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && rng.IntN(4) > 0 {
				fillBody(rng, v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		switch rng.IntN(3) {
		case 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		case 2:
			s := reflect.MakeSlice(v.Type(), 2, 2)
			for i := range 2 {
				fillBody(rng, s.Index(i), depth+1)
			}
			v.Set(s)
		}
	case reflect.Map:
		switch rng.IntN(4) {
		case 1:
			v.Set(reflect.MakeMap(v.Type()))
		case 2, 3:
			m := reflect.MakeMap(v.Type())
			for range 1 + rng.IntN(3) {
				k := reflect.New(v.Type().Key()).Elem()
				fillBody(rng, k, depth+1)
				e := reflect.New(v.Type().Elem()).Elem()
				fillBody(rng, e, depth+1)
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.Interface:
		if x := randomJSONValue(rng, depth); x != nil {
			v.Set(reflect.ValueOf(x))
		}
	default:
		panic("fillBody: no random " + v.Type().String())
	}
}

func randomJSONValue(rng *rand.Rand, depth int) any {
	n := 9
	if depth > 5 {
		n = 7
	}
	switch rng.IntN(n) {
	case 0:
		return nil
	case 1:
		return []string{"x", "<&>", "\u2029"}[rng.IntN(3)]
	case 2:
		return rng.IntN(2) == 0
	case 3:
		return []float64{0, 1.5, -2e-7, 1e21, 3, math.NaN()}[rng.IntN(6)]
	case 4:
		return rng.IntN(100)
	case 5:
		return []any{"a", 1, nil}
	case 6:
		return []string{"ENG", "OPS"}
	case 7:
		return map[string]any{"operator": "in", "value": randomJSONValue(rng, depth+1), "type": "list"}
	}
	return map[string]any{"nested": map[string]any{"k": randomJSONValue(rng, depth+1)}}
}
