package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// This file holds the Instill AI objects of the v1beta pipeline API
// (pipeline.pipeline.v1beta in instill-ai/protobufs): namespace connections and
// the integrations they are made for. JSON names are the lowerCamelCase names
// grpc-gateway writes.

// NamespaceConnectionMethod is how an Instill AI connection is set up
// (Connection.Method in the proto). It is an open string type: values this SDK
// does not know decode as they are, so a newer server never breaks decoding.
type NamespaceConnectionMethod string

// Known NamespaceConnectionMethod values.
const (
	// NamespaceConnectionMethodUnspecified is the proto's zero value. The server
	// never returns it for a stored connection, and rejects it on creation.
	NamespaceConnectionMethodUnspecified NamespaceConnectionMethod = "METHOD_UNSPECIFIED"
	// NamespaceConnectionMethodDictionary is a key-value setup the user filled in
	// with details fetched from the third-party service.
	NamespaceConnectionMethodDictionary NamespaceConnectionMethod = "METHOD_DICTIONARY"
	// NamespaceConnectionMethodOAuth is a setup holding an access token obtained
	// through an OAuth 2.0 flow.
	NamespaceConnectionMethodOAuth NamespaceConnectionMethod = "METHOD_OAUTH"
)

var namespaceConnectionMethodByNumber = [...]NamespaceConnectionMethod{
	NamespaceConnectionMethodUnspecified,
	NamespaceConnectionMethodDictionary,
	NamespaceConnectionMethodOAuth,
}

// IsKnown reports whether m is METHOD_DICTIONARY or METHOD_OAUTH, the two methods
// a connection can be created with.
func (m NamespaceConnectionMethod) IsKnown() bool {
	return m == NamespaceConnectionMethodDictionary || m == NamespaceConnectionMethodOAuth
}

// UnmarshalJSON reads the enum name, or its proto number (0, 1, 2) as protojson
// also allows; an unknown number is kept as its decimal text.
func (m *NamespaceConnectionMethod) UnmarshalJSON(b []byte) error {
	s, err := unmarshalProtoEnum(b, namespaceConnectionMethodByNumber[:], "NamespaceConnectionMethod")
	*m = s
	return err
}

// InstillView is how much of an Instill AI resource a response shows
// (pipeline.v1beta.View). VIEW_BASIC is the default; VIEW_FULL adds, for a
// connection, setup, scopes and oAuthAccessDetails, and, for an integration,
// setupSchema and oAuthConfig. It is an open string type: unknown values decode
// as they are.
type InstillView string

// Known InstillView values.
const (
	// InstillViewUnspecified is the proto's zero value; the server treats it as
	// VIEW_BASIC.
	InstillViewUnspecified InstillView = "VIEW_UNSPECIFIED"
	// InstillViewBasic is the default view, without setup details.
	InstillViewBasic InstillView = "VIEW_BASIC"
	// InstillViewFull is the full representation.
	InstillViewFull InstillView = "VIEW_FULL"
)

var instillViewByNumber = [...]InstillView{InstillViewUnspecified, InstillViewBasic, InstillViewFull}

// IsKnown reports whether v is one of the three values of the proto enum.
func (v InstillView) IsKnown() bool {
	return v == InstillViewUnspecified || v == InstillViewBasic || v == InstillViewFull
}

// UnmarshalJSON reads the enum name, or its proto number (0, 1, 2); an unknown
// number is kept as its decimal text.
func (v *InstillView) UnmarshalJSON(b []byte) error {
	s, err := unmarshalProtoEnum(b, instillViewByNumber[:], "InstillView")
	*v = s
	return err
}

// unmarshalProtoEnum decodes a protojson enum value: a string, a number, or null.
func unmarshalProtoEnum[E ~string](b []byte, byNumber []E, name string) (E, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return "", nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return "", err
		}
		return E(s), nil
	}
	n, err := strconv.ParseInt(string(b), 10, 32)
	if err != nil {
		return "", fmt.Errorf("models.%s: %s is neither a string nor an integer", name, truncate(b))
	}
	if n >= 0 && int(n) < len(byNumber) {
		return byNumber[n], nil
	}
	return E(strconv.FormatInt(n, 10)), nil
}

// NamespaceConnection is an Instill AI connection (Connection in the proto): the
// parameters a pipeline component uses to talk to a third-party app, owned by a
// namespace (a user or an organization). One connection can serve many components
// and pipelines.
//
// Setup and OAuthAccessDetails are JSON objects (google.protobuf.Struct), held as
// map[string]any: JSON numbers become float64, nested objects map[string]any. A
// nil map is absent; an empty non-nil map is sent as {} (the fields use
// omitzero), which is what Create needs for an integration without setup fields.
//
// The server fills Setup, Scopes and OAuthAccessDetails only in the VIEW_FULL
// view; List always returns VIEW_BASIC. When the object is sent (Create), the
// output-only fields (UID, NamespaceID, IntegrationTitle, View, CreateTime,
// UpdateTime) are ignored by the server; left zero, they are not sent at all.
type NamespaceConnection struct {
	// UID is the server-assigned UUID. Output only.
	UID string `json:"uid,omitempty"`
	// ID is the user-chosen ID, unique in the namespace. Required on creation.
	ID string `json:"id,omitempty"`
	// NamespaceID is the owning namespace. Output only.
	NamespaceID string `json:"namespaceId,omitempty"`
	// IntegrationID names the integration (component definition) that can use
	// the connection, e.g. "openai". Required on creation; immutable.
	IntegrationID string `json:"integrationId,omitempty"`
	// IntegrationTitle is the integration's display title. Output only.
	IntegrationTitle string `json:"integrationTitle,omitempty"`
	// Method is how the connection is set up. Required on creation.
	Method NamespaceConnectionMethod `json:"method,omitempty"`
	// Setup holds the connection details, shaped by the integration's
	// SetupSchema. Required on creation; the server redacts secret values when
	// showing it, and shows it only in the VIEW_FULL view.
	Setup map[string]any `json:"setup,omitzero"`
	// Scopes are the OAuth scopes the connection was granted.
	Scopes []string `json:"scopes,omitzero"`
	// Identity is, for METHOD_OAUTH, the account (email, user name) the access
	// token was issued for.
	Identity string `json:"identity,omitempty"`
	// OAuthAccessDetails holds vendor-specific extras that came with an OAuth
	// access token.
	OAuthAccessDetails map[string]any `json:"oAuthAccessDetails,omitzero"`
	// View is the view the server rendered the object in. Output only.
	View InstillView `json:"view,omitempty"`
	// CreateTime is when the connection was created. Output only.
	CreateTime Timestamp `json:"createTime,omitzero"`
	// UpdateTime is when the connection was last changed. Output only.
	UpdateTime Timestamp `json:"updateTime,omitzero"`
}

// NamespaceConnectionList is one page of NamespaceConnectionsService.List.
type NamespaceConnectionList struct {
	// Connections are the page's connections, in the VIEW_BASIC view.
	Connections []*NamespaceConnection `json:"connections"`
	// NextPageToken fetches the next page; empty on the last page.
	NextPageToken string `json:"nextPageToken"`
	// TotalSize is the number of connections matching the request, all pages
	// together.
	TotalSize int `json:"totalSize"`
}

// ReferencedPipelineList is one page of NamespaceConnectionsService.ReferencedPipelines:
// the IDs of the pipelines that use a connection.
type ReferencedPipelineList struct {
	// PipelineIDs are pipeline IDs in the connection's namespace.
	PipelineIDs []string `json:"pipelineIds"`
	// NextPageToken fetches the next page; empty on the last page.
	NextPageToken string `json:"nextPageToken"`
	// TotalSize is the number of pipelines matching the request, all pages
	// together.
	TotalSize int `json:"totalSize"`
}

// Integration is an Instill AI integration: a third-party app that components can
// connect to, and the schema of the setup a connection to it needs. Its ID is the
// ID of the component definition that uses such connections. All fields are
// output only.
type Integration struct {
	// UID is the UUID of the component definition.
	UID string `json:"uid,omitempty"`
	// ID is the component definition ID, e.g. "openai"; a connection's
	// IntegrationID refers to it.
	ID string `json:"id,omitempty"`
	// Title is the app's name.
	Title string `json:"title,omitempty"`
	// Description is a short description of the app.
	Description string `json:"description,omitempty"`
	// Vendor is the app vendor's name.
	Vendor string `json:"vendor,omitempty"`
	// Icon is a path to the icon, relative to the component implementation.
	Icon string `json:"icon,omitempty"`
	// HelpLink points at the vendor's documentation; nil when absent.
	HelpLink *IntegrationLink `json:"helpLink,omitempty"`
	// SetupSchema is the JSON Schema of a connection's Setup, per method. Only
	// in the VIEW_FULL view.
	SetupSchema map[string]any `json:"setupSchema,omitzero"`
	// OAuthConfig is present only when the integration supports OAuth 2.0, and
	// only in the VIEW_FULL view.
	OAuthConfig *IntegrationOAuthConfig `json:"oAuthConfig,omitempty"`
	// View is the view the server rendered the object in.
	View InstillView `json:"view,omitempty"`
}

// IntegrationLink is a link to external documentation (Integration.Link).
type IntegrationLink struct {
	// Text is the text to display.
	Text string `json:"text,omitempty"`
	// URL is where the link goes.
	URL string `json:"url,omitempty"`
}

// IntegrationOAuthConfig holds what an OAuth 2.0 flow for an integration needs
// (Integration.OAuthConfig).
type IntegrationOAuthConfig struct {
	// AuthURL is where the authorization flow starts.
	AuthURL string `json:"authUrl,omitempty"`
	// AccessURL is where the authorization code is exchanged for a token.
	AccessURL string `json:"accessUrl,omitempty"`
	// Scopes are the scopes a connection asks for.
	Scopes []string `json:"scopes,omitempty"`
}

// IntegrationList is one page of IntegrationsService.List.
type IntegrationList struct {
	// Integrations are the page's integrations, in the VIEW_BASIC view.
	Integrations []*Integration `json:"integrations"`
	// NextPageToken fetches the next page; empty on the last page.
	NextPageToken string `json:"nextPageToken"`
	// TotalSize is the number of integrations matching the request, all pages
	// together.
	TotalSize int `json:"totalSize"`
}
