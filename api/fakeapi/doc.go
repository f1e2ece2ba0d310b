// Package fakeapi is a simulated Twilio Billing Usage API: one http.Handler
// serving the OAuth token endpoint and the billing-group records endpoints,
// strict about everything /work/shared/API.md fixes (credentials, bearer
// tokens with expiry, permission, id prefix, field validation, pagination
// with opaque tokens, page size limits), with fault switches for tests, and
// a deterministic data generator with injected anomalies whose dates are
// known. Tests, `usagetop --demo` and `usagetop fakeapi` all run it, since
// the real service cannot be reached from the build machines.
package fakeapi
