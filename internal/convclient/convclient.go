// Package convclient starts a conversation with an ElevenLabs agent the way the
// official JavaScript client (@elevenlabs/client) does over WebSocket
// (CONTRACT.md, "Starting a conversation"): it opens the signed or public URL
// with &source=js_sdk&version=<v> added, asks for the convai subprotocol,
// sends no API key, sends conversation_initiation_client_data and waits for
// conversation_initiation_metadata. The acceptance tests and the offline demo
// use it against the fake API (internal/fakeapi); it is a test client, not
// part of the provider.
package convclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

// ClientVersion is the @elevenlabs/client version whose handshake this
// package follows; it is sent as the version query parameter.
const ClientVersion = "1.25.0"

// Subprotocol is the WebSocket subprotocol the official client asks for.
const Subprotocol = "convai"

// DefaultTimeout bounds Start when ctx has no deadline.
const DefaultTimeout = 10 * time.Second

// Refused is a conversation start the server answered with an HTTP status
// instead of upgrading to a WebSocket.
type Refused struct {
	Status int
	// Reason is the error code of a JSON error body (detail.code, else
	// detail.status); "" if the body had none.
	Reason string
	// Body is the start of the response body.
	Body string
	// Answer is the refusal read by the client package's one parser of error
	// answers (elevenlabs.ParseError), signatures and tokens masked.
	Answer *elevenlabs.APIError
}

func (r *Refused) Error() string {
	if r.Reason != "" {
		return fmt.Sprintf("conversation refused: HTTP %d %s", r.Status, r.Reason)
	}
	return fmt.Sprintf("conversation refused: HTTP %d", r.Status)
}

// Conversation is a started conversation.
type Conversation struct {
	conn *websocket.Conn
	// ID is the conversation_id of conversation_initiation_metadata.
	ID string
	// Subprotocol is the subprotocol the server chose.
	Subprotocol string
	// OutputFormat and InputFormat are the audio formats the server announced.
	OutputFormat, InputFormat string
}

// Options of Start.
type Options struct {
	// Origin is sent as the Origin header when not empty, as a browser does.
	Origin string
	// HTTPClient makes the handshake (default http.DefaultClient).
	HTTPClient *http.Client
}

// Start opens rawURL (ws://, wss://, http:// or https://), performs the
// handshake and waits for conversation_initiation_metadata. A refused
// handshake is a *Refused error; a socket closed before the metadata is a
// failed start too.
func Start(ctx context.Context, rawURL string, o Options) (*Conversation, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	u, err := withClientParams(rawURL)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	if o.Origin != "" {
		h.Set("Origin", o.Origin)
	}
	conn, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{
		HTTPClient:   o.HTTPClient,
		HTTPHeader:   h,
		Subprotocols: []string{Subprotocol},
	})
	if resp != nil && resp.Body != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			return nil, refused(resp, u)
		}
		return nil, fmt.Errorf("WebSocket handshake: %w", err)
	}
	c := &Conversation{conn: conn, Subprotocol: conn.Subprotocol()}
	if err := c.send(ctx, map[string]any{"type": "conversation_initiation_client_data"}); err != nil {
		_ = conn.CloseNow()
		return nil, err
	}
	var meta struct {
		Type  string `json:"type"`
		Event struct {
			ConversationID string `json:"conversation_id"`
			Output         string `json:"agent_output_audio_format"`
			Input          string `json:"user_input_audio_format"`
		} `json:"conversation_initiation_metadata_event"`
	}
	if err := c.read(ctx, &meta); err != nil {
		_ = conn.CloseNow()
		return nil, fmt.Errorf("waiting for conversation_initiation_metadata: %w", err)
	}
	if meta.Type != "conversation_initiation_metadata" || meta.Event.ConversationID == "" {
		_ = conn.CloseNow()
		return nil, fmt.Errorf("first message is %q without a conversation_id, want conversation_initiation_metadata", meta.Type)
	}
	c.ID, c.OutputFormat, c.InputFormat = meta.Event.ConversationID, meta.Event.Output, meta.Event.Input
	return c, nil
}

// withClientParams adds what the official client adds to the URL.
func withClientParams(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("conversation URL does not parse")
	}
	switch u.Scheme {
	case "ws", "wss", "http", "https":
	default:
		return "", fmt.Errorf("conversation URL scheme %q: want ws, wss, http or https", u.Scheme)
	}
	extra := "source=js_sdk&version=" + url.QueryEscape(ClientVersion)
	if u.RawQuery == "" {
		u.RawQuery = extra
	} else {
		u.RawQuery += "&" + extra
	}
	return u.String(), nil
}

func refused(resp *http.Response, rawURL string) *Refused {
	var b []byte
	if resp.Body != nil {
		b, _ = io.ReadAll(io.LimitReader(resp.Body, 1024))
	}
	path := "/"
	if u, err := url.Parse(rawURL); err == nil {
		path = u.Path
	}
	e := elevenlabs.ParseError(http.MethodGet, path, resp, b, nil)
	return &Refused{Status: resp.StatusCode, Reason: e.Code, Body: string(b), Answer: e}
}

// Close ends the conversation with a normal closure.
func (c *Conversation) Close() error {
	err := c.conn.Close(websocket.StatusNormalClosure, "bye")
	var ce websocket.CloseError
	if err == nil || errors.As(err, &ce) || strings.Contains(err.Error(), "already wrote close") {
		return nil
	}
	return err
}

func (c *Conversation) send(ctx context.Context, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.conn.Write(ctx, websocket.MessageText, b)
}

func (c *Conversation) read(ctx context.Context, v any) error {
	_, b, err := c.conn.Read(ctx)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
