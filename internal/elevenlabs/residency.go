package elevenlabs

// Residency is a data-residency region of ElevenLabs and the API host of its
// workspaces (CONTRACT.md, Conventions).
type Residency struct {
	Name, BaseURL string
}

// Residencies is the one table of the regions, in documentation order. The
// provider's residency attribute (its validator, host lookup and
// description), the docs' table (checked against it) and the live check
// (scripts/testlive) all read it here.
var Residencies = []Residency{
	{"global", DefaultBaseURL},
	{"us", "https://api.us.elevenlabs.io"},
	{"eu", "https://api.eu.residency.elevenlabs.io"},
	{"in", "https://api.in.residency.elevenlabs.io"},
	{"sg", "https://api.sg.residency.elevenlabs.io"},
}

// ResidencyNames lists the region names in documentation order.
func ResidencyNames() []string {
	names := make([]string, len(Residencies))
	for i, r := range Residencies {
		names[i] = r.Name
	}
	return names
}

// ResidencyBaseURL is the API host of a region name (global, us, eu, in, sg)
// and whether the name is known.
func ResidencyBaseURL(name string) (string, bool) {
	for _, r := range Residencies {
		if r.Name == name {
			return r.BaseURL, true
		}
	}
	return "", false
}
