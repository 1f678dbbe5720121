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
		fmt.Fprintln(os.Stderr, "instill-connections:", err)
		if errors.As(err, new(settingsError)) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// settingsError is a missing or bad setting; main exits with status 2 for it.
type settingsError string

func (e settingsError) Error() string { return string(e) }

// liveClient returns a client for the Instill AI account that the CONNAPI_*
// variables in env name, and the namespace to work in, or a nil client when
// CONNAPI_PLATFORM is not set: CONNAPI_BASE_URL, CONNAPI_TOKEN sent as a bearer
// token, and CONNAPI_INSTILL_NAMESPACE. A CONNAPI_PLATFORM other than instill, a
// missing variable or a base URL that connapi.NewClient refuses is a settingsError.
// Nothing is sent yet.
func liveClient(env func(string) string) (c *connapi.Client, namespace string, err error) {
	switch got := strings.ToLower(strings.TrimSpace(env("CONNAPI_PLATFORM"))); got {
	case "":
		return nil, "", nil
	case "instill":
	default:
		return nil, "", settingsError(fmt.Sprintf("CONNAPI_PLATFORM is %q, but this example talks to instill", got))
	}
	baseURL := strings.TrimSpace(env("CONNAPI_BASE_URL"))
	token := strings.TrimSpace(env("CONNAPI_TOKEN"))
	namespace = strings.TrimSpace(env("CONNAPI_INSTILL_NAMESPACE"))
	switch {
	case baseURL == "":
		return nil, "", settingsError("CONNAPI_BASE_URL is required, e.g. " + connapi.InstillBaseURL)
	case token == "":
		return nil, "", settingsError("CONNAPI_TOKEN is required for instill")
	case namespace == "":
		return nil, "", settingsError("CONNAPI_INSTILL_NAMESPACE is required for instill")
	}
	c, err = connapi.NewClient(connapi.WithBaseURL(baseURL), connapi.WithBearerToken(token))
	if err != nil {
		return nil, "", settingsError(err.Error())
	}
	return c, namespace, nil
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
