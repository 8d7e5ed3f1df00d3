package provider

import (
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// connectProxy is a loopback HTTPS proxy that requires user:pass and tunnels
// every CONNECT, whatever host it names, to target (so a base URL on a public
// name reaches a local server without DNS or network).
type connectProxy struct {
	t          *testing.T
	url        string // http://127.0.0.1:port, without credentials
	user, pass string
	target     string
	mu         sync.Mutex
	connects   []string // CONNECT targets
	refused    int      // 407 answers
}

func newConnectProxy(t *testing.T, target, user, pass string) *connectProxy {
	p := &connectProxy{t: t, user: user, pass: pass, target: target}
	srv := httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(srv.Close)
	p.url = srv.URL
	return p
}

func (p *connectProxy) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
		return
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(p.user+":"+p.pass))
	p.mu.Lock()
	if r.Header.Get("Proxy-Authorization") != want {
		p.refused++
		p.mu.Unlock()
		w.Header().Set("Proxy-Authenticate", `Basic realm="corp"`)
		w.WriteHeader(http.StatusProxyAuthRequired)
		return
	}
	p.connects = append(p.connects, r.Host)
	p.mu.Unlock()
	upstream, err := net.Dial("tcp", p.target)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		_ = upstream.Close()
		return
	}
	_, _ = conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
	go func() {
		_, _ = io.Copy(upstream, buf)
		_ = upstream.Close()
	}()
	_, _ = io.Copy(conn, upstream)
	_ = conn.Close()
}

func (p *connectProxy) counts() ([]string, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.connects...), p.refused
}
