package connapi

import (
	"fmt"
	"log/slog"
	"reflect"

	"github.com/connapi/connapi-go/internal/redact"
)

// Printing and logging the request types, token source configs, token sources and
// the Client hides the credentials they hold, under every fmt verb and in slog's
// handlers, as the models do (see package models): settings, setup and the like
// keep their keys and show "[REDACTED]" for every value; passwords, client
// secrets, API keys and OAuth codes and states are "[REDACTED]". json.Marshal of a
// request is faithful: it is what the SDK sends.
var _ = redact.Register(map[reflect.Type]map[string]redact.Kind{
	reflect.TypeFor[PasswordGrantConfig]():                 {"Password": redact.Value, "ClientSecret": redact.Value, "TokenURL": redact.Query},
	reflect.TypeFor[GoTrueConfig]():                        {"APIKey": redact.Value, "Password": redact.Value, "TokenURL": redact.Query},
	reflect.TypeFor[CreateCoreConnectionRequest]():         {"Settings": redact.Keys},
	reflect.TypeFor[UpdateCoreConnectionRequest]():         {"Settings": redact.Keys},
	reflect.TypeFor[UpdateNamespaceConnectionRequest]():    {"Setup": redact.Keys, "OAuthAccessDetails": redact.Keys},
	reflect.TypeFor[ConnectorOAuthCallbackParams]():        {"Code": redact.Value, "State": redact.Value},
	reflect.TypeFor[CreateConnectionFromCallbackRequest](): {"Code": redact.Value},
	reflect.TypeFor[UpdateConnectionFromCallbackRequest](): {"Code": redact.Value},
	reflect.TypeFor[clientView]():                          {"BaseURL": redact.Query},
	reflect.TypeFor[tokenSourceView]():                     {"TokenURL": redact.Query},
})

// Format prints c with its password and client secret hidden.
func (c PasswordGrantConfig) Format(f fmt.State, verb rune) { redact.Format(f, verb, redact.Copy(c)) }

// LogValue logs c with its password and client secret hidden.
func (c PasswordGrantConfig) LogValue() slog.Value { return redact.LogValue(redact.Copy(c)) }

// Format prints c with its API key and password hidden.
func (c GoTrueConfig) Format(f fmt.State, verb rune) { redact.Format(f, verb, redact.Copy(c)) }

// LogValue logs c with its API key and password hidden.
func (c GoTrueConfig) LogValue() slog.Value { return redact.LogValue(redact.Copy(c)) }

// Format prints r with its settings hidden.
func (r CreateCoreConnectionRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(r))
}

// LogValue logs r with its settings hidden.
func (r CreateCoreConnectionRequest) LogValue() slog.Value { return redact.LogValue(redact.Copy(r)) }

// Format prints r with its settings hidden.
func (r UpdateCoreConnectionRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(r))
}

// LogValue logs r with its settings hidden.
func (r UpdateCoreConnectionRequest) LogValue() slog.Value { return redact.LogValue(redact.Copy(r)) }

// Format prints r with its setup and OAuth details hidden.
func (r UpdateNamespaceConnectionRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(r))
}

// LogValue logs r with its setup and OAuth details hidden.
func (r UpdateNamespaceConnectionRequest) LogValue() slog.Value {
	return redact.LogValue(redact.Copy(r))
}

// Format prints p with its code and state hidden.
func (p ConnectorOAuthCallbackParams) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(p))
}

// LogValue logs p with its code and state hidden.
func (p ConnectorOAuthCallbackParams) LogValue() slog.Value { return redact.LogValue(redact.Copy(p)) }

// Format prints r with its OAuth code and the connection's provider data hidden.
func (r CreateConnectionFromCallbackRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(r))
}

// LogValue logs r with its OAuth code and the connection's provider data hidden.
func (r CreateConnectionFromCallbackRequest) LogValue() slog.Value {
	return redact.LogValue(redact.Copy(r))
}

// Format prints r with its OAuth code and the connection's provider data hidden.
func (r UpdateConnectionFromCallbackRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(r))
}

// LogValue logs r with its OAuth code and the connection's provider data hidden.
func (r UpdateConnectionFromCallbackRequest) LogValue() slog.Value {
	return redact.LogValue(redact.Copy(r))
}

// Format prints r with the secrets of its config hidden.
func (r CreateConnectorRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(r))
}

// LogValue logs r with the secrets of its config hidden.
func (r CreateConnectorRequest) LogValue() slog.Value { return redact.LogValue(redact.Copy(r)) }

// Format prints r with the secrets of its sections hidden.
func (r UpdateConnectorConfigRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(r))
}

// LogValue logs r with the secrets of its sections hidden.
func (r UpdateConnectorConfigRequest) LogValue() slog.Value { return redact.LogValue(redact.Copy(r)) }

// Format prints r with its auth values hidden.
func (r UpdateConnectorAuthConfigRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(r))
}

// LogValue logs r with its auth values hidden.
func (r UpdateConnectorAuthConfigRequest) LogValue() slog.Value {
	return redact.LogValue(redact.Copy(r))
}

// Format prints r with the secrets of its sync section hidden.
func (r UpdateConnectorFiltersSyncRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(r))
}

// LogValue logs r with the secrets of its sync section hidden.
func (r UpdateConnectorFiltersSyncRequest) LogValue() slog.Value {
	return redact.LogValue(redact.Copy(r))
}

// clientView is what printing a Client shows: never its credentials (nor the
// query values of its base URL).
type clientView struct {
	BaseURL string `json:"baseUrl"`
}

// Format prints the client's base URL only: its credentials, token source and
// transport stay out of every fmt verb.
func (c *Client) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(clientView{BaseURL: c.baseURL}))
}

// LogValue logs the client's base URL only.
func (c *Client) LogValue() slog.Value {
	return redact.LogValue(redact.Copy(clientView{BaseURL: c.baseURL}))
}

// tokenSourceView is what printing a token source shows: never the password, the
// client secret, the API key or a token.
type tokenSourceView struct {
	TokenURL string `json:"tokenUrl"`
}

// Format prints the token URL only: the password, the client secret and the cached
// token stay out of every fmt verb.
func (ts *PasswordGrantTokenSource) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(tokenSourceView{TokenURL: ts.tokenURL.String()}))
}

// LogValue logs the token URL only.
func (ts *PasswordGrantTokenSource) LogValue() slog.Value {
	return redact.LogValue(redact.Copy(tokenSourceView{TokenURL: ts.tokenURL.String()}))
}

// Format prints the token URL only: the password, the API key and the cached token
// stay out of every fmt verb.
func (ts *GoTrueTokenSource) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(tokenSourceView{TokenURL: ts.tokenURL.String()}))
}

// LogValue logs the token URL only.
func (ts *GoTrueTokenSource) LogValue() slog.Value {
	return redact.LogValue(redact.Copy(tokenSourceView{TokenURL: ts.tokenURL.String()}))
}
