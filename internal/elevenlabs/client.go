// Package elevenlabs is a small client for the parts of the ElevenLabs API that the
// Terraform provider uses: the platform_settings.auth block of conversational agents,
// the list of agents, and the credentials that start a conversation (signed URLs and
// conversation tokens). It speaks HTTP only and has no Terraform imports; the contract
// it follows is CONTRACT.md at the repository root (cited by section name).
package elevenlabs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

// DefaultBaseURL is the global ElevenLabs API host.
const DefaultBaseURL = "https://api.elevenlabs.io"

// Defaults for Config fields left at their zero value.
const (
	DefaultMaxRetries     = 4
	DefaultRequestTimeout = 30 * time.Second
	DefaultRetryWaitMin   = 1 * time.Second
	DefaultRetryWaitMax   = 60 * time.Second
)

// maxIdleConnsPerHost is how many idle connections to the API are kept.
const maxIdleConnsPerHost = 32

// maxResponseBytes bounds how much of a response body is used; one byte more is
// read to tell a body cut at the limit from one that fits. limitText says it.
const (
	maxResponseBytes = 4 << 20
	limitText        = "4 MiB"
)

// Config configures a Client.
type Config struct {
	// BaseURL is the API root without the /v1 prefix, e.g. https://api.elevenlabs.io.
	BaseURL string
	// APIKey is sent as the xi-api-key header. It never appears in errors.
	APIKey string
	// UserAgent is sent as the User-Agent header.
	UserAgent string
	// MaxRetries bounds the retries after a 408, a 5xx or a transport error
	// (0 disables them; a negative value selects DefaultMaxRetries). 429 answers
	// are retried within RateLimitTimeout instead.
	MaxRetries int
	// RateLimitTimeout bounds how long one call keeps retrying 429 answers,
	// from its first 429 (0 or less selects DefaultRateLimitTimeout).
	RateLimitTimeout time.Duration
	// RequestTimeout bounds one attempt, including reading the body.
	RequestTimeout time.Duration
	// RetryWaitMin and RetryWaitMax bound the backoff between attempts.
	RetryWaitMin, RetryWaitMax time.Duration
	// Transport, when set, wraps or replaces the pooled transport (for logging).
	Transport func(http.RoundTripper) http.RoundTripper
	// Secrets is the set of secret values that every error of the client and
	// the HTTP log mask (nil: the client makes its own). New pins APIKey and
	// the proxy credentials in it; the client adds every credential it sees in
	// an answer (secrets.go).
	Secrets *redact.Secrets
}

// Client talks to the ElevenLabs API. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	apiKey    string
	userAgent string
	http      *retryablehttp.Client
	// known masks every error (secrets.go).
	known *redact.Secrets
	// keyFinder refuses an answer that repeats the API key (echoed_key.go).
	keyFinder *redact.Finder

	// limit bounds the requests in flight of every call (ratelimit.go).
	limit                      *adaptiveLimit
	rateLimitTimeout           time.Duration
	retryWaitMin, retryWaitMax time.Duration
}

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("invalid base URL %q: want an absolute URL such as %s", redact.URL(cfg.BaseURL), DefaultBaseURL)
	}
	if cfg.Secrets == nil {
		cfg.Secrets = redact.NewSecrets()
	}
	cfg.Secrets.Pin(cfg.APIKey)
	cfg.Secrets.Pin(ProxyCredentials()...)
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		cfg.RetryWaitMax = max(DefaultRetryWaitMax, cfg.RetryWaitMin)
	}
	if cfg.RateLimitTimeout <= 0 {
		cfg.RateLimitTimeout = DefaultRateLimitTimeout
	}

	pooled := cleanhttp.DefaultPooledTransport()
	// The CLI runs 10 operations at a time (more with -parallelism): keep their
	// connections instead of a TLS handshake per request.
	pooled.MaxIdleConnsPerHost = maxIdleConnsPerHost
	transport := http.RoundTripper(pooled)
	if cfg.Transport != nil {
		transport = cfg.Transport(transport)
	}
	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{Transport: keepLocation{transport}, Timeout: cfg.RequestTimeout, CheckRedirect: refuseRedirect}
	rc.Logger = nil // logging is the transport's job, with secrets masked
	rc.RetryMax = cfg.MaxRetries
	rc.RetryWaitMin = cfg.RetryWaitMin
	rc.RetryWaitMax = cfg.RetryWaitMax
	rc.CheckRetry = checkRetry
	rc.RequestLogHook = countAttempt
	rc.Backoff = backoff
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler

	return &Client{base: base, apiKey: cfg.APIKey, userAgent: cfg.UserAgent, http: rc, known: cfg.Secrets, keyFinder: newKeyFinder(cfg.APIKey),
		limit: newAdaptiveLimit(), rateLimitTimeout: cfg.RateLimitTimeout,
		retryWaitMin: cfg.RetryWaitMin, retryWaitMax: cfg.RetryWaitMax}, nil
}

// UserAgent builds the User-Agent header value the provider sends.
func UserAgent(providerVersion, terraformVersion string) string {
	if providerVersion == "" {
		providerVersion = "dev"
	}
	if terraformVersion == "" {
		terraformVersion = "unknown"
	}
	return fmt.Sprintf("terraform-provider-elevenlabs/%s (terraform %s)", providerVersion, terraformVersion)
}

// do sends one API call, retrying as the policy allows, and decodes a 2xx JSON
// response into out (when out is non-nil), unless it repeats the API key
// (*EchoedKeyError). Any other outcome is an error: *APIError for an HTTP
// answer, or a transport error with the key and signatures removed.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, in, out any) error {
	u := *c.base
	u.Path = c.base.Path + path
	u.RawPath = c.base.EscapedPath() + escapePath(path)
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}

	var body any
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encoding %s %s request: %w", method, path, err)
		}
		body = b
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return fmt.Errorf("building %s %s request: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if c.apiKey != "" {
		req.Header.Set(HeaderAPIKey, c.apiKey)
	}
	stats := &callStats{start: time.Now()}
	req = req.WithContext(withStats(req.Context(), stats))

	// Read the whole body inside the retry loop, so that a connection that breaks
	// mid-response is retried like one that breaks before it.
	req.SetResponseHandler(bufferBody)

	resp, limited, err := c.send(ctx, req)
	if err != nil {
		return c.exhausted(ctx, stats, c.transportError(ctx, method, path, err))
	}
	defer resp.Body.Close()
	raw, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	cut := len(raw) > maxResponseBytes
	if cut {
		raw = raw[:maxResponseBytes]
	}
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		e := redirectError(method, path, &u, resp)
		e.Target = c.mask(e.Target)
		return e
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := ParseError(method, path, resp, raw, c.mask)
		if cut && e.Code == "" && len(e.Validation) == 0 {
			e.Message = "response body larger than " + limitText + ", the most the provider reads (cut there, not decoded)"
		}
		if limited != nil {
			limited.Last = e
			return limited
		}
		return c.exhausted(ctx, stats, e)
	}
	if readErr != nil {
		return c.transportError(ctx, method, path, readErr)
	}
	if out == nil || len(bytes.TrimSpace(raw)) == 0 && resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if cut {
		return fmt.Errorf("ElevenLabs API: %s %s returned %d with a body larger than %s, the most the provider reads: "+
			"the answer was cut there and not used", method, path, resp.StatusCode, limitText)
	}
	if c.keyFinder.In(raw) {
		return &EchoedKeyError{Method: method, Path: path, Status: resp.StatusCode}
	}
	c.learn(raw)
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("ElevenLabs API: %s %s returned %d with a body that is not the expected JSON (%d bytes): %s",
			method, path, resp.StatusCode, len(raw), c.mask(err.Error()))
	}
	return nil
}

// Call sends one request that no typed method sends, with body (JSON, nil
// for none) as is, and decodes a 2xx JSON answer into out (nil: not decoded).
// It takes the same path as every typed method: the key header, retries of
// 408, 5xx and transport errors up to MaxRetries (a request that must not be
// repeated, such as a create, needs a Client with MaxRetries 0), the 429
// budget, no redirect, the 4 MiB bound, errors as *APIError with secrets
// masked. path is unescaped; each segment is escaped. The provider never
// calls it: it is the live check's (scripts/testlive), which creates and
// deletes its throwaway agent and sends bodies the provider refuses.
func (c *Client) Call(ctx context.Context, method, path string, query url.Values, body []byte, out any) error {
	var in any
	if body != nil {
		in = json.RawMessage(body)
	}
	return c.do(ctx, method, path, query, in, out)
}

// transportError describes a failure without a usable HTTP answer.
func (c *Client) transportError(ctx context.Context, method, path string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("ElevenLabs API: %s %s: %w", method, path, ctxErr)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &TransportError{Method: method, Path: path, Timeout: true, msg: c.mask(err.Error())}
	}
	return &TransportError{Method: method, Path: path, msg: c.mask(err.Error())}
}

// TransportError is a failure to get any HTTP answer (connection refused, reset,
// timeout) after all retries.
type TransportError struct {
	Method, Path string
	Timeout      bool
	msg          string
}

func (e *TransportError) Error() string {
	what := "request failed"
	if e.Timeout {
		what = "request timed out"
	}
	return fmt.Sprintf("ElevenLabs API: %s %s: %s: %s", e.Method, e.Path, what, e.msg)
}

// escapePath escapes each segment of an API path (agent ids are opaque).
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// bufferBody reads a response body into memory (bounded), so that a read error
// becomes a retryable attempt error.
func bufferBody(resp *http.Response) error {
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	_ = resp.Body.Close()
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return nil
}
