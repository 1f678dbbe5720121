// Package engines is the JSON engine evaluation of issue 12 ("Make it fast", item
// 2): encoding/json against github.com/go-json-experiment/json (v2, and its v1
// compatibility package), github.com/goccy/go-json and
// github.com/segmentio/encoding/json, on the ListPage200 and Get answers of the
// benchmark server. The decision and its numbers are in docs/PERFORMANCE.md ("JSON
// engine decision"). These engines are dependencies of this bench module only,
// never of the SDK.
//
//	cd bench && go test -run '^$' -bench . -count 10 ./engines > engines.txt && benchstat engines.txt
//	cd bench && go test -run TestEnginesOnTheGoldenCorpus -v ./engines
package engines

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
	gojson "github.com/goccy/go-json"
	segjson "github.com/segmentio/encoding/json"

	"github.com/connapi/connapi-go/bench/internal/cputime"
	"github.com/connapi/connapi-go/bench/internal/payload"
	"github.com/connapi/connapi-go/models"
)

// engine is one Unmarshal function.
type engine struct {
	name      string
	unmarshal func([]byte, any) error
}

var engines = []engine{
	{"encodingjson", json.Unmarshal},
	{"jsonv2", func(b []byte, v any) error { return jsonv2.Unmarshal(b, v) }},
	{"jsonv2-v1compat", jsonv1.Unmarshal},
	{"goccy", gojson.Unmarshal},
	{"segmentio", segjson.Unmarshal},
}

// instanceEnvelope is what ConnectorInstances.Get and Create decode.
type instanceEnvelope struct {
	Connector *models.ConnectorInstance `json:"connector"`
}

// BenchmarkListPage200 decodes the 157 KB page of 200 instances:
//
//   - <engine>/sdk: into the SDK's models.ConnectorInstanceList through the
//     engine's Unmarshal, as decodeBody would with that engine (the engine checks
//     the bytes, then calls the model's one-pass UnmarshalJSON);
//   - sdk-direct: the model's UnmarshalJSON alone, which is what decodeBody does
//     now for this type;
//   - <engine>/structs: into plain structs with every member (the floor's
//     types), the engine's own speed on this payload;
//   - jsonv2/unknown: into structs with both wire shapes' names and a ",unknown"
//     map, then into the SDK's models: what a model decoder built on v2 would do
//     at best (it cannot keep a wrongly typed member in Extra: v2 fails the whole
//     page instead).
func BenchmarkListPage200(b *testing.B) {
	body := payload.ListPage(1, payload.MaxLimit)
	decodeLoop(b, "sdk-direct", body, func() error {
		var l models.ConnectorInstanceList
		return l.UnmarshalJSON(body)
	})
	for _, e := range engines {
		decodeLoop(b, e.name+"/sdk", body, func() error {
			var l models.ConnectorInstanceList
			return e.unmarshal(body, &l)
		})
		decodeLoop(b, e.name+"/structs", body, func() error {
			var l payload.List
			return e.unmarshal(body, &l)
		})
	}
	decodeLoop(b, "jsonv2/unknown", body, func() error {
		var l v2List
		err := jsonv2.Unmarshal(body, &l)
		_ = l.models()
		return err
	})
}

// BenchmarkGet decodes the 1.5 KB answer to Get, into the SDK's envelope
// (<engine>/sdk) and into the floor's structs (<engine>/structs).
func BenchmarkGet(b *testing.B) {
	body := payload.Get()
	for _, e := range engines {
		decodeLoop(b, e.name+"/sdk", body, func() error {
			var env instanceEnvelope
			return e.unmarshal(body, &env)
		})
		decodeLoop(b, e.name+"/structs", body, func() error {
			var one payload.One
			return e.unmarshal(body, &one)
		})
	}
}

// decodeLoop runs decode (of body) as the sub-benchmark name, and reports the
// process's CPU time per decode (cpu-ns/op, see cputime).
func decodeLoop(b *testing.B, name string, body []byte, decode func() error) {
	b.Run(name, func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		c0 := cputime.Now()
		for b.Loop() {
			if err := decode(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(cputime.Now()-c0)/float64(b.N), "cpu-ns/op")
	})
}

// v2Instance reads both wire shapes of an instance in one pass with v2, keeping
// unknown members.
type v2Instance struct {
	ConnectorID        string                              `json:"connectorId"`
	Key                string                              `json:"_key"`
	InstanceName       string                              `json:"instanceName"`
	Name               string                              `json:"name"`
	ConnectorType      string                              `json:"connectorType"`
	Type               string                              `json:"type"`
	Scope              string                              `json:"scope"`
	AuthType           string                              `json:"authType"`
	CreatedBy          string                              `json:"createdBy"`
	UpdatedBy          *string                             `json:"updatedBy"`
	IsActive           bool                                `json:"isActive"`
	IsConfigured       bool                                `json:"isConfigured"`
	IsAuthenticated    bool                                `json:"isAuthenticated"`
	IsAgentActive      bool                                `json:"isAgentActive"`
	CreatedAtTimestamp int64                               `json:"createdAtTimestamp"`
	UpdatedAtTimestamp int64                               `json:"updatedAtTimestamp"`
	Status             *string                             `json:"status"`
	IsLocked           bool                                `json:"isLocked"`
	AppGroup           string                              `json:"appGroup"`
	AppDescription     string                              `json:"appDescription"`
	AppCategories      []string                            `json:"appCategories"`
	IconPath           string                              `json:"iconPath"`
	SupportedAuthTypes []models.AuthType                   `json:"supportedAuthTypes"`
	SupportsRealtime   bool                                `json:"supportsRealtime"`
	SupportsSync       bool                                `json:"supportsSync"`
	SupportsAgent      bool                                `json:"supportsAgent"`
	DocumentationLinks []models.ConnectorDocumentationLink `json:"documentationLinks"`
	AdminRequired      bool                                `json:"isAdminAccessRequired"`
	ConnectorInfo      *string                             `json:"connectorInfo"`
	Config             jsontext.Value                      `json:"config"`
	Unknown            map[string]jsontext.Value           `json:",unknown"`
}

type v2List struct {
	Connectors []*v2Instance               `json:"connectors"`
	Pagination *models.ConnectorPagination `json:"pagination"`
	Unknown    map[string]jsontext.Value   `json:",unknown"`
}

func (l *v2List) models() []*models.ConnectorInstance {
	out := make([]*models.ConnectorInstance, len(l.Connectors))
	for i, c := range l.Connectors {
		m := &models.ConnectorInstance{
			ConnectorID: c.ConnectorID, InstanceName: c.InstanceName, ConnectorType: c.ConnectorType,
			Scope: models.ConnectorScope(c.Scope), AuthType: models.AuthType(c.AuthType), CreatedBy: c.CreatedBy,
			IsActive: c.IsActive, IsConfigured: c.IsConfigured, IsAuthenticated: c.IsAuthenticated, SyncEnabled: c.IsActive,
			AgentEnabled: c.IsAgentActive, IsLocked: c.IsLocked, AppGroup: c.AppGroup, AppDescription: c.AppDescription,
			AppCategories: c.AppCategories, IconPath: c.IconPath, SupportedAuthTypes: c.SupportedAuthTypes,
			SupportsRealtime: c.SupportsRealtime, SupportsSync: c.SupportsSync, SupportsAgent: c.SupportsAgent,
			DocumentationLinks: c.DocumentationLinks, IsAdminAccessRequired: c.AdminRequired, Config: json.RawMessage(c.Config),
		}
		if m.ConnectorID == "" {
			m.ConnectorID = c.Key
		}
		if m.InstanceName == "" {
			m.InstanceName = c.Name
		}
		if m.ConnectorType == "" {
			m.ConnectorType = c.Type
		}
		if len(c.Unknown) > 0 {
			m.Extra = make(map[string]json.RawMessage, len(c.Unknown))
			for k, v := range c.Unknown {
				m.Extra[k] = json.RawMessage(v)
			}
		}
		out[i] = m
	}
	return out
}

// goldenTypes are the models decodeBody decodes answers into, one of each
// vendor's page and item types.
func goldenTypes() []any {
	return []any{
		new(models.ConnectorInstanceList), new(models.ConnectorInstance), new(instanceEnvelope), new(models.ConnectorRegistry),
		new(models.ConnectorConfig), new(models.ConnectorFilterOptions), new(models.ConnectorFilterFieldOptions),
		new(models.ConnectionPage), new(models.Connection), new(models.ResourcePage), new(models.ConnectionRBAC),
		new(models.NamespaceConnectionList), new(models.NamespaceConnection), new(models.IntegrationList),
		new(models.CoreConnection), new(models.Timestamp),
	}
}

// TestEnginesOnTheGoldenCorpus decodes every payload of the models' golden
// corpus into goldenTypes with every engine, and counts the results that differ
// from encoding/json's (a different value, or an error where the other has
// none). The engine decision rests on these counts: an engine is adopted only
// with identical results. The test fails when a count changes, so that the
// decision is looked at again.
func TestEnginesOnTheGoldenCorpus(t *testing.T) {
	t.Parallel()
	want := map[string]int{"encodingjson": 0, "jsonv2": 15, "jsonv2-v1compat": 0, "goccy": 0, "segmentio": 0}
	var payloads [][]byte
	root := filepath.Join("..", "..", "models", "testdata", "golden", "payloads")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path) //nolint:gosec // G122: the repository's own test corpus
		payloads = append(payloads, b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(payloads) < 300 {
		t.Fatalf("only %d payloads under %s", len(payloads), root)
	}
	for _, e := range engines {
		differ := 0
		for _, p := range payloads {
			for _, m := range goldenTypes() {
				typ := reflect.TypeOf(m).Elem()
				ref, got := reflect.New(typ).Interface(), reflect.New(typ).Interface()
				refErr := json.Unmarshal(p, ref)
				gotErr := safeUnmarshal(e, p, got)
				if (refErr == nil) != (gotErr == nil) || refErr == nil && !reflect.DeepEqual(ref, got) {
					differ++
					if differ <= 3 {
						t.Logf("%s: %T of %.120q: encoding/json %v, %s %v", e.name, got, p, refErr, e.name, gotErr)
					}
				}
			}
		}
		t.Logf("%s: %d results differ from encoding/json's (%d payloads × %d types)", e.name, differ, len(payloads), len(goldenTypes()))
		if differ != want[e.name] {
			t.Errorf("%s: %d results differ, the decision in docs/PERFORMANCE.md was taken with %d", e.name, differ, want[e.name])
		}
	}
}

// safeUnmarshal turns a panic of an engine into an error.
func safeUnmarshal(e engine, b []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return e.unmarshal(b, v)
}
