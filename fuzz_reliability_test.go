package connapi

// Fuzz targets of issue 11, next to FuzzAPIError (fuzz_test.go). Their seed
// corpora, in testdata/fuzz/<Target>/ and in the f.Add calls, run as plain tests
// in `go test`; to fuzz one:
//
//	go test -run '^$' -fuzz '^FuzzPathBuilding$' -fuzztime 5m .

import (
	"context"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connapi/connapi-go/models"
	"github.com/connapi/connapi-go/pagination"
)

// ---- every model's decoding

// fuzzModels is one value of every exported type of package models, decoded the
// way the SDK decodes a 2xx body. TestFuzzModelsCoverEveryModel keeps it complete.
func fuzzModels() []any {
	return []any{
		new(models.AuthType), new(models.AvailableConnection), new(models.AvailableConnectionParam),
		new(models.Connection), new(models.ConnectionPage), new(models.ConnectionRBAC),
		new(models.ConnectionRequest), new(models.ConnectionType), new(models.ConnectorAuthConfig),
		new(models.ConnectorConfig), new(models.ConnectorConfigSections), new(models.ConnectorConfigUpdate),
		new(models.ConnectorDeleteResult), new(models.ConnectorDocumentationLink), new(models.ConnectorFilterField),
		new(models.ConnectorFilterFieldOptions), new(models.ConnectorFilterOption), new(models.ConnectorFilterOptions),
		new(models.ConnectorFilterValues), new(models.ConnectorFiltersConfig), new(models.ConnectorInstance),
		new(models.ConnectorInstanceList), new(models.ConnectorOAuthAuthorization), new(models.ConnectorOAuthCallbackResult),
		new(models.ConnectorPagination), new(models.ConnectorRegistry), new(models.ConnectorResult),
		new(models.ConnectorScheduledSync), new(models.ConnectorSchema), new(models.ConnectorScope),
		new(models.ConnectorScopeCounts), new(models.ConnectorSyncConfig), new(models.ConnectorSyncStrategy),
		new(models.ConnectorToggleResult), new(models.ConnectorToggleType), new(models.ConnectorType),
		new(models.ConnectorWebhookSync), new(models.CoreConnection), new(models.CoreConnectionConnector),
		new(models.CoreConnectionConnectorConfig), new(models.CoreConnectionIntegration), new(models.CoreConnectionStandard),
		new(models.CoreConnectionStatus), new(models.CoreConnectionSyncResult), new(models.CorePipelineSync),
		new(models.InodePath), new(models.InodeType), new(models.InstillView),
		new(models.Integration), new(models.IntegrationLink), new(models.IntegrationList),
		new(models.IntegrationOAuthConfig), new(models.NamespaceConnection), new(models.NamespaceConnectionList),
		new(models.NamespaceConnectionMethod), new(models.Nullable[string]), new(models.Nullable[map[string]any]),
		new(models.ReferencedPipelineList), new(models.Resource), new(models.ResourcePage),
		new(models.ResourceStatus), new(models.Role), new(models.RoleAssignments),
		new(models.SubjectType), new(models.Timestamp), new(models.UserProfile),
	}
}

// TestFuzzModelsCoverEveryModel parses package models and fails for an exported
// type that FuzzModelDecode does not decode.
func TestFuzzModelsCoverEveryModel(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, "models", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, v := range fuzzModels() {
		name := reflect.TypeOf(v).Elem().Name()
		name, _, _ = strings.Cut(name, "[")
		have[name] = true
	}
	n := 0
	for _, p := range pkgs {
		for _, file := range p.Files {
			for _, d := range file.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.TYPE {
					continue
				}
				for _, s := range g.Specs {
					ts := s.(*ast.TypeSpec)
					if !ts.Name.IsExported() {
						continue
					}
					n++
					if !have[ts.Name.Name] {
						t.Errorf("models.%s is not in fuzzModels: FuzzModelDecode does not decode it", ts.Name.Name)
					}
				}
			}
		}
	}
	if n < 50 {
		t.Fatalf("found only %d exported types in models: is the parse right?", n)
	}
}

// FuzzModelDecode decodes arbitrary bytes into every model exactly as a 2xx body
// is decoded (decodeBody): never a panic; what decodes encodes again, and what it
// encodes to decodes again.
func FuzzModelDecode(f *testing.F) {
	for _, seed := range []string{
		`{"_key":"k","name":"n","type":"Drive","createdAtTimestamp":1700000000000,"isAgentActive":true}`,
		`{"connectorId":"c","instanceName":"n","connectorType":"t","agentEnabled":true,"createdAt":"2026-01-02T03:04:05Z"}`,
		`{"success":true,"connectors":{"connectors":[{"_key":"a"}],"pagination":{"page":1,"totalPages":2,"hasNext":true}}}`,
		`{"connection_id":"5a1c0000-0000-4000-8000-000000000001","name":"n","created_at":"2025-03-04 10:00:00.5+00","connection_provider_data":{"a":1}}`,
		`{"items":[{"connection_id":"x"}],"total":3,"limit":1,"offset":0}`,
		`{"org_level_role":"viewer","user_roles":{"u":["editor"]},"group_roles":{"editor":["g"]}}`,
		`{"resource_id":"r","inode_type":"file","inode_path":{"path":"a/b"},"size":3}`,
		`{"connection":{"id":"c","method":1,"view":"VIEW_FULL","setup":{"token":"*****"}},"nextPageToken":"t","totalSize":2}`,
		`{"id":"conn_1","createdAt":"2025-03-04 10:00:00.5+00","settings":{"oauth":{}},"metadata":null,"standard":{"status":"healthy"}}`,
		`{"filters":{"sync":{"schema":{"fields":[{"name":"a","options":["x",{"id":"y","label":"Y"}]}]}}}}`,
		`"2026-01-02"`, `1700000000000`, `"METHOD_OAUTH"`, `2`, `null`, `[]`, `{}`, `{"a":`, "\xff\xfe",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range fuzzModels() {
			rv := reflect.New(reflect.TypeOf(v).Elem()).Interface()
			if decodeBody(data, "application/json", rv, true) != nil {
				continue
			}
			b, err := json.Marshal(rv)
			if err != nil {
				t.Fatalf("%T decoded %q but does not encode: %v", rv, data, err)
			}
			again := reflect.New(reflect.TypeOf(v).Elem()).Interface()
			if err := json.Unmarshal(b, again); err != nil {
				t.Fatalf("%T decoded %q and encoded it as %s, which it cannot decode: %v", rv, data, b, err)
			}
		}
	})
}

// ---- Retry-After

// FuzzRetryAfter: parseRetryAfter never reports a negative wait or one above
// maxRetryAfter; a number of seconds (however large) is read as that many seconds
// or maxRetryAfter; an HTTP-date as the time until it; and the backoff built on it
// stays within the client's bounds, so a retry is taken only within the cap.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range [][2]string{
		{"5", ""}, {"0", ""}, {"-1", ""}, {"99999999999999999999", ""}, {"31536001", ""},
		{"Wed, 21 Oct 2015 07:28:00 GMT", ""}, {"Fri, 31 Dec 9999 23:59:59 GMT", ""},
		{"Sunday, 06-Nov-94 08:49:37 GMT", ""}, {"Sun Nov  6 08:49:37 1994", ""},
		{"", "250"}, {"3", "1e400"}, {"", "NaN"}, {"", "-0"}, {"1.5", ""}, {" 7 ", ""}, {"+7", ""},
	} {
		f.Add(s[0], s[1], 1)
	}
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, ra, ms string, attempt int) {
		h := http.Header{}
		if ra != "" {
			h.Set("Retry-After", ra)
		}
		if ms != "" {
			h.Set("Retry-After-Ms", ms)
		}
		d, ok := parseRetryAfter(h, now)
		if d < 0 || d > maxRetryAfter || (!ok && d != 0) {
			t.Fatalf("Retry-After %q, -Ms %q: %s, %v", ra, ms, d, ok)
		}
		v := strings.TrimSpace(h.Get("Retry-After"))
		if strings.TrimSpace(h.Get("Retry-After-Ms")) == "" && v != "" {
			if n, isNum := new(big.Int).SetString(v, 10); isNum && n.Sign() >= 0 && strings.Trim(v, "0123456789") == "" {
				want := maxRetryAfter
				if n.Cmp(big.NewInt(int64(maxRetryAfter/time.Second))) < 0 {
					want = time.Duration(n.Int64()) * time.Second
				}
				if !ok || d != want {
					t.Fatalf("Retry-After %q: %s, %v; want %s", v, d, ok, want)
				}
			} else if when, err := http.ParseTime(v); err == nil && !isNum {
				want := min(max(when.Sub(now), 0), maxRetryAfter)
				if !ok || d != want {
					t.Fatalf("Retry-After %q: %s, %v; want %s", v, d, ok, want)
				}
			}
		}
		resp := &http.Response{StatusCode: http.StatusTooManyRequests, Header: h}
		const minWait, maxWait = 100 * time.Millisecond, 10 * time.Second
		attempt = max(min(attempt, 64), -1)
		if w := computeBackoff(minWait, maxWait, attempt, resp, now); w < 0 || w > maxWait {
			t.Fatalf("backoff %s outside [0, %s]", w, maxWait)
		}
		// The retry decision alone (checkRetry also waits, and needs a call).
		c := &Client{retryWaitMax: maxWait}
		dec := c.policy(context.Background(), &callState{idempotent: true}, resp, nil)
		if dec.err != nil || dec.retry != (!ok || d <= maxWait) {
			t.Fatalf("Retry-After %q, -Ms %q (%s, %v): retry=%v err=%v", ra, ms, d, ok, dec.retry, dec.err)
		}
	})
}

// ---- pagination envelopes

// pagedIter is one …Iter method, to be walked over fuzzed pages.
type pagedIter struct {
	name string
	walk func(ctx context.Context, c *Client) (int, error)
}

func count[T any](seq func(func(T, error) bool)) (int, error) {
	items, err := pagination.Collect(seq)
	return len(items), err
}

var pagedIters = []pagedIter{
	{"Connections.ListIter", func(ctx context.Context, c *Client) (int, error) {
		return count(c.Connections.ListIter(ctx, &ListConnectionsParams{Limit: 2}))
	}},
	{"Connections.ListPaginatedIter", func(ctx context.Context, c *Client) (int, error) {
		return count(c.Connections.ListPaginatedIter(ctx, &ListPaginatedConnectionsParams{Limit: 2}))
	}},
	{"Resources.ChildrenIter", func(ctx context.Context, c *Client) (int, error) {
		return count(c.Resources.ChildrenIter(ctx, "5a1c0000-0000-4000-8000-000000000001", nil))
	}},
	{"Resources.SearchIter", func(ctx context.Context, c *Client) (int, error) {
		return count(c.Resources.SearchIter(ctx, "5a1c0000-0000-4000-8000-000000000001", &SearchResourcesParams{Query: "q"}))
	}},
	{"ConnectorInstances.ListIter", func(ctx context.Context, c *Client) (int, error) {
		return count(c.ConnectorInstances.ListIter(ctx, nil))
	}},
	{"ConnectorInstances.ListConfiguredIter", func(ctx context.Context, c *Client) (int, error) {
		return count(c.ConnectorInstances.ListConfiguredIter(ctx, nil))
	}},
	{"ConnectorInstances.ListActiveAgentsIter", func(ctx context.Context, c *Client) (int, error) {
		return count(c.ConnectorInstances.ListActiveAgentsIter(ctx, nil))
	}},
	{"ConnectorInstances.RegistryIter", func(ctx context.Context, c *Client) (int, error) {
		return count(c.ConnectorInstances.RegistryIter(ctx, nil))
	}},
	{"NamespaceConnections.ListIter", func(ctx context.Context, c *Client) (int, error) {
		return count(c.NamespaceConnections.ListIter(ctx, "ns", nil))
	}},
	{"NamespaceConnections.ReferencedPipelinesIter", func(ctx context.Context, c *Client) (int, error) {
		return count(c.NamespaceConnections.ReferencedPipelinesIter(ctx, "ns", "conn", nil))
	}},
	{"Integrations.ListIter", func(ctx context.Context, c *Client) (int, error) {
		return count(c.Integrations.ListIter(ctx, nil))
	}},
	{"CoreConnections.ListIter", func(ctx context.Context, c *Client) (int, error) {
		return count(c.CoreConnections.ListIter(ctx, nil))
	}},
}

// errPageCap ends a walk that did not end on its own.
var errPageCap = errors.New("fuzz: request cap reached")

// FuzzPaginationEnvelopes serves arbitrary bytes as the pages of every …Iter
// method, two pages in turn (A, B, A, B, …, which also covers one page over and
// over): the walk never panics and always ends, after at most MaxEmptyPages+3
// pages, with the items or a typed error: a *ResponseError, or
// pagination.ErrPaginationStalled.
func FuzzPaginationEnvelopes(f *testing.F) {
	for _, s := range [][2]string{
		{`[{"connection_id":"a"},{"connection_id":"b"}]`, `[{"connection_id":"c"}]`},
		{`{"items":[{"connection_id":"a"}],"total":5,"limit":1,"offset":0}`, `{"items":[],"total":5,"limit":1,"offset":1}`},
		{`{"data":[{"resource_id":"r"}],"next_cursor":"c1"}`, `{"data":[{"resource_id":"r"}],"next_cursor":"c1"}`},
		{`{"success":true,"connectors":[{"_key":"a"}],"pagination":{"page":1,"totalPages":9,"hasNext":true}}`, `{"success":true,"connectors":[],"pagination":{"page":2,"hasNext":true}}`},
		{`{"connectors":[{"connectorId":"a"}],"pagination":{"page":1,"limit":1,"total":2,"hasMore":true}}`, `{"connectors":[{"connectorId":"a"}],"pagination":{"page":2,"limit":1,"total":2,"hasMore":true}}`},
		{`{"connections":[{"id":"a"}],"nextPageToken":"t","totalSize":3}`, `{"connections":[{"id":"b"}],"nextPageToken":"t","totalSize":3}`},
		{`{"pipelineIds":["p"],"nextPageToken":"n"}`, `{"pipelineIds":[],"nextPageToken":"n"}`},
		{`{"integrations":[{"id":"a"}],"nextPageToken":"x"}`, `{"integrations":[{"id":"a"}],"nextPageToken":""}`},
		{`[{"id":"conn_1"}]`, `[]`}, {`{}`, `{}`}, {`null`, `null`}, {`<html>`, ``}, {`[`, `]`},
	} {
		for i := range pagedIters {
			f.Add(uint8(i), []byte(s[0]), []byte(s[1]))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, first, rest []byte) {
		it := pagedIters[int(which)%len(pagedIters)]
		const maxRequests = pagination.MaxEmptyPages + 3
		var requests int
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			requests++
			if requests > 4*maxRequests {
				return nil, errPageCap
			}
			body := rest
			if requests%2 == 1 {
				body = first
			}
			return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(strings.NewReader(string(body))), ContentLength: int64(len(body)), Request: r}, nil
		})}
		c, err := NewClient(WithBaseURL("https://api.example.test/v1/"), WithBearerToken(testToken), WithHTTPClient(hc), WithoutRetries())
		if err != nil {
			t.Fatal(err)
		}
		var n int
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("%s panicked on %q then %q: %v", it.name, first, rest, p)
				}
			}()
			n, err = it.walk(context.Background(), c)
		}()
		if requests > maxRequests {
			t.Fatalf("%s made %d requests on %q then %q: the walk does not end (%v)", it.name, requests, first, rest, err)
		}
		var re *ResponseError
		if err != nil && !errors.As(err, &re) && !errors.Is(err, pagination.ErrPaginationStalled) {
			t.Fatalf("%s: untyped error %T: %v", it.name, err, err)
		}
		if err == nil && requests == 0 {
			t.Fatalf("%s yielded %d items without a request", it.name, n)
		}
	})
}

// ---- path building

// pathCall is a method with path parameters: tmpl is its path under the base
// URL, one "{}" per ID.
type pathCall struct {
	name string
	tmpl string
	ids  int
	call func(ctx context.Context, c *Client, a, b string) error
}

func errOf[T any](_ T, _ *Response, err error) error { return err }

var pathCalls = []pathCall{
	{"Connections.Get", "connections/{}", 1, func(ctx context.Context, c *Client, a, _ string) error { return errOf(c.Connections.Get(ctx, a, nil)) }},
	{"Connections.Delete", "connections/{}", 1, func(ctx context.Context, c *Client, a, _ string) error {
		_, err := c.Connections.Delete(ctx, a, nil)
		return err
	}},
	{"Resources.Children", "connections/{}/resources/children", 1, func(ctx context.Context, c *Client, a, _ string) error {
		return errOf(c.Resources.Children(ctx, a, nil))
	}},
	{"RBAC.Get", "api/v1/connections/{}/rbac", 1, func(ctx context.Context, c *Client, a, _ string) error { return errOf(c.RBAC.Get(ctx, a, nil)) }},
	{"OAuth.UpdateFromCallback", "connections/oauth/callback/{}", 1, func(ctx context.Context, c *Client, a, _ string) error {
		return errOf(c.OAuth.UpdateFromCallback(ctx, a, &UpdateConnectionFromCallbackRequest{Code: "code", Connection: nil}))
	}},
	{"ConnectorInstances.Get", "connectors/{}", 1, func(ctx context.Context, c *Client, a, _ string) error {
		return errOf(c.ConnectorInstances.Get(ctx, a, nil))
	}},
	{"ConnectorInstances.Delete", "connectors/{}", 1, func(ctx context.Context, c *Client, a, _ string) error {
		_, err := c.ConnectorInstances.Delete(ctx, a, nil)
		return err
	}},
	{"ConnectorInstances.UpdateName", "connectors/{}/name", 1, func(ctx context.Context, c *Client, a, _ string) error {
		return errOf(c.ConnectorInstances.UpdateName(ctx, a, &UpdateConnectorNameRequest{InstanceName: "name"}))
	}},
	{"ConnectorInstances.GetConfig", "connectors/{}/config", 1, func(ctx context.Context, c *Client, a, _ string) error {
		return errOf(c.ConnectorInstances.GetConfig(ctx, a, nil))
	}},
	{"ConnectorInstances.AuthorizationURL", "connectors/{}/oauth/authorize", 1, func(ctx context.Context, c *Client, a, _ string) error {
		return errOf(c.ConnectorInstances.AuthorizationURL(ctx, a, nil))
	}},
	{"ConnectorInstances.GetFilters", "connectors/{}/filters", 1, func(ctx context.Context, c *Client, a, _ string) error {
		return errOf(c.ConnectorInstances.GetFilters(ctx, a, nil))
	}},
	{"ConnectorInstances.FilterOptions", "connectors/{}/filters/{}/options", 2, func(ctx context.Context, c *Client, a, b string) error {
		return errOf(c.ConnectorInstances.FilterOptions(ctx, a, b, nil))
	}},
	{"ConnectorInstances.Schema", "connectors/registry/{}/schema", 1, func(ctx context.Context, c *Client, a, _ string) error {
		return errOf(c.ConnectorInstances.Schema(ctx, a, nil))
	}},
	{"NamespaceConnections.List", "v1beta/namespaces/{}/connections", 1, func(ctx context.Context, c *Client, a, _ string) error {
		return errOf(c.NamespaceConnections.List(ctx, a, nil))
	}},
	{"NamespaceConnections.Get", "v1beta/namespaces/{}/connections/{}", 2, func(ctx context.Context, c *Client, a, b string) error {
		return errOf(c.NamespaceConnections.Get(ctx, a, b, nil))
	}},
	{"NamespaceConnections.Delete", "v1beta/namespaces/{}/connections/{}", 2, func(ctx context.Context, c *Client, a, b string) error {
		_, err := c.NamespaceConnections.Delete(ctx, a, b, nil)
		return err
	}},
	{"NamespaceConnections.Test", "v1beta/namespaces/{}/connections/{}/test", 2, func(ctx context.Context, c *Client, a, b string) error {
		_, err := c.NamespaceConnections.Test(ctx, a, b, nil)
		return err
	}},
	{"NamespaceConnections.ReferencedPipelines", "v1beta/namespaces/{}/connections/{}/referenced-pipelines", 2, func(ctx context.Context, c *Client, a, b string) error {
		return errOf(c.NamespaceConnections.ReferencedPipelines(ctx, a, b, nil))
	}},
	{"Integrations.Get", "v1beta/integrations/{}", 1, func(ctx context.Context, c *Client, a, _ string) error { return errOf(c.Integrations.Get(ctx, a, nil)) }},
	{"CoreConnections.Get", "core/connection/{}", 1, func(ctx context.Context, c *Client, a, _ string) error {
		return errOf(c.CoreConnections.Get(ctx, a, nil))
	}},
	{"CoreConnections.Delete", "core/connection/{}", 1, func(ctx context.Context, c *Client, a, _ string) error {
		_, err := c.CoreConnections.Delete(ctx, a, nil)
		return err
	}},
	{"CoreConnections.Check", "core/connection/{}/_check", 1, func(ctx context.Context, c *Client, a, _ string) error {
		return errOf(c.CoreConnections.Check(ctx, a, nil))
	}},
}

// pathServer is a loopback server that records the request line and Host of the
// one request a fuzzed call may send, and answers 404.
type pathServer struct {
	srv  *httptest.Server
	mu   sync.Mutex
	seen []seenRequest
}

type seenRequest struct{ host, requestURI string }

func newPathServer(tb testing.TB) *pathServer {
	ps := &pathServer{}
	ps.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ps.mu.Lock()
		ps.seen = append(ps.seen, seenRequest{host: r.Host, requestURI: r.RequestURI})
		ps.mu.Unlock()
		writeJSON(w, http.StatusNotFound, `{"message":"no such thing"}`)
	}))
	tb.Cleanup(ps.srv.Close)
	return ps
}

func (ps *pathServer) take() []seenRequest {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	s := ps.seen
	ps.seen = nil
	return s
}

// FuzzPathBuilding calls every method with path parameters with arbitrary IDs,
// over loopback: either ErrInvalidParams and no request, or one request that the
// server sees on the same host, under the fixed prefix, with exactly one path
// segment per ID that unescapes to the ID.
func FuzzPathBuilding(f *testing.F) {
	for _, s := range [][2]string{
		{"5a1c0000-0000-4000-8000-000000000001", "b"}, {"a/b", "c"}, {"..", "."}, {" .. ", "x"}, {"%2e%2e", "%2F"},
		{"a?b#c", "d;e"}, {"http://evil.example/x", "//evil"}, {"\x00\xff", "\r\nHost: evil"}, {"é/ü", "名前"},
		{"", "x"}, {"x", ""}, {"   ", "y"}, {"a b+c", "%"}, {"../../admin", "..%2f"}, {"\\..\\", "@evil"},
	} {
		for i := range pathCalls {
			f.Add(uint8(i), s[0], s[1])
		}
	}
	ps := newPathServer(f)
	const prefix = "/fixed/prefix/"
	base, _ := url.Parse(ps.srv.URL + prefix)
	c, err := NewClient(WithBaseURL(base.String()), WithBearerToken(testToken), WithoutRetries())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(c.CloseIdleConnections)
	f.Fuzz(func(t *testing.T, which uint8, a, b string) {
		pc := pathCalls[int(which)%len(pathCalls)]
		ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
		defer cancel()
		err := pc.call(ctx, c, a, b)
		reqs := ps.take()
		if errors.Is(err, ErrInvalidParams) {
			if len(reqs) != 0 {
				t.Fatalf("%s(%q, %q): invalid, yet %d requests were sent", pc.name, a, b, len(reqs))
			}
			return
		}
		if len(reqs) != 1 {
			t.Fatalf("%s(%q, %q): %d requests reached the server (err %v)", pc.name, a, b, len(reqs), err)
		}
		r := reqs[0]
		if r.host != base.Host {
			t.Fatalf("%s(%q, %q): host %q, want %q", pc.name, a, b, r.host, base.Host)
		}
		raw, _, _ := strings.Cut(r.requestURI, "?")
		rest, ok := strings.CutPrefix(raw, prefix)
		if !ok {
			t.Fatalf("%s(%q, %q): path %q is not under %q", pc.name, a, b, raw, prefix)
		}
		got, want := strings.Split(rest, "/"), strings.Split(pc.tmpl, "/")
		if len(got) != len(want) {
			t.Fatalf("%s(%q, %q): path %q has %d segments, want %d (%s)", pc.name, a, b, raw, len(got), len(want), pc.tmpl)
		}
		ids := []string{a, b}
		k := 0
		for i, w := range want {
			if w != "{}" {
				if got[i] != w {
					t.Fatalf("%s(%q, %q): segment %d is %q, want %q", pc.name, a, b, i, got[i], w)
				}
				continue
			}
			id, err := url.PathUnescape(got[i])
			if err != nil || id != ids[k] {
				t.Fatalf("%s(%q, %q): segment %q unescapes to %q (%v), want %q", pc.name, a, b, got[i], id, err, ids[k])
			}
			if got[i] == "." || got[i] == ".." {
				t.Fatalf("%s(%q, %q): a dot segment reached the server", pc.name, a, b)
			}
			k++
		}
		if k != pc.ids {
			t.Fatalf("%s: template %q has %d IDs, want %d", pc.name, pc.tmpl, k, pc.ids)
		}
	})
}
