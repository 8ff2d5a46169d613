// Package coveotest serves an embedded Coveo privileges API on a loopback
// port, in the spirit of net/http/httptest, for unit tests, Terraform
// acceptance tests (point the provider's endpoint at Server.URL) and demos.
//
// It answers
//
//	POST /rest/organizations/{organizationId}/privileges/token?accessToken={token}
//	Authorization: Bearer {callerToken}
//	Content-Type: application/json
//
// with the JSON array of the entries granted to the inspected token in that
// organization, in the order granted. Entries are built with Legacy (the
// older shape of Coveo's documentation), Current (the OpenAPI model) or
// RawEntry (any JSON), and may be mixed.
//
// # Checks
//
// Every answer carries a fresh X-Request-ID header and, unless a scripted
// Response says otherwise, Content-Type: application/json. A delay set with
// SetDelay comes first. Then the first failing check answers:
//
//  1. path other than the endpoint's: 404, errorCode NOT_FOUND
//  2. method other than POST: 405, errorCode METHOD_NOT_ALLOWED, Allow: POST
//  3. a Response queued with Enqueue, served as is
//  4. missing or malformed "Authorization: Bearer <token>": 401, errorCode UNAUTHORIZED
//  5. expired caller token (Expire): 419, ExpiredToken body
//  6. unknown caller token: 401, errorCode UNAUTHORIZED
//  7. Content-Type (ignoring parameters) not application/json: 415, errorCode UNSUPPORTED_MEDIA_TYPE
//  8. missing or empty accessToken query parameter: 400, errorCode MISSING_PARAMETER
//  9. unknown organization: 404, errorCode ORGANIZATION_NOT_FOUND
//  10. expired inspected token: 419, ExpiredToken body
//  11. unknown inspected token: 401, errorCode INVALID_TOKEN
//  12. otherwise: 200 and the array, [] when the token holds nothing there
//
// Error bodies of the default checks take the AuthorizationServer shape
// {"message","errorCode","requestID"}, requestID equal to the X-Request-ID
// header, except the 419 which takes the shape Coveo uses for expired tokens.
// What Coveo really answers in these cases is not public (see
// shared/coveo-api.md); the statuses are the plausible ones, and a test that
// needs another answer scripts it with Enqueue.
//
// A valid token inspected in a known organization where it was never granted
// anything answers 200 []: Coveo scopes privileges to the organization, and a
// token that is valid but holds nothing there has, as far as this endpoint
// says, no privileges in it. Use Enqueue to test other plausible answers
// (401, 403).
//
// Coveo also answers GET on this path; this server deliberately answers GET
// with 405 so that tests catch a client that does not use POST, as Coveo's
// documentation asks.
//
// # Secrets
//
// The server writes no log at all, and no error message it produces names a
// token. Requests keeps the tokens received, for tests to assert on.
package coveotest
