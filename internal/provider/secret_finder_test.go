package provider

import (
	"strings"
	"testing"
)

// secretFinder reports where any of the secrets occurs in a text.
type secretFinder struct {
	t       *testing.T
	secrets map[string]string // value -> label
}

func (f *secretFinder) check(where, text string) {
	f.t.Helper()
	for value, label := range f.secrets {
		if value != "" && strings.Contains(text, value) {
			f.t.Errorf("%s holds the %s", where, label)
		}
	}
}
