package cli

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	connapi "github.com/connapi/connapi-go"
)

// The command line's surface against the SDK's: every method has its command,
// query options are flags named after the Params fields, every body can come from
// --body, every list takes --all, and no command's flag hides a global one.

// commands returns the root command and its runnable commands by path without
// "connapi ".
func commands(t *testing.T) (*cobra.Command, map[string]*cobra.Command) {
	t.Helper()
	a := &app{env: &Env{Getenv: func(string) string { return "" }}}
	root := a.rootCommand()
	out := map[string]*cobra.Command{}
	walk(root, func(c *cobra.Command) {
		if c.Runnable() && !c.HasSubCommands() {
			out[strings.TrimPrefix(c.CommandPath(), "connapi ")] = c
		}
	})
	return root, out
}

// operationCommands maps every SDK method to the command that calls it. An
// operation the SDK gains fails TestEveryOperationHasACommand until it is here.
var operationCommands = map[string]string{
	"Connections.ListAvailable":                  "stackai connections available",
	"Connections.List":                           "stackai connections list",
	"Connections.ListPaginated":                  "stackai connections list", // --paginated, --sort-by, --sort-dir, --filters
	"Connections.Create":                         "stackai connections create",
	"Connections.Get":                            "stackai connections get",
	"Connections.Update":                         "stackai connections update",
	"Connections.Patch":                          "stackai connections patch",
	"Connections.Delete":                         "stackai connections delete",
	"Connections.Health":                         "stackai connections health",
	"OAuth.Start":                                "stackai oauth start",
	"OAuth.CreateFromCallback":                   "stackai oauth callback",
	"OAuth.UpdateFromCallback":                   "stackai oauth callback", // with CONNECTION_ID
	"Resources.Get":                              "stackai resources get",
	"Resources.Children":                         "stackai resources children",
	"Resources.Search":                           "stackai resources search",
	"RBAC.Get":                                   "stackai rbac get",
	"RBAC.Update":                                "stackai rbac update",
	"RBAC.Delete":                                "stackai rbac delete",
	"RBAC.UpdateOrganizationRole":                "stackai rbac org-role",
	"ConnectorInstances.List":                    "pipeshub instances list",
	"ConnectorInstances.ListConfigured":          "pipeshub instances configured",
	"ConnectorInstances.ListActiveAgents":        "pipeshub instances agents",
	"ConnectorInstances.ListActive":              "pipeshub instances active",
	"ConnectorInstances.ListInactive":            "pipeshub instances inactive",
	"ConnectorInstances.Create":                  "pipeshub instances create",
	"ConnectorInstances.Get":                     "pipeshub instances get",
	"ConnectorInstances.Delete":                  "pipeshub instances delete",
	"ConnectorInstances.UpdateName":              "pipeshub instances rename",
	"ConnectorInstances.GetConfig":               "pipeshub instances config get",
	"ConnectorInstances.UpdateConfig":            "pipeshub instances config set",
	"ConnectorInstances.UpdateAuthConfig":        "pipeshub instances config auth",
	"ConnectorInstances.UpdateFiltersSyncConfig": "pipeshub instances config filters-sync",
	"ConnectorInstances.AuthorizationURL":        "pipeshub instances oauth authorize",
	"ConnectorInstances.HandleOAuthCallback":     "pipeshub instances oauth callback",
	"ConnectorInstances.GetFilters":              "pipeshub instances filters get",
	"ConnectorInstances.SaveFilters":             "pipeshub instances filters save",
	"ConnectorInstances.FilterOptions":           "pipeshub instances filters options",
	"ConnectorInstances.Toggle":                  "pipeshub instances toggle",
	"ConnectorInstances.Registry":                "pipeshub registry list",
	"ConnectorInstances.Schema":                  "pipeshub registry schema",
	"NamespaceConnections.List":                  "instill connections list",
	"NamespaceConnections.Create":                "instill connections create",
	"NamespaceConnections.Get":                   "instill connections get",
	"NamespaceConnections.Update":                "instill connections update",
	"NamespaceConnections.Delete":                "instill connections delete",
	"NamespaceConnections.Test":                  "instill connections test",
	"NamespaceConnections.ReferencedPipelines":   "instill connections pipelines",
	"Integrations.List":                          "instill integrations list",
	"Integrations.Get":                           "instill integrations get",
	"CoreConnections.List":                       "openint connections list",
	"CoreConnections.Create":                     "openint connections create",
	"CoreConnections.Get":                        "openint connections get",
	"CoreConnections.Update":                     "openint connections update",
	"CoreConnections.Delete":                     "openint connections delete",
	"CoreConnections.Check":                      "openint connections check",
	"CoreConnections.Sync":                       "openint connections sync",
}

// conveniences are the methods that chain two operations, and so have no
// Operation of their own.
var conveniences = map[string]string{
	"CoreConnections.CreateAndGet": "openint connections create-and-get",
}

func TestEveryOperationHasACommand(t *testing.T) {
	t.Parallel()
	_, cmds := commands(t)
	for _, op := range connapi.Operations() {
		path, ok := operationCommands[op.Name()]
		if !assert.True(t, ok, "%s (%s %s) has no command", op.Name(), op.Method(), op.PathTemplate()) {
			continue
		}
		assert.Contains(t, cmds, path, "%s", op.Name())
	}
	for method, path := range conveniences {
		assert.Contains(t, cmds, path, "%s", method)
	}
	// Every service method is an operation, a convenience or an …Iter twin.
	c := reflect.TypeFor[connapi.Client]()
	for i := range c.NumField() {
		f := c.Field(i)
		if !f.IsExported() || f.Type.Kind() != reflect.Pointer || !strings.HasSuffix(f.Type.Elem().Name(), "Service") {
			continue
		}
		for j := range f.Type.NumMethod() {
			m := f.Type.Method(j).Name
			name := f.Name + "." + strings.TrimSuffix(m, "Iter")
			_, isOp := operationCommands[name]
			_, isConv := conveniences[name]
			assert.True(t, isOp || isConv, "%s.%s has no command", f.Name, m)
		}
	}
}

// kebab is a Go field name in kebab-case: ResourceIDs is resource-ids,
// RefreshOAuthTokens refresh-oauth-tokens.
func kebab(name string) string {
	for _, r := range [][2]string{{"OAuth", "Oauth"}, {"IDs", "Ids"}, {"ID", "Id"}, {"URL", "Url"}} {
		name = strings.ReplaceAll(name, r[0], r[1])
	}
	var b strings.Builder
	for i, r := range name {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte('-')
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}

func TestKebab(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"ResourceIDs": "resource-ids", "RefreshOAuthTokens": "refresh-oauth-tokens", "PageToken": "page-token",
		"IsAuthenticated": "is-authenticated", "ConnectorConfigID": "connector-config-id", "BaseURL": "base-url",
	} {
		assert.Equal(t, want, kebab(in), in)
	}
}

// queryFlags lists, per command, the types whose fields are query options (or,
// for the OAuth callbacks, a query field of a request), and the fields whose
// flag has another name, with why.
var queryFlags = []struct {
	cmd     string
	params  []any
	renamed map[string]string // field: flag
	skip    []string          // fields set otherwise, with the reason in a comment
}{
	{cmd: "stackai connections list", params: []any{connapi.ListConnectionsParams{}, connapi.ListPaginatedConnectionsParams{}}},
	{cmd: "stackai connections get", params: []any{connapi.GetConnectionParams{}}},
	{cmd: "stackai connections health", params: []any{connapi.ConnectionHealthParams{}}},
	{cmd: "stackai oauth callback", params: []any{connapi.CreateConnectionFromCallbackRequest{}, connapi.UpdateConnectionFromCallbackRequest{}},
		skip: []string{"Connection"}}, // the body: --body and the connection request's flags
	{cmd: "stackai resources get", params: []any{connapi.GetResourcesParams{}}},
	{cmd: "stackai resources children", params: []any{connapi.ListChildrenParams{}}},
	{cmd: "stackai resources search", params: []any{connapi.SearchResourcesParams{}}},
	{cmd: "stackai rbac delete", params: []any{connapi.DeleteRBACParams{}}},
	{cmd: "pipeshub instances list", params: []any{connapi.ListConnectorInstancesParams{}}},
	{cmd: "pipeshub instances configured", params: []any{connapi.ListConfiguredConnectorsParams{}}},
	{cmd: "pipeshub instances agents", params: []any{connapi.ListActiveAgentConnectorsParams{}}},
	{cmd: "pipeshub registry list", params: []any{connapi.ConnectorRegistryParams{}}},
	{cmd: "pipeshub instances filters options", params: []any{connapi.ConnectorFilterOptionsParams{}}},
	// --base-url is the platform's API URL on every command.
	{cmd: "pipeshub instances oauth authorize", params: []any{connapi.ConnectorAuthorizationURLParams{}},
		renamed: map[string]string{"BaseURL": "frontend-base-url"}},
	{cmd: "pipeshub instances oauth callback", params: []any{connapi.ConnectorOAuthCallbackParams{}},
		renamed: map[string]string{"BaseURL": "frontend-base-url"}},
	{cmd: "instill connections list", params: []any{connapi.ListNamespaceConnectionsParams{}}},
	{cmd: "instill connections get", params: []any{connapi.GetNamespaceConnectionParams{}}},
	{cmd: "instill connections pipelines", params: []any{connapi.ListReferencedPipelinesParams{}}},
	{cmd: "instill integrations list", params: []any{connapi.ListIntegrationsParams{}}},
	{cmd: "instill integrations get", params: []any{connapi.GetIntegrationParams{}}},
	{cmd: "openint connections list", params: []any{connapi.ListCoreConnectionsParams{}}},
	{cmd: "openint connections get", params: []any{connapi.GetCoreConnectionParams{}}},
	{cmd: "openint connections create-and-get", params: []any{connapi.GetCoreConnectionParams{}}},
	{cmd: "openint connections delete", params: []any{connapi.DeleteCoreConnectionParams{}}},
}

func TestQueryOptionsAreFlagsNamedAfterTheirFields(t *testing.T) {
	t.Parallel()
	_, cmds := commands(t)
	for _, tc := range queryFlags {
		c, ok := cmds[tc.cmd]
		if !assert.True(t, ok, tc.cmd) {
			continue
		}
		for _, p := range tc.params {
			pt := reflect.TypeOf(p)
			for i := range pt.NumField() {
				f := pt.Field(i)
				if !f.IsExported() || slices.Contains(tc.skip, f.Name) {
					continue
				}
				name := kebab(f.Name)
				if r, ok := tc.renamed[f.Name]; ok {
					name = r
				}
				assert.NotNil(t, c.LocalNonPersistentFlags().Lookup(name), "connapi %s: %s.%s has no flag --%s", tc.cmd, pt.Name(), f.Name, name)
			}
		}
	}
}

// bodyCommands are the commands whose request has a body.
var bodyCommands = []string{
	"stackai connections create", "stackai connections update", "stackai connections patch",
	"stackai oauth start", "stackai oauth callback", "stackai rbac update", "stackai rbac org-role",
	"pipeshub instances create", "pipeshub instances rename", "pipeshub instances toggle",
	"pipeshub instances config set", "pipeshub instances config auth", "pipeshub instances config filters-sync",
	"pipeshub instances filters save",
	"instill connections create", "instill connections update",
	"openint connections create", "openint connections create-and-get", "openint connections update",
	"openint connections check", "openint connections sync",
}

func TestEveryBodyCanComeFromBody(t *testing.T) {
	t.Parallel()
	_, cmds := commands(t)
	for _, path := range bodyCommands {
		c, ok := cmds[path]
		if assert.True(t, ok, path) {
			assert.NotNil(t, c.LocalNonPersistentFlags().Lookup("body"), "connapi %s has no --body", path)
		}
	}
}

func TestEveryListTakesAll(t *testing.T) {
	t.Parallel()
	_, cmds := commands(t)
	for path, c := range cmds {
		words := strings.Fields(path)
		verb := words[len(words)-1]
		list := verb == "list" || slices.Contains([]string{
			"stackai connections available", "stackai resources children", "stackai resources search",
			"pipeshub instances active", "pipeshub instances inactive", "pipeshub instances configured",
			"pipeshub instances agents", "pipeshub instances filters options", "instill connections pipelines",
		}, path)
		if list && path != "config list" {
			assert.NotNil(t, c.Flags().Lookup("all"), "connapi %s has no --all", path)
		}
	}
}

// TestNoFlagHidesAGlobalOne: a command's flag must not hide a persistent flag of
// the root (--base-url, --profile, …) or of a parent (stackai's --email, …).
func TestNoFlagHidesAGlobalOne(t *testing.T) {
	t.Parallel()
	_, cmds := commands(t)
	for path, c := range cmds {
		c.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
			for p := c.Parent(); p != nil; p = p.Parent() {
				assert.Nil(t, p.PersistentFlags().Lookup(f.Name), "connapi %s: --%s hides %s's --%s", path, f.Name, p.CommandPath(), f.Name)
				if f.Shorthand != "" {
					assert.Nil(t, p.PersistentFlags().ShorthandLookup(f.Shorthand), "connapi %s: -%s hides a flag of %s", path, f.Shorthand, p.CommandPath())
				}
			}
		})
	}
	require.NotEmpty(t, cmds)
}
