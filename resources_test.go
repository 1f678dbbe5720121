package connapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go/models"
	"github.com/connapi/connapi-go/pagination"
)

// stackFileJSON and stackDirJSON are a StackFile and a StackDirectory.
const stackFileJSON = `{
  "knowledge_base_id": "00000000-0000-0000-0000-000000000000",
  "created_at": "2025-03-02T09:10:11.5+00:00",
  "modified_at": "2025-03-04T16:20:00+00:00",
  "indexed_at": null,
  "inode_type": "file",
  "resource_id": "1AbCdEfGhIjKlMnOpQrStUvWxYz",
  "inode_path": {"path": "Reports/2025/q1.pdf"},
  "dataloader_metadata": {"last_modified_by": "ana@example.com", "web_url": "https://drive.google.com/file/d/1AbC"},
  "user_metadata": {},
  "inode_id": null,
  "content_hash": "d41d8cd98f00b204e9800998ecf8427e",
  "content_mime": "application/pdf",
  "size": 482113,
  "status": "resource",
  "thumbnail": "ignored"
}`

const stackDirJSON = `{
  "knowledge_base_id": "00000000-0000-0000-0000-000000000000",
  "created_at": null,
  "modified_at": "2025-02-01T00:00:00Z",
  "indexed_at": null,
  "inode_type": "directory",
  "resource_id": "1ZyXwVuTsRqPoNmLkJiHgFeDcBa",
  "inode_path": {"path": "Reports/2025"},
  "dataloader_metadata": {},
  "user_metadata": {},
  "inode_id": null
}`

func TestResourcesGet(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /connections/{id}/resources", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, stackConnID, r.PathValue("id"))
		testQuery(t, r, url.Values{
			"resource_ids":         {"1AbCdEfGhIjKlMnOpQrStUvWxYz", "1ZyXwVuTsRqPoNmLkJiHgFeDcBa", "gone"},
			"refresh_oauth_tokens": {"true"},
		})
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, `{"1AbCdEfGhIjKlMnOpQrStUvWxYz": `+stackFileJSON+`, "1ZyXwVuTsRqPoNmLkJiHgFeDcBa": `+stackDirJSON+`, "gone": null}`)
	})
	got, _, err := c.Resources.Get(context.Background(), stackConnID, &GetResourcesParams{
		ResourceIDs:        []string{"1AbCdEfGhIjKlMnOpQrStUvWxYz", "1ZyXwVuTsRqPoNmLkJiHgFeDcBa", "gone"},
		RefreshOAuthTokens: true,
	})
	require.NoError(t, err)
	require.Len(t, got, 3)

	f := got["1AbCdEfGhIjKlMnOpQrStUvWxYz"]
	require.NotNil(t, f)
	assert.Equal(t, models.InodeTypeFile, f.InodeType)
	assert.False(t, f.IsDirectory())
	assert.Equal(t, "Reports/2025/q1.pdf", f.InodePath.Path)
	assert.Equal(t, models.ResourceStatusResource, f.Status)
	assert.EqualValues(t, 482113, f.Size)
	assert.Equal(t, "application/pdf", f.ContentMime)
	assert.Equal(t, "d41d8cd98f00b204e9800998ecf8427e", f.ContentHash)
	assert.Equal(t, time.Date(2025, 3, 2, 9, 10, 11, 500000000, time.UTC), f.CreatedAt.UTC())
	assert.True(t, f.IndexedAt.IsZero())
	assert.Empty(t, f.InodeID)
	assert.Equal(t, "ana@example.com", f.DataloaderMetadata["last_modified_by"])

	d := got["1ZyXwVuTsRqPoNmLkJiHgFeDcBa"]
	require.NotNil(t, d)
	assert.True(t, d.IsDirectory())
	assert.True(t, d.CreatedAt.IsZero())
	assert.Zero(t, d.Size)

	v, ok := got["gone"]
	assert.True(t, ok, "a null entry keeps its key")
	assert.Nil(t, v)
}

// resource_ids is optional on the page: without IDs the request carries none.
func TestResourcesGetWithoutIDs(t *testing.T) {
	t.Parallel()
	for name, p := range map[string]*GetResourcesParams{
		"nil params": nil,
		"no ids":     {},
		"refresh":    {RefreshOAuthTokens: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /connections/{id}/resources", func(w http.ResponseWriter, r *http.Request) {
				want := url.Values{}
				if p != nil && p.RefreshOAuthTokens {
					want.Set("refresh_oauth_tokens", "true")
				}
				testQuery(t, r, want)
				writeJSON(w, http.StatusOK, `{}`)
			})
			got, _, err := c.Resources.Get(context.Background(), stackConnID, p)
			require.NoError(t, err)
			assert.NotNil(t, got)
			assert.Empty(t, got)
		})
	}
}

func TestResourceInodePathShapes(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		`{"resource_id": "a", "inode_path": {"path": "x/y.txt"}}`: "x/y.txt",
		`{"resource_id": "a", "inode_path": "x/y.txt"}`:           "x/y.txt",
		`{"resource_id": "a", "inode_path": null}`:                "",
		`{"resource_id": "a"}`:                                    "",
	} {
		var r models.Resource
		require.NoError(t, json.Unmarshal([]byte(body), &r), body)
		assert.Equal(t, want, r.InodePath.Path, body)
	}
}

func TestResourcesChildren(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /connections/{id}/resources/children", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, stackConnID, r.PathValue("id"))
		testNoBody(t, r)
		if r.URL.Query().Has("resource_id") {
			testQuery(t, r, url.Values{"resource_id": {"1ZyXwVuTsRqPoNmLkJiHgFeDcBa"}, "cursor": {"eyJvZmZzZXQiOjJ9"}, "page_size": {"1000"}})
			writeJSON(w, http.StatusOK, `{"data": [`+stackFileJSON+`], "next_cursor": null, "current_cursor": "eyJvZmZzZXQiOjJ9"}`)
			return
		}
		testQuery(t, r, nil)
		writeJSON(w, http.StatusOK, `{"data": [`+stackDirJSON+`], "next_cursor": "eyJvZmZzZXQiOjJ9", "current_cursor": null}`)
	})
	root, _, err := c.Resources.Children(context.Background(), stackConnID, nil)
	require.NoError(t, err)
	require.Len(t, root.Data, 1)
	assert.True(t, root.Data[0].IsDirectory())
	assert.Equal(t, "eyJvZmZzZXQiOjJ9", root.NextCursor)
	assert.Empty(t, root.CurrentCursor)

	sub, _, err := c.Resources.Children(context.Background(), stackConnID, &ListChildrenParams{
		ResourceID: "1ZyXwVuTsRqPoNmLkJiHgFeDcBa", Cursor: "eyJvZmZzZXQiOjJ9", PageSize: 1000,
	})
	require.NoError(t, err)
	require.Len(t, sub.Data, 1)
	assert.Empty(t, sub.NextCursor)
	assert.Equal(t, "eyJvZmZzZXQiOjJ9", sub.CurrentCursor)
}

// stackCursorServer serves pages of resources by cursor: "" → c1 → c2 → end.
func stackCursorServer(t *testing.T, mux *http.ServeMux, pattern string, fixed url.Values) (*atomic.Int32, func() []string) {
	t.Helper()
	pages := map[string]struct {
		ids  []string
		next string
	}{
		"":   {[]string{"r0", "r1"}, "c1"},
		"c1": {nil, "c2"}, // an empty page in the middle
		"c2": {[]string{"r2"}, ""},
	}
	var n atomic.Int32
	var mu sync.Mutex
	var cursors []string
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		cur := r.URL.Query().Get("cursor")
		mu.Lock()
		cursors = append(cursors, cur)
		mu.Unlock()
		want := cloneValues(fixed)
		if cur != "" {
			want.Set("cursor", cur)
		}
		testQuery(t, r, want)
		pg := pages[cur]
		items := make([]string, 0, len(pg.ids))
		for _, id := range pg.ids {
			items = append(items, fmt.Sprintf(`{"resource_id": %q, "inode_type": "file", "inode_path": {"path": "docs/%s.txt"}, "status": "indexed"}`, id, id))
		}
		next := "null"
		if pg.next != "" {
			next = `"` + pg.next + `"`
		}
		data := "[" + strings.Join(items, ",") + "]"
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"data": %s, "next_cursor": %s, "current_cursor": %q}`, data, next, cur))
	})
	return &n, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), cursors...)
	}
}

func stackResourceIDs(rs []*models.Resource) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.ResourceID)
	}
	return out
}

func TestResourcesChildrenIter(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	n, cursors := stackCursorServer(t, mux, "GET /connections/{id}/resources/children",
		url.Values{"resource_id": {"folder-1"}, "page_size": {"2"}})
	p := &ListChildrenParams{ResourceID: "folder-1", PageSize: 2}
	seq := c.Resources.ChildrenIter(context.Background(), stackConnID, p)
	assert.EqualValues(t, 0, n.Load())

	got, err := pagination.Collect(seq)
	require.NoError(t, err)
	assert.Equal(t, []string{"r0", "r1", "r2"}, stackResourceIDs(got))
	assert.Equal(t, []string{"", "c1", "c2"}, cursors())
	assert.EqualValues(t, 3, n.Load())

	for r, err := range seq {
		require.NoError(t, err)
		assert.Equal(t, "r0", r.ResourceID)
		break
	}
	assert.EqualValues(t, 4, n.Load(), "break after the first item sends exactly one request")

	again, err := pagination.Collect(seq)
	require.NoError(t, err)
	assert.Equal(t, stackResourceIDs(got), stackResourceIDs(again), "ranging twice starts over")
	assert.Equal(t, ListChildrenParams{ResourceID: "folder-1", PageSize: 2}, *p)
}

func TestResourcesChildrenIterStalledCursor(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var n atomic.Int32
	mux.HandleFunc("GET /connections/{id}/resources/children", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeJSON(w, http.StatusOK, `{"data": [{"resource_id": "r", "inode_type": "file"}], "next_cursor": "same", "current_cursor": "same"}`)
	})
	got, err := pagination.Collect(c.Resources.ChildrenIter(context.Background(), stackConnID, nil))
	assert.ErrorIs(t, err, pagination.ErrPaginationStalled)
	assert.Len(t, got, 1, "the repeated page is not yielded again")
	assert.EqualValues(t, 2, n.Load())
}

func TestResourcesSearch(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /connections/{id}/resources/search", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, stackConnID, r.PathValue("id"))
		testQuery(t, r, url.Values{"query": {"quarterly report & forecast"}, "page_size": {"20"}, "cursor": {"abc"}})
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, `{"data": [`+stackFileJSON+`], "next_cursor": "def", "current_cursor": "abc"}`)
	})
	page, _, err := c.Resources.Search(context.Background(), stackConnID, &SearchResourcesParams{Query: "quarterly report & forecast", PageSize: 20, Cursor: "abc"})
	require.NoError(t, err)
	require.Len(t, page.Data, 1)
	assert.Equal(t, "def", page.NextCursor)
}

func TestResourcesSearchIter(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	n, cursors := stackCursorServer(t, mux, "GET /connections/{id}/resources/search", url.Values{"query": {"budget"}})
	seq := c.Resources.SearchIter(context.Background(), stackConnID, &SearchResourcesParams{Query: "budget"})
	got, err := pagination.Collect(seq)
	require.NoError(t, err)
	assert.Equal(t, []string{"r0", "r1", "r2"}, stackResourceIDs(got))
	assert.Equal(t, []string{"", "c1", "c2"}, cursors())
	for _, err := range seq {
		require.NoError(t, err)
		break
	}
	assert.EqualValues(t, 4, n.Load())
}

func TestResourcesValidation(t *testing.T) {
	t.Parallel()
	c, n := noRequestClient(t)
	ctx := context.Background()
	collect := func(seq func(func(*models.Resource, error) bool)) error {
		_, err := pagination.Collect(seq)
		return err
	}
	calls := map[string]struct {
		call  func() error
		words []string
	}{
		"get bad id": {func() error {
			_, _, err := c.Resources.Get(ctx, "x", &GetResourcesParams{ResourceIDs: []string{"a"}})
			return err
		}, []string{"UUID"}},
		"children bad id": {func() error { _, _, err := c.Resources.Children(ctx, "", nil); return err }, []string{"connection ID"}},
		"children page 0 is default, -1 is not": {func() error {
			_, _, err := c.Resources.Children(ctx, stackConnID, &ListChildrenParams{PageSize: -1})
			return err
		}, []string{"page_size"}},
		"children page 1001": {func() error {
			_, _, err := c.Resources.Children(ctx, stackConnID, &ListChildrenParams{PageSize: 1001})
			return err
		}, []string{"page_size", "1000"}},
		"children iter page": {func() error {
			return collect(c.Resources.ChildrenIter(ctx, stackConnID, &ListChildrenParams{PageSize: 5000}))
		}, []string{"page_size"}},
		"children iter bad id": {func() error { return collect(c.Resources.ChildrenIter(ctx, "root", nil)) }, []string{"UUID"}},
		"search nil":           {func() error { _, _, err := c.Resources.Search(ctx, stackConnID, nil); return err }, []string{"query"}},
		"search empty": {func() error {
			_, _, err := c.Resources.Search(ctx, stackConnID, &SearchResourcesParams{Query: ""})
			return err
		}, []string{"query"}},
		"search page": {func() error {
			_, _, err := c.Resources.Search(ctx, stackConnID, &SearchResourcesParams{Query: "a", PageSize: 1001})
			return err
		}, []string{"page_size"}},
		"search bad id": {func() error {
			_, _, err := c.Resources.Search(ctx, "x", &SearchResourcesParams{Query: "a"})
			return err
		}, []string{"UUID"}},
		"search iter nil": {func() error { return collect(c.Resources.SearchIter(ctx, stackConnID, nil)) }, []string{"query"}},
		"search iter nil ctx": {func() error {
			var nilCtx context.Context
			return collect(c.Resources.SearchIter(nilCtx, stackConnID, &SearchResourcesParams{Query: "a"}))
		}, []string{"context"}},
	}
	for name, tc := range calls {
		t.Run(name, func(t *testing.T) {
			assertInvalidParams(t, tc.call(), tc.words...)
		})
	}
	assert.EqualValues(t, 0, n.Load())
}
