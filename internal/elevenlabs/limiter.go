package elevenlabs

import (
	"container/list"
	"context"
	"sync"
)

// The API limits how many requests a workspace has in flight and answers 429
// too_many_concurrent_requests beyond that (CONTRACT.md, "Rate limits (429)"). The CLI runs
// 10 operations at once (more with -parallelism), all through one Client, so
// the Client bounds its own requests in flight with an adaptive limit (AIMD):
//
//   - It starts at maxConcurrency: until the API answers 429, nothing waits.
//   - A 429 to a request sent under the current limit lowers the limit to 3/4
//     of the requests that were in flight when that request was sent (at least
//     one less, never below 1). Other 429s to requests sent before that
//     decrease are not counted again, so one burst lowers the limit once.
//   - Every probeFactor × limit answers that are not a 429, to requests sent
//     while the limit was fully used, raise it by one. Probing that slowly
//     keeps the 429s a small share of the requests once the limit has found
//     the API's (one probe in about 16 × C requests). A probe that the API
//     refuses doubles the wait before the next one (up to 2^maxProbeBackoff
//     times); a probe that holds resets it.
//   - A level that held for a whole probe window is remembered as good: after
//     a decrease the limit grows back to it quickly (one step per limit
//     answers). A 429 at or below the good level is taken as noise once (the
//     API may count a request that has already answered for a moment), and
//     lowers the good level when it happens again before the next window.
//
// failsafe-go's adaptivelimiter (the maintained Go library for this) adapts to
// latency only and offers no way to report "the server said: too many", so it
// would not notice a limit the API enforces by refusing requests quickly;
// github.com/platinummonkey/go-concurrency-limits, which has an AIMD limit,
// is not served by the module proxy. This file is the small part needed.
const (
	maxConcurrency  = 64
	decreaseRatio   = 0.75
	probeFactor     = 16
	maxProbeBackoff = 4
	minConcurrency  = 1
	initialAdaptive = maxConcurrency
)

// outcome is what an attempt says about the limit.
type outcome int

const (
	// ignored: the attempt says nothing about concurrency (transport error,
	// 5xx, cancel).
	ignored outcome = iota
	// succeeded: the API answered without refusing (2xx, or 4xx other than 429).
	succeeded
	// overloaded: the API answered 429.
	overloaded
)

// adaptiveLimit is a concurrency limit that adapts to 429 answers. It is safe
// for concurrent use; waiters are served in arrival order.
type adaptiveLimit struct {
	mu        sync.Mutex
	limit     int
	inFlight  int
	epoch     uint64 // incremented by every decrease
	successes int    // counted toward the next increase
	probed    bool   // the last change was an increase
	probeFail int    // refused probes in a row, capped at maxProbeBackoff
	good      int    // the highest level that held for a whole probe window; 0: none yet
	strikes   int    // 429s at or below good since the last window
	waiters   list.List
}

// permit is one place under the limit; release it exactly once.
type permit struct {
	l     *adaptiveLimit
	epoch uint64
	sent  int  // requests in flight when it was granted, itself included
	full  bool // the limit was fully used when it was granted
	once  sync.Once
}

func newAdaptiveLimit() *adaptiveLimit {
	return &adaptiveLimit{limit: initialAdaptive}
}

// Limit returns the current limit.
func (l *adaptiveLimit) Limit() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limit
}

// InFlight returns how many permits are held.
func (l *adaptiveLimit) InFlight() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inFlight
}

// acquire waits for a place under the limit, in arrival order. It returns
// ctx's error as soon as ctx is done, without taking a place.
func (l *adaptiveLimit) acquire(ctx context.Context) (*permit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l.mu.Lock()
	if l.inFlight < l.limit && l.waiters.Len() == 0 {
		p := l.grantLocked()
		l.mu.Unlock()
		return p, nil
	}
	ch := make(chan *permit, 1)
	elem := l.waiters.PushBack(ch)
	l.mu.Unlock()

	select {
	case p := <-ch:
		return p, nil
	case <-ctx.Done():
		l.mu.Lock()
		select {
		case p := <-ch: // granted while ctx was being cancelled: give it back
			l.mu.Unlock()
			p.release(ignored)
		default:
			l.waiters.Remove(elem)
			l.mu.Unlock()
		}
		return nil, ctx.Err()
	}
}

// grantLocked takes a place; l.mu must be held.
func (l *adaptiveLimit) grantLocked() *permit {
	l.inFlight++
	return &permit{l: l, epoch: l.epoch, sent: l.inFlight, full: l.inFlight >= l.limit || l.waiters.Len() > 0}
}

// wakeLocked hands free places to waiters; l.mu must be held.
func (l *adaptiveLimit) wakeLocked() {
	for l.inFlight < l.limit && l.waiters.Len() > 0 {
		ch := l.waiters.Remove(l.waiters.Front()).(chan *permit)
		ch <- l.grantLocked()
	}
}

// release gives the place back and adapts the limit to what the attempt
// said. Only the first call counts.
func (p *permit) release(o outcome) {
	p.once.Do(func() {
		l := p.l
		l.mu.Lock()
		defer l.mu.Unlock()
		l.inFlight--
		switch o {
		case overloaded:
			if p.epoch == l.epoch {
				if p.sent <= l.good {
					l.strikes++
					if l.strikes > 1 {
						l.good, l.strikes = p.sent-1, 0
					}
				}
				l.limit = max(minConcurrency, min(p.sent-1, int(float64(p.sent)*decreaseRatio), l.limit-1))
				l.epoch++
				l.successes = 0
				if l.probed {
					l.probeFail = min(l.probeFail+1, maxProbeBackoff)
				}
				l.probed = false
			}
		case succeeded:
			if p.full && l.limit < maxConcurrency {
				l.successes++
				need := probeFactor * l.limit << l.probeFail
				if l.limit < l.good {
					need = l.limit // grow back quickly to a level that held
				}
				if l.successes >= need {
					if l.limit >= l.good {
						l.good, l.strikes = l.limit, 0
					}
					l.limit++
					l.successes = 0
					if l.probed {
						l.probeFail = 0 // the previous probe held
					}
					l.probed = true
				}
			}
		}
		l.wakeLocked()
	})
}
