package models

import (
	"bytes"
	"encoding/json"
)

// OpenInt (v0 API, https://api.openint.dev/v0/) objects of the core connection
// endpoints. JSON names are the vendor's own camelCase, except the extras that the
// server names in snake_case (connector_config) and the sync result.

// CoreConnectionStatus is the health of an OpenInt connection as its connector
// reports it (Standard.Status). It is an open set: a value the SDK does not know yet
// decodes as it is.
type CoreConnectionStatus string

// Known values of CoreConnectionStatus.
const (
	CoreConnectionStatusHealthy      CoreConnectionStatus = "healthy"
	CoreConnectionStatusDisconnected CoreConnectionStatus = "disconnected"
	CoreConnectionStatusError        CoreConnectionStatus = "error"
	CoreConnectionStatusManual       CoreConnectionStatus = "manual"
)

// CoreConnection is an OpenInt connection: one customer's credentials for one
// connector config (ids "conn_…"). The server sends null for absent optional
// values; they decode as the zero value.
//
// Settings are connector-specific and may hold credentials (OAuth tokens, API keys):
// do not log them.
type CoreConnection struct {
	// ID starts with "conn_".
	ID        string    `json:"id"`
	CreatedAt Timestamp `json:"createdAt"`
	UpdatedAt Timestamp `json:"updatedAt"`
	// ConnectorName is the connector's unique name, e.g. "hubspot".
	ConnectorName string `json:"connectorName"`
	DisplayName   string `json:"displayName,omitempty"`
	// CustomerID is your own id for the end user who owns the connection.
	CustomerID string `json:"customerId,omitempty"`
	// ConnectorConfigID starts with "ccfg_".
	ConnectorConfigID string `json:"connectorConfigId"`
	// IntegrationID starts with "int_", when the connection is tied to one.
	IntegrationID string `json:"integrationId,omitempty"`
	// Settings are connector-specific, and may contain credentials.
	Settings map[string]any `json:"settings,omitempty"`
	// Standard is the connector-independent summary of the connection.
	Standard *CoreConnectionStandard `json:"standard,omitempty"`
	Disabled bool                    `json:"disabled"`
	// Metadata is any JSON value you attached, as sent by the server (it may be the
	// literal null). Decode it with DecodeMetadata or json.Unmarshal.
	Metadata json.RawMessage `json:"metadata,omitempty"`

	// ConnectorConfig is sent by Get only: the connector config the connection
	// belongs to.
	ConnectorConfig *CoreConnectionConnectorConfig `json:"connector_config,omitempty"`
	// Integration is sent by List and Get when asked for with expand=integration.
	Integration *CoreConnectionIntegration `json:"integration,omitempty"`
	// Connector is sent by List and Get when asked for with
	// expand=integration.connector.
	Connector *CoreConnectionConnector `json:"connector,omitempty"`
}

// CoreConnectionStandard is the connector-independent view of a connection.
type CoreConnectionStandard struct {
	DisplayName   string               `json:"displayName,omitempty"`
	Status        CoreConnectionStatus `json:"status,omitempty"`
	StatusMessage string               `json:"statusMessage,omitempty"`
	Labels        []string             `json:"labels,omitempty"`
}

// CoreConnectionConnectorConfig is the connector config a connection belongs to, as
// embedded in Get's answer.
type CoreConnectionConnectorConfig struct {
	// ID starts with "ccfg_".
	ID string `json:"id"`
	// OrgID starts with "org_".
	OrgID         string `json:"orgId"`
	ConnectorName string `json:"connectorName"`
}

// CoreConnectionIntegration is the integration a connection is tied to, as embedded
// in List's and Get's answers.
type CoreConnectionIntegration struct {
	// ID starts with "int_".
	ID      string `json:"id"`
	Name    string `json:"name"`
	LogoURL string `json:"logoUrl,omitempty"`
}

// CoreConnectionConnector is the connector behind a connection, as embedded in
// List's and Get's answers.
type CoreConnectionConnector struct {
	// ID is the connector's id; the spec documents it as a "ccfg_" id.
	ID      string `json:"id"`
	Name    string `json:"name"`
	LogoURL string `json:"logoUrl,omitempty"`
}

// DecodeMetadata unmarshals Metadata into v. Absent or null metadata leaves v
// untouched and returns nil.
func (c *CoreConnection) DecodeMetadata(v any) error {
	m := bytes.TrimSpace(c.Metadata)
	if len(m) == 0 || bytes.Equal(m, []byte("null")) {
		return nil
	}
	return json.Unmarshal(m, v)
}

// CoreConnectionSyncResult is what a sync request returns: the ids of the events it
// emitted, to correlate with OpenInt's event log and webhooks.
type CoreConnectionSyncResult struct {
	ConnectionRequestedEventID string             `json:"connection_requested_event_id,omitempty"`
	PipelineSyncs              []CorePipelineSync `json:"pipeline_syncs,omitempty"`
}

// CorePipelineSync names the event that marks one pipeline's sync as completed.
type CorePipelineSync struct {
	PipelineID           string `json:"pipeline_id"`
	SyncCompletedEventID string `json:"sync_completed_event_id"`
}
