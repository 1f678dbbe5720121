package connapitest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The OpenInt page (PATCH /core/connection/{id}) and spec, point by point.

// badRequest asserts a tRPC 400 BAD_REQUEST whose issue names path.
func badRequest(t *testing.T, status int, b []byte, path string) {
	t.Helper()
	require.Equal(t, http.StatusBadRequest, status, "%s", b)
	e := obj(t, b)
	assert.Equal(t, "BAD_REQUEST", e["code"])
	issues := list(t, e, "issues")
	require.NotEmpty(t, issues)
	assert.Equal(t, []any{path}, issues[0]["path"], "%s", b)
}

// "id: Must start with 'conn_'": the input validation answers 400 BAD_REQUEST (the
// operation's documented 400, "Invalid input data"), before any lookup.
func TestOpenIntMalformedPathIDIsABadRequest(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	base := s.OpenIntURL() + "core/connection/"
	for _, c := range []struct{ method, path string }{
		{"GET", "res_1"}, {"PATCH", "abc"}, {"DELETE", "ccfg_github_01"},
		{"POST", "x/_check"}, {"POST", "x/_sync"},
	} {
		status, _, b := send(t, s, c.method, base+c.path, map[string]any{})
		badRequest(t, status, b, "id")
		assert.Contains(t, string(b), "Must start with 'conn_'")
	}
	status, _, _ := send(t, s, "GET", base+"conn_99999999", nil)
	assert.Equal(t, http.StatusNotFound, status, "a well-formed id that names nothing is a 404")
}

// customerId: "Minimum length: 1", on create, update and the list filter.
func TestOpenIntCustomerIDMinimumLength(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	status, _, b := send(t, s, "POST", s.OpenIntURL()+"core/connection", map[string]any{"connectorConfigId": "ccfg_github_01", "customerId": ""})
	badRequest(t, status, b, "customerId")
	status, _, b = send(t, s, "PATCH", s.OpenIntURL()+"core/connection/conn_00000001", map[string]any{"customerId": ""})
	badRequest(t, status, b, "customerId")
	status, _, b = send(t, s, "GET", s.OpenIntURL()+"core/connection?customerId=", nil)
	badRequest(t, status, b, "customerId")
	status, _, b = send(t, s, "GET", s.OpenIntURL()+"core/connection?connectorConfigId=github", nil)
	badRequest(t, status, b, "connectorConfigId")

	// A blank id has length 1 and more: it is accepted.
	status, _, b = send(t, s, "PATCH", s.OpenIntURL()+"core/connection/conn_00000001", map[string]any{"customerId": " "})
	require.Equal(t, http.StatusOK, status, "%s", b)
	assert.Equal(t, " ", obj(t, b)["customerId"])
}

// settings, displayName, customerId and integrationId are "… | null": null clears
// them, absence keeps them.
func TestOpenIntPatchNullClears(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithSeed(1))
	u := s.OpenIntURL() + "core/connection/conn_00000001"
	_, _, b := send(t, s, "GET", u, nil)
	before := obj(t, b)
	for _, k := range []string{"settings", "displayName", "customerId", "integrationId"} {
		require.NotNil(t, before[k], k)
	}
	status, _, b := send(t, s, "PATCH", u, `{"displayName": null, "settings": null, "disabled": true}`)
	require.Equal(t, http.StatusOK, status, "%s", b)
	after := obj(t, b)
	assert.Nil(t, after["displayName"])
	assert.Nil(t, after["settings"])
	assert.Equal(t, before["customerId"], after["customerId"], "absent: kept")
	assert.Equal(t, before["integrationId"], after["integrationId"], "absent: kept")
	status, _, b = send(t, s, "PATCH", u, `{"customerId": null, "integrationId": null}`)
	require.Equal(t, http.StatusOK, status, "%s", b)
	after = obj(t, b)
	assert.Nil(t, after["customerId"])
	assert.Nil(t, after["integrationId"])
	assert.Equal(t, true, after["disabled"])
}
