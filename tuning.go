package main

import (
	"os"
	"runtime/debug"
	"strings"
)

// tuneProcess sets up the plugin process before it serves: its logs off unless
// a TF_LOG* variable asks for them, and its garbage collector's pace. Both were
// measured (BENCHMARKS.md, "Where the overhead goes"): at 500 resources the
// first runs took 1.66 (apply from scratch), 1.39 (refresh plan) and 1.36
// (apply with changes) times the floor, against a target of 1.25; with these
// two changes and 32 kept API connections they take 1.05 to 1.12.
func tuneProcess() {
	quietLogsUnlessAsked(os.Environ(), os.Setenv)
	tuneGC(os.Getenv("GOGC"))
}

// quietLogsUnlessAsked turns the provider's logs off when no TF_LOG* variable
// is set. terraform-plugin-log sets every logger whose level variable is unset
// to TRACE, so the SDK, the framework and the provider wrote about 27 JSON
// lines per RPC, which the CLI parsed and dropped: about a third of the
// provider's CPU in large plans. The CLI hands its environment to the plugin,
// so whenever a user asks for logs (TF_LOG, TF_LOG_PROVIDER,
// TF_LOG_PROVIDER_ELEVENLABS_HTTP, ...) nothing here changes.
func quietLogsUnlessAsked(environ []string, setenv func(key, value string) error) {
	for _, kv := range environ {
		key, value, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(key, "TF_LOG") && value != "" {
			return
		}
	}
	// TF_LOG_PROVIDER_ELEVENLABS is the provider's root logger (terraform-plugin-go
	// names it after the provider); the elevenlabs_http subsystem inherits it.
	for _, key := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_ELEVENLABS"} {
		_ = setenv(key, "off")
	}
}

// gcPercent is the provider's GOGC unless the environment sets one. A provider
// process lives for one CLI phase and allocates mostly short-lived RPC garbage:
// at 500 resources, GOGC=400 cut the provider's CPU for a refresh plan from
// 2.4 s to 1.9 s and raised its peak memory from about 70 to about 110 MiB,
// CPU the CLI needs on a small machine.
const gcPercent = 400

// tuneGC sets gcPercent unless gogc, the GOGC variable, is set.
func tuneGC(gogc string) {
	if gogc == "" {
		debug.SetGCPercent(gcPercent)
	}
}
