package connapi

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"iter"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/connapi/connapi-go/models"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// servicePlatform is which platform each of the Client's services belongs to, as
// the package documentation lists them.
var servicePlatform = map[string]Platform{
	"Connections":          PlatformStackAI,
	"OAuth":                PlatformStackAI,
	"Resources":            PlatformStackAI,
	"RBAC":                 PlatformStackAI,
	"ConnectorInstances":   PlatformPipesHub,
	"NamespaceConnections": PlatformInstill,
	"Integrations":         PlatformInstill,
	"CoreConnections":      PlatformOpenInt,
}

var platforms = []Platform{PlatformStackAI, PlatformPipesHub, PlatformInstill, PlatformOpenInt}

// vendorURL is the vendor base URL constant of each platform.
var vendorURL = map[Platform]string{
	PlatformStackAI:  StackAIBaseURL,
	PlatformPipesHub: PipesHubBaseURL,
	PlatformInstill:  InstillBaseURL,
	PlatformOpenInt:  OpenIntBaseURL,
}

// apiLine is one "// API: METHOD /path" line of a method's doc comment.
type apiLine struct{ method, path string }

// serviceMethodDocs parses the package's sources and returns, for every exported
// method of a *XxxService, its "// API:" lines, keyed "Xxx.Method".
func serviceMethodDocs(t *testing.T) map[string][]apiLine {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ParseComments)
	require.NoError(t, err)
	out := map[string][]apiLine{}
	re := regexp.MustCompile(`^API: ([A-Z]+) (/\S*)$`)
	for _, f := range pkgs["connapi"].Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || !fd.Name.IsExported() {
				continue
			}
			star, ok := fd.Recv.List[0].Type.(*ast.StarExpr)
			if !ok {
				continue
			}
			recv, ok := star.X.(*ast.Ident)
			if !ok || !strings.HasSuffix(recv.Name, "Service") {
				continue
			}
			key := strings.TrimSuffix(recv.Name, "Service") + "." + fd.Name.Name
			out[key] = []apiLine{}
			if fd.Doc == nil {
				continue
			}
			for _, c := range fd.Doc.List {
				if m := re.FindStringSubmatch(strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))); m != nil {
					out[key] = append(out[key], apiLine{m[1], m[2]})
				}
			}
		}
	}
	return out
}

// ownOperation is the name of the operation a method's first request belongs to:
// an …Iter twin's is its list method's, CreateAndGet's is Create's.
func ownOperation(method string) string {
	if method == "CoreConnections.CreateAndGet" {
		return "CoreConnections.Create"
	}
	return strings.TrimSuffix(method, "Iter")
}

// TestOperationDescriptors checks every descriptor against the "// API:" line of
// its method: one descriptor per endpoint, named "Service.Method", with the
// method's platform, HTTP method and path template.
func TestOperationDescriptors(t *testing.T) {
	t.Parallel()
	docs := serviceMethodDocs(t)
	byName := map[string]*Operation{}
	endpoints := map[string]string{}
	for _, op := range allOperations {
		require.NotNil(t, op)
		_, dup := byName[op.Name()]
		assert.False(t, dup, "two descriptors named %s", op.Name())
		byName[op.Name()] = op
		ep := op.Platform().String() + " " + op.Method() + " " + op.PathTemplate()
		if other, dup := endpoints[ep]; dup {
			t.Errorf("%s and %s describe the same endpoint %s", other, op.Name(), ep)
		}
		endpoints[ep] = op.Name()
		assert.Regexp(t, `^/[A-Za-z0-9_/{}.-]*$`, op.PathTemplate(), op.Name())
		assert.True(t, op.Platform().known(), op.Name())
		svc, _, _ := strings.Cut(op.Name(), ".")
		assert.Equal(t, servicePlatform[svc], op.Platform(), "platform of %s", op.Name())
		lines, ok := docs[op.Name()]
		if !assert.True(t, ok, "descriptor %s names no service method", op.Name()) {
			continue
		}
		if assert.Len(t, lines, 1, "%s's // API: lines", op.Name()) {
			assert.Equal(t, lines[0].method, op.Method(), "%s: HTTP method", op.Name())
			assert.Equal(t, lines[0].path, op.PathTemplate(), "%s: path template", op.Name())
		}
	}
	// Every method is covered: its own descriptor, or the descriptors of the calls it
	// makes, each of its API lines matching one.
	require.NotEmpty(t, docs)
	for method, lines := range docs {
		assert.NotEmpty(t, lines, "%s has no // API: line", method)
		if method == "CoreConnections.CreateAndGet" {
			assert.Equal(t, []apiLine{
				{byName["CoreConnections.Create"].Method(), byName["CoreConnections.Create"].PathTemplate()},
				{byName["CoreConnections.Get"].Method(), byName["CoreConnections.Get"].PathTemplate()},
			}, lines, method)
			continue
		}
		op := byName[ownOperation(method)]
		if assert.NotNil(t, op, "no descriptor for %s", method) && assert.Len(t, lines, 1, method) {
			assert.Equal(t, apiLine{op.Method(), op.PathTemplate()}, lines[0], "%s against %s", method, op.Name())
		}
	}
	assert.Equal(t, allOperations[:], Operations())
	assert.NotSame(t, &allOperations[0], &Operations()[0], "Operations returns a copy")
}

// Valid arguments for every call below.
const (
	opsStackID = "4f3c2b1a-0d9e-4c8b-a7f6-5e4d3c2b1a09"
	opsUserID  = "0b8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
)

// methodCall calls one service method with valid arguments. An iterator is ranged
// to its end; n is how many values it yielded (-1 for a method that is no
// iterator), err the first error.
type methodCall func(ctx context.Context, c *Client) (n int, err error)

func one[T any](_ T, _ *Response, err error) (int, error) { return -1, err }
func two(_ *Response, err error) (int, error)             { return -1, err }

func drain[T any](seq iter.Seq2[T, error]) (int, error) {
	n := 0
	var first error
	for _, err := range seq {
		n++
		if err != nil && first == nil {
			first = err
		}
	}
	return n, first
}

// everyMethod holds one call of every exported method of every service, keyed
// "Service.Method"; TestEveryMethodIsCalled keeps it complete.
var everyMethod = map[string]methodCall{
	"Connections.ListAvailable": func(ctx context.Context, c *Client) (int, error) { return one(c.Connections.ListAvailable(ctx, nil)) },
	"Connections.List":          func(ctx context.Context, c *Client) (int, error) { return one(c.Connections.List(ctx, nil)) },
	"Connections.ListIter":      func(ctx context.Context, c *Client) (int, error) { return drain(c.Connections.ListIter(ctx, nil)) },
	"Connections.ListPaginated": func(ctx context.Context, c *Client) (int, error) { return one(c.Connections.ListPaginated(ctx, nil)) },
	"Connections.ListPaginatedIter": func(ctx context.Context, c *Client) (int, error) {
		return drain(c.Connections.ListPaginatedIter(ctx, nil))
	},
	"Connections.Create": func(ctx context.Context, c *Client) (int, error) { return one(c.Connections.Create(ctx, opsConnReq())) },
	"Connections.Get":    func(ctx context.Context, c *Client) (int, error) { return one(c.Connections.Get(ctx, opsStackID, nil)) },
	"Connections.Update": func(ctx context.Context, c *Client) (int, error) {
		return one(c.Connections.Update(ctx, opsStackID, opsConnReq()))
	},
	"Connections.Patch": func(ctx context.Context, c *Client) (int, error) {
		return one(c.Connections.Patch(ctx, opsStackID, &PatchConnectionRequest{Name: "n"}))
	},
	"Connections.Delete": func(ctx context.Context, c *Client) (int, error) {
		return two(c.Connections.Delete(ctx, opsStackID, nil))
	},
	"Connections.Health": func(ctx context.Context, c *Client) (int, error) {
		return one(c.Connections.Health(ctx, opsStackID, nil))
	},
	"OAuth.Start": func(ctx context.Context, c *Client) (int, error) { return one(c.OAuth.Start(ctx, opsConnReq())) },
	"OAuth.CreateFromCallback": func(ctx context.Context, c *Client) (int, error) {
		return one(c.OAuth.CreateFromCallback(ctx, &CreateConnectionFromCallbackRequest{Code: "code", Connection: opsConnReq()}))
	},
	"OAuth.UpdateFromCallback": func(ctx context.Context, c *Client) (int, error) {
		return one(c.OAuth.UpdateFromCallback(ctx, opsStackID, &UpdateConnectionFromCallbackRequest{Code: "code", Connection: opsConnReq()}))
	},
	"Resources.Get": func(ctx context.Context, c *Client) (int, error) { return one(c.Resources.Get(ctx, opsStackID, nil)) },
	"Resources.Children": func(ctx context.Context, c *Client) (int, error) {
		return one(c.Resources.Children(ctx, opsStackID, nil))
	},
	"Resources.ChildrenIter": func(ctx context.Context, c *Client) (int, error) {
		return drain(c.Resources.ChildrenIter(ctx, opsStackID, nil))
	},
	"Resources.Search": func(ctx context.Context, c *Client) (int, error) {
		return one(c.Resources.Search(ctx, opsStackID, &SearchResourcesParams{Query: "q"}))
	},
	"Resources.SearchIter": func(ctx context.Context, c *Client) (int, error) {
		return drain(c.Resources.SearchIter(ctx, opsStackID, &SearchResourcesParams{Query: "q"}))
	},
	"RBAC.Get": func(ctx context.Context, c *Client) (int, error) { return one(c.RBAC.Get(ctx, opsStackID, nil)) },
	"RBAC.Update": func(ctx context.Context, c *Client) (int, error) {
		return two(c.RBAC.Update(ctx, opsStackID, &UpdateRBACRequest{SubjectType: models.SubjectTypeUser, Role: models.RoleViewer, SubjectID: opsUserID}))
	},
	"RBAC.Delete": func(ctx context.Context, c *Client) (int, error) {
		return two(c.RBAC.Delete(ctx, opsStackID, &DeleteRBACParams{SubjectType: models.SubjectTypeUser, SubjectID: opsUserID}))
	},
	"RBAC.UpdateOrganizationRole": func(ctx context.Context, c *Client) (int, error) {
		return two(c.RBAC.UpdateOrganizationRole(ctx, opsStackID, &UpdateOrganizationRoleRequest{Role: Ptr(models.RoleViewer)}))
	},

	"ConnectorInstances.List": func(ctx context.Context, c *Client) (int, error) { return one(c.ConnectorInstances.List(ctx, nil)) },
	"ConnectorInstances.ListIter": func(ctx context.Context, c *Client) (int, error) {
		return drain(c.ConnectorInstances.ListIter(ctx, nil))
	},
	"ConnectorInstances.ListConfigured": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.ListConfigured(ctx, nil))
	},
	"ConnectorInstances.ListConfiguredIter": func(ctx context.Context, c *Client) (int, error) {
		return drain(c.ConnectorInstances.ListConfiguredIter(ctx, nil))
	},
	"ConnectorInstances.ListActiveAgents": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.ListActiveAgents(ctx, nil))
	},
	"ConnectorInstances.ListActiveAgentsIter": func(ctx context.Context, c *Client) (int, error) {
		return drain(c.ConnectorInstances.ListActiveAgentsIter(ctx, nil))
	},
	"ConnectorInstances.ListActive": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.ListActive(ctx, nil))
	},
	"ConnectorInstances.ListInactive": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.ListInactive(ctx, nil))
	},
	"ConnectorInstances.Create": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.Create(ctx, &CreateConnectorRequest{ConnectorType: "slack", InstanceName: "S", Scope: models.ConnectorScopeTeam}))
	},
	"ConnectorInstances.Get": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.Get(ctx, "c1", nil))
	},
	"ConnectorInstances.Delete": func(ctx context.Context, c *Client) (int, error) {
		return two(c.ConnectorInstances.Delete(ctx, "c1", nil))
	},
	"ConnectorInstances.UpdateName": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.UpdateName(ctx, "c1", &UpdateConnectorNameRequest{InstanceName: "n"}))
	},
	"ConnectorInstances.GetConfig": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.GetConfig(ctx, "c1", nil))
	},
	"ConnectorInstances.UpdateConfig": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.UpdateConfig(ctx, "c1", &UpdateConnectorConfigRequest{}))
	},
	"ConnectorInstances.UpdateAuthConfig": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.UpdateAuthConfig(ctx, "c1", &UpdateConnectorAuthConfigRequest{Auth: &models.ConnectorAuthConfig{}}))
	},
	"ConnectorInstances.UpdateFiltersSyncConfig": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.UpdateFiltersSyncConfig(ctx, "c1", &UpdateConnectorFiltersSyncRequest{Sync: &models.ConnectorSyncConfig{}}))
	},
	"ConnectorInstances.AuthorizationURL": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.AuthorizationURL(ctx, "c1", nil))
	},
	"ConnectorInstances.HandleOAuthCallback": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.HandleOAuthCallback(ctx, &ConnectorOAuthCallbackParams{Code: "code", State: "state"}))
	},
	"ConnectorInstances.GetFilters": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.GetFilters(ctx, "c1", nil))
	},
	"ConnectorInstances.SaveFilters": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.SaveFilters(ctx, "c1", &SaveConnectorFiltersRequest{Filters: map[string]any{"a": 1}}))
	},
	"ConnectorInstances.FilterOptions": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.FilterOptions(ctx, "c1", "channels", nil))
	},
	"ConnectorInstances.FilterOptionsIter": func(ctx context.Context, c *Client) (int, error) {
		return drain(c.ConnectorInstances.FilterOptionsIter(ctx, "c1", "channels", nil))
	},
	"ConnectorInstances.Toggle": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.Toggle(ctx, "c1", &ToggleConnectorRequest{Type: models.ConnectorToggleSync}))
	},
	"ConnectorInstances.Registry": func(ctx context.Context, c *Client) (int, error) { return one(c.ConnectorInstances.Registry(ctx, nil)) },
	"ConnectorInstances.RegistryIter": func(ctx context.Context, c *Client) (int, error) {
		return drain(c.ConnectorInstances.RegistryIter(ctx, nil))
	},
	"ConnectorInstances.Schema": func(ctx context.Context, c *Client) (int, error) {
		return one(c.ConnectorInstances.Schema(ctx, "slack", nil))
	},

	"NamespaceConnections.List": func(ctx context.Context, c *Client) (int, error) {
		return one(c.NamespaceConnections.List(ctx, "acme", nil))
	},
	"NamespaceConnections.ListIter": func(ctx context.Context, c *Client) (int, error) {
		return drain(c.NamespaceConnections.ListIter(ctx, "acme", nil))
	},
	"NamespaceConnections.Create": func(ctx context.Context, c *Client) (int, error) {
		return one(c.NamespaceConnections.Create(ctx, "acme", &models.NamespaceConnection{
			ID: "my-conn", IntegrationID: "openai", Method: models.NamespaceConnectionMethodDictionary, Setup: map[string]any{},
		}))
	},
	"NamespaceConnections.Get": func(ctx context.Context, c *Client) (int, error) {
		return one(c.NamespaceConnections.Get(ctx, "acme", "my-conn", nil))
	},
	"NamespaceConnections.Update": func(ctx context.Context, c *Client) (int, error) {
		return one(c.NamespaceConnections.Update(ctx, "acme", "my-conn", &UpdateNamespaceConnectionRequest{}))
	},
	"NamespaceConnections.Delete": func(ctx context.Context, c *Client) (int, error) {
		return two(c.NamespaceConnections.Delete(ctx, "acme", "my-conn", nil))
	},
	"NamespaceConnections.Test": func(ctx context.Context, c *Client) (int, error) {
		return two(c.NamespaceConnections.Test(ctx, "acme", "my-conn", nil))
	},
	"NamespaceConnections.ReferencedPipelines": func(ctx context.Context, c *Client) (int, error) {
		return one(c.NamespaceConnections.ReferencedPipelines(ctx, "acme", "my-conn", nil))
	},
	"NamespaceConnections.ReferencedPipelinesIter": func(ctx context.Context, c *Client) (int, error) {
		return drain(c.NamespaceConnections.ReferencedPipelinesIter(ctx, "acme", "my-conn", nil))
	},
	"Integrations.List":     func(ctx context.Context, c *Client) (int, error) { return one(c.Integrations.List(ctx, nil)) },
	"Integrations.ListIter": func(ctx context.Context, c *Client) (int, error) { return drain(c.Integrations.ListIter(ctx, nil)) },
	"Integrations.Get":      func(ctx context.Context, c *Client) (int, error) { return one(c.Integrations.Get(ctx, "openai", nil)) },

	"CoreConnections.List":     func(ctx context.Context, c *Client) (int, error) { return one(c.CoreConnections.List(ctx, nil)) },
	"CoreConnections.ListIter": func(ctx context.Context, c *Client) (int, error) { return drain(c.CoreConnections.ListIter(ctx, nil)) },
	"CoreConnections.Create": func(ctx context.Context, c *Client) (int, error) {
		return one(c.CoreConnections.Create(ctx, &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_1"}))
	},
	"CoreConnections.CreateAndGet": func(ctx context.Context, c *Client) (int, error) {
		return one(c.CoreConnections.CreateAndGet(ctx, &CreateCoreConnectionRequest{ConnectorConfigID: "ccfg_1"}, nil))
	},
	"CoreConnections.Get": func(ctx context.Context, c *Client) (int, error) {
		return one(c.CoreConnections.Get(ctx, "conn_1", nil))
	},
	"CoreConnections.Update": func(ctx context.Context, c *Client) (int, error) {
		return one(c.CoreConnections.Update(ctx, "conn_1", &UpdateCoreConnectionRequest{}))
	},
	"CoreConnections.Delete": func(ctx context.Context, c *Client) (int, error) {
		return two(c.CoreConnections.Delete(ctx, "conn_1", nil))
	},
	"CoreConnections.Check": func(ctx context.Context, c *Client) (int, error) {
		return one(c.CoreConnections.Check(ctx, "conn_1", nil))
	},
	"CoreConnections.Sync": func(ctx context.Context, c *Client) (int, error) {
		return one(c.CoreConnections.Sync(ctx, "conn_1", nil))
	},
}

func opsConnReq() *models.ConnectionRequest {
	return &models.ConnectionRequest{ProviderID: "gdrive", ConnectionTypeID: "gdrive"}
}

// sortedMethods returns everyMethod's keys in order, for stable subtest names.
func sortedMethods() []string {
	out := make([]string, 0, len(everyMethod))
	for k := range everyMethod {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestEveryMethodIsCalled keeps everyMethod complete: every exported method of
// every service of the Client has an entry, and every entry is a method.
func TestEveryMethodIsCalled(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithBaseURL("https://api.example.test/"))
	require.NoError(t, err)
	var methods []string
	cv := reflect.ValueOf(c).Elem()
	for i := range cv.NumField() {
		f := cv.Type().Field(i)
		if !f.IsExported() || !strings.HasSuffix(f.Type.String(), "Service") {
			continue
		}
		_, ok := servicePlatform[f.Name]
		assert.True(t, ok, "service %s has no platform in servicePlatform", f.Name)
		for j := range f.Type.NumMethod() {
			methods = append(methods, f.Name+"."+f.Type.Method(j).Name)
		}
	}
	sort.Strings(methods)
	assert.Equal(t, methods, sortedMethods())
	assert.Len(t, servicePlatform, 8)
}

// refuseAll is a transport that fails the test on any request.
func refuseAll(t *testing.T) *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		t.Errorf("a request was sent: %s %s", r.Method, r.URL)
		return nil, errors.New("no request may be sent")
	})}
}

// TestWrongPlatformSendsNothing calls every method of every service on a client of
// each of the four platforms it does not belong to, whether the platform comes
// from the vendor's base URL or from WithPlatform: each returns ErrWrongPlatform
// naming the operation and both platforms, an iterator yields it once, and nothing
// is sent.
func TestWrongPlatformSendsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, p := range platforms {
		for _, how := range []string{"vendor URL", "WithPlatform"} {
			opts := []Option{WithHTTPClient(refuseAll(t)), WithBearerToken(testToken), WithRetryWait(0, 0)}
			if how == "vendor URL" {
				opts = append(opts, WithBaseURL(vendorURL[p]))
			} else {
				opts = append(opts, WithBaseURL("https://gateway.example.test/"+strings.ToLower(strings.ReplaceAll(p.String(), " ", ""))+"/"), WithPlatform(p))
			}
			c, err := NewClient(opts...)
			require.NoError(t, err)
			require.Equal(t, p, c.Platform())
			wrong := 0
			for _, name := range sortedMethods() {
				svc, _, _ := strings.Cut(name, ".")
				if servicePlatform[svc] == p {
					continue
				}
				wrong++
				t.Run(p.String()+"/"+how+"/"+name, func(t *testing.T) {
					n, err := everyMethod[name](ctx, c)
					require.Error(t, err)
					assert.ErrorIs(t, err, ErrWrongPlatform)
					assert.NotErrorIs(t, err, ErrInvalidParams)
					assert.NotErrorIs(t, err, ErrNotFound)
					var wpe *WrongPlatformError
					require.ErrorAs(t, err, &wpe)
					assert.Equal(t, ownOperation(name), wpe.Operation, "the operation of the method itself")
					assert.Equal(t, servicePlatform[svc], wpe.OperationPlatform)
					assert.Equal(t, p, wpe.ClientPlatform)
					msg := err.Error()
					assert.Contains(t, msg, ownOperation(name))
					assert.Contains(t, msg, servicePlatform[svc].String())
					assert.Contains(t, msg, p.String())
					if strings.HasSuffix(name, "Iter") {
						assert.Equal(t, 1, n, "an iterator yields the error once")
					}
				})
			}
			assert.Equal(t, len(everyMethod)-countMethods(p), wrong)
		}
	}
	assert.Equal(t, 70, len(everyMethod), "every method, iterators included")
}

func countMethods(p Platform) int {
	n := 0
	for name := range everyMethod {
		svc, _, _ := strings.Cut(name, ".")
		if servicePlatform[svc] == p {
			n++
		}
	}
	return n
}

// recorder is a transport that records every request and answers 404 with an
// empty JSON object.
type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
	return &http.Response{
		StatusCode: http.StatusNotFound, Status: "404 Not Found", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(`{}`)), Request: req,
	}, nil
}

// templateRegexp matches a path template's filled-in form: each {param} one
// escaped path segment.
func templateRegexp(tmpl string) *regexp.Regexp {
	parts := strings.Split(tmpl, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			parts[i] = `[^/]+`
		} else {
			parts[i] = regexp.QuoteMeta(p)
		}
	}
	return regexp.MustCompile("^" + strings.Join(parts, "/") + "$")
}

// TestEveryMethodUsesItsOwnOperation calls every method on a client of its own
// platform, and on one whose platform is unknown (which keeps working as before
// platforms existed): the one request each sends has its own operation's HTTP
// method and fills in its path template.
func TestEveryMethodUsesItsOwnOperation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	byName := map[string]*Operation{}
	for _, op := range allOperations {
		byName[op.Name()] = op
	}
	for _, name := range sortedMethods() {
		svc, _, _ := strings.Cut(name, ".")
		op := byName[ownOperation(name)]
		require.NotNil(t, op, name)
		for _, p := range []Platform{servicePlatform[svc], PlatformUnknown} {
			t.Run(name+"/"+p.String(), func(t *testing.T) {
				t.Parallel()
				rec := &recorder{}
				opts := []Option{WithHTTPClient(&http.Client{Transport: rec}), WithBearerToken(testToken), WithoutRetries()}
				if p == PlatformUnknown {
					opts = append(opts, WithBaseURL("https://self-hosted.example.test/base/"))
				} else {
					opts = append(opts, WithBaseURL(vendorURL[p]))
				}
				c, err := NewClient(opts...)
				require.NoError(t, err)
				require.Equal(t, p, c.Platform())
				_, err = everyMethod[name](ctx, c)
				require.Error(t, err, "the recorder answers 404")
				assert.NotErrorIs(t, err, ErrWrongPlatform)
				require.Len(t, rec.reqs, 1, "one request")
				r := rec.reqs[0]
				assert.Equal(t, op.Method(), r.Method)
				base := strings.TrimSuffix(c.baseURL, "/")
				path := r.URL.EscapedPath()
				require.True(t, strings.HasPrefix(r.URL.String(), base), "%s is under %s", r.URL, base)
				rel := strings.TrimPrefix(path, strings.TrimPrefix(base, r.URL.Scheme+"://"+r.URL.Host))
				assert.Regexp(t, templateRegexp(op.PathTemplate()), rel, "%s fills %s", name, op)
			})
		}
	}
}

func TestPlatformFromBaseURL(t *testing.T) {
	t.Parallel()
	cases := map[string]Platform{
		StackAIBaseURL:                         PlatformStackAI,
		PipesHubBaseURL:                        PlatformPipesHub,
		InstillBaseURL:                         PlatformInstill,
		OpenIntBaseURL:                         PlatformOpenInt,
		"https://api.stack-ai.com":             PlatformStackAI, // the trailing slash is added
		"https://app.pipeshub.com/api/v1":      PlatformPipesHub,
		"https://API.OpenInt.dev/v0/":          PlatformOpenInt, // hosts are case-insensitive
		"https://api.instill-ai.com:443/":      PlatformInstill, // https's own port
		"http://api.stack-ai.com/":             PlatformUnknown, // another scheme
		"https://api.stack-ai.com:8443/":       PlatformUnknown, // another port
		"https://app.pipeshub.com/":            PlatformUnknown, // another path
		"https://app.pipeshub.com/api/v2/":     PlatformUnknown,
		"https://api.openint.dev/v0/extra/":    PlatformUnknown,
		"https://pipeshub.example.com/api/v1/": PlatformUnknown, // self-hosted
		"http://127.0.0.1:8080/":               PlatformUnknown,
	}
	for raw, want := range cases {
		c, err := NewClient(WithBaseURL(raw))
		require.NoError(t, err, raw)
		assert.Equal(t, want, c.Platform(), raw)
	}
}

func TestWithPlatform(t *testing.T) {
	t.Parallel()
	for _, p := range platforms {
		c, err := NewClient(WithBaseURL("https://proxy.example.test/"), WithPlatform(p))
		require.NoError(t, err)
		assert.Equal(t, p, c.Platform())
		// Naming a vendor URL's own platform is fine; naming another is an error.
		c, err = NewClient(WithBaseURL(vendorURL[p]), WithPlatform(p))
		require.NoError(t, err)
		assert.Equal(t, p, c.Platform())
		for _, q := range platforms {
			if q == p {
				continue
			}
			_, err := NewClient(WithBaseURL(vendorURL[p]), WithPlatform(q))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "contradicts")
			assert.Contains(t, err.Error(), p.String())
			assert.Contains(t, err.Error(), q.String())
		}
	}
	for _, bad := range []Platform{PlatformUnknown, Platform(5), Platform(-1)} {
		_, err := NewClient(WithBaseURL("https://proxy.example.test/"), WithPlatform(bad))
		require.Error(t, err, "%v", bad)
		assert.Contains(t, err.Error(), "WithPlatform")
	}
	assert.Equal(t, "unknown", PlatformUnknown.String())
	assert.Equal(t, "Platform(9)", Platform(9).String())
}
