package config

import (
	"errors"

	"github.com/zalando/go-keyring"
)

// Keychain stores secrets in the OS keychain (macOS Keychain, Windows Credential
// Manager, the Secret Service on Linux). Where none is available its calls fail,
// and connapi falls back to flags, the environment and the file.
type Keychain interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// OSKeychain is the keychain of the operating system, through go-keyring.
type OSKeychain struct{}

// Get implements Keychain.
func (OSKeychain) Get(service, user string) (string, error) { return keyring.Get(service, user) }

// Set implements Keychain.
func (OSKeychain) Set(service, user, secret string) error { return keyring.Set(service, user, secret) }

// Delete implements Keychain.
func (OSKeychain) Delete(service, user string) error { return keyring.Delete(service, user) }

// KeychainService is the service name connapi's secrets are stored under.
const KeychainService = "connapi"

// KeychainUser is the account name of a profile's secret: "<profile>/<key>".
func KeychainUser(profile, key string) string { return profile + "/" + key }

// IsNotFound reports whether err says the keychain has no such secret.
func IsNotFound(err error) bool { return errors.Is(err, keyring.ErrNotFound) }
