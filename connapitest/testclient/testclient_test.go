package testclient_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"testing"

	"github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
	"github.com/connapi/connapi-go/connapitest/testclient"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Each platform's client reaches its fake (one call of each of its services
// succeeds), knows its platform, and refuses the other platforms' services
// without a request.
func TestNewPerPlatform(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer(connapitest.WithSeed(2))
	t.Cleanup(srv.Close)
	ctx := context.Background()
	calls := map[connapi.Platform][]func(*connapi.Client) error{
		connapi.PlatformStackAI: {
			func(c *connapi.Client) error { _, _, err := c.Connections.List(ctx, nil); return err },
		},
		connapi.PlatformPipesHub: {
			func(c *connapi.Client) error { _, _, err := c.ConnectorInstances.List(ctx, nil); return err },
		},
		connapi.PlatformInstill: {
			func(c *connapi.Client) error { _, _, err := c.Integrations.List(ctx, nil); return err },
		},
		connapi.PlatformOpenInt: {
			func(c *connapi.Client) error { _, _, err := c.CoreConnections.List(ctx, nil); return err },
		},
	}
	for p, own := range calls {
		c, err := testclient.New(srv, p, connapi.WithRetryWait(0, 0))
		require.NoError(t, err, p)
		assert.Equal(t, p, c.Platform())
		assert.Equal(t, testclient.URL(srv, p), c.BaseURL())
		for _, call := range own {
			require.NoError(t, call(c), p)
		}
		srv.ResetRequests()
		for q, other := range calls {
			if q == p {
				continue
			}
			for _, call := range other {
				err := call(c)
				assert.True(t, errors.Is(err, connapi.ErrWrongPlatform), "%v client, %v call: %v", p, q, err)
			}
		}
		assert.Empty(t, srv.Requests(), "%v: a refused call sends nothing", p)
	}
}

func TestUnknownPlatform(t *testing.T) {
	t.Parallel()
	srv := connapitest.NewServer()
	t.Cleanup(srv.Close)
	assert.Empty(t, testclient.URL(srv, connapi.PlatformUnknown))
	_, err := testclient.New(srv, connapi.PlatformUnknown)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithPlatform")
}

// A test of your own code gets a client per platform; a call to another platform's
// service fails at once, before any request.
func ExampleNew() {
	srv := connapitest.NewServer(connapitest.WithSeed(3))
	defer srv.Close()

	c, err := testclient.New(srv, connapi.PlatformOpenInt, connapi.WithRetryWait(0, 0))
	if err != nil {
		log.Fatal(err)
	}
	conns, _, err := c.CoreConnections.List(context.Background(), nil)
	fmt.Println(len(conns), "connections", err)

	_, _, err = c.ConnectorInstances.Get(context.Background(), "c1", nil)
	fmt.Println(errors.Is(err, connapi.ErrWrongPlatform), len(srv.Requests()), "request sent in all")
	// Output:
	// 3 connections <nil>
	// true 1 request sent in all
}
