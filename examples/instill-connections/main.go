// Command instill-connections manages Instill AI namespace connections: it looks
// up an integration's setup schema, creates a connection, tests it, lists the
// namespace's connections, replaces the connection's setup, lists the pipelines
// that use it and deletes it.
//
//	go run ./examples/instill-connections
//
// By default it runs against connapitest, the SDK's in-process fake, in its
// namespace connapitest.DefaultNamespace.
//
// Against a real Instill AI account it runs only the read-only part (the
// integrations, the namespace's connections and the pipelines that use the first
// one), since the rest creates and deletes a connection. Set
//
//	CONNAPI_PLATFORM=instill
//	CONNAPI_BASE_URL=https://api.instill-ai.com/
//	CONNAPI_TOKEN=<an instill_sk_… API token>
//	CONNAPI_INSTILL_NAMESPACE=<your user or organization id>
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/models"
)

func run(ctx context.Context, out io.Writer, env func(string) string) (err error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	p := &printer{w: out, width: 15}
	defer func() { err = cmp.Or(err, p.err) }() // a failed write to out

	c, ns, err := liveClient(env)
	if err != nil {
		return err
	}
	if c != nil {
		p.title("instill-connections, read-only, against %s, namespace %q", c.BaseURL(), ns)
		return browse(ctx, p, c, ns)
	}

	srv := connapitest.NewServer(connapitest.WithSeed(2))
	defer srv.Close()
	ns = connapitest.DefaultNamespace
	p.title("instill-connections, against connapitest at %s, namespace %q", srv.URL(), ns)
	c, err = connapi.NewClient(connapi.WithBaseURL(srv.InstillURL()), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		return err
	}
	return lifecycle(ctx, p, c, ns)
}

func lifecycle(ctx context.Context, p *printer, c *connapi.Client, ns string) error {
	if err := integrations(ctx, p, c); err != nil {
		return err
	}

	// The full view of an integration carries the JSON schema of its setup.
	openai, _, err := c.Integrations.Get(ctx, "openai", &connapi.GetIntegrationParams{View: models.InstillViewFull})
	if err != nil {
		return fmt.Errorf("get integration: %w", err)
	}
	p.line("openai setup", "requires %v", openai.SetupSchema["required"])

	p.section("Connection")
	nc := c.NamespaceConnections
	conn, _, err := nc.Create(ctx, ns, &models.NamespaceConnection{
		ID:            "example-openai",
		IntegrationID: "openai",
		Method:        models.NamespaceConnectionMethodDictionary,
		Setup:         map[string]any{"api-key": "sk-example", "organization": "org-example"},
	})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	// Secrets are never read back: the server redacts them.
	p.line("created", "%s (%s), setup %s", conn.ID, conn.Method, setup(conn.Setup))

	// A nil error means the third-party service accepted the setup.
	if _, err := nc.Test(ctx, ns, conn.ID, nil); err != nil {
		return fmt.Errorf("test: %w", err)
	}
	p.line("tested", "ok")

	// Setup is replaced as a whole, so send every key, secrets included.
	updated, _, err := nc.Update(ctx, ns, conn.ID, &connapi.UpdateNamespaceConnectionRequest{
		Setup: map[string]any{"api-key": "sk-rotated", "organization": "org-platform"},
	})
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	p.line("updated", "setup %s", setup(updated.Setup))

	if _, err := connections(ctx, p, c, ns); err != nil {
		return err
	}
	if err := pipelines(ctx, p, c, ns, conn.ID); err != nil {
		return err
	}

	p.section("Delete")
	if _, err := nc.Delete(ctx, ns, conn.ID, nil); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	p.line("deleted", "%s", conn.ID)
	_, _, err = nc.Get(ctx, ns, conn.ID, nil)
	var apiErr *connapi.APIError
	if !errors.Is(err, connapi.ErrNotFound) || !errors.As(err, &apiErr) {
		return fmt.Errorf("get after delete: got %w, want not found", err)
	}
	p.line("get", "%d %s: %s", apiErr.StatusCode, apiErr.Code, apiErr.Message)
	return nil
}

// browse is the read-only part.
func browse(ctx context.Context, p *printer, c *connapi.Client, ns string) error {
	if err := integrations(ctx, p, c); err != nil {
		return err
	}
	first, err := connections(ctx, p, c, ns)
	if err != nil {
		return err
	}
	if first == "" {
		return nil
	}
	return pipelines(ctx, p, c, ns, first)
}

func integrations(ctx context.Context, p *printer, c *connapi.Client) error {
	p.section("Integrations (ListIter, 2 per page)")
	for in, err := range c.Integrations.ListIter(ctx, &connapi.ListIntegrationsParams{PageSize: 2}) {
		if err != nil {
			return fmt.Errorf("list integrations: %w", err)
		}
		p.line(in.ID, "%s, by %s", in.Title, in.Vendor)
	}
	return nil
}

// connections lists the namespace's connections and returns the first one's ID.
func connections(ctx context.Context, p *printer, c *connapi.Client, ns string) (first string, err error) {
	p.section("Connections (ListIter, 2 per page)")
	for conn, err := range c.NamespaceConnections.ListIter(ctx, ns, &connapi.ListNamespaceConnectionsParams{PageSize: 2}) {
		if err != nil {
			return "", fmt.Errorf("list connections: %w", err)
		}
		if first == "" {
			first = conn.ID
		}
		p.line(conn.ID, "%s, %s", conn.IntegrationID, conn.Method)
	}
	if first == "" {
		p.line("none", "")
	}
	return first, nil
}

// pipelines lists the pipelines that would break if the connection went away.
func pipelines(ctx context.Context, p *printer, c *connapi.Client, ns, connID string) error {
	p.section(fmt.Sprintf("Pipelines that use %s (ReferencedPipelinesIter, 5 per page)", connID))
	var ids []string
	for id, err := range c.NamespaceConnections.ReferencedPipelinesIter(ctx, ns, connID, &connapi.ListReferencedPipelinesParams{PageSize: 5}) {
		if err != nil {
			return fmt.Errorf("referenced pipelines: %w", err)
		}
		ids = append(ids, id)
	}
	p.line("referenced by", "%d pipelines: %s", len(ids), strings.Join(ids, " "))
	return nil
}

// setup formats a connection's setup as sorted key=value pairs.
func setup(m map[string]any) string {
	var pairs []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		pairs = append(pairs, fmt.Sprintf("%s=%v", k, m[k]))
	}
	return strings.Join(pairs, " ")
}
