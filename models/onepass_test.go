package models

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/connapi/connapi-go/internal/jsonread"
)

// onePassTricky are inputs where the one-pass decoders could part from the
// map-based ones: aliases in either order, repeated members, nulls, wrong types,
// escapes, both list shapes, scope as an array or a string, bad JSON.
var onePassTricky = []string{
	`{"_key":"k","connectorId":"c"}`,
	`{"connectorId":"c","_key":"k"}`,
	`{"connectorId":5,"_key":"k"}`,
	`{"connectorId":null,"_key":"k"}`,
	`{"name":"a","name":5}`,
	`{"name":5,"name":"a"}`,
	`{"x":1,"x":2}`,
	`{"createdAt":"","createdAtTimestamp":1700000000000}`,
	`{"createdAtTimestamp":"1700000000000.5","createdAt":"yesterday"}`,
	`{"isActive":true}`,
	`{"isActive":true,"syncEnabled":null}`,
	`{"isActive":true,"syncEnabled":"no"}`,
	`{"appCategories":["a",null,"b"],"supportedAuthTypes":[],"documentationLinks":[null,{"title":"t","URL":"u"}]}`,
	`{"appCategories":["a",1],"documentationLinks":[{"title":1}]}`,
	`{"documentationLinks":[{"title":"a","title":null,"url":"u","type":"t"}]}`,
	`{"n\u0061me":"esc\u00e9\ud83d\ude00","\u005fkey":"\xff"}`,
	`{"config":{"a": [1, 2, {"b": null}]},"config2": "x"}`,
	`{"config":null}`,
	`{"page":1,"limit":2.5,"total":1e3,"totalCount":7,"hasNext":true,"hasMore":null,"nextPage":null,"prevPage":3,"search":"s","z":[]}`,
	`{"page":-0,"limit":99999999999999999999,"nextPage":"2","prevPage":null}`,
	`{"connectors":[{"_key":"a"},null,{"_key":"b","name":"n","name":"m"}],"pagination":{"page":1,"hasNext":false},"scopeCounts":{"team":2,"personal":1}}`,
	`{"pagination":{"page":9},"connectors":{"connectors":[{"_key":"a"}],"pagination":{"page":1,"totalPages":2,"hasNext":true},"scopeCounts":{"team":1}}}`,
	`{"connectors":{"connectors":[]},"scopeCounts":[1]}`,
	`{"connectors":"x"}`,
	`{"connectors":[1]}`,
	`{"connectors":null,"pagination":[]}`,
	`{"connectors":[],"connectors":[{"_key":"b"}]}`,
	`{"type":"Drive","scope":"team"}`,
	`{"type":"Drive","scope":["team","personal"]}`,
	`{"supportedScopes":["team"],"scope":"personal"}`,
	`{"supportedScopes":"team","scope":["personal"]}`,
	`{"supportedScopes":null,"scope":"personal"}`,
	`{"scope":5,"supportedScopes":[1]}`,
	`{"name":"n","displayName":"d","appDescription":"a","description":null,"categories":["c"],"appCategories":["d"]}`,
	`null`, ` {} `, `[]`, `"s"`, `5`, `{`, `{"a":}`, `{"a":1,}`, `{"a":1} x`, `{"a":"\x01"}`, `{"a":"\q"}`,
	`{"a":01}`, `{"a":1.}`, `{"a":-}`, `{"a":tru}`, `{"a" 1}`, `{1:2}`, ``, `{"a":[1 2]}`,
}

// FuzzOnePassMatchesMapDecoding: the one-pass decoders and the map-based ones
// read every input alike: both fail, or both give the same value.
func FuzzOnePassMatchesMapDecoding(f *testing.F) {
	for _, s := range onePassTricky {
		f.Add([]byte(s))
	}
	dir := filepath.Join("testdata", "golden", "payloads")
	sources, _ := os.ReadDir(dir)
	for _, src := range sources {
		files, _ := os.ReadDir(filepath.Join(dir, src.Name()))
		for _, file := range files {
			if b, err := os.ReadFile(filepath.Join(dir, src.Name(), file.Name())); err == nil {
				f.Add(b)
			}
		}
	}
	// Nesting at encoding/json's limit and one past it, through a raw member and
	// through the typed nested list.
	for _, depth := range []int{jsonread.MaxDepth, jsonread.MaxDepth + 1} {
		f.Add([]byte(`{"config":` + strings.Repeat("[", depth-1) + strings.Repeat("]", depth-1) + `}`))
		f.Add([]byte(strings.Repeat(`{"connectors":`, depth-1) + `{}` + strings.Repeat(`}`, depth-1)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		compareOnePass(t, data, new(ConnectorInstance), new(ConnectorInstance), (*ConnectorInstance).unmarshalWire)
		compareOnePass(t, data, new(ConnectorPagination), new(ConnectorPagination), (*ConnectorPagination).unmarshalWire)
		compareOnePass(t, data, new(ConnectorInstanceList), new(ConnectorInstanceList), (*ConnectorInstanceList).unmarshalWire)
		compareOnePass(t, data, new(ConnectorType), new(ConnectorType), (*ConnectorType).unmarshalWire)
	})
}

func compareOnePass[T any, P interface {
	*T
	json.Unmarshaler
}](t *testing.T, data []byte, fast, slow P, wire func(P, []byte) error) {
	t.Helper()
	errFast := fast.UnmarshalJSON(data)
	errSlow := wire(slow, data)
	if (errFast == nil) != (errSlow == nil) {
		t.Fatalf("%T of %q: one-pass error %v, map-based error %v", fast, data, errFast, errSlow)
	}
	if errFast == nil && !reflect.DeepEqual(fast, slow) {
		t.Fatalf("%T of %q:\none-pass  %#v\nmap-based %#v", fast, data, fast, slow)
	}
	// Through encoding/json (which validates first) the results agree too.
	var viaJSON T
	if err := json.Unmarshal(data, &viaJSON); err == nil && errSlow == nil && !reflect.DeepEqual(&viaJSON, slow) {
		t.Fatalf("%T of %q through json.Unmarshal:\n%#v\nmap-based %#v", fast, data, &viaJSON, slow)
	}
}
