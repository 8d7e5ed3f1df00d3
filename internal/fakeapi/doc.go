// Package fakeapi is a stateful, in-memory fake of the part of the
// ElevenLabs conversational-agent API that the Terraform provider uses. It
// is an http.Handler meant for acceptance tests, the offline demo and
// benchmarks, and it is shaped after the contract in CONTRACT.md at the
// repository root, never after any client. Where the contract marks the real
// API unconfirmed, the fake's answers are listed in CONTRACT.md, "Fake-only
// decisions".
//
// What it serves (all under /v1, JSON, key in the xi-api-key header):
//
//	GET    /v1/convai/agents/{agent_id}                  full agent
//	PATCH  /v1/convai/agents/{agent_id}                  deep merge, full agent back
//	DELETE /v1/convai/agents/{agent_id}                  204
//	POST   /v1/convai/agents/create                      {"agent_id":...} only
//	GET    /v1/convai/agents?page_size=&cursor=&search=  page of summaries
//	GET    /v1/convai/conversation/get-signed-url        {"signed_url":"wss://..."}
//	GET    /v1/convai/conversation/get_signed_url        deprecated alias
//	GET    /v1/convai/conversation?agent_id=&conversation_signature=
//	                                                     conversation start (no key)
//
// A plain HTTP GET on /v1/convai/conversation stands in for the WebSocket
// upgrade: it answers 200 {"conversation_id":...,"status":"connected"} or
// 403 {"detail":{"status":"<reason>",...}} by the agent's
// platform_settings.auth, with the reasons signature_required,
// signature_invalid, signature_expired, signature_used, origin_required and
// origin_not_allowed.
//
// Errors use the three forms of the contract: the object form
// {"detail":{"status":..,"code":..,"message":..,"request_id":..}} for
// application errors (401, 403, 404 agent_not_found, injected faults), the
// array form {"detail":[{"loc":[..],"msg":..,"type":..}]} for 422, and the
// plain string form {"detail":"Not Found"} / {"detail":"Method Not Allowed"}
// for unknown routes and methods. Every response carries a request-id header.
//
// Contract decisions this fake takes (the contract marks the server's real
// behaviour for these as unconfirmed; these are our decisions):
//
//   - An allowlist entry is exactly {"hostname": string}; the hostname is
//     "host" or "host:port", lower case, with no scheme, path, query,
//     fragment, wildcard, whitespace or trailing dot, and at most 10 unique
//     entries are allowed. Anything else is answered with a 422.
//   - Origin matching is exact and case-sensitive: the Origin header's host
//     (with port, if the Origin has one) must equal an entry.
//   - A JSON null anywhere in a PATCH body deletes that key from the stored
//     agent (the contract warns that null wipes a nested object).
//   - shareable_token, agent_id and metadata are server-set: they are
//     dropped from PATCH and create bodies (but stay visible in the request
//     log), and metadata.updated_at_unix_secs is bumped on every PATCH.
//   - A signature is valid for 15 minutes from minting (by the injectable
//     Clock), is checked only at conversation start, and one minted with
//     include_conversation_id=true works only once.
//   - Auth (401) is checked before body validation (422), which is checked
//     before the agent lookup (404).
//
// Beyond HTTP the Server offers out-of-band helpers (CreateAgent, PutAgent,
// SetAuth, ...) that skip all validation so drift tests can plant any state,
// fault injection (InjectFault, SetFailEvery, SetLatency), a request recorder
// with per-route counters, and an admin HTTP API under /_fake/
// (AdminHandler, Mux) for scripts that drive the fake from outside.
package fakeapi
