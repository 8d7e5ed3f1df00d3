package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the provider's GOGC unless the environment sets one. A provider
// process lives for one CLI phase and allocates mostly short-lived RPC garbage;
// collecting less often trades some memory (about 2x at 500 resources) for CPU
// the CLI needs on small machines (BENCHMARKS.md).
const gcPercent = 400

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
