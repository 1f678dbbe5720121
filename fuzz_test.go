package connapi

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzAPIError feeds arbitrary error bodies to the decoder behind every non-2xx
// response: it must never panic, Error() must stay one line, and a secret the
// client knows must never survive into Error(), whatever the server echoes.
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
		"plain\ntext\r\nwith lines",
		`{"detail":[1,"x",null,{"loc":null}]}`, `{"error":null}`, `[]`, `null`, `{`, "",
	} {
		f.Add(400, seed)
	}
	const secret = "s3cr3t-t0k3n"
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 100 || status > 999 {
			status = 500
		}
		body = strings.ReplaceAll(body, "SECRET", secret)
		e := newAPIError(&http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"text/html"}}},
			[]byte(body), http.MethodGet, "/x", 1, []string{secret})
		msg := e.Error()
		if strings.ContainsAny(msg, "\r\n") {
			t.Fatalf("Error() is not one line: %q", msg)
		}
		if strings.Contains(msg, secret) {
			t.Fatalf("secret in Error(): %q", msg)
		}
	})
}
