package connapi

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzAPIError feeds arbitrary error bodies, in any content type, to the decoder
// behind every non-2xx response: it must never panic, Error() must stay one line
// of valid UTF-8, Body stays within its cap, and a secret the client knows must
// never survive into Error(), whatever the server echoes. The seed corpus
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
		"plain\ntext\r\nwith lines",
		`{"detail":[1,"x",null,{"loc":null}]}`, `{"error":null}`, `[]`, `null`, `{`, "",
	} {
		for _, ct := range []string{"application/json", "text/html; charset=iso-8859-1", "text/plain"} {
			f.Add(400, ct, []byte(seed))
		}
	}
	const secret = "s3cr3t-t0k3n"
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if status < 100 || status > 999 {
			status = 500
		}
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
		if strings.Contains(msg, secret) || bytes.Contains(e.Body, []byte(secret)) {
			t.Fatalf("secret in Error() or Body: %q", msg)
		}
		if len(e.Body) > maxErrorBody {
			t.Fatalf("Body is %d bytes, over the %d cap", len(e.Body), maxErrorBody)
		}
	})
}
