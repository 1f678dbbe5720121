// Package connapitest is an embedded, stateful fake of the four connection APIs
// that connapi-go speaks: Stack AI connections, PipesHub connector instances,
// Instill AI namespace connections and integrations, and OpenInt core connections.
// It talks the vendors' wire protocols on its own and never imports the client, so
// a client bug is not mirrored by the server.
//
// One Server serves all four families on a loopback httptest server, at base URLs
// that do not collide:
//
//	Stack AI   srv.StackAIURL()   URL()+"/"        connections…, api/v1/connections…
//	PipesHub   srv.PipesHubURL()  URL()+"/api/v1/" connectors…
//	Instill AI srv.InstillURL()   URL()+"/"        v1beta/…
//	OpenInt    srv.OpenIntURL()   URL()+"/v0/"     core/connection…
//
// # State and seed data
//
// Objects live in memory, one store per server, safe for concurrent use. IDs are
// deterministic. The catalogs are always loaded: Stack AI available connections
// (gdrive and sharepoint use OAuth, notion and confluence credentials), the
// PipesHub registry (GoogleDrive, Gmail, Confluence, Jira, Slack), Instill
// integrations (github, slack, google-drive, openai) and OpenInt connector configs
// (ccfg_github_01, ccfg_google-drive_01, ccfg_slack_01, ccfg_hubspot_01).
// WithSeed(n) adds n objects per family ("Seed connection 001", …), with creation
// times from SeedTime, for paging demos and benchmarks. Every Stack AI connection
// browses the same 55-resource tree, and every Instill connection is referenced by
// twelve pipelines.
//
// # Authentication
//
// Every route but Stack AI's GET /connections/available (whose page lists no
// authorization) needs a credential: "Authorization: Bearer "+srv.Token()
// (DefaultToken unless WithBearerToken), or a token issued by one of the two token
// endpoints. OpenInt routes also take "x-apikey: "+srv.APIKey() (DefaultAPIKey
// unless WithAPIKey); the other families do not. A missing or wrong credential
// gets 401 in the family's error shape. The token endpoints need no bearer:
//
//   - POST /oauth/token, form-encoded (RFC 6749): grant_type=password with
//     username and password, or grant_type=refresh_token.
//   - POST /auth/v1/token?grant_type=password (Supabase GoTrue, as Stack AI uses):
//     JSON {"email", "password"} and the header "apikey: "+srv.APIKey();
//     grant_type=refresh_token takes {"refresh_token"}.
//
// Those credentials are the organization's administrator. srv.MemberToken()
// (DefaultMemberToken unless WithMemberToken) is a second static bearer token, for a
// member who is not an administrator; every family accepts it, and PipesHub applies
// its page's permission rules to the two: a team-scope connector may be created,
// deleted and toggled by an administrator only (403 HTTP_FORBIDDEN otherwise), a
// personal one is its creator's alone (left out of the other user's lists, 403
// when named), and team connectors are visible to every user.
//
// The user is srv.Email() / srv.Password() (DefaultEmail, DefaultPassword unless
// WithUser). Both endpoints answer access_token, token_type, expires_in
// (WithTokenTTL) and a single-use refresh_token; bad credentials get 400
// {"error": "invalid_grant", "error_description": …}.
//
// # Faults
//
// srv.Faults() holds rules that may change while the server runs. A Rule selects
// requests by method and path pattern ("/connections/{id}", "/v0/*", or "" for
// all) and gives them a Sequence of faults (503, 503, then pass) or a Fault with a
// probability Rate. Each rule draws from its own stream, seeded from WithFaultSeed
// and the rule's ordinal since start or the last Faults().Clear, so the same rules
// added in the same order fire on the same requests again after a Clear. Faults:
// Status, RateLimited (429 with Retry-After), Latency, Reset, Truncate, InvalidJSON
// and HTMLError. Status faults use the family's error body. A Latency cut short by
// the client going away or by Shutdown/Close does not run the request and aborts
// its connection: the client sees a transport error, never a response.
//
//	srv.Faults().Add(connapitest.Rule{Method: "GET", Path: "/connections",
//		Sequence: []connapitest.Fault{connapitest.Status(503), connapitest.Status(503)}})
//
// # Rate limits
//
// WithRateLimit(limit, window, headers) makes the server accept at most limit API
// requests per window, by its clock (WithClock), and answer the others with 429
// and Retry-After, as a vendor's gateway would. Every answer carries rate-limit
// headers: X-RateLimit-Limit/-Remaining/-Reset, the IETF draft's
// RateLimit-Limit/-Remaining/-Reset with RateLimit-Policy, or its later
// structured RateLimit and RateLimit-Policy fields. connapi's
// WithRateLimitHeaders reads them.
//
// # Request ids
//
// Every answer carries a request id in the X-Request-Id header, errors and
// injected faults included, so that connapi's Response.RequestID and
// APIError.RequestID are set in tests as against the real services. PipesHub
// echoes an X-Request-ID the request supplies, as its backend does; otherwise the
// id is a UUID-shaped counter, unique per server. Requests() records it.
//
// # Request log
//
// srv.Requests() returns what the server received, faulted requests included, with
// credential headers, secret query values (access_token, refresh_token, id_token,
// token, _token, code, state, apikey, api_key, client_secret, password; names in
// any case) and token-endpoint passwords and refresh tokens REDACTED; RequestCount
// counts by method and path pattern and ResetRequests empties the log.
//
// # Shapes worth knowing
//
// Secret values read back are "*****" (Instill setup fields marked instillSecret or
// named like a secret; PipesHub auth values). PipesHub answers in its backend's
// shape unless WithPipesHubSpecShape: /connectors/configured nests its page
// ({success, connectors: {connectors, pagination, scopeCounts}}), toggle answers
// {success, message} without the instance, and the OAuth callback answers JSON:
// {success, message, connectorId} on success, 200 {success: false, error,
// redirectUrl} when the provider sent error=. The spec shape keeps the flat page,
// adds the instance to toggle's answer and redirects (302) a callback with error=
// to the frontend (baseUrl, else https://app.connapitest.invalid) with
// oauth_error in the query; it leaves out lastSyncAt (never synced) and offers only
// the spec's auth types. Both refuse config and config/auth changes while sync
// is on (400 "Connector must be disabled first") and count instance names (1 to
// 100) in characters. Create wants authType when the type has several (400
// otherwise) and refuses a name an instance of the same type and scope has (team:
// organization-wide; personal: per creator). Connector types are matched as the registry names them
// ("GoogleDrive") or as the PipesHub page's examples write them ("google-drive",
// "confluence"), ignoring case, hyphens and underscores; an instance carries the
// registry's name. Instill connections may be renamed by PATCHing a new id (409
// ALREADY_EXISTS if taken); as the spec says, immutable and output-only fields
// (integrationId, namespaceId, uid, the times) are ignored in a PATCH. The
// filters qConnection (connection ID, integration title or vendor) and
// qIntegration (title or vendor) are fuzzy, and also take the spec examples' q="…";
// pageSize above 100 is coerced to 100. Lists are
// in creation order, except Stack AI's /api/v1/connections, which sorts by sort_by
// (default created_at) and sort_dir (default desc, as the page says). Cursors and
// page tokens are opaque: one the server did not issue (such as the page's example
// cursor) gets a 400. An Instill connection list's page token names the last
// connection served, as Instill's backend's (create time, uid) tokens do, so a
// walk that deletes or creates connections neither skips nor repeats one; the
// offset and page-number lists of the other families shift under such a walk, as
// the vendors' do.
//
// Stack AI validates as FastAPI does, from the page's schemas: a missing required
// field or body is a 422 {"detail": [{"loc", "msg", "type": "missing"}]}, a wrong
// type a 422 string_type, model_type, uuid_parsing, int_parsing or bool_parsing,
// every problem of the request in one answer (path, query, body); unknown body
// members are ignored; a query parameter that is present but empty is the empty
// string; empty and blank
// strings are strings. PATCH /connections/{id} takes only name. The connection
// lists accept any limit and offset (the page states no bounds; a limit of 0 or
// less selects nothing). RBAC roles are viewer, editor and admin: the page types
// role as a plain string, so another role is a 400, not a 422. The RBAC PUT and
// the organization-role PATCH answer 200 null and the RBAC DELETE 204, as the
// page shows "No content" for them.
//
// OpenInt validates its input as the spec's zod schemas do: an id without the
// "conn_" prefix is a 400 BAD_REQUEST whose issue names "id" (a well-formed id
// that names nothing is a 404), customerId needs at least one character, and null
// clears PATCH's nullable fields (settings, displayName, customerId,
// integrationId) while absent fields are kept.
//
// # Clients for the fake
//
// Package connapitest/testclient hands out connapi clients for a Server, one
// platform at a time: testclient.New(srv, connapi.PlatformPipesHub) sets the
// platform's base URL, connapi.WithPlatform and the credential the fake accepts,
// so that the client refuses other platforms' services as it would against the
// vendors' own URLs (Stack AI and Instill AI share one base URL here, which alone
// cannot tell a client its platform). It is a package of its own because this one
// never imports the client: a client bug must not be mirrored by the fake, and the
// client's own tests import this package.
//
// To serve the fake on a fixed address, run cmd/connapi-fake, or serve
// NewHandler(...) with your own http.Server.
package connapitest
