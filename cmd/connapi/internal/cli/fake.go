package cli

import (
	"github.com/spf13/cobra"

	"github.com/connapi/connapi-go/internal/fakeserve"
)

func (a *app) fakeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "fake",
		Short: "The fake of the four platforms (connapitest)",
		Long: `The SDK's stateful fake of Stack AI, PipesHub, Instill AI and OpenInt. Any
command runs against an in-process copy with --fake; fake serve serves one on an
address for other tools (it replaces cmd/connapi-fake, which stays as an alias).`,
	}
	cfg := fakeserve.Defaults()
	serve := &cobra.Command{
		Use:   "serve",
		Short: "Serve the fake on an address until interrupted",
		Long: `Serve the fake on --addr until interrupted (Ctrl-C, SIGTERM), printing the base
URL of each platform and the credentials it accepts. They are well known, so an
address that is not loopback is refused unless --public.`,
		Example: `  connapi fake serve --addr 127.0.0.1:8080 --seed 25`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			err := fakeserve.Serve(cmd.Context(), "connapi fake serve", cfg, a.env.Stdout)
			if err != nil && !fakeserve.IsLoopback(cfg.Addr) && !cfg.Public {
				return &usageError{err: err}
			}
			return err
		},
	}
	f := serve.Flags()
	f.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on")
	f.IntVar(&cfg.Seed, "seed", cfg.Seed, "preload this many objects per platform")
	f.BoolVar(&cfg.Public, "public", cfg.Public, "allow a non-loopback address (the credentials are well known)")
	f.StringVar(&cfg.Token, "fake-token", cfg.Token, "static bearer token")
	f.StringVar(&cfg.MemberToken, "member-token", cfg.MemberToken, "static bearer token of a non-admin member (PipesHub permissions); empty turns it off")
	f.StringVar(&cfg.APIKey, "apikey", cfg.APIKey, "API key (OpenInt x-apikey, GoTrue apikey)")
	f.StringVar(&cfg.Email, "email", cfg.Email, "user of the OAuth2 password grant")
	f.StringVar(&cfg.Password, "password", cfg.Password, "password of the OAuth2 password grant")
	f.BoolVar(&cfg.PipesHubSpecShape, "pipeshub-spec-shape", cfg.PipesHubSpecShape, "answer PipesHub in its OpenAPI spec's shape, not its backend's")
	f.Int64Var(&cfg.FaultSeed, "fault-seed", cfg.FaultSeed, "seed of rate-based fault rules")
	cmd.AddCommand(serve)
	return cmd
}
