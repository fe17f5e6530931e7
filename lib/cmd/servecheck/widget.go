package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

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

// Patterns in the JavaScript the kernel sends: GoNB's gonb_comm installer
// (internal/websocket/websocket.js in gonb v0.11.1) and activeui's click script.
var (
	reInstallerKernel = regexp.MustCompile(`_kernel_id: "([^"]*)"`)
	reInstallerTarget = regexp.MustCompile(`target_name: "([^"]*)"`)
	reClickCount      = regexp.MustCompile(`for \(let k = 0; k < (\d+); k\+\+\)`)
	reClickID         = regexp.MustCompile(`document\.getElementById\(("(?:[^"\\]|\\.)*") \+ "_answer_" \+ k\)`)
	reClickSend       = regexp.MustCompile(`button\.addEventListener\("click", \(\) => comm\.send\(("(?:[^"\\]|\\.)*"), k\)\)`)
)

// frontEnd plays the notebook page's part for the widget cell: it keeps what the page
// would show, opens GoNB's comm when the kernel installs gonb_comm, and clicks buttons.
type frontEnd struct {
	ws       *websocket.Conn
	kernelID string

	commID       string    // set when comm_open is sent
	commOpenSent time.Time // when; the ack must follow within commAckTimeout
	opened       bool      // #comm_open_ack received
	pending      []any     // comm_msgs waiting for the ack, as gonb_comm.send waits on _is_connected

	cards   map[string]string // display id → the HTML it shows now
	order   []string          // card display ids, in the order they appeared
	firstOf map[string]string // display id → the card as first shown, with its buttons
	clicked []string          // labels clicked, in order
}

// commAckTimeout bounds the wait for "#comm_open_ack" after "comm_open"; GoNB itself gives
// the front end 3 s to open the comm (internal/comms.WaitForConnectionTimeout).
const commAckTimeout = 5 * time.Second

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

// send is gonb_comm.send(address, value): a comm_msg on the open comm, queued until the
// kernel has acknowledged the comm.
func (f *frontEnd) send(address string, value any) error {
	msg := jsRawMessage("comm_msg", map[string]any{
		"comm_id": f.commID,
		"data":    map[string]any{"address": address, "value": value},
	})
	if !f.opened {
		f.pending = append(f.pending, msg)
		return nil
	}
	return websocket.JSON.Send(f.ws, msg)
}

// onHTML handles HTML the kernel displays or updates: GoNB's installer script, an
// activeui card, or activeui's click script.
func (f *frontEnd) onHTML(html, displayID string) error {
	switch {
	case strings.Contains(html, "gonb_comm._connect_to_gonb"):
		// The page would run the installer: it opens a websocket and sends comm_open.
		kernel, target := reInstallerKernel.FindStringSubmatch(html), reInstallerTarget.FindStringSubmatch(html)
		if kernel == nil || target == nil {
			return fmt.Errorf("GoNB's gonb_comm installer has no _kernel_id or target_name:\n%.400s", html)
		}
		if kernel[1] != f.kernelID {
			return fmt.Errorf("GoNB's gonb_comm installer names kernel %q, the session's is %q", kernel[1], f.kernelID)
		}
		if f.commID != "" {
			return fmt.Errorf("GoNB installed gonb_comm a second time (the first comm_open was not accepted?)")
		}
		f.commID, f.commOpenSent = randomUUID(), time.Now()
		return websocket.JSON.Send(f.ws, jsRawMessage("comm_open", map[string]any{
			"comm_id": f.commID, "target_name": target[1], "kernel_id": kernel[1], "data": map[string]any{},
		}))

	case strings.Contains(html, "<script>") && strings.Contains(html, `+ "_answer_" + k`):
		return f.onClickScript(html)

	case strings.HasPrefix(displayID, "dawnchorus_active_"):
		if _, seen := f.cards[displayID]; !seen {
			f.order = append(f.order, displayID)
			f.firstOf[displayID] = html
		}
		f.cards[displayID] = html
	}
	return nil
}

// onClickScript reads which card's buttons the script binds to which address, and
// clicks the next answer of widgetClicks on that card.
func (f *frontEnd) onClickScript(js string) error {
	count, idm, sendm := reClickCount.FindStringSubmatch(js), reClickID.FindStringSubmatch(js), reClickSend.FindStringSubmatch(js)
	if count == nil || idm == nil || sendm == nil {
		return fmt.Errorf("activeui's click script does not bind buttons to gonb_comm.send as expected:\n%s", js)
	}
	n, _ := strconv.Atoi(count[1])
	id, err1 := strconv.Unquote(idm[1])
	address, err2 := strconv.Unquote(sendm[1])
	if err1 != nil || err2 != nil {
		return fmt.Errorf("activeui's click script: bad string literal (%v, %v):\n%s", err1, err2, js)
	}
	card, ok := f.cards[id]
	if !ok {
		return fmt.Errorf("activeui's click script binds the buttons of %q, which no card shown so far has as display id", id)
	}
	if len(f.clicked) >= len(widgetClicks) {
		return fmt.Errorf("the oracle asked about more than the %d clips it was given", len(widgetClicks))
	}
	want := widgetClicks[len(f.clicked)]
	var labels []string
	for k := range n {
		// The page's document.getElementById(id + "_answer_" + k) finds this button.
		m := regexp.MustCompile(`<button id="` + regexp.QuoteMeta(id+"_answer_"+strconv.Itoa(k)) + `"[^>]*>([^<]*)</button>`).FindStringSubmatch(card)
		if m == nil {
			return fmt.Errorf("card %s has no button %s_answer_%d for its click script:\n%s", id, id, k, card)
		}
		labels = append(labels, m[1])
		if m[1] == want {
			// The click: the listener calls comm.send(address, k).
			f.clicked = append(f.clicked, want)
			return f.send(address, k)
		}
	}
	return fmt.Errorf("card %s has buttons %q, none labelled %q", id, labels, want)
}

// onCommMsg handles a comm_msg from the kernel as gonb_comm._on_comm_msg does.
func (f *frontEnd) onCommMsg(content map[string]any) error {
	if f.commID == "" || content["comm_id"] != f.commID {
		return nil // not our comm: the page ignores it
	}
	data, _ := content["data"].(map[string]any)
	switch data["address"] {
	case "#comm_open_ack":
		f.opened = true
		for _, msg := range f.pending {
			if err := websocket.JSON.Send(f.ws, msg); err != nil {
				return err
			}
		}
		f.pending = nil
	case "#heartbeat/ping":
		return f.send("#heartbeat/pong", true)
	}
	return nil
}

// checkWidget runs the widget cell on the kernel while playing the page's part, and
// checks that the cell printed the answers clicked and that each card ends showing its
// answer. It returns a one-line summary.
func checkWidget(base, token, kernelID string, timeout time.Duration) (string, error) {
	wsURL := "ws" + strings.TrimPrefix(base, "http") + "/api/kernels/" + kernelID + "/channels?token=" + token
	ws, err := websocket.Dial(wsURL, "", base)
	if err != nil {
		return "", err
	}
	defer ws.Close()
	start := time.Now()
	deadline := start.Add(timeout)
	_ = ws.SetDeadline(deadline)

	msgs := make(chan wireMsg)
	readErr := make(chan error, 1)
	go func() {
		for {
			var m wireMsg
			if err := websocket.JSON.Receive(ws, &m); err != nil {
				readErr <- err
				return
			}
			msgs <- m
		}
	}()

	execID := "servecheck-widget-" + randomUUID()
	labelSeconds := int(timeout.Seconds())
	request := map[string]any{
		"header": map[string]any{"msg_id": execID, "username": "servecheck", "session": execID,
			"msg_type": "execute_request", "version": "5.3"},
		"parent_header": map[string]any{},
		"metadata":      map[string]any{},
		"content": map[string]any{"code": fmt.Sprintf(widgetCell, len(widgetClicks), labelSeconds),
			"silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false,
			"stop_on_error": true},
		"channel": "shell",
	}
	if err := websocket.JSON.Send(ws, request); err != nil {
		return "", err
	}

	f := &frontEnd{ws: ws, kernelID: kernelID, cards: map[string]string{}, firstOf: map[string]string{}}
	var stdout, stderr strings.Builder
	var replyStatus string
	idle := false
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for replyStatus == "" || !idle {
		select {
		case err := <-readErr:
			return "", fmt.Errorf("waiting for the widget cell (clicked %q so far; stdout %q; stderr %q): %w",
				f.clicked, stdout.String(), stderr.String(), err)
		case <-tick.C:
			if f.commID != "" && !f.opened && time.Since(f.commOpenSent) > commAckTimeout {
				return "", fmt.Errorf("no #comm_open_ack from the kernel %v after comm_open: GoNB did not accept the comm as the page opens it", commAckTimeout)
			}
			continue
		case m := <-msgs:
			switch m.MsgType {
			case "display_data", "update_display_data":
				data, _ := m.Content["data"].(map[string]any)
				html, _ := data["text/html"].(string)
				transient, _ := m.Content["transient"].(map[string]any)
				displayID, _ := transient["display_id"].(string)
				err = f.onHTML(html, displayID)
			case "comm_msg":
				err = f.onCommMsg(m.Content)
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
				idle = idle || (m.ParentHeader.MsgID == execID && m.Content["execution_state"] == "idle")
			}
			if err != nil {
				return "", err
			}
		}
	}
	if replyStatus != "ok" {
		return "", fmt.Errorf("the widget cell: execute_reply %s (stdout %q, stderr %q)", replyStatus, stdout.String(), stderr.String())
	}

	// The program got the answers clicked, in order.
	want := "answers: " + strings.Join(widgetClicks, " ")
	if got := strings.TrimSpace(stdout.String()); got != want {
		return "", fmt.Errorf("clicked %q; the cell printed %q, want %q (stderr %q)", f.clicked, got, want, stderr.String())
	}
	// One card per clip, with a spectrogram and a player, each replaced by its answer.
	if len(f.order) != len(widgetClicks) {
		return "", fmt.Errorf("the oracle showed %d cards for %d clips", len(f.order), len(widgetClicks))
	}
	for k, id := range f.order {
		first, last := f.firstOf[id], f.cards[id]
		if !strings.Contains(first, `src="data:image/svg+xml;base64,`) || !strings.Contains(first, `<audio controls`) {
			return "", fmt.Errorf("card %d (%s) has no spectrogram image or audio player:\n%.600s", k+1, id, first)
		}
		wantLast := fmt.Sprintf("<p>clip %d: <b>%s</b></p>", 7+k, widgetClicks[k])
		if last != wantLast {
			return "", fmt.Errorf("after the click on %q, card %d (%s) shows %q, want %q", widgetClicks[k], k+1, id, last, wantLast)
		}
	}
	return fmt.Sprintf("the labelling widget (activeui.NotebookOracle) showed %d cards, got the clicks %s over gonb_comm and printed them back, in %.1f s",
		len(f.order), strings.Join(widgetClicks, ", "), time.Since(start).Seconds()), nil
}

// setupCell returns the first code cell of the notebook at path: the setup cell the
// generator puts first in every notebook, which points the kernel at this repository.
func setupCell(path string) (string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var nb struct {
		Cells []struct {
			CellType string   `json:"cell_type"`
			Source   []string `json:"source"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(raw, &nb); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	for _, c := range nb.Cells {
		if c.CellType == "code" {
			return strings.Join(c.Source, ""), nil
		}
	}
	return "", fmt.Errorf("%s has no code cell", path)
}
