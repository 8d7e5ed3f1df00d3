package elevenlabs

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// DefaultFanOut is how many agent GETs WalkAgents keeps in flight by default. It is
// the CLI's default -parallelism (10): one data source read then puts the same
// load on the API as a refresh of as many managed resources, which the retry
// and 429 handling are tuned for. The CLI's own parallelism does not apply
// inside one data source read, so the bound has to be here. ElevenLabs limits
// concurrent requests, so more would mostly buy 429s; any limiter inside the
// Client applies to these GETs as to every other request.
const DefaultFanOut = 10

// ListedAgent is one agent of the list: its summary and, when it was read,
// the full agent.
type ListedAgent struct {
	Summary AgentSummary
	// Agent is the agent's GET answer; nil when it was not read, or when
	// Deleted.
	Agent *Agent
	// Deleted: the GET answered 404 and the list, read again, no longer has
	// the agent: it was deleted after it was listed (WalkAgents).
	Deleted bool
}

// WalkOptions says how WalkAgents reads the agents.
type WalkOptions struct {
	Filter ListFilter
	// Read reads each listed agent with GetAgent, since summaries carry no
	// auth settings.
	Read bool
	// Concurrency bounds the GETs in flight; DefaultFanOut when < 1.
	Concurrency int
	// Limit, when > 0, ends the walk as soon as visit has kept that many
	// agents, and bounds the work so that it never reads a page or starts a
	// GET that could not be needed: the agents kept, plus those read or being
	// read and not yet visited (plus, for a page, those listed and not yet
	// read) stay below Limit. An agent that answered 404 never counts towards
	// it; confirming its deletion is not bounded by it (confirmDeleted).
	Limit int
}

// WalkAgents lists the agents (with the pager's paging rules) and hands each
// to visit, in list order, as soon as it and the agents before it are ready.
// With o.Read each agent is read with GetAgent first: the GETs start as soon
// as the page listing them arrives, the next page is read while they run, and
// at most o.Concurrency are in flight, through the same client as every other
// call: same retries, 429 handling and masking.
//
// An agent whose GET answers 404 was deleted after it was listed, or the API
// contradicts itself (a proxy answering 404 to an agent's own URL would
// otherwise make every agent vanish from an audit). Such agents are held
// back: once the walk has ended (every agent visited, or o.Limit reached),
// and only if there are any, the list is read again (confirmDeleted). One
// still listed fails the walk with a *ListedNotFoundError; otherwise visit
// gets each, in list order, after the others, with Deleted set (its keep is
// ignored).
//
// visit returns keep (the agent counts towards o.Limit) and more (false ends
// the walk at once, without error, and without confirming or visiting the
// agents held back). Any failure ends the walk and is returned, as an
// *AgentError naming the agent for a GET, including GetAgent's refusal of an
// answer about another agent; requests still in flight are cancelled and
// waited for.
func (c *Client) WalkAgents(ctx context.Context, o WalkOptions, visit func(ListedAgent) (keep, more bool)) error {
	var (
		held    []ListedAgent
		stopped bool
	)
	err := c.walk(ctx, o, func(a ListedAgent) (bool, bool) {
		if a.Deleted {
			held = append(held, a)
			return false, true
		}
		keep, more := visit(a)
		stopped = !more
		return keep, more
	})
	if err != nil || stopped || len(held) == 0 {
		return err
	}
	ids := make([]string, len(held))
	for i, a := range held {
		ids[i] = a.Summary.AgentID
	}
	// The walk's requests are over (walk waits for them): the second reading
	// has the client to itself.
	if err := c.confirmDeleted(ctx, o.Filter, ids); err != nil {
		return err
	}
	for _, a := range held {
		if _, more := visit(a); !more {
			break
		}
	}
	return nil
}

// walk is WalkAgents without the confirmation: an agent whose GET answered
// 404 is visited with Deleted set, in list order.
func (c *Client) walk(ctx context.Context, o WalkOptions, visit func(ListedAgent) (keep, more bool)) error {
	conc := o.Concurrency
	if conc < 1 {
		conc = DefaultFanOut
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()

	type slot struct {
		ListedAgent
		ready bool
	}
	type event struct {
		slot *slot // a GET that finished; nil for a page
		page []AgentSummary
		err  error
	}
	// One event per request in flight (at most conc GETs and one page): a
	// sender never blocks, even after the walk has returned.
	events := make(chan event, conc+1)
	pg := c.newPager(o.Filter)
	var (
		unread   []AgentSummary // listed, not yet read
		queue    []*slot        // being read or read, not yet visited, in list order
		inFlight int            // GETs
		paging   bool           // a page request is in flight
		kept     int
	)
	// below says whether n more agents, all kept, would stay below o.Limit.
	below := func(n int) bool { return o.Limit <= 0 || kept+n < o.Limit }
	get := func(s *slot) {
		defer wg.Done()
		a, err := c.GetAgent(ctx, s.Summary.AgentID)
		switch {
		case IsNotFound(err):
			s.Deleted, err = true, nil
		case err != nil:
			err = &AgentError{AgentID: s.Summary.AgentID, Err: err}
		default:
			s.Agent = a
		}
		events <- event{slot: s, err: err}
	}
	for {
		for progress := true; progress; {
			progress = false
			// Read the listed agents, in list order, while they may be needed.
			for len(unread) > 0 && below(len(queue)) && (!o.Read || inFlight < conc) {
				s := &slot{ListedAgent: ListedAgent{Summary: unread[0]}, ready: !o.Read}
				unread = unread[1:]
				queue = append(queue, s)
				progress = true
				if o.Read {
					inFlight++
					wg.Add(1)
					go get(s)
				}
			}
			// Hand over the ready agents at the head of the list, before asking
			// for a page: a visit may end the walk, which then needs none.
			for len(queue) > 0 && queue[0].ready {
				s := queue[0]
				queue = queue[1:]
				progress = true
				keep, more := visit(s.ListedAgent)
				if keep {
					kept++
				}
				if !more || !below(0) {
					return nil
				}
			}
			// Ask for the next page before the listed agents run out.
			if !paging && !pg.done && len(unread) < conc && below(len(queue)+len(unread)) {
				paging = true
				wg.Add(1)
				go func() {
					defer wg.Done()
					page, err := pg.next(ctx)
					events <- event{page: page, err: err}
				}()
			}
		}
		if !paging && inFlight == 0 && len(queue) == 0 && len(unread) == 0 {
			return nil // every page read (else a page would be in flight), every agent visited
		}
		var ev event
		select {
		case ev = <-events:
		case <-ctx.Done():
			return ctx.Err()
		}
		if ev.err != nil {
			return ev.err
		}
		if ev.slot == nil {
			paging = false
			unread = append(unread, ev.page...)
			continue
		}
		inFlight--
		ev.slot.ready = true
	}
}

// ReadAllAgents lists every agent and reads each one (WalkAgents with Read,
// no limit), since summaries carry no auth settings.
//
// The result is in list order. An agent deleted after it was listed (a 404
// that the list, read again, confirms: WalkAgents) is left out and its id is
// in deleted, sorted; one still listed fails the read. Any failure is
// returned as WalkAgents returns it, with no partial result.
func (c *Client) ReadAllAgents(ctx context.Context, f ListFilter, concurrency int) (agents []ListedAgent, deleted []string, err error) {
	agents = []ListedAgent{}
	err = c.WalkAgents(ctx, WalkOptions{Filter: f, Read: true, Concurrency: concurrency}, func(a ListedAgent) (bool, bool) {
		if a.Deleted {
			deleted = append(deleted, a.Summary.AgentID)
		} else {
			agents = append(agents, a)
		}
		return true, true
	})
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(deleted)
	return agents, deleted, nil
}

// confirmDeleted lists the agents again (no GET) and fails with a
// *ListedNotFoundError when one of ids, which answered 404 to their GET, is
// still listed. A 404 for a listed agent leaves the agent out of an audit,
// which then passes on a smaller fleet: that is right only for an agent
// really deleted, never for a server or proxy that answers 404 to an agent's
// own URL.
//
// It stops as soon as every one of ids is found (the answer is then known);
// otherwise it reads the whole list, up to ceil(N/MaxPageSize) calls for N
// agents: an agent's absence is proven by no shorter reading, since the order
// of the list is the API's (unconfirmed without sort_by) and moves as agents
// are created, so where an agent was listed says nothing of where it is now.
func (c *Client) confirmDeleted(ctx context.Context, f ListFilter, ids []string) error {
	gone := make(map[string]bool, len(ids))
	for _, id := range ids {
		gone[id] = true
	}
	var still []string
	err := c.walk(ctx, WalkOptions{Filter: f}, func(a ListedAgent) (bool, bool) {
		if gone[a.Summary.AgentID] {
			delete(gone, a.Summary.AgentID) // a list that repeats an agent names it once
			still = append(still, a.Summary.AgentID)
		}
		return true, len(gone) > 0
	})
	if err != nil {
		return err
	}
	if len(still) > 0 {
		sort.Strings(still)
		return &ListedNotFoundError{AgentIDs: still}
	}
	return nil
}

// MaxNamed bounds how many agent ids a message names (JoinIDs).
const MaxNamed = 10

// JoinIDs writes ids for a message: the first MaxNamed of them, joined with
// ", ", then "and N more" for the others, so that a message about many agents
// stays a few lines long. Every message about a set of agents uses it.
func JoinIDs(ids []string) string {
	s := strings.Join(ids[:min(len(ids), MaxNamed)], ", ")
	if n := len(ids) - MaxNamed; n > 0 {
		s += fmt.Sprintf(" and %d more", n)
	}
	return s
}

// ListedNotFoundError is agents that answered 404 Not Found to their own GET
// and are still listed: the API contradicts itself.
type ListedNotFoundError struct {
	AgentIDs []string // sorted
}

func (e *ListedNotFoundError) Error() string {
	return fmt.Sprintf("ElevenLabs API: %d agent(s) answered 404 Not Found to GET /v1/convai/agents/{agent_id} and are "+
		"still listed by GET /v1/convai/agents: %s. The API contradicts itself, so they are not left out as deleted "+
		"and the read fails. Run again; if this repeats, check that the base URL points at the ElevenLabs API itself, "+
		"not at a proxy that answers 404 to an agent's own URL", len(e.AgentIDs), JoinIDs(e.AgentIDs))
}

// AgentError is a failure to read one agent of several.
type AgentError struct {
	AgentID string
	Err     error
}

func (e *AgentError) Error() string { return fmt.Sprintf("agent %s: %v", e.AgentID, e.Err) }

func (e *AgentError) Unwrap() error { return e.Err }
