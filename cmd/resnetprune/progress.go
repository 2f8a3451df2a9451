package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progressBar draws "[=====>    ] 4200/10000  1234 img/s  ETA 4s" on a terminal, at most 10 times a
// second. It stays silent when out is not a terminal, so logs and pipes get no control characters.
type progressBar struct {
	out   io.Writer
	label string
	total int
	start time.Time
	last  time.Time
}

func newProgress(label string, total int) *progressBar {
	p := &progressBar{label: label, total: total, start: time.Now()}
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 && total > 0 {
		p.out = os.Stderr
	}
	return p
}

// update redraws the bar for done items.
func (p *progressBar) update(done int) {
	if p.out == nil || (time.Since(p.last) < 100*time.Millisecond && done < p.total) {
		return
	}
	p.last = time.Now()
	el := time.Since(p.start).Seconds()
	rate := float64(done) / max(el, 1e-9)
	const width = 30
	fill := width * done / p.total
	bar := strings.Repeat("=", fill) + strings.Repeat(" ", width-fill)
	eta := ""
	if rate > 0 && done < p.total {
		eta = fmt.Sprintf("ETA %.0fs", float64(p.total-done)/rate)
	}
	fmt.Fprintf(p.out, "\r%s [%s] %d/%d  %.0f img/s  %s   ", p.label, bar, done, p.total, rate, eta)
	if done >= p.total {
		fmt.Fprintln(p.out)
	}
}
