package cli

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/cmd/connapi/internal/config"
	"github.com/connapi/connapi-go/cmd/connapi/internal/output"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/inventory"
)

// fakeSeed is how many objects per platform the --fake server holds.
const fakeSeed = 30

// app is one run of connapi: its environment, global flags, and what it opened.
type app struct {
	env   *Env
	flags globalFlags

	cfg  *config.File
	fake *connapitest.Server

	stdin    *trackedReader // env.Stdin, which knows whether it was read
	password *string        // read by --password-stdin
}

// trackedReader is standard input, which says whether anything read it.
type trackedReader struct {
	r    io.Reader
	used bool
}

func (t *trackedReader) Read(p []byte) (int, error) {
	t.used = true
	if t.r == nil {
		return 0, io.EOF
	}
	return t.r.Read(p)
}

// globalFlags are the root command's persistent flags.
type globalFlags struct {
	profile     string
	baseURL     string
	token       string
	apiKey      string
	namespace   string
	output      string
	jq          string
	showSecrets bool
	debug       bool
	fake        bool
	timeout     time.Duration

	// The Stack AI login (the stackai command's flags).
	email, anonKey, tokenURL, grant string
	clientID, scopes                string
	passwordStdin                   bool
}

func (a *app) close() {
	if a.fake != nil {
		a.fake.Close()
	}
}

// config loads the configuration file once.
func (a *app) config() (*config.File, error) {
	if a.cfg != nil {
		return a.cfg, nil
	}
	path, err := config.Path(a.env.Getenv)
	if err != nil { // no file can be read; config set says why
		a.cfg = config.Empty(err)
		return a.cfg, nil
	}
	f, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	a.cfg = f
	return f, nil
}

// fakeServer starts the in-process fake once.
func (a *app) fakeServer() *connapitest.Server {
	if a.fake == nil {
		a.fake = connapitest.NewServer(connapitest.WithSeed(fakeSeed))
	}
	return a.fake
}

// account is everything needed to talk to one platform as one profile.
type account struct {
	profile   string
	platform  connapi.Platform
	baseURL   string
	token     string
	apiKey    string
	namespace string
	// The Stack AI login (stackLogin): email and password, exchanged for a token
	// at tokenURL by grant, with anonKey as GoTrue's apikey header; the OAuth2
	// password grant's client (clientID, clientSecret) and scopes.
	email, password, anonKey, tokenURL, grant string
	clientID, clientSecret, scopes            string
}

// apply lays the settings of a higher level (the environment over a profile,
// flags over both) on acc. A credential given there replaces the lower level's
// credential of the other kind: a token the login, a login the token.
func (acc *account) apply(l account) {
	setIf(&acc.baseURL, l.baseURL)
	setIf(&acc.apiKey, l.apiKey)
	setIf(&acc.namespace, l.namespace)
	if acc.platform != connapi.PlatformStackAI {
		setIf(&acc.token, l.token)
		return
	}
	if strings.TrimSpace(l.token) != "" {
		acc.token, acc.email, acc.password = "", "", ""
	}
	if strings.TrimSpace(l.email) != "" || l.password != "" {
		acc.token = ""
	}
	setIf(&acc.token, l.token)
	setIf(&acc.email, l.email)
	if l.password != "" { // as given: a password may begin or end with a space
		acc.password = l.password
	}
	setIf(&acc.anonKey, l.anonKey)
	setIf(&acc.tokenURL, l.tokenURL)
	setIf(&acc.grant, l.grant)
	setIf(&acc.clientID, l.clientID)
	if l.clientSecret != "" { // as given, like the password
		acc.clientSecret = l.clientSecret
	}
	setIf(&acc.scopes, l.scopes)
}

// gives reports whether l holds a credential.
func (l account) gives() bool { return l.token != "" || l.apiKey != "" || l.password != "" }

// envProfile names the account the CONNAPI_* variables describe, in
// cross-platform listings.
const envProfile = "env"

// fakeAccounts are the four platforms of the in-process fake.
func (a *app) fakeAccounts() []account {
	srv := a.fakeServer()
	return []account{
		{profile: "fake-stackai", platform: connapi.PlatformStackAI, baseURL: srv.StackAIURL(), token: srv.Token()},
		{profile: "fake-pipeshub", platform: connapi.PlatformPipesHub, baseURL: srv.PipesHubURL(), token: srv.Token()},
		{profile: "fake-instill", platform: connapi.PlatformInstill, baseURL: srv.InstillURL(), token: srv.Token(), namespace: connapitest.DefaultNamespace},
		{profile: "fake-openint", platform: connapi.PlatformOpenInt, baseURL: srv.OpenIntURL(), apiKey: srv.APIKey()},
	}
}

// envAccount is what the CONNAPI_* variables say of platform's account.
func envAccount(getenv func(string) string, platform connapi.Platform) account {
	l := account{
		baseURL: getenv("CONNAPI_BASE_URL"),
		token:   getenv("CONNAPI_TOKEN"),
		apiKey:  getenv("CONNAPI_API_KEY"),
	}
	switch platform {
	case connapi.PlatformInstill:
		l.namespace = getenv("CONNAPI_INSTILL_NAMESPACE")
	case connapi.PlatformStackAI:
		l.email, l.password = getenv("CONNAPI_EMAIL"), getenv("CONNAPI_PASSWORD")
		l.anonKey, l.tokenURL, l.grant = getenv("CONNAPI_ANON_KEY"), getenv("CONNAPI_TOKEN_URL"), getenv("CONNAPI_GRANT")
		l.clientID, l.clientSecret, l.scopes = getenv("CONNAPI_CLIENT_ID"), getenv("CONNAPI_CLIENT_SECRET"), getenv("CONNAPI_SCOPES")
	}
	return l
}

// flagAccount is what the flags say of platform's account; --password-stdin
// reads the password here.
func (a *app) flagAccount(platform connapi.Platform) (account, error) {
	f := &a.flags
	l := account{baseURL: f.baseURL, token: f.token, apiKey: f.apiKey, namespace: f.namespace}
	if platform != connapi.PlatformStackAI {
		return l, nil
	}
	l.email, l.anonKey, l.tokenURL, l.grant = f.email, f.anonKey, f.tokenURL, f.grant
	l.clientID, l.scopes = f.clientID, f.scopes
	if f.passwordStdin {
		pw, err := a.stdinPassword()
		if err != nil {
			return l, err
		}
		l.password = pw
	}
	return l, nil
}

// stdinPassword reads the password of --password-stdin: the first line of
// standard input, which must be a pipe or a file, and not be read otherwise.
func (a *app) stdinPassword() (string, error) {
	if a.password != nil {
		return *a.password, nil
	}
	if a.env.StdinTTY {
		return "", usagef("--password-stdin: standard input is a terminal; pipe the password in (or use CONNAPI_PASSWORD, or a profile: connapi config set password -)")
	}
	if a.stdin.used {
		return "", usagef("--password-stdin: standard input is already read (by --body - or -); give the body or the IDs another way")
	}
	pw, err := readLine(a.stdin)
	if err != nil || pw == "" {
		return "", usagef("--password-stdin: no password on standard input")
	}
	a.password = &pw
	return pw, nil
}

// account resolves the account of a platform command: flags, then the CONNAPI_*
// variables (when CONNAPI_PLATFORM is unset or names this platform), then the
// profile (--profile, else the current profile if it is of this platform, else
// the only profile of this platform). With --fake, the fake's account and flags.
func (a *app) account(platform connapi.Platform) (account, error) {
	flags, err := a.flagAccount(platform)
	if err != nil {
		return account{platform: platform}, err
	}
	if a.flags.fake {
		for _, acc := range a.fakeAccounts() {
			if acc.platform != platform {
				continue
			}
			if name := a.flags.profile; name != "" && name != acc.profile {
				fake, err := a.fakeAccount(name)
				if err != nil {
					return acc, err
				}
				return acc, usagef("profile %q is for %s, not %s", name, platformName(fake.platform), platformName(platform))
			}
			acc.apply(flags)
			return acc, nil
		}
	}
	acc := account{platform: platform}
	prof, name, err := a.profileFor(platform)
	if err != nil {
		return acc, err
	}
	getenv := a.env.Getenv
	var env account
	switch p, err := envPlatform(getenv); {
	case err != nil:
		return acc, err
	case p == connapi.PlatformUnknown || p == platform:
		env = envAccount(getenv, platform)
	}
	if prof != nil {
		acc.profile = name
		if err := a.fromProfile(&acc, name, prof); err != nil {
			// A keychain that cannot be read does not matter when a flag or the
			// environment gives the credential.
			if !env.gives() && !flags.gives() {
				return acc, err
			}
		}
	}
	acc.apply(env)
	acc.apply(flags)
	if acc.baseURL == "" {
		acc.baseURL = publicBaseURL(platform)
	}
	if acc.token == "" && acc.apiKey == "" && acc.email == "" && acc.password == "" {
		login := ""
		if platform == connapi.PlatformStackAI {
			login = " (or --email and a password: CONNAPI_EMAIL, CONNAPI_PASSWORD)"
		}
		return acc, usagef("no credentials for %s: pass --token or --api-key, set CONNAPI_TOKEN or CONNAPI_API_KEY%s, or add a profile (connapi config set --profile NAME platform %s), or try --fake", platformName(platform), login, platformName(platform))
	}
	return acc, nil
}

// envPlatform reads CONNAPI_PLATFORM: PlatformUnknown when unset, a usage error
// when it names no platform.
func envPlatform(getenv func(string) string) (connapi.Platform, error) {
	v := strings.TrimSpace(getenv("CONNAPI_PLATFORM"))
	if v == "" {
		return connapi.PlatformUnknown, nil
	}
	p, err := connapi.ParsePlatform(v)
	if err != nil {
		return p, usagef("unknown CONNAPI_PLATFORM %q: use stackai, pipeshub, instill or openint", strings.ToLower(v))
	}
	return p, nil
}

// profilePlatform is the platform a profile names, PlatformUnknown when none.
func profilePlatform(p *config.Profile) connapi.Platform {
	pl, err := connapi.ParsePlatform(p.Platform)
	if err != nil {
		return connapi.PlatformUnknown
	}
	return pl
}

// platformName is the platform's word on the command line: "stackai", "openint".
func platformName(p connapi.Platform) string {
	b, err := p.MarshalText()
	if err != nil || len(b) == 0 {
		return p.String()
	}
	return string(b)
}

func setIf(dst *string, v string) {
	if v = strings.TrimSpace(v); v != "" {
		*dst = v
	}
}

// profileFor picks the profile of a platform command, or none.
func (a *app) profileFor(platform connapi.Platform) (*config.Profile, string, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, "", err
	}
	if name := a.flags.profile; name != "" {
		p, ok := cfg.Profiles[name]
		if !ok {
			return nil, "", usagef("no profile %q in %s (connapi config list shows them)", name, cfg.Path())
		}
		if profilePlatform(p) != platform {
			return nil, "", usagef("profile %q is for %s, not %s", name, orNone(p.Platform), platformName(platform))
		}
		return p, name, nil
	}
	if p, ok := cfg.Profiles[cfg.Current]; ok && profilePlatform(p) == platform {
		return p, cfg.Current, nil
	}
	var found []string
	for _, n := range cfg.Names() {
		if profilePlatform(cfg.Profiles[n]) == platform {
			found = append(found, n)
		}
	}
	if len(found) == 1 {
		return cfg.Profiles[found[0]], found[0], nil
	}
	return nil, "", nil
}

func orNone(s string) string {
	if s == "" {
		return "no platform"
	}
	return s
}

// fromProfile copies a profile's settings, its secrets from the keychain when it
// keeps them there.
func (a *app) fromProfile(acc *account, name string, p *config.Profile) error {
	acc.baseURL, acc.token, acc.apiKey, acc.namespace = p.BaseURL, p.Token, p.APIKey, p.Namespace
	acc.email, acc.password, acc.anonKey, acc.tokenURL, acc.grant = p.Email, p.Password, p.AnonKey, p.TokenURL, p.Grant
	acc.clientID, acc.clientSecret, acc.scopes = p.ClientID, p.ClientSecret, p.Scopes
	if !p.Keychain {
		return nil
	}
	for key, dst := range map[string]*string{"token": &acc.token, "api-key": &acc.apiKey, "password": &acc.password, "anon-key": &acc.anonKey,
		"client-secret": &acc.clientSecret} {
		v, err := a.env.Keychain.Get(config.KeychainService, config.KeychainUser(name, key))
		switch {
		case err == nil:
			*dst = v
		case config.IsNotFound(err):
		default:
			return fmt.Errorf("profile %q keeps its secrets in the OS keychain, which cannot be read: %w (pass --token or --api-key, or set CONNAPI_TOKEN, CONNAPI_API_KEY or CONNAPI_PASSWORD)", name, err)
		}
	}
	return nil
}

// fakeAccount is the fake's account of the profile name (fake-openint…).
func (a *app) fakeAccount(name string) (account, error) {
	var names []string
	for _, acc := range a.fakeAccounts() {
		if acc.profile == name {
			return acc, nil
		}
		names = append(names, acc.profile)
	}
	return account{}, usagef("no profile %q in the fake: use %s or %s", name, strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}

// accountFlag names the first account flag given (--base-url, --token,
// --api-key, --namespace), "" when none is.
func (a *app) accountFlag() string {
	f := &a.flags
	for _, fl := range []struct{ name, value string }{
		{"base-url", f.baseURL}, {"token", f.token}, {"api-key", f.apiKey}, {"namespace", f.namespace},
	} {
		if strings.TrimSpace(fl.value) != "" {
			return fl.name
		}
	}
	return ""
}

// accounts are the accounts of the cross-platform commands. With --profile,
// that profile's account as a platform command resolves it: flags, then the
// CONNAPI_* variables, then the profile. Without it: with --fake the fake's
// four; else every profile of the file, and the CONNAPI_* variables' account
// when CONNAPI_PLATFORM is set. An account flag without --profile names no one
// account: a usage error.
func (a *app) accounts() ([]account, error) {
	if name := a.flags.profile; name != "" {
		var platform connapi.Platform
		if a.flags.fake {
			acc, err := a.fakeAccount(name)
			if err != nil {
				return nil, err
			}
			platform = acc.platform
		} else {
			cfg, err := a.config()
			if err != nil {
				return nil, err
			}
			p, ok := cfg.Profiles[name]
			if !ok {
				return nil, usagef("no profile %q in %s (connapi config list shows them)", name, cfg.Path())
			}
			if platform = profilePlatform(p); platform == connapi.PlatformUnknown {
				return nil, usagef("profile %q has no valid platform (connapi config set --profile %s platform stackai|pipeshub|instill|openint)", name, name)
			}
		}
		acc, err := a.account(platform)
		if err != nil {
			return nil, err
		}
		return []account{acc}, nil
	}
	if fl := a.accountFlag(); fl != "" {
		return nil, usagef("--%s applies to one account: pass --profile NAME (without it, every profile uses its own settings)", fl)
	}
	if a.flags.fake {
		return a.fakeAccounts(), nil
	}
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	var out []account
	for _, n := range cfg.Names() {
		p := cfg.Profiles[n]
		if profilePlatform(p) == connapi.PlatformUnknown {
			return nil, usagef("profile %q has no valid platform (connapi config set --profile %s platform stackai|pipeshub|instill|openint)", n, n)
		}
		acc := account{profile: n, platform: profilePlatform(p)}
		if err := a.fromProfile(&acc, n, p); err != nil {
			return nil, err
		}
		if acc.baseURL == "" {
			acc.baseURL = publicBaseURL(acc.platform)
		}
		out = append(out, acc)
	}
	getenv := a.env.Getenv
	pl, err := envPlatform(getenv)
	if err != nil {
		return nil, err
	}
	if pl != connapi.PlatformUnknown {
		acc := account{profile: envProfile, platform: pl, baseURL: publicBaseURL(pl)}
		acc.apply(envAccount(getenv, pl))
		out = append(out, acc)
	}
	if len(out) == 0 {
		return nil, usagef("no profiles configured: add one (connapi config set --profile NAME platform openint), set CONNAPI_PLATFORM and its variables, or try --fake")
	}
	return out, nil
}

func publicBaseURL(p connapi.Platform) string {
	switch p {
	case connapi.PlatformStackAI:
		return connapi.StackAIBaseURL
	case connapi.PlatformPipesHub:
		return connapi.PipesHubBaseURL
	case connapi.PlatformInstill:
		return connapi.InstillBaseURL
	}
	return connapi.OpenIntBaseURL
}

// client builds the SDK client of an account. It sends nothing.
func (a *app) client(acc account) (*connapi.Client, error) {
	if err := checkHeaderSecrets(acc); err != nil {
		return nil, err
	}
	opts := []connapi.Option{
		connapi.WithBaseURL(acc.baseURL),
		connapi.WithUserAgent("connapi-cli"),
	}
	switch {
	case acc.platform == connapi.PlatformOpenInt && acc.apiKey != "":
		opts = append(opts, connapi.WithAPIKey(acc.apiKey))
	case acc.token != "":
		opts = append(opts, connapi.WithBearerToken(acc.token))
	case acc.platform == connapi.PlatformStackAI && (acc.email != "" || acc.password != ""):
		ts, err := a.stackLogin(acc)
		if err != nil {
			return nil, err
		}
		opts = append(opts, connapi.WithTokenSource(ts))
	case acc.apiKey != "":
		return nil, usagef("%s takes a bearer token (--token, CONNAPI_TOKEN), not an API key", acc.platform)
	}
	if a.flags.debug {
		opts = append(opts, connapi.WithLogger(slog.New(slog.NewTextHandler(a.env.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	if a.flags.timeout > 0 {
		opts = append(opts, connapi.WithDefaultRequestOptions(connapi.WithRequestTimeout(a.flags.timeout)))
	}
	if a.flags.fake {
		opts = append(opts, connapi.WithRetryWait(0, time.Second))
	}
	opts = append(opts, platformOption(acc.platform)...)
	c, err := connapi.NewClient(opts...)
	if err != nil {
		return nil, &usageError{err: err}
	}
	return c, nil
}

// checkHeaderSecrets refuses a credential sent in a header (the token, the API
// key, the login's anon key) that holds a control character, a newline pasted
// with it say, which no header may carry: net/http would refuse every request.
// The value is not shown.
func checkHeaderSecrets(acc account) error {
	for _, c := range []struct{ name, value string }{
		{"token", acc.token}, {"API key", acc.apiKey}, {"anon key", acc.anonKey},
	} {
		if strings.ContainsFunc(c.value, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }) {
			from := "the flags or the CONNAPI_* variables"
			if acc.profile != "" && acc.profile != envProfile {
				from += " or profile " + strconv.Quote(acc.profile)
			}
			return usagef("the %s for %s (from %s) holds a control character, which no header can carry (a newline pasted with it?); nothing was sent", c.name, platformName(acc.platform), from)
		}
	}
	return nil
}

// stackLogin is the token source of a Stack AI account that logs in with an
// email and a password. It sends nothing; the first call logs in.
func (a *app) stackLogin(acc account) (connapi.TokenSource, error) {
	switch {
	case acc.email == "":
		return nil, usagef("the Stack AI login needs an email: --email, CONNAPI_EMAIL or the profile's email")
	case acc.password == "":
		return nil, usagef("the Stack AI login needs a password: --password-stdin, CONNAPI_PASSWORD or the profile's password (connapi config set password -)")
	}
	var hc *http.Client
	if a.flags.timeout > 0 {
		hc = &http.Client{Timeout: a.flags.timeout}
	}
	grant := strings.ToLower(strings.TrimSpace(acc.grant))
	tokenURL, anonKey := acc.tokenURL, acc.anonKey
	if a.flags.fake {
		srv := a.fakeServer()
		if tokenURL == "" {
			tokenURL = srv.GoTrueTokenURL()
			if grant == "password" {
				tokenURL = srv.OAuthTokenURL()
			}
		}
		if anonKey == "" {
			anonKey = srv.APIKey()
		}
	}
	var ts connapi.TokenSource
	var err error
	client := acc.clientID != "" || acc.clientSecret != "" || acc.scopes != ""
	switch grant {
	case "", "gotrue":
		if client {
			return nil, usagef("the client id, client secret and scopes are for --grant password (the OAuth2 password grant); GoTrue's login takes none")
		}
		if tokenURL == "" {
			tokenURL = connapi.StackAIGoTrueTokenURL
		}
		ts, err = connapi.NewGoTrueTokenSource(connapi.GoTrueConfig{TokenURL: tokenURL, APIKey: anonKey, Email: acc.email, Password: acc.password, HTTPClient: hc})
	case "password":
		if tokenURL == "" {
			return nil, usagef("the OAuth2 password grant needs the token endpoint: --token-url, CONNAPI_TOKEN_URL or the profile's token-url")
		}
		ts, err = connapi.NewPasswordGrantTokenSource(connapi.PasswordGrantConfig{
			TokenURL: tokenURL, Username: acc.email, Password: acc.password, HTTPClient: hc,
			ClientID: acc.clientID, ClientSecret: acc.clientSecret, Scopes: config.SplitScopes(acc.scopes),
		})
	default:
		return nil, usagef("unknown --grant %q: use gotrue or password", acc.grant)
	}
	if err != nil {
		return nil, &usageError{err: err}
	}
	return ts, nil
}

// source is the inventory source of an account.
func (a *app) source(acc account) (inventory.Source, error) {
	c, err := a.client(acc)
	if err != nil {
		return inventory.Source{}, err
	}
	return inventory.Source{Profile: acc.profile, Platform: acc.platform, Client: c, Namespace: acc.namespace}, nil
}

// printer builds the output printer of a command from the global flags.
func (a *app) printer() (*output.Printer, error) {
	f, err := output.ParseFormat(a.flags.output, a.env.StdoutTTY)
	if err != nil {
		return nil, &usageError{err: err}
	}
	p := &output.Printer{Out: a.env.Stdout, Format: f}
	if a.flags.jq != "" {
		code, err := output.ParseJQ(a.flags.jq)
		if err != nil {
			return nil, &usageError{err: err}
		}
		p.JQ = code
	}
	if !a.flags.showSecrets {
		p.Redact = redact
	}
	return p, nil
}

// warnf prints one line on stderr, prefixed with the command's name.
func (a *app) warnf(cmd *cobra.Command, format string, args ...any) {
	a.stderrf("%s: %s\n", cmd.CommandPath(), strings.Join(strings.Fields(fmt.Sprintf(format, args...)), " "))
}

// stderrf writes to stderr; a failure to write there has nowhere to be reported.
func (a *app) stderrf(format string, args ...any) {
	_, _ = fmt.Fprintf(a.env.Stderr, format, args...)
}
