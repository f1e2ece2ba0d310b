package fakeapi

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"math"
	"mime"
	"net/http"
	"strings"
	"time"
)

// defaultTokenLifetime is expires_in when Faults.TokenLifetime is zero.
const defaultTokenLifetime = time.Hour

// maxFormBytes caps a token request body.
const maxFormBytes = 64 << 10

// accessToken is a minted bearer token.
type accessToken struct {
	clientID string
	expires  time.Time
}

// tokenResponse is the body of a successful token request.
type tokenResponse struct {
	AccessToken  string  `json:"access_token"`
	TokenType    string  `json:"token_type"`
	ExpiresIn    int     `json:"expires_in"`
	RefreshToken *string `json:"refresh_token"`
	IDToken      *string `json:"id_token"`
}

// serveToken is POST /v2/token: client credentials in the form body.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.stats.TokenRequests++
	s.mu.Unlock()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeClassic(w, http.StatusMethodNotAllowed, codeMethod, "method %s not allowed on %s; use POST", r.Method, r.URL.Path)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "the token request must be a form: Content-Type application/x-www-form-urlencoded")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "the token request body is not a valid form")
		return
	}
	form := r.PostForm
	if gt := form.Get("grant_type"); gt != "client_credentials" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be client_credentials")
		return
	}
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if id == "" {
		if _, _, basic := r.BasicAuth(); basic {
			writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "client credentials must be sent in the form body (client_id, client_secret), not with HTTP Basic")
			return
		}
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "client_id and client_secret are required")
		return
	}
	want, known := s.clients[id]
	if !known || subtle.ConstantTimeCompare([]byte(secret), []byte(want)) != 1 {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "invalid client credentials")
		return
	}
	lifetime := s.opts.Faults.TokenLifetime
	if lifetime <= 0 {
		lifetime = defaultTokenLifetime
	}
	tok := newOpaqueToken()
	now := s.opts.Now()
	s.mu.Lock()
	s.pruneTokens(now)
	s.tokens[tok] = accessToken{clientID: id, expires: now.Add(lifetime)}
	s.stats.TokensIssued++
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, "application/json", tokenResponse{
		AccessToken: tok,
		TokenType:   "Bearer",
		// Rounded up: a lifetime under a second still says 1.
		ExpiresIn: int(math.Ceil(lifetime.Seconds())),
	})
}

// newOpaqueToken returns 32 random bytes, base64url: nothing to parse.
func newOpaqueToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// pruneTokens drops expired tokens once the table grows, so a long demo
// with short-lived tokens does not grow without bound. Caller holds s.mu.
func (s *Server) pruneTokens(now time.Time) {
	if len(s.tokens) < 1024 {
		return
	}
	for k, t := range s.tokens {
		if !now.Before(t.expires) {
			delete(s.tokens, k)
		}
	}
}

// authorize checks the bearer token and returns its client id; on failure
// it has written the 401.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) (clientID string, ok bool) {
	deny := func(msg string) (string, bool) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="twilio", error="invalid_token"`)
		writeClassic(w, http.StatusUnauthorized, codeAuth, "%s", msg)
		return "", false
	}
	h := r.Header.Get("Authorization")
	scheme, tok, _ := strings.Cut(h, " ")
	switch {
	case h == "":
		return deny("authentication required: send Authorization: Bearer <access token>")
	case !strings.EqualFold(scheme, "Bearer"):
		return deny("billing group endpoints accept only OAuth 2.0 bearer tokens")
	}
	tok = strings.TrimSpace(tok)
	s.mu.Lock()
	t, known := s.tokens[tok]
	s.mu.Unlock()
	switch {
	case !known:
		return deny("the access token is not valid")
	case !s.opts.Now().Before(t.expires):
		return deny("the access token has expired")
	}
	return t.clientID, true
}
