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
//	GET    /v1/convai/agents?page_size=&cursor=&search=&archived=&sort_by=
//	       &sort_direction=&created_by_user_id=&show_only_owned_agents=
//	                                                     page of summaries
//	GET    /v1/convai/conversation/get-signed-url        {"signed_url":"ws://..."}
//	GET    /v1/convai/conversation/get_signed_url        deprecated alias
//	GET    /v1/convai/conversation/token                 {"token":"<JWT>","conversation_id":..}
//	GET    /v1/convai/conversation?agent_id=&conversation_signature=
//	                                                     WebSocket conversation (no key)
//
// The conversation endpoint is a real WebSocket (github.com/coder/websocket)
// speaking the conversation protocol as the official client does (CONTRACT.md,
// "Starting a conversation"): it accepts the convai subprotocol and extra
// query parameters (source, version, environment), checks the agent's
// platform_settings.auth before the upgrade and refuses with 403
// {"detail":{"status":"<reason>",...}} (reasons signature_required,
// signature_invalid, signature_expired, signature_used, origin_required,
// origin_not_allowed), 404 agent_not_found, or 426 for a request that passes
// but does not ask for an upgrade. After the upgrade it answers
// conversation_initiation_client_data with conversation_initiation_metadata
// (conversation_id, pcm_16000 both ways) and then echoes each user_message's
// text in an agent_response; everything else is ignored (see converse).
// Signed URLs carry ws:// when the fake is served over plain HTTP and wss://
// behind TLS, so a client can follow them.
//
// Conversation tokens are JWTs signed with HS256 and a secret drawn at random
// for each Server, with the claims agent_id, conversation_id,
// participant_name (if given), iat and exp. The real WebRTC (LiveKit) server
// that takes them is out of reach, so JoinWebRTC stands in for it and
// checks the signature, expiry and agent.
//
// Errors use the three forms of the contract: the object form
// {"detail":{"status":..,"code":..,"message":..,"request_id":..}} for
// application errors (401, 403, 404 agent_not_found, injected faults), the
// array form {"detail":[{"loc":[..],"msg":..,"type":..}]} for 422, and the
// plain string form {"detail":"Not Found"} / {"detail":"Method Not Allowed"}
// for unknown routes and methods. Every response carries the same request id
// in x-request-id (which the official SDK reads) and request-id.
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
//   - A JSON null for a nested object in a PATCH body deletes that object
//     from the stored agent (the contract warns that null wipes a nested
//     object); a null for a typed auth field is a 422 (CONTRACT.md,
//     "Fake-only decisions").
//   - shareable_token, agent_id and metadata are server-set: they are
//     dropped from PATCH and create bodies (but stay visible in the request
//     log), and metadata.updated_at_unix_secs is bumped on every PATCH.
//   - A signature is valid for 15 minutes from minting (by the injectable
//     Clock), is checked only at conversation start, and one minted with
//     include_conversation_id=true works only once.
//   - Auth (401) is checked before body validation (422), which is checked
//     before the agent lookup (404).
//   - The list is ordered by creation, newest first, without sort_by;
//     sort_by=name or created_at orders by that field (names by byte order),
//     and sort_by=call_count_7d by creation, since the fake records no calls;
//     sort_direction (asc, default desc) applies to all, and ties go by
//     creation. The cursor is opaque, belongs to the order it was made for
//     (another order refuses it) and stays valid when agents are created or
//     deleted between pages. search keeps agents whose name contains it,
//     ignoring case. archived is the agent's platform_settings.archived (a
//     PATCH of it moves the agent between the lists): archived=true lists
//     only archived agents; archived=false or no archived parameter lists
//     only the others (the parameter's OpenAPI default is false). The fake
//     has one user (FakeUserID), the creator of every agent:
//     created_by_user_id=@me or its id keeps every agent, another id none,
//     and show_only_owned_agents changes nothing. page_size outside 1..100,
//     a sort_by or sort_direction outside its enumeration, a cursor the fake
//     did not make, or an archived or show_only_owned_agents value that is
//     not a boolean is a 422. Every summary carries the keys the official
//     SDK requires (voice_id, access_info, ...) and no auth.
//   - A conversation token is valid for DefaultTokenLifetime (15 minutes)
//     from minting, by the injectable Clock (WithTokenLifetime changes it),
//     and may join any number of times until then. The API documents no
//     lifetime; the provider reads it from the token's exp claim.
//   - A refused conversation start is an HTTP 403 before the upgrade, never
//     a close frame after it.
//
// Beyond HTTP the Server offers out-of-band helpers (CreateAgent,
// CreateAgentWith, SeedAgents for thousands of agents at once, PutAgent,
// SetAuth, SetArchived, ...) that skip all validation so drift tests can plant any state,
// fault injection (InjectFault, SetFailEvery, SetLatency), a request recorder
// with per-route counters, and a small admin HTTP API under /_fake/
// (AdminHandler, Mux) for the scripts that drive the fake from outside.
package fakeapi
