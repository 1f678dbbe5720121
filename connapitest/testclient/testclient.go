// Package testclient hands out connapi clients for a connapitest.Server, one
// platform at a time: the base URL of the platform's fake, WithPlatform, and the
// credential the fake accepts.
//
//	srv := connapitest.NewServer()
//	defer srv.Close()
//	c, err := testclient.New(srv, connapi.PlatformPipesHub, connapi.WithRetryWait(0, 0))
//
// WithPlatform matters here: the fake serves Stack AI and Instill AI under the same
// base URL, so the URL alone cannot tell a client its platform, and without one the
// client would not refuse a call to another platform's service
// (connapi.ErrWrongPlatform) as it does against the vendors' own URLs.
//
// Why a package of its own: package connapitest never imports the client, so that
// a client bug is not mirrored by the fake, and because the client's own tests
// import connapitest (a dependency the other way would be a cycle). This package
// imports both, and nothing imports it but tests and programs.
package testclient

import (
	"github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/connapitest"
)

// URL returns the base URL of srv's fake of platform p, or "" for a platform that
// is not one of the four.
func URL(srv *connapitest.Server, p connapi.Platform) string {
	switch p {
	case connapi.PlatformStackAI:
		return srv.StackAIURL()
	case connapi.PlatformPipesHub:
		return srv.PipesHubURL()
	case connapi.PlatformInstill:
		return srv.InstillURL()
	case connapi.PlatformOpenInt:
		return srv.OpenIntURL()
	}
	return ""
}

// Options returns the options of a client for srv's fake of platform p: its base
// URL, WithPlatform(p), and the credential the fake accepts for p, its API key
// (x-apikey) for OpenInt and its bearer token for the others. For a platform that
// is not one of the four, connapi.NewClient fails with these options. A test of
// token sources, which cannot be combined with a bearer token, builds its options
// from URL and connapi.WithPlatform instead.
func Options(srv *connapitest.Server, p connapi.Platform) []connapi.Option {
	cred := connapi.WithBearerToken(srv.Token())
	if p == connapi.PlatformOpenInt {
		cred = connapi.WithAPIKey(srv.APIKey())
	}
	return []connapi.Option{connapi.WithBaseURL(URL(srv, p)), connapi.WithPlatform(p), cred}
}

// New returns a client for srv's fake of platform p, configured by Options(srv, p)
// and then opts, which may add to them or override them.
func New(srv *connapitest.Server, p connapi.Platform, opts ...connapi.Option) (*connapi.Client, error) {
	return connapi.NewClient(append(Options(srv, p), opts...)...)
}
