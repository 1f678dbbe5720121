package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/cmd/connapi/internal/output"
	"github.com/connapi/connapi-go/models"
)

var instanceColumns = []output.Column{
	output.Col("ID", func(c *models.ConnectorInstance) string { return c.ConnectorID }),
	output.Col("NAME", func(c *models.ConnectorInstance) string { return c.InstanceName }),
	output.Col("TYPE", func(c *models.ConnectorInstance) string { return c.ConnectorType }),
	output.Col("SCOPE", func(c *models.ConnectorInstance) string { return string(c.Scope) }),
	output.Col("AUTH", func(c *models.ConnectorInstance) string { return string(c.AuthType) }),
	output.Col("CONFIGURED", func(c *models.ConnectorInstance) string { return output.Bool(c.IsConfigured) }),
	output.Col("AUTHENTICATED", func(c *models.ConnectorInstance) string { return output.Bool(c.IsAuthenticated) }),
	output.Col("ACTIVE", func(c *models.ConnectorInstance) string { return output.Bool(c.IsActive) }),
	output.Col("UPDATED", func(c *models.ConnectorInstance) string { return output.Time(c.UpdatedAt.Time) }),
}

var connectorTypeColumns = []output.Column{
	output.Col("TYPE", func(t *models.ConnectorType) string { return t.ConnectorType }),
	output.Col("NAME", func(t *models.ConnectorType) string { return t.DisplayName }),
	output.Col("APP GROUP", func(t *models.ConnectorType) string { return t.AppGroup }),
	output.Col("AUTH TYPES", func(t *models.ConnectorType) string { return joinStrings(t.AuthTypes) }),
	output.Col("SCOPES", func(t *models.ConnectorType) string { return joinStrings(t.SupportedScopes) }),
}

func joinStrings[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ",")
}

func (a *app) pipesHubCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "pipeshub", Short: "PipesHub: connector instances and the registry"}
	inst := &cobra.Command{Use: "instances", Short: "PipesHub connector instances (/connectors)"}
	inst.AddCommand(
		a.phList(), a.phGet(), a.phCreate(), a.phDelete(), a.phRename(), a.phToggle(),
		a.phActive(true), a.phActive(false), a.phConfigured(), a.phAgents(),
	)
	cfg := &cobra.Command{Use: "config", Short: "A connector instance's configuration"}
	cfg.AddCommand(a.phConfigGet(), a.phConfigSet(), a.phConfigAuth(), a.phConfigFiltersSync())
	filters := &cobra.Command{Use: "filters", Short: "A connector instance's sync and indexing filters"}
	filters.AddCommand(a.phFiltersGet(), a.phFiltersSave(), a.phFilterOptions())
	oauth := &cobra.Command{Use: "oauth", Short: "A connector instance's OAuth flow"}
	oauth.AddCommand(a.phAuthorize(), a.phCallback())
	inst.AddCommand(cfg, filters, oauth)
	reg := &cobra.Command{Use: "registry", Short: "The connector types PipesHub offers (/connectors/registry)"}
	reg.AddCommand(a.phRegistry(), a.phSchema())
	cmd.AddCommand(inst, reg)
	return cmd
}

// The requests' baseUrl fields. Their flags are not --base-url, which is the
// platform's API URL on every command (a flag of a command hides a global flag of
// the same name, so --base-url would have stopped pointing at the API there).
const (
	connectorBaseURLFlag  = "connector-base-url"
	connectorBaseURLUsage = "the request's baseUrl: the service's URL for self-hosted services, or the base of OAuth redirects (--base-url is the PipesHub API's)"
	frontendBaseURLFlag   = "frontend-base-url"
	frontendBaseURLUsage  = "the request's baseUrl: the PipesHub frontend's URL, for the redirect (--base-url is the PipesHub API's)"
)

// pageFlags binds the page flags every PipesHub list shares.
func pageFlags(f *pflag.FlagSet, scope *models.ConnectorScope, page, limit *int, search *string) {
	f.StringVar((*string)(scope), "scope", "", "team or personal")
	f.IntVar(page, "page", 0, "1-based page number (default 1)")
	f.IntVar(limit, "limit", 0, "page size, 1 to 200 (default: the server's)")
	f.StringVar(search, "search", "", "match names")
}

func nextPage(p *models.ConnectorPagination, current int) string {
	if p == nil || !p.HasMore {
		return ""
	}
	return fmt.Sprintf("--page %d", max(current, 1)+1)
}

func (a *app) phList() *cobra.Command {
	var p connapi.ListConnectorInstancesParams
	var all bool
	var authenticated, active string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List connector instances (GET /connectors; scope team unless --scope)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if p.IsAuthenticated, err = optBool("is-authenticated", authenticated); err != nil {
				return err
			}
			if p.IsActive, err = optBool("is-active", active); err != nil {
				return err
			}
			k, err := a.begin(cmd, connapi.PlatformPipesHub)
			if err != nil {
				return err
			}
			if all {
				return stream(k, k.c.ConnectorInstances.ListIter(k.ctx, &p), instanceColumns)
			}
			l, _, err := k.c.ConnectorInstances.List(k.ctx, &p)
			if err != nil {
				return err
			}
			return page(k, l.Connectors, instanceColumns, nextPage(l.Pagination, p.Page))
		},
	}
	f := cmd.Flags()
	pageFlags(f, &p.Scope, &p.Page, &p.Limit, &p.Search)
	f.StringVar(&authenticated, "is-authenticated", "", "true or false: only instances in that state")
	f.StringVar(&active, "is-active", "", "true or false: only active or inactive instances")
	f.StringVar(&p.ConnectorType, "connector-type", "", "only instances of this type, e.g. Confluence")
	f.BoolVar(&all, "all", false, "walk every page, streaming")
	return cmd
}

// optBool reads an optional true/false flag.
func optBool(name, v string) (*bool, error) {
	switch strings.ToLower(v) {
	case "":
		return nil, nil
	case "true":
		return connapi.Ptr(true), nil
	case "false":
		return connapi.Ptr(false), nil
	}
	return nil, usagef("--%s must be true or false, not %q", name, v)
}

func (a *app) phGet() *cobra.Command {
	return &cobra.Command{
		Use:   "get CONNECTOR_ID",
		Short: "Get a connector instance (GET /connectors/{connectorId})",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOne(a, cmd, connapi.PlatformPipesHub, instanceColumns, func(k *call) (any, error) {
				v, _, err := k.c.ConnectorInstances.Get(k.ctx, args[0], nil)
				return v, err
			})
		},
	}
}

func (a *app) phCreate() *cobra.Command {
	var body bodyFlag
	var in connapi.CreateConnectorRequest
	var scope, authType string
	cmd := &cobra.Command{
		Use:     "create",
		Short:   "Create a connector instance (POST /connectors)",
		Example: `  connapi pipeshub instances create --connector-type GoogleDrive --instance-name "Company Drive" --scope team --auth-type OAUTH`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req := &connapi.CreateConnectorRequest{}
			if err := body.decode(a.env.Stdin, req); err != nil {
				return err
			}
			f := cmd.Flags()
			setChanged(f, "connector-type", &req.ConnectorType, in.ConnectorType)
			setChanged(f, "instance-name", &req.InstanceName, in.InstanceName)
			setChanged(f, connectorBaseURLFlag, &req.BaseURL, in.BaseURL)
			setChanged(f, "oauth-config-id", &req.OAuthConfigID, in.OAuthConfigID)
			if f.Changed("scope") {
				req.Scope = models.ConnectorScope(scope)
			}
			if f.Changed("auth-type") {
				req.AuthType = models.AuthType(authType)
			}
			return runOne(a, cmd, connapi.PlatformPipesHub, instanceColumns, func(k *call) (any, error) {
				v, _, err := k.c.ConnectorInstances.Create(k.ctx, req)
				return v, err
			})
		},
	}
	f := cmd.Flags()
	addBody(f, &body, "connectorType, instanceName, scope, authType, config, baseUrl, oauthConfigId")
	f.StringVar(&in.ConnectorType, "connector-type", "", "the registry's connector type, e.g. GoogleDrive")
	f.StringVar(&in.InstanceName, "instance-name", "", "the instance's name")
	f.StringVar(&scope, "scope", "", "team or personal")
	f.StringVar(&authType, "auth-type", "", "e.g. OAUTH, API_TOKEN")
	f.StringVar(&in.BaseURL, connectorBaseURLFlag, "", connectorBaseURLUsage)
	f.StringVar(&in.OAuthConfigID, "oauth-config-id", "", "a shared OAuth app configuration")
	return cmd
}

// setChanged copies v into dst when the flag was given.
func setChanged(f *pflag.FlagSet, name string, dst *string, v string) {
	if f.Changed(name) {
		*dst = v
	}
}

func (a *app) phDelete() *cobra.Command {
	var f deleteFlags
	cmd := &cobra.Command{
		Use:   "delete CONNECTOR_ID... | -",
		Short: "Delete connector instances (DELETE /connectors/{connectorId}; accepted when the server deletes in the background)",
		Long:  deleteUsage,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.bulkDelete(cmd, connapi.PlatformPipesHub, args, &f, "PipesHub connector instances", func(k *call, id string) (*connapi.Response, error) {
				return k.c.ConnectorInstances.Delete(k.ctx, id, nil)
			})
		},
	}
	addDeleteFlags(cmd.Flags(), &f)
	return cmd
}

func (a *app) phRename() *cobra.Command {
	var body bodyFlag
	var name string
	cmd := &cobra.Command{
		Use:   "rename CONNECTOR_ID --instance-name NAME",
		Short: "Rename a connector instance (PUT /connectors/{connectorId}/name)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req := &connapi.UpdateConnectorNameRequest{}
			if err := body.decode(a.env.Stdin, req); err != nil {
				return err
			}
			setChanged(cmd.Flags(), "instance-name", &req.InstanceName, name)
			return runOne(a, cmd, connapi.PlatformPipesHub, instanceColumns, func(k *call) (any, error) {
				v, _, err := k.c.ConnectorInstances.UpdateName(k.ctx, args[0], req)
				return v, err
			})
		},
	}
	addBody(cmd.Flags(), &body, `{"instanceName": "…"}`)
	cmd.Flags().StringVar(&name, "instance-name", "", "the new name (required; --name too)")
	alias(cmd.Flags(), "name", "instance-name")
	return cmd
}

func (a *app) phToggle() *cobra.Command {
	var body bodyFlag
	var typ string
	cmd := &cobra.Command{
		Use:   "toggle CONNECTOR_ID --type sync|agent",
		Short: "Switch sync or the agent of a connector instance on or off (POST /connectors/{connectorId}/toggle)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req := &connapi.ToggleConnectorRequest{}
			if err := body.decode(a.env.Stdin, req); err != nil {
				return err
			}
			if cmd.Flags().Changed("type") {
				req.Type = models.ConnectorToggleType(typ)
			}
			return runOne(a, cmd, connapi.PlatformPipesHub, nil, func(k *call) (any, error) {
				v, _, err := k.c.ConnectorInstances.Toggle(k.ctx, args[0], req)
				return v, err
			})
		},
	}
	addBody(cmd.Flags(), &body, `{"type": "sync"}`)
	cmd.Flags().StringVar(&typ, "type", "", "sync or agent (required)")
	return cmd
}

func (a *app) phActive(active bool) *cobra.Command {
	use, short := "active", "List the active connector instances (GET /connectors/active)"
	if !active {
		use, short = "inactive", "List the inactive connector instances (GET /connectors/inactive)"
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := a.begin(cmd, connapi.PlatformPipesHub)
			if err != nil {
				return err
			}
			var l *models.ConnectorInstanceList
			if active {
				l, _, err = k.c.ConnectorInstances.ListActive(k.ctx, nil)
			} else {
				l, _, err = k.c.ConnectorInstances.ListInactive(k.ctx, nil)
			}
			if err != nil {
				return err
			}
			return page(k, l.Connectors, instanceColumns, "")
		},
	}
	onePageAll(cmd)
	return cmd
}

func (a *app) phConfigured() *cobra.Command {
	var p connapi.ListConfiguredConnectorsParams
	var all bool
	cmd := &cobra.Command{
		Use:   "configured",
		Short: "List the configured connector instances (GET /connectors/configured)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := a.begin(cmd, connapi.PlatformPipesHub)
			if err != nil {
				return err
			}
			if all {
				return stream(k, k.c.ConnectorInstances.ListConfiguredIter(k.ctx, &p), instanceColumns)
			}
			l, _, err := k.c.ConnectorInstances.ListConfigured(k.ctx, &p)
			if err != nil {
				return err
			}
			return page(k, l.Connectors, instanceColumns, nextPage(l.Pagination, p.Page))
		},
	}
	pageFlags(cmd.Flags(), &p.Scope, &p.Page, &p.Limit, &p.Search)
	cmd.Flags().BoolVar(&all, "all", false, "walk every page, streaming")
	return cmd
}

func (a *app) phAgents() *cobra.Command {
	var p connapi.ListActiveAgentConnectorsParams
	var all bool
	cmd := &cobra.Command{
		Use:   "agents",
		Short: "List the connector instances with an active agent (GET /connectors/agents/active)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := a.begin(cmd, connapi.PlatformPipesHub)
			if err != nil {
				return err
			}
			if all {
				return stream(k, k.c.ConnectorInstances.ListActiveAgentsIter(k.ctx, &p), instanceColumns)
			}
			l, _, err := k.c.ConnectorInstances.ListActiveAgents(k.ctx, &p)
			if err != nil {
				return err
			}
			return page(k, l.Connectors, instanceColumns, nextPage(l.Pagination, p.Page))
		},
	}
	pageFlags(cmd.Flags(), &p.Scope, &p.Page, &p.Limit, &p.Search)
	cmd.Flags().BoolVar(&all, "all", false, "walk every page, streaming")
	return cmd
}

func (a *app) phConfigGet() *cobra.Command {
	return &cobra.Command{
		Use:   "get CONNECTOR_ID",
		Short: "Get a connector instance's configuration (GET /connectors/{connectorId}/config)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOne(a, cmd, connapi.PlatformPipesHub, nil, func(k *call) (any, error) {
				v, _, err := k.c.ConnectorInstances.GetConfig(k.ctx, args[0], nil)
				return v, err
			})
		},
	}
}

func (a *app) phConfigSet() *cobra.Command {
	var body bodyFlag
	var baseURL, oauthConfigID string
	cmd := &cobra.Command{
		Use:   "set CONNECTOR_ID --body @config.json",
		Short: "Replace a connector instance's configuration (PUT /connectors/{connectorId}/config)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req := &connapi.UpdateConnectorConfigRequest{}
			if err := body.decode(a.env.Stdin, req); err != nil {
				return err
			}
			setChanged(cmd.Flags(), connectorBaseURLFlag, &req.BaseURL, baseURL)
			setChanged(cmd.Flags(), "oauth-config-id", &req.OAuthConfigID, oauthConfigID)
			return runOne(a, cmd, connapi.PlatformPipesHub, nil, func(k *call) (any, error) {
				v, _, err := k.c.ConnectorInstances.UpdateConfig(k.ctx, args[0], req)
				return v, err
			})
		},
	}
	addBody(cmd.Flags(), &body, "auth, sync, filters, baseUrl, oauthConfigId")
	cmd.Flags().StringVar(&baseURL, connectorBaseURLFlag, "", connectorBaseURLUsage)
	cmd.Flags().StringVar(&oauthConfigID, "oauth-config-id", "", "a shared OAuth app configuration")
	return cmd
}

func (a *app) phConfigAuth() *cobra.Command {
	var body bodyFlag
	var authType, values, baseURL string
	cmd := &cobra.Command{
		Use:     "auth CONNECTOR_ID",
		Short:   "Set a connector instance's credentials (PUT /connectors/{connectorId}/config/auth)",
		Example: `  connapi pipeshub instances config auth ID --auth-type OAUTH --values '{"clientId": "…", "clientSecret": "…"}'`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req := &connapi.UpdateConnectorAuthConfigRequest{}
			if err := body.decode(a.env.Stdin, req); err != nil {
				return err
			}
			f := cmd.Flags()
			if f.Changed("auth-type") || f.Changed("values") {
				if req.Auth == nil {
					req.Auth = &models.ConnectorAuthConfig{}
				}
				if f.Changed("auth-type") {
					req.Auth.AuthType = models.AuthType(authType)
				}
				if f.Changed("values") {
					m, err := jsonFlag("values", values)
					if err != nil {
						return err
					}
					req.Auth.Values = m
				}
			}
			setChanged(f, connectorBaseURLFlag, &req.BaseURL, baseURL)
			return runOne(a, cmd, connapi.PlatformPipesHub, nil, func(k *call) (any, error) {
				v, _, err := k.c.ConnectorInstances.UpdateAuthConfig(k.ctx, args[0], req)
				return v, err
			})
		},
	}
	f := cmd.Flags()
	addBody(f, &body, `{"auth": {"authType", "values"}, "baseUrl"}`)
	f.StringVar(&authType, "auth-type", "", "e.g. OAUTH, API_TOKEN")
	f.StringVar(&values, "values", "", "the auth values as a JSON object (use - with --body for secrets you do not want in the process list)")
	f.StringVar(&baseURL, connectorBaseURLFlag, "", connectorBaseURLUsage)
	return cmd
}

func (a *app) phConfigFiltersSync() *cobra.Command {
	var body bodyFlag
	var baseURL string
	cmd := &cobra.Command{
		Use:   "filters-sync CONNECTOR_ID --body @sync.json",
		Short: "Set a connector instance's sync settings and filters (PUT /connectors/{connectorId}/config/filters-sync)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req := &connapi.UpdateConnectorFiltersSyncRequest{}
			if err := body.decode(a.env.Stdin, req); err != nil {
				return err
			}
			setChanged(cmd.Flags(), connectorBaseURLFlag, &req.BaseURL, baseURL)
			return runOne(a, cmd, connapi.PlatformPipesHub, nil, func(k *call) (any, error) {
				v, _, err := k.c.ConnectorInstances.UpdateFiltersSyncConfig(k.ctx, args[0], req)
				return v, err
			})
		},
	}
	addBody(cmd.Flags(), &body, "sync, filters, baseUrl")
	cmd.Flags().StringVar(&baseURL, connectorBaseURLFlag, "", connectorBaseURLUsage)
	return cmd
}

func (a *app) phFiltersGet() *cobra.Command {
	return &cobra.Command{
		Use:   "get CONNECTOR_ID",
		Short: "List the filters a connector instance offers (GET /connectors/{connectorId}/filters)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOne(a, cmd, connapi.PlatformPipesHub, nil, func(k *call) (any, error) {
				v, _, err := k.c.ConnectorInstances.GetFilters(k.ctx, args[0], nil)
				return v, err
			})
		},
	}
}

func (a *app) phFiltersSave() *cobra.Command {
	var body bodyFlag
	var filters string
	cmd := &cobra.Command{
		Use:     "save CONNECTOR_ID",
		Short:   "Save a connector instance's filters (POST /connectors/{connectorId}/filters)",
		Example: `  connapi pipeshub instances filters save ID --filters '{"folders": {"operator": "in", "value": ["Reports"], "type": "list"}}'`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req := &connapi.SaveConnectorFiltersRequest{}
			if err := body.decode(a.env.Stdin, req); err != nil {
				return err
			}
			if cmd.Flags().Changed("filters") {
				m, err := jsonFlag("filters", filters)
				if err != nil {
					return err
				}
				req.Filters = m
			}
			return runOne(a, cmd, connapi.PlatformPipesHub, nil, func(k *call) (any, error) {
				v, _, err := k.c.ConnectorInstances.SaveFilters(k.ctx, args[0], req)
				return v, err
			})
		},
	}
	addBody(cmd.Flags(), &body, `{"filters": {…}}`)
	cmd.Flags().StringVar(&filters, "filters", "", "the filters as a JSON object")
	return cmd
}

var filterOptionColumns = []output.Column{
	output.Col("ID", func(o models.ConnectorFilterOption) string { return o.ID }),
	output.Col("VALUE", func(o models.ConnectorFilterOption) string { return o.Value }),
	output.Col("LABEL", func(o models.ConnectorFilterOption) string { return o.Label }),
}

func (a *app) phFilterOptions() *cobra.Command {
	var p connapi.ConnectorFilterOptionsParams
	var all bool
	cmd := &cobra.Command{
		Use:   "options CONNECTOR_ID FILTER_KEY",
		Short: "List the values a filter can take (GET /connectors/{connectorId}/filters/{filterKey}/options)",
		Long: `List the values a filter can take: one page as PipesHub answers it, or with --all
every option, page after page (by cursor where the server gives one), streamed.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !all {
				return runOne(a, cmd, connapi.PlatformPipesHub, nil, func(k *call) (any, error) {
					v, _, err := k.c.ConnectorInstances.FilterOptions(k.ctx, args[0], args[1], &p)
					return v, err
				})
			}
			k, err := a.begin(cmd, connapi.PlatformPipesHub)
			if err != nil {
				return err
			}
			return stream(k, k.c.ConnectorInstances.FilterOptionsIter(k.ctx, args[0], args[1], &p), filterOptionColumns)
		},
	}
	f := cmd.Flags()
	f.IntVar(&p.Page, "page", 0, "1-based page number")
	f.IntVar(&p.Limit, "limit", 0, "page size")
	f.StringVar(&p.Search, "search", "", "match option labels")
	f.StringVar(&p.Cursor, "cursor", "", "the page's cursor, for cursor-paged filters")
	f.StringSliceVar(&p.ContextGroupPath, "context-group-path", nil, "the group path to list under (repeatable)")
	f.StringSliceVar(&p.ExcludeContextGroupPath, "exclude-context-group-path", nil, "group paths to leave out (repeatable)")
	f.BoolVar(&all, "all", false, "walk every page, streaming the options")
	return cmd
}

func (a *app) phAuthorize() *cobra.Command {
	var p connapi.ConnectorAuthorizationURLParams
	cmd := &cobra.Command{
		Use:   "authorize CONNECTOR_ID",
		Short: "Get the provider's consent URL for a connector instance (GET /connectors/{connectorId}/oauth/authorize)",
		Long: `Get the provider's consent URL for a connector instance, and the OAuth state
that the callback must carry. Both are secrets: the state and the URL's query
values are redacted unless --show-secrets.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOne(a, cmd, connapi.PlatformPipesHub, nil, func(k *call) (any, error) {
				v, _, err := k.c.ConnectorInstances.AuthorizationURL(k.ctx, args[0], &p)
				return v, err
			})
		},
	}
	cmd.Flags().StringVar(&p.BaseURL, frontendBaseURLFlag, "", frontendBaseURLUsage)
	return cmd
}

func (a *app) phCallback() *cobra.Command {
	var p connapi.ConnectorOAuthCallbackParams
	cmd := &cobra.Command{
		Use:   "callback --code CODE --state STATE",
		Short: "Finish a connector instance's OAuth with the provider's redirect (GET /connectors/oauth/callback)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runOne(a, cmd, connapi.PlatformPipesHub, nil, func(k *call) (any, error) {
				v, _, err := k.c.ConnectorInstances.HandleOAuthCallback(k.ctx, &p)
				return v, err
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.Code, "code", "", "the code from the provider's redirect")
	f.StringVar(&p.State, "state", "", "the state from the provider's redirect")
	f.StringVar(&p.Error, "error", "", "the error the provider redirected with, if any")
	f.StringVar(&p.BaseURL, frontendBaseURLFlag, "", frontendBaseURLUsage)
	return cmd
}

func (a *app) phRegistry() *cobra.Command {
	var p connapi.ConnectorRegistryParams
	var all bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the connector types (GET /connectors/registry)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := a.begin(cmd, connapi.PlatformPipesHub)
			if err != nil {
				return err
			}
			if all {
				return stream(k, k.c.ConnectorInstances.RegistryIter(k.ctx, &p), connectorTypeColumns)
			}
			r, _, err := k.c.ConnectorInstances.Registry(k.ctx, &p)
			if err != nil {
				return err
			}
			return page(k, r.Connectors, connectorTypeColumns, nextPage(r.Pagination, p.Page))
		},
	}
	pageFlags(cmd.Flags(), &p.Scope, &p.Page, &p.Limit, &p.Search)
	cmd.Flags().BoolVar(&all, "all", false, "walk every page, streaming")
	return cmd
}

func (a *app) phSchema() *cobra.Command {
	return &cobra.Command{
		Use:   "schema CONNECTOR_TYPE",
		Short: "Get a connector type's configuration schema (GET /connectors/registry/{connectorType}/schema)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOne(a, cmd, connapi.PlatformPipesHub, nil, func(k *call) (any, error) {
				v, _, err := k.c.ConnectorInstances.Schema(k.ctx, args[0], nil)
				return v, err
			})
		},
	}
}
