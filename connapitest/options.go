package connapitest

import "time"

// Well-known defaults. The fake accepts these unless options replace them, so never
// expose a fake server beyond the loopback interface.
const (
	// DefaultToken is the static bearer token every family accepts. It
	// authenticates the organization's administrator (DefaultEmail).
	DefaultToken = "connapitest-token"
	// DefaultMemberToken is a second static bearer token, every family accepts it
	// too: it authenticates a member of the same organization who is not an
	// administrator, for PipesHub's permission rules (team scope is admin-only,
	// a personal connector is its creator's alone).
	DefaultMemberToken = "connapitest-member-token"
	// DefaultAPIKey is the static key accepted in the x-apikey header (OpenInt) and
	// required in the apikey header of the GoTrue token endpoint.
	DefaultAPIKey = "connapitest-apikey"
	// DefaultEmail is the user name of the OAuth2 password grant.
	DefaultEmail = "dev@connapitest.local"
	// DefaultPassword is the password of the OAuth2 password grant.
	DefaultPassword = "connapitest-password"
	// DefaultTokenTTL is the lifetime of access tokens issued by the token endpoints.
	DefaultTokenTTL = time.Hour
	// DefaultRequestLogLimit is how many requests the log keeps (the most recent).
	DefaultRequestLogLimit = 10000
	// DefaultNamespace is the Instill AI namespace that WithSeed fills.
	DefaultNamespace = "connapitest"
)

// Option configures a Handler or a Server.
type Option func(*config)

type config struct {
	token, apiKey   string
	memberToken     string
	email, password string
	tokenTTL        time.Duration
	seed            int
	faultSeed       int64
	pipesHubSpec    bool
	now             func() time.Time
	logLimit        int
	rateLimit       *rateWindow
}

func newConfig(opts []Option) config {
	c := config{
		token:       DefaultToken,
		memberToken: DefaultMemberToken,
		apiKey:      DefaultAPIKey,
		email:       DefaultEmail,
		password:    DefaultPassword,
		tokenTTL:    DefaultTokenTTL,
		faultSeed:   1,
		now:         time.Now,
		logLimit:    DefaultRequestLogLimit,
	}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithBearerToken replaces DefaultToken as the static bearer token. An empty token
// disables static bearer auth; tokens issued by the token endpoints still work.
func WithBearerToken(token string) Option { return func(c *config) { c.token = token } }

// WithMemberToken replaces DefaultMemberToken, the static bearer token of the
// organization's non-admin member. An empty token turns the member off.
func WithMemberToken(token string) Option { return func(c *config) { c.memberToken = token } }

// WithAPIKey replaces DefaultAPIKey (x-apikey for OpenInt, apikey for GoTrue).
func WithAPIKey(key string) Option { return func(c *config) { c.apiKey = key } }

// WithUser replaces the user of the OAuth2 password grant (DefaultEmail,
// DefaultPassword).
func WithUser(email, password string) Option {
	return func(c *config) { c.email, c.password = email, password }
}

// WithTokenTTL sets the lifetime of issued access tokens (expires_in). Tokens older
// than that, by the server's clock, are refused with 401.
func WithTokenTTL(d time.Duration) Option { return func(c *config) { c.tokenTTL = d } }

// WithSeed preloads n objects per family, deterministically: n Stack AI connections,
// n PipesHub team-scope connector instances, n Instill connections in
// DefaultNamespace and n OpenInt connections. The fixed catalogs (Stack AI available
// connections, PipesHub registry, Instill integrations, OpenInt connector configs)
// are always present.
func WithSeed(n int) Option { return func(c *config) { c.seed = max(n, 0) } }

// WithFaultSeed seeds the random source of rate-based fault rules, so that the same
// seed, the same rules added in the same order (on a new server or after
// Faults.Clear) and the same request order give the same faults. The default seed
// is 1.
func WithFaultSeed(seed int64) Option { return func(c *config) { c.faultSeed = seed } }

// WithPipesHubSpecShape makes the PipesHub routes answer in the shape of the vendor's
// OpenAPI spec (connectorId, instanceName, agentEnabled, ISO times, pagination
// {page, limit, total, hasMore}, create 201, delete 200, a flat /connectors/configured
// page, the instance in toggle's answer, a 302 from an OAuth callback with error=)
// instead of the shape the vendor's backend really returns (_key, name,
// isAgentActive, epoch-ms times, pagination {totalCount, totalPages, hasNext, …},
// create 200, delete 202, the configured page nested under connectors, no instance
// in toggle's answer, 200 {success: false, error, redirectUrl} from a callback with
// error=).
func WithPipesHubSpecShape() Option { return func(c *config) { c.pipesHubSpec = true } }

// WithClock sets the server's clock, used for created/updated times and token expiry.
// Seeded objects always have fixed times starting at SeedTime.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithRequestLogLimit sets how many of the most recent requests the log keeps;
// 0 turns the log off.
func WithRequestLogLimit(n int) Option { return func(c *config) { c.logLimit = max(n, 0) } }
