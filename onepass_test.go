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
		`{"connectors":[1]}`, `"s"`, `12`, `{"page":1e2,"total":-0}`,
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
