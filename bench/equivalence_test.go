package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/connapi/connapi-go/bench/internal/payload"
	"github.com/connapi/connapi-go/bench/internal/server"
	"github.com/connapi/connapi-go/bench/peers/oapicodegen"
	"github.com/connapi/connapi-go/models"
)

// TestEquivalence proves that the contestants do the same work, so that the
// benchmarks compare like with like. For every scenario's call and every
// contestant it checks that
//
//  1. the request is the same: method, path, query (as values), content type and
//     body (JSON-equal), and the bearer token; and
//  2. the decoded result holds every member of the answer: the result is turned
//     back into the answer's JSON (the floor and the peers by encoding their
//     types, the SDK by mapping its fields to the backend's names by hand) and
//     compared with the answer's bytes as sent, member by member. A member whose
//     value is missing or different fails; so does a member the answer lacks or
//     has as null whose value is not empty (nothing invented).
//
// The only members not compared are those the SDK leaves out by design:
// sdkUnwrapped.
func TestEquivalence(t *testing.T) {
	rec := &recorder{h: server.New(false)}
	ts := httptest.NewServer(rec)
	defer ts.Close()

	type call struct {
		name   string
		do     func(context.Context, *contestant) (any, error)
		method string
		path   string
		query  url.Values
		body   []byte // the request body, nil for none
	}
	listQuery := func(limit int) url.Values {
		return url.Values{"scope": {"team"}, "page": {"1"}, "limit": {strconv.Itoa(limit)}}
	}
	calls := []call{
		{name: "Get", do: func(ctx context.Context, c *contestant) (any, error) { return c.get(ctx) },
			method: http.MethodGet, path: payload.BasePath + "/connectors/" + payload.InstanceID, query: url.Values{}},
		{name: "ListPage20", do: func(ctx context.Context, c *contestant) (any, error) { return c.list(ctx, 1, 20) },
			method: http.MethodGet, path: payload.BasePath + "/connectors", query: listQuery(20)},
		{name: "ListPage200", do: func(ctx context.Context, c *contestant) (any, error) { return c.list(ctx, 1, 200) },
			method: http.MethodGet, path: payload.BasePath + "/connectors", query: listQuery(200)},
		{name: "Create", do: func(ctx context.Context, c *contestant) (any, error) { return c.create(ctx) },
			method: http.MethodPost, path: payload.BasePath + "/connectors", query: url.Values{}, body: createRequestJSON()},
	}
	names := append(append([]string(nil), contestantNames...), "defaulttransport")
	for _, cl := range calls {
		t.Run(cl.name, func(t *testing.T) {
			for _, name := range names {
				t.Run(name, func(t *testing.T) {
					ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
					defer cancel()
					c, err := newContestant(name, ts.URL)
					if err != nil {
						t.Fatal(err)
					}
					defer c.close()
					rec.reset()
					res, err := cl.do(ctx, c)
					if err != nil {
						t.Fatal(err)
					}
					reqs := rec.taken()
					if len(reqs) != 1 {
						t.Fatalf("%d requests, want 1", len(reqs))
					}
					r := reqs[0]
					if r.method != cl.method || r.path != cl.path || !reflect.DeepEqual(r.query, cl.query) {
						t.Errorf("request %s %s ?%v, want %s %s ?%v", r.method, r.path, r.query, cl.method, cl.path, cl.query)
					}
					if r.auth != "Bearer "+payload.Token {
						t.Errorf("Authorization %q", r.auth)
					}
					if cl.body == nil {
						if len(r.body) != 0 || r.contentType != "" {
							t.Errorf("a body (%q, %q) where none is due", r.contentType, r.body)
						}
					} else {
						if mt, _, err := mime.ParseMediaType(r.contentType); err != nil || mt != "application/json" {
							t.Errorf("Content-Type %q, want application/json", r.contentType)
						}
						for _, d := range compare("body", generic(t, cl.body), generic(t, r.body)) {
							t.Error(d)
						}
					}

					want := generic(t, r.answer)
					got := generic(t, view(t, name, res))
					if name == "connapi" {
						for _, k := range sdkUnwrapped {
							delete(want.(map[string]any), k)
						}
					}
					diffs := compare("answer", want, got)
					for i, d := range diffs {
						if i == 10 {
							t.Errorf("… and %d more", len(diffs)-i)
							break
						}
						t.Error(d)
					}
				})
			}
		})
	}
}

// sdkUnwrapped are the envelope members the SDK does not return, by design: it
// returns the instance of {success, connector} and {success, connector, message}
// and the page of {success, connectors, pagination, scopeCounts}. A 2xx answer is a
// success (success is true in every 2xx the backend sends), and Create's message is
// a fixed text ("Connector instance created successfully.").
var sdkUnwrapped = []string{"success", "message"}

// view encodes a contestant's result as the JSON of the answer it came from.
func view(t *testing.T, name string, res any) []byte {
	t.Helper()
	v := res
	switch r := res.(type) {
	case *oapicodegen.GetConnectorInstanceResponse:
		v = r.JSON200
	case *oapicodegen.ListConnectorInstancesResponse:
		v = r.JSON200
	case *oapicodegen.CreateConnectorInstanceResponse:
		v = r.JSON200
	case *models.ConnectorInstance:
		if r.Created { // Create's answer names the instance as the spec does.
			v = map[string]any{"connector": sdkInstance(r, "connectorId", "instanceName", "connectorType")}
		} else {
			v = map[string]any{"connector": sdkInstance(r, "_key", "name", "type")}
		}
	case *models.ConnectorInstanceList:
		items := make([]any, len(r.Connectors))
		for i, c := range r.Connectors {
			items[i] = sdkInstance(c, "_key", "name", "type")
		}
		m := map[string]any{"connectors": items}
		if p := r.Pagination; p != nil {
			m["pagination"] = withExtra(map[string]any{
				"page": p.Page, "limit": p.Limit, "search": p.Search, "totalCount": p.Total, "totalPages": p.TotalPages,
				"hasPrev": p.HasPrev, "hasNext": p.HasMore, "prevPage": p.PrevPage, "nextPage": p.NextPage,
			}, p.Extra)
		}
		if s := r.ScopeCounts; s != nil {
			m["scopeCounts"] = map[string]any{"personal": s.Personal, "team": s.Team}
		}
		v = m
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: encoding %T: %v", name, res, err)
	}
	return b
}

// sdkInstance maps the SDK's instance to the backend's member names (id, name and
// type under the names given), times as epoch milliseconds, and adds Extra.
func sdkInstance(c *models.ConnectorInstance, id, name, typ string) map[string]any {
	m := map[string]any{
		id: c.ConnectorID, name: c.InstanceName, typ: c.ConnectorType,
		"appGroup": c.AppGroup, "supportedAuthTypes": c.SupportedAuthTypes, "appDescription": c.AppDescription,
		"appCategories": c.AppCategories, "iconPath": c.IconPath, "supportsRealtime": c.SupportsRealtime,
		"supportsSync": c.SupportsSync, "supportsAgent": c.SupportsAgent, "documentationLinks": c.DocumentationLinks,
		"isAdminAccessRequired": c.IsAdminAccessRequired, "scope": c.Scope, "connectorInfo": c.ConnectorInfo,
		"authType": c.AuthType, "isActive": c.IsActive, "isAgentActive": c.AgentEnabled, "isConfigured": c.IsConfigured,
		"isAuthenticated": c.IsAuthenticated, "status": c.Status, "createdAtTimestamp": c.CreatedAt.UnixMilli(),
		"updatedAtTimestamp": c.UpdatedAt.UnixMilli(), "createdBy": c.CreatedBy, "updatedBy": c.UpdatedBy,
		"isLocked": c.IsLocked, "created": c.Created, "orgId": c.OrgID, "pendingFullSync": c.PendingFullSync,
		"lastSyncAt": c.LastSyncAt.UnixMilli(),
	}
	if c.Config != nil {
		m["config"] = c.Config
	}
	return withExtra(m, c.Extra)
}

func withExtra(m map[string]any, extra map[string]json.RawMessage) map[string]any {
	for k, v := range extra {
		if _, dup := m[k]; !dup {
			m[k] = v
		}
	}
	return m
}

// generic decodes JSON into maps, slices and json.Numbers.
func generic(t *testing.T, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("%v in %.200s", err, b)
	}
	return v
}

// compare lists where got departs from want: a member of want that is not null
// must be in got with the same value (numbers compared as numbers); a member that
// want lacks or has as null may be in got only empty. An empty array or object in
// want matches an absent or null member in got.
func compare(path string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			if len(w) == 0 && got == nil {
				return nil
			}
			return []string{fmt.Sprintf("%s: got %v, want an object", path, brief(got))}
		}
		var diffs []string
		for _, k := range sortedKeys(w) {
			gv, present := g[k]
			switch {
			case w[k] == nil:
				if !empty(gv) {
					diffs = append(diffs, fmt.Sprintf("%s.%s: got %v, want null or absent", path, k, brief(gv)))
				}
			case !present && !emptyContainer(w[k]):
				diffs = append(diffs, fmt.Sprintf("%s.%s: missing (want %v)", path, k, brief(w[k])))
			default:
				diffs = append(diffs, compare(path+"."+k, w[k], gv)...)
			}
		}
		for _, k := range sortedKeys(g) {
			if _, inWant := w[k]; !inWant && !empty(g[k]) {
				diffs = append(diffs, fmt.Sprintf("%s.%s: got %v, which the answer does not have", path, k, brief(g[k])))
			}
		}
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok {
			if len(w) == 0 && got == nil {
				return nil
			}
			return []string{fmt.Sprintf("%s: got %v, want an array", path, brief(got))}
		}
		if len(g) != len(w) {
			return []string{fmt.Sprintf("%s: %d elements, want %d", path, len(g), len(w))}
		}
		var diffs []string
		for i := range w {
			diffs = append(diffs, compare(fmt.Sprintf("%s[%d]", path, i), w[i], g[i])...)
		}
		return diffs
	case json.Number:
		g, ok := got.(json.Number)
		if !ok || !sameNumber(w, g) {
			return []string{fmt.Sprintf("%s: got %v, want %v", path, brief(got), w)}
		}
		return nil
	default:
		if !reflect.DeepEqual(want, got) {
			return []string{fmt.Sprintf("%s: got %v, want %v", path, brief(got), brief(want))}
		}
		return nil
	}
}

func sameNumber(a, b json.Number) bool {
	if a == b {
		return true
	}
	x, err1 := strconv.ParseFloat(string(a), 64)
	y, err2 := strconv.ParseFloat(string(b), 64)
	return err1 == nil && err2 == nil && x == y
}

// empty reports whether v carries no value: absent/null, false, 0, "", [] or {}.
func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case string:
		return x == ""
	case json.Number:
		f, err := x.Float64()
		return err == nil && f == 0
	}
	return emptyContainer(v)
}

func emptyContainer(v any) bool {
	switch x := v.(type) {
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func brief(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

// recorder serves h and keeps every request and the answer it got.
type recorder struct {
	h        http.Handler
	inflight sync.WaitGroup // a client may have its answer before ServeHTTP returns
	mu       sync.Mutex
	reqs     []recorded
}

type recorded struct {
	method, path, contentType, auth string
	query                           url.Values
	body, answer                    []byte
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.inflight.Add(1)
	defer rc.inflight.Done()
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	cw := &captureWriter{ResponseWriter: w}
	rc.h.ServeHTTP(cw, r)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.reqs = append(rc.reqs, recorded{
		method: r.Method, path: r.URL.EscapedPath(), contentType: r.Header.Get("Content-Type"), auth: r.Header.Get("Authorization"),
		query: r.URL.Query(), body: body, answer: cw.buf.Bytes(),
	})
}

func (rc *recorder) reset() {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.reqs = nil
}

// taken returns the requests made so far, once every one has been answered.
func (rc *recorder) taken() []recorded {
	rc.inflight.Wait()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.reqs
}

type captureWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *captureWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}
