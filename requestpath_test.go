package connapi

import (
	"bufio"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-querystring/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// queryParamsTypes lists a pointer to every type of the package whose fields
// have url tags (TestEveryURLTaggedTypeIsListed keeps the list complete).
var queryParamsTypes = []any{
	(*ListConnectionsParams)(nil),
	(*GetConnectionParams)(nil),
	(*ConnectionHealthParams)(nil),
	(*DeleteRBACParams)(nil),
	(*GetResourcesParams)(nil),
	(*ListChildrenParams)(nil),
	(*SearchResourcesParams)(nil),
	(*ListConnectorInstancesParams)(nil),
	(*ListConfiguredConnectorsParams)(nil),
	(*ListActiveAgentConnectorsParams)(nil),
	(*ConnectorRegistryParams)(nil),
	(*connectorPageQuery)(nil),
	(*ConnectorAuthorizationURLParams)(nil),
	(*ConnectorOAuthCallbackParams)(nil),
	(*ConnectorFilterOptionsParams)(nil),
	(*ListNamespaceConnectionsParams)(nil),
	(*GetNamespaceConnectionParams)(nil),
	(*ListReferencedPipelinesParams)(nil),
	(*ListIntegrationsParams)(nil),
	(*GetIntegrationParams)(nil),
	(*ListCoreConnectionsParams)(nil),
	(*GetCoreConnectionParams)(nil),
	(*DeleteCoreConnectionParams)(nil),
}

// TestEveryURLTaggedTypeIsListed: every struct type of the package's sources with
// a url tag is in queryParamsTypes, so the encoder test below sees it.
func TestEveryURLTaggedTypeIsListed(t *testing.T) {
	t.Parallel()
	listed := map[string]bool{}
	for _, p := range queryParamsTypes {
		listed[reflect.TypeOf(p).Elem().Name()] = true
	}
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	require.NoError(t, err)
	found := 0
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				ts, ok := n.(*ast.TypeSpec)
				if !ok {
					return true
				}
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					return true
				}
				for _, fl := range st.Fields.List {
					if fl.Tag != nil && strings.Contains(fl.Tag.Value, `url:"`) {
						found++
						assert.True(t, listed[ts.Name.Name], "%s has url tags but is not in queryParamsTypes", ts.Name.Name)
						break
					}
				}
				return true
			})
		}
	}
	assert.Equal(t, len(queryParamsTypes), found, "queryParamsTypes lists a type without url tags")
}

// TestQueryEncodersMatchGoQuerystring: for every query parameters type, the query
// string the SDK sends (buildURL: appendQuery, where the type has one) is byte for
// byte what it sent through go-querystring (url.Values.Encode of query.Values),
// over random values: empty and set fields, nil and empty slices, nil and set
// pointers, negative numbers, bytes that need escaping.
func TestQueryEncodersMatchGoQuerystring(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithBaseURL("https://api.example.test/v1/"))
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(12, 34))
	for _, p := range queryParamsTypes {
		typ := reflect.TypeOf(p).Elem()
		_, hand := p.(queryAppender)
		assert.True(t, hand, "%s writes its query by hand", typ.Name())
		for i := range 2000 {
			v := reflect.New(typ)
			if i > 0 {
				fillRandom(rng, v.Elem())
			}
			want, err := query.Values(v.Interface())
			require.NoError(t, err)
			var u url.URL
			var scratch [64]byte
			require.NoError(t, c.buildURL(&u, "x", v.Interface(), nil, &scratch))
			if !assert.Equal(t, want.Encode(), u.RawQuery, "%s %#v", typ.Name(), v.Elem().Interface()) {
				break
			}
		}
		// A nil pointer sends no query, as go-querystring.
		var u url.URL
		var scratch [64]byte
		require.NoError(t, c.buildURL(&u, "x", reflect.Zero(reflect.TypeOf(p)).Interface(), nil, &scratch))
		assert.Empty(t, u.RawQuery, typ.Name())
	}
}

// fillRandom sets the fields of the struct v to random values of their kinds.
func fillRandom(rng *rand.Rand, v reflect.Value) {
	for i := range v.NumField() {
		f := v.Field(i)
		if rng.IntN(3) == 0 {
			continue // left zero
		}
		setRandom(rng, f)
	}
}

func setRandom(rng *rand.Rand, f reflect.Value) {
	switch f.Kind() {
	case reflect.String:
		f.SetString(randomQueryString(rng))
	case reflect.Int:
		f.SetInt(int64(rng.IntN(2001) - 1000))
	case reflect.Bool:
		f.SetBool(rng.IntN(2) == 0)
	case reflect.Pointer:
		p := reflect.New(f.Type().Elem())
		if rng.IntN(2) == 0 {
			setRandom(rng, p.Elem())
		}
		f.Set(p)
	case reflect.Slice:
		n := rng.IntN(4)
		s := reflect.MakeSlice(f.Type(), n, n)
		for j := range n {
			setRandom(rng, s.Index(j))
		}
		f.Set(s)
	default:
		panic("no random value for " + f.Type().String())
	}
}

// randomQueryString returns a short string mixing plain bytes with bytes that
// need escaping in a query, multi-byte UTF-8 and invalid UTF-8.
func randomQueryString(rng *rand.Rand) string {
	const pieces = "aZ09-_.~ +&=?#%/,;:@!$'()*[]\"<>\\^`{|}\x00\x1f\x7f\xffé€"
	var b strings.Builder
	for range rng.IntN(12) {
		if rng.IntN(4) == 0 {
			r := []rune(pieces)
			b.WriteRune(r[rng.IntN(len(r))])
		} else {
			b.WriteByte(pieces[rng.IntN(len(pieces))])
		}
	}
	return b.String()
}

func TestAppendQueryEscapeMatchesQueryEscape(t *testing.T) {
	t.Parallel()
	var all []byte
	for b := range 256 {
		all = append(all, byte(b))
	}
	assert.Equal(t, url.QueryEscape(string(all)), string(appendQueryEscape(nil, string(all))))
	rng := rand.New(rand.NewPCG(5, 6))
	for range 5000 {
		s := randomQueryString(rng)
		require.Equal(t, url.QueryEscape(s), string(appendQueryEscape([]byte("k="), s))[2:], "%q", s)
	}
}

// TestJoinedURLMatchesParse: the URL buildURL joins, without parsing the whole
// URL, is what url.Parse made of the base URL and the path: the same path as
// sent (EscapedPath, RequestURI), the same Path, and the same errors.
func TestJoinedURLMatchesParse(t *testing.T) {
	t.Parallel()
	bases := []string{
		"https://api.example.test/v1/",
		"http://127.0.0.1:8080/",
		"https://h.example/a%20b/c%2Fd/",
		"http://[::1]:9/x/",
		"https://h.example:/api/",
	}
	segments := []string{"a", "b c", "a/b", "%", "x%2Fy", "é", "a;b", "?", "#f", "..", ".", "a+b", "~u", "$&'()*,=:@!", "[x]", "\x7f", "%zz", "%2", "a\\b"}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, base := range bases {
		c, err := NewClient(WithBaseURL(base))
		require.NoError(t, err)
		var paths []string
		for _, s := range segments {
			paths = append(paths, s, url.PathEscape(s), "things/"+url.PathEscape(s)+"/name", "things/"+s)
		}
		for range 500 {
			var p []string
			for range 1 + rng.IntN(4) {
				s := segments[rng.IntN(len(segments))]
				if rng.IntN(2) == 0 {
					s = url.PathEscape(s)
				}
				p = append(p, s)
			}
			paths = append(paths, strings.Join(p, "/"))
		}
		for _, p := range paths {
			want, wantErr := url.Parse(c.BaseURL() + p)
			var got url.URL
			var scratch [64]byte
			gotErr := c.buildURL(&got, p, nil, nil, &scratch)
			if wantErr != nil {
				require.Error(t, gotErr, "%s + %q", base, p)
				assert.Equal(t, redactParseError(wantErr).Error(), gotErr.Error(), "%s + %q", base, p)
				continue
			}
			require.NoError(t, gotErr, "%s + %q", base, p)
			assert.Equal(t, want.EscapedPath(), got.EscapedPath(), "%s + %q", base, p)
			assert.Equal(t, want.RequestURI(), got.RequestURI(), "%s + %q", base, p)
			assert.Equal(t, want.Path, got.Path, "%s + %q", base, p)
			assert.Equal(t, want.Scheme, got.Scheme)
			assert.Equal(t, requestHost(want.Host), got.Host)
			assert.Equal(t, want.RawQuery, got.RawQuery)
		}
	}
}

// TestGetGoesOutAsAPlainGet: a GET (which the SDK gives an empty body that
// net/http cannot rewind, so that net/http never re-sends it on its own) goes out
// exactly as a GET without a body: neither Content-Length nor Transfer-Encoding,
// and nothing after the head. Two GETs on one connection are read back to back,
// which stray body bytes (a chunked "0\r\n\r\n") would break.
func TestGetGoesOutAsAPlainGet(t *testing.T) {
	t.Parallel()
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var heads []string // written by the server goroutine, read after done
	conns := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conns++
			br := bufio.NewReader(conn)
			for {
				var head strings.Builder
				for line := ""; line != "\r\n"; {
					if line, err = br.ReadString('\n'); err != nil {
						break
					}
					head.WriteString(line)
				}
				if err != nil {
					break
				}
				heads = append(heads, head.String())
				body := `{"success":true,"connector":{"_key":"c1","name":"n","type":"Drive"}}`
				_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n\r\n"+body)
			}
			_ = conn.Close()
		}
	}()
	c, err := NewClient(WithBaseURL("http://"+ln.Addr().String()+"/api/v1/"), WithBearerToken(testToken))
	require.NoError(t, err)
	for range 2 {
		_, _, err := c.ConnectorInstances.Get(context.Background(), "c1", nil)
		assert.NoError(t, err)
	}
	c.CloseIdleConnections()
	_ = ln.Close()
	<-done
	assert.Equal(t, 1, conns, "both GETs on one connection")
	require.Len(t, heads, 2, "two requests, nothing else")
	for _, h := range heads {
		lines := strings.Split(strings.TrimSuffix(h, "\r\n\r\n"), "\r\n")
		assert.Equal(t, "GET /api/v1/connectors/c1 HTTP/1.1", lines[0])
		var names []string
		for _, l := range lines[1:] {
			name, _, _ := strings.Cut(l, ":")
			names = append(names, http.CanonicalHeaderKey(name))
		}
		slices.Sort(names)
		assert.Equal(t, []string{"Accept", "Accept-Encoding", "Authorization", "Host", "User-Agent"}, names)
	}
}
