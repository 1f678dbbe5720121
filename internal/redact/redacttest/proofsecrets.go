package redacttest

// ProofSecrets are the secrets the redaction proof (the root package's
// redaction_test.go) plants in every input channel of a call, by what they are.
// Every secret has characters that query- and path-escaping change, so that an
// escaped echo is a different string from the raw one.
var ProofSecrets = map[string]string{ //nolint:gosec // G101: fake credentials, planted to prove they never show
	"bearer token":            "brr-T0ken/+=A1:x",
	"API key":                 "k3y-Ap1/+=B2:x",
	"connection id":           "c0nn-Id/+=C3:x",
	"TokenSource token":       "ts-t0k3n/+=D4:x",
	"password-grant password": "pg-Passw0rd/+=E5:x",
	"password-grant secret":   "pg-Cl1ent-Secr3t/+=F6:x",
	"password-grant URL key":  "pg-Url-Ap1key/+=G7:x",
	"issued access token":     "iss-Access/+=H8:x",
	"issued refresh token":    "iss-Refresh/+=I9:x",
	"GoTrue password":         "gt-Passw0rd/+=J1:x",
	"GoTrue API key":          "gt-Anon-Key/+=K2:x",
	"GoTrue URL key":          "gt-Url-Ap1key/+=L3:x",
	"query api-key":           "q-Ap1-Key/+=M4:x",
	"query sessionToken":      "q-Sess1on/+=N5:x",
	"query token":             "q-T0ken/+=O6:x",
	"OAuth code":              "4/0A-C0de+/=P7:x",
	"OAuth state":             "st4te-Q8/+=:x",
	"Instill setup":           "instill-Setup/+=R9:x",
	"PipesHub clientSecret":   "ph-ClientSecret/+=S1:x",
	"OpenInt settings":        "oi-Settings/+=T2:x",
}
