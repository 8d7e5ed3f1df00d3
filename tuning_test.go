package main

import (
	"reflect"
	"runtime/debug"
	"testing"
)

func TestQuietLogsUnlessAsked(t *testing.T) {
	off := map[string]string{
		"TF_LOG_SDK": "off", "TF_LOG_SDK_PROTO": "off", "TF_LOG_SDK_FRAMEWORK": "off", "TF_LOG_PROVIDER_ELEVENLABS": "off",
	}
	for _, tc := range []struct {
		name    string
		environ []string
		want    map[string]string
	}{
		{"nothing asked", []string{"HOME=/root", "TF_IN_AUTOMATION=1"}, off},
		{"empty TF_LOG", []string{"TF_LOG="}, off},
		{"TF_LOG", []string{"TF_LOG=DEBUG"}, map[string]string{}},
		{"provider only", []string{"TF_LOG_PROVIDER=TRACE"}, map[string]string{}},
		{"http subsystem only", []string{"TF_LOG_PROVIDER_ELEVENLABS_HTTP=DEBUG"}, map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]string{}
			quietLogsUnlessAsked(tc.environ, func(k, v string) error { got[k] = v; return nil })
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("set %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTuneGCRespectsGOGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))

	debug.SetGCPercent(100)
	tuneGC("")
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Errorf("without GOGC: GC percent %d, want %d", got, gcPercent)
	}

	tuneGC("50")
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set: GC percent changed to %d", got)
	}
}
