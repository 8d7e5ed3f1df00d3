// Conversations through the official browser client, @elevenlabs/client,
// under Node.
//
// @elevenlabs/client 1.25.0 runs under Node 20 in text-only mode over a
// WebSocket: its runtime check wants fetch, WebSocket, TextEncoder,
// TextDecoder, URL, btoa and atob as globals, and Node 20 lacks only
// WebSocket. We install the `ws` package's client as globalThis.WebSocket
// (it has the browser's addEventListener API); a subclass adds the Origin
// header a browser page would send, so the allowlist can be exercised. Audio
// (AudioContext, getUserMedia) and WebRTC (LiveKit) are never touched in
// text-only WebSocket sessions, so a conversation token (WebRTC only) cannot
// be tried here.
import { WebSocket as WsWebSocket } from "ws";

let pageOrigin;
let transportErrors = [];

class BrowserLikeWebSocket extends WsWebSocket {
  constructor(url, protocols) {
    super(url, protocols, { origin: pageOrigin, handshakeTimeout: 5000 });
    // ws reports a refused upgrade as "Unexpected server response: 403"; the
    // official client only sees a close (1006). Keep the reason for messages.
    this.on("error", (e) => transportErrors.push(e.message));
  }
}
globalThis.WebSocket = BrowserLikeWebSocket;

const { Conversation, SessionConnectionError } = await import("@elevenlabs/client");
export { SessionConnectionError };

const redact = (s) => String(s).replace(/(conversation_signature|token)=[^&\s]*/g, "$1=<redacted>");

// startWithClient starts a text-only WebSocket conversation through the
// official client: opts is {signedUrl} or {agentId, origin: "ws://host:port"},
// plus pageOrigin (the Origin header, or undefined for none). It resolves to
// {ok: true, conversationId, session} or {ok: false, error, transport}.
export async function startWithClient({ pageOrigin: o, ...opts }) {
  pageOrigin = o;
  transportErrors = [];
  try {
    const session = await Conversation.startSession({ ...opts, connectionType: "websocket", textOnly: true });
    return { ok: true, conversationId: session.getId(), session };
  } catch (error) {
    return { ok: false, error, transport: transportErrors.join("; ") };
  }
}

export function describeStart(r) {
  if (r.ok) return `connected (${r.conversationId})`;
  const e = r.error;
  const close = e instanceof SessionConnectionError ? ` closeCode=${e.closeCode}` : "";
  return `${e?.name}: ${redact(e?.message)}${close}${r.transport ? `; transport: ${redact(r.transport)}` : ""}`;
}

// rawHandshake follows the client's documented protocol with a plain `ws`
// client: subprotocol convai, send conversation_initiation_client_data,
// expect conversation_initiation_metadata. It resolves to {status: 101,
// protocol, metadata} or, for a refused upgrade, {status, body}.
export function rawHandshake(url, { origin } = {}) {
  return new Promise((resolve) => {
    const ws = new WsWebSocket(url, ["convai"], { origin, handshakeTimeout: 5000 });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ status: 0, error: "no conversation_initiation_metadata within 5s" });
    }, 5000);
    const done = (v) => {
      clearTimeout(timer);
      resolve(v);
    };
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => {
        let json;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        done({ status: res.statusCode, body: json ?? body });
        ws.terminate();
      });
    });
    ws.on("error", (e) => done({ status: 0, error: e.message }));
    ws.on("open", () => {
      ws.send(JSON.stringify({ type: "conversation_initiation_client_data", conversation_config_override: { conversation: { text_only: true } } }));
    });
    ws.on("message", (m) => {
      let msg;
      try {
        msg = JSON.parse(m.toString());
      } catch {
        msg = { unparsable: m.toString() };
      }
      done({ status: 101, protocol: ws.protocol, first: msg, metadata: msg.conversation_initiation_metadata_event });
      ws.close(1000);
    });
    ws.on("close", (code, reason) => done({ status: 101, protocol: ws.protocol, closed: { code, reason: reason.toString() } }));
  });
}

export { redact };
