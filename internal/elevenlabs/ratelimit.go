package elevenlabs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// DefaultRateLimitTimeout is how long an API call keeps retrying 429 answers
// when Config.RateLimitTimeout is zero.
const DefaultRateLimitTimeout = 5 * time.Minute

// send sends req and returns the final answer. Each attempt first waits for a
// place under the client's adaptive concurrency limit (limiter.go), which
// every call of the Client shares. Inside an attempt, go-retryablehttp retries
// 408, 5xx and transport errors up to MaxRetries times (checkRetry). A 429
// means "later", not "failed": send retries it, after the backoff (Retry-After
// when the API sends one, else jittered exponential), for as long as the
// call's rate-limit budget allows, counted from its first 429. When the next
// wait would end past the budget, send returns the last 429 answer with a
// *RateLimitError. Cancelling ctx stops at once, including while waiting for a
// place or between attempts.
//
// The place is held through go-retryablehttp's own retries of a 5xx (rare, and
// bounded by MaxRetries), so those never add to the requests in flight; it is
// given back before waiting out a 429, so a refused call never blocks others.
func (c *Client) send(ctx context.Context, req *retryablehttp.Request) (*http.Response, *RateLimitError, error) {
	var first429 time.Time
	for attempt := 0; ; attempt++ {
		p, err := c.limit.acquire(ctx)
		if err != nil {
			return nil, nil, err
		}
		resp, err := c.http.Do(req)
		switch {
		case err != nil:
			p.release(ignored)
			return nil, nil, err
		case resp.StatusCode != http.StatusTooManyRequests:
			if resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout {
				p.release(ignored)
			} else {
				p.release(succeeded)
			}
			return resp, nil, nil
		}
		p.release(overloaded)

		now := time.Now()
		if first429.IsZero() {
			first429 = now
		}
		wait := backoff(c.retryWaitMin, c.retryWaitMax, attempt, resp)
		if now.Add(wait).Sub(first429) > c.rateLimitTimeout {
			return resp, &RateLimitError{Budget: c.rateLimitTimeout, Attempts: attempt + 1, Waited: now.Sub(first429)}, nil
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, nil, ctx.Err()
		}
	}
}

// RateLimitError is an API call that was still answered 429 when its
// rate-limit budget (Config.RateLimitTimeout) ran out. It wraps the last
// answer's *APIError.
type RateLimitError struct {
	// Budget is the rate-limit budget of one call.
	Budget time.Duration
	// Attempts counts the 429 answers the call received.
	Attempts int
	// Waited is the time from the first 429 answer to the last.
	Waited time.Duration
	// Last is the last 429 answer.
	Last *APIError
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%s; still refused after %d attempts over %s, and the next retry would pass the rate-limit budget of %s",
		e.Last.Error(), e.Attempts, e.Waited.Round(time.Millisecond), e.Budget)
}

func (e *RateLimitError) Unwrap() error { return e.Last }

// IsRateLimited reports whether err is a call that ran out of its rate-limit
// budget while the API kept answering 429.
func IsRateLimited(err error) bool {
	var e *RateLimitError
	return errors.As(err, &e)
}
