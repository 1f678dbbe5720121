package connapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/connapi/connapi-go/models"
)

// Start begins the OAuth flow for a new connection and returns the provider's
// authorization URL, to which the user's browser is sent. ProviderID and
// ConnectionTypeID are required. After the user consents, the provider redirects
// back with a code that CreateFromCallback (or UpdateFromCallback, to re-authorize
// an existing connection) exchanges for the connection.
//
// The server may answer with a JSON string or with plain text; both are accepted,
// as is a JSON object holding the URL under "url", "auth_url" or
// "authorization_url".
//
// API: POST /connections/oauth/start
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *OAuthService) Start(ctx context.Context, req *models.ConnectionRequest, opts ...RequestOption) (string, *Response, error) {
	const op = "OAuth.Start"
	if err := stackCheckConnectionRequest(op, req); err != nil {
		return "", nil, err
	}
	var raw rawBody
	resp, err := s.client.do(ctx, opOAuthStart, "connections/oauth/start", nil, req, &raw, opts)
	if err != nil {
		return "", resp, err
	}
	u, err := stackOAuthURL(raw.data)
	if err != nil {
		path := "connections/oauth/start"
		if resp.Request != nil && resp.Request.URL != nil {
			path = resp.Request.URL.EscapedPath()
		}
		return "", resp, &ResponseError{Method: http.MethodPost, Path: path, StatusCode: resp.StatusCode, ContentType: raw.contentType, Err: err}
	}
	return u, resp, nil
}

// stackOAuthURL reads the URL from a JSON string, a JSON object or plain text.
func stackOAuthURL(body []byte) (string, error) {
	b := bytes.TrimSpace(body)
	var u string
	switch {
	case len(b) == 0:
	case b[0] == '"':
		if err := json.Unmarshal(b, &u); err != nil {
			return "", err
		}
	case b[0] == '{':
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b, &obj); err != nil {
			return "", err
		}
		for _, k := range []string{"url", "auth_url", "authorization_url", "oauth_url"} {
			if json.Unmarshal(obj[k], &u) == nil && u != "" {
				break
			}
		}
	case b[0] == '<':
		return "", errors.New("got HTML where an OAuth URL was expected")
	default:
		u = string(b)
	}
	u = strings.TrimSpace(u)
	if u == "" {
		return "", errors.New("no OAuth URL in the response")
	}
	if p, err := url.Parse(u); err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
		return "", errors.New("the response is not an absolute http(s) URL")
	}
	return u, nil
}

// CreateConnectionFromCallbackRequest is the input of OAuth.CreateFromCallback.
type CreateConnectionFromCallbackRequest struct {
	// Code is the single-use code the provider sent to the redirect URI, sent as the
	// code query parameter. Required.
	Code string
	// Connection is the body: the same request that was given to OAuth.Start.
	// Required, with ProviderID and ConnectionTypeID.
	Connection *models.ConnectionRequest
}

// UpdateConnectionFromCallbackRequest is the input of OAuth.UpdateFromCallback.
type UpdateConnectionFromCallbackRequest struct {
	// Code is the single-use code of the new OAuth consent, sent as the code query
	// parameter. Required.
	Code string
	// Connection is the body: the page requires the same body as create
	// (ProviderID, ConnectionTypeID and ConnectionProviderData; Name is optional and
	// the server's default name is "Unnamed connection"). Required.
	Connection *models.ConnectionRequest
}

// CreateFromCallback completes the OAuth flow started by Start: it exchanges the
// code the provider sent to the redirect URI (req.Code) for a new connection.
// req.Connection is the same request that was given to Start.
//
// API: POST /connections/oauth/callback
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *OAuthService) CreateFromCallback(ctx context.Context, req *CreateConnectionFromCallbackRequest, opts ...RequestOption) (*models.Connection, *Response, error) {
	const op = "OAuth.CreateFromCallback"
	if req == nil || req.Code == "" {
		return nil, nil, invalidParams(op, "the callback code is required")
	}
	if err := stackCheckConnectionRequest(op, req.Connection); err != nil {
		return nil, nil, err
	}
	var out models.Connection
	// The code is single-use: never replay the exchange, even with an idempotency key.
	resp, err := s.client.do(ctx, opOAuthCreateFromCallback, "connections/oauth/callback", url.Values{"code": {req.Code}}, req.Connection, &out, append(opts[:len(opts):len(opts)], oneShot()))
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

// UpdateFromCallback re-authorizes the connection with the given UUID with the code
// of a new OAuth consent (req.Code), and returns the updated connection. Like
// CreateFromCallback, it sends req.Connection, the connection request given to
// Start.
//
// API: PUT /connections/oauth/callback/{connection_id}
// API docs: https://docs.stack-ai.com/stack-ai/api-reference/connections
func (s *OAuthService) UpdateFromCallback(ctx context.Context, connectionID string, req *UpdateConnectionFromCallbackRequest, opts ...RequestOption) (*models.Connection, *Response, error) {
	const op = "OAuth.UpdateFromCallback"
	id, err := stackConnectionID(op, connectionID)
	if err != nil {
		return nil, nil, err
	}
	if req == nil || req.Code == "" {
		return nil, nil, invalidParams(op, "the callback code is required")
	}
	if err := stackCheckConnectionRequest(op, req.Connection); err != nil {
		return nil, nil, err
	}
	var out models.Connection
	// A PUT, but the code is single-use: retried only when the request never left.
	resp, err := s.client.do(ctx, opOAuthUpdateFromCallback, "connections/oauth/callback/"+id, url.Values{"code": {req.Code}}, req.Connection, &out, append(opts[:len(opts):len(opts)], oneShot()))
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}
