package models_test

import (
	"encoding/json"
	"testing"

	"github.com/connapi/connapi-go/models"
)

// FuzzDecode feeds arbitrary JSON to every model with hand-written decoding:
// decoding may fail, but must never panic, and what decodes must encode again.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"_key":"k","name":"n","type":"Drive","createdAtTimestamp":1700000000000,"isAgentActive":true}`,
		`{"connectorId":"c","instanceName":"n","connectorType":"t","agentEnabled":true,"createdAt":"2026-01-02T03:04:05Z"}`,
		`{"page":1,"limit":2,"totalCount":3,"totalPages":2,"hasNext":true,"nextPage":2}`,
		`{"page":1,"limit":2,"total":3,"hasMore":true}`,
		`{"org_level_role":"viewer","user_roles":{"u":["editor"]},"group_roles":{"editor":["g"]}}`,
		`{"resource_id":"r","inode_type":"file","inode_path":{"path":"a/b"},"size":3}`,
		`{"createdAt":"2025-03-04 10:00:00.5+00","metadata":null}`,
		`"2026-01-02"`, `1700000000000`, `null`, `[]`, `{}`, `{"a":`,
	} {
		f.Add([]byte(seed))
	}
	targets := []func() any{
		func() any { return new(models.Timestamp) },
		func() any { return new(models.ConnectorInstance) },
		func() any { return new(models.ConnectorPagination) },
		func() any { return new(models.ConnectorOAuthCallbackResult) },
		func() any { return new(models.ConnectorFilterOption) },
		func() any { return new(models.ConnectionRBAC) },
		func() any { return new(models.Resource) },
		func() any { return new(models.Connection) },
		func() any { return new(models.AvailableConnection) },
		func() any { return new(models.ConnectionPage) },
		func() any { return new(models.NamespaceConnection) },
		func() any { return new(models.Integration) },
		func() any { return new(models.CoreConnection) },
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, newT := range targets {
			v := newT()
			if json.Unmarshal(data, v) != nil {
				continue
			}
			if _, err := json.Marshal(v); err != nil {
				t.Fatalf("%T decoded %q but does not encode: %v", v, data, err)
			}
		}
	})
}
