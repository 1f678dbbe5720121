package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/connapi/connapi-go/cmd/connapi/internal/output"
	"github.com/connapi/connapi-go/inventory"
)

func versionString() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	return v
}

var summaryColumns = []output.Column{
	output.Col("PLATFORM", func(c *inventory.Connection) string { return platformName(c.Platform) }),
	output.Col("PROFILE", func(c *inventory.Connection) string { return c.Profile }),
	output.Col("ID", func(c *inventory.Connection) string { return c.ID }),
	output.Col("NAME", func(c *inventory.Connection) string { return c.Name }),
	output.Col("TYPE", func(c *inventory.Connection) string { return c.Type }),
	output.Col("STATUS", func(c *inventory.Connection) string { return c.Status }),
	output.Col("CREATED", func(c *inventory.Connection) string { return output.Time(c.Created) }),
	output.Col("UPDATED", func(c *inventory.Connection) string { return output.Time(c.Updated) }),
}

var healthColumns = []output.Column{
	output.Col("PLATFORM", func(h *inventory.Health) string { return platformName(h.Platform) }),
	output.Col("PROFILE", func(h *inventory.Health) string { return h.Profile }),
	output.Col("ID", func(h *inventory.Health) string { return h.ID }),
	output.Col("NAME", func(h *inventory.Health) string { return h.Name }),
	output.Col("TYPE", func(h *inventory.Health) string { return h.Type }),
	output.Col("HEALTHY", func(h *inventory.Health) string { return output.Bool(h.Healthy) }),
	output.Col("REASON", func(h *inventory.Health) string { return h.Reason }),
}

func (a *app) connectionsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "connections",
		Short: "Connections across every configured profile",
	}
	var parallel int
	list := &cobra.Command{
		Use:   "list",
		Short: "List the connections of every configured profile, as one table",
		Long: `List the connections of every configured profile (or only --profile's),
concurrently, as one table: platform, profile, id, name, provider or connector
type, status, created, updated. Every page of every platform is walked.

A profile whose platform fails is reported on stderr and the others still print;
the exit code is then 5 (1 to 4 when every profile failed). With --fake, the four
platforms of the built-in fake are the profiles (fake-stackai, fake-pipeshub,
fake-instill, fake-openint).

With --profile, --token, --api-key, --base-url, --namespace and the CONNAPI_*
variables override that profile's settings, as on every platform command;
without it they are a usage error, since every profile uses its own.`,
		Example: `  connapi --fake connections list
  connapi connections list -o ndjson --jq 'select(.status != "healthy") | .id'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runConnectionsList(cmd, parallel)
		},
	}
	list.Flags().IntVar(&parallel, "parallel", inventory.DefaultParallel, "profiles listed at once")
	list.Flags().Bool("all", true, "accepted as on every list: every page is always walked")
	cmd.AddCommand(list)
	return cmd
}

func (a *app) sources() ([]inventory.Source, error) {
	accs, err := a.accounts()
	if err != nil {
		return nil, err
	}
	srcs := make([]inventory.Source, 0, len(accs))
	for _, acc := range accs {
		s, err := a.source(acc)
		if err != nil {
			return nil, fmt.Errorf("profile %q: %w", acc.profile, err)
		}
		srcs = append(srcs, s)
	}
	return srcs, nil
}

func checkParallel(n int) error {
	if n < 1 || n > 64 {
		return usagef("--parallel must be between 1 and 64, not %d", n)
	}
	return nil
}

func (a *app) runConnectionsList(cmd *cobra.Command, parallel int) error {
	if err := checkParallel(parallel); err != nil {
		return err
	}
	p, err := a.printer()
	if err != nil {
		return err
	}
	srcs, err := a.sources()
	if err != nil {
		return err
	}
	bar := a.progress("listing", -1)
	defer bar.done()
	list := p.List(summaryColumns)
	var failed []error
	for conn, err := range inventory.Connections(cmd.Context(), srcs, &inventory.Options{Parallel: parallel}) {
		if err != nil {
			failed = append(failed, err)
			a.warnf(cmd, "%s", errorLine(err))
			continue
		}
		bar.add(1)
		if err := list.Add(conn); err != nil {
			return err
		}
	}
	bar.done()
	if err := list.Close(); err != nil {
		return err
	}
	return sourcesResult(failed, len(srcs))
}

// sourcesResult is the outcome of a walk over sources, failed of which failed:
// nil, a partial failure (5), or when every source failed, the first error's own
// code.
func sourcesResult(failed []error, total int) error {
	switch {
	case len(failed) == 0:
		return nil
	case len(failed) == total:
		return &partialError{code: exitCode(failed[0])}
	}
	return &partialError{code: ExitPartial}
}

func (a *app) healthCommand() *cobra.Command {
	var parallel int
	var all bool
	cmd := &cobra.Command{
		Use:   "health",
		Short: "Check every connection of every configured profile",
		Long: `Check every connection of every configured profile (or only --profile's) with
its platform's own probe, and print the broken ones with the reason:

  Stack AI    connections health (GET /connections/{id}/health)
  OpenInt     connections check (POST /core/connection/{id}/_check)
  Instill AI  connections test (POST …/connections/{id}/test); it calls the
              third-party app and may count against its quota
  PipesHub    no probe endpoint exists: a fresh get of the instance, healthy when
              it is configured, authenticated and active

The exit code is 0 when every connection is healthy, and 5 when some are broken
or a profile could not be listed, so that a cron job can alert. A summary goes
to stderr.

With --profile, --token, --api-key, --base-url, --namespace and the CONNAPI_*
variables override that profile's settings, as on every platform command;
without it they are a usage error, since every profile uses its own.`,
		Example: `  connapi --fake health
  connapi health --parallel 16 -o json --jq '.[] | "\(.profile) \(.id): \(.reason)"'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkParallel(parallel); err != nil {
				return err
			}
			p, err := a.printer()
			if err != nil {
				return err
			}
			srcs, err := a.sources()
			if err != nil {
				return err
			}
			bar := a.progress("checking", -1)
			defer bar.done()
			list := p.List(healthColumns)
			var failed []error
			healthy, broken := 0, 0
			for h, err := range inventory.Check(cmd.Context(), srcs, &inventory.Options{Parallel: parallel}) {
				if err != nil {
					failed = append(failed, err)
					a.warnf(cmd, "%s", errorLine(err))
					continue
				}
				bar.add(1)
				if h.Healthy {
					healthy++
					if !all {
						continue
					}
				} else {
					broken++
				}
				if err := list.Add(h); err != nil {
					return err
				}
			}
			bar.done()
			if err := list.Close(); err != nil {
				return err
			}
			a.stderrf("%s: %d healthy, %d broken", cmd.CommandPath(), healthy, broken)
			if len(failed) > 0 {
				a.stderrf(", %d of %d profiles could not be listed", len(failed), len(srcs))
			}
			a.stderrf("\n")
			if broken > 0 || len(failed) > 0 {
				return &partialError{code: ExitPartial}
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&parallel, "parallel", inventory.DefaultParallel, "requests in flight at once: the probes and the pages of the lists together")
	cmd.Flags().BoolVar(&all, "include-healthy", false, "print the healthy connections too")
	return cmd
}
