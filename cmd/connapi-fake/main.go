// Command connapi-fake serves the connapitest fake of the Stack AI, PipesHub,
// Instill AI and OpenInt connection APIs on a fixed address, for trying the SDK,
// its examples or any other client by hand:
//
//	go run ./cmd/connapi-fake -addr 127.0.0.1:8080 -seed 25
//
// It prints the base URL of each family and the credentials it accepts, and stops
// on SIGINT or SIGTERM. The credentials are well known, so it refuses addresses
// that are not loopback unless -public is given.
//
// The command-line tool serves the same fake with `connapi fake serve`; both run
// internal/fakeserve.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/connapi/connapi-go/internal/fakeserve"
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
	cfg := fakeserve.Defaults()
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on")
	fs.IntVar(&cfg.Seed, "seed", cfg.Seed, "preload this many objects per family")
	fs.BoolVar(&cfg.Public, "public", cfg.Public, "allow a non-loopback address (the credentials are well known)")
	fs.StringVar(&cfg.Token, "token", cfg.Token, "static bearer token")
	fs.StringVar(&cfg.MemberToken, "member-token", cfg.MemberToken, "static bearer token of a non-admin member (PipesHub permissions); empty turns it off")
	fs.StringVar(&cfg.APIKey, "apikey", cfg.APIKey, "API key (OpenInt x-apikey, GoTrue apikey)")
	fs.StringVar(&cfg.Email, "email", cfg.Email, "user of the OAuth2 password grant")
	fs.StringVar(&cfg.Password, "password", cfg.Password, "password of the OAuth2 password grant")
	fs.BoolVar(&cfg.PipesHubSpecShape, "pipeshub-spec-shape", cfg.PipesHubSpecShape, "answer PipesHub in its OpenAPI spec's shape, not its backend's")
	fs.Int64Var(&cfg.FaultSeed, "fault-seed", cfg.FaultSeed, "seed of rate-based fault rules")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return fakeserve.Serve(ctx, "connapi-fake", cfg, stdout)
}
