package cli

import (
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progressDelay is how long work runs before a progress bar appears: quick
// commands print none.
const progressDelay = time.Second

// bar is a progress bar on stderr, shown only when stderr is a terminal and the
// work has taken longer than progressDelay. A nil *bar does nothing.
type bar struct {
	mu          sync.Mutex
	start       time.Time
	description string
	max         int64
	count       int64
	pb          *progressbar.ProgressBar
	a           *app
	finished    bool
}

// progress returns a bar for work of max steps (-1 when unknown).
func (a *app) progress(description string, max int64) *bar {
	if !a.env.StderrTTY {
		return nil
	}
	return &bar{a: a, start: time.Now(), description: description, max: max}
}

func (b *bar) add(n int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.count += n
	if b.finished {
		return
	}
	if b.pb == nil {
		if time.Since(b.start) < progressDelay && !b.a.env.progressNow {
			return
		}
		b.pb = progressbar.NewOptions64(b.max,
			progressbar.OptionSetWriter(b.a.env.Stderr),
			progressbar.OptionSetDescription(b.description),
			progressbar.OptionShowCount(),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		_ = b.pb.Add64(b.count)
		return
	}
	_ = b.pb.Add64(n)
}

// done clears the bar; it may be called more than once.
func (b *bar) done() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished {
		return
	}
	b.finished = true
	if b.pb != nil {
		_ = b.pb.Finish()
	}
}
