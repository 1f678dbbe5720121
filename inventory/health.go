package inventory

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strings"
	"sync"

	connapi "github.com/connapi/connapi-go"
)

// Health is the result of one connection's probe.
type Health struct {
	*Connection
	// Healthy is true when the probe passed.
	Healthy bool `json:"healthy"`
	// Reason says why the connection is broken: the platform's status and message,
	// or the probe's error. Empty when Healthy.
	Reason string `json:"reason,omitempty"`
	// Err is the probe's error, if the probe itself failed (a 4xx or 5xx from the
	// platform, a network error). It is nil when the probe ran and reported a
	// broken connection.
	Err error `json:"-"`
}

// Health checks every connection of every source with its platform's probe (see
// the package documentation), with up to Options.Parallel requests in flight
// (the probes and the pages of the list together), and
// yields the results in the order of Connections. A source that cannot be listed
// yields its *SourceError, as in Connections; a probe that fails yields a Health
// with Healthy false and Err set, and the other probes go on. Breaking out of the
// loop stops every request and goroutine before the loop statement returns.
func Check(ctx context.Context, sources []Source, opts *Options) iter.Seq2[*Health, error] {
	return func(yield func(*Health, error) bool) {
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
		// Every request holds a token: the list's steps and the probes.
		requests := make(chan struct{}, opts.parallel())
		// Probes run in a window of Parallel: each result has its own channel, and
		// the channels are read in the order the probes were started.
		type pending struct {
			h   chan *Health
			err error
		}
		// With the one the reader waits on, at most Parallel probes run at once.
		window := make(chan pending, opts.parallel()-1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(window)
			for conn, err := range connections(ctx, sources, opts, requests) {
				if err != nil {
					select {
					case window <- pending{err: err}:
						continue
					case <-ctx.Done():
						return
					}
				}
				ch := make(chan *Health, 1)
				select {
				case window <- pending{h: ch}:
				case <-ctx.Done():
					return
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					// Without a token ctx has ended, and the probe fails at once.
					if acquire(ctx, requests) {
						defer release(requests)
					}
					ch <- Probe(ctx, sources[conn.source], conn, reqOpts...)
				}()
			}
		}()
		for p := range window {
			if p.err != nil {
				if !yield(nil, p.err) {
					return
				}
				continue
			}
			if !yield(<-p.h, nil) {
				return
			}
		}
	}
}

// Probe runs conn's platform probe through src's client and returns the result;
// it never returns nil. conn must come from src (Connections with src).
func Probe(ctx context.Context, src Source, conn *Connection, opts ...connapi.RequestOption) *Health {
	h := &Health{Connection: conn}
	broken := func(reason string) *Health {
		h.Reason = reason
		return h
	}
	failed := func(err error) *Health {
		h.Err = err
		return broken(strings.TrimPrefix(err.Error(), "connapi: "))
	}
	platform, err := src.platform()
	if err == nil && conn.Platform != platform {
		err = fmt.Errorf("%w: the connection is on %v, the source on %v", errBadSource, conn.Platform, platform)
	}
	if err != nil {
		return failed(err)
	}
	c := src.Client
	switch platform {
	case connapi.PlatformStackAI:
		out, _, err := c.Connections.Health(ctx, conn.ID, nil, opts...)
		if err != nil {
			return failed(err)
		}
		if st, ok := out["status"].(string); ok && !strings.EqualFold(st, "healthy") && !strings.EqualFold(st, "ok") {
			return broken("status " + st)
		}
	case connapi.PlatformPipesHub:
		m, _, err := c.ConnectorInstances.Get(ctx, conn.ID, nil, opts...)
		if err != nil {
			return failed(err)
		}
		switch {
		case !m.IsConfigured:
			return broken("not configured")
		case !m.IsAuthenticated:
			return broken("not authenticated")
		case !m.IsActive:
			return broken("not active")
		}
	case connapi.PlatformInstill:
		if _, err := c.NamespaceConnections.Test(ctx, src.Namespace, conn.ID, nil, opts...); err != nil {
			return failed(err)
		}
	case connapi.PlatformOpenInt:
		raw, _, err := c.CoreConnections.Check(ctx, conn.ID, nil, opts...)
		if err != nil {
			return failed(err)
		}
		var out struct {
			Status        string `json:"status"`
			StatusMessage string `json:"statusMessage"`
		}
		// An answer that is not an object carries no status: the check passed.
		_ = json.Unmarshal(raw, &out)
		switch strings.ToLower(out.Status) {
		case "", "healthy", "manual":
		default:
			reason := "status " + out.Status
			if out.StatusMessage != "" {
				reason += ": " + out.StatusMessage
			}
			return broken(reason)
		}
	default: // platform() refused anything else
		return failed(fmt.Errorf("%w: unknown platform %v", errBadSource, platform))
	}
	h.Healthy = true
	return h
}
