package connapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go/models"
	"github.com/connapi/connapi-go/pagination"
)

// Stack AI fixtures, shaped like the vendor's documented payloads (vendor-apis.md §2).
const (
	stackConnID  = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
	stackConnID2 = "7a2d3b4c-5e6f-4a71-9b8c-0d1e2f3a4b5c"
	stackUserID  = "0b8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
	stackUser2ID = "1c9f8e7d-6c5b-4a43-9281-7a6f5e4d3c2b"
	stackGroupID = "2d0a9f8e-7d6c-4b54-a392-8b7a6f5e4d3c"
)

// stackConnectionJSON is a connection of the newer API, with an unknown field.
var stackConnectionJSON = `{
  "connection_id": "` + stackConnID + `",
  "created_by": {
    "avatar_url": null,
    "full_name": "Ana Lima",
    "has_completed_onboarding": true,
    "last_signed_in": "2025-11-09T08:15:00.123456+00:00",
    "updated_at": "2025-10-01T12:00:00+00:00",
    "id": "` + stackUserID + `",
    "email": "ana@example.com"
  },
  "created_at": "2025-11-10T10:49:18.436394+00:00",
  "updated_by": {
    "avatar_url": "https://cdn.example.com/u/2.png",
    "full_name": null,
    "has_completed_onboarding": false,
    "last_signed_in": null,
    "updated_at": null,
    "id": "` + stackUser2ID + `",
    "email": "ben@example.com"
  },
  "updated_at": "2025-11-10T10:49:18.436438+00:00",
  "name": "Marketing Drive",
  "org_id": "org_5e6f7a8b",
  "provider_id": "gdrive",
  "connection_type_id": "gdrive_oauth",
  "connection_provider_data": {"can_be_knowledge_base": true, "scopes": ["drive.readonly"]},
  "knowledge_base_count": 3
}`

// stackLegacyConnectionJSON is a connection of the older API (2025-07 docs).
var stackLegacyConnectionJSON = `{
  "name": "Unnamed connection",
  "connection_id": "` + stackConnID2 + `",
  "user_id": "` + stackUserID + `",
  "org_id": "org_5e6f7a8b",
  "share_with_org": false,
  "created_at": "2025-07-14T13:09:58.138555+00:00",
  "updated_at": "2025-07-14T13:09:58.138644+00:00",
  "connection_provider": "notion",
  "connection_provider_data": {"can_be_knowledge_base": true},
  "created_by": {"id": "` + stackUserID + `", "email": "ana@example.com", "full_name": "Ana Lima"}
}`

// stackConnPage returns a stackBare array of n minimal connections numbered from first.
func stackConnPage(first, n int) string {
	s := "["
	for i := range n {
		if i > 0 {
			s += ","
		}
		s += fmt.Sprintf(`{"connection_id":"00000000-0000-4000-8000-%012d","name":"conn %d","provider_id":"gdrive","connection_type_id":"gdrive"}`, first+i, first+i)
	}
	return s + "]"
}

func stackNames(t *testing.T, conns []*models.Connection) []string {
	t.Helper()
	out := make([]string, 0, len(conns))
	for _, c := range conns {
		out = append(out, c.Name)
	}
	return out
}

func TestConnectionsListAvailable(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /connections/available", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, nil)
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, `[
		  {"connection_type_id": "gdrive_oauth", "provider_id": "gdrive", "name": "Google Drive",
		   "description": "Index files from Google Drive", "labels": ["storage", "knowledge base"],
		   "params": [
		     {"label": "Folder", "type": "string", "placeholder": "root", "default": "root", "help": "Folder to sync", "url": null, "required": false, "name": "folder"},
		     {"label": "Max files", "type": "number", "placeholder": "", "default": 500, "help": null, "url": null, "required": false, "name": "max_files"},
		     {"label": "Token", "type": "password", "placeholder": "", "default": null, "help": "", "url": "https://example.com/help", "required": true, "name": "token"}
		   ],
		   "minimum_plan": "starter", "color": "#A3A3A3", "is_marketing_stunt": false, "connection_type": "oauth"},
		  {"icon": "notion.svg", "id": "notion", "name": "Notion", "description": "", "labels": [], "params": [],
		   "minimum_plan": "free", "is_marketing_stunt": true, "connection_type": "credentials", "beta": true}
		]`)
	})
	got, resp, err := c.Connections.ListAvailable(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, got, 2)
	g := got[0]
	assert.Equal(t, "gdrive_oauth", g.ConnectionTypeID)
	assert.Equal(t, "gdrive", g.ProviderID)
	assert.Equal(t, models.ConnectionTypeOAuth, g.ConnectionType)
	assert.Equal(t, []string{"storage", "knowledge base"}, g.Labels)
	assert.Equal(t, "#A3A3A3", g.Color)
	require.Len(t, g.Params, 3)
	assert.Equal(t, "root", g.Params[0].Default)
	assert.Equal(t, float64(500), g.Params[1].Default)
	assert.Nil(t, g.Params[2].Default)
	assert.True(t, g.Params[2].Required)
	assert.Equal(t, "https://example.com/help", g.Params[2].URL)
	assert.Equal(t, "notion", got[1].ID)
	assert.Equal(t, "notion.svg", got[1].Icon)
	assert.True(t, got[1].IsMarketingStunt)
	assert.Equal(t, models.ConnectionTypeCredentials, got[1].ConnectionType)
}

func TestConnectionsList(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /connections", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, url.Values{"connection_provider": {"gdrive"}, "limit": {"50"}, "offset": {"100"}})
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, "["+stackConnectionJSON+","+stackLegacyConnectionJSON+"]")
	})
	got, _, err := c.Connections.List(context.Background(), &ListConnectionsParams{ConnectionProvider: "gdrive", Limit: 50, Offset: 100})
	require.NoError(t, err)
	require.Len(t, got, 2)

	n := got[0]
	assert.Equal(t, stackConnID, n.ConnectionID)
	assert.Equal(t, "Marketing Drive", n.Name)
	assert.Equal(t, "org_5e6f7a8b", n.OrgID)
	assert.Equal(t, "gdrive", n.ProviderID)
	assert.Equal(t, "gdrive_oauth", n.ConnectionTypeID)
	assert.Equal(t, true, n.ConnectionProviderData["can_be_knowledge_base"])
	assert.Equal(t, time.Date(2025, 11, 10, 10, 49, 18, 436394000, time.UTC), n.CreatedAt.UTC())
	require.NotNil(t, n.CreatedBy)
	assert.Equal(t, stackUserID, n.CreatedBy.ID)
	assert.Equal(t, "Ana Lima", n.CreatedBy.FullName)
	assert.Empty(t, n.CreatedBy.AvatarURL)
	assert.True(t, n.CreatedBy.HasCompletedOnboarding)
	assert.Equal(t, 2025, n.CreatedBy.LastSignedIn.Year())
	require.NotNil(t, n.UpdatedBy)
	assert.Equal(t, "ben@example.com", n.UpdatedBy.Email)
	assert.True(t, n.UpdatedBy.LastSignedIn.IsZero())
	assert.Nil(t, n.ShareWithOrg)

	o := got[1]
	assert.Equal(t, "notion", o.ConnectionProvider)
	assert.Equal(t, stackUserID, o.UserID)
	require.NotNil(t, o.ShareWithOrg)
	assert.False(t, *o.ShareWithOrg)
	assert.Nil(t, o.UpdatedBy)
}

func TestConnectionsListNilParams(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /connections", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, nil)
		writeJSON(w, http.StatusOK, `[]`)
	})
	got, _, err := c.Connections.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, got)
}

// stackOffsetServer serves total connections as stackBare arrays by limit/offset on
// path, and counts requests and records their queries.
func stackOffsetServer(t *testing.T, mux *http.ServeMux, pattern string, total int, wrap func(items string, off, total int) string) (*atomic.Int32, func() []url.Values) {
	t.Helper()
	var n atomic.Int32
	var mu sync.Mutex
	var queries []url.Values
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		mu.Lock()
		queries = append(queries, r.URL.Query())
		mu.Unlock()
		limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
		require.NoError(t, err, "limit must always be sent by the iterator")
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		cnt := max(0, min(limit, total-off))
		writeJSON(w, http.StatusOK, wrap(stackConnPage(off, cnt), off, total))
	})
	return &n, func() []url.Values {
		mu.Lock()
		defer mu.Unlock()
		return append([]url.Values(nil), queries...)
	}
}

func stackBare(items string, _, _ int) string { return items }

func TestConnectionsListIter(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	n, queries := stackOffsetServer(t, mux, "GET /connections", 5, stackBare)
	got, err := pagination.Collect(c.Connections.ListIter(context.Background(), &ListConnectionsParams{Limit: 2, ConnectionProvider: "gdrive"}))
	require.NoError(t, err)
	assert.Equal(t, []string{"conn 0", "conn 1", "conn 2", "conn 3", "conn 4"}, stackNames(t, got))
	assert.EqualValues(t, 3, n.Load())
	assert.Equal(t, []url.Values{
		{"connection_provider": {"gdrive"}, "limit": {"2"}},
		{"connection_provider": {"gdrive"}, "limit": {"2"}, "offset": {"2"}},
		{"connection_provider": {"gdrive"}, "limit": {"2"}, "offset": {"4"}},
	}, queries())
}

func TestConnectionsListIterExactMultipleAndDefaultLimit(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	n, _ := stackOffsetServer(t, mux, "GET /connections", 4, stackBare)
	got, err := pagination.Collect(c.Connections.ListIter(context.Background(), &ListConnectionsParams{Limit: 2, Offset: 0}))
	require.NoError(t, err)
	assert.Len(t, got, 4)
	assert.EqualValues(t, 3, n.Load(), "a full last page needs one more, empty, page")

	c2, mux2 := setup(t)
	_, queries2 := stackOffsetServer(t, mux2, "GET /connections", 3, stackBare)
	got, err = pagination.Collect(c2.Connections.ListIter(context.Background(), nil))
	require.NoError(t, err)
	assert.Len(t, got, 3)
	assert.Equal(t, []url.Values{{"limit": {"1000"}}}, queries2())
}

func TestConnectionsListIterBreakAndRestart(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	n, _ := stackOffsetServer(t, mux, "GET /connections", 5, stackBare)
	p := &ListConnectionsParams{Limit: 2}
	seq := c.Connections.ListIter(context.Background(), p)
	assert.EqualValues(t, 0, n.Load(), "lazy: nothing before the first step")
	for conn, err := range seq {
		require.NoError(t, err)
		assert.Equal(t, "conn 0", conn.Name)
		break
	}
	assert.EqualValues(t, 1, n.Load(), "break after the first item sends exactly one request")

	first, err := pagination.Collect(seq)
	require.NoError(t, err)
	second, err := pagination.Collect(seq)
	require.NoError(t, err)
	assert.Equal(t, stackNames(t, first), stackNames(t, second), "ranging twice starts over")
	assert.Len(t, first, 5)
	assert.EqualValues(t, 1+3+3, n.Load())
	assert.Equal(t, ListConnectionsParams{Limit: 2}, *p, "caller params untouched")
}

func TestConnectionsListIterError(t *testing.T) {
	t.Parallel()
	c, mux := setup(t, WithoutRetries())
	var n atomic.Int32
	mux.HandleFunc("GET /connections", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			writeJSON(w, http.StatusOK, stackConnPage(0, 2))
			return
		}
		writeJSON(w, http.StatusUnauthorized, `{"detail": "Could not validate credentials"}`)
	})
	var items, errs int
	for _, err := range c.Connections.ListIter(context.Background(), &ListConnectionsParams{Limit: 2}) {
		if err != nil {
			errs++
			assert.ErrorIs(t, err, ErrUnauthorized)
			assert.Contains(t, err.Error(), "Could not validate credentials")
			continue
		}
		items++
	}
	assert.Equal(t, 2, items)
	assert.Equal(t, 1, errs)
}

func TestConnectionsListPaginated(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /api/v1/connections", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, url.Values{
			"limit":                  {"25"},
			"offset":                 {"50"},
			"sort_by":                {"created_at"},
			"sort_dir":               {"desc"},
			"name__icontains":        {"drive"},
			"provider_id":            {"gdrive"},
			"created_at__gte":        {"2025-01-01T00:00:00Z"},
			"connection_type_id__in": {"gdrive", "gdrive_oauth"},
		})
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, `{"items": [`+stackConnectionJSON+`], "total": 51, "limit": 25, "offset": 50}`)
	})
	p := &ListPaginatedConnectionsParams{
		Limit: 25, Offset: 50, SortBy: "created_at", SortDir: SortDesc,
		Filters: []ConnectionFilter{
			{Field: "name", Operator: "icontains", Value: "drive"},
			{Field: "provider_id", Value: "gdrive"},
			{Field: "created_at", Operator: "gte", Value: "2025-01-01T00:00:00Z"},
			{Field: "connection_type_id", Operator: "in", Value: "gdrive"},
			{Field: "connection_type_id", Operator: "in", Value: "gdrive_oauth"},
		},
	}
	page, _, err := c.Connections.ListPaginated(context.Background(), p)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, "Marketing Drive", page.Items[0].Name)
	require.NotNil(t, page.Total)
	assert.Equal(t, 51, *page.Total)
	require.NotNil(t, page.Limit)
	assert.Equal(t, 25, *page.Limit)
	require.NotNil(t, page.Offset)
	assert.Equal(t, 50, *page.Offset)
	assert.Nil(t, page.HasMore)
}

func TestConnectionsListPaginatedEnvelopes(t *testing.T) {
	t.Parallel()
	one := "[" + stackConnectionJSON + "]"
	cases := []struct {
		name    string
		body    string
		total   *int
		hasMore *bool
	}{
		{"stackBare array", one, nil, nil},
		{"items and total", `{"items": ` + one + `, "total": 7}`, Ptr(7), nil},
		{"data and total", `{"data": ` + one + `, "total": 7, "page": 1}`, Ptr(7), nil},
		{"data null items", `{"data": null, "items": ` + one + `}`, nil, nil},
		{"results count has_more", `{"results": ` + one + `, "count": 7, "has_more": true}`, Ptr(7), Ptr(true)},
		{"total_count has_next_page", `{"items": ` + one + `, "total_count": 7, "has_next_page": false}`, Ptr(7), Ptr(false)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /api/v1/connections", func(w http.ResponseWriter, r *http.Request) {
				testQuery(t, r, nil)
				writeJSON(w, http.StatusOK, tc.body)
			})
			page, _, err := c.Connections.ListPaginated(context.Background(), nil)
			require.NoError(t, err)
			require.Len(t, page.Items, 1)
			assert.Equal(t, stackConnID, page.Items[0].ConnectionID)
			assert.Equal(t, tc.total, page.Total)
			assert.Equal(t, tc.hasMore, page.HasMore)
		})
	}
}

func TestConnectionsListPaginatedIter(t *testing.T) {
	t.Parallel()
	envelopes := map[string]func(items string, off, total int) string{
		"stackBare array": stackBare,
		"items and total": func(items string, _, total int) string {
			return fmt.Sprintf(`{"items": %s, "total": %d}`, items, total)
		},
		"data and has_more": func(items string, off, total int) string {
			return fmt.Sprintf(`{"data": %s, "has_more": %t}`, items, off+2 < total)
		},
	}
	for name, wrap := range envelopes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			n, queries := stackOffsetServer(t, mux, "GET /api/v1/connections", 5, wrap)
			p := &ListPaginatedConnectionsParams{Limit: 2, SortBy: "name", SortDir: SortAsc,
				Filters: []ConnectionFilter{{Field: "name", Operator: "icontains", Value: "conn"}}}
			got, err := pagination.Collect(c.Connections.ListPaginatedIter(context.Background(), p))
			require.NoError(t, err)
			assert.Equal(t, []string{"conn 0", "conn 1", "conn 2", "conn 3", "conn 4"}, stackNames(t, got))
			assert.EqualValues(t, 3, n.Load())
			base := url.Values{"limit": {"2"}, "sort_by": {"name"}, "sort_dir": {"asc"}, "name__icontains": {"conn"}}
			for i, q := range queries() {
				want := cloneValues(base)
				if i > 0 {
					want.Set("offset", strconv.Itoa(2*i))
				}
				assert.Equal(t, want, q, "page %d", i)
			}
		})
	}
}

func TestConnectionsListPaginatedIterDefaultLimitBreakRestart(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	n, queries := stackOffsetServer(t, mux, "GET /api/v1/connections", 25, stackBare)
	seq := c.Connections.ListPaginatedIter(context.Background(), nil)
	for _, err := range seq {
		require.NoError(t, err)
		break
	}
	assert.EqualValues(t, 1, n.Load())
	assert.Equal(t, url.Values{"limit": {"10"}}, queries()[0])
	a, err := pagination.Collect(seq)
	require.NoError(t, err)
	b, err := pagination.Collect(seq)
	require.NoError(t, err)
	assert.Len(t, a, 25)
	assert.Equal(t, stackNames(t, a), stackNames(t, b))
}

func TestConnectionsCreate(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("POST /connections", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, nil)
		testJSONBody(t, r, `{"name": "Marketing Drive", "provider_id": "gdrive", "connection_type_id": "gdrive_oauth",
			"connection_provider_data": {"folder": "<root> & more", "max_files": 500}}`)
		writeJSON(w, http.StatusCreated, stackConnectionJSON)
	})
	conn, resp, err := c.Connections.Create(context.Background(), &models.ConnectionRequest{
		Name: "Marketing Drive", ProviderID: "gdrive", ConnectionTypeID: "gdrive_oauth",
		ConnectionProviderData: map[string]any{"folder": "<root> & more", "max_files": 500},
	})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, stackConnID, conn.ConnectionID)
}

func TestConnectionsCreateNilProviderData(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("POST /connections", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"provider_id": "slack", "connection_type_id": "slack", "connection_provider_data": {}}`)
		writeJSON(w, http.StatusCreated, stackConnectionJSON)
	})
	_, _, err := c.Connections.Create(context.Background(), &models.ConnectionRequest{ProviderID: "slack", ConnectionTypeID: "slack"})
	require.NoError(t, err)
}

func TestConnectionsGet(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /connections/{id}", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, stackConnID, r.PathValue("id"))
		if r.URL.Query().Has("refresh_oauth_tokens") {
			testQuery(t, r, url.Values{"refresh_oauth_tokens": {"true"}})
		}
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, stackConnectionJSON)
	})
	conn, _, err := c.Connections.Get(context.Background(), stackConnID, &GetConnectionParams{RefreshOAuthTokens: true})
	require.NoError(t, err)
	assert.Equal(t, "Marketing Drive", conn.Name)
	conn, _, err = c.Connections.Get(context.Background(), stackConnID, nil)
	require.NoError(t, err)
	assert.Equal(t, stackConnID, conn.ConnectionID)
}

func TestConnectionsGetErrors(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /connections/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == stackConnID {
			writeJSON(w, http.StatusNotFound, `{"detail": "Connection not found"}`)
			return
		}
		writeJSON(w, http.StatusUnprocessableEntity, `{"detail": [{"loc": ["query", "refresh_oauth_tokens"], "msg": "Input should be a valid boolean", "type": "bool_parsing"}]}`)
	})
	_, resp, err := c.Connections.Get(context.Background(), stackConnID, nil)
	require.Error(t, err)
	require.NotNil(t, resp)
	assert.ErrorIs(t, err, ErrNotFound)
	var ae *APIError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, "Connection not found", ae.Message)

	_, _, err = c.Connections.Get(context.Background(), stackConnID2, nil)
	assert.ErrorIs(t, err, ErrValidation)
	require.True(t, errors.As(err, &ae))
	require.Len(t, ae.Details, 1)
	assert.Equal(t, "query.refresh_oauth_tokens", ae.Details[0].Field())
}

func TestConnectionsUpdate(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("PUT /connections/{id}", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, stackConnID, r.PathValue("id"))
		testQuery(t, r, nil)
		testJSONBody(t, r, `{"name": "Renamed", "provider_id": "gdrive", "connection_type_id": "gdrive_oauth", "connection_provider_data": {"folder": "Reports"}}`)
		writeJSON(w, http.StatusOK, stackConnectionJSON)
	})
	conn, _, err := c.Connections.Update(context.Background(), stackConnID, &models.ConnectionRequest{
		Name: "Renamed", ProviderID: "gdrive", ConnectionTypeID: "gdrive_oauth",
		ConnectionProviderData: map[string]any{"folder": "Reports"},
	})
	require.NoError(t, err)
	assert.Equal(t, stackConnID, conn.ConnectionID)
}

func TestConnectionsPatch(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("PATCH /connections/{id}", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, stackConnID, r.PathValue("id"))
		testQuery(t, r, nil)
		testJSONBody(t, r, `{"name": "Finance Drive"}`)
		writeJSON(w, http.StatusOK, stackConnectionJSON)
	})
	conn, _, err := c.Connections.Patch(context.Background(), stackConnID, &PatchConnectionRequest{Name: "Finance Drive"})
	require.NoError(t, err)
	assert.Equal(t, stackConnID, conn.ConnectionID)
}

func TestConnectionsDelete(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("DELETE /connections/{id}", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, stackConnID, r.PathValue("id"))
		testQuery(t, r, nil)
		testNoBody(t, r)
		w.WriteHeader(http.StatusNoContent)
	})
	resp, err := c.Connections.Delete(context.Background(), stackConnID, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
}

func TestConnectionsHealth(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /connections/{id}/health", func(w http.ResponseWriter, r *http.Request) {
		testNoBody(t, r)
		if r.PathValue("id") == stackConnID {
			testQuery(t, r, url.Values{"refresh_oauth_tokens": {"true"}})
			writeJSON(w, http.StatusOK, `{"healthy": true, "provider": "gdrive", "checks": {"token": "ok", "quota_remaining": 9500}}`)
			return
		}
		testQuery(t, r, nil)
		writeJSON(w, http.StatusOK, `{}`)
	})
	h, _, err := c.Connections.Health(context.Background(), stackConnID, &ConnectionHealthParams{RefreshOAuthTokens: true})
	require.NoError(t, err)
	assert.Equal(t, true, h["healthy"])
	assert.Equal(t, map[string]any{"token": "ok", "quota_remaining": float64(9500)}, h["checks"])

	h, _, err = c.Connections.Health(context.Background(), stackConnID2, nil)
	require.NoError(t, err)
	assert.NotNil(t, h)
	assert.Empty(t, h)
}

func TestConnectionsValidation(t *testing.T) {
	t.Parallel()
	c, n := noRequestClient(t)
	ctx := context.Background()
	good := &models.ConnectionRequest{ProviderID: "gdrive", ConnectionTypeID: "gdrive"}
	calls := map[string]struct {
		call  func() error
		words []string
	}{
		"get empty id":    {func() error { _, _, err := c.Connections.Get(ctx, "", nil); return err }, []string{"connection ID", "required"}},
		"get non-uuid":    {func() error { _, _, err := c.Connections.Get(ctx, "conn_123", nil); return err }, []string{"UUID"}},
		"get dot-dot":     {func() error { _, _, err := c.Connections.Get(ctx, "..", nil); return err }, []string{"UUID"}},
		"get path trick":  {func() error { _, _, err := c.Connections.Get(ctx, stackConnID[:35]+"/", nil); return err }, []string{"UUID"}},
		"delete non-uuid": {func() error { _, err := c.Connections.Delete(ctx, "abc", nil); return err }, []string{"UUID"}},
		"health non-uuid": {func() error { _, _, err := c.Connections.Health(ctx, "abc", nil); return err }, []string{"UUID"}},
		"create nil":      {func() error { _, _, err := c.Connections.Create(ctx, nil); return err }, []string{"ConnectionRequest"}},
		"create no provider": {func() error {
			_, _, err := c.Connections.Create(ctx, &models.ConnectionRequest{ConnectionTypeID: "x"})
			return err
		}, []string{"provider_id"}},
		"create no type": {func() error {
			_, _, err := c.Connections.Create(ctx, &models.ConnectionRequest{ProviderID: "x"})
			return err
		}, []string{"connection_type_id"}},
		"update bad id": {func() error { _, _, err := c.Connections.Update(ctx, "x", good); return err }, []string{"UUID"}},
		"update no type": {func() error {
			_, _, err := c.Connections.Update(ctx, stackConnID, &models.ConnectionRequest{ProviderID: "x"})
			return err
		}, []string{"connection_type_id"}},
		"patch nil": {func() error { _, _, err := c.Connections.Patch(ctx, stackConnID, nil); return err }, []string{"name"}},
		"patch empty name": {func() error {
			_, _, err := c.Connections.Patch(ctx, stackConnID, &PatchConnectionRequest{})
			return err
		}, []string{"name"}},
		"patch bad id": {func() error {
			_, _, err := c.Connections.Patch(ctx, "x", &PatchConnectionRequest{Name: "a"})
			return err
		}, []string{"UUID"}},
		"list negative limit":  {func() error { _, _, err := c.Connections.List(ctx, &ListConnectionsParams{Limit: -1}); return err }, []string{"limit"}},
		"list negative offset": {func() error { _, _, err := c.Connections.List(ctx, &ListConnectionsParams{Offset: -5}); return err }, []string{"offset"}},
		"paginated bad sort_dir": {func() error {
			_, _, err := c.Connections.ListPaginated(ctx, &ListPaginatedConnectionsParams{SortDir: "up"})
			return err
		}, []string{"sort_dir"}},
		"paginated reserved key": {func() error {
			_, _, err := c.Connections.ListPaginated(ctx, &ListPaginatedConnectionsParams{Filters: []ConnectionFilter{{Field: "limit", Value: "5"}}})
			return err
		}, []string{"paging"}},
		"paginated empty field": {func() error {
			_, _, err := c.Connections.ListPaginated(ctx, &ListPaginatedConnectionsParams{Filters: []ConnectionFilter{{Operator: "eq", Value: "5"}}})
			return err
		}, []string{"field"}},
		"paginated negative limit": {func() error {
			_, _, err := c.Connections.ListPaginated(ctx, &ListPaginatedConnectionsParams{Limit: -1})
			return err
		}, []string{"limit"}},
		"list iter negative limit": {func() error {
			_, err := pagination.Collect(c.Connections.ListIter(ctx, &ListConnectionsParams{Limit: -1}))
			return err
		}, []string{"limit"}},
		"paginated iter bad sort": {func() error {
			_, err := pagination.Collect(c.Connections.ListPaginatedIter(ctx, &ListPaginatedConnectionsParams{SortDir: "sideways"}))
			return err
		}, []string{"sort_dir"}},
		"list iter nil ctx": {func() error {
			var nilCtx context.Context
			_, err := pagination.Collect(c.Connections.ListIter(nilCtx, nil))
			return err
		}, []string{"context"}},
	}
	for name, tc := range calls {
		t.Run(name, func(t *testing.T) {
			assertInvalidParams(t, tc.call(), tc.words...)
		})
	}
	assert.EqualValues(t, 0, n.Load())
}
