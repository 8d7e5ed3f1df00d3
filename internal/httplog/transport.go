// Package httplog is the bridge between the API client's HTTP traffic and
// terraform-plugin-log: a RoundTripper that logs each request and response in the
// "elevenlabs_http" subsystem with every secret masked by internal/redact: by
// value, each secret of the provider's redact.Secrets set (the API key, proxy
// credentials, every token, signature and shareable_token seen) in each of its
// forms, and by name (the xi-api-key header, signed URLs, signatures, tokens,
// JWTs, and credentials in URLs). Each body is learned as it is read, and the
// lines about an answer are written once every answer that arrived before it
// is learned (order.go), so what an answer carries under a secret's name is
// masked wherever it, or any later answer, echoes it.
// TF_LOG_PROVIDER_ELEVENLABS_HTTP=DEBUG (or TF_LOG=DEBUG) logs each call;
// TRACE adds headers and bodies.
package httplog

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

// Subsystem is the tflog subsystem name.
const Subsystem = "elevenlabs_http"

// maxLoggedBody bounds how much of a body is logged.
const maxLoggedBody = 16 << 10

const masked = redact.Mask

// sensitiveHeaders are logged as *** whatever their value.
var sensitiveHeaders = map[string]bool{"xi-api-key": true, "authorization": true, "cookie": true, "set-cookie": true}

// Transport logs traffic through next, masking with Secrets: the set the API
// client shares (nil masks by name only).
type Transport struct {
	Next    http.RoundTripper
	Secrets *redact.Secrets
	order   order
}

// New wraps next.
func New(next http.RoundTripper, secrets *redact.Secrets) *Transport {
	return &Transport{Next: next, Secrets: secrets}
}

// Mask removes every known secret and everything internal/redact masks by name from s.
func (t *Transport) Mask(s string) string { return t.Secrets.String(s) }

// learnMask learns the secrets s carries under their names, then masks it.
func (t *Transport) learnMask(s string) string { return t.Secrets.LearnString(s) }

// masked returns ctx with the subsystem's masks set up; they are a second line
// of defence behind Mask.
func (t *Transport) masked(ctx context.Context) context.Context {
	ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, Subsystem, "xi-api-key")
	ctx = tflog.SubsystemMaskAllFieldValuesRegexes(ctx, Subsystem, redact.WholeMatchPatterns()...)
	ctx = tflog.SubsystemMaskMessageRegexes(ctx, Subsystem, redact.WholeMatchPatterns()...)
	if pinned := t.Secrets.Pinned(); len(pinned) > 0 {
		ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, Subsystem, pinned...)
		ctx = tflog.SubsystemMaskMessageStrings(ctx, Subsystem, pinned...)
	}
	return ctx
}

// RoundTrip implements http.RoundTripper. Each call is logged at DEBUG (method,
// URL, status, duration); its headers and bodies in separate TRACE lines, so a
// CLI at DEBUG shows no bodies.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := tflog.NewSubsystem(req.Context(), Subsystem, tflog.WithLevelFromEnv("TF_LOG_PROVIDER_ELEVENLABS", "HTTP"))
	if !tflog.SubsystemIsDebug(ctx, Subsystem) {
		return t.Next.RoundTrip(req)
	}
	ctx = t.masked(ctx)
	trace := tflog.SubsystemIsTrace(ctx, Subsystem)
	url := t.Mask(req.URL.String())

	tflog.SubsystemDebug(ctx, Subsystem, "ElevenLabs API request", map[string]any{"http.method": req.Method, "http.url": url})
	if trace {
		t.learnHeaders(req.Header)
		fields := map[string]any{"http.method": req.Method, "http.url": url, "http.headers": t.headers(req.Header)}
		if req.Body != nil && req.GetBody != nil {
			if body, err := req.GetBody(); err == nil {
				b, _ := io.ReadAll(io.LimitReader(body, maxLoggedBody))
				_ = body.Close()
				fields["http.body"] = t.learnMask(string(b))
			}
		}
		tflog.SubsystemTrace(ctx, Subsystem, "ElevenLabs API request headers and body", fields)
	}

	start := time.Now()
	resp, err := t.Next.RoundTrip(req)
	turn := t.order.take() // before the body is read: see order
	out := map[string]any{"http.method": req.Method, "http.url": url, "http.duration_ms": time.Since(start).Milliseconds()}
	if err != nil {
		t.order.done(turn, func() {
			out["error"] = t.Mask(err.Error())
			tflog.SubsystemDebug(ctx, Subsystem, "ElevenLabs API request failed", out)
		})
		return resp, err
	}
	out["http.status"] = resp.StatusCode
	var header http.Header // as it arrived: the caller may change resp.Header before the lines are written
	var body redact.Learned
	var readErr error
	if trace {
		var b []byte
		b, readErr = io.ReadAll(io.LimitReader(resp.Body, maxLoggedBody))
		rest := resp.Body
		resp.Body = readCloser{io.MultiReader(bytes.NewReader(b), errOr(readErr, rest)), rest}
		header = resp.Header.Clone()
		t.learnHeaders(header)
		body = t.Secrets.LearnText(string(b)) // now: the caller may act on the answer before its lines are written
	}
	t.order.done(turn, func() {
		tflog.SubsystemDebug(ctx, Subsystem, "ElevenLabs API response", out)
		if !trace {
			return
		}
		fields := map[string]any{"http.method": req.Method, "http.url": url, "http.status": resp.StatusCode,
			"http.headers": t.headers(header), "http.body": body.String()}
		if readErr != nil {
			fields["error"] = t.Mask(readErr.Error())
		}
		tflog.SubsystemTrace(ctx, Subsystem, "ElevenLabs API response headers and body", fields)
	})
	return resp, nil
}

// learnHeaders adds the values of the sensitive headers of h.
func (t *Transport) learnHeaders(h http.Header) {
	for k, v := range h {
		if sensitiveHeaders[strings.ToLower(k)] {
			t.Secrets.Add(v...)
		}
	}
}

func (t *Transport) headers(h http.Header) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		v := strings.Join(h[k], ", ")
		if sensitiveHeaders[strings.ToLower(k)] {
			v = masked
		}
		b.WriteString(k + ": " + t.Mask(v) + "\n")
	}
	return b.String()
}

type readCloser struct {
	io.Reader
	io.Closer
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// errOr continues with the rest of the body, or replays a read error.
func errOr(err error, rest io.Reader) io.Reader {
	if err != nil {
		return errReader{err}
	}
	return rest
}
