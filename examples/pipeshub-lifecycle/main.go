// Command pipeshub-lifecycle takes a PipesHub connector instance through its whole
// life (create, configure its OAuth client, authorize, pick filters, switch sync
// on, check, delete), then lists the instances page by page with ListIter.
//
//	go run ./examples/pipeshub-lifecycle
//
// By default it runs against connapitest, the SDK's in-process fake, which
// stands in for the OAuth provider too: the code the provider would send back is
// made up, and the fake accepts any code with the state it issued.
//
// Against a real PipesHub it runs only the read-only part (the registry and the
// instance list), since the lifecycle creates and deletes an instance and needs a
// user's consent. Set
//
//	CONNAPI_PLATFORM=pipeshub
//	CONNAPI_BASE_URL=https://app.pipeshub.com/api/v1/   (or your instance's /api/v1/)
//	CONNAPI_TOKEN=<a JWT or personal access token>
package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/models"
)

func run(ctx context.Context, out io.Writer, env func(string) string) (err error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	p := &printer{w: out, width: 12}
	defer func() { err = cmp.Or(err, p.err) }() // a failed write to out

	c, err := liveClient(env)
	if err != nil {
		return err
	}
	if c != nil {
		p.title("pipeshub-lifecycle, read-only, against %s", c.BaseURL())
		return list(ctx, p, c.ConnectorInstances)
	}

	srv := connapitest.NewServer(connapitest.WithSeed(5))
	defer srv.Close()
	p.title("pipeshub-lifecycle, against connapitest at %s", srv.URL())
	c, err = connapi.NewClient(connapi.WithBaseURL(srv.PipesHubURL()), connapi.WithBearerToken(srv.Token()))
	if err != nil {
		return err
	}
	if err := lifecycle(ctx, p, c.ConnectorInstances); err != nil {
		return err
	}
	return list(ctx, p, c.ConnectorInstances)
}

func lifecycle(ctx context.Context, p *printer, ci *connapi.ConnectorInstancesService) error {
	p.section("Lifecycle of a Google Drive connector")
	inst, _, err := ci.Create(ctx, &connapi.CreateConnectorRequest{
		ConnectorType: "GoogleDrive",
		InstanceName:  "Company Drive",
		Scope:         models.ConnectorScopeTeam,
		AuthType:      models.AuthTypeOAuth,
	})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	id := inst.ConnectorID
	p.line("created", "%q %s", inst.InstanceName, id)

	// The OAuth client the instance will use (an app registered at Google).
	if _, _, err := ci.UpdateAuthConfig(ctx, id, &connapi.UpdateConnectorAuthConfigRequest{
		Auth: &models.ConnectorAuthConfig{
			AuthType: models.AuthTypeOAuth,
			Values:   map[string]any{"clientId": "example-client-id", "clientSecret": "example-client-secret"},
		},
	}); err != nil {
		return fmt.Errorf("auth config: %w", err)
	}
	if err := show(ctx, p, ci, id, "configured"); err != nil {
		return err
	}

	// Send the user to the provider's consent page. It redirects back to
	// PipesHub's callback with a code and the state; hand both to PipesHub.
	authz, _, err := ci.AuthorizationURL(ctx, id, nil)
	if err != nil {
		return fmt.Errorf("authorize: %w", err)
	}
	consent, err := url.Parse(authz.AuthorizationURL)
	if err != nil {
		return fmt.Errorf("authorize: %w", err)
	}
	p.line("consent at", "%s://%s%s", consent.Scheme, consent.Host, consent.Path)
	cb, _, err := ci.HandleOAuthCallback(ctx, &connapi.ConnectorOAuthCallbackParams{
		Code:  "code-from-the-provider",
		State: consent.Query().Get("state"),
	})
	if err != nil {
		return fmt.Errorf("oauth callback: %w", err)
	}
	if !cb.Success {
		return fmt.Errorf("oauth callback: %s %s", cb.Error, cb.ErrorMessage)
	}
	if err := show(ctx, p, ci, id, "authorized"); err != nil {
		return err
	}

	if _, _, err := ci.SaveFilters(ctx, id, &connapi.SaveConnectorFiltersRequest{Filters: map[string]any{
		"folders": map[string]any{"operator": "in", "value": []string{"Reports", "Contracts"}, "type": "list"},
	}}); err != nil {
		return fmt.Errorf("save filters: %w", err)
	}
	p.line("filters", "folders in [Reports Contracts]")

	if _, _, err := ci.Toggle(ctx, id, &connapi.ToggleConnectorRequest{Type: models.ConnectorToggleSync}); err != nil {
		return fmt.Errorf("toggle sync: %w", err)
	}
	if err := show(ctx, p, ci, id, "sync on"); err != nil {
		return err
	}

	// PipesHub's backend deletes in the background: 202 Accepted.
	resp, err := ci.Delete(ctx, id, nil)
	if err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	p.line("deleted", "%s (accepted=%t)", resp.Status, resp.StatusCode == http.StatusAccepted)
	return nil
}

// show gets the instance and prints its three state flags.
func show(ctx context.Context, p *printer, ci *connapi.ConnectorInstancesService, id, step string) error {
	got, _, err := ci.Get(ctx, id, nil)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	p.line(step, "isConfigured=%-5t isAuthenticated=%-5t isActive=%t", got.IsConfigured, got.IsAuthenticated, got.IsActive)
	return nil
}

// list prints the connector types, then every team instance, two per request.
func list(ctx context.Context, p *printer, ci *connapi.ConnectorInstancesService) error {
	p.section("Registry (RegistryIter)")
	for typ, err := range ci.RegistryIter(ctx, nil) {
		if err != nil {
			return fmt.Errorf("registry: %w", err)
		}
		authTypes := make([]string, len(typ.AuthTypes))
		for i, a := range typ.AuthTypes {
			authTypes[i] = string(a)
		}
		p.line(typ.ConnectorType, "%s", strings.Join(authTypes, ", "))
	}

	p.section("Instances (ListIter, 2 per page)")
	rows := [][]string{{"NAME", "TYPE", "CONFIGURED", "AUTHENTICATED", "ACTIVE"}}
	n := 0
	for inst, err := range ci.ListIter(ctx, &connapi.ListConnectorInstancesParams{Limit: 2}) {
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		n++
		rows = append(rows, []string{inst.InstanceName, inst.ConnectorType,
			fmt.Sprint(inst.IsConfigured), fmt.Sprint(inst.IsAuthenticated), fmt.Sprint(inst.IsActive)})
	}
	p.table(rows)
	p.line("total", "%d", n)
	return nil
}
