package elevenlabs

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// hold takes n permits without waiting.
func hold(t *testing.T, l *adaptiveLimit, n int) []*permit {
	t.Helper()
	ps := make([]*permit, n)
	for i := range ps {
		p, err := l.acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ps[i] = p
	}
	return ps
}

func TestLimiterStartsHighAndLowersOnceOn429Burst(t *testing.T) {
	l := newAdaptiveLimit()
	if l.Limit() != maxConcurrency {
		t.Fatalf("initial limit = %d, want %d (nothing waits until the API refuses)", l.Limit(), maxConcurrency)
	}
	ps := hold(t, l, 10)
	ps[9].release(overloaded)
	if got := l.Limit(); got != 7 {
		t.Fatalf("after a 429 with 10 in flight: limit %d, want 7 (3/4 of 10)", got)
	}
	// The other requests of the same burst were sent before the decrease: their
	// 429s do not lower the limit again.
	for _, p := range ps[3:9] {
		p.release(overloaded)
	}
	if got := l.Limit(); got != 7 {
		t.Fatalf("after the rest of the burst: limit %d, want still 7", got)
	}
	// A 429 to a request sent under the new limit lowers it again.
	more := hold(t, l, 4) // 3 + 4 = 7 in flight
	more[3].release(overloaded)
	if got := l.Limit(); got != 5 {
		t.Fatalf("after a 429 with 7 in flight: limit %d, want 5", got)
	}
	// Down to the floor of 1, never below.
	l = newAdaptiveLimit()
	l.limit = 2
	ps = hold(t, l, 2)
	ps[1].release(overloaded)
	ps[0].release(overloaded)
	if got := l.Limit(); got != 1 {
		t.Fatalf("after a 429 with 2 in flight: limit %d, want 1", got)
	}
	hold(t, l, 1)[0].release(overloaded)
	if got := l.Limit(); got != 1 || l.InFlight() != 0 {
		t.Fatalf("after a 429 at limit 1: limit %d, in flight %d; want 1 and 0", got, l.InFlight())
	}
}

func TestLimiterRaisesAfterSuccessesAtTheLimit(t *testing.T) {
	l := newAdaptiveLimit()
	l.limit = 3
	ps := hold(t, l, 3)
	// Release the oldest and take a new place: every new permit is granted with
	// the limit fully used. The first two permits were not.
	successes := 0
	for i := 0; successes < probeFactor*3; i++ {
		if l.Limit() != 3 {
			t.Fatalf("limit rose to %d after %d successes at the limit, want 3 until %d", l.Limit(), successes, probeFactor*3)
		}
		if ps[0].full {
			successes++
		}
		ps[0].release(succeeded)
		ps = append(ps[1:], hold(t, l, 1)...)
	}
	if l.Limit() != 4 {
		t.Fatalf("after %d successes at the limit: limit %d, want 4", successes, l.Limit())
	}
}

func TestLimiterDoesNotRaiseWhenNotFullyUsed(t *testing.T) {
	l := newAdaptiveLimit()
	l.limit = 3
	for range 500 {
		hold(t, l, 1)[0].release(succeeded)
	}
	if l.Limit() != 3 {
		t.Fatalf("limit = %d after successes one at a time, want 3 (it was never fully used)", l.Limit())
	}
	// 5xx and transport errors say nothing about concurrency.
	ps := hold(t, l, 3)
	for _, p := range ps {
		p.release(ignored)
	}
	if l.Limit() != 3 || l.InFlight() != 0 {
		t.Fatalf("limit %d, in flight %d after ignored outcomes", l.Limit(), l.InFlight())
	}
}

func TestLimiterCancelWhileWaiting(t *testing.T) {
	l := newAdaptiveLimit()
	l.limit = 1
	held := hold(t, l, 1)[0]
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := l.acquire(ctx)
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("acquire = %v, want context.Canceled", err)
		}
	case <-time.After(time.Second):
		t.Fatal("acquire kept waiting after cancel")
	}
	if el := time.Since(start); el > 500*time.Millisecond {
		t.Fatalf("cancel took %s", el)
	}
	// The cancelled waiter left the queue and holds nothing.
	l.mu.Lock()
	waiting := l.waiters.Len()
	l.mu.Unlock()
	if waiting != 0 || l.InFlight() != 1 {
		t.Fatalf("after cancel: %d waiting, %d in flight; want 0 and 1", waiting, l.InFlight())
	}
	held.release(succeeded)
	held.release(succeeded) // a second release does nothing
	if l.InFlight() != 0 {
		t.Fatalf("in flight = %d after one release", l.InFlight())
	}
	if _, err := l.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	// An already cancelled context never takes a place.
	if _, err := l.acquire(ctx); !errors.Is(err, context.Canceled) || l.InFlight() != 1 {
		t.Fatalf("acquire with a done context = %v, in flight %d", err, l.InFlight())
	}
}

func TestLimiterNeverExceedsLimitUnderLoad(t *testing.T) {
	l := newAdaptiveLimit()
	l.limit = 4
	var cur, peak atomic.Int32
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for range 50 {
				p, err := l.acquire(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				n := cur.Add(1)
				for {
					old := peak.Load()
					if n <= old || peak.CompareAndSwap(old, n) {
						break
					}
				}
				time.Sleep(50 * time.Microsecond)
				cur.Add(-1)
				p.release(ignored)
			}
		})
	}
	wg.Wait()
	if peak.Load() > 4 || peak.Load() < 2 {
		t.Fatalf("peak in flight = %d, want at most the limit 4 (and real concurrency)", peak.Load())
	}
	if l.InFlight() != 0 {
		t.Fatalf("in flight = %d after all released", l.InFlight())
	}
}

// cycle releases the oldest permit with o and takes a new place; it returns
// the permits held.
func cycle(t *testing.T, l *adaptiveLimit, ps []*permit, o outcome) []*permit {
	t.Helper()
	ps[0].release(o)
	return append(ps[1:], hold(t, l, 1)...)
}

func TestLimiterRegrowsQuicklyToAGoodLevel(t *testing.T) {
	l := newAdaptiveLimit()
	l.limit = 3
	ps := hold(t, l, 3)
	for l.Limit() == 3 { // a whole window at 3: 3 is good, and the limit probes 4
		ps = cycle(t, l, ps, succeeded)
	}
	if l.Limit() != 4 || l.good != 3 {
		t.Fatalf("limit %d, good %d; want 4 and 3", l.Limit(), l.good)
	}
	// A 429 at 3 in flight (a level that held): the limit falls to 2, then
	// grows back to 3 after 2 answers instead of 32.
	ps[2].release(overloaded)
	ps = ps[:2]
	if l.Limit() != 2 {
		t.Fatalf("after a 429 at 3 in flight: limit %d, want 2", l.Limit())
	}
	ps = cycle(t, l, ps, succeeded)
	ps = cycle(t, l, ps, succeeded)
	ps = cycle(t, l, ps, succeeded)
	if l.Limit() != 3 {
		t.Fatalf("limit %d after 3 answers below the good level 3, want back at 3", l.Limit())
	}
	// A second 429 at the good level before the next window: 3 is no longer
	// good, and growing past 2 is slow again.
	ps = append(ps, hold(t, l, 1)...) // 3 in flight
	ps[2].release(overloaded)
	if l.Limit() != 2 || l.good != 2 {
		t.Fatalf("after a second 429 at 3: limit %d, good %d; want 2 and 2", l.Limit(), l.good)
	}
}
