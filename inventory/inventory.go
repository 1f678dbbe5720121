// Package inventory gives one view of the connections held on several platforms:
// it turns a list of clients (each with a profile name) into one stream of
// connection summaries, and checks the health of every connection with the
// platform's own probe. A source's platform is its client's connapi.Platform (a
// vendor base URL, or connapi.WithPlatform), or Source.Platform for a client that
// does not know it.
//
// Both walks run concurrently (at most Options.Parallel sources listed at once;
// in Check, at most Options.Parallel requests in flight, pages and probes
// together), and yield in a fixed order (the sources' order, then each platform's own list
// order), so two runs over the same data print the same thing. A source that
// fails is reported once as a *SourceError and never stops the other sources;
// a probe that fails is reported on its connection's Health, and never stops
// the other probes.
//
// The health probe of each platform:
//
//   - Stack AI: Connections.Health (GET /connections/{id}/health). Healthy when it
//     answers 2xx and its untyped answer has no "status" other than "healthy" or
//     "ok".
//   - OpenInt: CoreConnections.Check (POST /core/connection/{id}/_check). Healthy
//     when it answers 2xx with no "status", or with status "healthy" or "manual";
//     otherwise the status and statusMessage are the reason.
//   - Instill AI: NamespaceConnections.Test (POST …/connections/{id}/test), which
//     calls the third-party app with the connection's setup (it may count against
//     that account's quota). Healthy when it answers 2xx.
//   - PipesHub: the connector API has no health or test endpoint, so the probe is
//     a fresh ConnectorInstances.Get of the instance and its flags: healthy when it
//     is configured (isConfigured), authenticated (isAuthenticated) and active
//     (isActive). A connector that is switched off is reported as "not active".
//
// The package imports only the SDK, its models and the standard library.
package inventory

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync"
	"time"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/models"
)

// DefaultParallel is the number of requests in flight when Options.Parallel is 0.
const DefaultParallel = 8

// Source is one account on one platform: a client configured for it, the
// platform it talks to, and the name under which results are reported.
type Source struct {
	// Profile names the account in results and errors, e.g. "work-openint".
	Profile string
	// Platform is the platform Client talks to. The zero value,
	// connapi.PlatformUnknown, means Client.Platform(): the platform of a vendor
	// base URL, or the one given to connapi.WithPlatform. A platform given here
	// must agree with a client that knows its own.
	Platform connapi.Platform
	// Client is configured with the platform's base URL and credentials.
	Client *connapi.Client
	// Namespace is the Instill AI namespace whose connections are listed
	// (required for Instill, ignored elsewhere).
	Namespace string
}

// Options tune the walks. A nil *Options means the defaults.
type Options struct {
	// Parallel bounds the requests in flight: sources listed at once by
	// Connections; the pages being fetched and the probes running, together, by
	// Check. 0 means DefaultParallel.
	Parallel int
	// RequestOptions are added to every SDK call (a timeout per attempt, say).
	RequestOptions []connapi.RequestOption
}

func (o *Options) parallel() int {
	if o == nil || o.Parallel <= 0 {
		return DefaultParallel
	}
	return o.Parallel
}

func (o *Options) reqOpts() []connapi.RequestOption {
	if o == nil {
		return nil
	}
	return o.RequestOptions
}

// Connection is the summary of one connection, whatever its platform.
type Connection struct {
	// Platform is encoded as its short name: "stackai", "pipeshub", "instill"
	// or "openint" (connapi.Platform.MarshalText).
	Platform connapi.Platform `json:"platform"`
	Profile  string           `json:"profile"`
	// ID is what the platform's get and delete calls take: a Stack AI connection
	// UUID, a PipesHub connector id, an Instill connection id (within Namespace),
	// an OpenInt "conn_…" id.
	ID string `json:"id"`
	// Name is the display name (Stack AI name, PipesHub instance name, Instill
	// connection id, OpenInt display name).
	Name string `json:"name"`
	// Type is the provider or connector type: Stack AI provider, PipesHub
	// connector type, Instill integration, OpenInt connector name.
	Type string `json:"type"`
	// Status is the platform's own word for the connection's state, when it has
	// one: PipesHub active, inactive, unauthenticated or unconfigured (or the
	// server's status such as DELETING); OpenInt's standard status, or
	// "disabled". Empty for Stack AI and Instill, whose lists carry no status.
	Status string `json:"status,omitempty"`
	// Namespace is the Instill AI namespace (Instill only).
	Namespace string    `json:"namespace,omitempty"`
	Created   time.Time `json:"created,omitzero"`
	Updated   time.Time `json:"updated,omitzero"`
	// Object is the platform's own model: *models.Connection,
	// *models.ConnectorInstance, *models.NamespaceConnection or
	// *models.CoreConnection. It may hold credentials and is not encoded.
	Object any `json:"-"`

	source int // the index of its Source in the walk's sources
}

// SourceError is a source that could not be listed, or whose listing broke off:
// a bad Source, an error from its platform. The other sources are not affected.
type SourceError struct {
	Profile string
	// Platform is the source's platform, PlatformUnknown when it has none.
	Platform connapi.Platform
	Err      error
}

// Error returns "profile (platform): cause".
func (e *SourceError) Error() string {
	return fmt.Sprintf("%s (%s): %s", e.Profile, e.Platform, strings.TrimPrefix(fmt.Sprint(e.Err), "connapi: "))
}

// Unwrap returns the cause, so errors.Is(err, connapi.ErrUnauthorized) works.
func (e *SourceError) Unwrap() error { return e.Err }

// errBadSource is the cause of a SourceError for a Source that cannot be used.
var errBadSource = errors.New("bad source")

// platform returns the source's platform, or why it cannot be used.
func (s *Source) platform() (connapi.Platform, error) {
	if s.Client == nil {
		return s.Platform, fmt.Errorf("%w: no client", errBadSource)
	}
	p, own := s.Platform, s.Client.Platform()
	switch {
	case p == connapi.PlatformUnknown:
		p = own
	case own != connapi.PlatformUnknown && own != p:
		return p, fmt.Errorf("%w: the source says %v, but its client talks to %v", errBadSource, p, own)
	}
	switch p {
	case connapi.PlatformStackAI, connapi.PlatformPipesHub, connapi.PlatformOpenInt:
	case connapi.PlatformInstill:
		if s.Namespace == "" {
			return p, fmt.Errorf("%w: an Instill AI source needs a namespace", errBadSource)
		}
	case connapi.PlatformUnknown:
		return p, fmt.Errorf("%w: no platform: set Source.Platform, or build the client with connapi.WithPlatform or a vendor base URL", errBadSource)
	default:
		return p, fmt.Errorf("%w: unknown platform %v", errBadSource, p)
	}
	return p, nil
}

// Connections returns every connection of every source, source by source in the
// order given. Up to Options.Parallel sources are listed at once (each walking
// all its pages through the SDK's iterator), and a source's connections are held
// back, at most a page or so, until the sources before it are done. A source
// that fails yields one *SourceError (after whatever it listed before failing)
// and the walk goes on with the next. Breaking out of the loop stops every
// request and goroutine before the loop statement returns.
func Connections(ctx context.Context, sources []Source, opts *Options) iter.Seq2[*Connection, error] {
	return connections(ctx, sources, opts, nil)
}

// connections is Connections; with requests, each step of a source's walk (which
// may fetch a page) holds one of its tokens, so that Check bounds its listing and
// its probes together.
func connections(ctx context.Context, sources []Source, opts *Options, requests chan struct{}) iter.Seq2[*Connection, error] {
	return func(yield func(*Connection, error) bool) {
		if ctx == nil {
			yield(nil, fmt.Errorf("inventory: %w: nil context", connapi.ErrInvalidParams))
			return
		}
		ctx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		defer func() {
			cancel()
			wg.Wait()
		}()
		reqOpts := opts.reqOpts()
		// One channel per source, read in order. A dispatcher starts the sources in
		// order as slots free up, so the source being read always runs or is done.
		chans := make([]chan item, len(sources))
		for i := range chans {
			chans[i] = make(chan item, 64)
		}
		sem := make(chan struct{}, opts.parallel())
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range sources {
				select {
				case sem <- struct{}{}:
				case <-ctx.Done():
					for _, ch := range chans[i:] {
						close(ch)
					}
					return
				}
				wg.Add(1)
				go func(src Source, out chan<- item) {
					defer wg.Done()
					defer func() { <-sem }()
					defer close(out)
					listSource(ctx, i, src, reqOpts, requests, out)
				}(sources[i], chans[i])
			}
		}()
		for i, ch := range chans {
			ended := false
			for it := range ch {
				if it.end {
					ended = true
					if it.err == nil {
						continue
					}
				}
				if !yield(it.conn, it.err) {
					return
				}
			}
			if !ended { // cut short: the caller's context is done
				src := sources[i]
				p, _ := src.platform()
				if !yield(nil, &SourceError{Profile: src.Profile, Platform: p, Err: context.Cause(ctx)}) {
					return
				}
			}
		}
	}
}

// acquire takes a token of requests (none when it is nil); false when ctx ends
// first.
func acquire(ctx context.Context, requests chan struct{}) bool {
	if requests == nil {
		return true
	}
	select {
	case requests <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// release gives back a token acquire took.
func release(requests chan struct{}) {
	if requests != nil {
		<-requests
	}
}

// item is one element of a source's stream. The last one has end set, with the
// error that ended the source, if any.
type item struct {
	conn *Connection
	err  error
	end  bool
}

// listSource sends src's connections, then its error if any, to out. It stops
// when ctx is done. With requests, each step of the walk holds a token of it.
func listSource(ctx context.Context, index int, src Source, opts []connapi.RequestOption, requests chan struct{}, out chan<- item) {
	send := func(it item) bool {
		select {
		case out <- it:
			return true
		case <-ctx.Done():
			return false
		}
	}
	platform, err := src.platform()
	fail := func(err error) {
		send(item{err: &SourceError{Profile: src.Profile, Platform: platform, Err: err}, end: true})
	}
	if err != nil {
		fail(err)
		return
	}
	next, stop := iter.Pull2(list(ctx, src, platform, opts))
	defer stop()
	for {
		if !acquire(ctx, requests) {
			return
		}
		conn, err, ok := next()
		release(requests)
		if !ok {
			break
		}
		if err != nil {
			fail(err)
			return
		}
		conn.source = index
		if !send(item{conn: conn}) {
			return
		}
	}
	send(item{end: true})
}

// list walks the source's connections as summaries.
func list(ctx context.Context, src Source, platform connapi.Platform, opts []connapi.RequestOption) iter.Seq2[*Connection, error] {
	c := src.Client
	base := Connection{Platform: platform, Profile: src.Profile}
	switch platform {
	case connapi.PlatformStackAI:
		return mapSeq(c.Connections.ListIter(ctx, nil, opts...), func(m *models.Connection) *Connection {
			s := base
			s.ID, s.Name, s.Type = m.ConnectionID, m.Name, firstNonEmpty(m.ProviderID, m.ConnectionTypeID)
			s.Created, s.Updated, s.Object = m.CreatedAt.Time, m.UpdatedAt.Time, m
			return &s
		})
	case connapi.PlatformPipesHub:
		// The list needs a scope: team-scope instances, then the caller's own.
		return func(yield func(*Connection, error) bool) {
			for _, scope := range []models.ConnectorScope{models.ConnectorScopeTeam, models.ConnectorScopePersonal} {
				p := &connapi.ListConnectorInstancesParams{Scope: scope}
				for m, err := range mapSeq(c.ConnectorInstances.ListIter(ctx, p, opts...), func(m *models.ConnectorInstance) *Connection {
					s := base
					s.ID, s.Name, s.Type, s.Status = m.ConnectorID, m.InstanceName, m.ConnectorType, pipesHubStatus(m)
					s.Created, s.Updated, s.Object = m.CreatedAt.Time, m.UpdatedAt.Time, m
					return &s
				}) {
					if !yield(m, err) || err != nil {
						return
					}
				}
			}
		}
	case connapi.PlatformInstill:
		return mapSeq(c.NamespaceConnections.ListIter(ctx, src.Namespace, nil, opts...), func(m *models.NamespaceConnection) *Connection {
			s := base
			s.ID, s.Name, s.Type, s.Namespace = m.ID, m.ID, m.IntegrationID, src.Namespace
			s.Created, s.Updated, s.Object = m.CreateTime.Time, m.UpdateTime.Time, m
			return &s
		})
	default: // OpenInt; platform() refused anything else
		return mapSeq(c.CoreConnections.ListIter(ctx, nil, opts...), func(m *models.CoreConnection) *Connection {
			s := base
			s.ID, s.Name, s.Type, s.Status = m.ID, m.DisplayName, m.ConnectorName, openIntStatus(m)
			if s.Name == "" && m.Standard != nil {
				s.Name = m.Standard.DisplayName
			}
			s.Created, s.Updated, s.Object = m.CreatedAt.Time, m.UpdatedAt.Time, m
			return &s
		})
	}
}

// mapSeq applies f to every item of seq; errors pass through.
func mapSeq[T any](seq iter.Seq2[T, error], f func(T) *Connection) iter.Seq2[*Connection, error] {
	return func(yield func(*Connection, error) bool) {
		for v, err := range seq {
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(f(v), nil) {
				return
			}
		}
	}
}

// pipesHubStatus names an instance's state from its flags, unless the server
// gave one (DELETING).
func pipesHubStatus(m *models.ConnectorInstance) string {
	switch {
	case m.Status != "":
		return m.Status
	case !m.IsConfigured:
		return "unconfigured"
	case !m.IsAuthenticated:
		return "unauthenticated"
	case !m.IsActive:
		return "inactive"
	}
	return "active"
}

func openIntStatus(m *models.CoreConnection) string {
	if m.Disabled {
		return "disabled"
	}
	if m.Standard != nil {
		return string(m.Standard.Status)
	}
	return ""
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
