package elevenlabs

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// checkRetry retries 408 and 5xx answers (except 501) and transport errors
// that may be transient, as the official SDKs do, up to MaxRetries times. It
// never retries once the context is done, nor a TLS or URL error that a retry
// cannot fix. A 429 is returned to Client.send, which retries it within the
// rate-limit budget instead (ratelimit.go).
func checkRetry(ctx context.Context, resp *http.Response, err error) (retry bool, _ error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if s := statsOf(ctx); s != nil {
		defer func() { s.lastRetryable = retry }()
	}
	if err != nil {
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	return resp.StatusCode == http.StatusRequestTimeout ||
		resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented, nil
}

// callStats follows one API call through go-retryablehttp's attempts, so
// that the error after the last one can say what was tried.
type callStats struct {
	start    time.Time
	attempts int
	// lastRetryable is checkRetry's word on the last attempt: true when it
	// failed in a way worth retrying, so the call ended for lack of retries.
	lastRetryable bool
}

type callStatsKey struct{}

func withStats(ctx context.Context, s *callStats) context.Context {
	return context.WithValue(ctx, callStatsKey{}, s)
}

func statsOf(ctx context.Context) *callStats {
	s, _ := ctx.Value(callStatsKey{}).(*callStats)
	return s
}

// countAttempt is go-retryablehttp's RequestLogHook, called before each
// attempt (the attempts of one call run one after another).
func countAttempt(_ retryablehttp.Logger, r *http.Request, _ int) {
	if s := statsOf(r.Context()); s != nil {
		s.attempts++
	}
}

// RetriesExhaustedError is a call whose last attempt failed in a way worth
// retrying (a 408, a 5xx other than 501, a network error or a timeout) when
// MaxRetries allowed no more: Err is that last failure.
type RetriesExhaustedError struct {
	Attempts   int
	Elapsed    time.Duration
	MaxRetries int
	Err        error
}

func (e *RetriesExhaustedError) Error() string {
	attempts, retries := "attempts", "retries"
	if e.Attempts == 1 {
		attempts = "attempt"
	}
	if e.MaxRetries == 1 {
		retries = "retry"
	}
	return fmt.Sprintf("%v; gave up after %d %s over %s (%d %s allowed)", e.Err, e.Attempts, attempts,
		e.Elapsed.Round(time.Millisecond), e.MaxRetries, retries)
}

func (e *RetriesExhaustedError) Unwrap() error { return e.Err }

// IsRetriesExhausted reports whether err is a call that failed after every
// retry MaxRetries allows.
func IsRetriesExhausted(err error) bool {
	var e *RetriesExhaustedError
	return errors.As(err, &e)
}

// exhausted wraps err, the failure of a call followed by s, in a
// *RetriesExhaustedError when its last attempt was worth retrying (and the
// call was not cancelled).
func (c *Client) exhausted(ctx context.Context, s *callStats, err error) error {
	if !s.lastRetryable || ctx.Err() != nil {
		return err
	}
	return &RetriesExhaustedError{Attempts: s.attempts, Elapsed: time.Since(s.start), MaxRetries: c.http.RetryMax, Err: err}
}

// backoff waits as long as a Retry-After header asks (seconds or an HTTP date),
// capped at max; without one it backs off exponentially from min with jitter
// (each wait is drawn from the upper half of min*2^attempt, capped at max).
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return min(d, maxWait)
		}
	}
	ceil := float64(minWait) * math.Pow(2, float64(attempt))
	if ceil > float64(maxWait) || math.IsInf(ceil, 0) {
		ceil = float64(maxWait)
	}
	half := time.Duration(ceil / 2)
	wait := half + rand.N(half+1)
	return max(wait, minWait)
}

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP date
// (RFC 9110 section 10.2.3). A date in the past means no wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > math.MaxInt64/int64(time.Second) {
			return time.Duration(math.MaxInt64), true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}
