package connapi

// The soak (issue 11): 10,000 operations from 32 goroutines on one client, reads
// and writes of the four families, against connapitest's stateful fake behind
// internal/faultserver, which faults 20 % of the requests (of attempts and
// retries alike) from a fixed seed and knows which writes the fake applied. It
// prints one line and asserts that no write was duplicated, none was acknowledged
// and lost, none was applied but reported as a definite failure, every call
// reported the attempts that reached the server, and no goroutine leaked.
//
//	go test -race -run '^TestSoak$' -v .

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/internal/faultserver"
	"github.com/connapi/connapi-go/models"
)

const (
	soakOps     = 10000
	soakWorkers = 32
	soakRate    = 0.20 // share of requests that get a fault
	soakSeed    = 20261111
)

// soakFaults are drawn uniformly for the faulted requests.
var soakFaults = []faultserver.Fault{
	status(429, "Retry-After", "1"),
	status(500),
	status(502),
	status(503),
	status(504),
	{Kind: faultserver.StatusAfterApply, Status: 504},
	{Kind: faultserver.ResetBeforeResponse},
	{Kind: faultserver.ResetReused},
	{Kind: faultserver.ResetMidBody},
	{Kind: faultserver.Truncate},
	{Kind: faultserver.InvalidJSON},
	{Kind: faultserver.HTML, Status: 503, ContentType: "text/html; charset=iso-8859-1", Body: faultserver.Latin1Page},
	{Kind: faultserver.Oversized, Size: 128 << 10},
	{Kind: faultserver.SlowHeaders},
	{Kind: faultserver.Redirect, Status: 307},
	{Kind: faultserver.Redirect, Status: 302},
}

// soakPlan faults a request with probability soakRate, from the operation's id
// and the request's ordinal within it, so the faults do not depend on how the
// goroutines interleave.
func soakPlan(in faultserver.Info) faultserver.Fault {
	h := fnv.New64a()
	_, _ = h.Write([]byte(in.Op))
	r := rand.New(rand.NewPCG(soakSeed, h.Sum64()+uint64(in.OpSeq)))
	if r.Float64() >= soakRate {
		return faultserver.Fault{}
	}
	return soakFaults[r.IntN(len(soakFaults))]
}

// soakResult is one operation as its caller saw it.
type soakResult struct {
	op       string // the id the server records it under
	kind     string
	write    bool
	once     bool // must never be applied twice
	report   report
	attempts int // reported by the client; 0 when the call ended without a response
	err      error
}

// soakWorker is one goroutine's state: the objects it created and may change.
type soakWorker struct {
	c      *Client
	g      int
	rng    *rand.Rand
	seeded soakIDs
	owned  soakIDs
}

type soakIDs struct {
	stack, pipes, instill, openint []string
	ccfg                           string
}

func TestSoak(t *testing.T) {
	leaks := goleak.IgnoreCurrent()
	ops := soakOps
	if testing.Short() {
		ops = soakOps / 10
	}
	// An attempt held by a SlowHeaders fault (the server ran it and holds its
	// answer) times out as the server holds it (attemptTimeouts), as its
	// per-attempt timeout would; no other attempt can time out, however slow the
	// machine: one that did would be counted as an attempt (and a retry) the
	// server never saw.
	timeouts := newAttemptTimeouts()
	defer timeouts.close()
	srv := faultserver.New(connapitest.NewHandler(connapitest.WithSeed(4)), faultserver.Options{
		Rewrite: faultserver.OneOrigin,
		Held: func(rec faultserver.Record) {
			if !timeouts.expire(rec.Header) {
				t.Errorf("the server holds a request of no attempt: %s", rec.RequestURI)
			}
		},
	})
	c, err := NewClient(
		WithBaseURL(srv.URL()+"/"),
		WithBearerToken(connapitest.DefaultToken),
		WithMaxResponseBytes(64<<10),
		WithDefaultRequestOptions(WithRequestTimeout(heldAttemptTimeout)),
		WithObserver(timeouts.observer()),
	)
	if err != nil {
		t.Fatal(err)
	}
	c.waitHook = func(time.Duration) time.Duration { return 0 }
	seeded := soakSeeded(t, c)
	srv.SetPlan(soakPlan)

	start := time.Now()
	results := make([][]soakResult, soakWorkers)
	var wg sync.WaitGroup
	for g := range soakWorkers {
		n := ops / soakWorkers
		if g < ops%soakWorkers {
			n++
		}
		w := &soakWorker{c: c, g: g, rng: rand.New(rand.NewPCG(soakSeed, uint64(g))), seeded: seeded}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				results[g] = append(results[g], w.step(fmt.Sprintf("%d-%d", g, i)))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	// What the server saw, per operation.
	type seen struct{ requests, applied int }
	server := map[string]*seen{}
	for _, r := range srv.Requests() {
		if r.Hop || r.Op == "" {
			continue
		}
		s := server[r.Op]
		if s == nil {
			s = &seen{}
			server[r.Op] = s
		}
		s.requests++
		if r.Applied {
			s.applied++
		}
	}
	faults := srv.Faults()
	stats := c.RetryStats()
	c.CloseIdleConnections()
	srv.Close()

	var total, serverRetries, duplicates, lostAcks, misreported, miscounted int
	for _, rs := range results {
		for _, r := range rs {
			total++
			s := server[r.op]
			if s == nil {
				s = &seen{}
			}
			serverRetries += max(s.requests-1, 0)
			if r.attempts > 0 && r.attempts != s.requests {
				miscounted++
				t.Errorf("%s %s: the client reports %d attempts, the server saw %d requests (%v)", r.op, r.kind, r.attempts, s.requests, r.err)
			}
			if !r.write {
				continue
			}
			switch {
			case r.once && s.applied > 1:
				duplicates++
				t.Errorf("%s %s: duplicate: applied %d times (%v)", r.op, r.kind, s.applied, r.err)
			case r.report == reportedApplied && s.applied == 0:
				lostAcks++
				t.Errorf("%s %s: lost ack: reported applied, the server applied nothing", r.op, r.kind)
			case r.report == reportedFailed && s.applied > 0:
				misreported++
				t.Errorf("%s %s: misreported: applied, reported as a definite failure: %v", r.op, r.kind, r.err)
			}
		}
	}
	leaked := 0
	if err := goleak.Find(leaks); err != nil {
		leaked = max(strings.Count(err.Error(), "Goroutine "), 1)
		t.Errorf("leaked goroutines: %v", err)
	}
	line := fmt.Sprintf("soak: operations=%d faults=%d retries=%d duplicates=%d lost_acks=%d misreported_writes=%d leaked_goroutines=%d "+
		"(attempts miscounted=%d, retries the budget refused=%d, %d workers, seed %d, %s)",
		total, faults, stats.Retries, duplicates, lostAcks, misreported, leaked, miscounted, stats.BudgetDenied, soakWorkers, soakSeed, elapsed.Round(time.Millisecond))
	t.Log(line)
	if int(stats.Retries) != serverRetries {
		t.Errorf("the client counts %d retries, the server saw %d", stats.Retries, serverRetries)
	}
	if total != ops || faults < ops/10 {
		t.Errorf("the soak ran %d operations with %d faults: it tested too little", total, faults)
	}
}

// soakSeeded reads the seeded objects through warm-up requests, which are never
// faulted.
func soakSeeded(t *testing.T, c *Client) soakIDs {
	t.Helper()
	ctx := context.Background()
	var ids soakIDs
	stack, _, err := c.Connections.List(ctx, nil, warm)
	mustSetup(t, err, len(stack) > 0)
	for _, s := range stack {
		ids.stack = append(ids.stack, s.ConnectionID)
	}
	pipes, _, err := c.ConnectorInstances.List(ctx, nil, warm)
	mustSetup(t, err, pipes != nil && len(pipes.Connectors) > 0)
	for _, p := range pipes.Connectors {
		ids.pipes = append(ids.pipes, p.ConnectorID)
	}
	inst, _, err := c.NamespaceConnections.List(ctx, connapitest.DefaultNamespace, nil, warm)
	mustSetup(t, err, inst != nil && len(inst.Connections) > 0)
	for _, i := range inst.Connections {
		ids.instill = append(ids.instill, i.ID)
	}
	oi, _, err := c.CoreConnections.List(ctx, nil, warm)
	mustSetup(t, err, len(oi) > 0)
	for _, o := range oi {
		ids.openint = append(ids.openint, o.ID)
	}
	ids.ccfg = oi[0].ConnectorConfigID
	return ids
}

// step runs one operation, chosen at random: 40 % reads of seeded or owned
// objects, 60 % writes (a write that needs an object of its own creates one when
// it has none).
func (w *soakWorker) step(op string) (res soakResult) {
	res.op = op
	ctx := context.Background()
	opts := []RequestOption{WithHeader(faultserver.OpHeader, op)}
	family := w.rng.IntN(4)
	read := w.rng.IntN(10) < 4
	verb := w.rng.IntN(4) // 0 create, 1 replace or rename, 2 patch, 3 delete
	keyed := w.rng.IntN(2) == 0
	pick := func(seeded, owned []string) string {
		all := append(append([]string(nil), seeded...), owned...)
		return all[w.rng.IntN(len(all))]
	}
	take := func(owned *[]string) string { // an owned object, forgotten if the op deletes it
		i := w.rng.IntN(len(*owned))
		id := (*owned)[i]
		if verb == 3 {
			*owned = append((*owned)[:i], (*owned)[i+1:]...)
		}
		return id
	}
	var resp *Response
	var err error
	defer func() {
		res.err = err
		res.report = classify(err)
		res.attempts = clientAttemptsOf(resp, err)
	}()
	name := "soak " + op
	switch family {
	case 0: // Stack AI
		owned := &w.owned.stack
		switch {
		case read:
			res.kind = "stack get"
			_, resp, err = w.c.Connections.Get(ctx, pick(w.seeded.stack, *owned), nil, opts...)
		case verb == 0 || len(*owned) == 0:
			res.kind, res.write, res.once = "stack create", true, true
			if keyed {
				res.kind += "+key"
				opts = append(opts, WithIdempotencyKey(op))
			}
			var conn *models.Connection
			conn, resp, err = w.c.Connections.Create(ctx, &models.ConnectionRequest{Name: name, ProviderID: "notion", ConnectionTypeID: "notion"}, opts...)
			if err == nil {
				*owned = append(*owned, conn.ConnectionID)
			}
		case verb == 1:
			res.kind, res.write = "stack put", true
			_, resp, err = w.c.Connections.Update(ctx, take(owned), &models.ConnectionRequest{Name: name, ProviderID: "notion", ConnectionTypeID: "notion"}, opts...)
		case verb == 2:
			res.kind, res.write, res.once = "stack patch", true, true
			_, resp, err = w.c.Connections.Patch(ctx, take(owned), &PatchConnectionRequest{Name: name}, opts...)
		default:
			res.kind, res.write = "stack delete", true
			resp, err = w.c.Connections.Delete(ctx, take(owned), nil, opts...)
		}
	case 1: // PipesHub
		owned := &w.owned.pipes
		switch {
		case read:
			res.kind = "pipeshub get"
			_, resp, err = w.c.ConnectorInstances.Get(ctx, pick(w.seeded.pipes, *owned), nil, opts...)
		case verb == 0 || verb == 2 || len(*owned) == 0:
			res.kind, res.write, res.once = "pipeshub create", true, true
			if keyed {
				res.kind += "+key"
				opts = append(opts, WithIdempotencyKey(op))
			}
			var in *models.ConnectorInstance
			in, resp, err = w.c.ConnectorInstances.Create(ctx, &CreateConnectorRequest{ConnectorType: "Jira", InstanceName: name, Scope: "personal", AuthType: models.AuthTypeAPIToken}, opts...)
			if err == nil {
				*owned = append(*owned, in.ConnectorID)
			}
		case verb == 1:
			res.kind, res.write = "pipeshub rename", true
			_, resp, err = w.c.ConnectorInstances.UpdateName(ctx, take(owned), &UpdateConnectorNameRequest{InstanceName: name}, opts...)
		default:
			res.kind, res.write = "pipeshub delete", true
			resp, err = w.c.ConnectorInstances.Delete(ctx, take(owned), nil, opts...)
		}
	case 2: // Instill AI
		owned := &w.owned.instill
		ns := connapitest.DefaultNamespace
		switch {
		case read:
			res.kind = "instill get"
			_, resp, err = w.c.NamespaceConnections.Get(ctx, ns, pick(w.seeded.instill, *owned), nil, opts...)
		case verb == 0 || verb == 1 || len(*owned) == 0:
			res.kind, res.write, res.once = "instill create", true, true
			if keyed {
				res.kind += "+key"
				opts = append(opts, WithIdempotencyKey(op))
			}
			id := "soak-" + op
			_, resp, err = w.c.NamespaceConnections.Create(ctx, ns, &models.NamespaceConnection{
				ID: id, IntegrationID: "github", Method: models.NamespaceConnectionMethodDictionary, Setup: map[string]any{"token": "soak-token-" + op},
			}, opts...)
			if err == nil {
				*owned = append(*owned, id)
			}
		case verb == 2:
			res.kind, res.write, res.once = "instill patch", true, true
			_, resp, err = w.c.NamespaceConnections.Update(ctx, ns, take(owned), &UpdateNamespaceConnectionRequest{Scopes: []string{op}}, opts...)
		default:
			res.kind, res.write = "instill delete", true
			resp, err = w.c.NamespaceConnections.Delete(ctx, ns, take(owned), nil, opts...)
		}
	default: // OpenInt
		owned := &w.owned.openint
		switch {
		case read:
			res.kind = "openint get"
			_, resp, err = w.c.CoreConnections.Get(ctx, pick(w.seeded.openint, *owned), nil, opts...)
		case verb == 0 || verb == 1 || len(*owned) == 0:
			res.kind, res.write, res.once = "openint create", true, true
			if keyed {
				res.kind += "+key"
				opts = append(opts, WithIdempotencyKey(op))
			}
			var id string
			id, resp, err = w.c.CoreConnections.Create(ctx, &CreateCoreConnectionRequest{ConnectorConfigID: w.seeded.ccfg, DisplayName: &name}, opts...)
			if err == nil {
				*owned = append(*owned, id)
			}
		case verb == 2:
			res.kind, res.write, res.once = "openint patch", true, true
			_, resp, err = w.c.CoreConnections.Update(ctx, take(owned), &UpdateCoreConnectionRequest{DisplayName: models.NewNullable(name)}, opts...)
		default:
			res.kind, res.write = "openint delete", true
			resp, err = w.c.CoreConnections.Delete(ctx, take(owned), nil, opts...)
		}
	}
	return res
}

// clientAttemptsOf is the attempts the client reports, 0 when the call ended
// without a response.
func clientAttemptsOf(resp *Response, err error) int {
	if resp != nil {
		return resp.Attempts
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Attempts
	}
	return 0
}
