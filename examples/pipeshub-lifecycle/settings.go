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
	"text/tabwriter"

	connapi "github.com/connapi/connapi-go"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout, os.Getenv)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pipeshub-lifecycle:", err)
		if errors.As(err, new(settingsError)) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// settingsError is a missing or bad setting; main exits with status 2 for it.
type settingsError string

func (e settingsError) Error() string { return string(e) }

// liveClient returns a client for the PipesHub account that the CONNAPI_* variables
// in env name, or nil when CONNAPI_PLATFORM is not set: CONNAPI_BASE_URL, and
// CONNAPI_TOKEN sent as a bearer token. A CONNAPI_PLATFORM other than pipeshub, a
// missing variable or a base URL that connapi.NewClient refuses is a settingsError.
// Nothing is sent yet.
func liveClient(env func(string) string) (*connapi.Client, error) {
	switch got := strings.ToLower(strings.TrimSpace(env("CONNAPI_PLATFORM"))); got {
	case "":
		return nil, nil
	case "pipeshub":
	default:
		return nil, settingsError(fmt.Sprintf("CONNAPI_PLATFORM is %q, but this example talks to pipeshub", got))
	}
	baseURL := strings.TrimSpace(env("CONNAPI_BASE_URL"))
	token := strings.TrimSpace(env("CONNAPI_TOKEN"))
	switch {
	case baseURL == "":
		return nil, settingsError("CONNAPI_BASE_URL is required, e.g. " + connapi.PipesHubBaseURL)
	case token == "":
		return nil, settingsError("CONNAPI_TOKEN is required for pipeshub")
	}
	c, err := connapi.NewClient(connapi.WithBaseURL(baseURL), connapi.WithBearerToken(token))
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

// table prints rows in aligned columns, indented.
func (p *printer) table(rows [][]string) {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		_, _ = fmt.Fprintln(tw, "  "+strings.Join(r, "\t")) // a strings.Builder never fails
	}
	_ = tw.Flush()
	p.printf("%s", b.String())
}
