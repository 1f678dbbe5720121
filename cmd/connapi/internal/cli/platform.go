package cli

import (
	"errors"

	connapi "github.com/connapi/connapi-go"
	sdkredact "github.com/connapi/connapi-go/internal/redact"
)

// platformOption pins a client to its platform, so that a call to another
// platform's service fails before any I/O (connapi.ErrWrongPlatform) even when the
// base URL is a fake's or a proxy's.
func platformOption(p connapi.Platform) []connapi.Option {
	return []connapi.Option{connapi.WithPlatform(p)}
}

// isWrongPlatform reports a call aimed at another platform's service.
func isWrongPlatform(err error) bool { return errors.Is(err, connapi.ErrWrongPlatform) }

// redact returns a copy of v with the credentials it holds hidden, at every depth:
// the fields the SDK registers as secret for its models' Format and LogValue
// (internal/redact), so the command line never keeps a list of its own. Maps
// keep their keys, their values read [REDACTED].
func redact(v any) any { return sdkredact.Copy(v) }
