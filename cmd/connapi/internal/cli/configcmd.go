package cli

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/spf13/cobra"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/cmd/connapi/internal/config"
	"github.com/connapi/connapi-go/cmd/connapi/internal/output"
	sdkredact "github.com/connapi/connapi-go/internal/redact"
)

const configLong = `Profiles live in $XDG_CONFIG_HOME/connapi/config.yaml (~/.config/connapi/ when
XDG_CONFIG_HOME is unset), written with mode 0600. A file holding a secret that
the group or others may read is refused until you run chmod 600 on it.

Keys: platform (stackai, pipeshub, instill or openint), base-url, token, api-key,
namespace (Instill AI), and Stack AI's login: email, password, anon-key (the
login endpoint's apikey), token-url, grant (gotrue or password), and the password
grant's client-id, client-secret and scopes (connapi stackai --help). The first profile set becomes the current one; change it with
connapi config use.

Secrets (token, api-key, password, anon-key, client-secret): give "-" as the value to read it
from stdin (it then stays out of your shell history), and --keychain to keep it
in the OS keychain instead of the file. Where no keychain exists, flags, CONNAPI_* variables and the file still work.

  connapi config set --profile crm platform openint
  connapi config set --profile crm api-key - < key.txt
  connapi config set --profile docs platform pipeshub
  printf %s "$TOKEN" | connapi config set --profile docs token - --keychain
  connapi config list`

func (a *app) configCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Manage profiles: platform, base URL and credentials",
		Long:  configLong,
	}
	var keychain bool
	set := &cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Set a key of the profile (--profile, else the current one); an empty value unsets it",
		Args:  cobra.ExactArgs(2),
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return config.Keys, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.configSet(cmd, args[0], args[1], keychain)
		},
	}
	set.Flags().BoolVar(&keychain, "keychain", false, "keep the secret (token, api-key, password, anon-key, client-secret) in the OS keychain, not in the file")

	get := &cobra.Command{
		Use:   "get KEY",
		Short: "Print a key of the profile; secrets only with --show-secrets",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.configGet(args[0])
		},
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List the profiles; secrets show as set or keychain, never their values",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return a.configList()
		},
	}
	use := &cobra.Command{
		Use:               "use PROFILE",
		Short:             "Make a profile the current one",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeProfiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			if _, ok := cfg.Profiles[args[0]]; !ok {
				return usagef("no profile %q in %s", args[0], cfg.Path())
			}
			cfg.Current = args[0]
			return cfg.Save()
		},
	}
	del := &cobra.Command{
		Use:               "delete PROFILE",
		Short:             "Delete a profile, and its secrets from the keychain",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeProfiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			p, ok := cfg.Profiles[args[0]]
			if !ok {
				return usagef("no profile %q in %s", args[0], cfg.Path())
			}
			if p.Keychain {
				for _, k := range config.SecretKeys {
					if err := a.env.Keychain.Delete(config.KeychainService, config.KeychainUser(args[0], k)); err != nil && !config.IsNotFound(err) {
						return fmt.Errorf("removing the %s from the OS keychain: %w", k, err)
					}
				}
			}
			delete(cfg.Profiles, args[0])
			if cfg.Current == args[0] {
				cfg.Current = ""
			}
			return cfg.Save()
		},
	}
	cmd.AddCommand(set, get, list, use, del)
	return cmd
}

// targetProfile is the profile config set and get work on.
func (a *app) targetProfile(cfg *config.File, create bool) (string, *config.Profile, error) {
	name := a.flags.profile
	if name == "" {
		name = cfg.Current
	}
	if name == "" {
		return "", nil, usagef("no current profile: pass --profile NAME")
	}
	if err := config.CheckName(name); err != nil {
		return "", nil, err
	}
	p, ok := cfg.Profiles[name]
	if !ok {
		if !create {
			return "", nil, usagef("no profile %q in %s", name, cfg.Path())
		}
		p = &config.Profile{}
		cfg.Profiles[name] = p
	}
	return name, p, nil
}

func (a *app) configSet(cmd *cobra.Command, key, value string, keychain bool) error {
	if !contains(config.Keys, key) {
		return usagef("unknown key %q: use one of %s", key, strings.Join(config.Keys, ", "))
	}
	if keychain && !config.IsSecret(key) {
		return usagef("--keychain is for secrets (%s), not %s", strings.Join(config.SecretKeys, ", "), key)
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	name, p, err := a.targetProfile(cfg, true)
	if err != nil {
		return err
	}
	if value == "-" {
		v, err := a.readValue(name, key)
		if err != nil {
			return usagef("reading the value of %s from stdin: %v", key, err)
		}
		value = v
	}
	value = strings.TrimSpace(value)
	if config.IsSecret(key) && (keychain || p.Keychain) {
		user := config.KeychainUser(name, key)
		if value == "" {
			err = a.env.Keychain.Delete(config.KeychainService, user)
			if config.IsNotFound(err) {
				err = nil
			}
		} else {
			err = a.env.Keychain.Set(config.KeychainService, user, value)
		}
		if err != nil {
			return fmt.Errorf("the OS keychain is not available (%w); store the secret in the file instead (without --keychain)", err)
		}
		if !p.Keychain {
			// Move the other secret of the profile along, so both live in one place.
			for _, k := range config.SecretKeys {
				old, _ := p.Get(k)
				if k != key && old != "" {
					if err := a.env.Keychain.Set(config.KeychainService, config.KeychainUser(name, k), old); err != nil {
						return fmt.Errorf("the OS keychain is not available (%w)", err)
					}
				}
			}
		}
		p.Keychain = true
		p.ClearSecrets()
	} else if err := p.Set(key, value); err != nil {
		return err
	}
	if cfg.Current == "" {
		cfg.Current = name
	}
	if err := cfg.Save(); err != nil {
		return err
	}
	shown := value
	if config.IsSecret(key) && value != "" {
		shown = "(secret)"
	}
	if value == "" {
		shown = "(unset)"
	}
	where := cfg.Path()
	if config.IsSecret(key) && p.Keychain {
		where = "the OS keychain"
	}
	a.stderrf("%s: profile %s: %s = %s (in %s)\n", cmd.CommandPath(), name, key, shown, where)
	return nil
}

func (a *app) configGet(key string) error {
	if !contains(config.Keys, key) {
		return usagef("unknown key %q: use one of %s", key, strings.Join(config.Keys, ", "))
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	name, p, err := a.targetProfile(cfg, false)
	if err != nil {
		return err
	}
	v, err := p.Get(key)
	if err != nil {
		return err
	}
	if key == "base-url" && !a.flags.showSecrets {
		v = shownURL(v)
	}
	if config.IsSecret(key) {
		if p.Keychain && a.flags.showSecrets {
			v, err = a.env.Keychain.Get(config.KeychainService, config.KeychainUser(name, key))
			if config.IsNotFound(err) {
				v, err = "", nil
			}
			if err != nil {
				return fmt.Errorf("reading the OS keychain: %w", err)
			}
		} else if !a.flags.showSecrets {
			v = secretState(p, v)
		}
	}
	_, err = fmt.Fprintln(a.env.Stdout, v)
	return err
}

// shownURL is a base URL as config prints it: user info (a credential) and query
// values hidden. NewClient refuses both, and config set refuses to store them, but
// a hand-written file may hold them.
func shownURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if strings.ContainsAny(raw, "@?") {
			return sdkredact.Mark
		}
		return raw
	}
	if u.User == nil && u.RawQuery == "" {
		return raw
	}
	parts := strings.Split(u.RawQuery, "&")
	for i, part := range parts {
		if key, _, _ := strings.Cut(part, "="); part != "" {
			parts[i] = key + "=" + sdkredact.Mark
		}
	}
	u.RawQuery = strings.Join(parts, "&")
	hadUser := u.User != nil
	u.User = nil
	s := u.String()
	if hadUser {
		s = strings.Replace(s, "://", "://"+sdkredact.Mark+"@", 1)
	}
	return s
}

// secretState says where a secret is, without its value.
func secretState(p *config.Profile, v string) string {
	switch {
	case p.Keychain:
		return "keychain"
	case v != "":
		return "set"
	}
	return ""
}

// profileView is a profile as config list prints it: no secret values.
type profileView struct {
	Name      string `json:"name"`
	Current   bool   `json:"current"`
	Platform  string `json:"platform"`
	BaseURL   string `json:"base_url,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Token     string `json:"token,omitempty"`
	APIKey    string `json:"api_key,omitempty"`
	Email     string `json:"email,omitempty"`
	Password  string `json:"password,omitempty"`
	AnonKey   string `json:"anon_key,omitempty"`
	TokenURL  string `json:"token_url,omitempty"`
	Grant     string `json:"grant,omitempty"`
	ClientID  string `json:"client_id,omitempty"`
	// ClientSecret, like Token, APIKey, Password and AnonKey, says only where the
	// secret is: "set", "keychain" or nothing.
	ClientSecret string `json:"client_secret,omitempty"`
	Scopes       string `json:"scopes,omitempty"`
}

var profileColumns = []output.Column{
	output.Col("NAME", func(v profileView) string {
		if v.Current {
			return v.Name + " *"
		}
		return v.Name
	}),
	output.Col("PLATFORM", func(v profileView) string { return v.Platform }),
	output.Col("BASE URL", func(v profileView) string { return v.BaseURL }),
	output.Col("NAMESPACE", func(v profileView) string { return v.Namespace }),
	output.Col("TOKEN", func(v profileView) string { return v.Token }),
	output.Col("API KEY", func(v profileView) string { return v.APIKey }),
	output.Col("EMAIL", func(v profileView) string { return v.Email }),
	output.Col("PASSWORD", func(v profileView) string { return v.Password }),
}

func (a *app) configList() error {
	cfg, err := a.config()
	if err != nil {
		return err
	}
	pr, err := a.printer()
	if err != nil {
		return err
	}
	pr.Redact = nil // the views hold no secret
	list := pr.List(profileColumns)
	for _, n := range cfg.Names() {
		p := cfg.Profiles[n]
		login := profilePlatform(p) == connapi.PlatformStackAI || p.Password != "" || p.AnonKey != "" || p.ClientSecret != ""
		v := profileView{Name: n, Current: n == cfg.Current, Platform: p.Platform, BaseURL: shownURL(p.BaseURL), Namespace: p.Namespace,
			Token: secretState(p, p.Token), APIKey: secretState(p, p.APIKey),
			Email: p.Email, TokenURL: shownURL(p.TokenURL), Grant: p.Grant, ClientID: p.ClientID, Scopes: p.Scopes}
		if login { // only a Stack AI profile may keep these in the keychain
			v.Password, v.AnonKey, v.ClientSecret = secretState(p, p.Password), secretState(p, p.AnonKey), secretState(p, p.ClientSecret)
		}
		if err := list.Add(v); err != nil {
			return err
		}
	}
	return list.Close()
}

// readValue reads the value of config set KEY -: the first line of stdin. A
// secret typed on a terminal is not echoed.
func (a *app) readValue(profile, key string) (string, error) {
	if f, ok := a.stdin.r.(*os.File); ok && a.env.StdinTTY && config.IsSecret(key) && term.IsTerminal(int(f.Fd())) { //nolint:gosec // a file descriptor fits in an int
		what := strings.ToUpper(key[:1]) + strings.ReplaceAll(key[1:], "-", " ")
		fd := int(f.Fd()) //nolint:gosec // as above
		restore, err := echoOff(fd)
		if err != nil {
			return "", err
		}
		a.stderrf("%s for profile %s (not echoed): ", what, profile)
		b, err := term.ReadPassword(fd)
		restore()
		a.stderrf("\n")
		if err != nil {
			return "", err
		}
		a.stdin.used = true
		return string(b), nil
	}
	return readLine(a.env.Stdin)
}

// readLine reads the first line of r, without its line ending.
func readLine(r io.Reader) (string, error) {
	if r == nil {
		return "", io.EOF
	}
	s, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	if err == io.EOF && s == "" {
		return "", io.ErrUnexpectedEOF
	}
	return strings.TrimRight(s, "\r\n"), nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
