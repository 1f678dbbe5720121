package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/cmd/connapi/internal/config"
	"github.com/connapi/connapi-go/cmd/connapi/internal/output"
	"github.com/connapi/connapi-go/models"
)

var stackConnectionColumns = []output.Column{
	output.Col("ID", func(c *models.Connection) string { return c.ConnectionID }),
	output.Col("NAME", func(c *models.Connection) string { return c.Name }),
	output.Col("PROVIDER", func(c *models.Connection) string { return c.ProviderID }),
	output.Col("TYPE", func(c *models.Connection) string { return c.ConnectionTypeID }),
	output.Col("CREATED", func(c *models.Connection) string { return output.Time(c.CreatedAt.Time) }),
	output.Col("UPDATED", func(c *models.Connection) string { return output.Time(c.UpdatedAt.Time) }),
}

var stackAvailableColumns = []output.Column{
	output.Col("TYPE ID", func(c *models.AvailableConnection) string { return c.ConnectionTypeID }),
	output.Col("PROVIDER", func(c *models.AvailableConnection) string { return c.ProviderID }),
	output.Col("NAME", func(c *models.AvailableConnection) string { return c.Name }),
	output.Col("AUTH", func(c *models.AvailableConnection) string { return string(c.ConnectionType) }),
	output.Col("PLAN", func(c *models.AvailableConnection) string { return c.MinimumPlan }),
}

var resourceColumns = []output.Column{
	output.Col("RESOURCE ID", func(r *models.Resource) string { return r.ResourceID }),
	output.Col("TYPE", func(r *models.Resource) string { return string(r.InodeType) }),
	output.Col("PATH", func(r *models.Resource) string { return r.InodePath.Path }),
	output.Col("STATUS", func(r *models.Resource) string { return string(r.Status) }),
	output.Col("SIZE", func(r *models.Resource) string {
		if r.Size == 0 {
			return ""
		}
		return fmt.Sprint(r.Size)
	}),
	output.Col("MODIFIED", func(r *models.Resource) string { return output.Time(r.ModifiedAt.Time) }),
}

func (a *app) stackAICommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stackai",
		Short: "Stack AI: connections, OAuth, resources, RBAC",
		Long: `Stack AI's connections, OAuth, resources and RBAC.

Credentials: a bearer token (--token, CONNAPI_TOKEN, a profile's token), or a
login: an email and a password exchanged for a token, as Stack AI's own examples
do, at its GoTrue endpoint (` + connapi.StackAIGoTrueTokenURL + `, which wants
the anon key of Stack AI's examples as --anon-key), or with --grant password at
an OAuth2 token endpoint (--token-url). The password comes from
--password-stdin, CONNAPI_PASSWORD or a profile (connapi config set password -,
with --keychain to keep it in the OS keychain); it is never printed. The other
settings: --email, --anon-key, --token-url, --grant or CONNAPI_EMAIL,
CONNAPI_ANON_KEY, CONNAPI_TOKEN_URL, CONNAPI_GRANT, or the profile's keys of the
same names. A credential given at a higher level (flags, then the environment,
then the profile) replaces the other kind given lower.

The password grant sends the OAuth client the token endpoint may want: its id
(--client-id, CONNAPI_CLIENT_ID, the profile's client-id), its secret
(CONNAPI_CLIENT_SECRET or the profile's client-secret: connapi config set
client-secret -, with --keychain to keep it in the OS keychain; never printed, and
no flag, which would show in the process list), sent with HTTP Basic, and the
scopes to ask for (--scopes, CONNAPI_SCOPES, the profile's scopes; separated by
spaces or commas).`,
		Example: `  printf %s "$PASSWORD" | connapi stackai connections list --email me@example.com --anon-key "$ANON_KEY" --password-stdin
  connapi config set --profile stack platform stackai
  connapi config set --profile stack email me@example.com
  connapi config set --profile stack password - --keychain < password.txt
  connapi config set --profile stack grant password
  connapi config set --profile stack client-id my-client
  connapi config set --profile stack client-secret - --keychain < client-secret.txt
  connapi stackai connections list --profile stack --scopes "connections:read connections:write"`,
	}
	// --password-stdin takes standard input before the command runs, so that
	// --body - or - cannot read the password as a body or IDs.
	cmd.PersistentPreRunE = func(*cobra.Command, []string) error {
		if a.flags.passwordStdin {
			_, err := a.stdinPassword()
			return err
		}
		return nil
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&a.flags.email, "email", "", "log in with this email (and a password: --password-stdin or CONNAPI_PASSWORD)")
	pf.BoolVar(&a.flags.passwordStdin, "password-stdin", false, "read the login's password from the first line of standard input")
	pf.StringVar(&a.flags.anonKey, "anon-key", "", "the login endpoint's apikey header (Stack AI's anon key)")
	pf.StringVar(&a.flags.tokenURL, "token-url", "", "the login endpoint (default: Stack AI's GoTrue endpoint)")
	pf.StringVar(&a.flags.grant, "grant", "", "gotrue (default: Stack AI's JSON login) or password (the OAuth2 password grant)")
	pf.StringVar(&a.flags.clientID, "client-id", "", "the OAuth client of --grant password (its secret: CONNAPI_CLIENT_SECRET or the profile's client-secret)")
	pf.StringVar(&a.flags.scopes, "scopes", "", "the scopes --grant password asks for, separated by spaces or commas")
	_ = cmd.RegisterFlagCompletionFunc("grant", cobra.FixedCompletions(config.Grants, cobra.ShellCompDirectiveNoFileComp))
	conns := &cobra.Command{Use: "connections", Short: "Stack AI connections (/connections, /api/v1/connections)"}
	conns.AddCommand(
		a.stackList(), a.stackGet(), a.stackCreate(), a.stackUpdate(), a.stackPatch(),
		a.stackDelete(), a.stackHealth(), a.stackAvailable(),
	)
	oauth := &cobra.Command{Use: "oauth", Short: "Stack AI's OAuth flow for connections"}
	oauth.AddCommand(a.stackOAuthStart(), a.stackOAuthCallback())
	res := &cobra.Command{Use: "resources", Short: "The files and folders behind a Stack AI connection"}
	res.AddCommand(a.stackResourcesGet(), a.stackResourcesChildren(), a.stackResourcesSearch())
	rbac := &cobra.Command{Use: "rbac", Short: "Who may use a Stack AI connection"}
	rbac.AddCommand(a.stackRBACGet(), a.stackRBACUpdate(), a.stackRBACDelete(), a.stackOrgRole())
	cmd.AddCommand(conns, oauth, res, rbac)
	return cmd
}

func (a *app) stackList() *cobra.Command {
	var p connapi.ListConnectionsParams
	var all, paginated bool
	var sortBy, sortDir string
	var filters []string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List connections (GET /connections; with --sort-by, --sort-dir, --filters or --paginated, GET /api/v1/connections)",
		Example: `  connapi stackai connections list --all -o ndjson
  connapi stackai connections list --sort-by created_at --sort-dir asc --filters name__icontains=drive`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if paginated || sortBy != "" || sortDir != "" || len(filters) > 0 {
				if p.ConnectionProvider != "" {
					return usagef("--connection-provider applies to GET /connections only; use --filters connection_provider=… with the paginated list")
				}
				pp := &connapi.ListPaginatedConnectionsParams{Limit: p.Limit, Offset: p.Offset, SortBy: sortBy, SortDir: connapi.SortDirection(sortDir)}
				for _, f := range filters {
					key, value, ok := strings.Cut(f, "=")
					if !ok || key == "" {
						return usagef("bad --filters %q: use field=value or field__operator=value", f)
					}
					field, op, _ := strings.Cut(key, "__")
					pp.Filters = append(pp.Filters, connapi.ConnectionFilter{Field: field, Operator: op, Value: value})
				}
				k, err := a.begin(cmd, connapi.PlatformStackAI)
				if err != nil {
					return err
				}
				if all {
					return stream(k, k.c.Connections.ListPaginatedIter(k.ctx, pp), stackConnectionColumns)
				}
				pg, _, err := k.c.Connections.ListPaginated(k.ctx, pp)
				if err != nil {
					return err
				}
				return page(k, pg.Items, stackConnectionColumns, offsetHint(p.Offset, p.Limit, len(pg.Items), pg.HasMore, pg.Total))
			}
			k, err := a.begin(cmd, connapi.PlatformStackAI)
			if err != nil {
				return err
			}
			if all {
				return stream(k, k.c.Connections.ListIter(k.ctx, &p), stackConnectionColumns)
			}
			items, _, err := k.c.Connections.List(k.ctx, &p)
			if err != nil {
				return err
			}
			return page(k, items, stackConnectionColumns, offsetHint(p.Offset, p.Limit, len(items), nil, nil))
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.ConnectionProvider, "connection-provider", "", "only connections of this provider")
	f.IntVar(&p.Limit, "limit", 0, "page size (default: the server's)")
	f.IntVar(&p.Offset, "offset", 0, "items to skip")
	f.BoolVar(&all, "all", false, "walk every page, streaming")
	f.BoolVar(&paginated, "paginated", false, "use GET /api/v1/connections (sortable, filterable, with totals)")
	f.StringVar(&sortBy, "sort-by", "", "sort field of the paginated list, e.g. created_at")
	f.StringVar(&sortDir, "sort-dir", "", "asc or desc")
	f.StringArrayVar(&filters, "filters", nil, "field[__operator]=value filter of the paginated list (repeatable; --filter too)")
	alias(f, "filter", "filters")
	return cmd
}

func (a *app) stackGet() *cobra.Command {
	var p connapi.GetConnectionParams
	cmd := &cobra.Command{
		Use:   "get CONNECTION_ID",
		Short: "Get a connection (GET /connections/{connection_id})",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOne(a, cmd, connapi.PlatformStackAI, stackConnectionColumns, func(k *call) (any, error) {
				v, _, err := k.c.Connections.Get(k.ctx, args[0], &p)
				return v, err
			})
		},
	}
	cmd.Flags().BoolVar(&p.RefreshOAuthTokens, "refresh-oauth-tokens", false, "refresh the connection's OAuth tokens first")
	return cmd
}

// stackRequestFlags are the common fields of a connection request.
type stackRequestFlags struct {
	body                           bodyFlag
	name, providerID, typeID, data string
}

func (s *stackRequestFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	addBody(f, &s.body, "a connection request: name, provider_id, connection_type_id, connection_provider_data")
	f.StringVar(&s.name, "name", "", "the connection's name")
	f.StringVar(&s.providerID, "provider-id", "", "provider, e.g. notion")
	f.StringVar(&s.typeID, "connection-type-id", "", "connection type, e.g. notion")
	f.StringVar(&s.data, "data", "", `connection_provider_data as a JSON object, e.g. '{"api_key": "…"}'`)
}

// request builds the request from --body and the flags, which win.
func (s *stackRequestFlags) request(cmd *cobra.Command, a *app) (*models.ConnectionRequest, error) {
	req := &models.ConnectionRequest{}
	if err := s.body.decode(a.env.Stdin, req); err != nil {
		return nil, err
	}
	f := cmd.Flags()
	if f.Changed("name") {
		req.Name = s.name
	}
	if f.Changed("provider-id") {
		req.ProviderID = s.providerID
	}
	if f.Changed("connection-type-id") {
		req.ConnectionTypeID = s.typeID
	}
	if f.Changed("data") {
		m, err := jsonFlag("data", s.data)
		if err != nil {
			return nil, err
		}
		req.ConnectionProviderData = m
	}
	return req, nil
}

func (a *app) stackCreate() *cobra.Command {
	var rf stackRequestFlags
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a connection (POST /connections)",
		Example: `  connapi stackai connections create --name "Team Notion" --provider-id notion --connection-type-id notion --data '{"api_key": "secret_…"}'
  connapi stackai connections create --body @notion.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req, err := rf.request(cmd, a)
			if err != nil {
				return err
			}
			return runOne(a, cmd, connapi.PlatformStackAI, stackConnectionColumns, func(k *call) (any, error) {
				v, _, err := k.c.Connections.Create(k.ctx, req)
				return v, err
			})
		},
	}
	rf.add(cmd)
	return cmd
}

func (a *app) stackUpdate() *cobra.Command {
	var rf stackRequestFlags
	cmd := &cobra.Command{
		Use:   "update CONNECTION_ID",
		Short: "Replace a connection (PUT /connections/{connection_id})",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req, err := rf.request(cmd, a)
			if err != nil {
				return err
			}
			return runOne(a, cmd, connapi.PlatformStackAI, stackConnectionColumns, func(k *call) (any, error) {
				v, _, err := k.c.Connections.Update(k.ctx, args[0], req)
				return v, err
			})
		},
	}
	rf.add(cmd)
	return cmd
}

func (a *app) stackPatch() *cobra.Command {
	var body bodyFlag
	var name string
	cmd := &cobra.Command{
		Use:   "patch CONNECTION_ID",
		Short: "Rename a connection (PATCH /connections/{connection_id})",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req := &connapi.PatchConnectionRequest{}
			if err := body.decode(a.env.Stdin, req); err != nil {
				return err
			}
			if cmd.Flags().Changed("name") {
				req.Name = name
			}
			return runOne(a, cmd, connapi.PlatformStackAI, stackConnectionColumns, func(k *call) (any, error) {
				v, _, err := k.c.Connections.Patch(k.ctx, args[0], req)
				return v, err
			})
		},
	}
	addBody(cmd.Flags(), &body, `{"name": "…"}`)
	cmd.Flags().StringVar(&name, "name", "", "the new name")
	return cmd
}

func (a *app) stackDelete() *cobra.Command {
	var f deleteFlags
	cmd := &cobra.Command{
		Use:   "delete CONNECTION_ID... | -",
		Short: "Delete connections (DELETE /connections/{connection_id})",
		Long:  deleteUsage,
		Example: `  connapi stackai connections delete 5a1c0000-0000-4000-8000-000000000001 --yes
  connapi stackai connections list --all -o ndjson --jq 'select(.name | startswith("tmp-")) | .connection_id' | connapi stackai connections delete - --dry-run`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.bulkDelete(cmd, connapi.PlatformStackAI, args, &f, "Stack AI connections", func(k *call, id string) (*connapi.Response, error) {
				return k.c.Connections.Delete(k.ctx, id, nil)
			})
		},
	}
	addDeleteFlags(cmd.Flags(), &f)
	return cmd
}

func (a *app) stackHealth() *cobra.Command {
	var p connapi.ConnectionHealthParams
	cmd := &cobra.Command{
		Use:   "health CONNECTION_ID",
		Short: "Check a connection against its provider (GET /connections/{connection_id}/health)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOne(a, cmd, connapi.PlatformStackAI, nil, func(k *call) (any, error) {
				v, _, err := k.c.Connections.Health(k.ctx, args[0], &p)
				return v, err
			})
		},
	}
	cmd.Flags().BoolVar(&p.RefreshOAuthTokens, "refresh-oauth-tokens", false, "refresh the connection's OAuth tokens first")
	return cmd
}

func (a *app) stackAvailable() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "available",
		Short: "List the connection types you can create (GET /connections/available)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := a.begin(cmd, connapi.PlatformStackAI)
			if err != nil {
				return err
			}
			items, _, err := k.c.Connections.ListAvailable(k.ctx, nil)
			if err != nil {
				return err
			}
			return page(k, items, stackAvailableColumns, "")
		},
	}
	onePageAll(cmd)
	return cmd
}

func (a *app) stackOAuthStart() *cobra.Command {
	var rf stackRequestFlags
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Start OAuth for a new connection and print the provider's consent URL (POST /connections/oauth/start)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req, err := rf.request(cmd, a)
			if err != nil {
				return err
			}
			k, err := a.begin(cmd, connapi.PlatformStackAI)
			if err != nil {
				return err
			}
			u, _, err := k.c.OAuth.Start(k.ctx, req)
			if err != nil {
				return err
			}
			return k.one(struct {
				URL string `json:"url"`
			}{u}, nil)
		},
	}
	rf.add(cmd)
	return cmd
}

func (a *app) stackOAuthCallback() *cobra.Command {
	var rf stackRequestFlags
	var code string
	cmd := &cobra.Command{
		Use:   "callback [CONNECTION_ID] --code CODE",
		Short: "Finish OAuth with the code the provider sent back: create a connection, or update CONNECTION_ID (POST /connections/oauth/callback, PUT …/callback/{connection_id})",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			connectionID := ""
			if len(args) == 1 {
				connectionID = args[0]
			}
			req, err := rf.request(cmd, a)
			if err != nil {
				return err
			}
			k, err := a.begin(cmd, connapi.PlatformStackAI)
			if err != nil {
				return err
			}
			var conn *models.Connection
			if connectionID != "" {
				conn, _, err = k.c.OAuth.UpdateFromCallback(k.ctx, connectionID, &connapi.UpdateConnectionFromCallbackRequest{Code: code, Connection: req})
			} else {
				conn, _, err = k.c.OAuth.CreateFromCallback(k.ctx, &connapi.CreateConnectionFromCallbackRequest{Code: code, Connection: req})
			}
			if err != nil {
				return err
			}
			return k.one(conn, stackConnectionColumns)
		},
	}
	rf.add(cmd)
	cmd.Flags().StringVar(&code, "code", "", "the code from the provider's redirect (required)")
	return cmd
}

func (a *app) stackResourcesGet() *cobra.Command {
	var p connapi.GetResourcesParams
	cmd := &cobra.Command{
		Use:   "get CONNECTION_ID",
		Short: "Get resources by id, or the root (GET /connections/{connection_id}/resources)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOne(a, cmd, connapi.PlatformStackAI, nil, func(k *call) (any, error) {
				v, _, err := k.c.Resources.Get(k.ctx, args[0], &p)
				return v, err
			})
		},
	}
	cmd.Flags().StringSliceVar(&p.ResourceIDs, "resource-ids", nil, "resource ids (repeatable, or comma-separated; --resource-id too)")
	alias(cmd.Flags(), "resource-id", "resource-ids")
	cmd.Flags().BoolVar(&p.RefreshOAuthTokens, "refresh-oauth-tokens", false, "refresh the connection's OAuth tokens first")
	return cmd
}

func (a *app) stackResourcesChildren() *cobra.Command {
	var p connapi.ListChildrenParams
	var all bool
	cmd := &cobra.Command{
		Use:   "children CONNECTION_ID",
		Short: "List the children of a folder, or of the root (GET /connections/{connection_id}/resources/children)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := a.begin(cmd, connapi.PlatformStackAI)
			if err != nil {
				return err
			}
			if all {
				return stream(k, k.c.Resources.ChildrenIter(k.ctx, args[0], &p), resourceColumns)
			}
			pg, _, err := k.c.Resources.Children(k.ctx, args[0], &p)
			if err != nil {
				return err
			}
			return page(k, pg.Data, resourceColumns, cursorHint(pg.NextCursor))
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.ResourceID, "resource-id", "", "the folder (default: the root)")
	f.StringVar(&p.Cursor, "cursor", "", "the page's cursor")
	f.IntVar(&p.PageSize, "page-size", 0, "page size (default: the server's)")
	f.BoolVar(&p.RefreshOAuthTokens, "refresh-oauth-tokens", false, "refresh the connection's OAuth tokens first")
	f.BoolVar(&all, "all", false, "walk every page, streaming")
	return cmd
}

func cursorHint(next string) string {
	if next == "" {
		return ""
	}
	return "--cursor " + next
}

func (a *app) stackResourcesSearch() *cobra.Command {
	var p connapi.SearchResourcesParams
	var all bool
	cmd := &cobra.Command{
		Use:   "search CONNECTION_ID --query TEXT",
		Short: "Search the resources of a connection (GET /connections/{connection_id}/resources/search)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := a.begin(cmd, connapi.PlatformStackAI)
			if err != nil {
				return err
			}
			if all {
				return stream(k, k.c.Resources.SearchIter(k.ctx, args[0], &p), resourceColumns)
			}
			pg, _, err := k.c.Resources.Search(k.ctx, args[0], &p)
			if err != nil {
				return err
			}
			return page(k, pg.Data, resourceColumns, cursorHint(pg.NextCursor))
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.Query, "query", "", "what to search for (required)")
	f.StringVar(&p.Cursor, "cursor", "", "the page's cursor")
	f.IntVar(&p.PageSize, "page-size", 0, "page size (default: the server's)")
	f.BoolVar(&p.RefreshOAuthTokens, "refresh-oauth-tokens", false, "refresh the connection's OAuth tokens first")
	f.BoolVar(&all, "all", false, "walk every page, streaming")
	return cmd
}

func (a *app) stackRBACGet() *cobra.Command {
	return &cobra.Command{
		Use:   "get CONNECTION_ID",
		Short: "Who may use a connection (GET /api/v1/connections/{connection_id}/rbac)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOne(a, cmd, connapi.PlatformStackAI, nil, func(k *call) (any, error) {
				v, _, err := k.c.RBAC.Get(k.ctx, args[0], nil)
				return v, err
			})
		},
	}
}

func (a *app) stackRBACUpdate() *cobra.Command {
	var body bodyFlag
	var req connapi.UpdateRBACRequest
	var subjectType, role string
	cmd := &cobra.Command{
		Use:   "update CONNECTION_ID",
		Short: "Give a user or group a role on a connection (PUT /api/v1/connections/{connection_id}/rbac)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in := &connapi.UpdateRBACRequest{}
			if err := body.decode(a.env.Stdin, in); err != nil {
				return err
			}
			f := cmd.Flags()
			if f.Changed("subject-type") {
				in.SubjectType = models.SubjectType(subjectType)
			}
			if f.Changed("subject-id") {
				in.SubjectID = req.SubjectID
			}
			if f.Changed("role") {
				in.Role = models.Role(role)
			}
			k, err := a.begin(cmd, connapi.PlatformStackAI)
			if err != nil {
				return err
			}
			resp, err := k.c.RBAC.Update(k.ctx, args[0], in)
			if err != nil {
				return err
			}
			return k.done(resp, "updated")
		},
	}
	f := cmd.Flags()
	addBody(f, &body, `{"subject_type", "subject_id", "role"}`)
	f.StringVar(&subjectType, "subject-type", "", "user or group")
	f.StringVar(&req.SubjectID, "subject-id", "", "the user's or group's id")
	f.StringVar(&role, "role", "", "viewer, editor or admin")
	return cmd
}

func (a *app) stackRBACDelete() *cobra.Command {
	var subjectType, subjectID string
	cmd := &cobra.Command{
		Use:   "delete CONNECTION_ID --subject-type user|group --subject-id ID",
		Short: "Take a user's or group's role away (DELETE /api/v1/connections/{connection_id}/rbac)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := a.begin(cmd, connapi.PlatformStackAI)
			if err != nil {
				return err
			}
			resp, err := k.c.RBAC.Delete(k.ctx, args[0], &connapi.DeleteRBACParams{SubjectType: models.SubjectType(subjectType), SubjectID: subjectID})
			if err != nil {
				return err
			}
			return k.done(resp, "deleted")
		},
	}
	cmd.Flags().StringVar(&subjectType, "subject-type", "", "user or group (required)")
	cmd.Flags().StringVar(&subjectID, "subject-id", "", "the user's or group's id (required)")
	return cmd
}

func (a *app) stackOrgRole() *cobra.Command {
	var body bodyFlag
	var role string
	var none bool
	cmd := &cobra.Command{
		Use:   "org-role CONNECTION_ID (--role ROLE | --none | --body JSON)",
		Short: "Set the role everyone in the organization has on a connection (PATCH /api/v1/connections/{connection_id}/organization-role)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req := &connapi.UpdateOrganizationRoleRequest{}
			if body.spec != "" {
				// The body says it all: {"role": null} removes the role. Only a
				// body that names the role is taken: an empty one would remove it.
				var probe map[string]json.RawMessage
				if err := body.decode(a.env.Stdin, req); err != nil {
					return err
				}
				if err := body.decode(a.env.Stdin, &probe); err != nil {
					return err
				}
				if _, ok := probe["role"]; !ok && role == "" && !none {
					return usagef(`--body must give "role" (null removes it), or pass --role or --none`)
				}
			} else if none == (role != "") {
				return usagef("give exactly one of --role ROLE and --none")
			}
			if role != "" && none {
				return usagef("give exactly one of --role ROLE and --none")
			}
			switch {
			case none:
				req.Role = nil
			case role != "":
				r := models.Role(role)
				req.Role = &r
			}
			k, err := a.begin(cmd, connapi.PlatformStackAI)
			if err != nil {
				return err
			}
			resp, err := k.c.RBAC.UpdateOrganizationRole(k.ctx, args[0], req)
			if err != nil {
				return err
			}
			return k.done(resp, "updated")
		},
	}
	addBody(cmd.Flags(), &body, `{"role": "viewer"}, or {"role": null} to remove it`)
	cmd.Flags().StringVar(&role, "role", "", "viewer, editor or admin")
	cmd.Flags().BoolVar(&none, "none", false, "remove the organization's role")
	return cmd
}
