package connapi

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connapi/connapi-go/internal/faultserver"
	"github.com/connapi/connapi-go/models"
)

// A write whose earlier attempt may have been applied (its answer lost to a 504, a
// reset, a cut body) must not read as a definite failure when the retry then gets
// one (a 409, a 429 above the cap, a refused redirect): the soak of issue 11 found
// PUTs, DELETEs and keyed POSTs applied on the first attempt and reported as
// failed on the second. The error matches ErrMaybeApplied, and still matches what
// the last attempt got.
func TestWriteFailingAfterAnAmbiguousAttemptMayHaveBeenApplied(t *testing.T) {
	t.Parallel()
	applied504 := faultserver.Fault{Kind: faultserver.StatusAfterApply, Status: http.StatusGatewayTimeout}
	midBody := faultserver.Fault{Kind: faultserver.ResetMidBody}
	tests := []struct {
		name   string
		first  faultserver.Fault
		second faultserver.Fault
		call   func(c *Client) error
		is     error
	}{
		{"PUT: 504 after the write, then 409", applied504, status(http.StatusConflict), func(c *Client) error {
			_, _, err := c.Connections.Update(context.Background(), maybeAppliedID, &models.ConnectionRequest{ProviderID: "notion", ConnectionTypeID: "notion"})
			return err
		}, ErrConflict},
		{"keyed POST: body cut off, then a cross-origin redirect", midBody, faultserver.Fault{Kind: faultserver.Redirect, Status: http.StatusTemporaryRedirect}, func(c *Client) error {
			_, _, err := c.Connections.Create(context.Background(), &models.ConnectionRequest{ProviderID: "notion", ConnectionTypeID: "notion"}, WithIdempotencyKey("k"))
			return err
		}, ErrCrossOriginRedirect},
		{"DELETE: 504 after the write, then 429 above the cap", applied504, status(http.StatusTooManyRequests, "Retry-After", "3600"), func(c *Client) error {
			_, err := c.Connections.Delete(context.Background(), maybeAppliedID, nil)
			return err
		}, ErrRateLimited},
		{"POST: 500 on its only attempt", faultserver.Fault{Kind: faultserver.StatusAfterApply, Status: http.StatusInternalServerError}, faultserver.Fault{}, func(c *Client) error {
			_, _, err := c.Connections.Create(context.Background(), &models.ConnectionRequest{ProviderID: "notion", ConnectionTypeID: "notion"})
			return err
		}, ErrServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := maybeAppliedClient(t, faultserver.Nth(1, tt.first), tt.second)
			err := tt.call(c)
			if srv.Applied("") != 1 {
				t.Fatalf("the server applied %d writes, want 1: the case tests nothing", srv.Applied(""))
			}
			if !errors.Is(err, ErrMaybeApplied) {
				t.Errorf("want ErrMaybeApplied, got %v", err)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("want it to match %v as well, got %v", tt.is, err)
			}
		})
	}
}

// A failure that leaves no doubt stays plain: a write refused on its first
// attempt, a write never sent, a read.
func TestDefiniteFailuresAreNotMaybeApplied(t *testing.T) {
	t.Parallel()
	c, srv := maybeAppliedClient(t, faultserver.Always(status(http.StatusBadRequest)), faultserver.Fault{})
	_, _, err := c.Connections.Create(context.Background(), &models.ConnectionRequest{ProviderID: "notion", ConnectionTypeID: "notion"})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || errors.Is(err, ErrMaybeApplied) {
		t.Errorf("a 400 on the only attempt: %v", err)
	}
	srv.SetPlan(faultserver.Always(status(http.StatusBadGateway)))
	_, _, err = c.Connections.Get(context.Background(), maybeAppliedID, nil)
	if !errors.Is(err, ErrServer) || errors.Is(err, ErrMaybeApplied) {
		t.Errorf("a read: %v", err)
	}
	srv.SetPlan(faultserver.Always(status(http.StatusServiceUnavailable)))
	_, err = c.Connections.Delete(context.Background(), maybeAppliedID, nil)
	if !errors.Is(err, ErrServer) || errors.Is(err, ErrMaybeApplied) {
		t.Errorf("503 on every attempt (refused before any work): %v", err)
	}
}

const maybeAppliedID = "5a1c0000-0000-4000-8000-000000000001"

// maybeAppliedClient is a client of a fault server whose handler applies every
// write (2xx), with plan for the first request and then second for the rest.
func maybeAppliedClient(t *testing.T, first faultserver.Plan, then faultserver.Fault) (*Client, *faultserver.Server) {
	t.Helper()
	var n atomic.Int32
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(w, http.StatusOK, `{"connection_id":"`+maybeAppliedID+`","name":"n"}`)
	})
	srv := faultserver.New(inner, faultserver.Options{})
	t.Cleanup(srv.Close)
	srv.SetPlan(func(in faultserver.Info) faultserver.Fault {
		if in.OpSeq == 0 {
			return first(in)
		}
		return then
	})
	c, err := NewClient(WithBaseURL(srv.URL()+"/"), WithBearerToken(testToken))
	if err != nil {
		t.Fatal(err)
	}
	c.waitHook = func(time.Duration) time.Duration { return 0 }
	t.Cleanup(c.CloseIdleConnections)
	return c, srv
}
