package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/convclient"
)

func TestCheckLoopback(t *testing.T) {
	for _, ok := range []string{"127.0.0.1:0", "127.0.0.1:8080", "[::1]:0", "localhost:9000"} {
		if err := checkLoopback(ok); err != nil {
			t.Errorf("checkLoopback(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{":8080", "0.0.0.0:8080", "[::]:0", "192.168.1.2:80", "example.com:80", "127.0.0.1"} {
		if err := checkLoopback(bad); err == nil {
			t.Errorf("checkLoopback(%q) = nil, want an error", bad)
		}
	}
}

func TestRunServesAndWritesReadyFile(t *testing.T) {
	ready := filepath.Join(t.TempDir(), "ready.json")
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-api-key", "k1", "-agent", "support", "-agent", "sales", "-token-lifetime", "2m", "-ready-file", ready}, &stdout, &stderr)
	}()

	var info readyInfo
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := os.ReadFile(ready)
		if err == nil {
			if err := json.Unmarshal(b, &info); err != nil {
				t.Fatalf("ready file is not JSON: %v: %s", err, b)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("ready file never appeared")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.HasPrefix(info.BaseURL, "http://127.0.0.1:") || len(info.Agents) != 2 {
		t.Fatalf("ready info = %+v", info)
	}

	req, _ := http.NewRequest(http.MethodGet, info.BaseURL+"/v1/convai/agents/"+info.Agents["support"], nil)
	req.Header.Set("xi-api-key", "k1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var agent map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&agent)
	resp.Body.Close()
	if resp.StatusCode != 200 || agent["name"] != "support" {
		t.Fatalf("GET agent = %d %v", resp.StatusCode, agent)
	}
	resp, err = http.Get(info.BaseURL + "/_fake/counters")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("admin counters = %d", resp.StatusCode)
	}

	// A conversation token lives -token-lifetime.
	req, _ = http.NewRequest(http.MethodGet, info.BaseURL+"/v1/convai/conversation/token?agent_id="+info.Agents["support"], nil)
	req.Header.Set("xi-api-key", "k1")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct{ Token string }
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	var claims jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(tok.Token, &claims); err != nil || claims.ExpiresAt == nil ||
		claims.ExpiresAt.Sub(claims.IssuedAt.Time) != 2*time.Minute {
		t.Fatalf("token claims %+v (%v), want a 2-minute lifetime", claims, err)
	}

	// A conversation is a WebSocket; one still open does not hold up the shutdown.
	conv, err := convclient.Start(context.Background(), "ws"+strings.TrimPrefix(info.BaseURL, "http")+
		"/v1/convai/conversation?agent_id="+info.Agents["sales"], convclient.Options{})
	if err != nil {
		t.Fatalf("conversation: %v", err)
	}
	defer conv.Close()

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v; stderr: %s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
	if !strings.Contains(stdout.String(), info.BaseURL) || !strings.Contains(stdout.String(), info.Agents["sales"]) {
		t.Errorf("stdout lacks base URL or agent ids: %q", stdout.String())
	}
	if _, err := os.Stat(ready); !os.IsNotExist(err) {
		t.Errorf("ready file still there after shutdown: %v", err)
	}
}

func TestRunRefusesBadTokenLifetime(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-token-lifetime", "0s"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "-token-lifetime must be positive") {
		t.Fatalf("run = %v", err)
	}
}

func TestRunRefusesNonLoopback(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-addr", "0.0.0.0:0"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("run = %v, want a loopback error", err)
	}
}

func TestRunConcurrencyLimitFlags(t *testing.T) {
	ready := filepath.Join(t.TempDir(), "ready.json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-concurrency-limit", "3", "-concurrency-retry-after", "1", "-ready-file", ready}, &out, &out)
	}()
	var info readyInfo
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(ready); err == nil && json.Unmarshal(b, &info) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("ready file never appeared")
		}
	}
	resp, err := http.Get(info.BaseURL + "/_fake/concurrency")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Limit      int    `json:"limit"`
		RetryAfter string `json:"retry_after"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if st.Limit != 3 || st.RetryAfter != "1" {
		t.Fatalf("GET /_fake/concurrency = %+v, want limit 3 and retry_after 1", st)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run returned %v: %s", err, out.String())
	}

	err = run(context.Background(), []string{"-concurrency-limit", "-1"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "-concurrency-limit") {
		t.Fatalf("run with -concurrency-limit -1 = %v, want an error naming the flag", err)
	}
}
