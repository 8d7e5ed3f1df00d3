package provider

// ResidencyBaseURL returns the official API host for a residency value
// (global, us, eu, in, sg) and whether the value is known: the same mapping
// the provider's residency attribute uses, for tools outside the provider
// (scripts/testlive).
func ResidencyBaseURL(residency string) (string, bool) {
	u, ok := residencyHosts[residency]
	return u, ok
}
