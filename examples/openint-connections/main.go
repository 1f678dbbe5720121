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
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"text/tabwriter"
	"time"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/models"
)

// maxListed is how many connections the read-only listing prints.
const maxListed = 20

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout, os.Getenv)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "openint-connections:", err)
		if errors.As(err, new(settingsError)) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, env func(string) string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	p := &printer{w: out}

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
		CustomerID:        models.Ptr("cus_42"),
		DisplayName:       models.Ptr("Acme CRM"),
		Metadata:          map[string]any{"team": "sales"},
	})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	p.line("Create", "%s", crm)

	// CreateAndGet fetches the object too, with the connector config it belongs to.
	slack, _, err := cc.CreateAndGet(ctx, &connapi.CreateCoreConnectionRequest{
		ConnectorConfigID: "ccfg_slack_01",
		CustomerID:        models.Ptr("cus_42"),
		DisplayName:       models.Ptr("Support Slack"),
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
			return fmt.Errorf("get %s after delete: got %v, want not found", id, err)
		}
		p.line(id, "deleted, now not found")
	}
	return nil
}

// list prints the connections two per request, up to maxListed, and returns the
// first one's id.
func list(ctx context.Context, p *printer, cc *connapi.CoreConnectionsService) (first string, err error) {
	p.section("Connections (ListIter, 2 per page)")
	tw := tabwriter.NewWriter(p.w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  ID\tCONNECTOR\tCUSTOMER\tSTATUS\tCREATED")
	n := 0
	for conn, err := range cc.ListIter(ctx, &connapi.ListCoreConnectionsParams{Limit: 2}) {
		if err != nil {
			return "", fmt.Errorf("list: %w", err)
		}
		if n++; n > maxListed {
			fmt.Fprintln(tw, "  …")
			break // ends the walk: no further requests
		}
		if first == "" {
			first = conn.ID
		}
		var status models.CoreConnectionStatus
		if conn.Standard != nil {
			status = conn.Standard.Status
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", conn.ID, conn.ConnectorName, conn.CustomerID, status, conn.CreatedAt.Format(time.DateOnly))
	}
	return first, tw.Flush()
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

// ---- settings

// settingsError is a missing or bad setting; main exits with status 2.
type settingsError string

func (e settingsError) Error() string { return string(e) }

// liveClient returns a client for the OpenInt organization the CONNAPI_*
// variables name, or nil when CONNAPI_PLATFORM is not set.
func liveClient(env func(string) string) (*connapi.Client, error) {
	switch platform := env("CONNAPI_PLATFORM"); platform {
	case "":
		return nil, nil
	case "openint":
	default:
		return nil, settingsError(fmt.Sprintf("CONNAPI_PLATFORM is %q, but this example talks to openint", platform))
	}
	baseURL, apiKey, token := env("CONNAPI_BASE_URL"), env("CONNAPI_API_KEY"), env("CONNAPI_TOKEN")
	if baseURL == "" || (apiKey == "" && token == "") {
		return nil, settingsError("CONNAPI_BASE_URL (e.g. " + connapi.OpenIntBaseURL + ") and CONNAPI_API_KEY or CONNAPI_TOKEN are required")
	}
	opts := []connapi.Option{connapi.WithBaseURL(baseURL)}
	if apiKey != "" {
		opts = append(opts, connapi.WithAPIKey(apiKey))
	}
	if token != "" {
		opts = append(opts, connapi.WithBearerToken(token))
	}
	c, err := connapi.NewClient(opts...)
	if err != nil {
		return nil, settingsError(err.Error())
	}
	return c, nil
}

// ---- output

type printer struct{ w io.Writer }

func (p *printer) title(format string, args ...any) { fmt.Fprintf(p.w, format+"\n", args...) }

func (p *printer) section(name string) { fmt.Fprintf(p.w, "\n%s\n", name) }

func (p *printer) line(label, format string, args ...any) {
	fmt.Fprintf(p.w, "  %-14s %s\n", label, fmt.Sprintf(format, args...))
}
