package connapi

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzAPIError feeds arbitrary error bodies, in any content type, to the decoder
// behind every non-2xx response: it must never panic, Error() must stay one line
// of valid UTF-8, Body stays within its cap, and a secret the client knows must
// never survive into Error() or Body, raw or escaped, whatever the server echoes. The seed corpus
// (testdata/fuzz/FuzzAPIError) holds the Latin-1 error pages that once panicked.
func FuzzAPIError(f *testing.F) {
	for _, seed := range []string{
		`{"detail":"Connection not found"}`,
		`{"detail":[{"loc":["body","provider_id"],"msg":"field required","type":"value_error.missing"}]}`,
		`{"error":{"code":"HTTP_NOT_FOUND","message":"nope","metadata":{"a":1}}}`,
		`{"code":5,"message":"not found","details":[{"@type":"x","fieldViolations":[{"field":"a.b","description":"c"}]}]}`,
		`{"code":"BAD_REQUEST","message":"bad","issues":[{"message":"Required","path":["a",0]}]}`,
		`{"error":"invalid_grant","error_description":"bad password"}`,
		`{"code":400,"error_code":"invalid_credentials","msg":"Invalid login credentials"}`,
		"<html><head><title>502 Bad Gateway</title></head></html>",
		"<html><head>\xc9\xe9\xe9\xe9<title>502 Passerelle d\xe9faillante \xe9\xe9\xe9\xe9\xe9\xe9</title></head></html>",
		"<TITLE>SECRET</TITLE>", `{"message":"token SECRET rejected"}`,
		`{"detail":"bad code QSECRET in /x?code=QSECRET","path":"/v1/PSECRET/x"}`, "<title>LSECRET</title>",
		"plain\ntext\r\nwith lines",
		`{"detail":[1,"x",null,{"loc":null}]}`, `{"error":null}`, `[]`, `null`, `{`, "",
	} {
		for _, ct := range []string{"application/json", "text/html; charset=iso-8859-1", "text/plain"} {
			f.Add(400, ct, []byte(seed))
		}
	}
	// The secret has characters that escaping changes: its query- and path-escaped
	// echoes (QSECRET, PSECRET, LSECRET with lower-case hex) must go too.
	const secret = "s3cr3t/t0k+n=x:y"
	forms := []string{secret, url.QueryEscape(secret), url.PathEscape(secret), strings.ToLower(url.QueryEscape(secret))}
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if status < 100 || status > 999 {
			status = 500
		}
		body = bytes.ReplaceAll(body, []byte("LSECRET"), []byte(forms[3]))
		body = bytes.ReplaceAll(body, []byte("QSECRET"), []byte(forms[1]))
		body = bytes.ReplaceAll(body, []byte("PSECRET"), []byte(forms[2]))
		body = bytes.ReplaceAll(body, []byte("SECRET"), []byte(secret))
		e := newAPIError(&http.Response{StatusCode: status, Header: http.Header{"Content-Type": {contentType}}},
			body, http.MethodGet, "/x", 1, []string{secret})
		msg := e.Error()
		if strings.ContainsAny(msg, "\r\n") {
			t.Fatalf("Error() is not one line: %q", msg)
		}
		if !utf8.ValidString(msg) {
			t.Fatalf("Error() is not valid UTF-8: %q", msg)
		}
		for _, f := range forms {
			if strings.Contains(msg, f) || bytes.Contains(e.Body, []byte(f)) {
				t.Fatalf("secret (as %q) in Error() or Body: %q", f, msg)
			}
		}
		if len(e.Body) > maxErrorBody {
			t.Fatalf("Body is %d bytes, over the %d cap", len(e.Body), maxErrorBody)
		}
	})
}
