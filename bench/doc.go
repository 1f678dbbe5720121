// Package bench measures the SDK's PipesHub connector-instance calls against the
// floor (hand-written net/http + encoding/json into plain structs) and two
// generated peers (oapi-codegen and ogen clients of the same operations, in
// peers/), on one loopback server running in a process of its own, so that B/op
// and allocs/op count the client alone. It is a module of its own: the peers'
// runtimes never enter the SDK's go.mod.
//
// Every benchmark is Benchmark<Scenario>/<contestant>:
//
//   - Get, ListPage20, ListPage200, Create: one call each.
//   - Parallel64: Get from 64 goroutines; also reports new-conns/1k (new
//     connections the server saw per 1,000 calls, after a warm-up round).
//     Adds defaulttransport: the floor over net/http's default pool.
//   - Walk100k: 100,000 instances in pages of 200, through the SDK's iterator or
//     the floor's hand-written loop; also reports peak-live-B, the peak live heap
//     of the walk (see peakLiveHeap).
//
// Reproduce docs/PERFORMANCE.md's table with
//
//	cd bench && go test -run '^$' -bench . -count 10 > bench.txt && benchstat bench.txt
//
// TestEquivalence proves the contestants do the same work: every one sends the
// same request and decodes every member of the answers.
package bench
