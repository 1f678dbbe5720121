// Package fakeserve serves the connapitest fake on an address until a context
// ends. It is what both cmd/connapi-fake and `connapi fake serve` run, and it
// imports only the SDK's own packages and the standard library.
package fakeserve

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/connapi/connapi-go/connapitest"
)

// Config says what to serve and where.
type Config struct {
	// Addr is the address to listen on, host:port (port 0 picks one).
	Addr string
	// Public allows an address that is not loopback: the credentials are well known.
	Public bool
	// Seed preloads this many objects per platform.
	Seed int
	// Token, MemberToken and APIKey are the static credentials the fake accepts;
	// Email and Password the user of its password grants.
	Token, MemberToken, APIKey, Email, Password string
	// PipesHubSpecShape answers PipesHub in its OpenAPI spec's shape.
	PipesHubSpecShape bool
	// FaultSeed seeds rate-based fault rules.
	FaultSeed int64
}

// Defaults returns the configuration of a plain run: 127.0.0.1:8080, no seed,
// connapitest's default credentials.
func Defaults() Config {
	return Config{
		Addr:        "127.0.0.1:8080",
		Token:       connapitest.DefaultToken,
		MemberToken: connapitest.DefaultMemberToken,
		APIKey:      connapitest.DefaultAPIKey,
		Email:       connapitest.DefaultEmail,
		Password:    connapitest.DefaultPassword,
		FaultSeed:   1,
	}
}

// Serve listens on cfg.Addr, writes the banner (base URLs and credentials) to
// out, and serves until ctx is done; then it stops the server and writes a last
// line prefixed by name. It refuses an address that is not loopback unless
// cfg.Public.
func Serve(ctx context.Context, name string, cfg Config, out io.Writer) error {
	if !cfg.Public && !IsLoopback(cfg.Addr) {
		return fmt.Errorf("refusing to listen on %q: not a loopback address; pass --public to allow it", cfg.Addr)
	}
	opts := []connapitest.Option{
		connapitest.WithSeed(cfg.Seed), connapitest.WithBearerToken(cfg.Token), connapitest.WithMemberToken(cfg.MemberToken),
		connapitest.WithAPIKey(cfg.APIKey), connapitest.WithUser(cfg.Email, cfg.Password), connapitest.WithFaultSeed(cfg.FaultSeed),
	}
	if cfg.PipesHubSpecShape {
		opts = append(opts, connapitest.WithPipesHubSpecShape())
	}
	h := connapitest.NewHandler(opts...)

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	if err := Banner(out, name, "http://"+ln.Addr().String(), h); err != nil {
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
	_, err = fmt.Fprintln(out, name+": stopped")
	return err
}

// Banner writes the base URLs and credentials to w, in one write, the first
// line being "<name> listening on <root>".
func Banner(w io.Writer, name, root string, h *connapitest.Handler) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s listening on %s\n", name, root)
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

// IsLoopback reports whether addr's host is a loopback address or localhost. An
// empty host (":8080") listens everywhere and is not loopback.
func IsLoopback(addr string) bool {
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
