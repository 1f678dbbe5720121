// Package demo holds what the example programs share and what is not the SDK:
// their main, the CONNAPI_* settings for a run against a real platform, and the
// printer for their summaries.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	connapi "github.com/connapi/connapi-go"
)

// Main runs run with standard output and the environment until it returns or
// the program is interrupted. On error it prints name and the error to standard
// error and exits with status 2 for a [SettingsError], 1 otherwise.
func Main(name string, run func(ctx context.Context, out io.Writer, env func(string) string) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout, os.Getenv)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		if errors.As(err, new(SettingsError)) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// SettingsError is a missing or bad setting; [Main] exits with status 2.
type SettingsError string

func (e SettingsError) Error() string { return string(e) }

// publicURLs are the platforms' public base URLs, for the error messages.
var publicURLs = map[string]string{
	"stackai":  connapi.StackAIBaseURL,
	"pipeshub": connapi.PipesHubBaseURL,
	"instill":  connapi.InstillBaseURL,
	"openint":  connapi.OpenIntBaseURL,
}

// Platform returns CONNAPI_PLATFORM, trimmed and in lower case.
func Platform(env func(string) string) string {
	return strings.ToLower(strings.TrimSpace(env("CONNAPI_PLATFORM")))
}

// InstillNamespace returns CONNAPI_INSTILL_NAMESPACE, trimmed.
func InstillNamespace(env func(string) string) string {
	return strings.TrimSpace(env("CONNAPI_INSTILL_NAMESPACE"))
}

// LiveClient returns a client for the account that the CONNAPI_* variables in
// env name on platform (stackai, pipeshub, instill or openint), or nil when
// CONNAPI_PLATFORM is not set. opts come after the base URL and before the
// credentials: CONNAPI_API_KEY (sent as x-apikey) or CONNAPI_TOKEN on openint,
// CONNAPI_TOKEN elsewhere. Instill AI also needs CONNAPI_INSTILL_NAMESPACE.
//
// A CONNAPI_PLATFORM other than platform, a missing variable or a base URL that
// [connapi.NewClient] refuses is a [SettingsError]. NewClient sends nothing.
func LiveClient(env func(string) string, platform string, opts ...connapi.Option) (*connapi.Client, error) {
	switch got := Platform(env); got {
	case "":
		return nil, nil
	case platform:
	default:
		return nil, SettingsError(fmt.Sprintf("CONNAPI_PLATFORM is %q, but this example talks to %s", got, platform))
	}
	public, ok := publicURLs[platform]
	if !ok {
		return nil, fmt.Errorf("demo: unknown platform %q", platform)
	}
	baseURL := strings.TrimSpace(env("CONNAPI_BASE_URL"))
	token := strings.TrimSpace(env("CONNAPI_TOKEN"))
	apiKey := strings.TrimSpace(env("CONNAPI_API_KEY"))
	switch {
	case baseURL == "":
		return nil, SettingsError("CONNAPI_BASE_URL is required, e.g. " + public)
	case platform == "openint" && token == "" && apiKey == "":
		return nil, SettingsError("CONNAPI_API_KEY or CONNAPI_TOKEN is required for openint")
	case platform != "openint" && token == "":
		return nil, SettingsError("CONNAPI_TOKEN is required for " + platform)
	case platform == "instill" && InstillNamespace(env) == "":
		return nil, SettingsError("CONNAPI_INSTILL_NAMESPACE is required for instill")
	}

	all := append([]connapi.Option{connapi.WithBaseURL(baseURL)}, opts...)
	if token != "" {
		all = append(all, connapi.WithBearerToken(token))
	}
	if apiKey != "" && platform == "openint" {
		all = append(all, connapi.WithAPIKey(apiKey))
	}
	c, err := connapi.NewClient(all...)
	if err != nil {
		return nil, SettingsError(err.Error())
	}
	return c, nil
}

// Printer writes a summary: a title, then sections of lines whose labels are
// padded to Width.
type Printer struct {
	W     io.Writer
	Width int
}

// Title prints format and a newline.
func (p *Printer) Title(format string, args ...any) { _, _ = fmt.Fprintf(p.W, format+"\n", args...) }

// Section prints a blank line, then name.
func (p *Printer) Section(name string) { _, _ = fmt.Fprintf(p.W, "\n%s\n", name) }

// Line prints an indented label, padded to Width, and the formatted text.
func (p *Printer) Line(label, format string, args ...any) {
	_, _ = fmt.Fprintf(p.W, "  %-*s %s\n", p.Width, label, fmt.Sprintf(format, args...))
}

// Item prints an indented line of text.
func (p *Printer) Item(text string) { _, _ = fmt.Fprintf(p.W, "  %s\n", text) }
