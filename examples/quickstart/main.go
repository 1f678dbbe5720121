// Command quickstart is the first program to run with connapi-go:
//
//	go run ./examples/quickstart
//
// With no environment set, it starts connapitest, the SDK's in-process fake of
// all four platforms, and walks the main flow of each: Stack AI (sign in with a
// token source, connections, OAuth, resources, RBAC), PipesHub (a connector
// instance from creation to deletion), Instill AI (namespace connections) and
// OpenInt (core connections, surviving an injected 429). It needs no network and
// no account, and takes about a second.
//
// To run the read-only part (lists and gets) against a real platform instead, set:
//
//	CONNAPI_PLATFORM           stackai, pipeshub, instill or openint
//	CONNAPI_BASE_URL           the platform's base URL, e.g. https://api.stack-ai.com/
//	CONNAPI_TOKEN              a bearer token (any platform), or
//	CONNAPI_API_KEY            an OpenInt API key (sent as x-apikey)
//	CONNAPI_INSTILL_NAMESPACE  the Instill AI namespace to list (instill only)
//
// The SDK itself never reads the environment; this program does, in main.
package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/models"
)

// run walks the fake flows, or with CONNAPI_PLATFORM set, the read-only part
// against a real platform. env looks up settings (os.Getenv in main).
func run(ctx context.Context, out io.Writer, env func(string) string) (err error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	p := &printer{w: out, width: 15}
	defer func() { err = cmp.Or(err, p.err) }() // a failed write to out

	platform := platformOf(env)
	if platform == "" {
		for _, k := range []string{"CONNAPI_BASE_URL", "CONNAPI_TOKEN", "CONNAPI_API_KEY"} {
			if env(k) != "" {
				return settingsError(k + " is set but CONNAPI_PLATFORM is not; set it to stackai, pipeshub, instill or openint")
			}
		}
		return runFake(ctx, p)
	}
	c, err := liveClient(env, platform, clientOptions()...)
	if err != nil {
		return err
	}
	return runLive(ctx, p, c, platform, instillNamespace(env))
}

// clientOptions are what the quickstart adds to every client. The retry wait is
// capped at 2 s, so that a Retry-After of 1 s is honoured rather than returned
// as an error.
func clientOptions() []connapi.Option {
	return []connapi.Option{
		connapi.WithRetryWait(100*time.Millisecond, 2*time.Second),
		connapi.WithUserAgent("connapi-quickstart"),
	}
}

// newClient returns a client for one platform of the fake.
func newClient(baseURL string, auth ...connapi.Option) (*connapi.Client, error) {
	opts := append([]connapi.Option{connapi.WithBaseURL(baseURL)}, clientOptions()...)
	return connapi.NewClient(append(opts, auth...)...)
}

// ---- against connapitest

func runFake(ctx context.Context, p *printer) error {
	srv := connapitest.NewServer(connapitest.WithSeed(2))
	defer srv.Close()
	p.title("connapi-go %s quickstart, against connapitest at %s", connapi.Version, srv.URL())

	// The first OpenInt list gets 429 Too Many Requests with Retry-After: 1; the
	// client waits a second and tries again.
	srv.Faults().Add(connapitest.Rule{
		Method:   "GET",
		Path:     "/v0/core/connection",
		Sequence: []connapitest.Fault{connapitest.RateLimited(time.Second)},
	})

	for _, flow := range []func(context.Context, *printer, *connapitest.Server) error{
		stackAIFlow, pipesHubFlow, instillFlow, openIntFlow,
	} {
		if err := flow(ctx, p, srv); err != nil {
			return err
		}
	}
	return nil
}

func stackAIFlow(ctx context.Context, p *printer, srv *connapitest.Server) error {
	p.section("Stack AI")
	// Sign in as Stack AI's own examples do: email and password at its GoTrue
	// token endpoint. The token source caches the token and refreshes it.
	ts, err := connapi.NewGoTrueTokenSource(connapi.GoTrueConfig{
		TokenURL: srv.GoTrueTokenURL(), // connapi.StackAIGoTrueTokenURL in production
		APIKey:   srv.APIKey(),
		Email:    srv.Email(),
		Password: srv.Password(),
	})
	if err != nil {
		return err
	}
	if _, err := ts.Token(ctx); err != nil {
		return fmt.Errorf("stack ai: sign in: %w", err)
	}
	p.line("signed in", "%s (GoTrue password grant)", srv.Email())
	c, err := newClient(srv.StackAIURL(), connapi.WithTokenSource(ts))
	if err != nil {
		return err
	}

	notion, _, err := c.Connections.Create(ctx, &models.ConnectionRequest{
		Name:                   "Team Notion",
		ProviderID:             "notion",
		ConnectionTypeID:       "notion",
		ConnectionProviderData: map[string]any{"api_key": "secret_quickstart"},
	})
	if err != nil {
		return fmt.Errorf("stack ai: create: %w", err)
	}
	p.line("created", "%q (%s) %s", notion.Name, notion.ProviderID, notion.ConnectionID)

	var names []string
	for conn, err := range c.Connections.ListIter(ctx, &connapi.ListConnectionsParams{Limit: 2}) {
		if err != nil {
			return fmt.Errorf("stack ai: list: %w", err)
		}
		names = append(names, conn.Name)
	}
	p.line("listed", "%d connections, 2 per page: %s", len(names), strings.Join(names, ", "))

	// OAuth: Start returns the provider's consent page. After consent the provider
	// redirects the browser back with ?code=…, which connapitest does not check.
	drive := &models.ConnectionRequest{Name: "Marketing Drive", ProviderID: "gdrive", ConnectionTypeID: "gdrive"}
	consent, _, err := c.OAuth.Start(ctx, drive)
	if err != nil {
		return fmt.Errorf("stack ai: oauth start: %w", err)
	}
	p.line("oauth start", "consent at %s", withoutQuery(consent))
	conn, _, err := c.OAuth.CreateFromCallback(ctx, &connapi.CreateConnectionFromCallbackRequest{Code: "code-from-the-redirect", Connection: drive})
	if err != nil {
		return fmt.Errorf("stack ai: oauth callback: %w", err)
	}
	p.line("oauth callback", "connected %q %s", conn.Name, conn.ConnectionID)

	var root []string
	for res, err := range c.Resources.ChildrenIter(ctx, conn.ConnectionID, &connapi.ListChildrenParams{PageSize: 3}) {
		if err != nil {
			return fmt.Errorf("stack ai: browse: %w", err)
		}
		name := res.InodePath.Path
		if res.IsDirectory() {
			name += "/"
		}
		root = append(root, name)
	}
	p.line("resources", "%d at the root, 3 per page: %s", len(root), strings.Join(root, " "))

	const userID = "0b8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
	if _, err := c.RBAC.Update(ctx, conn.ConnectionID, &connapi.UpdateRBACRequest{
		SubjectType: models.SubjectTypeUser,
		Role:        models.RoleEditor,
		SubjectID:   userID,
	}); err != nil {
		return fmt.Errorf("stack ai: grant role: %w", err)
	}
	rbac, _, err := c.RBAC.Get(ctx, conn.ConnectionID, nil)
	if err != nil {
		return fmt.Errorf("stack ai: rbac: %w", err)
	}
	p.line("rbac", "user %s… has %v", userID[:8], rbac.UserRoles.Roles(userID))
	return nil
}

func pipesHubFlow(ctx context.Context, p *printer, srv *connapitest.Server) error {
	p.section("PipesHub")
	c, err := newClient(srv.PipesHubURL(), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		return err
	}
	ci := c.ConnectorInstances

	inst, _, err := ci.Create(ctx, &connapi.CreateConnectorRequest{
		ConnectorType: "GoogleDrive",
		InstanceName:  "Company Drive",
		Scope:         models.ConnectorScopeTeam,
		AuthType:      models.AuthTypeOAuth,
	})
	if err != nil {
		return fmt.Errorf("pipeshub: create: %w", err)
	}
	id := inst.ConnectorID
	p.line("created", "%q (%s) %s", inst.InstanceName, inst.ConnectorType, id)

	if _, _, err := ci.UpdateAuthConfig(ctx, id, &connapi.UpdateConnectorAuthConfigRequest{
		Auth: &models.ConnectorAuthConfig{
			AuthType: models.AuthTypeOAuth,
			Values:   map[string]any{"clientId": "quickstart-client", "clientSecret": "quickstart-secret"},
		},
	}); err != nil {
		return fmt.Errorf("pipeshub: auth config: %w", err)
	}
	p.line("auth config", "OAuth client saved")

	authz, _, err := ci.AuthorizationURL(ctx, id, nil)
	if err != nil {
		return fmt.Errorf("pipeshub: authorize: %w", err)
	}
	p.line("authorize", "consent at %s", withoutQuery(authz.AuthorizationURL))
	// The provider calls back with a code and the state it was given.
	cb, _, err := ci.HandleOAuthCallback(ctx, &connapi.ConnectorOAuthCallbackParams{Code: "code-from-the-redirect", State: authz.State})
	if err != nil {
		return fmt.Errorf("pipeshub: oauth callback: %w", err)
	}
	p.line("oauth callback", "success=%t", cb.Success)

	if _, _, err := ci.SaveFilters(ctx, id, &connapi.SaveConnectorFiltersRequest{Filters: map[string]any{
		"folders": map[string]any{"operator": "in", "value": []string{"Reports"}, "type": "list"},
	}}); err != nil {
		return fmt.Errorf("pipeshub: filters: %w", err)
	}
	p.line("filters", "folders in [Reports]")

	toggled, _, err := ci.Toggle(ctx, id, &connapi.ToggleConnectorRequest{Type: models.ConnectorToggleSync})
	if err != nil {
		return fmt.Errorf("pipeshub: toggle: %w", err)
	}
	p.line("toggle", "%s", toggled.Message)

	got, _, err := ci.Get(ctx, id, nil)
	if err != nil {
		return fmt.Errorf("pipeshub: get: %w", err)
	}
	p.line("get", "isConfigured=%t isAuthenticated=%t isActive=%t", got.IsConfigured, got.IsAuthenticated, got.IsActive)

	resp, err := ci.Delete(ctx, id, nil)
	if err != nil {
		return fmt.Errorf("pipeshub: delete: %w", err)
	}
	p.line("deleted", "%s", resp.Status)
	return nil
}

func instillFlow(ctx context.Context, p *printer, srv *connapitest.Server) error {
	p.section("Instill AI")
	c, err := newClient(srv.InstillURL(), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		return err
	}
	nc, ns := c.NamespaceConnections, connapitest.DefaultNamespace

	conn, _, err := nc.Create(ctx, ns, &models.NamespaceConnection{
		ID:            "quickstart-openai",
		IntegrationID: "openai",
		Method:        models.NamespaceConnectionMethodDictionary,
		Setup:         map[string]any{"api-key": "sk-quickstart"},
	})
	if err != nil {
		return fmt.Errorf("instill: create: %w", err)
	}
	p.line("created", "%s (%s, %s), api-key read back as %v", conn.ID, conn.IntegrationID, conn.Method, conn.Setup["api-key"])

	if _, err := nc.Test(ctx, ns, conn.ID, nil); err != nil {
		return fmt.Errorf("instill: test: %w", err)
	}
	p.line("tested", "ok")

	var ids []string
	for conn, err := range nc.ListIter(ctx, ns, &connapi.ListNamespaceConnectionsParams{PageSize: 2}) {
		if err != nil {
			return fmt.Errorf("instill: list: %w", err)
		}
		ids = append(ids, conn.ID)
	}
	p.line("listed", "%d in namespace %q: %s", len(ids), ns, strings.Join(ids, ", "))

	if _, err := nc.Delete(ctx, ns, conn.ID, nil); err != nil {
		return fmt.Errorf("instill: delete: %w", err)
	}
	p.line("deleted", "%s", conn.ID)
	return nil
}

func openIntFlow(ctx context.Context, p *printer, srv *connapitest.Server) error {
	p.section("OpenInt")
	c, err := newClient(srv.OpenIntURL(), connapi.WithAPIKey(srv.APIKey()))
	if err != nil {
		return err
	}
	cc := c.CoreConnections

	id, _, err := cc.Create(ctx, &connapi.CreateCoreConnectionRequest{
		ConnectorConfigID: "ccfg_hubspot_01",
		CustomerID:        connapi.Ptr("customer-42"),
		DisplayName:       connapi.Ptr("Acme CRM"),
		Metadata:          map[string]any{"team": "sales"},
	})
	if err != nil {
		return fmt.Errorf("openint: create: %w", err)
	}
	p.line("created", "%s (ccfg_hubspot_01)", id)

	conn, _, err := cc.Update(ctx, id, &connapi.UpdateCoreConnectionRequest{Metadata: map[string]any{"stage": "won"}})
	if err != nil {
		return fmt.Errorf("openint: patch: %w", err)
	}
	p.line("patched", "metadata %s (merged)", conn.Metadata)

	conns, resp, err := cc.List(ctx, &connapi.ListCoreConnectionsParams{Limit: 10})
	if err != nil {
		return fmt.Errorf("openint: list: %w", err)
	}
	if resp.Attempts > 1 {
		p.line("listed", "%d connections (%d attempts: survived an injected 429)", len(conns), resp.Attempts)
	} else {
		p.line("listed", "%d connections", len(conns))
	}
	return nil
}

// ---- against a real platform

// maxShown is how many objects the read-only listings print.
const maxShown = 5

// runLive runs the read-only part against platform; ns is the Instill AI
// namespace.
func runLive(ctx context.Context, p *printer, c *connapi.Client, platform, ns string) error {
	p.title("connapi-go %s quickstart, read-only, against %s at %s", connapi.Version, platform, c.BaseURL())
	switch platform {
	case "stackai":
		return liveStackAI(ctx, p, c)
	case "pipeshub":
		return livePipesHub(ctx, p, c)
	case "instill":
		return liveInstill(ctx, p, c, ns)
	default:
		return liveOpenInt(ctx, p, c)
	}
}

func liveStackAI(ctx context.Context, p *printer, c *connapi.Client) error {
	p.section("Stack AI")
	available, _, err := c.Connections.ListAvailable(ctx, nil)
	if err != nil {
		return fmt.Errorf("stack ai: available: %w", err)
	}
	p.line("available", "%d connection types", len(available))

	var first *models.Connection
	n := 0
	for conn, err := range c.Connections.ListIter(ctx, &connapi.ListConnectionsParams{Limit: maxShown}) {
		if err != nil {
			return fmt.Errorf("stack ai: list: %w", err)
		}
		if first == nil {
			first = conn
		}
		p.line("connection", "%q (%s) %s", conn.Name, conn.ProviderID, conn.ConnectionID)
		if n++; n == maxShown {
			break // stops paging: no more requests
		}
	}
	if first == nil {
		p.line("connections", "none")
		return nil
	}
	n = 0
	for res, err := range c.Resources.ChildrenIter(ctx, first.ConnectionID, &connapi.ListChildrenParams{PageSize: maxShown}) {
		if err != nil {
			return fmt.Errorf("stack ai: browse %s: %w", first.ConnectionID, err)
		}
		p.line("resource", "%s (%s)", res.InodePath.Path, res.InodeType)
		if n++; n == maxShown {
			break
		}
	}
	return nil
}

func livePipesHub(ctx context.Context, p *printer, c *connapi.Client) error {
	p.section("PipesHub")
	var first *models.ConnectorInstance
	n := 0
	for inst, err := range c.ConnectorInstances.ListIter(ctx, &connapi.ListConnectorInstancesParams{Limit: maxShown}) {
		if err != nil {
			return fmt.Errorf("pipeshub: list: %w", err)
		}
		if first == nil {
			first = inst
		}
		p.line("instance", "%q (%s) %s", inst.InstanceName, inst.ConnectorType, inst.ConnectorID)
		if n++; n == maxShown {
			break
		}
	}
	if first == nil {
		p.line("instances", "none")
		return nil
	}
	got, _, err := c.ConnectorInstances.Get(ctx, first.ConnectorID, nil)
	if err != nil {
		return fmt.Errorf("pipeshub: get: %w", err)
	}
	p.line("get", "%q isConfigured=%t isAuthenticated=%t isActive=%t", got.InstanceName, got.IsConfigured, got.IsAuthenticated, got.IsActive)
	return nil
}

func liveInstill(ctx context.Context, p *printer, c *connapi.Client, ns string) error {
	p.section("Instill AI")
	integrations, _, err := c.Integrations.List(ctx, &connapi.ListIntegrationsParams{PageSize: maxShown})
	if err != nil {
		return fmt.Errorf("instill: integrations: %w", err)
	}
	p.line("integrations", "%d in all", integrations.TotalSize)
	n := 0
	for conn, err := range c.NamespaceConnections.ListIter(ctx, ns, &connapi.ListNamespaceConnectionsParams{PageSize: maxShown}) {
		if err != nil {
			return fmt.Errorf("instill: list: %w", err)
		}
		p.line("connection", "%s (%s, %s)", conn.ID, conn.IntegrationID, conn.Method)
		if n++; n == maxShown {
			break
		}
	}
	if n == 0 {
		p.line("connections", "none in namespace %q", ns)
	}
	return nil
}

func liveOpenInt(ctx context.Context, p *printer, c *connapi.Client) error {
	p.section("OpenInt")
	n := 0
	for conn, err := range c.CoreConnections.ListIter(ctx, &connapi.ListCoreConnectionsParams{Limit: maxShown}) {
		if err != nil {
			return fmt.Errorf("openint: list: %w", err)
		}
		status := "unknown"
		if conn.Standard != nil && conn.Standard.Status != "" {
			status = string(conn.Standard.Status)
		}
		p.line("connection", "%s (%s) %s", conn.ID, conn.ConnectorName, status)
		if n++; n == maxShown {
			break
		}
	}
	if n == 0 {
		p.line("connections", "none")
	}
	return nil
}

// ---- output

// withoutQuery drops the query of a consent URL, which holds client ids and state.
func withoutQuery(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.RawQuery = ""
	return u.String()
}
