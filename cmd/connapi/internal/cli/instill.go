package cli

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/cmd/connapi/internal/output"
	"github.com/connapi/connapi-go/models"
)

var instillConnectionColumns = []output.Column{
	output.Col("ID", func(c *models.NamespaceConnection) string { return c.ID }),
	output.Col("INTEGRATION", func(c *models.NamespaceConnection) string { return c.IntegrationID }),
	output.Col("METHOD", func(c *models.NamespaceConnection) string { return string(c.Method) }),
	output.Col("CREATED", func(c *models.NamespaceConnection) string { return output.Time(c.CreateTime.Time) }),
	output.Col("UPDATED", func(c *models.NamespaceConnection) string { return output.Time(c.UpdateTime.Time) }),
}

var integrationColumns = []output.Column{
	output.Col("ID", func(i *models.Integration) string { return i.ID }),
	output.Col("TITLE", func(i *models.Integration) string { return i.Title }),
	output.Col("VENDOR", func(i *models.Integration) string { return i.Vendor }),
	output.Col("OAUTH", func(i *models.Integration) string { return output.Bool(i.OAuthConfig != nil) }),
}

var pipelineColumns = []output.Column{
	output.Col("PIPELINE ID", func(id string) string { return id }),
}

func (a *app) instillCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "instill",
		Short: "Instill AI: namespace connections and integrations",
		Long: `Instill AI's namespace connections and integrations. The namespace comes from
--namespace, CONNAPI_INSTILL_NAMESPACE or the profile's namespace.`,
	}
	conns := &cobra.Command{Use: "connections", Short: "Namespace connections (/v1beta/namespaces/{namespaceId}/connections)"}
	conns.AddCommand(a.inList(), a.inGet(), a.inCreate(), a.inUpdate(), a.inDelete(), a.inTest(), a.inPipelines())
	integ := &cobra.Command{Use: "integrations", Short: "The integrations a connection can use (/v1beta/integrations)"}
	integ.AddCommand(a.inIntegrations(), a.inIntegration())
	cmd.AddCommand(conns, integ)
	return cmd
}

func instillPageFlags(f *pflag.FlagSet, size *int, token, filter *string, all *bool) {
	f.IntVar(size, "page-size", 0, "page size (default: the server's)")
	f.StringVar(token, "page-token", "", "the page's token")
	f.StringVar(filter, "filter", "", `a filter expression, e.g. 'q="openai"'`)
	f.BoolVar(all, "all", false, "walk every page, streaming")
}

func tokenHint(next string) string {
	if next == "" {
		return ""
	}
	return "--page-token " + next
}

func (a *app) inList() *cobra.Command {
	var p connapi.ListNamespaceConnectionsParams
	var all bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the namespace's connections (GET /v1beta/namespaces/{namespaceId}/connections)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := a.begin(cmd, connapi.PlatformInstill)
			if err != nil {
				return err
			}
			ns, err := k.namespace()
			if err != nil {
				return err
			}
			if all {
				return stream(k, k.c.NamespaceConnections.ListIter(k.ctx, ns, &p), instillConnectionColumns)
			}
			l, _, err := k.c.NamespaceConnections.List(k.ctx, ns, &p)
			if err != nil {
				return err
			}
			return page(k, l.Connections, instillConnectionColumns, tokenHint(l.NextPageToken))
		},
	}
	instillPageFlags(cmd.Flags(), &p.PageSize, &p.PageToken, &p.Filter, &all)
	return cmd
}

func (a *app) inGet() *cobra.Command {
	var view string
	cmd := &cobra.Command{
		Use:   "get CONNECTION_ID",
		Short: "Get a connection (GET /v1beta/namespaces/{namespaceId}/connections/{connectionId})",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := a.begin(cmd, connapi.PlatformInstill)
			if err != nil {
				return err
			}
			ns, err := k.namespace()
			if err != nil {
				return err
			}
			conn, _, err := k.c.NamespaceConnections.Get(k.ctx, ns, args[0], &connapi.GetNamespaceConnectionParams{View: models.InstillView(view)})
			if err != nil {
				return err
			}
			return k.one(conn, instillConnectionColumns)
		},
	}
	cmd.Flags().StringVar(&view, "view", "", "VIEW_BASIC or VIEW_FULL")
	return cmd
}

// instillFields are the common fields of a connection's create and update.
type instillFields struct {
	body                                       bodyFlag
	id, integrationID, method, setup, identity string
	scopes                                     []string
}

func (s *instillFields) add(f *pflag.FlagSet, idUsage string) {
	addBody(f, &s.body, "id, integrationId, method, setup, scopes, identity, oAuthAccessDetails")
	f.StringVar(&s.id, "id", "", idUsage)
	f.StringVar(&s.integrationID, "integration-id", "", "the integration, e.g. openai")
	f.StringVar(&s.method, "method", "", "METHOD_DICTIONARY or METHOD_OAUTH")
	f.StringVar(&s.setup, "setup", "", `the setup as a JSON object, e.g. '{"api-key": "…"}'`)
	f.StringSliceVar(&s.scopes, "scopes", nil, "OAuth scopes (repeatable)")
	f.StringVar(&s.identity, "identity", "", "the OAuth identity")
}

func (a *app) inCreate() *cobra.Command {
	var s instillFields
	cmd := &cobra.Command{
		Use:     "create",
		Short:   "Create a connection (POST /v1beta/namespaces/{namespaceId}/connections)",
		Example: `  connapi instill connections create --id my-openai --integration-id openai --method METHOD_DICTIONARY --setup '{"api-key": "sk-…"}'`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			conn := &models.NamespaceConnection{}
			if err := s.body.decode(a.env.Stdin, conn); err != nil {
				return err
			}
			f := cmd.Flags()
			setChanged(f, "id", &conn.ID, s.id)
			setChanged(f, "integration-id", &conn.IntegrationID, s.integrationID)
			setChanged(f, "identity", &conn.Identity, s.identity)
			if f.Changed("method") {
				conn.Method = models.NamespaceConnectionMethod(s.method)
			}
			if f.Changed("scopes") {
				conn.Scopes = s.scopes
			}
			if f.Changed("setup") {
				m, err := jsonFlag("setup", s.setup)
				if err != nil {
					return err
				}
				conn.Setup = m
			}
			k, err := a.begin(cmd, connapi.PlatformInstill)
			if err != nil {
				return err
			}
			ns, err := k.namespace()
			if err != nil {
				return err
			}
			out, _, err := k.c.NamespaceConnections.Create(k.ctx, ns, conn)
			if err != nil {
				return err
			}
			return k.one(out, instillConnectionColumns)
		},
	}
	s.add(cmd.Flags(), "the new connection's id")
	return cmd
}

func (a *app) inUpdate() *cobra.Command {
	var s instillFields
	cmd := &cobra.Command{
		Use:   "update CONNECTION_ID",
		Short: "Change a connection's fields; setup is replaced whole (PATCH /v1beta/namespaces/{namespaceId}/connections/{connectionId})",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req := &connapi.UpdateNamespaceConnectionRequest{}
			if err := s.body.decode(a.env.Stdin, req); err != nil {
				return err
			}
			f := cmd.Flags()
			if f.Changed("id") {
				req.ID = connapi.Ptr(s.id)
			}
			if f.Changed("integration-id") {
				req.IntegrationID = connapi.Ptr(s.integrationID)
			}
			if f.Changed("identity") {
				req.Identity = connapi.Ptr(s.identity)
			}
			if f.Changed("method") {
				req.Method = connapi.Ptr(models.NamespaceConnectionMethod(s.method))
			}
			if f.Changed("scopes") {
				req.Scopes = s.scopes
			}
			if f.Changed("setup") {
				m, err := jsonFlag("setup", s.setup)
				if err != nil {
					return err
				}
				req.Setup = m
			}
			k, err := a.begin(cmd, connapi.PlatformInstill)
			if err != nil {
				return err
			}
			ns, err := k.namespace()
			if err != nil {
				return err
			}
			out, _, err := k.c.NamespaceConnections.Update(k.ctx, ns, args[0], req)
			if err != nil {
				return err
			}
			return k.one(out, instillConnectionColumns)
		},
	}
	s.add(cmd.Flags(), "a new id for the connection")
	return cmd
}

func (a *app) inDelete() *cobra.Command {
	var f deleteFlags
	cmd := &cobra.Command{
		Use:   "delete CONNECTION_ID... | -",
		Short: "Delete connections (DELETE /v1beta/namespaces/{namespaceId}/connections/{connectionId})",
		Long:  deleteUsage,
		RunE: func(cmd *cobra.Command, args []string) error {
			// bulkDelete checks the namespace before anything is asked or sent.
			return a.bulkDelete(cmd, connapi.PlatformInstill, args, &f, "Instill AI connections", func(k *call, id string) (*connapi.Response, error) {
				return k.c.NamespaceConnections.Delete(k.ctx, k.acc.namespace, id, nil)
			})
		},
	}
	addDeleteFlags(cmd.Flags(), &f)
	return cmd
}

func (a *app) inTest() *cobra.Command {
	return &cobra.Command{
		Use:   "test CONNECTION_ID",
		Short: "Test a connection against its third-party app (POST …/connections/{connectionId}/test)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := a.begin(cmd, connapi.PlatformInstill)
			if err != nil {
				return err
			}
			ns, err := k.namespace()
			if err != nil {
				return err
			}
			resp, err := k.c.NamespaceConnections.Test(k.ctx, ns, args[0], nil)
			if err != nil {
				return err
			}
			return k.done(resp, "ok")
		},
	}
}

func (a *app) inPipelines() *cobra.Command {
	var p connapi.ListReferencedPipelinesParams
	var all bool
	cmd := &cobra.Command{
		Use:   "pipelines CONNECTION_ID",
		Short: "List the pipelines that use a connection (GET …/connections/{connectionId}/referenced-pipelines)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := a.begin(cmd, connapi.PlatformInstill)
			if err != nil {
				return err
			}
			ns, err := k.namespace()
			if err != nil {
				return err
			}
			if all {
				return stream(k, k.c.NamespaceConnections.ReferencedPipelinesIter(k.ctx, ns, args[0], &p), pipelineColumns)
			}
			l, _, err := k.c.NamespaceConnections.ReferencedPipelines(k.ctx, ns, args[0], &p)
			if err != nil {
				return err
			}
			return page(k, l.PipelineIDs, pipelineColumns, tokenHint(l.NextPageToken))
		},
	}
	instillPageFlags(cmd.Flags(), &p.PageSize, &p.PageToken, &p.Filter, &all)
	return cmd
}

func (a *app) inIntegrations() *cobra.Command {
	var p connapi.ListIntegrationsParams
	var all bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the integrations (GET /v1beta/integrations)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := a.begin(cmd, connapi.PlatformInstill)
			if err != nil {
				return err
			}
			if all {
				return stream(k, k.c.Integrations.ListIter(k.ctx, &p), integrationColumns)
			}
			l, _, err := k.c.Integrations.List(k.ctx, &p)
			if err != nil {
				return err
			}
			return page(k, l.Integrations, integrationColumns, tokenHint(l.NextPageToken))
		},
	}
	instillPageFlags(cmd.Flags(), &p.PageSize, &p.PageToken, &p.Filter, &all)
	return cmd
}

func (a *app) inIntegration() *cobra.Command {
	var view string
	cmd := &cobra.Command{
		Use:   "get INTEGRATION_ID",
		Short: "Get an integration (GET /v1beta/integrations/{integrationId})",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOne(a, cmd, connapi.PlatformInstill, integrationColumns, func(k *call) (any, error) {
				v, _, err := k.c.Integrations.Get(k.ctx, args[0], &connapi.GetIntegrationParams{View: models.InstillView(view)})
				return v, err
			})
		},
	}
	cmd.Flags().StringVar(&view, "view", "", "VIEW_BASIC or VIEW_FULL")
	return cmd
}
