package fakeapi

import (
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// Running is a Server listening on a loopback port.
type Running struct {
	// BaseURL is the API base URL, e.g. http://127.0.0.1:54321.
	BaseURL string
	// TokenURL is BaseURL + "/v2/token".
	TokenURL string
	// Server is the handler, for Stats and Generator.
	Server *Server
	// Close stops listening and ends open connections; safe to call twice.
	Close func()
}

// Start serves a new Server on 127.0.0.1 at a free port.
func Start(opts Options) (*Running, error) { return Listen("127.0.0.1:0", opts) }

// Listen serves a new Server on addr (host:port), for `usagetop fakeapi`.
func Listen(addr string, opts Options) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := New(opts)
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the listener is gone; Close still works
		}
	}()
	base := "http://" + ln.Addr().String()
	var once sync.Once
	return &Running{
		BaseURL:  base,
		TokenURL: base + "/v2/token",
		Server:   s,
		Close: func() {
			// Not a graceful Shutdown: a handler held up by Faults.Latency
			// would keep it waiting, and nobody needs the last response.
			once.Do(func() { _ = hs.Close() })
		},
	}, nil
}
