package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/mem"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/mdtable"
)

// Terraform's go-plugin handshake (terraform-plugin-go tf6server).
const (
	magicCookieKey   = "TF_PLUGIN_MAGIC_COOKIE"
	magicCookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
)

// startupSection times the provider from exec to its schema served, as the
// CLI starts it: the go-plugin handshake environment, then one
// tfplugin6.Provider/GetProviderSchema call over the announced unix socket
// (without go-plugin's TLS, which the CLI asks for). It also times
// `providers schema -json` through the CLI, and measures the binary sizes.
func (b *bencher) startupSection(p *page) error {
	var handshake, schema, with, without []cliRun // wall times only
	size := 0
	for range b.o.startups {
		hs, sc, n, err := b.startOnce()
		if err != nil {
			return err
		}
		handshake, schema, size = append(handshake, cliRun{wall: hs}), append(schema, cliRun{wall: sc}), n
	}
	dir := filepath.Join(b.o.work, "startup")
	for kind, cfg := range map[string]string{"with-provider": clirun.RequiredProviders, "no-provider": "terraform {}\n"} {
		if err := writeFiles(filepath.Join(dir, kind), map[string]string{"main.tf": cfg}); err != nil {
			return err
		}
	}
	schemaJSON := []string{"providers", "schema", "-json"}
	err := b.repeat(nil, b.o.startups,
		arm{label: "startup with-provider", dir: filepath.Join(dir, "with-provider"), args: schemaJSON, want: "elevenlabs_agent_auth", into: &with},
		arm{label: "startup no-provider", dir: filepath.Join(dir, "no-provider"), args: schemaJSON, into: &without,
			after: func(label string, r *cliRun) {
				if strings.Contains(r.out, "elevenlabs_agent_auth") {
					b.fail("%s: the schema of a configuration without the provider names elevenlabs_agent_auth", label)
				}
			}})
	if err != nil {
		return err
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }
	spread := func(runs []cliRun) string { lo, hi := bounds(runs); return ms(lo) + "–" + ms(hi) }
	times := mdtable.String([]mdtable.Column{{Head: "measure"}, {Head: "median", Right: true}, {Head: "min–max", Right: true}}, [][]string{
		{"exec → go-plugin handshake (gRPC server listening)", ms(median(handshake, wall)), spread(handshake)},
		{fmt.Sprintf("exec → `GetProviderSchema` answered (%d bytes)", size), "**" + ms(median(schema, wall)) + "**", spread(schema)},
		{"`tofu providers schema -json`, config using the provider", ms(median(with, wall)), spread(with)},
		{"`tofu providers schema -json`, config with no provider", ms(median(without, wall)), spread(without)},
		{"difference (the provider's cost through the CLI)", ms(median(with, wall) - median(without, wall)), ""},
	})
	sizes, err := b.binarySizes()
	p.Tables, p.N = []string{times, sizes}, b.o.startups
	return err
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
	conn, err := grpc.NewClient(f[2]+":"+f[3], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return 0, 0, 0, err
	}
	defer conn.Close()
	var body []byte
	if err := conn.Invoke(ctx, "/tfplugin6.Provider/GetProviderSchema", &[]byte{}, &body, grpc.ForceCodecV2(rawCodec{})); err != nil {
		return 0, 0, 0, err
	}
	schema = time.Since(start)
	if !bytes.Contains(body, []byte("elevenlabs_agent_auth")) {
		return 0, 0, 0, errors.New("GetProviderSchema answer does not name elevenlabs_agent_auth")
	}
	return handshake, schema, len(body), nil
}

// rawCodec sends and receives messages as bytes: timing one call needs no
// generated tfplugin6 types (an empty message is a valid request).
type rawCodec struct{}

func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	return mem.BufferSlice{mem.SliceBuffer(*v.(*[]byte))}, nil
}

func (rawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	*v.(*[]byte) = data.Materialize()
	return nil
}

func (rawCodec) Name() string { return "proto" }

// binarySizes is the table of bin/terraform-provider-elevenlabs and two
// fresh builds.
func (b *bencher) binarySizes() (string, error) {
	const flags = "`-trimpath -ldflags '-s -w -X main.version=…'`"
	rows := [][]string{{"bin/terraform-provider-elevenlabs (make build)", flags, b.o.provider}}
	for i, bd := range []struct {
		label, flags string
		args         []string
		env          []string
	}{
		{"release build (as goreleaser: CGO_ENABLED=0)", flags, []string{"-trimpath", "-ldflags", "-s -w -X main.version=0.1.0-bench"}, []string{"CGO_ENABLED=0"}},
		{"plain `go build` (symbols and DWARF kept)", "`(none)`", nil, nil},
	} {
		dst := filepath.Join(b.o.work, "bin", strconv.Itoa(i), "terraform-provider-elevenlabs")
		args := append(append([]string{"build"}, bd.args...), "-o", dst, ".")
		cmd := exec.CommandContext(b.ctx, "go", args...)
		cmd.Env = append(os.Environ(), bd.env...)
		if msg, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go %v: %v\n%s", args, err, msg)
		}
		rows = append(rows, []string{bd.label, bd.flags, dst})
	}
	for _, r := range rows {
		fi, err := os.Stat(r[2])
		if err != nil {
			return "", err
		}
		r[2] = fmt.Sprintf("%.1f MiB (%d bytes)", float64(fi.Size())/(1<<20), fi.Size())
	}
	return mdtable.String([]mdtable.Column{{Head: "binary"}, {Head: "flags"}, {Head: "size", Right: true}}, rows), nil
}
