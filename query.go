package connapi

import "strconv"

// Query strings. Every Params type with url tags also writes its query by hand
// (appendQuery), without go-querystring's reflection (17 allocations for a list's
// parameters): the bytes are exactly those of url.Values.Encode over what
// go-querystring's query.Values makes of the same value (its tags, omitempty,
// comma; keys sorted; values as fmt.Sprint prints them, query-escaped), which
// TestQueryEncodersMatchGoQuerystring holds every such type to with random
// values. go-querystring stays the encoder of every other query (a type without
// appendQuery, or a call with WithQuery values to merge).

// queryAppender is a query parameters type that writes its own query string.
type queryAppender interface {
	// appendQuery appends the query string (without "?") to b. A nil receiver
	// appends nothing.
	appendQuery(b []byte) []byte
}

// queryWriter appends key=value pairs in url.Values.Encode's form. The caller
// adds the keys in sorted order (byte order, as Encode sorts them), each key's
// values in order; keys are plain ASCII that needs no escaping.
type queryWriter struct{ b []byte }

func (w *queryWriter) add(key, value string) {
	if len(w.b) > 0 {
		w.b = append(w.b, '&')
	}
	w.b = append(w.b, key...)
	w.b = append(w.b, '=')
	w.b = appendQueryEscape(w.b, value)
}

// str adds a string, omitted when empty with omitempty.
func (w *queryWriter) str(key, value string, omitEmpty bool) {
	if value != "" || !omitEmpty {
		w.add(key, value)
	}
}

// strPtr adds a *string (omitempty): omitted when nil, sent (empty or not)
// otherwise.
func (w *queryWriter) strPtr(key string, value *string) {
	if value != nil {
		w.add(key, *value)
	}
}

// int adds an int (omitempty): omitted when 0.
func (w *queryWriter) int(key string, value int) {
	if value != 0 {
		if len(w.b) > 0 {
			w.b = append(w.b, '&')
		}
		w.b = append(w.b, key...)
		w.b = append(w.b, '=')
		w.b = strconv.AppendInt(w.b, int64(value), 10)
	}
}

// bool adds a bool (omitempty): omitted when false.
func (w *queryWriter) bool(key string, value bool) {
	if value {
		w.add(key, "true")
	}
}

// boolPtr adds a *bool (omitempty): omitted when nil.
func (w *queryWriter) boolPtr(key string, value *bool) {
	if value != nil {
		w.add(key, strconv.FormatBool(*value))
	}
}

// strs adds each string of a slice (omitempty) as a value of its own.
func (w *queryWriter) strs(key string, values []string) {
	for _, v := range values {
		w.add(key, v)
	}
}

// comma adds a slice (omitempty, comma) as one value, its strings joined by ",".
func (w *queryWriter) comma(key string, values []string) {
	if len(values) == 0 {
		return
	}
	if len(w.b) > 0 {
		w.b = append(w.b, '&')
	}
	w.b = append(w.b, key...)
	w.b = append(w.b, '=')
	for i, v := range values {
		if i > 0 {
			w.b = append(w.b, "%2C"...)
		}
		w.b = appendQueryEscape(w.b, v)
	}
}

// appendQueryEscape appends url.QueryEscape(s) to b.
func appendQueryEscape(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b = append(b, c)
		case c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return b
}

// Stack AI.

func (p *ListConnectionsParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.str("connection_provider", p.ConnectionProvider, true)
	w.int("limit", p.Limit)
	w.int("offset", p.Offset)
	return w.b
}

func (p *GetConnectionParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.bool("refresh_oauth_tokens", p.RefreshOAuthTokens)
	return w.b
}

func (p *ConnectionHealthParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.bool("refresh_oauth_tokens", p.RefreshOAuthTokens)
	return w.b
}

func (p *DeleteRBACParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.str("subject_id", p.SubjectID, false)
	w.str("subject_type", string(p.SubjectType), false)
	return w.b
}

func (p *GetResourcesParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.bool("refresh_oauth_tokens", p.RefreshOAuthTokens)
	w.strs("resource_ids", p.ResourceIDs)
	return w.b
}

func (p *ListChildrenParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.str("cursor", p.Cursor, true)
	w.int("page_size", p.PageSize)
	w.bool("refresh_oauth_tokens", p.RefreshOAuthTokens)
	w.str("resource_id", p.ResourceID, true)
	return w.b
}

func (p *SearchResourcesParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.str("cursor", p.Cursor, true)
	w.int("page_size", p.PageSize)
	w.str("query", p.Query, false)
	w.bool("refresh_oauth_tokens", p.RefreshOAuthTokens)
	return w.b
}

// PipesHub.

func (p *ListConnectorInstancesParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.str("connectorType", p.ConnectorType, true)
	w.boolPtr("isActive", p.IsActive)
	w.boolPtr("isAuthenticated", p.IsAuthenticated)
	w.int("limit", p.Limit)
	w.int("page", p.Page)
	w.str("scope", string(p.Scope), true)
	w.str("search", p.Search, true)
	return w.b
}

func (p *connectorPageQuery) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.int("limit", p.Limit)
	w.int("page", p.Page)
	w.str("scope", string(p.Scope), true)
	w.str("search", p.Search, true)
	return w.b
}

func (p *ListConfiguredConnectorsParams) appendQuery(b []byte) []byte {
	return (*connectorPageQuery)(p).appendQuery(b)
}

func (p *ListActiveAgentConnectorsParams) appendQuery(b []byte) []byte {
	return (*connectorPageQuery)(p).appendQuery(b)
}

func (p *ConnectorRegistryParams) appendQuery(b []byte) []byte {
	return (*connectorPageQuery)(p).appendQuery(b)
}

func (p *ConnectorAuthorizationURLParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.str("baseUrl", p.BaseURL, true)
	return w.b
}

func (p *ConnectorOAuthCallbackParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.str("baseUrl", p.BaseURL, true)
	w.str("code", p.Code, true)
	w.str("error", p.Error, true)
	w.str("state", p.State, true)
	return w.b
}

func (p *ConnectorFilterOptionsParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.strs("contextGroupPath", p.ContextGroupPath)
	w.str("cursor", p.Cursor, true)
	w.strs("excludeContextGroupPath", p.ExcludeContextGroupPath)
	w.int("limit", p.Limit)
	w.int("page", p.Page)
	w.str("search", p.Search, true)
	return w.b
}

// Instill AI.

func (p *ListNamespaceConnectionsParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.str("filter", p.Filter, true)
	w.int("pageSize", p.PageSize)
	w.str("pageToken", p.PageToken, true)
	return w.b
}

func (p *GetNamespaceConnectionParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.str("view", string(p.View), true)
	return w.b
}

func (p *ListReferencedPipelinesParams) appendQuery(b []byte) []byte {
	return (*ListNamespaceConnectionsParams)(p).appendQuery(b)
}

func (p *ListIntegrationsParams) appendQuery(b []byte) []byte {
	return (*ListNamespaceConnectionsParams)(p).appendQuery(b)
}

func (p *GetIntegrationParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.str("view", string(p.View), true)
	return w.b
}

// OpenInt.

func (p *ListCoreConnectionsParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.str("connectorConfigId", p.ConnectorConfigID, true)
	w.str("connectorName", p.ConnectorName, true)
	w.strPtr("customerId", p.CustomerID)
	w.comma("expand", p.Expand)
	w.bool("forceRefresh", p.ForceRefresh)
	w.int("limit", p.Limit)
	w.int("offset", p.Offset)
	return w.b
}

func (p *GetCoreConnectionParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.comma("expand", p.Expand)
	w.bool("forceRefresh", p.ForceRefresh)
	return w.b
}

func (p *DeleteCoreConnectionParams) appendQuery(b []byte) []byte {
	if p == nil {
		return b
	}
	w := queryWriter{b}
	w.bool("skipRevoke", p.SkipRevoke)
	return w.b
}
