package connapi

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/connapi/connapi-go/internal/obsattr"
)

// logObserver is the Observer behind WithLogger: a Debug record per attempt, an
// Info record per retry, a Warn record per call that gives up. The keys are
// those of the package documentation ("Production"); nothing in them is a secret, an ID
// or a filled-in path, and the request id passes the call's redactor.
func logObserver(c *Client, l *slog.Logger) Observer {
	return Observer{
		AttemptEnd: func(ctx context.Context, call *Call, a Attempt) {
			if !l.Enabled(ctx, slog.LevelDebug) {
				return
			}
			st := call.st
			attrs := append(make([]slog.Attr, 0, 9), opAttrs(st.op)...)
			attrs = append(attrs, slog.Int(obsattr.Attempt, a.Number))
			if a.StatusCode != 0 {
				attrs = append(attrs, slog.Int(obsattr.StatusCode, a.StatusCode))
			}
			if a.ErrorType != "" && a.ErrorType != strconv.Itoa(a.StatusCode) {
				attrs = append(attrs, slog.String(obsattr.ErrorType, a.ErrorType))
			}
			attrs = append(attrs, slog.Duration(obsattr.Duration, a.Duration))
			if a.StatusCode != 0 {
				attrs = appendRequestID(attrs, c, st, st.lastResp)
			}
			l.LogAttrs(ctx, slog.LevelDebug, "connapi: attempt", attrs...)
		},
		Retry: func(ctx context.Context, call *Call, r Retry) {
			if !l.Enabled(ctx, slog.LevelInfo) {
				return
			}
			attrs := append(make([]slog.Attr, 0, 8), opAttrs(call.st.op)...)
			attrs = append(attrs,
				slog.Int(obsattr.Attempt, r.Attempt),
				slog.String(obsattr.RetryReason, r.Reason),
				slog.Duration(obsattr.RetryWait, r.Wait),
				slog.Bool(obsattr.RetryAfter, r.RetryAfter),
			)
			l.LogAttrs(ctx, slog.LevelInfo, "connapi: retry", attrs...)
		},
		GiveUp: func(ctx context.Context, call *Call, g GiveUp) {
			if !l.Enabled(ctx, slog.LevelWarn) {
				return
			}
			st := call.st
			attrs := append(make([]slog.Attr, 0, 8), opAttrs(st.op)...)
			attrs = append(attrs,
				slog.Int(obsattr.Attempt, g.Attempt),
				slog.String(obsattr.GiveUpReason, g.Reason),
				slog.String(obsattr.ErrorType, g.Cause),
			)
			if st.lastResp != nil && g.Cause == strconv.Itoa(st.lastResp.StatusCode) {
				attrs = appendRequestID(attrs, c, st, st.lastResp)
			}
			l.LogAttrs(ctx, slog.LevelWarn, "connapi: gave up", attrs...)
		},
	}
}

// opAttrs names the operation of a record.
func opAttrs(op *Operation) []slog.Attr {
	return []slog.Attr{
		slog.String(obsattr.Operation, op.name),
		slog.String(obsattr.Platform, obsattr.PlatformValue(int(op.platform))),
		slog.String(obsattr.HTTPMethod, op.method),
		slog.String(obsattr.URLTemplate, op.path),
	}
}

// appendRequestID adds the request id of resp, if it has one, redacted when the
// handler resolves it (requestIDValue).
func appendRequestID(attrs []slog.Attr, c *Client, st *callState, resp *http.Response) []slog.Attr {
	if resp == nil {
		return attrs
	}
	id := requestIDFromHeader(resp.Header)
	if id == "" {
		return attrs
	}
	return append(attrs, slog.Any(obsattr.RequestID, requestIDValue{c: c, st: st, id: id}))
}

// requestIDValue is a request id, with the call's secrets masked when the record
// is handled: a proxy may echo a credential into it. It reads only what does not
// change during the call, and builds a redactor of its own when it needs one.
type requestIDValue struct {
	c  *Client
	st *callState
	id string
}

// LogValue returns the id, redacted.
func (v requestIDValue) LogValue() slog.Value {
	if !v.c.mayShowSecret(v.st, v.id) {
		return slog.StringValue(v.id)
	}
	r := newRedactor(v.c.secretsFor(v.st, v.st.url, v.st.header, v.st.body))
	return slog.StringValue(r.apply(v.id))
}
