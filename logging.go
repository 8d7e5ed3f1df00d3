package main

import (
	"os"
	"strings"
)

// quietLogsUnlessAsked turns the provider's logs off when no TF_LOG* variable
// is set. terraform-plugin-log defaults every logger without a level to TRACE,
// so the SDK, the framework and the provider would write JSON log lines for
// every RPC that the CLI then parses and drops: about a third of the provider's
// CPU in large plans (BENCHMARKS.md). The CLI hands its environment to the
// plugin, so whenever a user asks for logs (TF_LOG, TF_LOG_PROVIDER,
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

func quietLogs() { quietLogsUnlessAsked(os.Environ(), os.Setenv) }
