package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/course/notebook"
	"golang.org/x/net/websocket"
)

// widgetClicks are the answers checkWidget clicks, one per card, in order: each button is
// used once and the order differs from the buttons' order (yes, no, unsure).
var widgetClicks = []string{"no", "yes", "unsure"}

// widgetCell labels len(widgetClicks) clips of a 2 kHz tone with activeui.NotebookOracle
// (Yes / No / Unsure buttons) and prints the answers it got, by name. %d is how many
// seconds Label may wait for all of them.
const widgetCell = `import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/active/activeui"
)

%%%%
const rateHz = 16000
samples := make([]float32, rateHz/4) // 0.25 s of a 2 kHz tone at amplitude 0.5
for i := range samples {
	samples[i] = float32(0.5 * math.Sin(2*math.Pi*2000*float64(i)/rateHz))
}
var items []active.Item
for k := range %d {
	items = append(items, active.Item{Index: 7 + k, Samples: samples, SampleRateHz: rateHz})
}
ctx, cancel := context.WithTimeout(context.Background(), %d*time.Second)
defer cancel()
oracle := &activeui.NotebookOracle{Question: "Is this a 2 kHz tone?"}
answers, err := oracle.Label(ctx, items)
if err != nil {
	fmt.Println("Label failed:", err)
	return
}
names := map[active.Answer]string{active.Yes: "yes", active.No: "no", active.Unsure: "unsure"}
var words []string
for _, a := range answers {
	words = append(words, names[a])
}
fmt.Println("answers:", strings.Join(words, " "))
`

// wireMsg is the part of a Jupyter message (as the server's websocket carries it) that
// the check reads.
type wireMsg struct {
	MsgType      string `json:"msg_type"`
	ParentHeader struct {
		MsgID string `json:"msg_id"`
	} `json:"parent_header"`
	Content map[string]any `json:"content"`
}

// page is the notebook page's part in the check: it is shown the HTML the kernel
// displays, clicks buttons, and reports failures it finds on its own on errs.
type page interface {
	// show displays HTML in a display (an output, by its display id) as the page would,
	// running its scripts.
	show(displayID, html string) error
	// click clicks the button with this HTML id.
	click(buttonID string) error
	errs() <-chan error
	// describe says what played the page, for the summary line.
	describe() string
	close()
}

// checkWidget runs the widget cell on the kernel while p plays the page, clicking
// widgetClicks in order, and checks that the cell printed the answers clicked and that
// each card ends showing its answer. It returns a one-line summary.
func checkWidget(base, token, kernelID string, p page, timeout time.Duration) (string, error) {
	defer p.close()
	ws, err := dialKernel(base, token, kernelID)
	if err != nil {
		return "", err
	}
	defer ws.Close()
	start := time.Now()
	_ = ws.SetDeadline(start.Add(timeout))
	msgs, readErr := receiveAll(ws)

	execID := "servecheck-widget-" + randomUUID()
	request := map[string]any{
		"header": map[string]any{"msg_id": execID, "username": "servecheck", "session": execID,
			"msg_type": "execute_request", "version": "5.3"},
		"parent_header": map[string]any{},
		"metadata":      map[string]any{},
		"content": map[string]any{"code": fmt.Sprintf(widgetCell, len(widgetClicks), int(timeout.Seconds())),
			"silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false,
			"stop_on_error": true},
		"channel": "shell",
	}
	if err := websocket.JSON.Send(ws, request); err != nil {
		return "", err
	}

	// A person clicks again when the card has not changed a while after a click (the card
	// says so): the click may not have reached the program (see activeui's recheckEvery).
	const clickAgainAfter, maxClicksPerCard = 3500 * time.Millisecond, 8
	var lastClick time.Time
	var lastButton string
	clicks, onCard := 0, 0 // clicks in all, and on the newest card
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()

	cards := map[string]string{}   // display id → the HTML it shows now
	firstOf := map[string]string{} // display id → the card as first shown, with its buttons
	var order, clicked []string    // card display ids as they appeared; labels clicked
	var stdout, stderr strings.Builder
	var replyStatus string
	idle := false
	var idleAt time.Time
	// answered says whether every card shows its answer. GoNB relays a program's
	// display updates through a pipe of its own, so the last card's update can reach
	// the websocket just after the cell's idle status: wait for it a little.
	const updateGrace = 5 * time.Second
	answered := func() bool {
		if len(order) < len(widgetClicks) {
			return false
		}
		for _, id := range order {
			if cards[id] == firstOf[id] {
				return false
			}
		}
		return true
	}
	for replyStatus == "" || !idle || (!answered() && time.Since(idleAt) < updateGrace) {
		var m wireMsg
		select {
		case err := <-readErr:
			return "", fmt.Errorf("waiting for the widget cell (clicked %q so far; stdout %q; stderr %q): %w",
				clicked, stdout.String(), stderr.String(), err)
		case err := <-p.errs():
			return "", err
		case <-tick.C:
			if idle || len(clicked) == 0 || len(clicked) < len(order) {
				continue // after idle the program is gone: nothing more to click
			}
			if id := order[len(order)-1]; cards[id] == firstOf[id] && time.Since(lastClick) > clickAgainAfter {
				if onCard >= maxClicksPerCard {
					return "", fmt.Errorf("clicked %s %d times, and card %s still shows its buttons", lastButton, onCard, id)
				}
				if err := p.click(lastButton); err != nil {
					return "", err
				}
				lastClick, clicks, onCard = time.Now(), clicks+1, onCard+1
			}
			continue
		case raw := <-msgs:
			if err := json.Unmarshal([]byte(raw), &m); err != nil {
				return "", fmt.Errorf("a message from the kernel's websocket: %w", err)
			}
		}
		switch m.MsgType {
		case "display_data", "update_display_data":
			data, _ := m.Content["data"].(map[string]any)
			html, _ := data["text/html"].(string)
			transient, _ := m.Content["transient"].(map[string]any)
			displayID, _ := transient["display_id"].(string)
			if strings.HasPrefix(displayID, "dawnchorus_active_") {
				if _, seen := cards[displayID]; !seen {
					if len(order) == len(widgetClicks) {
						return "", fmt.Errorf("the oracle showed more than %d cards for %d clips", len(order), len(widgetClicks))
					}
					order = append(order, displayID)
					firstOf[displayID] = html
				}
				cards[displayID] = html
			}
			if err := p.show(displayID, html); err != nil {
				return "", err
			}
			// Once a script that names the newest card has run, its buttons are live:
			// the person clicks the next answer.
			if len(order) > len(clicked) {
				id := order[len(order)-1]
				if strings.Contains(html, "<script>") && strings.Contains(html, strconv.Quote(id)) {
					want := widgetClicks[len(clicked)]
					buttonID, err := buttonLabelled(firstOf[id], want)
					if err != nil {
						return "", fmt.Errorf("card %s: %w", id, err)
					}
					// A double click, as people do: the second click reaches the program
					// after the card is answered, and must neither answer the next card
					// nor stop it from hearing its own click.
					for range 2 {
						if err := p.click(buttonID); err != nil {
							return "", err
						}
					}
					clicked = append(clicked, want)
					lastClick, lastButton, clicks, onCard = time.Now(), buttonID, clicks+2, 2
				}
			}
		case "stream":
			if m.ParentHeader.MsgID == execID && m.Content["name"] == "stdout" {
				stdout.WriteString(fmt.Sprint(m.Content["text"]))
			} else if m.ParentHeader.MsgID == execID {
				stderr.WriteString(fmt.Sprint(m.Content["text"]))
			}
		case "execute_reply":
			if m.ParentHeader.MsgID == execID {
				replyStatus = fmt.Sprint(m.Content["status"])
			}
		case "status":
			if !idle && m.ParentHeader.MsgID == execID && m.Content["execution_state"] == "idle" {
				idle, idleAt = true, time.Now()
			}
		}
	}
	if replyStatus != "ok" {
		return "", fmt.Errorf("the widget cell: execute_reply %s (stdout %q, stderr %q)", replyStatus, stdout.String(), stderr.String())
	}

	// The program got the answers clicked, in order.
	want := "answers: " + strings.Join(widgetClicks, " ")
	if got := strings.TrimSpace(stdout.String()); got != want {
		return "", fmt.Errorf("clicked %q; the cell printed %q, want %q (stderr %q)", clicked, got, want, stderr.String())
	}
	// One card per clip, with a spectrogram and a player, each replaced by its answer and the player.
	if len(order) != len(widgetClicks) {
		return "", fmt.Errorf("the oracle showed %d cards for %d clips", len(order), len(widgetClicks))
	}
	for k, id := range order {
		first, last := firstOf[id], cards[id]
		if !strings.Contains(first, `src="data:image/svg+xml;base64,`) || !strings.Contains(first, `<audio controls`) {
			return "", fmt.Errorf("card %d (%s) has no spectrogram image or audio player:\n%.600s", k+1, id, first)
		}
		// The answered card keeps its id and the clip's player, to replay, with the answer in one line.
		wantLine := fmt.Sprintf(`<p style="margin:0">clip %d: <b>%s</b></p>`, 7+k, widgetClicks[k])
		if !strings.HasPrefix(last, fmt.Sprintf(`<div id="%s"`, id)) || !strings.Contains(last, wantLine) ||
			strings.Count(last, "<audio controls") != 1 || strings.Contains(last, "<button") {
			return "", fmt.Errorf("after the click on %q, card %d (%s) shows %.300q, want its id, the line %q, one audio player and no buttons",
				widgetClicks[k], k+1, id, last, wantLine)
		}
	}
	return fmt.Sprintf("the labelling widget (activeui.NotebookOracle) showed %d cards; %s clicked %s (%d clicks) and the cell printed them back (%.1f s)",
		len(order), p.describe(), strings.Join(widgetClicks, ", "), clicks, time.Since(start).Seconds()), nil
}

// buttonLabelled returns the HTML id of the button labelled label in card.
func buttonLabelled(card, label string) (string, error) {
	var labels []string
	for _, m := range reButton.FindAllStringSubmatch(card, -1) {
		if m[2] == label {
			return m[1], nil
		}
		labels = append(labels, m[2])
	}
	return "", fmt.Errorf("buttons %q, none labelled %q", labels, label)
}

var reButton = regexp.MustCompile(`<button id="([^"]*)"[^>]*>([^<]*)</button>`)

// dialKernel opens the server's websocket to the kernel, as the notebook page does.
func dialKernel(base, token, kernelID string) (*websocket.Conn, error) {
	wsURL := "ws" + strings.TrimPrefix(base, "http") + "/api/kernels/" + kernelID + "/channels?token=" + token
	return websocket.Dial(wsURL, "", base)
}

// receiveAll delivers every message ws receives, as text, until it fails.
func receiveAll(ws *websocket.Conn) (<-chan string, <-chan error) {
	msgs, errc := make(chan string), make(chan error, 1)
	go func() {
		for {
			var raw string
			if err := websocket.Message.Receive(ws, &raw); err != nil {
				errc <- err
				return
			}
			msgs <- raw
		}
	}()
	return msgs, errc
}

// Patterns in the JavaScript the kernel sends: GoNB's gonb_comm installer
// (internal/websocket/websocket.js in gonb v0.11.1) and activeui's click script.
var (
	reInstallerKernel = regexp.MustCompile(`_kernel_id: "([^"]*)"`)
	reInstallerTarget = regexp.MustCompile(`target_name: "([^"]*)"`)
	reClickVars       = regexp.MustCompile(`const id = ("(?:[^"\\]|\\.)*"), address = ("(?:[^"\\]|\\.)*");`)
	reClickLoop       = regexp.MustCompile(`for \(let k = 0; k < (\d+); k\+\+\) \{\s*const button = document\.getElementById\(id \+ "_answer_" \+ k\);`)
	reClickSend       = regexp.MustCompile(`button\.addEventListener\("click", \(\) => \{[^}]*const comm = globalThis\.gonb_comm;[\s\S]*comm\.send\(address, id \+ ":" \+ k\);`)
)

// goPage plays the page in Go: it reads the scripts instead of running them and, like
// gonb_comm, sends on a websocket of its own the messages they would send, built as
// GoNB's websocket.js builds them.
type goPage struct {
	base, token, kernelID string

	mu           sync.Mutex
	ws           *websocket.Conn // gonb_comm's websocket (see dialCommSocket)
	commID       string          // the comm_open sent last
	unackedSince time.Time       // when the first comm_open still unacknowledged was sent
	opened       bool            // #comm_open_ack received for commID
	pending      [][2]any        // (address, value) sent before the ack, as gonb_comm.send waits on _is_connected
	buttons      map[string][2]any
	errc         chan error
	stop         chan struct{}
}

// commAckTimeout bounds the wait for "#comm_open_ack" after "comm_open"; GoNB itself gives
// the front end 3 s to open the comm (internal/comms.WaitForConnectionTimeout).
const commAckTimeout = 5 * time.Second

func newGoPage(base, token, kernelID string) (*goPage, error) {
	ws, err := dialCommSocket(base, token, kernelID)
	if err != nil {
		return nil, err
	}
	g := &goPage{base: base, token: token, kernelID: kernelID, ws: ws, buttons: map[string][2]any{},
		errc: make(chan error, 2), stop: make(chan struct{})}
	go g.receive(ws)
	go func() {
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-g.stop:
				return
			case <-tick.C:
			}
			g.mu.Lock()
			late := !g.unackedSince.IsZero() && time.Since(g.unackedSince) > commAckTimeout
			g.mu.Unlock()
			if late {
				g.errc <- fmt.Errorf("no #comm_open_ack from the kernel %v after comm_open: GoNB did not accept the comm as the page opens it", commAckTimeout)
				return
			}
		}
	}()
	return g, nil
}

// dialCommSocket opens the websocket gonb_comm will use, while the kernel is idle.
//
// The page opens it only when GoNB's installer runs, while the cell runs. But the
// notebook server (6.4) makes sure a new websocket's iopub subscription is live (its
// "nudge") only when the kernel is idle, and GoNB answers comm_open from a busy kernel at
// once: the "#comm_open_ack" can then be published before the subscription is live, and
// is lost (opening it when the installer arrives, the Go page lost it in 5 runs of 10,
// the node page in 1 of 10, on a 2-core machine in use). That race is GoNB's and the
// server's; opening the websocket early keeps it out of the first two runs, and the third
// loses an ack on purpose to check that the widget recovers.
func dialCommSocket(base, token, kernelID string) (*websocket.Conn, error) {
	ws, err := dialKernel(base, token, kernelID)
	if err != nil {
		return nil, fmt.Errorf("opening the websocket for gonb_comm: %w", err)
	}
	return ws, nil
}

func (g *goPage) errs() <-chan error { return g.errc }
func (g *goPage) describe() string {
	return "a Go stand-in for the page (messages built as GoNB's websocket.js builds them)"
}
func (g *goPage) close() {
	close(g.stop)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.ws.Close()
}

// jsRawMessage builds a message the way gonb_comm._build_raw_message does in GoNB's
// websocket.js: header with only msg_id and msg_type, the same two at the top level, empty
// parent_header and metadata, channel "shell".
func jsRawMessage(msgType string, content map[string]any) map[string]any {
	id := randomUUID()
	return map[string]any{
		"header":        map[string]any{"msg_id": id, "msg_type": msgType},
		"msg_id":        id,
		"msg_type":      msgType,
		"parent_header": map[string]any{},
		"metadata":      map[string]any{},
		"content":       content,
		"channel":       "shell",
	}
}

// randomUUID returns a random version-4 UUID, like crypto.randomUUID in the browser.
func randomUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// sendLocked is gonb_comm.send(address, value): a comm_msg on the open comm, held back
// until the kernel has acknowledged the comm.
func (g *goPage) sendLocked(address string, value any) error {
	if !g.opened {
		g.pending = append(g.pending, [2]any{address, value})
		return nil
	}
	return websocket.JSON.Send(g.ws, jsRawMessage("comm_msg", map[string]any{
		"comm_id": g.commID,
		"data":    map[string]any{"address": address, "value": value},
	}))
}

func (g *goPage) show(_, html string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case strings.Contains(html, "gonb_comm._connect_to_gonb"):
		// GoNB's installer: the page opens a websocket and sends comm_open on it. A second
		// installer (GoNB reinstalls when a heartbeat goes unanswered) replaces the first.
		kernel, target := reInstallerKernel.FindStringSubmatch(html), reInstallerTarget.FindStringSubmatch(html)
		if kernel == nil || target == nil {
			return fmt.Errorf("GoNB's gonb_comm installer has no _kernel_id or target_name:\n%.400s", html)
		}
		if kernel[1] != g.kernelID {
			return fmt.Errorf("GoNB's gonb_comm installer names kernel %q, the session's is %q", kernel[1], g.kernelID)
		}
		g.commID, g.opened = randomUUID(), false
		if g.unackedSince.IsZero() {
			g.unackedSince = time.Now()
		}
		return websocket.JSON.Send(g.ws, jsRawMessage("comm_open", map[string]any{
			"comm_id": g.commID, "target_name": target[1], "kernel_id": kernel[1], "data": map[string]any{},
		}))

	case strings.Contains(html, "<script>") && strings.Contains(html, `+ "_answer_" + k`):
		// activeui's click script: button id+"_answer_"+k sends id+":"+k to address.
		vars, loop := reClickVars.FindStringSubmatch(html), reClickLoop.FindStringSubmatch(html)
		if vars == nil || loop == nil || !reClickSend.MatchString(html) {
			return fmt.Errorf("activeui's click script does not bind buttons to gonb_comm.send as expected:\n%s", html)
		}
		n, _ := strconv.Atoi(loop[1])
		id, err1 := strconv.Unquote(vars[1])
		address, err2 := strconv.Unquote(vars[2])
		if err1 != nil || err2 != nil {
			return fmt.Errorf("activeui's click script: bad string literal (%v, %v):\n%s", err1, err2, html)
		}
		for k := range n {
			g.buttons[id+"_answer_"+strconv.Itoa(k)] = [2]any{address, id + ":" + strconv.Itoa(k)}
		}
	}
	return nil
}

func (g *goPage) click(buttonID string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	b, ok := g.buttons[buttonID]
	if !ok {
		return fmt.Errorf("clicking %s: no click script bound it", buttonID)
	}
	return g.sendLocked(b[0].(string), b[1])
}

// receive handles what arrives on gonb_comm's websocket as gonb_comm._on_comm_msg does.
func (g *goPage) receive(ws *websocket.Conn) {
	for {
		var m wireMsg
		if err := websocket.JSON.Receive(ws, &m); err != nil {
			return // closed: by close, or replaced after a reinstall
		}
		if err := g.commMsg(m); err != nil {
			g.errc <- err
			return
		}
	}
}

func (g *goPage) commMsg(m wireMsg) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if m.MsgType != "comm_msg" || g.commID == "" || m.Content["comm_id"] != g.commID {
		return nil // not for our comm: the page ignores it
	}
	data, _ := m.Content["data"].(map[string]any)
	switch data["address"] {
	case "#comm_open_ack":
		g.opened, g.unackedSince = true, time.Time{}
		pending := g.pending
		g.pending = nil
		for _, p := range pending {
			if err := g.sendLocked(p[0].(string), p[1]); err != nil {
				return err
			}
		}
	case "#heartbeat/ping":
		return g.sendLocked("#heartbeat/pong", true)
	}
	return nil
}

// setupCell returns the first code cell of the notebook at path: the setup cell the
// generator puts first in every notebook, which points the kernel at this repository.
func setupCell(path string) (string, error) {
	nb, err := notebook.Read(path)
	if err != nil {
		return "", err
	}
	for _, c := range nb.Cells {
		if c.CellType == "code" {
			return c.Text(), nil
		}
	}
	return "", fmt.Errorf("%s has no code cell", path)
}
