package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/connapi/connapi-go/cmd/connapi/internal/output"
)

const rootLong = `connapi manages the connections of Stack AI, PipesHub, Instill AI and OpenInt
from one command line: every SDK method as a command, one table of every
connection a team holds, and a health report a cron job can act on.

  connapi --fake connections list          every connection of the built-in fake
  connapi openint connections list --all -o ndjson
  connapi health --parallel 16             exit code 5 when something is broken

Credentials and settings come from flags, then the environment (CONNAPI_PLATFORM,
CONNAPI_BASE_URL, CONNAPI_TOKEN, CONNAPI_API_KEY, CONNAPI_INSTILL_NAMESPACE, and
for Stack AI's email and password login CONNAPI_EMAIL, CONNAPI_PASSWORD: connapi
stackai --help), then the profiles of $XDG_CONFIG_HOME/connapi/config.yaml
(connapi config --help).
Output is a table on a terminal and JSON otherwise; secrets inside objects are
redacted unless --show-secrets.

`

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "connapi",
		Short:         "Manage connections on Stack AI, PipesHub, Instill AI and OpenInt",
		Long:          rootLong + exitCodeHelp,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       versionString(),
	}
	group(root)
	f := root.PersistentFlags()
	f.StringVar(&a.flags.profile, "profile", "", "use this profile of the configuration file")
	f.StringVar(&a.flags.baseURL, "base-url", "", "the platform's base URL (default: its public API)")
	f.StringVar(&a.flags.token, "token", "", "bearer token (prefer CONNAPI_TOKEN or a profile: flags show in the process list)")
	f.StringVar(&a.flags.apiKey, "api-key", "", "OpenInt API key, sent as x-apikey")
	f.StringVar(&a.flags.namespace, "namespace", "", "Instill AI namespace")
	f.StringVarP(&a.flags.output, "output", "o", "", "output format: table, json, ndjson or yaml (default: table on a terminal, else json)")
	f.StringVar(&a.flags.jq, "jq", "", "filter the JSON output with a jq expression")
	f.BoolVar(&a.flags.showSecrets, "show-secrets", false, "print credentials held inside objects instead of redacting them")
	f.BoolVar(&a.flags.debug, "debug", false, "log every request (credentials redacted) on stderr")
	f.BoolVar(&a.flags.fake, "fake", false, "run against an in-process, seeded fake of all four platforms (no account needed)")
	f.DurationVar(&a.flags.timeout, "timeout", 0, "time limit of each request attempt, e.g. 30s (default: none)")
	_ = root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(output.Formats, cobra.ShellCompDirectiveNoFileComp))
	_ = root.RegisterFlagCompletionFunc("profile", a.completeProfiles)

	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err: err} })
	root.AddCommand(
		a.connectionsCommand(),
		a.healthCommand(),
		a.configCommand(),
		a.fakeCommand(),
		a.stackAICommand(),
		a.pipesHubCommand(),
		a.instillCommand(),
		a.openIntCommand(),
	)
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Long = `Print a completion script for bash, zsh, fish or PowerShell:

  source <(connapi completion bash)            # bash, this shell
  connapi completion zsh > "${fpath[1]}/_connapi"
  connapi completion fish > ~/.config/fish/completions/connapi.fish
  connapi completion powershell | Out-String | Invoke-Expression`
		}
	}
	root.SetHelpCommand(helpCommand())
	root.InitDefaultHelpCmd()
	walk(root, func(c *cobra.Command) {
		// A command that only holds subcommands (cobra's completion too, whose
		// NoArgs never runs: cobra prints the help of a command with nothing to
		// run, and exits 0, before it checks the arguments).
		if c.HasSubCommands() && (c.Args == nil || !c.Runnable()) {
			group(c)
		}
		wrapArgs(c)
	})
	return root
}

// helpCommand is cobra's help command, except that a topic naming no command is
// a usage error (cobra prints the root's help, or the deepest command's, and
// exits 0).
func helpCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Long:  "Help provides help for any command: connapi help stackai connections list.",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []string
			for _, s := range cmd.Commands() {
				if s.IsAvailableCommand() && strings.HasPrefix(s.Name(), toComplete) {
					out = append(out, s.Name()+"\t"+s.Short)
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return usagef("unknown help topic %q: see connapi --help", strings.Join(args, " "))
			}
			return cmd.Help()
		},
	}
}

// group makes cmd a command that only holds subcommands: alone it prints its
// help; with an argument it is a usage error.
func group(cmd *cobra.Command) {
	cmd.Args = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			var names []string
			for _, s := range c.Commands() {
				if s.IsAvailableCommand() {
					names = append(names, s.Name())
				}
			}
			return usagef("unknown command %q for %q: use one of %s", args[0], c.CommandPath(), strings.Join(names, ", "))
		}
		return nil
	}
	cmd.RunE = func(c *cobra.Command, _ []string) error {
		return c.Help()
	}
}

// wrapArgs makes every argument-count error a usage error.
func wrapArgs(c *cobra.Command) {
	if c.Args == nil {
		return
	}
	check := c.Args
	c.Args = func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			var ue *usageError
			if errors.As(err, &ue) {
				return err
			}
			return &usageError{err: fmt.Errorf("%w (see %s --help)", err, cmd.CommandPath())}
		}
		return nil
	}
}

func walk(c *cobra.Command, f func(*cobra.Command)) {
	f(c)
	for _, s := range c.Commands() {
		walk(s, f)
	}
}

func (a *app) completeProfiles(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	cfg, err := a.config()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return cfg.Names(), cobra.ShellCompDirectiveNoFileComp
}

// CommandPaths lists every runnable command that is not one of cobra's own (help,
// completion), by its full path: "connapi openint connections list".
func CommandPaths() []string {
	a := &app{env: &Env{Getenv: func(string) string { return "" }}}
	var out []string
	walk(a.rootCommand(), func(c *cobra.Command) {
		if c.HasSubCommands() || c.Hidden || !c.Runnable() {
			return
		}
		for p := c; p != nil; p = p.Parent() {
			if p.Name() == "help" || p.Name() == "completion" {
				return
			}
		}
		out = append(out, c.CommandPath())
	})
	return out
}
