package elevenlabs

import (
	"context"
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
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	return resp.StatusCode == http.StatusRequestTimeout ||
		resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented, nil
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
