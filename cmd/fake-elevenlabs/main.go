// Command fake-elevenlabs serves the in-memory fake ElevenLabs API
// (internal/fakeapi) on a loopback address, for the offline demo, scripts
// and benchmarks. The admin API is under /_fake/.
//
//	fake-elevenlabs -addr 127.0.0.1:8089 -agent support -agent sales \
//	    -latency 50ms -token-lifetime 15m -ready-file /tmp/fake.json
//
// -concurrency-limit 3 answers 429 too_many_concurrent_requests to API requests
// beyond 3 in flight (-concurrency-retry-after adds a Retry-After header), as the
// real API does; GET /_fake/concurrency counts the 429s served.
//
// The key is -api-key, else $ELEVENLABS_API_KEY, else "demo-key". Once
// listening it writes the ready file atomically:
// {"base_url":"http://127.0.0.1:PORT","agents":{"NAME":"agent_..."}}
// and prints the same facts on stdout. SIGINT or SIGTERM shut it down.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "fake-elevenlabs:", err)
		}
		os.Exit(2)
	}
}

// agentNames is a repeatable -agent flag.
type agentNames []string

func (a *agentNames) String() string { return strings.Join(*a, ",") }

func (a *agentNames) Set(v string) error {
	if v == "" {
		return errors.New("agent name must not be empty")
	}
	for _, n := range *a {
		if n == v {
			return fmt.Errorf("agent %q given twice", v)
		}
	}
	*a = append(*a, v)
	return nil
}

// readyInfo is the ready file's content.
type readyInfo struct {
	BaseURL string            `json:"base_url"`
	Agents  map[string]string `json:"agents"`
}

// run serves until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fake-elevenlabs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "loopback `address` to listen on (port 0 picks a free one)")
	apiKey := fs.String("api-key", "", "full-scope API `key` the fake accepts (default $ELEVENLABS_API_KEY, else demo-key)")
	latency := fs.Duration("latency", 0, "delay every API request by this `duration`, e.g. 50ms")
	tokenLifetime := fs.Duration("token-lifetime", fakeapi.DefaultTokenLifetime, "lifetime of the conversation tokens the fake mints (the exp claim)")
	concurrency := fs.Int("concurrency-limit", 0, "answer 429 too_many_concurrent_requests to API requests beyond `n` in flight (0: no limit)")
	concurrencyRetryAfter := fs.String("concurrency-retry-after", "", "Retry-After `value` sent with those 429s, e.g. 1 (default: none)")
	readyFile := fs.String("ready-file", "", "after listening, atomically write {base_url, agents} as JSON to this `path`")
	var agents agentNames
	fs.Var(&agents, "agent", "seed an agent with this `name` (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if err := checkLoopback(*addr); err != nil {
		return err
	}
	if *latency < 0 {
		return errors.New("-latency must not be negative")
	}
	if *tokenLifetime <= 0 {
		return errors.New("-token-lifetime must be positive")
	}
	if *concurrency < 0 {
		return errors.New("-concurrency-limit must not be negative")
	}
	key := *apiKey
	if key == "" {
		key = os.Getenv("ELEVENLABS_API_KEY")
	}
	if key == "" {
		key = "demo-key"
	}

	srv := fakeapi.New(fakeapi.WithAPIKey(key), fakeapi.WithLatency(*latency), fakeapi.WithTokenLifetime(*tokenLifetime))
	srv.SetConcurrencyLimit(*concurrency, *concurrencyRetryAfter)
	info := readyInfo{Agents: map[string]string{}}
	for _, name := range agents {
		info.Agents[name] = srv.CreateAgent(name)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	info.BaseURL = "http://" + ln.Addr().String()
	hs := &http.Server{Handler: srv.Mux(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()

	if *readyFile != "" {
		if err := writeFileAtomic(*readyFile, info); err != nil {
			_ = hs.Close()
			return fmt.Errorf("ready file: %w", err)
		}
		defer os.Remove(*readyFile)
	}
	fmt.Fprintf(stdout, "fake-elevenlabs listening on %s (admin API under %s/_fake/)\n", info.BaseURL, info.BaseURL)
	for _, name := range agents {
		fmt.Fprintf(stdout, "agent %s %s\n", name, info.Agents[name])
	}

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		_ = hs.Close()
		return err
	}
	return nil
}

// checkLoopback refuses any address that is not on a loopback interface.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-addr %q is not a loopback address; the fake only listens on 127.0.0.1, ::1 or localhost", addr)
}

// writeFileAtomic writes v as JSON to a temporary file beside path and
// renames it over path, so readers never see a partial file.
func writeFileAtomic(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
