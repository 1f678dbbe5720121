package connapi

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go/models"
)

// decodeBody hands the one-pass models their bytes without encoding/json's
// check: they must refuse every body json.Unmarshal refuses, and read the others
// alike.
func TestOnePassModelsDecodeLikeEncodingJSON(t *testing.T) {
	t.Parallel()
	bodies := []string{
		`{"connectors":[{"_key":"a","name":"n","createdAtTimestamp":1700000000000}],"pagination":{"page":1,"hasNext":false}}`,
		`{"connectors":{"connectors":[{"connectorId":"b"}]},"page":1,"limit":2,"totalCount":3,"type":"Drive","scope":"team"}`,
		`{"connectors":[{"_key":"a"}]`, `{"connectors":[{"_key":"a"}]} {}`, `{"connectors":[{"_key":"a",}]}`,
		`{"connectors":[{"_key":"\x"}]}`, `{"connectors":[{"_key":"a"}],"pagination":{"page":01}}`,
		`{"connectors":[{"_key":tru}]}`, `{"config":[1,]}`, `{"a" 1}`, `[`, `{"x":"` + "\x01" + `"}`,
		`{"connectors":[1]}`, `"s"`, `12`, `{"page":1e2,"total":-0}`, "{\"connectors\":[]}\x00",
	}
	targets := []func() any{
		func() any { return new(models.ConnectorInstanceList) },
		func() any { return new(models.ConnectorInstance) },
		func() any { return new(models.ConnectorPagination) },
		func() any { return new(models.ConnectorType) },
	}
	for _, body := range bodies {
		for _, newT := range targets {
			got, want := newT(), newT()
			_, ok := onePassModel(got)
			require.True(t, ok, "%T", got)
			err := decodeBody([]byte(body), "application/json", got, false)
			wantErr := json.Unmarshal([]byte(body), want)
			if assert.Equal(t, wantErr != nil, err != nil, "%T of %s: %v / %v", got, body, err, wantErr) && err == nil {
				assert.Equal(t, want, got, "%T of %s", got, body)
			}
		}
	}
}

// connectorEnvelope reads what encoding/json reads into the anonymous struct it
// replaced.
func TestConnectorEnvelopeDecodesLikeEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"success":true,"connector":{"_key":"a","name":"n","isAgentActive":true}}`,
		`{"CONNECTOR":{"_key":"a"}}`, `{"conne\u0063tor":{"_key":"e"}}`, `{"connector":null}`,
		`{"connector":{"_key":"a"},"connector":{"_key":"b"}}`, `{"Connector":{"_key":"a"},"connector":null}`,
		`{"connector":5}`, `{"connector":"x"}`, `{"connector":[1]}`, `{"connector":true}`, `null`, `[1]`, `"s"`,
		`{"connector":{}} x`, "{\"connector\":{}}\x00", `{"connector":{"_key":"a"}`, `{"connector":{"_key":tru}}`,
		`{"success":true}`, `{}`, `{"connectors":{"_key":"a"}}`,
	} {
		var got connectorEnvelope
		var want struct {
			Connector *models.ConnectorInstance `json:"connector"`
		}
		err := decodeBody([]byte(body), "application/json", &got, true)
		wantErr := json.Unmarshal([]byte(body), &want)
		if assert.Equal(t, wantErr != nil, err != nil, "%s: %v / %v", body, err, wantErr) && err == nil {
			assert.Equal(t, want.Connector, got.Connector, body)
		}
	}
}
