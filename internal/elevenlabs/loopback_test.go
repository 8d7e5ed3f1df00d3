package elevenlabs

import "testing"

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "LocalHost": true,
		"127.0.0.1": true, "127.255.255.254": true, "::1": true, "0:0:0:0:0:0:0:1": true,
		"localhost.evil.example": false, "localhostx": false, "xlocalhost": false, "localhost.": false,
		"127.0.0.1.evil.example": false, "::ffff:127.0.0.1": false, "0x7f.1": false, "127.1": false,
		"0177.0.0.1": false, "2130706433": false, "::1%eth0": false, "0.0.0.0": false, "128.0.0.1": false,
		"": false, "[::1]": false, "ｌｏｃａｌｈｏｓｔ": false,
	} {
		if got := IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}
