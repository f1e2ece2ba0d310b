// Package fakeapi is a simulated Twilio Billing Usage API: one http.Handler
// serving the OAuth token endpoint and the billing-group records endpoints,
// strict about everything the project's API contract (API.md) fixes, with
// fault switches for tests, and a deterministic data generator whose
// injected anomalies are known. Tests, `usagetop --demo` and
// `usagetop fakeapi` all run it, since the real service cannot be reached
// from the build machines. A second, labelled source, the calendar year
// (NewCalendarYear: holidays, month and quarter ends, fees, steps,
// launches, drift, weekly-pattern changes, noise at every size), measures
// the anomaly detector on what a real year does; it can be served with
// `usagetop fakeapi --data` after CalendarYear.WriteDataset.
//
// Token endpoint, POST /v2/token: a form (application/x-www-form-urlencoded)
// with client_id, client_secret and grant_type=client_credentials in the
// body. Credentials sent only with HTTP Basic are refused (401
// invalid_client), as is any other content type (400). The answer is
// {"access_token","token_type":"Bearer","expires_in","refresh_token":null,
// "id_token":null}; tokens are random and opaque and expire on Options.Now.
//
// Records, POST (JSON body) or GET (query parameters) on
// /v2/Usage/BillingGroups/{id}/Records and
// /v2/Public/Usage/BillingGroups/{id}/Records. The checks run in this
// order: method (405), faults (429, 503), bearer token (401 code 20003),
// permission (403 code 70051), id prefix (400 naming billingGroupId),
// known group (404 code 20404), then the fields (400 code 20001 naming the
// field; 415 for a body that is not application/json). Choices where the
// contract is silent:
//
//   - Unknown fields are ignored; null and "" mean "not given".
//   - aggregationPeriod defaults to DAILY, pageSize to 20 (1..1000).
//   - timePeriod and enum values are case-sensitive.
//   - A POST with no body and no Content-Type reads query parameters.
//   - A query parameter given twice is a 400.
//
// Error bodies use all three shapes of the contract, so a client must read
// each: classic {"code","message","more_info","status"} for 401, 404 and
// 405; RFC 9457 problem+json for 400 and 415; {"code","message",
// "httpStatusCode","userError","params"} for 403 and 429. A 503 carries an
// HTML page, as a proxy in front of the service would.
//
// Paging: nextToken is base64 of {"startOn","endOn","page","pageSize"} plus
// a hash of the other fields and a signature, so a next-page request that
// changes any field, or an edited token, is a 400 naming pageToken. A full
// page always has a nextToken, so records ending exactly on a page boundary
// are followed by an empty last page. The last page ends with nextToken
// null, "" or absent, chosen per query, so clients meet all three.
package fakeapi
