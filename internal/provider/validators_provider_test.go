package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// loopbackLookAlikes are plain-http base URLs whose host is not loopback for
// certain: a name that only starts like localhost or 127.0.0.1, an IPv4
// address written so that a resolver may read it as a name, an IPv4-mapped
// IPv6 address, a zone, localhost with a trailing dot (sent to DNS).
var loopbackLookAlikes = []string{
	"http://localhost.evil.example",
	"http://localhostx:8080",
	"http://127.0.0.1.evil.example",
	"http://[::ffff:127.0.0.1]:8080",
	"http://0x7f.1",
	"http://127.1",
	"http://0177.0.0.1",
	"http://localhost.:8080",
	"http://[::1%25eth0]:8080",
	"http://0.0.0.0:8080",
}

// TestBaseURLLoopbackException: plain http only to localhost (any letter
// case), 127.0.0.0/8 and [::1]; every look-alike is refused.
func TestBaseURLLoopbackException(t *testing.T) {
	for _, ok := range []string{"http://localhost:8080", "http://LOCALHOST:8080", "http://127.0.0.1", "http://127.255.0.9:1", "http://[::1]:8080", "http://[0:0:0:0:0:0:0:1]"} {
		if got := runString(baseURLValidator, types.StringValue(ok)); got != "" {
			t.Errorf("base_url %q refused: %s", ok, got)
		}
	}
	for _, bad := range loopbackLookAlikes {
		want := `Error|Invalid API base URL|"` + bad + `" uses plain http to a host that is not loopback: the API key would travel in clear text. Use https, or http only for a local fake on 127.0.0.1, ::1 or localhost`
		if got := runString(baseURLValidator, types.StringValue(bad)); got != want {
			t.Errorf("base_url %q:\n got %s\nwant %s", bad, got, want)
		}
	}
}

func TestBaseURLAndDurationValidators(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://api.elevenlabs.io", ""},
		{"https://proxy.example.com/elevenlabs", ""},
		{"http://127.0.0.1:8080", ""},
		{"http://localhost:8080", ""},
		{"http://[::1]:8080", ""},
		{"http://api.elevenlabs.io", `Error|Invalid API base URL|"http://api.elevenlabs.io" uses plain http to a host that is not loopback: the API key would travel in clear text. Use https, or http only for a local fake on 127.0.0.1, ::1 or localhost`},
		{"http://10.0.0.1", `Error|Invalid API base URL|"http://10.0.0.1" uses plain http to a host that is not loopback: the API key would travel in clear text. Use https, or http only for a local fake on 127.0.0.1, ::1 or localhost`},
		{"api.elevenlabs.io", `Error|Invalid API base URL|"api.elevenlabs.io" is not an absolute http(s) URL; use the API root, for example https://api.elevenlabs.io`},
		{"ftp://api.elevenlabs.io", `Error|Invalid API base URL|"ftp://api.elevenlabs.io" is not an absolute http(s) URL; use the API root, for example https://api.elevenlabs.io`},
		{"https://api.elevenlabs.io/v1", `Error|Invalid API base URL|"https://api.elevenlabs.io/v1" ends in /v1: give the API root without the version, for example https://api.elevenlabs.io`},
		// User info is refused and masked in the message: it may hold a password.
		{"https://user:pw@api.elevenlabs.io", `Error|Invalid API base URL|"https://***@api.elevenlabs.io" must not carry user info, a query or a fragment; use the API root, for example https://api.elevenlabs.io`},
		{"http://ci:s3cr3t-pass@127.0.0.1:8080", `Error|Invalid API base URL|"http://***@127.0.0.1:8080" must not carry user info, a query or a fragment; use the API root, for example https://api.elevenlabs.io`},
		{"http://ci:pa ss/w@rd@host", `Error|Invalid API base URL|"http://***@host" is not an absolute http(s) URL; use the API root, for example https://api.elevenlabs.io`},
		{"https://api.elevenlabs.io/?token=tok_0123", `Error|Invalid API base URL|"https://api.elevenlabs.io/?token=***" must not carry user info, a query or a fragment; use the API root, for example https://api.elevenlabs.io`},
	} {
		if got := runString(baseURLValidator, types.StringValue(tc.in)); got != tc.want {
			t.Errorf("base_url %q:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"30s", ""},
		{"2m", ""},
		{"10m", ""},
		{"30", `Error|Invalid request timeout|"30" is not a duration; write it like "30s" or "2m"`},
		{"0s", `Error|Invalid request timeout|"0s" is out of range: use a duration above 0 and at most 10m0s`},
		{"11m", `Error|Invalid request timeout|"11m" is out of range: use a duration above 0 and at most 10m0s`},
		{"-1s", `Error|Invalid request timeout|"-1s" is out of range: use a duration above 0 and at most 10m0s`},
	} {
		if got := runString(durationValidator, types.StringValue(tc.in)); got != tc.want {
			t.Errorf("request_timeout %q:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"5m", ""},
		{"30s", ""},
		{"1h", ""},
		{"5", `Error|Invalid rate-limit timeout|"5" is not a duration; write it like "30s" or "2m"`},
		{"0s", `Error|Invalid rate-limit timeout|"0s" is out of range: use a duration above 0 and at most 1h0m0s`},
		{"61m", `Error|Invalid rate-limit timeout|"61m" is out of range: use a duration above 0 and at most 1h0m0s`},
	} {
		if got := runString(rateLimitTimeoutValidator, types.StringValue(tc.in)); got != tc.want {
			t.Errorf("rate_limit_timeout %q:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}
