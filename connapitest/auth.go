package connapitest

import (
	"crypto/subtle"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"
)

// tokenGrant is an access or refresh token issued by a token endpoint.
type tokenGrant struct {
	email   string
	expires time.Time // access tokens only
}

// authorized reports whether r carries an accepted credential: the static bearer
// token or an unexpired issued access token, on every family; on OpenInt routes the
// x-apikey header also works.
func (h *Handler) authorized(r *http.Request, fam family) bool {
	if fam == familyOpenInt && h.cfg.apiKey != "" && equal(r.Header.Get("X-Apikey"), h.cfg.apiKey) {
		return true
	}
	tok, ok := bearerToken(r)
	if !ok {
		return false
	}
	if h.cfg.token != "" && equal(tok, h.cfg.token) || h.isMember(r) {
		return true
	}
	h.mu.Lock()
	g, ok := h.access[tok]
	h.mu.Unlock()
	return ok && h.cfg.now().Before(g.expires)
}

// isMember reports whether r carries the member token: the organization's
// non-admin user. Every other accepted credential is the administrator's.
func (h *Handler) isMember(r *http.Request) bool {
	tok, ok := bearerToken(r)
	return ok && h.cfg.memberToken != "" && equal(tok, h.cfg.memberToken)
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func bearerToken(r *http.Request) (string, bool) {
	v := r.Header.Get("Authorization")
	if len(v) < 7 || !strings.EqualFold(v[:7], "bearer ") {
		return "", false
	}
	tok := strings.TrimSpace(v[7:])
	return tok, tok != ""
}

func (h *Handler) routeAuth() {
	h.mux.HandleFunc("POST /oauth/token", h.oauthToken)
	h.mux.HandleFunc("POST /auth/v1/token", h.goTrueToken)
}

// issue creates an access and a refresh token for email; h.mu must not be held.
func (h *Handler) issue(email string) (access, refresh string, ttl time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := h.seq.next()
	access = fmt.Sprintf("connapitest-access-%d", n)
	refresh = fmt.Sprintf("connapitest-refresh-%d", n)
	h.access[access] = tokenGrant{email: email, expires: h.cfg.now().Add(h.cfg.tokenTTL)}
	h.refresh[refresh] = tokenGrant{email: email}
	return access, refresh, h.cfg.tokenTTL
}

// redeem consumes a refresh token (they are single use, as GoTrue's are).
func (h *Handler) redeem(refresh string) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	g, ok := h.refresh[refresh]
	if ok {
		delete(h.refresh, refresh)
	}
	return g.email, ok
}

func (h *Handler) checkPassword(email, password string) bool {
	return email != "" && equal(email, h.cfg.email) && equal(password, h.cfg.password)
}

// grant runs a password or refresh_token grant and returns the user's email, or an
// OAuth error body.
func (h *Handler) grant(grantType, email, password, refresh string) (string, *oauthError) {
	switch grantType {
	case "password":
		if !h.checkPassword(email, password) {
			return "", &oauthError{Error: "invalid_grant", Description: "Invalid login credentials"}
		}
		return email, nil
	case "refresh_token":
		if refresh == "" {
			return "", &oauthError{Error: "invalid_request", Description: "refresh_token is required"}
		}
		e, ok := h.redeem(refresh)
		if !ok {
			return "", &oauthError{Error: "invalid_grant", Description: "Invalid Refresh Token: Refresh Token Not Found"}
		}
		return e, nil
	case "":
		return "", &oauthError{Error: "invalid_request", Description: "grant_type is required"}
	}
	return "", &oauthError{Error: "unsupported_grant_type", Description: "grant_type must be password or refresh_token"}
}

// oauthToken is the RFC 6749 token endpoint: form-encoded grant_type=password
// (username, password) or grant_type=refresh_token (refresh_token).
func (h *Handler) oauthToken(w http.ResponseWriter, r *http.Request) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" || r.ParseForm() != nil {
		writeJSON(w, http.StatusBadRequest, oauthError{Error: "invalid_request", Description: "expected a form-encoded body"})
		return
	}
	f := r.PostForm
	email, e := h.grant(f.Get("grant_type"), f.Get("username"), f.Get("password"), f.Get("refresh_token"))
	if e != nil {
		writeJSON(w, http.StatusBadRequest, e)
		return
	}
	access, refresh, ttl := h.issue(email)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token":  access,
		"token_type":    "bearer",
		"expires_in":    int(ttl.Seconds()),
		"refresh_token": refresh,
	})
}

// goTrueToken is Supabase GoTrue's token endpoint: ?grant_type=password with JSON
// {email, password}, or ?grant_type=refresh_token with {refresh_token}, and the
// project's key in the apikey header.
func (h *Handler) goTrueToken(w http.ResponseWriter, r *http.Request) {
	if key := r.Header.Get("Apikey"); key == "" || !equal(key, h.cfg.apiKey) {
		writeJSON(w, http.StatusUnauthorized, oauthError{Error: "invalid_client", Description: "Invalid API key"})
		return
	}
	var in struct {
		Email        string `json:"email"`
		Password     string `json:"password"`
		RefreshToken string `json:"refresh_token"`
	}
	if err := decodeBody(r, &in); err != nil {
		writeJSON(w, http.StatusBadRequest, oauthError{Error: "invalid_request", Description: "Could not parse request body as JSON"})
		return
	}
	email, e := h.grant(r.URL.Query().Get("grant_type"), in.Email, in.Password, in.RefreshToken)
	if e != nil {
		writeJSON(w, http.StatusBadRequest, e)
		return
	}
	access, refresh, ttl := h.issue(email)
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token":  access,
		"token_type":    "bearer",
		"expires_in":    int(ttl.Seconds()),
		"expires_at":    h.cfg.now().Add(ttl).Unix(),
		"refresh_token": refresh,
		"user": map[string]any{
			"id":    stackUserID,
			"aud":   "authenticated",
			"role":  "authenticated",
			"email": email,
		},
	})
}
