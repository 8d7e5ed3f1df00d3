package elevenlabs

import (
	"fmt"
	"net/http"
	"net/url"
)

// refuseRedirect is the http.Client's CheckRedirect: no redirect is followed,
// so the xi-api-key header never leaves the configured scheme, host and port, a
// PATCH is never replayed as a GET, and the 3xx answer itself reaches do(),
// which reports it as a *RedirectError. (keepLocation already hides the Location
// from net/http; this stays as the second lock.)
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// refusedLocationHeader holds a 3xx answer's Location once keepLocation has
// taken it out of the way of net/http, which would otherwise fail on a Location
// it cannot parse (quoting it, query and all, in a transport error that is then
// retried) before CheckRedirect is even asked.
const refusedLocationHeader = "X-Elevenlabs-Provider-Refused-Location"

// keepLocation moves the Location of every 3xx answer to refusedLocationHeader,
// so that net/http hands the answer back as it is and do() reports it.
type keepLocation struct{ next http.RoundTripper }

func (t keepLocation) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err == nil && resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		if loc, ok := resp.Header["Location"]; ok {
			resp.Header.Del("Location")
			resp.Header[refusedLocationHeader] = loc
		}
	}
	return resp, err
}

// RedirectError is a 3xx answer. The client follows no redirect: the API answers
// its calls directly, and a redirect to another host would carry the API key
// there. Target is the scheme and host the redirect pointed to ("" when the
// answer had no usable Location); its path and query are never kept, as they may
// carry a signature or token.
type RedirectError struct {
	StatusCode   int
	Method, Path string
	Target       string
	// NoLocation and BadLocation say why Target is empty.
	NoLocation, BadLocation bool
}

func (e *RedirectError) Error() string {
	where := "a redirect to " + e.Target
	switch {
	case e.NoLocation:
		where = "a redirect without a Location"
	case e.BadLocation:
		where = "a redirect with a Location that is not a URL"
	}
	return fmt.Sprintf("ElevenLabs API: %s %s answered %d %s, %s. The provider follows no redirects, so nothing "+
		"was sent there, and the call is reported as failed. The base URL must name the API host itself "+
		"(for example %s, or the host of the workspace's data-residency region)",
		e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode), where, DefaultBaseURL)
}

// redirectError describes a 3xx answer to a request for reqURL.
func redirectError(method, path string, reqURL *url.URL, resp *http.Response) *RedirectError {
	e := &RedirectError{StatusCode: resp.StatusCode, Method: method, Path: path}
	loc := resp.Header.Get(refusedLocationHeader)
	if loc == "" {
		loc = resp.Header.Get("Location")
	}
	if loc == "" {
		e.NoLocation = true
		return e
	}
	u, err := url.Parse(loc)
	if err != nil {
		e.BadLocation = true
		return e
	}
	u = reqURL.ResolveReference(u)
	if u.Scheme == "" || u.Host == "" {
		e.BadLocation = true
		return e
	}
	// url.URL.Host never holds the userinfo; Redacted-style care is not needed.
	e.Target = u.Scheme + "://" + u.Host
	return e
}
