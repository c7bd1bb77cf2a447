package server

import (
	"context"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// admission bounds the data answers being made at once. Each may hold a
// page of up to 10,000 features (15 MB) until it is sent, so an unbounded
// burst of big pages would take the process's memory with it. Past the
// running ones, a bounded number wait their turn; beyond that, requests are
// refused at once with 503 and Retry-After, rather than queued until they
// time out: a refusal in a millisecond is something a client (or a cache in
// front) can act on. Answers already kept (reprCache) skip all this.
type admission struct {
	running    chan struct{}
	waiting    atomic.Int64
	maxWaiting int64
	refused    atomic.Int64
	// pause holds a refusal back a moment before it is sent: a client that
	// ignores Retry-After and asks again at once (a load tester, a broken
	// retry loop) would otherwise turn refusals into most of the work.
	pause time.Duration
}

// Defaults: a few answers per core at once (they are CPU work and a copy),
// and a queue long enough that 32 readers of a newsroom's embed never see a
// refusal, short enough that the last in line waits well under a second.
func newAdmission(running, waiting int) *admission {
	if running <= 0 {
		running = 2 * runtime.GOMAXPROCS(0)
	}
	if waiting < 0 {
		waiting = 0
	}
	return &admission{running: make(chan struct{}, running), maxWaiting: int64(waiting), pause: refusalPause}
}

const (
	defaultWaiting = 32
	refusalPause   = 25 * time.Millisecond
	// Pages of over a thousand features (up to 22 MB each) are made and
	// sent two at a time: a burst of them keeps about a core busy and the
	// memory of two pages, and leaves the other lane to the map's usual
	// requests. Waiting costs no memory, and enough may wait for every
	// reader of a newsroom's embed to get the map's first view at a
	// hundred thousand incidents (a page of 4,000) after an import, when
	// none is kept.
	largeRunning = 2
	largeWaiting = 32
)

// WithAdmission sets how many data answers are made at once and how many
// requests may wait for a turn (0, 0: the defaults).
func WithAdmission(running, waiting int) Option {
	return func(s *Server) {
		if waiting == 0 {
			waiting = defaultWaiting
		}
		s.admit = newAdmission(running, waiting)
		s.admitLarge = newAdmission(largeRunning, min(waiting, largeWaiting))
	}
}

// enter takes a turn, waiting if needed; it refuses when the queue is full.
func (a *admission) enter(ctx context.Context) (release func(), err error) {
	select {
	case a.running <- struct{}{}:
		return a.leave, nil
	default:
	}
	if a.waiting.Add(1) > a.maxWaiting {
		a.waiting.Add(-1)
		a.refused.Add(1)
		if a.pause > 0 {
			t := time.NewTimer(a.pause)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
			}
		}
		return nil, errBusy
	}
	defer a.waiting.Add(-1)
	select {
	case a.running <- struct{}{}:
		return a.leave, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (a *admission) leave() { <-a.running }

var errBusy = &apiError{Status: http.StatusServiceUnavailable, Code: "ServiceUnavailable",
	Description: "the server is answering as many requests as it can; try again in a second"}

// admissionError is what to answer when enter fails: the refusal, or the
// client's own end (gone, timed out).
func admissionError(c echo.Context, err error) error {
	if err == errBusy {
		return busy(c)
	}
	return err
}

// busy is the refusal: 503 with Retry-After, never kept by a cache.
func busy(c echo.Context) error {
	c.Response().Header().Set("Retry-After", "1")
	return errBusy
}
