package connapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go/models"
)

const stackGoogleAuthURL = "https://accounts.google.com/o/oauth2/v2/auth?client_id=123.apps.googleusercontent.com&redirect_uri=https%3A%2F%2Fwww.stack-ai.com%2Foauth%2Fcallback&response_type=code&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fdrive.readonly&state=b64state&access_type=offline&prompt=consent"

var stackOAuthRequest = &models.ConnectionRequest{
	Name:             "Marketing Drive",
	ProviderID:       "gdrive",
	ConnectionTypeID: "gdrive_oauth",
}

const stackOAuthRequestJSON = `{"name": "Marketing Drive", "provider_id": "gdrive", "connection_type_id": "gdrive_oauth", "connection_provider_data": {}}`

func TestOAuthStart(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		contentType string
		body        string
	}{
		"json string": {"application/json", `"` + stackGoogleAuthURL + `"`},
		"plain text":  {"text/plain; charset=utf-8", stackGoogleAuthURL + "\n"},
		"json object": {"application/json", `{"url": "` + stackGoogleAuthURL + `"}`},
		"auth_url":    {"application/json", `{"auth_url": "` + stackGoogleAuthURL + `", "state": "b64state"}`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("POST /connections/oauth/start", func(w http.ResponseWriter, r *http.Request) {
				testQuery(t, r, nil)
				testJSONBody(t, r, stackOAuthRequestJSON)
				w.Header().Set("Content-Type", tc.contentType)
				_, _ = io.WriteString(w, tc.body)
			})
			u, resp, err := c.OAuth.Start(context.Background(), stackOAuthRequest)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, stackGoogleAuthURL, u)
		})
	}
}

func TestOAuthStartUnusableBody(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{"empty": "", "empty string": `""`, "html": "<html><body>Login</body></html>", "object without url": `{"ok": true}`} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("POST /connections/oauth/start", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, body)
			})
			u, resp, err := c.OAuth.Start(context.Background(), stackOAuthRequest)
			require.Error(t, err)
			assert.NotNil(t, resp)
			assert.Empty(t, u)
			var re *ResponseError
			require.True(t, errors.As(err, &re), "%T", err)
			assert.Contains(t, re.Path, "/connections/oauth/start")
		})
	}
}

func TestOAuthCreateFromCallback(t *testing.T) {
	t.Parallel()
	const code = "4/0AeanS0bXYZ-authorization-code"
	c, mux := setup(t)
	mux.HandleFunc("POST /connections/oauth/callback", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, url.Values{"code": {code}})
		testJSONBody(t, r, stackOAuthRequestJSON)
		writeJSON(w, http.StatusOK, stackConnectionJSON)
	})
	conn, _, err := c.OAuth.CreateFromCallback(context.Background(), &CreateConnectionFromCallbackRequest{Code: code, Connection: stackOAuthRequest})
	require.NoError(t, err)
	assert.Equal(t, stackConnID, conn.ConnectionID)
	assert.Equal(t, "gdrive_oauth", conn.ConnectionTypeID)
}

func TestOAuthCreateFromCallbackErrorHidesCode(t *testing.T) {
	t.Parallel()
	const code = "4/0AeanS0-secret-code-value"
	c, mux := setup(t)
	mux.HandleFunc("POST /connections/oauth/callback", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadRequest, `{"detail": "Invalid OAuth code 4/0AeanS0-secret-code-value"}`)
	})
	_, resp, err := c.OAuth.CreateFromCallback(context.Background(), &CreateConnectionFromCallbackRequest{Code: code, Connection: stackOAuthRequest})
	require.Error(t, err)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.NotContains(t, err.Error(), code)
}

// The page requires the same connection request as create on the PUT callback
// (provider_id, connection_type_id, connection_provider_data; name optional).
func TestOAuthUpdateFromCallback(t *testing.T) {
	t.Parallel()
	const code = "4/0AeanS0-reconsent"
	c, mux := setup(t)
	mux.HandleFunc("PUT /connections/oauth/callback/{id}", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, stackConnID, r.PathValue("id"))
		testQuery(t, r, url.Values{"code": {code}})
		testJSONBody(t, r, stackOAuthRequestJSON)
		writeJSON(w, http.StatusOK, stackConnectionJSON)
	})
	conn, _, err := c.OAuth.UpdateFromCallback(context.Background(), stackConnID, &UpdateConnectionFromCallbackRequest{Code: code, Connection: stackOAuthRequest})
	require.NoError(t, err)
	assert.Equal(t, "Marketing Drive", conn.Name)
}

func TestOAuthValidation(t *testing.T) {
	t.Parallel()
	c, n := noRequestClient(t)
	ctx := context.Background()
	calls := map[string]struct {
		call  func() error
		words []string
	}{
		"start nil": {func() error { _, _, err := c.OAuth.Start(ctx, nil); return err }, []string{"ConnectionRequest"}},
		"start no provider": {func() error {
			_, _, err := c.OAuth.Start(ctx, &models.ConnectionRequest{ConnectionTypeID: "gdrive_oauth"})
			return err
		}, []string{"provider_id"}},
		"start no type": {func() error {
			_, _, err := c.OAuth.Start(ctx, &models.ConnectionRequest{ProviderID: "gdrive"})
			return err
		}, []string{"connection_type_id"}},
		"create no code": {func() error {
			_, _, err := c.OAuth.CreateFromCallback(ctx, &CreateConnectionFromCallbackRequest{Code: "", Connection: stackOAuthRequest})
			return err
		}, []string{"code"}},
		"create no type": {func() error {
			_, _, err := c.OAuth.CreateFromCallback(ctx, &CreateConnectionFromCallbackRequest{Code: "abc", Connection: &models.ConnectionRequest{ProviderID: "gdrive"}})
			return err
		}, []string{"connection_type_id"}},
		"update no code": {func() error {
			_, _, err := c.OAuth.UpdateFromCallback(ctx, stackConnID, &UpdateConnectionFromCallbackRequest{Code: "", Connection: stackOAuthRequest})
			return err
		}, []string{"code"}},
		"update bad id": {func() error {
			_, _, err := c.OAuth.UpdateFromCallback(ctx, "not-a-uuid", &UpdateConnectionFromCallbackRequest{Code: "abc", Connection: stackOAuthRequest})
			return err
		}, []string{"UUID"}},
		"update nil request": {func() error {
			_, _, err := c.OAuth.UpdateFromCallback(ctx, stackConnID, &UpdateConnectionFromCallbackRequest{Code: "abc", Connection: nil})
			return err
		}, []string{"ConnectionRequest"}},
		"update no provider": {func() error {
			_, _, err := c.OAuth.UpdateFromCallback(ctx, stackConnID, &UpdateConnectionFromCallbackRequest{Code: "abc", Connection: &models.ConnectionRequest{ConnectionTypeID: "gdrive_oauth"}})
			return err
		}, []string{"provider_id"}},
	}
	for name, tc := range calls {
		t.Run(name, func(t *testing.T) {
			assertInvalidParams(t, tc.call(), tc.words...)
		})
	}
	assert.EqualValues(t, 0, n.Load())
}

func TestOAuthCodeExchangesAreNeverReplayed(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var puts, posts atomic.Int32
	mux.HandleFunc("PUT /connections/oauth/callback/{id}", func(w http.ResponseWriter, r *http.Request) {
		if puts.Add(1) == 1 {
			writeJSON(w, http.StatusBadGateway, `{"detail":"upstream hiccup"}`)
			return
		}
		writeJSON(w, http.StatusBadRequest, `{"detail":"code already used"}`)
	})
	mux.HandleFunc("POST /connections/oauth/callback", func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		writeJSON(w, http.StatusGatewayTimeout, `{"detail":"timeout"}`)
	})
	_, _, err := c.OAuth.UpdateFromCallback(context.Background(), stackConnID, &UpdateConnectionFromCallbackRequest{Code: "one-time-code", Connection: stackOAuthRequest})
	assert.ErrorIs(t, err, ErrServer, "the caller sees the 502, not a replay's complaint")
	assert.EqualValues(t, 1, puts.Load())
	_, _, err = c.OAuth.CreateFromCallback(context.Background(), &CreateConnectionFromCallbackRequest{Code: "one-time-code", Connection: stackOAuthRequest}, WithIdempotencyKey("k1"))
	assert.ErrorIs(t, err, ErrServer)
	assert.EqualValues(t, 1, posts.Load(), "not even with an idempotency key")
}

func TestOAuthStartRejectsWhatIsNotAURL(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`null`, `true`, `OK`, `"not a url"`, `"/relative/path"`} {
		c, mux := setup(t)
		mux.HandleFunc("POST /connections/oauth/start", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, body) })
		u, _, err := c.OAuth.Start(context.Background(), stackOAuthRequest)
		var re *ResponseError
		assert.ErrorAs(t, err, &re, body)
		assert.Empty(t, u, body)
	}
}
