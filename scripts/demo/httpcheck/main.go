// Command httpcheck makes every check of the offline demo (scripts/demo.sh,
// `make demo`): its HTTP requests, its conversations and its reading of JSON
// answers, so the demo has one HTTP path and needs nothing but bash, POSIX
// tools and Go (no curl, no jq). It talks to loopback addresses only.
//
//	httpcheck [-X METHOD] [-H 'Name: value']... [-d BODY] [-o FILE] URL
//	    makes one request, writes the body to FILE (default: discarded)
//	    and prints the status code, like curl -sS -w '%{http_code}'
//	httpcheck -ws [-H 'Origin: value'] [-o FILE] URL
//	    starts a conversation at the ws(s):// URL as the official client
//	    does (internal/convclient: WebSocket handshake with the convai
//	    subprotocol, conversation_initiation_client_data, waiting for
//	    conversation_initiation_metadata) and prints 101 when it started,
//	    with {"conversation_id":..} in FILE, or the refusal's HTTP status,
//	    with {"reason":..} in FILE (its error code, read by the client
//	    package's parser of error answers)
//	httpcheck -json PATH FILE
//	    prints the value at the dotted PATH (e.g. agents.support) of the
//	    JSON in FILE: strings bare, anything else as JSON
//	httpcheck -auth FILE
//	    prints an agent's platform_settings.auth as one sorted line:
//	    enable_auth=false allowlist=[a.example.com b.example.com] require_origin_header=false
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
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/convclient"
)

type headers []string

func (h *headers) String() string     { return strings.Join(*h, ", ") }
func (h *headers) Set(v string) error { *h = append(*h, v); return nil }

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "httpcheck:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("httpcheck", flag.ContinueOnError)
	method := fs.String("X", http.MethodGet, "HTTP `method`")
	body := fs.String("d", "", "request `body`")
	out := fs.String("o", "", "write the response body to this `file`")
	jsonPath := fs.String("json", "", "print the value at this dotted `path` of the JSON file given as argument")
	ws := fs.Bool("ws", false, "start a conversation over WebSocket at the URL given as argument")
	auth := fs.Bool("auth", false, "summarize the platform_settings.auth of the agent JSON file given as argument")
	var hs headers
	fs.Var(&hs, "H", "request `header` 'Name: value' (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("want exactly one URL or file argument")
	}
	arg := fs.Arg(0)
	switch {
	case *jsonPath != "":
		v, err := readJSON(arg)
		if err != nil {
			return err
		}
		for _, key := range strings.Split(*jsonPath, ".") {
			m, ok := v.(map[string]any)
			if !ok {
				return fmt.Errorf("%s: no %q in %s", arg, *jsonPath, oneLine(v))
			}
			if v, ok = m[key]; !ok {
				return fmt.Errorf("%s: no %q", arg, *jsonPath)
			}
		}
		if s, ok := v.(string); ok {
			_, err = fmt.Fprintln(stdout, s)
			return err
		}
		_, err = fmt.Fprintln(stdout, oneLine(v))
		return err
	case *auth:
		v, err := readJSON(arg)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(stdout, authSummary(v))
		return err
	}
	if *ws {
		return conversation(arg, hs, *out, stdout)
	}
	return request(*method, arg, *body, hs, *out, stdout)
}

// loopbackURL accepts rawURL only with one of the given schemes and a
// loopback host: the demo stays offline.
func loopbackURL(rawURL string, schemes ...string) error {
	u, err := url.Parse(rawURL)
	if err != nil || !slices.Contains(schemes, u.Scheme) {
		return fmt.Errorf("%q is not a %s URL", rawURL, strings.Join(schemes, "/"))
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%q is not a loopback URL: the demo stays offline", rawURL)
	}
	return nil
}

// conversation starts a conversation and closes it again.
func conversation(rawURL string, hs headers, out string, stdout io.Writer) error {
	if err := loopbackURL(rawURL, "ws", "wss"); err != nil {
		return err
	}
	var o convclient.Options
	for _, h := range hs {
		name, value, ok := strings.Cut(h, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "Origin") {
			return fmt.Errorf("header %q: -ws sends only 'Origin: value'", h)
		}
		o.Origin = strings.TrimSpace(value)
	}
	conv, err := convclient.Start(context.Background(), rawURL, o)
	var refused *convclient.Refused
	status, body := http.StatusSwitchingProtocols, ""
	switch {
	case errors.As(err, &refused):
		status, body = refused.Status, oneLine(map[string]any{"reason": refused.Reason})
	case err != nil:
		return err
	default:
		body = oneLine(map[string]any{"conversation_id": conv.ID, "subprotocol": conv.Subprotocol})
		if err := conv.Close(); err != nil {
			return err
		}
	}
	if out != "" {
		if err := os.WriteFile(out, []byte(body), 0o600); err != nil {
			return err
		}
	}
	_, err = fmt.Fprint(stdout, status)
	return err
}

func readJSON(file string) (any, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return v, nil
}

func oneLine(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// authSummary renders platform_settings.auth of an agent; a missing auth
// block reads as the API defaults.
func authSummary(agent any) string {
	var auth map[string]any
	if a, ok := agent.(map[string]any); ok {
		if ps, ok := a["platform_settings"].(map[string]any); ok {
			auth, _ = ps["auth"].(map[string]any)
		}
	}
	enable, _ := auth["enable_auth"].(bool)
	require, _ := auth["require_origin_header"].(bool)
	list, _ := auth["allowlist"].([]any)
	hosts := []string{}
	for _, item := range list {
		if m, ok := item.(map[string]any); ok {
			if h, ok := m["hostname"].(string); ok {
				hosts = append(hosts, h)
				continue
			}
		}
		hosts = append(hosts, oneLine(item))
	}
	sort.Strings(hosts)
	return fmt.Sprintf("enable_auth=%t allowlist=[%s] require_origin_header=%t", enable, strings.Join(hosts, " "), require)
}

func request(method, rawURL, body string, hs headers, out string, stdout io.Writer) error {
	if err := loopbackURL(rawURL, "http", "https"); err != nil {
		return err
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, rawURL, rd)
	if err != nil {
		return err
	}
	for _, h := range hs {
		name, value, ok := strings.Cut(h, ":")
		if !ok {
			return fmt.Errorf("header %q is not 'Name: value'", h)
		}
		req.Header.Set(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	dst := io.Discard
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		dst = f
	}
	if _, err := io.Copy(dst, resp.Body); err != nil {
		return err
	}
	_, err = fmt.Fprint(stdout, resp.StatusCode)
	return err
}
