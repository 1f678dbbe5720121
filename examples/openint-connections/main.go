// Command openint-connections manages OpenInt core connections: it creates two
// (one with Create, which answers with the id, one with CreateAndGet), merges a
// key into one's metadata, lists every connection with ListIter, checks and syncs
// a connection, and deletes both.
//
//	go run ./examples/openint-connections
//
// By default it runs against connapitest, the SDK's in-process fake, with the
// fake's API key.
//
// Against a real OpenInt organization it runs only the read-only part (the list
// and a get), since the rest creates and deletes connections. Set
//
//	CONNAPI_PLATFORM=openint
//	CONNAPI_BASE_URL=https://api.openint.dev/v0/
//	CONNAPI_API_KEY=<your API key>   (sent as x-apikey), or CONNAPI_TOKEN=<a customer token>
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/models"
)

// maxListed is how many connections the read-only listing prints.
const maxListed = 20

func run(ctx context.Context, out io.Writer, env func(string) string) (err error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	p := &printer{w: out, width: 14}
	defer func() { err = cmp.Or(err, p.err) }() // a failed write to out

	c, err := liveClient(env)
	if err != nil {
		return err
	}
	if c != nil {
		p.title("openint-connections, read-only, against %s", c.BaseURL())
		first, err := list(ctx, p, c.CoreConnections)
		if err != nil || first == "" {
			return err
		}
		return get(ctx, p, c.CoreConnections, first)
	}

	srv := connapitest.NewServer(connapitest.WithSeed(3))
	defer srv.Close()
	p.title("openint-connections, against connapitest at %s", srv.URL())
	c, err = connapi.NewClient(connapi.WithBaseURL(srv.OpenIntURL()), connapi.WithAPIKey(srv.APIKey()))
	if err != nil {
		return err
	}
	return lifecycle(ctx, p, c.CoreConnections)
}

func lifecycle(ctx context.Context, p *printer, cc *connapi.CoreConnectionsService) error {
	p.section("Create")
	// Create answers with the new connection's id only.
	crm, _, err := cc.Create(ctx, &connapi.CreateCoreConnectionRequest{
		ConnectorConfigID: "ccfg_hubspot_01",
		CustomerID:        connapi.Ptr("cus_42"),
		DisplayName:       connapi.Ptr("Acme CRM"),
		Metadata:          map[string]any{"team": "sales"},
	})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	p.line("Create", "%s", crm)

	// CreateAndGet fetches the object too, with the connector config it belongs to.
	slack, _, err := cc.CreateAndGet(ctx, &connapi.CreateCoreConnectionRequest{
		ConnectorConfigID: "ccfg_slack_01",
		CustomerID:        connapi.Ptr("cus_42"),
		DisplayName:       connapi.Ptr("Support Slack"),
	}, nil)
	if err != nil {
		return fmt.Errorf("create and get: %w", err)
	}
	p.line("CreateAndGet", "%s %q (%s, config %s of %s)", slack.ID, slack.DisplayName, slack.ConnectorName,
		slack.ConnectorConfig.ID, slack.ConnectorConfig.OrgID)

	p.section("Patch metadata")
	// Metadata is shallow-merged: "team" stays, "stage" is added.
	patched, _, err := cc.Update(ctx, crm, &connapi.UpdateCoreConnectionRequest{Metadata: map[string]any{"stage": "won"}})
	if err != nil {
		return fmt.Errorf("patch: %w", err)
	}
	p.line(crm, "metadata %s", patched.Metadata)

	if _, err := list(ctx, p, cc); err != nil {
		return err
	}

	p.section("Check and sync")
	// Check's answer is not typed by OpenInt's spec; decode what you need.
	raw, _, err := cc.Check(ctx, slack.ID, nil)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	var check struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(raw, &check); err != nil {
		return fmt.Errorf("check: decoding %s: %w", raw, err)
	}
	p.line("check", "%s is %s", slack.ID, check.Status)
	synced, _, err := cc.Sync(ctx, slack.ID, nil)
	if err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	p.line("sync", "requested as event %s, %d pipeline(s)", synced.ConnectionRequestedEventID, len(synced.PipelineSyncs))

	p.section("Delete")
	for _, id := range []string{crm, slack.ID} {
		if _, err := cc.Delete(ctx, id, &connapi.DeleteCoreConnectionParams{SkipRevoke: true}); err != nil {
			return fmt.Errorf("delete %s: %w", id, err)
		}
		_, _, err := cc.Get(ctx, id, nil)
		if !errors.Is(err, connapi.ErrNotFound) {
			return fmt.Errorf("get %s after delete: got %w, want not found", id, err)
		}
		p.line(id, "deleted, now not found")
	}
	return nil
}

// list prints the connections two per request, up to maxListed, and returns the
// first one's id.
func list(ctx context.Context, p *printer, cc *connapi.CoreConnectionsService) (first string, err error) {
	p.section("Connections (ListIter, 2 per page)")
	rows := [][]string{{"ID", "CONNECTOR", "CUSTOMER", "STATUS", "CREATED"}}
	n := 0
	for conn, err := range cc.ListIter(ctx, &connapi.ListCoreConnectionsParams{Limit: 2}) {
		if err != nil {
			return "", fmt.Errorf("list: %w", err)
		}
		if n++; n > maxListed {
			rows = append(rows, []string{"…"})
			break // ends the walk: no further requests
		}
		if first == "" {
			first = conn.ID
		}
		var status models.CoreConnectionStatus
		if conn.Standard != nil {
			status = conn.Standard.Status
		}
		rows = append(rows, []string{conn.ID, conn.ConnectorName, conn.CustomerID, string(status), conn.CreatedAt.Format(time.DateOnly)})
	}
	p.table(rows)
	return first, nil
}

// get prints one connection with its connector embedded.
func get(ctx context.Context, p *printer, cc *connapi.CoreConnectionsService, id string) error {
	conn, _, err := cc.Get(ctx, id, &connapi.GetCoreConnectionParams{
		Expand: []string{connapi.CoreConnectionExpandIntegrationConnector},
	})
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	p.section("Get " + id)
	p.line("connector", "%s", conn.ConnectorName)
	if conn.Connector != nil {
		p.line("logo", "%s", conn.Connector.LogoURL)
	}
	p.line("updated", "%s", conn.UpdatedAt.Format(time.RFC3339))
	return nil
}
