package httplog

import "sync"

// order writes the lines about each answer once every answer that arrived
// before it is learned. net/http puts a connection back in its pool inside the
// Read that reaches the end of an answer, so the next request can go out on
// it, and its answer come back, before the first answer is learned: a server
// echoing there what it sent earlier on the connection would reach the log.
// An answer takes its turn when it arrives, before its body is read, and is
// done once its body is learned; its lines are written when every earlier
// turn is done. No request waits for another: lines whose turn has not come
// are kept until the answers before them are read (at most the request
// timeout), then written by whoever finishes the last of those.
type order struct {
	mu       sync.Mutex
	taken    uint64            // turns handed out
	finished uint64            // every turn below it is done
	waiting  map[uint64]func() // lines of turns done before an earlier one
}

// take hands out the next turn. Every turn taken must be done.
func (o *order) take() uint64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.taken++
	return o.taken - 1
}

// done marks turn done: it writes its lines (write) if every earlier turn is
// done, and then those of the later turns that were waiting for it.
func (o *order) done(turn uint64, write func()) {
	o.mu.Lock()
	if o.waiting == nil {
		o.waiting = map[uint64]func(){}
	}
	o.waiting[turn] = write
	var ready []func()
	for w, ok := o.waiting[o.finished]; ok; w, ok = o.waiting[o.finished] {
		delete(o.waiting, o.finished)
		o.finished++
		ready = append(ready, w)
	}
	o.mu.Unlock()
	for _, w := range ready {
		w()
	}
}
