package fakeapi

import (
	"sync"
	"time"
)

// Clock is the fake's clock (Server.Clock). The zero Clock (and a nil *Clock)
// follows real time; Advance on such a clock shifts it by an offset from real
// time, and Set pins it to a fixed instant, where it stands still until moved
// again. A Clock is safe for concurrent use.
type Clock struct {
	mu     sync.Mutex
	fixed  bool
	t      time.Time
	offset time.Duration
}

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	if c == nil {
		return time.Now()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fixed {
		return c.t
	}
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward by d (backward if d is negative).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fixed {
		c.t = c.t.Add(d)
		return
	}
	c.offset += d
}

// Set pins the clock to t; it then stands still until moved again.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fixed = true
	c.t = t
	c.offset = 0
}
