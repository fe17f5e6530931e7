package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/course/jupyter"
	"github.com/dawnchorus/dawnchorus/lib/course/notebook"
)

// answerCycle is what browsercheck answers the labelling cards, in turn (the buttons'
// labels, compared without case): every button is used, and the answers differ from the
// buttons' order (yes, no, unsure).
var answerCycle = []string{"no", "yes", "unsure"}

// Clicking again: a card still showing its buttons this long after a click is clicked
// again (activeui's card asks for that after 3 s), at most maxClicksPerCard times.
const (
	clickAgainAfter  = 4 * time.Second
	maxClicksPerCard = 8
)

// answersLine is what a labelling cell (lessons 04b and 06) prints once the person has
// answered its cards; a notebook with several such cells prints one line each.
var answersLine = regexp.MustCompile(`you answered (\d+) questions \((\d+) unsure\), said yes (\d+) times`)

// answerCount is the answers one or more answersLine lines report.
type answerCount struct{ questions, unsure, yes int }

func (c answerCount) String() string {
	return fmt.Sprintf("%d questions (%d unsure), %d yes", c.questions, c.unsure, c.yes)
}

// answersPrinted sums every answersLine in text (the notebook's JSON, outputs included) and
// returns the sum and the number of lines.
func answersPrinted(text string) (answerCount, int) {
	var sum answerCount
	ms := answersLine.FindAllStringSubmatch(text, -1)
	for _, m := range ms {
		q, _ := strconv.Atoi(m[1])
		u, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		sum.questions, sum.unsure, sum.yes = sum.questions+q, sum.unsure+u, sum.yes+y
	}
	return sum, len(ms)
}

// result is what one notebook's run in the browser showed.
type result struct {
	name        string  // the notebook's name, without .ipynb
	seconds     float64 // from Run All to the kernel idle with every cell done
	summary     notebook.Summary
	figures     int       // figures drawn with a nonzero size
	audio       []string  // each player outside the labelling cards: "3.0 s, played 0.6 s"
	cardAudio   []float64 // each labelling card's player that loaded and played: its duration, s
	clicks      []string  // the answers clicked, one per card
	screenshots int
	shotsDir    string
	problems    []string
	ackLost     int // GoNB's "comm_open_ack not received in time" rejections, tolerated (see pageExceptions)
}

func (r *result) fail(format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

func (r *result) line() string {
	s := fmt.Sprintf("%d of %d code cells run in %.0f s, %d figures drawn", r.summary.Executed, r.summary.CodeCells,
		r.seconds, r.figures)
	if len(r.audio) > 0 {
		s += fmt.Sprintf(", %d audio players (%s)", len(r.audio), strings.Join(r.audio, "; "))
	}
	if len(r.cardAudio) > 0 {
		lo, hi := r.cardAudio[0], r.cardAudio[0]
		for _, d := range r.cardAudio {
			lo, hi = min(lo, d), max(hi, d)
		}
		s += fmt.Sprintf(", %d labelling cards' audio players loaded and played (%.2f–%.2f s)", len(r.cardAudio), lo, hi)
	}
	if len(r.clicks) > 0 {
		s += fmt.Sprintf(", %d labelling cards answered by mouse (%s)", len(r.clicks), strings.Join(r.clicks, " "))
	}
	if r.ackLost > 0 {
		s += fmt.Sprintf(", GoNB's page connection lost its #comm_open_ack %d times and every answer still reached the program", r.ackLost)
	}
	if r.screenshots > 0 {
		s += fmt.Sprintf(", %d screenshots in %s", r.screenshots, r.shotsDir)
	}
	return s
}

// gonbAckLost is the text of the one page exception browsercheck tolerates: GoNB's gonb_comm
// rejects its connect promise, uncaught, when the kernel's "#comm_open_ack" does not reach the
// page in time. The notebook server (6.4) loses it when it has not yet subscribed the new
// websocket to the kernel's output while a cell runs; activeui.NotebookOracle has GoNB re-check
// the page's end every 2 s and GoNB then installs a new gonb_comm (servecheck loses an ack on
// purpose to test that). The ack lost is harmless exactly when every card still got its answer
// to the program, which check verifies; so it fails the run only beside another problem.
const gonbAckLost = "comm_open_ack not received in time"

// pageExceptions sorts the page's uncaught exceptions: those that fail the run, and how many
// were GoNB's lost "#comm_open_ack" (gonbAckLost).
func pageExceptions(exceptions []string) (fatal []string, ackLost int) {
	for _, e := range exceptions {
		if strings.Contains(e, "Error: "+gonbAckLost) {
			ackLost++
			continue
		}
		fatal = append(fatal, e)
	}
	return fatal, ackLost
}

// pageState is jsState's value.
type pageState struct {
	Running, CodeCells, Pending, Unrun int
	Idle                               bool
	Cards                              []struct {
		ID      string
		Buttons []struct{ ID, Label string }
		Status  string
		Cell    int    // 1-based
		Title   string // the clip it asks about
		Audio   int    // its audio players
	}
}

// cardSeen is what the page showed of a labelling card before it was answered.
type cardSeen struct {
	number int    // 1-based, in the order the cards were first seen
	cell   int    // 1-based
	title  string // the clip it asks about
	audio  int    // the most audio players it held
}

// describe names the card for a failure: "card 3 of 10 (clip 12 (a.wav 3.0–6.0 s))".
func (c cardSeen) describe(cards int) string {
	return fmt.Sprintf("card %d of %d (%s)", c.number, cards, c.title)
}

// checkNotebook runs notebooks/NAME.ipynb in the browser and checks what it shows.
func checkNotebook(parent context.Context, srv *jupyter.Server, name, shotsDir string, timeout time.Duration) *result {
	r := &result{name: name, shotsDir: shotsDir}
	path := filepath.Join("notebooks", name+".ipynb")
	before, err := os.ReadFile(path)
	if err != nil {
		r.fail("%v", err)
		return r
	}
	defer func() {
		// The page never saves (autosave is off): the notebook on disk must be as it was.
		after, err := os.ReadFile(path)
		if err == nil && !bytes.Equal(before, after) {
			r.fail("the run in the browser changed %s (restored)", path)
			if err := atomicfile.WriteFile(path, before); err != nil {
				r.fail("restoring %s: %v", path, err)
			}
		}
	}()
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	var exMu sync.Mutex
	var exceptions []string
	lctx, stopListening := context.WithCancel(ctx)
	defer stopListening()
	_ = chromedp.Listen(lctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			exMu.Lock()
			exceptions = append(exceptions, exceptionText(e.ExceptionDetails))
			exMu.Unlock()
		}
	})
	defer leave(parent, srv, name+".ipynb")

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL("/notebooks/"+name+".ipynb"))); err != nil {
		r.fail("opening the notebook: %v", err)
		return r
	}
	if err := poll(ctx, 2*time.Minute, func() (bool, error) {
		return chromedp.Run(ctx, chromedp.Evaluate[bool](jsReady))
	}); err != nil {
		r.fail("the notebook and its kernel were not ready: %v", err)
		return r
	}
	if off, err := chromedp.Run(ctx, chromedp.Evaluate[bool](jsNoAutosave)); err != nil || !off {
		r.fail("could not turn the page's autosave off (%v): not running it, so notebooks/ stays as it is", err)
		return r
	}
	type tabInfo struct {
		Tabs       int
		Background string
		Width      float64
		TabSize    int
	}
	tabs, err := chromedp.Run(ctx, chromedp.Evaluate[tabInfo](jsTabs))
	switch {
	case err != nil:
		r.fail("reading how tabs are drawn: %v", err)
	case tabs.Tabs > 0 && tabs.Background != "none":
		r.fail("tabs in code cells are drawn with a background (%s): the arrows of Jupyter's ipython theme are not turned off", tabs.Background)
	case tabs.Tabs > 0 && tabs.TabSize != 4:
		r.fail("code cells show a tab as %d spaces, want 4 (the course's nbconfig)", tabs.TabSize)
	}

	// Cell ▸ Run All, with the mouse.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#celllink")), chromedp.Click(chromedp.CSS("#run_all_cells > a"))); err != nil {
		r.fail("clicking Cell ▸ Run All: %v", err)
		return r
	}
	start := time.Now()
	defer func() {
		// A failed run's page, for the person who reads the failure.
		if len(r.problems) > 0 && r.screenshots == 0 {
			shotCtx, cancelShots := context.WithTimeout(parent, time.Minute)
			defer cancelShots()
			r.screenshots, _ = screenshots(shotCtx, shotsDir)
		}
	}()
	clickedCards := map[string]string{} // card id → answer label
	lastClick := map[string]time.Time{}
	clicksOn := map[string]int{}
	var cardOrder []string
	seen := map[string]*cardSeen{} // card id → what it showed before its answer
	idleSince := time.Time{}
	sawRunning := false
	var last pageState
	for {
		if ctx.Err() != nil {
			r.fail("still running %.0f s after Run All: cell %d running, %d of %d code cells queued or running, %d not run",
				time.Since(start).Seconds(), last.Running, last.Pending, last.CodeCells, last.Unrun)
			return r // the screenshots are taken on the way out
		}
		st, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](jsState))
		if err != nil {
			if ctx.Err() != nil {
				continue // timed out while reading: reported above
			}
			r.fail("reading the page: %v", err)
			return r
		}
		last = st
		if st.Pending > 0 {
			sawRunning = true
		}
		for _, card := range st.Cards {
			if c := seen[card.ID]; c == nil {
				seen[card.ID] = &cardSeen{number: len(seen) + 1, cell: card.Cell, title: card.Title, audio: card.Audio}
			} else {
				c.audio = max(c.audio, card.Audio)
			}
			label, seen := clickedCards[card.ID]
			if seen && time.Since(lastClick[card.ID]) < clickAgainAfter {
				continue
			}
			if !seen {
				label = answerCycle[len(cardOrder)%len(answerCycle)]
			}
			if clicksOn[card.ID] >= maxClicksPerCard {
				r.fail("clicked %q on card %s %d times and it still shows its buttons (status %q)", label, card.ID, clicksOn[card.ID], card.Status)
				return r
			}
			buttonID := ""
			for _, b := range card.Buttons {
				if strings.EqualFold(b.Label, label) {
					buttonID = b.ID
				}
			}
			if buttonID == "" {
				r.fail("card %s has no %q button (it has %v)", card.ID, label, card.Buttons)
				return r
			}
			if !seen {
				cardOrder = append(cardOrder, card.ID)
				clickedCards[card.ID] = label
				if len(cardOrder) == 1 {
					// A person's view of the first card, before the click.
					// Scrolled into the notebook's window and painted first: a screenshot
					// of an element outside #site's scrolled view comes out blank.
					_, _ = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById(`+strconv.Quote(card.ID)+`).scrollIntoView() || true`))
					time.Sleep(500 * time.Millisecond)
					if shot, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.ID(card.ID))); err == nil {
						_ = os.MkdirAll(shotsDir, 0o755)
						_ = atomicfile.WriteFile(filepath.Join(shotsDir, "card.png"), shot)
					}
				}
			}
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID(buttonID))); err != nil {
				r.fail("clicking %q on card %s: %v", label, card.ID, err)
				return r
			}
			lastClick[card.ID] = time.Now()
			clicksOn[card.ID]++
		}
		done := st.Pending == 0 && st.Idle && (sawRunning || time.Since(start) > 10*time.Second)
		switch {
		case !done:
			idleSince = time.Time{}
		case idleSince.IsZero():
			idleSince = time.Now()
		case time.Since(idleSince) >= time.Second:
			r.seconds = time.Since(start).Seconds()
			check(ctx, r, shotsDir, clickedCards, cardOrder, seen)
			exMu.Lock()
			fatal, ackLost := pageExceptions(exceptions)
			exMu.Unlock()
			r.ackLost = ackLost
			if ackLost > 0 && len(r.problems) > 0 {
				fatal = append(fatal, fmt.Sprintf("Error: %s (%d times; GoNB's, harmless alone)", gonbAckLost, ackLost))
			}
			for _, e := range fatal {
				r.fail("the page threw: %s", e)
			}
			return r
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// check reads what the finished page shows: the notebook's outputs, figures, audio
// players and labelling cards; then takes the screenshots.
func check(ctx context.Context, r *result, shotsDir string, clickedCards map[string]string, cardOrder []string,
	seen map[string]*cardSeen) {
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](jsNotebook))
	if err != nil {
		r.fail("reading the notebook from the page: %v", err)
		return
	}
	var nb notebook.Notebook
	if err := json.Unmarshal([]byte(raw), &nb); err != nil {
		r.fail("the page's notebook is not nbformat JSON: %v", err)
		return
	}
	problems, sum := notebook.Check(&nb)
	r.summary = sum
	for _, p := range problems {
		r.fail("%s", p)
	}
	if sum.Executed < sum.CodeCells {
		r.fail("only %d of %d code cells ran", sum.Executed, sum.CodeCells)
	}

	type drawn struct {
		Tag           string
		Width, Height float64
		Decoded       bool
	}
	figures, err := chromedp.Run(ctx, chromedp.Evaluate[[]struct {
		Cell, Want int
		Drawn      []drawn
	}](jsFigures))
	if err != nil {
		r.fail("reading the figures: %v", err)
	}
	for _, f := range figures {
		good := 0
		for _, d := range f.Drawn {
			switch {
			case d.Width <= 0 || d.Height <= 0:
				r.fail("cell %d: an <%s> figure is drawn %.0f×%.0f px", f.Cell, d.Tag, d.Width, d.Height)
			case !d.Decoded:
				r.fail("cell %d: an <img> figure did not decode", f.Cell)
			default:
				good++
			}
		}
		if len(f.Drawn) < f.Want {
			r.fail("cell %d: %d figures in its outputs, %d drawn on the page", f.Cell, f.Want, len(f.Drawn))
		}
		r.figures += good
	}

	players, err := chromedp.Run(ctx, chromedp.Evaluate[[]player](jsAudio, chromedp.EvalAwaitPromise))
	if err != nil {
		r.fail("reading the audio players: %v", err)
	}
	for _, p := range r.checkPlayers(players, seen) {
		r.fail("%s", p)
	}
	if want := audioInOutputs(&nb); len(players) < want {
		r.fail("%d <audio> elements in the outputs, %d on the page", want, len(players))
	}

	// The labelling cards: each ends showing its answer, in order, and the cell printed them.
	asks := false
	for _, c := range nb.Cells {
		asks = asks || c.CellType == "code" && strings.Contains(c.Text(), "activeui.NotebookOracle{")
	}
	if asks && len(cardOrder) == 0 {
		r.fail("the labelling cell (activeui.NotebookOracle) showed no card to click")
	}
	yes, unsure := 0, 0
	for _, id := range cardOrder {
		label := clickedCards[id]
		r.clicks = append(r.clicks, label)
		switch label {
		case "yes":
			yes++
		case "unsure":
			unsure++
		}
	}
	if len(cardOrder) > 0 {
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](jsAnswered))
		if err != nil || strings.Join(shown, " ") != strings.Join(r.clicks, " ") {
			r.fail("the answered cards show %q (%v), want the answers clicked, %q", shown, err, r.clicks)
		}
	}
	if len(cardOrder) > 0 {
		got, lines := answersPrinted(raw)
		want := answerCount{len(cardOrder), unsure, yes}
		if lines == 0 || got != want {
			r.fail("after %d clicked answers the cells printed %d answer lines totalling %s, want %s",
				len(cardOrder), lines, got, want)
		}
	}

	n, err := screenshots(ctx, shotsDir)
	r.screenshots = n
	if err != nil {
		r.fail("screenshots: %v", err)
	}
}

// screenshots saves the notebook's scrolling area, top to bottom, as 01.png, 02.png, …
// in dir (after removing the previous ones), and returns how many.
func screenshots(ctx context.Context, dir string) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	old, _ := filepath.Glob(filepath.Join(dir, "[0-9][0-9].png"))
	for _, p := range old {
		_ = os.Remove(p)
	}
	size, err := chromedp.Run(ctx, chromedp.Evaluate[[2]float64](jsPageHeight))
	if err != nil {
		return 0, err
	}
	total, window := size[0], size[1]
	if window <= 0 {
		return 0, errors.New("the notebook's area has no height")
	}
	n := 0
	for y := 0.0; y < total && n < 99; y += window {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[float64](fmt.Sprintf("%s(%f)", jsScrollTo, y))); err != nil {
			return n, err
		}
		time.Sleep(150 * time.Millisecond) // let the page paint
		shot, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.ID("site")))
		if err != nil {
			return n, err
		}
		n++
		if err := atomicfile.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d.png", n)), shot); err != nil {
			return n, err
		}
	}
	return n, nil
}

// leave lets the page go without saving, and shuts the notebook's kernel down.
func leave(ctx context.Context, srv *jupyter.Server, notebookPath string) {
	_, _ = chromedp.Run(ctx, chromedp.Evaluate[bool](jsLeave))
	_ = chromedp.Do(ctx, chromedp.Navigate("about:blank"))
	var sessions []struct {
		ID   string
		Path string
	}
	if err := srv.GetJSON("/api/sessions", &sessions); err != nil {
		return
	}
	for _, s := range sessions {
		if s.Path == notebookPath {
			req, _ := http.NewRequest(http.MethodDelete, srv.URL("/api/sessions/"+s.ID), nil)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}
	}
}

// poll calls ready every 500 ms until it returns true, fails, or limit passes.
func poll(ctx context.Context, limit time.Duration, ready func() (bool, error)) error {
	deadline := time.Now().Add(limit)
	for {
		ok, err := ready()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not within %v", limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// exceptionText is an uncaught exception of the page in one line.
func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "(no details)"
	}
	text := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		text += " " + strings.SplitN(d.Exception.Description, "\n", 2)[0]
	}
	return fmt.Sprintf("%s (%s:%d)", text, d.URL, d.LineNumber)
}

// audioInOutputs counts the <audio> elements in the HTML outputs of the notebook's cells.
func audioInOutputs(nb *notebook.Notebook) int {
	n := 0
	for _, c := range nb.Cells {
		if c.Outputs == nil {
			continue
		}
		for _, o := range *c.Outputs {
			switch html := o.Data["text/html"].(type) {
			case string:
				n += strings.Count(html, "<audio")
			case []any:
				for _, line := range html {
					n += strings.Count(fmt.Sprint(line), "<audio")
				}
			}
		}
	}
	return n
}

// player is one <audio> element on the page, as jsAudio reports it.
type player struct {
	Cell              int    // 1-based
	Card              string // the labelling card's element id; "" outside the cards
	Duration          any    // a number, or null for NaN
	ReadyState, Error int
	Played            float64
	PlayError         string
}

// checkPlayers checks that each player loaded (a duration > 0), plays, and that every
// labelling card seen before its answer (seen) still holds as many players once the page
// is done: an answered card keeps its clip to replay. It records each player in r.audio
// or r.cardAudio, and returns the problems, each naming the lesson, the cell and, for a
// card's player, the card.
func (r *result) checkPlayers(players []player, seen map[string]*cardSeen) []string {
	var problems []string
	onCard := map[string]int{}
	for _, p := range players {
		where := fmt.Sprintf("%s, cell %d", r.name, p.Cell)
		if p.Card != "" {
			onCard[p.Card]++
			c := seen[p.Card]
			if c == nil {
				c = &cardSeen{title: p.Card}
			}
			where += ", labelling " + c.describe(len(seen))
		}
		duration, _ := p.Duration.(float64)
		problem := ""
		switch {
		case p.Error != 0:
			problem = fmt.Sprintf("%s: the audio player failed to load (MediaError %d)", where, p.Error)
		case !(duration > 0) || math.IsInf(duration, 0):
			problem = fmt.Sprintf("%s: the audio player's duration is %v (ready state %d)", where, p.Duration, p.ReadyState)
		case p.PlayError != "":
			problem = fmt.Sprintf("%s: the audio player does not play: %s", where, p.PlayError)
		case !(p.Played > 0):
			problem = fmt.Sprintf("%s: the audio player did not advance when played", where)
		}
		switch {
		case problem != "":
			problems = append(problems, problem)
		case p.Card != "":
			r.cardAudio = append(r.cardAudio, duration)
		default:
			r.audio = append(r.audio, fmt.Sprintf("%.2f s, played %.2f s", duration, p.Played))
		}
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return seen[ids[i]].number < seen[ids[j]].number })
	for _, id := range ids {
		if c := seen[id]; onCard[id] < c.audio {
			problems = append(problems, fmt.Sprintf("%s, cell %d, labelling %s: %d audio players before it was answered, %d on the page at the end",
				r.name, c.cell, c.describe(len(seen)), c.audio, onCard[id]))
		}
	}
	return problems
}
