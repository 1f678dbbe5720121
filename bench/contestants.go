package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/bench/internal/payload"
	"github.com/connapi/connapi-go/bench/peers/oapicodegen"
	"github.com/connapi/connapi-go/bench/peers/ogen"
	"github.com/connapi/connapi-go/models"
)

// contestant is one way of making the scenarios' calls against the server at a
// base URL (scheme and host, no path). Each call returns the contestant's own
// decoded result; the equivalence test checks what those hold.
type contestant struct {
	name string
	// get fetches payload.InstanceID.
	get func(context.Context) (any, error)
	// list fetches one page of the scope=team list.
	list func(ctx context.Context, page, limit int) (any, error)
	// create sends payload.NewCreateRequest.
	create func(context.Context) (any, error)
	// close drops the contestant's idle connections.
	close func()
}

// The contestants of every scenario, in the order benchmarks run them. Parallel64
// adds defaulttransport.
var contestantNames = []string{"floor", "connapi", "oapicodegen", "ogen"}

// newContestant builds the named contestant, with its own connection pool, for
// the server at base.
func newContestant(name, base string) (*contestant, error) {
	switch name {
	case "floor":
		return newFloor(name, base, tunedTransport()), nil
	case "defaulttransport":
		return newFloor(name, base, http.DefaultTransport.(*http.Transport).Clone()), nil
	case "connapi":
		return newConnapi(base)
	case "oapicodegen":
		return newOapicodegen(base)
	case "ogen":
		return newOgen(base)
	}
	return nil, fmt.Errorf("no contestant %q", name)
}

// tunedTransport is the pool the floor and the peers use: net/http's defaults
// with enough idle connections per host for Parallel64's 64 callers (the
// default keeps 2). The peers have no pool of their own: their users pass an
// *http.Client, and this is the one a careful user would pass.
func tunedTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}

// ---- floor: hand-written net/http + encoding/json into plain structs with every
// member of the answers (payload's types).

type floorClient struct {
	hc   *http.Client
	base string // …/api/v1
	auth string
	req  payload.CreateRequest // the Create request, encoded per call
}

func newFloor(name, base string, t *http.Transport) *contestant {
	f := &floorClient{hc: &http.Client{Transport: t}, base: base + payload.BasePath, auth: "Bearer " + payload.Token, req: payload.NewCreateRequest()}
	return &contestant{
		name: name,
		get: func(ctx context.Context) (any, error) {
			var out payload.One
			return &out, f.do(ctx, http.MethodGet, f.base+"/connectors/"+url.PathEscape(payload.InstanceID), nil, &out)
		},
		list: func(ctx context.Context, page, limit int) (any, error) {
			return f.list(ctx, page, limit)
		},
		create: func(ctx context.Context) (any, error) {
			body, err := json.Marshal(&f.req)
			if err != nil {
				return nil, err
			}
			var out payload.CreateAnswer
			return &out, f.do(ctx, http.MethodPost, f.base+"/connectors", body, &out)
		},
		close: f.hc.CloseIdleConnections,
	}
}

func (f *floorClient) list(ctx context.Context, page, limit int) (*payload.List, error) {
	var out payload.List
	u := f.base + "/connectors?limit=" + strconv.Itoa(limit) + "&page=" + strconv.Itoa(page) + "&scope=team"
	return &out, f.do(ctx, http.MethodGet, u, nil, &out)
}

func (f *floorClient) do(ctx context.Context, method, u string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", f.auth)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := f.hc.Do(req)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close() // read to the end: the connection goes back to the pool
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s: %.200s", method, u, resp.Status, b)
	}
	return json.Unmarshal(b, out)
}

// walkFloor is the hand-written walk Walk100k measures the SDK's iterator
// against: page after page of limit items until hasNext is false. It calls fn
// for every item and returns how many there were.
func walkFloor(ctx context.Context, c *contestant, limit int, fn func(*payload.Instance)) (int, error) {
	n := 0
	for page := 1; ; page++ {
		res, err := c.list(ctx, page, limit)
		if err != nil {
			return n, err
		}
		l := res.(*payload.List)
		for i := range l.Connectors {
			fn(&l.Connectors[i])
		}
		n += len(l.Connectors)
		if l.Pagination == nil || !l.Pagination.HasNext {
			return n, nil
		}
	}
}

// ---- connapi: the SDK as a user gets it (its default pool, retries and limits).

func newConnapiClient(base string) (*connapi.Client, error) {
	return connapi.NewClient(connapi.WithBaseURL(base+payload.BasePath+"/"), connapi.WithBearerToken(payload.Token))
}

// connapiCreateRequest is payload.NewCreateRequest as an SDK user writes it.
func connapiCreateRequest() *connapi.CreateConnectorRequest {
	return &connapi.CreateConnectorRequest{
		ConnectorType: "Confluence",
		InstanceName:  "Engineering Wiki",
		Scope:         models.ConnectorScopeTeam,
		AuthType:      models.AuthTypeAPIToken,
		Config: &models.ConnectorConfigSections{
			Auth: &models.ConnectorAuthConfig{Values: map[string]any{"username": "svc-pipeshub@example.com", "apiToken": "bench-api-token"}},
			Sync: &models.ConnectorSyncConfig{
				SelectedStrategy: models.ConnectorSyncScheduled,
				ScheduledConfig:  &models.ConnectorScheduledSync{IntervalMinutes: 60, Timezone: "UTC"},
			},
			Filters: &models.ConnectorFiltersConfig{Sync: &models.ConnectorFilterValues{Values: map[string]any{
				"space_keys": map[string]any{"operator": "in", "value": []any{"ENG", "OPS"}, "type": "list"},
			}}},
		},
		BaseURL: "https://confluence.example.com",
	}
}

func newConnapi(base string) (*contestant, error) {
	c, err := newConnapiClient(base)
	if err != nil {
		return nil, err
	}
	req := connapiCreateRequest()
	return &contestant{
		name: "connapi",
		get: func(ctx context.Context) (any, error) {
			v, _, err := c.ConnectorInstances.Get(ctx, payload.InstanceID, nil)
			return v, err
		},
		list: func(ctx context.Context, page, limit int) (any, error) {
			v, _, err := c.ConnectorInstances.List(ctx, &connapi.ListConnectorInstancesParams{Scope: models.ConnectorScopeTeam, Page: page, Limit: limit})
			return v, err
		},
		create: func(ctx context.Context) (any, error) {
			v, _, err := c.ConnectorInstances.Create(ctx, req)
			return v, err
		},
		close: c.CloseIdleConnections,
	}, nil
}

// walkConnapi walks every instance through the SDK's iterator, limit per page.
func walkConnapi(ctx context.Context, c *connapi.Client, limit int, fn func(*models.ConnectorInstance)) (int, error) {
	n := 0
	for inst, err := range c.ConnectorInstances.ListIter(ctx, &connapi.ListConnectorInstancesParams{Scope: models.ConnectorScopeTeam, Limit: limit}) {
		if err != nil {
			return n, err
		}
		fn(inst)
		n++
	}
	return n, nil
}

// ---- the generated peers. Their Create requests are decoded from the request's
// JSON once, at set-up: their nested anonymous and optional types make literals
// long, and the equivalence test checks that they send the same body.

func createRequestJSON() []byte {
	b, err := json.Marshal(payload.NewCreateRequest())
	if err != nil {
		panic(err)
	}
	return b
}

func newOapicodegen(base string) (*contestant, error) {
	c, err := oapicodegen.NewClientWithResponses(base+payload.BasePath,
		oapicodegen.WithHTTPClient(&http.Client{Transport: tunedTransport()}),
		oapicodegen.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+payload.Token)
			return nil
		}))
	if err != nil {
		return nil, err
	}
	var req oapicodegen.CreateConnectorRequest
	if err := json.Unmarshal(createRequestJSON(), &req); err != nil {
		return nil, err
	}
	hc := c.ClientInterface.(*oapicodegen.Client).Client.(*http.Client)
	scope := oapicodegen.ConnectorScope("team")
	return &contestant{
		name: "oapicodegen",
		get: func(ctx context.Context) (any, error) {
			r, err := c.GetConnectorInstanceWithResponse(ctx, payload.InstanceID)
			if err == nil && r.JSON200 == nil {
				err = fmt.Errorf("get: %s: %.200s", r.Status(), r.Body)
			}
			return r, err
		},
		list: func(ctx context.Context, page, limit int) (any, error) {
			r, err := c.ListConnectorInstancesWithResponse(ctx, &oapicodegen.ListConnectorInstancesParams{Scope: &scope, Page: &page, Limit: &limit})
			if err == nil && r.JSON200 == nil {
				err = fmt.Errorf("list: %s: %.200s", r.Status(), r.Body)
			}
			return r, err
		},
		create: func(ctx context.Context) (any, error) {
			r, err := c.CreateConnectorInstanceWithResponse(ctx, req)
			if err == nil && r.JSON200 == nil {
				err = fmt.Errorf("create: %s: %.200s", r.Status(), r.Body)
			}
			return r, err
		},
		close: hc.CloseIdleConnections,
	}, nil
}

// ogenBearer is the ogen client's SecuritySource.
type ogenBearer struct{}

func (ogenBearer) BearerAuth(context.Context, ogen.OperationName) (ogen.BearerAuth, error) {
	return ogen.BearerAuth{Token: payload.Token}, nil
}

func newOgen(base string) (*contestant, error) {
	hc := &http.Client{Transport: tunedTransport()}
	c, err := ogen.NewClient(base+payload.BasePath, ogenBearer{}, ogen.WithClient(hc))
	if err != nil {
		return nil, err
	}
	var req ogen.CreateConnectorRequest
	if err := req.UnmarshalJSON(createRequestJSON()); err != nil {
		return nil, err
	}
	return &contestant{
		name: "ogen",
		get: func(ctx context.Context) (any, error) {
			r, err := c.GetConnectorInstance(ctx, ogen.GetConnectorInstanceParams{ConnectorId: payload.InstanceID})
			if err != nil {
				return nil, err
			}
			if ok, is := r.(*ogen.GetConnectorInstanceOK); is {
				return ok, nil
			}
			return nil, fmt.Errorf("get: %T", r)
		},
		list: func(ctx context.Context, page, limit int) (any, error) {
			r, err := c.ListConnectorInstances(ctx, ogen.ListConnectorInstancesParams{
				Scope: ogen.NewOptConnectorScope(ogen.ConnectorScopeTeam), Page: ogen.NewOptInt(page), Limit: ogen.NewOptInt(limit),
			})
			if err != nil {
				return nil, err
			}
			if ok, is := r.(*ogen.ListConnectorInstancesOK); is {
				return ok, nil
			}
			return nil, fmt.Errorf("list: %T", r)
		},
		create: func(ctx context.Context) (any, error) {
			r, err := c.CreateConnectorInstance(ctx, &req)
			if err != nil {
				return nil, err
			}
			if ok, is := r.(*ogen.CreateConnectorInstanceOK); is {
				return ok, nil
			}
			return nil, fmt.Errorf("create: %T", r)
		},
		close: hc.CloseIdleConnections,
	}, nil
}
