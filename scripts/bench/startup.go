package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
)

// Terraform's go-plugin handshake (terraform-plugin-go tf6server).
const (
	magicCookieKey   = "TF_PLUGIN_MAGIC_COOKIE"
	magicCookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
)

type startupResult struct {
	handshake   []time.Duration // exec -> go-plugin handshake line on stdout
	schema      []time.Duration // exec -> GetProviderSchema answered
	schemaBytes int
	cliWith     []time.Duration // `providers schema -json`, config needing the provider
	cliWithout  []time.Duration // the same, config with no provider
}

// startup times the provider from exec to its schema served, as the CLI
// starts it: the go-plugin handshake environment, then one
// tfplugin6.Provider/GetProviderSchema call over the announced unix socket
// (gRPC spoken with net/http's unencrypted HTTP/2, so the bench needs no gRPC
// dependency). It also times `providers schema -json` through the CLI.
func (b *bencher) startup() (startupResult, error) {
	var res startupResult
	for i := 0; i < b.o.startups; i++ {
		hs, sc, size, err := b.startOnce()
		if err != nil {
			return res, err
		}
		res.handshake = append(res.handshake, hs)
		res.schema = append(res.schema, sc)
		res.schemaBytes = size
	}
	base := filepath.Join(b.o.work, "startup")
	with, without := filepath.Join(base, "with-provider"), filepath.Join(base, "no-provider")
	for dir, body := range map[string]string{
		with:    clirun.RequiredProviders,
		without: "terraform {}\n",
	} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return res, err
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(body), 0o644); err != nil {
			return res, err
		}
	}
	for i := 0; i < b.o.startups; i++ {
		for _, dir := range []string{with, without} {
			r, err := b.runCLI(dir, "http://127.0.0.1:1", "providers", "schema", "-json")
			if err != nil {
				return res, err
			}
			if r.code != 0 || (dir == with) != strings.Contains(r.out, "elevenlabs_agent_auth") {
				return res, fmt.Errorf("providers schema -json in %s: exit %d:\n%s", dir, r.code, clirun.Tail(r.out, 20))
			}
			if dir == with {
				res.cliWith = append(res.cliWith, r.wall)
			} else {
				res.cliWithout = append(res.cliWithout, r.wall)
			}
		}
	}
	return res, nil
}

func (b *bencher) startOnce() (handshake, schema time.Duration, size int, err error) {
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	sockDir, err := os.MkdirTemp(b.o.work, "plugin-")
	if err != nil {
		return 0, 0, 0, err
	}
	defer os.RemoveAll(sockDir)
	cmd := exec.CommandContext(ctx, b.o.provider)
	cmd.Env = append(b.env("http://127.0.0.1:1"),
		magicCookieKey+"="+magicCookieValue,
		"PLUGIN_PROTOCOL_VERSIONS=6",
		"PLUGIN_UNIX_SOCKET_DIR="+sockDir,
	)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, 0, err
	}
	cmd.Stderr = io.Discard
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, 0, err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return 0, 0, 0, fmt.Errorf("reading the handshake: %w", err)
	}
	handshake = time.Since(start)
	// CORE-PROTOCOL-VERSION|APP-PROTOCOL-VERSION|NETWORK-TYPE|NETWORK-ADDR|PROTOCOL|CERT
	f := strings.Split(strings.TrimSpace(line), "|")
	if len(f) < 5 || f[1] != "6" || f[4] != "grpc" {
		return 0, 0, 0, fmt.Errorf("unexpected handshake %q", line)
	}
	body, err := grpcCall(ctx, f[2], f[3], "/tfplugin6.Provider/GetProviderSchema")
	if err != nil {
		return 0, 0, 0, err
	}
	schema = time.Since(start)
	if !bytes.Contains(body, []byte("elevenlabs_agent_auth")) {
		return 0, 0, 0, errors.New("GetProviderSchema answer does not name elevenlabs_agent_auth")
	}
	return handshake, schema, len(body), nil
}

// grpcCall makes a unary gRPC call with an empty request message and returns
// the raw answer frames.
func grpcCall(ctx context.Context, network, addr, method string) ([]byte, error) {
	var protos http.Protocols
	protos.SetUnencryptedHTTP2(true)
	tr := &http.Transport{
		Protocols: &protos,
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}
	defer tr.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://plugin"+method, bytes.NewReader([]byte{0, 0, 0, 0, 0}))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/grpc")
	req.Header.Set("TE", "trailers")
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return nil, fmt.Errorf("gRPC %s: %w", method, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	status := resp.Trailer.Get("Grpc-Status")
	if status == "" {
		status = resp.Header.Get("Grpc-Status")
	}
	if resp.StatusCode != http.StatusOK || status != "0" {
		return nil, fmt.Errorf("gRPC %s: HTTP %d, grpc-status %q %s", method, resp.StatusCode, status, resp.Trailer.Get("Grpc-Message"))
	}
	return body, nil
}

type binarySize struct {
	label, flags string
	bytes        int64
}

// binarySizes reports bin/terraform-provider-elevenlabs and two fresh builds.
func (b *bencher) binarySizes() ([]binarySize, error) {
	fi, err := os.Stat(b.o.provider)
	if err != nil {
		return nil, err
	}
	out := []binarySize{{label: "bin/terraform-provider-elevenlabs (make build)", flags: "-trimpath -ldflags '-s -w -X main.version=…'", bytes: fi.Size()}}
	builds := []struct {
		label, flags string
		args         []string
		env          []string
	}{
		{"release build (as goreleaser: CGO_ENABLED=0)", "-trimpath -ldflags '-s -w -X main.version=…'",
			[]string{"-trimpath", "-ldflags", "-s -w -X main.version=0.1.0-bench"}, []string{"CGO_ENABLED=0"}},
		{"plain `go build` (symbols and DWARF kept)", "(none)", nil, nil},
	}
	for i, bd := range builds {
		dst := filepath.Join(b.o.work, "bin", fmt.Sprint(i), "terraform-provider-elevenlabs")
		args := append(append([]string{"build"}, bd.args...), "-o", dst, ".")
		cmd := exec.CommandContext(b.ctx, "go", args...)
		cmd.Env = append(os.Environ(), bd.env...)
		if msg, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go %v: %v\n%s", args, err, msg)
		}
		fi, err := os.Stat(dst)
		if err != nil {
			return nil, err
		}
		out = append(out, binarySize{label: bd.label, flags: bd.flags, bytes: fi.Size()})
	}
	return out, nil
}

// startupSection times the provider's start-up and measures the binary sizes.
func (b *bencher) startupSection() (string, []string, error) {
	m := b.startMeasurement()
	st, err := b.startup()
	if err != nil {
		return "", nil, fmt.Errorf("start-up: %w", err)
	}
	sizes, err := b.binarySizes()
	if err != nil {
		return "", nil, fmt.Errorf("binary size: %w", err)
	}
	return startupMarkdown(st, sizes, m.done(nil)), nil, nil
}

// startupMarkdown renders the start-up and binary-size section.
func startupMarkdown(st startupResult, sizes []binarySize, m measurement) string {
	var sb strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	mm := func(d []time.Duration) (string, string) {
		if len(d) == 0 {
			return "n/a", "n/a"
		}
		lo, hi := d[0], d[0]
		for _, x := range d {
			lo, hi = min(lo, x), max(hi, x)
		}
		return ms(median(d)), ms(lo) + "–" + ms(hi)
	}
	w("## Provider start-up\n\n%s\n", m.line())
	w("| measure | median | min–max |\n| --- | ---: | ---: |\n")
	a, b := mm(st.handshake)
	w("| exec → go-plugin handshake (gRPC server listening) | %s | %s |\n", a, b)
	a, b = mm(st.schema)
	w("| exec → `GetProviderSchema` answered (%d bytes) | **%s** | %s |\n", st.schemaBytes, a, b)
	a, b = mm(st.cliWith)
	w("| `tofu providers schema -json`, config using the provider | %s | %s |\n", a, b)
	a, b = mm(st.cliWithout)
	w("| `tofu providers schema -json`, config with no provider | %s | %s |\n", a, b)
	w("| difference (the provider's cost through the CLI) | %s | |\n", ms(median(st.cliWith)-median(st.cliWithout)))
	w("\n%d start-ups each.\n", len(st.schema))

	w("\n## Binary size\n\n| binary | flags | size |\n| --- | --- | ---: |\n")
	for _, s := range sizes {
		w("| %s | `%s` | %.1f MiB (%d bytes) |\n", s.label, s.flags, float64(s.bytes)/(1<<20), s.bytes)
	}
	w("%s", m.failed())
	return sb.String()
}
