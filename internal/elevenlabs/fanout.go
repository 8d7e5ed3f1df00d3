package elevenlabs

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

// DefaultFanOut is how many GETs GetAgents keeps in flight. It is the CLI's
// default -parallelism (10): one data source read then puts the same load on
// the API as a refresh of as many managed resources, which the retry and 429
// handling are tuned for. The CLI's own parallelism does not apply inside one
// data source read, so the bound has to be here. ElevenLabs limits concurrent
// requests, so more would mostly buy 429s; any limiter inside the Client
// applies to these GETs as to every other request.
const DefaultFanOut = 10

// GetAgents reads every agent in ids with at most concurrency GETs in flight
// (DefaultFanOut when concurrency < 1), through the same client as GetAgent:
// same retries, 429 handling and masking. The result has one entry per id, in
// the order of ids; an agent that answers 404 was deleted after it was listed:
// its entry is nil and its id is in deleted. Any other failure stops the rest
// and is returned naming the agent. An answer whose agent_id names another
// agent is an error too; one without agent_id gets the id that was asked for.
func (c *Client) GetAgents(ctx context.Context, ids []string, concurrency int) (agents []*Agent, deleted []string, err error) {
	if concurrency < 1 {
		concurrency = DefaultFanOut
	}
	agents = make([]*Agent, len(ids))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(concurrency)
	for i, id := range ids {
		g.Go(func() error {
			a, err := c.GetAgent(gctx, id)
			switch {
			case IsNotFound(err):
				return nil
			case err != nil:
				return &AgentError{AgentID: id, Err: err}
			case a.AgentID == "":
				a.AgentID = id
			case a.AgentID != id:
				return &AgentError{AgentID: id, Err: fmt.Errorf("ElevenLabs API: GET %s answered with agent %q", agentPath(id), a.AgentID)}
			}
			agents[i] = a
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	for i, a := range agents {
		if a == nil {
			deleted = append(deleted, ids[i])
		}
	}
	return agents, deleted, nil
}

// AgentError is a failure to read one agent of several.
type AgentError struct {
	AgentID string
	Err     error
}

func (e *AgentError) Error() string { return fmt.Sprintf("agent %s: %v", e.AgentID, e.Err) }

func (e *AgentError) Unwrap() error { return e.Err }
