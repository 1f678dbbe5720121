package connapi

import (
	"context"
	"errors"
	"iter"
	"math"
	"net/http"
	"strings"

	"github.com/connapi/connapi-go/models"
)

// Instill AI namespace connections and integrations (pipeline API v1beta, the
// /v1beta/namespaces/{namespaceId}/connections shape of instill-ai/protobufs up
// to commit 4779b0f). Use a Client whose base URL is InstillBaseURL (or a
// self-hosted Instill Core) and WithBearerToken("instill_sk_…").
//
// Paging is by token: pageSize (the server's default is 10, and it coerces values
// above its cap of 100 to 100) and pageToken in, nextPageToken (empty on the last
// page) and totalSize out. Errors
// arrive as google.rpc.Status bodies, {"code": 5, "message": "…", "details":
// [{"@type": "…", …}]}, which become an *APIError whose Code is the gRPC code's
// name ("NOT_FOUND") and whose Details keep each detail with its "@type".

// ListNamespaceConnectionsParams are the query parameters of
// NamespaceConnectionsService.List and ListIter.
type ListNamespaceConnectionsParams struct {
	// PageSize is the number of connections per page (an int32). Zero means the
	// server's default, 10. The server caps it at 100, coercing larger values to
	// 100, so a page may hold fewer connections than asked for; NextPageToken
	// still leads to the rest, and ListIter walks on regardless.
	PageSize int `url:"pageSize,omitempty"`
	// PageToken is the nextPageToken of the previous page; empty for the first.
	// ListIter starts from it and walks on by itself.
	PageToken string `url:"pageToken,omitempty"`
	// Filter is an AIP-160 expression over integrationId and qConnection (fuzzy
	// match on connection ID, integration title or vendor), e.g.
	// `integrationId="openai"` or `qConnection="googl"`. The spec's own example
	// writes the fuzzy match as `q="googl"`.
	Filter string `url:"filter,omitempty"`
}

// GetNamespaceConnectionParams are the query parameters of
// NamespaceConnectionsService.Get.
type GetNamespaceConnectionParams struct {
	// View selects the representation: models.InstillViewBasic (the server's
	// default, without setup, scopes and oAuthAccessDetails) or
	// models.InstillViewFull. Empty sends nothing.
	View models.InstillView `url:"view,omitempty"`
}

// UpdateNamespaceConnectionRequest is the body of NamespaceConnectionsService.Update.
// Only the fields the caller sets are sent, and the server changes exactly those:
// it derives the update mask from the JSON keys present in the body.
//
//   - A nil pointer, nil map or nil slice is not sent and leaves the field as it
//     is.
//   - Setup is replaced as a whole: the server does not merge keys, so send the
//     complete setup (the values Get returns are redacted, so fill the secrets
//     in again). A non-nil empty map is sent as {} and clears it.
//   - Scopes: a non-nil empty slice is sent as [] and clears them.
//   - OAuthAccessDetails, like Setup, is replaced as a whole.
//
// With nothing set, the body is {} and the server returns the connection
// unchanged.
type UpdateNamespaceConnectionRequest struct {
	// IntegrationID is immutable: the server ignores it ("Immutable and
	// output-only fields will be ignored"). The spec's body is a whole Connection,
	// which requires it, and the page's own example sends it
	// ({"integrationId": "openai", "method": …, "setup": {}}); set it, to the
	// connection's own integration, to send such a body. When set it must not be
	// empty.
	IntegrationID *string `json:"integrationId,omitempty"`
	// ID renames the connection. Pipelines refer to connections by ID, so a
	// rename breaks those references. Must be non-empty and contain no "/".
	ID *string `json:"id,omitempty"`
	// Method changes the setup method: METHOD_DICTIONARY or METHOD_OAUTH.
	Method *models.NamespaceConnectionMethod `json:"method,omitempty"`
	// Setup replaces the whole setup; nil leaves it unchanged.
	Setup map[string]any `json:"setup,omitzero"`
	// Scopes replaces the OAuth scopes; nil leaves them unchanged, an empty
	// non-nil slice clears them.
	Scopes []string `json:"scopes,omitzero"`
	// Identity changes the OAuth identity (email, user name).
	Identity *string `json:"identity,omitempty"`
	// OAuthAccessDetails replaces the OAuth token extras; nil leaves them
	// unchanged.
	OAuthAccessDetails map[string]any `json:"oAuthAccessDetails,omitzero"`
}

// ListReferencedPipelinesParams are the query parameters of
// NamespaceConnectionsService.ReferencedPipelines and ReferencedPipelinesIter.
type ListReferencedPipelinesParams struct {
	// PageSize is the number of pipeline IDs per page; zero means the server's
	// default, 10. The server coerces values above its cap of 100 to 100.
	PageSize int `url:"pageSize,omitempty"`
	// PageToken is the nextPageToken of the previous page; empty for the first.
	PageToken string `url:"pageToken,omitempty"`
	// Filter is an AIP-160 expression over q (fuzzy match on the pipeline ID),
	// e.g. `q="sales"`.
	Filter string `url:"filter,omitempty"`
}

// DeleteNamespaceConnectionParams are the options of
// NamespaceConnectionsService.Delete. The endpoint takes none today; the type is
// there so that one it gains later is a new field, not a new signature. Pass nil.
type DeleteNamespaceConnectionParams struct{}

// TestNamespaceConnectionParams are the options of NamespaceConnectionsService.Test.
// The endpoint takes none today; pass nil.
type TestNamespaceConnectionParams struct{}

// ListIntegrationsParams are the query parameters of IntegrationsService.List and
// ListIter.
type ListIntegrationsParams struct {
	// PageSize is the number of integrations per page; zero means the server's
	// default, 10. The server coerces values above its cap of 100 to 100.
	PageSize int `url:"pageSize,omitempty"`
	// PageToken is the nextPageToken of the previous page; empty for the first.
	PageToken string `url:"pageToken,omitempty"`
	// Filter is an AIP-160 expression over qIntegration (fuzzy match on title or
	// vendor), e.g. `qIntegration="googl"`; the spec's example writes `q="googl"`.
	Filter string `url:"filter,omitempty"`
}

// GetIntegrationParams are the query parameters of IntegrationsService.Get.
type GetIntegrationParams struct {
	// View selects the representation: models.InstillViewBasic (the default)
	// or models.InstillViewFull, which adds setupSchema and oAuthConfig.
	View models.InstillView `url:"view,omitempty"`
}

// instillConnectionEnvelope and instillIntegrationEnvelope are the single-object
// wrappers {"connection": …} and {"integration": …}.
type instillConnectionEnvelope struct {
	Connection *models.NamespaceConnection `json:"connection"`
}

type instillIntegrationEnvelope struct {
	Integration *models.Integration `json:"integration"`
}

// instillID validates an Instill resource ID used as a path segment: non-empty,
// not "." or "..", and without "/" (IDs are single path segments, and an escaped
// slash is not routed by the gateway). It returns the escaped segment.
func instillID(op, name, value string) (string, error) {
	if strings.Contains(value, "/") {
		return "", invalidParams(op, "%s %q must not contain \"/\"", name, value)
	}
	return pathParam(op, name, value)
}

// instillConnectionPath builds v1beta/namespaces/{ns}/connections[/{id}] after
// validating both IDs. An empty connectionID with withID false gives the
// collection path.
func instillConnectionPath(op, namespaceID, connectionID string, withID bool) (string, error) {
	ns, err := instillID(op, "namespace ID", namespaceID)
	if err != nil {
		return "", err
	}
	p := "v1beta/namespaces/" + ns + "/connections"
	if !withID {
		return p, nil
	}
	id, err := instillID(op, "connection ID", connectionID)
	if err != nil {
		return "", err
	}
	return p + "/" + id, nil
}

// checkInstillPageSize accepts 0 (the server's default) and any positive int32:
// the server coerces values above its cap of 100, it does not refuse them.
func checkInstillPageSize(op string, n int) error {
	if n < 0 || n > math.MaxInt32 {
		return invalidParams(op, "page size %d is out of range 1..%d (0 for the server default)", n, math.MaxInt32)
	}
	return nil
}

func checkInstillMethod(op string, m models.NamespaceConnectionMethod) error {
	if m == "" {
		return invalidParams(op, "method is required (%s or %s)", models.NamespaceConnectionMethodDictionary, models.NamespaceConnectionMethodOAuth)
	}
	if !m.IsKnown() {
		return invalidParams(op, "method %q is not %s or %s", m, models.NamespaceConnectionMethodDictionary, models.NamespaceConnectionMethodOAuth)
	}
	return nil
}

// instillMissingEnvelope reports a 2xx response without the expected wrapper object.
func instillMissingEnvelope(resp *Response, method, key string) error {
	re := &ResponseError{Method: method, Err: errors.New(`response has no "` + key + `" object`)}
	if resp != nil && resp.Response != nil {
		re.StatusCode = resp.StatusCode
		re.ContentType = resp.Header.Get("Content-Type")
		if resp.Request != nil && resp.Request.URL != nil {
			re.Path = resp.Request.URL.EscapedPath()
		}
	}
	return re
}

// List returns one page of the connections of a namespace, in the VIEW_BASIC
// view, with the page's NextPageToken and the TotalSize of all pages. p may be
// nil. Use ListIter to walk every page.
//
// API: GET /v1beta/namespaces/{namespaceId}/connections
// API docs: https://docs.instill-ai.com/reference/pipelinepublicservice_listnamespaceconnections
func (s *NamespaceConnectionsService) List(ctx context.Context, namespaceID string, p *ListNamespaceConnectionsParams, opts ...RequestOption) (*models.NamespaceConnectionList, *Response, error) {
	const op = "NamespaceConnections.List"
	path, err := instillConnectionPath(op, namespaceID, "", false)
	if err != nil {
		return nil, nil, err
	}
	var q ListNamespaceConnectionsParams
	if p != nil {
		q = *p
	}
	if err := checkInstillPageSize(op, q.PageSize); err != nil {
		return nil, nil, err
	}
	var out models.NamespaceConnectionList
	resp, err := s.client.do(ctx, opNamespaceConnectionsList, path, &q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// ListIter returns a lazy iterator over every connection of a namespace, in the
// VIEW_BASIC view, following nextPageToken until it is empty. It starts at
// p.PageToken and copies p, so it can be ranged more than once and p may be
// reused. Bad arguments are yielded as ErrInvalidParams on the first step,
// before any request. A token the server hands back twice ends the walk with
// pagination.ErrPaginationStalled.
//
// API: GET /v1beta/namespaces/{namespaceId}/connections
// API docs: https://docs.instill-ai.com/reference/pipelinepublicservice_listnamespaceconnections
func (s *NamespaceConnectionsService) ListIter(ctx context.Context, namespaceID string, p *ListNamespaceConnectionsParams, opts ...RequestOption) iter.Seq2[*models.NamespaceConnection, error] {
	var base ListNamespaceConnectionsParams
	if p != nil {
		base = *p
	}
	return walk(ctx, base.PageToken, func(ctx context.Context, token string) ([]*models.NamespaceConnection, string, bool, error) {
		q := base
		q.PageToken = token
		page, _, err := s.List(ctx, namespaceID, &q, opts...)
		if err != nil {
			return nil, token, false, err
		}
		return page.Connections, page.NextPageToken, page.NextPageToken != "", nil
	}, s.client.pageOptions(opts)...)
}

// Create creates a connection in a namespace and returns it as the server stored
// it (VIEW_FULL, setup values redacted). conn must set ID (without "/"),
// IntegrationID, Method (METHOD_DICTIONARY or METHOD_OAUTH) and Setup (non-nil;
// an empty map is sent as {}). Output-only fields (UID, NamespaceID,
// IntegrationTitle, View, CreateTime, UpdateTime) are not sent, so a connection
// fetched elsewhere can be passed as it is. conn is not modified.
//
// API: POST /v1beta/namespaces/{namespaceId}/connections
// API docs: https://docs.instill-ai.com/reference/pipelinepublicservice_createnamespaceconnection
func (s *NamespaceConnectionsService) Create(ctx context.Context, namespaceID string, conn *models.NamespaceConnection, opts ...RequestOption) (*models.NamespaceConnection, *Response, error) {
	const op = "NamespaceConnections.Create"
	path, err := instillConnectionPath(op, namespaceID, "", false)
	if err != nil {
		return nil, nil, err
	}
	if conn == nil {
		return nil, nil, invalidParams(op, "connection is required")
	}
	if _, err := instillID(op, "connection ID (id)", conn.ID); err != nil {
		return nil, nil, err
	}
	if conn.IntegrationID == "" {
		return nil, nil, invalidParams(op, "integration ID (integrationId) is required")
	}
	if err := checkInstillMethod(op, conn.Method); err != nil {
		return nil, nil, err
	}
	if conn.Setup == nil {
		return nil, nil, invalidParams(op, "setup is required (an empty map is allowed)")
	}
	body := *conn // the spec marks these readOnly: a request must not carry them
	body.UID, body.NamespaceID, body.IntegrationTitle, body.View = "", "", "", ""
	body.CreateTime, body.UpdateTime = models.Timestamp{}, models.Timestamp{}
	var out instillConnectionEnvelope
	resp, err := s.client.do(ctx, opNamespaceConnectionsCreate, path, nil, &body, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	if out.Connection == nil {
		return nil, resp, instillMissingEnvelope(resp, http.MethodPost, "connection")
	}
	return out.Connection, resp, nil
}

// Get returns a connection. p may be nil; the server's default view is
// VIEW_BASIC, which leaves Setup, Scopes and OAuthAccessDetails empty. Ask for
// models.InstillViewFull to get them (setup values redacted).
//
// API: GET /v1beta/namespaces/{namespaceId}/connections/{connectionId}
// API docs: https://docs.instill-ai.com/reference/pipelinepublicservice_getnamespaceconnection
func (s *NamespaceConnectionsService) Get(ctx context.Context, namespaceID, connectionID string, p *GetNamespaceConnectionParams, opts ...RequestOption) (*models.NamespaceConnection, *Response, error) {
	const op = "NamespaceConnections.Get"
	path, err := instillConnectionPath(op, namespaceID, connectionID, true)
	if err != nil {
		return nil, nil, err
	}
	var q GetNamespaceConnectionParams
	if p != nil {
		q = *p
	}
	var out instillConnectionEnvelope
	resp, err := s.client.do(ctx, opNamespaceConnectionsGet, path, &q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	if out.Connection == nil {
		return nil, resp, instillMissingEnvelope(resp, http.MethodGet, "connection")
	}
	return out.Connection, resp, nil
}

// Update changes the fields of a connection that req sets, and returns the
// connection as stored (VIEW_FULL). Only the set fields are sent; the server
// derives the update mask from them, so unset fields keep their values. Setup is
// replaced as a whole, never merged: send the complete setup. See
// UpdateNamespaceConnectionRequest for nil versus empty. req must not be nil.
//
// API: PATCH /v1beta/namespaces/{namespaceId}/connections/{connectionId}
// API docs: https://docs.instill-ai.com/reference/pipelinepublicservice_updatenamespaceconnection
func (s *NamespaceConnectionsService) Update(ctx context.Context, namespaceID, connectionID string, req *UpdateNamespaceConnectionRequest, opts ...RequestOption) (*models.NamespaceConnection, *Response, error) {
	const op = "NamespaceConnections.Update"
	path, err := instillConnectionPath(op, namespaceID, connectionID, true)
	if err != nil {
		return nil, nil, err
	}
	if req == nil {
		return nil, nil, invalidParams(op, "update request is required")
	}
	if req.IntegrationID != nil && *req.IntegrationID == "" {
		return nil, nil, invalidParams(op, "integrationId must not be empty when set")
	}
	if req.ID != nil {
		if _, err := instillID(op, "new connection ID (id)", *req.ID); err != nil {
			return nil, nil, err
		}
	}
	if req.Method != nil {
		if err := checkInstillMethod(op, *req.Method); err != nil {
			return nil, nil, err
		}
	}
	var out instillConnectionEnvelope
	resp, err := s.client.do(ctx, opNamespaceConnectionsUpdate, path, nil, req, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	if out.Connection == nil {
		return nil, resp, instillMissingEnvelope(resp, http.MethodPatch, "connection")
	}
	return out.Connection, resp, nil
}

// Delete deletes a connection. Components that referenced it stop working; see
// ReferencedPipelines for which pipelines use it. p may be nil. If an attempt
// failed after the server may have deleted it and the retry gets 404, the delete is
// taken as done: the error is nil and resp.AlreadyApplied is set.
//
// API: DELETE /v1beta/namespaces/{namespaceId}/connections/{connectionId}
// API docs: https://docs.instill-ai.com/reference/pipelinepublicservice_deletenamespaceconnection
func (s *NamespaceConnectionsService) Delete(ctx context.Context, namespaceID, connectionID string, p *DeleteNamespaceConnectionParams, opts ...RequestOption) (*Response, error) {
	path, err := instillConnectionPath("NamespaceConnections.Delete", namespaceID, connectionID, true)
	if err != nil {
		return nil, err
	}
	return s.client.do(ctx, opNamespaceConnectionsDelete, path, nil, nil, nil, opts)
}

// Test asks the server to call the third-party app with the connection's setup.
// A nil error means the call succeeded; a failed check comes back as an
// *APIError whose Message says why. The test may count against the quota or
// billing of the third-party account. Like any POST without WithIdempotencyKey,
// it is retried only on 429 and 503 responses. p may be nil.
//
// API: POST /v1beta/namespaces/{namespaceId}/connections/{connectionId}/test
// API docs: https://docs.instill-ai.com/reference/pipelinepublicservice_testnamespaceconnection
func (s *NamespaceConnectionsService) Test(ctx context.Context, namespaceID, connectionID string, p *TestNamespaceConnectionParams, opts ...RequestOption) (*Response, error) {
	path, err := instillConnectionPath("NamespaceConnections.Test", namespaceID, connectionID, true)
	if err != nil {
		return nil, err
	}
	return s.client.do(ctx, opNamespaceConnectionsTest, path+"/test", nil, nil, nil, opts)
}

// ReferencedPipelines returns one page of the IDs of the pipelines that
// reference a connection (all in the connection's namespace), with the page's
// NextPageToken and the TotalSize of all pages. p may be nil.
//
// API: GET /v1beta/namespaces/{namespaceId}/connections/{connectionId}/referenced-pipelines
// API docs: https://docs.instill-ai.com/reference/pipelinepublicservice_listpipelineidsbyconnectionid
func (s *NamespaceConnectionsService) ReferencedPipelines(ctx context.Context, namespaceID, connectionID string, p *ListReferencedPipelinesParams, opts ...RequestOption) (*models.ReferencedPipelineList, *Response, error) {
	const op = "NamespaceConnections.ReferencedPipelines"
	path, err := instillConnectionPath(op, namespaceID, connectionID, true)
	if err != nil {
		return nil, nil, err
	}
	var q ListReferencedPipelinesParams
	if p != nil {
		q = *p
	}
	if err := checkInstillPageSize(op, q.PageSize); err != nil {
		return nil, nil, err
	}
	var out models.ReferencedPipelineList
	resp, err := s.client.do(ctx, opNamespaceConnectionsReferencedPipelines, path+"/referenced-pipelines", &q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// ReferencedPipelinesIter returns a lazy iterator over the IDs of every pipeline
// that references a connection, following nextPageToken until it is empty. It
// yields plain strings, iter.Seq2[string, error], since an ID is a value, not an
// object; on an error the string is "". It starts at p.PageToken, copies p, and
// can be ranged more than once. Bad arguments are yielded as ErrInvalidParams on
// the first step, before any request; a repeated token ends the walk with
// pagination.ErrPaginationStalled.
//
// API: GET /v1beta/namespaces/{namespaceId}/connections/{connectionId}/referenced-pipelines
// API docs: https://docs.instill-ai.com/reference/pipelinepublicservice_listpipelineidsbyconnectionid
func (s *NamespaceConnectionsService) ReferencedPipelinesIter(ctx context.Context, namespaceID, connectionID string, p *ListReferencedPipelinesParams, opts ...RequestOption) iter.Seq2[string, error] {
	var base ListReferencedPipelinesParams
	if p != nil {
		base = *p
	}
	return walk(ctx, base.PageToken, func(ctx context.Context, token string) ([]string, string, bool, error) {
		q := base
		q.PageToken = token
		page, _, err := s.ReferencedPipelines(ctx, namespaceID, connectionID, &q, opts...)
		if err != nil {
			return nil, token, false, err
		}
		return page.PipelineIDs, page.NextPageToken, page.NextPageToken != "", nil
	}, s.client.pageOptions(opts)...)
}

// List returns one page of the integrations connections can be made for, in the
// VIEW_BASIC view, with the page's NextPageToken and the TotalSize of all pages.
// p may be nil. Use ListIter to walk every page.
//
// API: GET /v1beta/integrations
// API docs: https://docs.instill-ai.com/reference/pipelinepublicservice_listintegrations
func (s *IntegrationsService) List(ctx context.Context, p *ListIntegrationsParams, opts ...RequestOption) (*models.IntegrationList, *Response, error) {
	var q ListIntegrationsParams
	if p != nil {
		q = *p
	}
	if err := checkInstillPageSize("Integrations.List", q.PageSize); err != nil {
		return nil, nil, err
	}
	var out models.IntegrationList
	resp, err := s.client.do(ctx, opIntegrationsList, "v1beta/integrations", &q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// ListIter returns a lazy iterator over every integration, following
// nextPageToken until it is empty. It starts at p.PageToken, copies p, and can be
// ranged more than once. A bad page size is yielded as ErrInvalidParams on the
// first step, before any request; a repeated token ends the walk with
// pagination.ErrPaginationStalled.
//
// API: GET /v1beta/integrations
// API docs: https://docs.instill-ai.com/reference/pipelinepublicservice_listintegrations
func (s *IntegrationsService) ListIter(ctx context.Context, p *ListIntegrationsParams, opts ...RequestOption) iter.Seq2[*models.Integration, error] {
	var base ListIntegrationsParams
	if p != nil {
		base = *p
	}
	return walk(ctx, base.PageToken, func(ctx context.Context, token string) ([]*models.Integration, string, bool, error) {
		q := base
		q.PageToken = token
		page, _, err := s.List(ctx, &q, opts...)
		if err != nil {
			return nil, token, false, err
		}
		return page.Integrations, page.NextPageToken, page.NextPageToken != "", nil
	}, s.client.pageOptions(opts)...)
}

// Get returns an integration. p may be nil; ask for models.InstillViewFull to
// get SetupSchema and OAuthConfig.
//
// API: GET /v1beta/integrations/{integrationId}
// API docs: https://docs.instill-ai.com/reference/pipelinepublicservice_getintegration
func (s *IntegrationsService) Get(ctx context.Context, integrationID string, p *GetIntegrationParams, opts ...RequestOption) (*models.Integration, *Response, error) {
	id, err := instillID("Integrations.Get", "integration ID", integrationID)
	if err != nil {
		return nil, nil, err
	}
	var q GetIntegrationParams
	if p != nil {
		q = *p
	}
	var out instillIntegrationEnvelope
	resp, err := s.client.do(ctx, opIntegrationsGet, "v1beta/integrations/"+id, &q, nil, &out, opts)
	if err != nil {
		return nil, resp, err
	}
	if out.Integration == nil {
		return nil, resp, instillMissingEnvelope(resp, http.MethodGet, "integration")
	}
	return out.Integration, resp, nil
}
