// Package cliversions is the one table of the Terraform and OpenTofu releases the
// provider supports. Per feature it holds the oldest release of each CLI that has
// the feature (from the CLIs' release notes) and the acceptance tests that need it;
// pins.go names the CLIs the tests run with, each read from the one file that pins
// it. Everything else derives from the two:
//   - the provider tests' version checks (internal/provider/cli_versions_test.go):
//     a test of a feature skips on a CLI older than the feature;
//   - the skips scripts/test.sh allows: exactly the tests of the features the CLI
//     under test lacks (scripts/cliversions skips);
//   - the claim, per feature and CLI: the oldest pinned release that has the
//     feature, so every claim is a release the acceptance suite runs with;
//   - the table of supported versions in README.md and the docs index (Markdown,
//     scripts/cliversions docs, run by make docs and checked by make docs-check),
//     and the GitHub workflow's CLI matrix (scripts/cliversions matrix).
//
// Changing a version is one edit: a Feature below, or a pin file.
package cliversions

import (
	"fmt"
	"slices"

	"github.com/hashicorp/go-version"
)

// CLI is a command-line tool the provider runs in: Terraform or OpenTofu. The two
// number their releases independently.
type CLI string

const (
	Terraform CLI = "Terraform"
	OpenTofu  CLI = "OpenTofu"
)

// Feature is a CLI capability the provider relies on.
type Feature struct {
	// Name is the feature in a skipped test's message and scripts/test.sh's output.
	Name string
	// Doc is the feature's cell in the table of supported versions (Markdown).
	Doc string
	// Terraform and OpenTofu are the oldest release of each CLI that has the
	// feature (major.minor, from its release notes); "" when no release has it.
	Terraform, OpenTofu string
	// Tests are the acceptance tests (top-level names in internal/provider) that
	// need the feature: each skips on a CLI that lacks it, by a version check on
	// this Feature, and scripts/test.sh allows exactly these skips there.
	// Features every supported CLI has list none.
	Tests []string
}

// The features, in the table's order. A feature without Tests is one every pinned
// CLI has (the table shows it for readers); one with Tests skips them somewhere.
var (
	Resource = Feature{
		Name: "managed resources", Doc: "`elevenlabs_agent_auth` (resource), `terraform import`",
		Terraform: "1.0", OpenTofu: "1.6", // plugin protocol 6
	}
	DataSources = Feature{
		Name: "data sources", Doc: "data sources (`elevenlabs_agents`)",
		Terraform: "1.0", OpenTofu: "1.6",
	}
	ImportBlocks = Feature{
		Name: "import blocks", Doc: "`import` blocks",
		Terraform: "1.5", OpenTofu: "1.6",
	}
	ImportForEach = Feature{
		Name: "import blocks with for_each", Doc: "`import` blocks with `for_each` (bulk adoption)",
		Terraform: "1.7", OpenTofu: "1.7",
	}
	Checks = Feature{
		Name: "check blocks and tests", Doc: "`check` blocks and `terraform test` (the `elevenlabs_agents` gates)",
		Terraform: "1.6", OpenTofu: "1.6",
	}
	Functions = Feature{
		Name: "provider-defined functions", Doc: "`provider::elevenlabs::hostname_from_url` (provider-defined functions)",
		Terraform: "1.8", OpenTofu: "1.7",
		Tests: []string{"TestAccFunctionHostnameFromURL", "TestAccFunctionHostnameFromURL_feedsAllowlist"},
	}
	Ephemeral = Feature{
		Name: "ephemeral resources", Doc: "ephemeral resources (`elevenlabs_signed_url`, `elevenlabs_conversation_token`)",
		Terraform: "1.10", OpenTofu: "1.11",
		Tests: []string{
			"TestAccSignedURL_mintsAndOpensConversation", "TestAccSignedURL_passesOptions",
			"TestAccSignedURL_errors", "TestAccSignedURL_checkAgentAuthWarnsOnlyWhenAsked",
			"TestAccSignedURL_passesVersionID",
			"TestAccConversationToken_mintsAWorkingToken", "TestAccConversationToken_passesOptions",
			"TestAccConversationToken_errors", "TestAccConversationToken_hostileAnswers",
			"TestAccCLI_warningsReachTheUser", "TestAccCLI_errorPathsLeakNothing",
			"TestAccCLI_signedURLNeverPersists", "TestAccCLI_conversationTokenNeverPersists",
			"TestAccSignedURL_checkedBeforeHandover", "TestAccCLI_credentialsCheckedBeforeHandover",
			"TestAccCLI_echoedSecretsMaskedByValue", "TestAccCLI_signedURLCheckOnUnreadableAuthSaysSo",
		},
	}
	Identity = Feature{
		Name: "resource identity", Doc: "resource identity (`import` blocks with `identity`)",
		Terraform: "1.12", OpenTofu: "1.12",
		Tests: []string{"TestAccAgentAuth_identity", "TestAccCLI_importByIdentity"},
	}
	Query = Feature{
		Name: "list resources", Doc: "list resources and `terraform query` (the `elevenlabs_agent_auth` list resource)",
		Terraform: "1.14", OpenTofu: "", // OpenTofu has no `query`
		// Every TestAccAgentAuthList_* and TestAccCLI_query* test, by name.
		Tests: []string{"TestAccAgentAuthList_findsAndFilters", "TestAccAgentAuthList_includeResource",
			"TestAccAgentAuthList_invalidAuthMode", "TestAccAgentAuthList_failuresEndTheQuery",
			"TestAccCLI_queryAdoptsEveryAgent", "TestAccCLI_queryCountsRequests", "TestAccCLI_queryReportsWhatItLeavesOut",
			"TestAccCLI_queryFailsOnA404ForAListedAgent"},
	}

	Features = []Feature{Resource, DataSources, ImportBlocks, ImportForEach, Checks, Functions, Ephemeral, Identity, Query}
)

// Oldest is the oldest release of cli that has f; ok is false when none has it.
func (f Feature) Oldest(cli CLI) (v *version.Version, ok bool) {
	s := f.Terraform
	if cli == OpenTofu {
		s = f.OpenTofu
	}
	if s == "" {
		return nil, false
	}
	return version.Must(version.NewVersion(s)), true
}

// Lacks reports whether release v of cli lacks f. Releases are compared by
// major.minor: any patch or pre-release of a release that has f has it.
func (f Feature) Lacks(cli CLI, v *version.Version) bool {
	oldest, ok := f.Oldest(cli)
	return !ok || minor(v).LessThan(oldest)
}

// Why says why release v of cli lacks f, for a skipped test's message.
func (f Feature) Why(cli CLI, v *version.Version) string {
	if oldest, ok := f.Oldest(cli); ok {
		return fmt.Sprintf("%s %s has no %s (they need %s >= %s)", cli, v, f.Name, cli, short(oldest))
	}
	return fmt.Sprintf("%s has no %s (no %s release has it)", cli, f.Name, cli)
}

// Lacking lists the features release v of cli lacks.
func Lacking(cli CLI, v *version.Version) []Feature {
	var out []Feature
	for _, f := range Features {
		if f.Lacks(cli, v) {
			out = append(out, f)
		}
	}
	return out
}

// AllowedSkips lists, sorted, the acceptance tests that may skip with release v
// of cli: those of the features it lacks.
func AllowedSkips(cli CLI, v *version.Version) []string {
	var out []string
	for _, f := range Lacking(cli, v) {
		out = append(out, f.Tests...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// minor is v's major.minor (patch and pre-release dropped).
func minor(v *version.Version) *version.Version {
	s := v.Segments()
	return version.Must(version.NewVersion(fmt.Sprintf("%d.%d", s[0], s[1])))
}

// short writes v as major.minor.
func short(v *version.Version) string {
	s := v.Segments()
	return fmt.Sprintf("%d.%d", s[0], s[1])
}
