// Package config reads and writes connapi's profiles in
// $XDG_CONFIG_HOME/connapi/config.yaml, and keeps their secrets in the OS
// keychain when asked to.
//
// The file is written with mode 0600 in a directory of mode 0700. A file that
// holds a secret and that the group or others may read is refused, with the
// chmod command that fixes it (not on Windows, where modes mean nothing).
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"unicode"

	"github.com/goccy/go-yaml"

	connapi "github.com/connapi/connapi-go"
)

// Profile is one named account on one platform.
type Profile struct {
	Platform  string `yaml:"platform,omitempty"`
	BaseURL   string `yaml:"base_url,omitempty"`
	Token     string `yaml:"token,omitempty"`
	APIKey    string `yaml:"api_key,omitempty"`
	Namespace string `yaml:"namespace,omitempty"`
	// The Stack AI login: an email and a password exchanged for a token at
	// TokenURL, by Grant ("gotrue", the default, with AnonKey as its apikey
	// header; or "password", the OAuth2 password grant).
	Email    string `yaml:"email,omitempty"`
	Password string `yaml:"password,omitempty"`
	AnonKey  string `yaml:"anon_key,omitempty"`
	TokenURL string `yaml:"token_url,omitempty"`
	Grant    string `yaml:"grant,omitempty"`
	// The OAuth2 password grant's client, when the token endpoint wants one:
	// ClientID and ClientSecret (sent with HTTP Basic), and the Scopes asked for
	// (space- or comma-separated).
	ClientID     string `yaml:"client_id,omitempty"`
	ClientSecret string `yaml:"client_secret,omitempty"`
	Scopes       string `yaml:"scopes,omitempty"`
	// Keychain says the profile's secrets (SecretKeys) are in the OS keychain,
	// not in this file.
	Keychain bool `yaml:"keychain,omitempty"`
}

// File is the whole configuration file.
type File struct {
	// Current is the profile used when --profile is not given.
	Current  string              `yaml:"current,omitempty"`
	Profiles map[string]*Profile `yaml:"profiles,omitempty"`

	path    string
	pathErr error // why there is no path
}

// Empty is a configuration with no file: err says why there is none, and Save
// returns it.
func Empty(err error) *File { return &File{Profiles: map[string]*Profile{}, pathErr: err} }

// Keys are the settings of a profile, as `connapi config set` names them.
var Keys = []string{"platform", "base-url", "token", "api-key", "namespace", "email", "password", "anon-key", "token-url", "grant",
	"client-id", "client-secret", "scopes"}

// SecretKeys are the keys whose values are credentials.
var SecretKeys = []string{"token", "api-key", "password", "anon-key", "client-secret"}

// Grants are the Stack AI logins: GoTrue's JSON password grant (Stack AI's own
// examples), and the OAuth2 password grant of RFC 6749.
var Grants = []string{"gotrue", "password"}

// IsSecret reports whether key names a credential.
func IsSecret(key string) bool { return slices.Contains(SecretKeys, key) }

// UsageError is a bad key, value, profile name or file: the user's to fix.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error { return &UsageError{Msg: fmt.Sprintf(format, args...)} }

// Path returns the configuration file's path: $XDG_CONFIG_HOME/connapi/config.yaml,
// else ~/.config/connapi/config.yaml (%AppData%\connapi\config.yaml on Windows).
// A relative XDG_CONFIG_HOME is ignored, as the XDG Base Directory specification
// says: the file must not move with the working directory.
func Path(getenv func(string) string) (string, error) {
	if d := getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "connapi", "config.yaml"), nil
	}
	if runtime.GOOS == "windows" {
		if d := getenv("AppData"); d != "" {
			return filepath.Join(d, "connapi", "config.yaml"), nil
		}
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".config", "connapi", "config.yaml"), nil
	}
	return "", usagef("cannot locate the configuration file: set XDG_CONFIG_HOME (an absolute path) or HOME")
}

// Load reads the file at path; a missing file is an empty configuration. A file
// holding a secret that others may read is refused.
func Load(path string) (*File, error) {
	f := &File{path: path, Profiles: map[string]*Profile{}}
	b, err := os.ReadFile(path) //nolint:gosec // the user's own configuration file
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, err
	}
	if err := yaml.UnmarshalWithOptions(b, f, yaml.Strict()); err != nil {
		// Without the source snippet: the line at fault may hold a secret.
		return nil, usagef("%s: %s", path, oneLine(yaml.FormatError(err, false, false)))
	}
	if f.Profiles == nil {
		f.Profiles = map[string]*Profile{}
	}
	for name, p := range f.Profiles {
		if p == nil {
			f.Profiles[name] = &Profile{}
		}
	}
	if f.holdsSecret() && runtime.GOOS != "windows" {
		st, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		if st.Mode().Perm()&0o077 != 0 {
			return nil, usagef("%s holds a secret and is readable by others (mode %04o); run: chmod 600 %s", path, st.Mode().Perm(), path)
		}
	}
	return f, nil
}

// Path returns where the file is read from and written to.
func (f *File) Path() string { return f.path }

func (f *File) holdsSecret() bool {
	for _, p := range f.Profiles {
		for _, k := range SecretKeys {
			if v, _ := p.Get(k); v != "" {
				return true
			}
		}
	}
	return false
}

// ClearSecrets empties the secret fields, once they are in the keychain.
func (p *Profile) ClearSecrets() {
	p.Token, p.APIKey, p.Password, p.AnonKey, p.ClientSecret = "", "", "", "", ""
}

// Save writes the file with mode 0600 (its directory 0700), replacing it whole.
func (f *File) Save() error {
	if f.path == "" {
		return f.pathErr
	}
	b, err := yaml.Marshal(f)
	if err != nil {
		return err
	}
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".config-*.yaml")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // gone after the rename
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return err
	}
	return os.Chmod(f.path, 0o600)
}

// Names returns the profile names, sorted.
func (f *File) Names() []string {
	names := make([]string, 0, len(f.Profiles))
	for n := range f.Profiles {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// CheckName refuses a profile name that could not be typed or stored safely.
func CheckName(name string) error {
	if name == "" {
		return usagef("empty profile name")
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return usagef("bad profile name %q: use letters, digits, '-', '_' and '.'", name)
		}
	}
	return nil
}

// Get returns the value of key in p, and whether it is set. Secrets kept in the
// keychain are not read here.
func (p *Profile) Get(key string) (string, error) {
	switch key {
	case "platform":
		return p.Platform, nil
	case "base-url":
		return p.BaseURL, nil
	case "token":
		return p.Token, nil
	case "api-key":
		return p.APIKey, nil
	case "namespace":
		return p.Namespace, nil
	case "email":
		return p.Email, nil
	case "password":
		return p.Password, nil
	case "anon-key":
		return p.AnonKey, nil
	case "token-url":
		return p.TokenURL, nil
	case "grant":
		return p.Grant, nil
	case "client-id":
		return p.ClientID, nil
	case "client-secret":
		return p.ClientSecret, nil
	case "scopes":
		return p.Scopes, nil
	}
	return "", usagef("unknown key %q: use one of %s", key, strings.Join(Keys, ", "))
}

// Set checks value and stores it under key in p; an empty value unsets it.
func (p *Profile) Set(key, value string) error {
	switch key {
	case "platform":
		if value != "" {
			pl, err := connapi.ParsePlatform(value)
			if err != nil {
				return usagef("unknown platform %q: use stackai, pipeshub, instill or openint", value)
			}
			b, _ := pl.MarshalText() // the four platforms have names
			value = string(b)
		}
		p.Platform = value
	case "base-url":
		if value != "" {
			if err := checkURL("base-url", value, false); err != nil {
				return err
			}
		}
		p.BaseURL = value
	case "token":
		p.Token = value
	case "api-key":
		p.APIKey = value
	case "namespace":
		p.Namespace = value
	case "email":
		p.Email = value
	case "password":
		p.Password = value
	case "anon-key":
		p.AnonKey = value
	case "token-url":
		if value != "" {
			if err := checkURL("token-url", value, true); err != nil {
				return err
			}
		}
		p.TokenURL = value
	case "grant":
		if value != "" && !slices.Contains(Grants, value) {
			return usagef("unknown grant %q: use %s", value, strings.Join(Grants, " or "))
		}
		p.Grant = value
	case "client-id":
		p.ClientID = value
	case "client-secret":
		p.ClientSecret = value
	case "scopes":
		p.Scopes = strings.Join(SplitScopes(value), " ")
	default:
		return usagef("unknown key %q: use one of %s", key, strings.Join(Keys, ", "))
	}
	return nil
}

// SplitScopes splits a list of OAuth scopes written with spaces or commas.
func SplitScopes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
}

// checkURL refuses what the SDK would refuse of a base URL (or a token URL, which
// may have a query), so that the file never keeps a URL that cannot work, nor a
// credential in one. A value that may hold a credential (user info) is not
// echoed.
func checkURL(key, value string, query bool) error {
	u, err := url.Parse(value)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		shown := fmt.Sprintf("%q", value)
		if strings.Contains(value, "@") {
			shown = "(not shown: it may hold a credential)"
		}
		return usagef("bad %s %s: an absolute http or https URL is needed", key, shown)
	case u.User != nil:
		return usagef("%s must not carry user info (a credential): set token, api-key or password instead", key)
	case !query && (u.RawQuery != "" || u.ForceQuery) || u.Fragment != "":
		return usagef("%s must not have a query or fragment", key)
	}
	return nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
