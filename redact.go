package connapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Redaction. Errors are redacted when they are built, never when they are printed:
// no error holds a list of secrets or an unredacted copy of anything (fmt prints
// unexported fields under %#v, and errors.As reaches every link of a chain). The
// values a call must not show are its client's credentials, the tokens it sent, the
// values of its query, the credential headers set for it and the credentials in its
// body; each is masked raw, query-escaped and path-escaped (in either case) and
// JSON-escaped, the forms in which a server may echo it.

// redacted replaces a secret.
const redacted = "[REDACTED]"

// redactor masks a call's secrets in every form. The zero value masks nothing.
type redactor struct {
	forms []string // longest first, so a secret inside another is not half masked
}

// newRedactor returns a redactor for secrets; values shorter than 4 bytes are
// left alone, as they would mask ordinary text.
func newRedactor(secrets []string) *redactor {
	seen := make(map[string]bool, 4*len(secrets))
	r := &redactor{}
	add := func(f string) {
		if len(f) >= 4 && !seen[f] {
			seen[f] = true
			r.forms = append(r.forms, f)
		}
	}
	for _, s := range secrets {
		if len(s) < 4 {
			continue
		}
		add(s)
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
		if b, err := json.Marshal(s); err == nil {
			j := string(b[1 : len(b)-1])
			add(j)
			add(strings.ReplaceAll(j, "/", `\/`))
		}
	}
	sort.Slice(r.forms, func(i, j int) bool { return len(r.forms[i]) > len(r.forms[j]) })
	return r
}

// apply masks every form of every secret in s.
func (r *redactor) apply(s string) string {
	if r == nil {
		return s
	}
	for _, f := range r.forms {
		if strings.Contains(f, "%") {
			s = replaceFoldHex(s, f) // %2F and %2f are the same escape
		} else if strings.Contains(s, f) {
			s = strings.ReplaceAll(s, f, redacted)
		}
	}
	return s
}

// replaceFoldHex replaces every occurrence of f in s, ASCII letters matched in
// either case, by redacted. Offsets are found on an ASCII-lower-cased copy, which
// has the same length as s.
func replaceFoldHex(s, f string) string {
	ls, lf := asciiLower(s), asciiLower(f)
	if !strings.Contains(ls, lf) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(ls, lf)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(redacted)
		s, ls = s[i+len(f):], ls[i+len(f):]
	}
}

// asciiLower lower-cases A-Z only, so the result has the length of s.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for k := i; k < len(b); k++ {
				if 'A' <= b[k] && b[k] <= 'Z' {
					b[k] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// credentialQueryWords mark a query parameter whose every value is a secret,
// whatever its length.
var credentialQueryWords = []string{"token", "secret", "password", "passwd", "key", "auth", "session",
	"signature", "sig", "credential", "code", "state", "cookie"}

// queryValuesToRedact returns the values of u's query that errors and logs must
// not show: every value of a parameter named like a credential (token, key,
// secret, code, state, session, …), and every value of 8 bytes or more of any
// other parameter (an identifier, a cursor, something the SDK cannot judge).
// Shorter values of other parameters (limit=10, sort=asc) stay readable in echoes;
// in URLs every value is masked anyway (redactURL).
func queryValuesToRedact(u *url.URL) []string {
	if u == nil || u.RawQuery == "" {
		return nil
	}
	var out []string
	for k, vs := range u.Query() {
		cred := isCredentialName(k)
		for _, v := range vs {
			if cred || len(v) >= 8 {
				out = append(out, v)
			}
		}
	}
	return out
}

func isCredentialName(k string) bool {
	k = strings.ToLower(k)
	for _, w := range credentialQueryWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// redactURL returns u as a string with its userinfo and every query value
// replaced; the parameter names stay, so the error still says what was sent.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	cp := *u
	if cp.User != nil {
		cp.User = url.User("REDACTED")
	}
	cp.Fragment, cp.RawFragment = "", ""
	if cp.RawQuery != "" {
		q, err := url.ParseQuery(cp.RawQuery)
		if err != nil {
			cp.RawQuery = "REDACTED"
		} else {
			for k := range q {
				q[k] = []string{"REDACTED"}
			}
			cp.RawQuery = q.Encode()
		}
	}
	return cp.String()
}

// redactURLString is redactURL for a URL as text, such as the URL of a *url.Error
// (a redirect's Location, say).
func redactURLString(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "[unparsable URL]"
	}
	return redactURL(u)
}

// sanitize returns err with every *url.Error in it replaced by a copy whose URL is
// redacted, and any error whose text still shows a secret replaced by a masked
// stand-in, so that no link of the chain shows a secret under any verb.
// errors.Is still sees through a stand-in.
func sanitize(err error, r *redactor) error {
	if err == nil {
		return nil
	}
	switch x := err.(type) { //nolint:errorlint // the SDK's own wrappers, rebuilt around a sanitized cause
	case *ctxCause:
		return &ctxCause{ctx: x.ctx, cause: sanitize(x.cause, r)}
	case *lastResponse:
		return &lastResponse{err: sanitize(x.err, r), status: x.status}
	}
	var ue *url.Error
	if !errors.As(err, &ue) {
		return cleanLeaf(err, r)
	}
	cp := &url.Error{Op: ue.Op, URL: r.apply(redactURLString(ue.URL)), Err: cleanLeaf(ue.Err, r)}
	if ue == err { //nolint:errorlint // identity: is the *url.Error the outermost error?
		return cp
	}
	// A wrapper around the *url.Error: its text with the URL redacted, and a chain
	// that leads to the redacted copy.
	msg := strings.ReplaceAll(err.Error(), ue.Error(), cp.Error())
	return &redactedError{msg: r.apply(msg), err: cp, is: isOf(err), timeout: isTimeout(err)}
}

// cleanLeaf returns err if its text shows no secret, else a masked stand-in.
func cleanLeaf(err error, r *redactor) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if masked := r.apply(msg); masked != msg {
		return &redactedError{msg: masked, is: isOf(err), timeout: isTimeout(err)}
	}
	return err
}

// isOf returns errors.Is for err, kept as a function so that the original error,
// whose text shows a secret, is in no field that fmt could print.
func isOf(err error) func(error) bool {
	return func(target error) bool { return errors.Is(err, target) }
}

// redactedError stands for an error whose text had to be masked. It matches what
// the original matched through errors.Is, and unwraps to err (redacted) if any.
type redactedError struct {
	msg     string
	err     error
	is      func(error) bool
	timeout bool
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Is reports whether the original error matched target.
func (e *redactedError) Is(target error) bool { return e.is != nil && e.is(target) }

// Timeout reports whether the original error was a timeout, like net.Error.
func (e *redactedError) Timeout() bool { return e.timeout }

// ctxCause is a call that ended with its context, on top of the failure it was
// busy with: it matches both.
type ctxCause struct {
	ctx   error
	cause error
}

func (e *ctxCause) Error() string   { return fmt.Sprintf("%v (%v)", e.ctx, e.cause) }
func (e *ctxCause) Unwrap() []error { return []error{e.ctx, e.cause} }

// transportErr is a request that got no usable response: a network failure, a
// cancelled context, a failing TokenSource, a redirect not followed. Its text is
// fixed and redacted when it is built; it unwraps to the sanitized cause.
type transportErr struct {
	msg string
	err error
}

func (e *transportErr) Error() string { return e.msg }
func (e *transportErr) Unwrap() error { return e.err }

// newTransportErr builds the error of method path failing with cause, redacted.
func newTransportErr(method, path string, cause error, r *redactor) error {
	cause = sanitize(cause, r)
	msg := fmt.Sprintf("connapi: %s %s: %v", method, r.apply(path), cause)
	return &transportErr{msg: oneLine(r.apply(msg)), err: cause}
}

// ctxError joins the context's error to err when the call ended with its context
// but err does not say so.
func ctxError(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return &ctxCause{ctx: ctxErr, cause: err}
	}
	return err
}
