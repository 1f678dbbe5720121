// Command stackai-resources signs in to Stack AI with a token source and browses
// the files and folders behind a connection: the root with ChildrenIter, the
// whole tree by following directories, and a search with SearchIter.
//
//	go run ./examples/stackai-resources
//
// By default it runs against connapitest, the SDK's in-process fake, and signs in
// with the OAuth2 password grant (connapi.NewPasswordGrantTokenSource); Stack AI's
// own examples use its GoTrue endpoint instead (connapi.NewGoTrueTokenSource with
// connapi.StackAIGoTrueTokenURL). Everything it does is read-only.
//
// To browse the first connection of a real Stack AI account, set
//
//	CONNAPI_PLATFORM=stackai
//	CONNAPI_BASE_URL=https://api.stack-ai.com/
//	CONNAPI_TOKEN=<a bearer token>
package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"time"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
)

const (
	searchQuery = "summary" // what the search step looks for
	maxWalk     = 500       // the tree walk stops after this many resources
)

func run(ctx context.Context, out io.Writer, env func(string) string) (err error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	p := &printer{w: out, width: 14}
	defer func() { err = cmp.Or(err, p.err) }() // a failed write to out

	c, err := liveClient(env)
	if err != nil {
		return err
	}
	if c == nil {
		srv := connapitest.NewServer(connapitest.WithSeed(1))
		defer srv.Close()
		p.title("stackai-resources, against connapitest at %s\n", srv.URL())
		if c, err = signIn(ctx, p, srv); err != nil {
			return err
		}
	} else {
		p.title("stackai-resources, against %s\n", c.BaseURL())
	}
	return browse(ctx, p, c)
}

// signIn logs in at the fake's token endpoint with the OAuth2 password grant and
// returns a client that gets its bearer token from the token source. The source
// caches the token and refreshes it before it expires.
func signIn(ctx context.Context, p *printer, srv *connapitest.Server) (*connapi.Client, error) {
	ts, err := connapi.NewPasswordGrantTokenSource(connapi.PasswordGrantConfig{
		TokenURL: srv.OAuthTokenURL(),
		Username: srv.Email(),
		Password: srv.Password(),
	})
	if err != nil {
		return nil, err
	}
	// The client would ask for the token on its first request; asking now
	// reports bad credentials before anything else.
	if _, err := ts.Token(ctx); err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	p.line("signed in", "%s (OAuth2 password grant)", srv.Email())
	return connapi.NewClient(connapi.WithBaseURL(srv.StackAIURL()), connapi.WithTokenSource(ts))
}

func browse(ctx context.Context, p *printer, c *connapi.Client) error {
	// The first connection; break ends the iteration without further requests.
	var connID, name string
	for conn, err := range c.Connections.ListIter(ctx, nil) {
		if err != nil {
			return fmt.Errorf("list connections: %w", err)
		}
		connID, name = conn.ConnectionID, conn.Name
		break
	}
	if connID == "" {
		p.line("connections", "none to browse")
		return nil
	}
	p.line("connection", "%q %s", name, connID)

	p.section("Root (ChildrenIter, 3 per page)")
	for res, err := range c.Resources.ChildrenIter(ctx, connID, &connapi.ListChildrenParams{PageSize: 3}) {
		if err != nil {
			return fmt.Errorf("list root: %w", err)
		}
		if res.IsDirectory() {
			p.line(res.InodePath.Path+"/", "directory")
		} else {
			p.line(res.InodePath.Path, "%s, %s", size(res.Size), res.ContentMime)
		}
	}

	p.section("Whole tree (ChildrenIter on each directory)")
	var t tree
	if err := t.walk(ctx, c, connID, ""); err != nil {
		return fmt.Errorf("walk: %w", err)
	}
	p.line("directories", "%d", t.dirs)
	p.line("files", "%d, %s in all", t.files, size(t.bytes))
	if t.truncated {
		p.line("stopped", "after %d resources", maxWalk)
	}

	p.section(fmt.Sprintf("Search %q (SearchIter, 4 per page)", searchQuery))
	n := 0
	for res, err := range c.Resources.SearchIter(ctx, connID, &connapi.SearchResourcesParams{Query: searchQuery, PageSize: 4}) {
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		n++
		p.item(res.InodePath.Path)
	}
	if n == 0 {
		p.item("no match")
	}
	return nil
}

// tree counts resources during a depth-first walk.
type tree struct {
	dirs, files int
	bytes       int64
	truncated   bool
}

// walk visits the children of dir (the root when dir is "") and, recursively,
// of every directory among them, until maxWalk resources have been seen.
func (t *tree) walk(ctx context.Context, c *connapi.Client, connID, dir string) error {
	for res, err := range c.Resources.ChildrenIter(ctx, connID, &connapi.ListChildrenParams{ResourceID: dir, PageSize: 100}) {
		if err != nil {
			return err
		}
		if t.dirs+t.files >= maxWalk {
			t.truncated = true
			return nil
		}
		if !res.IsDirectory() {
			t.files++
			t.bytes += res.Size
			continue
		}
		t.dirs++
		if err := t.walk(ctx, c, connID, res.ResourceID); err != nil {
			return err
		}
	}
	return nil
}

func size(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	if n < 1024*1024 {
		return fmt.Sprintf("%.1f KiB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1024*1024))
}
