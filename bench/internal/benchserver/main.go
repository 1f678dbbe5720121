// Command benchserver serves server.Handler on a loopback port for the
// benchmarks, in a process of its own, so that the benchmarks' B/op and allocs/op
// count the client alone. bench's TestMain builds and starts it, and stops it at the
// end.
//
// It listens on two loopback ports: the API, whose new connections it counts, and a
// control port answering GET /stats with {"newConns": N, "requests": M}, so that
// reading the counters opens no connection on the API port. It prints
// "api=ADDR control=ADDR" on one line once both are ready, and exits when its
// standard input closes (the parent ended, however it ended) or on SIGTERM/SIGINT.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/connapi/connapi-go/bench/internal/server"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("benchserver: ")
	var newConns, requests atomic.Int64
	h := server.New(true)
	api := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			h.ServeHTTP(w, r)
		}),
		ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				newConns.Add(1)
			}
		},
		ReadHeaderTimeout: 10 * time.Second,
	}
	control := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]int64{"newConns": newConns.Load(), "requests": requests.Load()})
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	var lc net.ListenConfig
	apiLn, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	controlLn, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go func() { _ = api.Serve(apiLn) }()
	go func() { _ = control.Serve(controlLn) }()
	fmt.Printf("api=%s control=%s\n", apiLn.Addr(), controlLn.Addr())

	stop := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(stop)
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-stop:
	case <-sig:
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = api.Shutdown(ctx)
	_ = control.Shutdown(ctx)
}
