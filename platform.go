package connapi

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/connapi/connapi-go/internal/obsattr"
)

// Platform names the API family a Client talks to. The zero value,
// PlatformUnknown, is a client whose platform is not known: every service may be
// called on it, as with any base URL the SDK does not recognize.
type Platform int

// The platforms. A Client knows its platform from its base URL when that is one of
// the vendor constants (StackAIBaseURL, PipesHubBaseURL, InstillBaseURL,
// OpenIntBaseURL), or from WithPlatform.
const (
	PlatformUnknown  Platform = iota // not known: no service is refused
	PlatformStackAI                  // Stack AI: Connections, OAuth, Resources, RBAC
	PlatformPipesHub                 // PipesHub: ConnectorInstances
	PlatformInstill                  // Instill AI: NamespaceConnections, Integrations
	PlatformOpenInt                  // OpenInt: CoreConnections
)

// String returns the platform's name as its vendor writes it ("Stack AI",
// "PipesHub", "Instill AI", "OpenInt"), or "unknown".
func (p Platform) String() string {
	switch p {
	case PlatformStackAI:
		return "Stack AI"
	case PlatformPipesHub:
		return "PipesHub"
	case PlatformInstill:
		return "Instill AI"
	case PlatformOpenInt:
		return "OpenInt"
	case PlatformUnknown:
		return "unknown"
	}
	return fmt.Sprintf("Platform(%d)", int(p))
}

// ParsePlatform returns the platform of a short name: "stackai", "pipeshub",
// "instill" or "openint" (the words of CONNAPI_PLATFORM and the connapi command
// line), in any case, surrounding space ignored. Anything else is an error that
// matches ErrInvalidParams.
func ParsePlatform(name string) (Platform, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	for p := PlatformStackAI; p <= PlatformOpenInt; p++ {
		if n == obsattr.PlatformValue(int(p)) {
			return p, nil
		}
	}
	return PlatformUnknown, invalidParams("ParsePlatform", "unknown platform %q: use stackai, pipeshub, instill or openint", name)
}

// MarshalText returns the platform's short name ("stackai", "pipeshub", "instill"
// or "openint"), so that JSON and YAML carry a Platform as that word; the empty
// name for PlatformUnknown. String, not this, is for people to read.
func (p Platform) MarshalText() ([]byte, error) {
	switch {
	case p == PlatformUnknown:
		return []byte{}, nil
	case !p.known():
		return nil, fmt.Errorf("connapi: %v has no name", p)
	}
	// The names are the values of the connapi.platform attribute of logs and
	// traces: one list.
	return []byte(obsattr.PlatformValue(int(p))), nil
}

// UnmarshalText reads a short name as ParsePlatform does, and the empty name as
// PlatformUnknown. On an error p is left as it was.
func (p *Platform) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*p = PlatformUnknown
		return nil
	}
	v, err := ParsePlatform(string(text))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// known reports whether p is one of the four platforms.
func (p Platform) known() bool { return p >= PlatformStackAI && p <= PlatformOpenInt }

// vendorBaseURLs maps each vendor constant to its platform.
var vendorBaseURLs = []struct {
	url      string
	platform Platform
}{
	{StackAIBaseURL, PlatformStackAI},
	{PipesHubBaseURL, PlatformPipesHub},
	{InstillBaseURL, PlatformInstill},
	{OpenIntBaseURL, PlatformOpenInt},
}

// platformOf returns the platform whose vendor base URL u is (same scheme, host and
// path; u is normalized, with a trailing slash), or PlatformUnknown.
func platformOf(u *url.URL) Platform {
	host := strings.ToLower(u.Host)
	if strings.EqualFold(u.Scheme, "https") {
		host = strings.TrimSuffix(host, ":443")
	}
	for _, v := range vendorBaseURLs {
		vu, err := url.Parse(v.url)
		if err != nil {
			continue
		}
		if strings.EqualFold(u.Scheme, vu.Scheme) && host == vu.Host && u.EscapedPath() == vu.EscapedPath() {
			return v.platform
		}
	}
	return PlatformUnknown
}

// WithPlatform says which platform the base URL serves, for a self-hosted or proxied
// deployment whose URL is not one of the vendor constants. The client then refuses,
// before any I/O, a call to a service of another platform (ErrWrongPlatform). A
// vendor constant as base URL sets its platform by itself; WithPlatform naming
// another platform for it is an error.
func WithPlatform(p Platform) Option {
	return func(c *clientConfig) error {
		if !p.known() {
			return fmt.Errorf("WithPlatform: %v is not a platform (PlatformStackAI, PlatformPipesHub, PlatformInstill or PlatformOpenInt)", p)
		}
		c.platform = p
		return nil
	}
}

// Platform returns the platform the client talks to: the one given to
// WithPlatform, else the one whose vendor base URL it was given, else
// PlatformUnknown.
func (c *Client) Platform() Platform { return c.platform }

// resolvePlatform combines the platform of the base URL with WithPlatform's.
func resolvePlatform(base *url.URL, explicit Platform) (Platform, error) {
	derived := platformOf(base)
	switch {
	case explicit == PlatformUnknown:
		return derived, nil
	case derived != PlatformUnknown && derived != explicit:
		return PlatformUnknown, fmt.Errorf("WithPlatform(%v) contradicts the base URL, which is %v's", explicit, derived)
	}
	return explicit, nil
}

// ErrWrongPlatform is matched (errors.Is) by the error of a call to a service of
// another platform than the client's: it was refused before any I/O. The error is a
// *WrongPlatformError.
var ErrWrongPlatform = errors.New("connapi: operation of another platform")

// WrongPlatformError is a call refused because its operation belongs to another
// platform than the client's: c.ConnectorInstances.Get on an OpenInt client, say.
// Nothing was sent. It matches ErrWrongPlatform through errors.Is.
type WrongPlatformError struct {
	// Operation is the refused operation, "ConnectorInstances.Get".
	Operation string
	// OperationPlatform is the platform the operation belongs to.
	OperationPlatform Platform
	// ClientPlatform is the client's platform.
	ClientPlatform Platform
}

func (e *WrongPlatformError) Error() string {
	return fmt.Sprintf("connapi: %s belongs to %v, but this client talks to %v (its base URL or WithPlatform); nothing was sent",
		e.Operation, e.OperationPlatform, e.ClientPlatform)
}

// Is reports whether target is ErrWrongPlatform.
func (e *WrongPlatformError) Is(target error) bool { return target == ErrWrongPlatform }

// checkPlatform refuses op on a client of another known platform.
func (c *Client) checkPlatform(op *Operation) error {
	if c.platform == PlatformUnknown || c.platform == op.platform {
		return nil
	}
	return &WrongPlatformError{Operation: op.name, OperationPlatform: op.platform, ClientPlatform: c.platform}
}
