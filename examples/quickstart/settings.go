package main

// What this program needs besides the SDK: main, its CONNAPI_* settings for a run
// against a real platform, and the printer of its summary. Every example carries its
// own copy, so that its directory compiles when copied into another module.

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

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout, os.Getenv)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		if errors.As(err, new(settingsError)) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// settingsError is a missing or bad setting; main exits with status 2 for it.
type settingsError string

func (e settingsError) Error() string { return string(e) }

// publicURLs are the platforms' base URLs, by CONNAPI_PLATFORM value.
var publicURLs = map[string]string{
	"stackai":  connapi.StackAIBaseURL,
	"pipeshub": connapi.PipesHubBaseURL,
	"instill":  connapi.InstillBaseURL,
	"openint":  connapi.OpenIntBaseURL,
}

// platforms are the SDK's platforms, by CONNAPI_PLATFORM value. The client is told
// its platform, so that a self-hosted CONNAPI_BASE_URL gets the same guard as the
// public ones: a call to another platform's service fails before any request.
var platforms = map[string]connapi.Platform{
	"stackai":  connapi.PlatformStackAI,
	"pipeshub": connapi.PlatformPipesHub,
	"instill":  connapi.PlatformInstill,
	"openint":  connapi.PlatformOpenInt,
}

// platformOf returns CONNAPI_PLATFORM, trimmed and in lower case.
func platformOf(env func(string) string) string {
	return strings.ToLower(strings.TrimSpace(env("CONNAPI_PLATFORM")))
}

// instillNamespace returns CONNAPI_INSTILL_NAMESPACE, trimmed.
func instillNamespace(env func(string) string) string {
	return strings.TrimSpace(env("CONNAPI_INSTILL_NAMESPACE"))
}

// liveClient returns a client for the account that the CONNAPI_* variables in env
// name on platform (stackai, pipeshub, instill or openint). opts come after the base
// URL and before the credentials: CONNAPI_API_KEY (sent as x-apikey) or CONNAPI_TOKEN
// on openint, CONNAPI_TOKEN elsewhere. Instill AI also needs
// CONNAPI_INSTILL_NAMESPACE. A missing variable or a base URL that connapi.NewClient
// refuses is a settingsError. Nothing is sent yet.
func liveClient(env func(string) string, platform string, opts ...connapi.Option) (*connapi.Client, error) {
	public, ok := publicURLs[platform]
	if !ok {
		return nil, settingsError(fmt.Sprintf("unknown CONNAPI_PLATFORM %q: use stackai, pipeshub, instill or openint", platform))
	}
	baseURL := strings.TrimSpace(env("CONNAPI_BASE_URL"))
	token := strings.TrimSpace(env("CONNAPI_TOKEN"))
	apiKey := strings.TrimSpace(env("CONNAPI_API_KEY"))
	switch {
	case baseURL == "":
		return nil, settingsError("CONNAPI_BASE_URL is required, e.g. " + public)
	case platform == "openint" && token == "" && apiKey == "":
		return nil, settingsError("CONNAPI_API_KEY or CONNAPI_TOKEN is required for openint")
	case platform != "openint" && token == "":
		return nil, settingsError("CONNAPI_TOKEN is required for " + platform)
	case platform == "instill" && instillNamespace(env) == "":
		return nil, settingsError("CONNAPI_INSTILL_NAMESPACE is required for instill")
	}

	all := append([]connapi.Option{connapi.WithBaseURL(baseURL), connapi.WithPlatform(platforms[platform])}, opts...)
	if token != "" {
		all = append(all, connapi.WithBearerToken(token))
	}
	if apiKey != "" && platform == "openint" {
		all = append(all, connapi.WithAPIKey(apiKey))
	}
	c, err := connapi.NewClient(all...)
	if err != nil {
		return nil, settingsError(err.Error())
	}
	return c, nil
}

// printer writes the summary: a title, then sections of lines whose labels are
// padded to width. It keeps the first write error, which run returns.
type printer struct {
	w     io.Writer
	width int
	err   error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// title prints a line.
func (p *printer) title(format string, args ...any) { p.printf(format+"\n", args...) }

// section prints a blank line, then name.
func (p *printer) section(name string) { p.printf("\n%s\n", name) }

// line prints an indented label, padded to width, and the formatted text.
func (p *printer) line(label, format string, args ...any) {
	p.printf("  %-*s %s\n", p.width, label, fmt.Sprintf(format, args...))
}
