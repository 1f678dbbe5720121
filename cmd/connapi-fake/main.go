// Command connapi-fake serves the connapitest fake of the Stack AI, PipesHub,
// Instill AI and OpenInt connection APIs on a fixed address, for trying the SDK,
// its examples or any other client by hand:
//
//	go run ./cmd/connapi-fake -addr 127.0.0.1:8080 -seed 25
//
// It prints the base URL of each family and the credentials it accepts, and stops
// on SIGINT or SIGTERM. The credentials are well known, so it refuses addresses
// that are not loopback unless -public is given.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/connapi/connapi-go/connapitest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "connapi-fake:", err)
		}
		os.Exit(2)
	}
}

// run serves until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("connapi-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	seed := fs.Int("seed", 0, "preload this many objects per family")
	public := fs.Bool("public", false, "allow a non-loopback address (the credentials are well known)")
	token := fs.String("token", connapitest.DefaultToken, "static bearer token")
	memberToken := fs.String("member-token", connapitest.DefaultMemberToken, "static bearer token of a non-admin member (PipesHub permissions); empty turns it off")
	apiKey := fs.String("apikey", connapitest.DefaultAPIKey, "API key (OpenInt x-apikey, GoTrue apikey)")
	email := fs.String("email", connapitest.DefaultEmail, "user of the OAuth2 password grant")
	password := fs.String("password", connapitest.DefaultPassword, "password of the OAuth2 password grant")
	specShape := fs.Bool("pipeshub-spec-shape", false, "answer PipesHub in its OpenAPI spec's shape, not its backend's")
	faultSeed := fs.Int64("fault-seed", 1, "seed of rate-based fault rules")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*public && !isLoopback(*addr) {
		return fmt.Errorf("refusing to listen on %q: not a loopback address; pass -public to allow it", *addr)
	}

	opts := []connapitest.Option{
		connapitest.WithSeed(*seed), connapitest.WithBearerToken(*token), connapitest.WithMemberToken(*memberToken), connapitest.WithAPIKey(*apiKey),
		connapitest.WithUser(*email, *password), connapitest.WithFaultSeed(*faultSeed),
	}
	if *specShape {
		opts = append(opts, connapitest.WithPipesHubSpecShape())
	}
	h := connapitest.NewHandler(opts...)

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	if err := printBanner(stdout, "http://"+ln.Addr().String(), h); err != nil {
		_ = ln.Close()
		return err
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	h.Shutdown() // end injected latencies: their requests are aborted, not answered
	// ctx is done by now: the shutdown gets a context of its own to finish in.
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil { //nolint:contextcheck // ctx is already cancelled here
		return err
	}
	_, err = fmt.Fprintln(stdout, "connapi-fake: stopped")
	return err
}

// printBanner writes the base URLs and credentials to w, in one write.
func printBanner(w io.Writer, root string, h *connapitest.Handler) error {
	var b strings.Builder
	fmt.Fprintf(&b, "connapi-fake listening on %s\n", root)
	for _, f := range [][2]string{
		{"Stack AI", connapitest.StackAIPath},
		{"PipesHub", connapitest.PipesHubPath},
		{"Instill AI", connapitest.InstillPath},
		{"OpenInt", connapitest.OpenIntPath},
	} {
		fmt.Fprintf(&b, "  %-11s %s%s\n", f[0], root, f[1])
	}
	fmt.Fprintf(&b, "credentials:\n")
	fmt.Fprintf(&b, "  Authorization: Bearer %s   (every family)\n", h.Token())
	if h.MemberToken() != "" {
		fmt.Fprintf(&b, "  Authorization: Bearer %s   (a non-admin member: PipesHub's permission rules)\n", h.MemberToken())
	}
	fmt.Fprintf(&b, "  x-apikey: %s               (OpenInt)\n", h.APIKey())
	fmt.Fprintf(&b, "  password grant: %s / %s\n", h.Email(), h.Password())
	fmt.Fprintf(&b, "    POST %s/oauth/token (form: grant_type=password, username, password)\n", root)
	fmt.Fprintf(&b, "    POST %s/auth/v1/token?grant_type=password (JSON {email, password}, header apikey: %s)\n", root, h.APIKey())
	_, err := io.WriteString(w, b.String())
	return err
}

// isLoopback reports whether addr's host is a loopback address or localhost. An
// empty host (":8080") listens everywhere and is not loopback.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
