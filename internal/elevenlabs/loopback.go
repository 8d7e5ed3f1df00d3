package elevenlabs

import (
	"net/netip"
	"strings"
)

// IsLoopbackHost reports whether host (a URL's Hostname: no port, no
// brackets) names this machine for certain: "localhost" in any letter case,
// an IPv4 address in 127.0.0.0/8 written as four decimal numbers, or the IPv6
// address ::1. Nothing else is: not a name that only starts with localhost
// (localhost.evil.example, localhostx), not "localhost." (a trailing dot
// sends the name to DNS instead of the hosts file), not an IPv4 address
// written another way (0x7f.1, 127.1, which a resolver may read as a name),
// nor ::ffff:127.0.0.1 or an address with a zone. It decides where plain http
// (and ws) may be used: only there does nothing cross the network.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || addr.Zone() != "" || addr.Is4In6() {
		return false
	}
	return addr.IsLoopback()
}
