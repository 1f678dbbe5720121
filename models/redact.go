package models

import (
	"fmt"
	"log/slog"
	"reflect"

	"github.com/connapi/connapi-go/internal/redact"
)

// Printing and logging models hides their secrets.
//
// A model that can carry a credential (a connection's settings, setup, provider
// data or stored config, a connector's auth values, an OAuth state) implements
// fmt.Formatter and slog.LogValuer, and so does every model that contains one
// (lists, pages, results). Under every fmt verb (%v, %+v, %#v, %s, %q, %x…) and in
// slog's text and JSON handlers, the secret fields below are hidden:
//
//   - opaque maps and JSON objects (Stack AI provider data, OpenInt settings,
//     Instill setup, PipesHub auth values) keep their keys and show "[REDACTED]"
//     for every value;
//   - PipesHub's stored config, the members a model does not name (Extra) and
//     OpenInt's metadata show "[REDACTED]" for the members named like a secret (secret, password,
//     token, key, credential, …; see redact.SecretName), at every depth, and
//     for auth values and webhook URLs inside them; status, isLocked,
//     supportedAuthTypes, authType and the like stay readable;
//   - OAuth states are "[REDACTED]";
//   - URLs that carry an OAuth state keep their query's names but hide every value,
//     as the SDK's errors do; a webhook URL hides everything after its host.
//
// json.Marshal is left alone: it is faithful, so models round-trip, and it is the
// one way to see the secrets. Do not log its output.
//
// A slice of models logged as one slog value is encoded by slog's JSON handler
// with json.Marshal, secrets included: log the SDK's list types (which hide them),
// or each model on its own.
var _ = redact.Register(map[reflect.Type]map[string]redact.Kind{
	// Stack AI: the provider's parameters, API keys among them.
	reflect.TypeFor[Connection]():        {"ConnectionProviderData": redact.Keys},
	reflect.TypeFor[ConnectionRequest](): {"ConnectionProviderData": redact.Keys},
	// OpenInt: connector settings, e.g. settings.oauth.credentials.access_token.
	// Metadata is the caller's own data: its members named like a secret (an
	// api_key someone stored there) are hidden, the rest stays readable.
	reflect.TypeFor[CoreConnection](): {"Settings": redact.Keys, "Metadata": redact.Names},
	// Instill AI: setup secrets, and what came with an OAuth access token.
	reflect.TypeFor[NamespaceConnection](): {"Setup": redact.Keys, "OAuthAccessDetails": redact.Keys},
	// PipesHub: the auth values are credentials, every one hidden. The stored
	// config and the members no field names (Extra: status, isLocked,
	// supportedAuthTypes, …) hide the members named like a secret (client secrets,
	// tokens, keys, passwords, credentials, the echoed oauth), at every depth, and
	// the auth values and webhook URLs inside them; the rest stays readable.
	reflect.TypeFor[ConnectorInstance]():   {"Config": redact.Names, "Extra": redact.Names},
	reflect.TypeFor[ConnectorConfig]():     {"Extra": redact.Names},
	reflect.TypeFor[ConnectorAuthConfig](): {"Values": redact.Keys, "CustomValues": redact.Keys, "Extra": redact.Names},
	reflect.TypeFor[ConnectorSyncConfig](): {"Values": redact.Names, "CustomValues": redact.Names, "Extra": redact.Names},
	// A webhook URL is a credential: whoever has it can post.
	reflect.TypeFor[ConnectorWebhookSync](): {"WebhookURL": redact.URL, "Extra": redact.Names},
	// The OAuth state (and the URL that carries it) guards the callback.
	reflect.TypeFor[ConnectorOAuthAuthorization]():  {"AuthorizationURL": redact.Query, "State": redact.Value},
	reflect.TypeFor[ConnectorOAuthCallbackResult](): {"RedirectURL": redact.Query},
})

// Models that carry a secret.

// Format prints c with its secrets hidden: maps keep their keys and show
// "[REDACTED]" for every value, under every verb (SECURITY.md says what is hidden).
func (c Connection) Format(f fmt.State, verb rune) { redact.Format(f, verb, redact.Copy(c)) }

// LogValue logs c with its secrets hidden.
func (c Connection) LogValue() slog.Value { return redact.LogValue(redact.Copy(c)) }

// Format prints r with its secrets hidden.
func (r ConnectionRequest) Format(f fmt.State, verb rune) { redact.Format(f, verb, redact.Copy(r)) }

// LogValue logs r with its secrets hidden.
func (r ConnectionRequest) LogValue() slog.Value { return redact.LogValue(redact.Copy(r)) }

// Format prints c with its secrets hidden.
func (c CoreConnection) Format(f fmt.State, verb rune) { redact.Format(f, verb, redact.Copy(c)) }

// LogValue logs c with its secrets hidden.
func (c CoreConnection) LogValue() slog.Value { return redact.LogValue(redact.Copy(c)) }

// Format prints c with its secrets hidden.
func (c NamespaceConnection) Format(f fmt.State, verb rune) { redact.Format(f, verb, redact.Copy(c)) }

// LogValue logs c with its secrets hidden.
func (c NamespaceConnection) LogValue() slog.Value { return redact.LogValue(redact.Copy(c)) }

// Format prints c with its secrets hidden.
func (c ConnectorInstance) Format(f fmt.State, verb rune) { redact.Format(f, verb, redact.Copy(c)) }

// LogValue logs c with its secrets hidden.
func (c ConnectorInstance) LogValue() slog.Value { return redact.LogValue(redact.Copy(c)) }

// Format prints c with its secrets hidden.
func (c ConnectorConfig) Format(f fmt.State, verb rune) { redact.Format(f, verb, redact.Copy(c)) }

// LogValue logs c with its secrets hidden.
func (c ConnectorConfig) LogValue() slog.Value { return redact.LogValue(redact.Copy(c)) }

// Format prints a with its secrets hidden.
func (a ConnectorAuthConfig) Format(f fmt.State, verb rune) { redact.Format(f, verb, redact.Copy(a)) }

// LogValue logs a with its secrets hidden.
func (a ConnectorAuthConfig) LogValue() slog.Value { return redact.LogValue(redact.Copy(a)) }

// Format prints s with its secrets hidden.
func (s ConnectorSyncConfig) Format(f fmt.State, verb rune) { redact.Format(f, verb, redact.Copy(s)) }

// LogValue logs s with its secrets hidden.
func (s ConnectorSyncConfig) LogValue() slog.Value { return redact.LogValue(redact.Copy(s)) }

// Format prints s with its secrets hidden.
func (s ConnectorWebhookSync) Format(f fmt.State, verb rune) { redact.Format(f, verb, redact.Copy(s)) }

// LogValue logs s with its secrets hidden.
func (s ConnectorWebhookSync) LogValue() slog.Value { return redact.LogValue(redact.Copy(s)) }

// Format prints a with its secrets hidden.
func (a ConnectorOAuthAuthorization) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(a))
}

// LogValue logs a with its secrets hidden.
func (a ConnectorOAuthAuthorization) LogValue() slog.Value { return redact.LogValue(redact.Copy(a)) }

// Format prints r with its secrets hidden.
func (r ConnectorOAuthCallbackResult) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(r))
}

// LogValue logs r with its secrets hidden.
func (r ConnectorOAuthCallbackResult) LogValue() slog.Value { return redact.LogValue(redact.Copy(r)) }

// Models that contain one: lists, pages, sections and results.

// Format prints p with the secrets of its connections hidden.
func (p ConnectionPage) Format(f fmt.State, verb rune) { redact.Format(f, verb, redact.Copy(p)) }

// LogValue logs p with the secrets of its connections hidden.
func (p ConnectionPage) LogValue() slog.Value { return redact.LogValue(redact.Copy(p)) }

// Format prints l with the secrets of its connections hidden.
func (l NamespaceConnectionList) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(l))
}

// LogValue logs l with the secrets of its connections hidden.
func (l NamespaceConnectionList) LogValue() slog.Value { return redact.LogValue(redact.Copy(l)) }

// Format prints l with the secrets of its instances hidden.
func (l ConnectorInstanceList) Format(f fmt.State, verb rune) { redact.Format(f, verb, redact.Copy(l)) }

// LogValue logs l with the secrets of its instances hidden.
func (l ConnectorInstanceList) LogValue() slog.Value { return redact.LogValue(redact.Copy(l)) }

// Format prints r with the secrets of its instance hidden.
func (r ConnectorToggleResult) Format(f fmt.State, verb rune) { redact.Format(f, verb, redact.Copy(r)) }

// LogValue logs r with the secrets of its instance hidden.
func (r ConnectorToggleResult) LogValue() slog.Value { return redact.LogValue(redact.Copy(r)) }

// Format prints s with the secrets of its sections hidden.
func (s ConnectorConfigSections) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, redact.Copy(s))
}

// LogValue logs s with the secrets of its sections hidden.
func (s ConnectorConfigSections) LogValue() slog.Value { return redact.LogValue(redact.Copy(s)) }

// Format prints u with the secrets of its config hidden.
func (u ConnectorConfigUpdate) Format(f fmt.State, verb rune) { redact.Format(f, verb, redact.Copy(u)) }

// LogValue logs u with the secrets of its config hidden.
func (u ConnectorConfigUpdate) LogValue() slog.Value { return redact.LogValue(redact.Copy(u)) }

// Format prints n's value with the same verb, "null" for an explicit null, and
// "<absent>" when n is not sent at all. It does not hide what the value holds: the
// types that have a Nullable secret field (a request's settings) hide it before
// printing.
func (n Nullable[T]) Format(f fmt.State, verb rune) {
	switch n.state {
	case nullableAbsent:
		_, _ = fmt.Fprint(f, "<absent>")
	case nullableNull:
		_, _ = fmt.Fprint(f, "null")
	default:
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), n.value)
	}
}

// LogValue logs n's value, or nil for an explicit null. An absent n is the zero
// slog.Value.
func (n Nullable[T]) LogValue() slog.Value {
	switch n.state {
	case nullableAbsent:
		return slog.Value{}
	case nullableNull:
		return slog.AnyValue(nil)
	default:
		return slog.AnyValue(n.value)
	}
}
