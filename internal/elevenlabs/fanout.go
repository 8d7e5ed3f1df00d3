package elevenlabs

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"golang.org/x/sync/errgroup"
)

// DefaultFanOut is how many agent GETs ReadAllAgents keeps in flight. It is
// the CLI's default -parallelism (10): one data source read then puts the same
// load on the API as a refresh of as many managed resources, which the retry
// and 429 handling are tuned for. The CLI's own parallelism does not apply
// inside one data source read, so the bound has to be here. ElevenLabs limits
// concurrent requests, so more would mostly buy 429s; any limiter inside the
// Client applies to these GETs as to every other request.
const DefaultFanOut = 10

// ListedAgent is one agent of the list: its summary and the full agent.
type ListedAgent struct {
	Summary AgentSummary
	Agent   *Agent
}

// ReadAllAgents lists every agent (listPages, with its paging rules) and
// reads each one with GetAgent, since summaries carry no auth settings: the
// GETs of a page start as soon as it arrives, while the next page is read,
// with at most concurrency GETs in flight (DefaultFanOut when concurrency <
// 1), through the same client: same retries, 429 handling and masking.
//
// The result is in list order. An agent that answers 404 was deleted after it
// was listed: it is left out and its id is in deleted. Any other failure
// stops the rest and is returned, as an *AgentError naming the agent for a
// GET, including GetAgent's refusal of an answer about another agent.
func (c *Client) ReadAllAgents(ctx context.Context, f ListFilter, concurrency int) (agents []ListedAgent, deleted []string, err error) {
	if concurrency < 1 {
		concurrency = DefaultFanOut
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(concurrency)

	var mu sync.Mutex // guards results
	var results []*Agent
	var summaries []AgentSummary
	listErr := c.listPages(gctx, f, func(page []AgentSummary) {
		for _, s := range page {
			mu.Lock()
			i := len(summaries)
			summaries = append(summaries, s)
			results = append(results, nil)
			mu.Unlock()
			g.Go(func() error {
				a, gone, err := c.getListed(gctx, s.AgentID)
				if err != nil || gone {
					return err
				}
				mu.Lock()
				results[i] = a
				mu.Unlock()
				return nil
			})
		}
	})
	// A list that failed on its own (not because a failed GET cancelled it)
	// makes the GETs useless: stop them, and report the list's error.
	listFailedFirst := listErr != nil && gctx.Err() == nil
	if listFailedFirst {
		cancel()
	}
	waitErr := g.Wait()
	switch {
	case listFailedFirst:
		return nil, nil, listErr
	case waitErr != nil:
		return nil, nil, waitErr
	case listErr != nil:
		return nil, nil, listErr
	}
	agents = make([]ListedAgent, 0, len(summaries))
	for i, s := range summaries {
		if results[i] == nil {
			deleted = append(deleted, s.AgentID)
			continue
		}
		agents = append(agents, ListedAgent{Summary: s, Agent: results[i]})
	}
	sort.Strings(deleted)
	return agents, deleted, nil
}

// getListed reads one listed agent; gone reports a 404 (deleted since listed).
func (c *Client) getListed(ctx context.Context, id string) (a *Agent, gone bool, err error) {
	a, err = c.GetAgent(ctx, id)
	switch {
	case IsNotFound(err):
		return nil, true, nil
	case err != nil:
		return nil, false, &AgentError{AgentID: id, Err: err}
	}
	return a, false, nil
}

// AgentError is a failure to read one agent of several.
type AgentError struct {
	AgentID string
	Err     error
}

func (e *AgentError) Error() string { return fmt.Sprintf("agent %s: %v", e.AgentID, e.Err) }

func (e *AgentError) Unwrap() error { return e.Err }
