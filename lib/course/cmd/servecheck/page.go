package main

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/websocket"
)

// pageJS is the page's stand-in run by node (see page.js).
//
//go:embed page.js
var pageJS string

// nodePage plays the page by running, in node, the scripts the kernel displays: GoNB's
// gonb_comm installer and activeui's click script run as they are, on a fake DOM, and the
// WebSocket gonb_comm opens is relayed to the Jupyter server.
type nodePage struct {
	base, token, kernelID string
	dropAcks              int // how many "#comm_open_ack" to lose on the way to the page
	cmd                   *exec.Cmd
	stdin                 io.WriteCloser
	inMu                  sync.Mutex // one command line at a time on stdin
	errc                  chan error

	mu       sync.Mutex
	ws       *websocket.Conn // gonb_comm's websocket (see dialCommSocket)
	installs int             // WebSockets gonb_comm created: one per installation
	dropped  int             // "#comm_open_ack"s lost
	console  []string        // what the scripts wrote on the console, and what clicks showed
}

// findNode returns node's path, or "" when neither node nor nodejs is installed.
func findNode() string {
	for _, name := range []string{"node", "nodejs"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	return ""
}

// newNodePage starts node on page.js. dropAcks > 0 loses that many of GoNB's
// "#comm_open_ack"s on their way to the page, as the server does when a race loses them
// (see dialCommSocket), to check that the widget recovers.
func newNodePage(node, base, token, kernelID string, dropAcks int) (*nodePage, error) {
	host := strings.TrimPrefix(base, "http://")
	p := &nodePage{base: base, token: token, kernelID: kernelID, dropAcks: dropAcks, errc: make(chan error, 4)}
	p.cmd = exec.Command(node, "-e", pageJS, "--", host)
	p.cmd.Stderr = os.Stderr
	var err error
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting node: %w", err)
	}
	if p.ws, err = dialCommSocket(base, token, kernelID); err != nil {
		_ = p.stdin.Close()
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
		return nil, err
	}
	go p.events(stdout, host)
	return p, nil
}

func (p *nodePage) errs() <-chan error { return p.errc }
func (p *nodePage) describe() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dropAcks == 0 {
		return "node, running GoNB's gonb_comm and activeui's click script on a fake DOM,"
	}
	return fmt.Sprintf("node, with %d of GoNB's #comm_open_ack lost (gonb_comm installed %d times),", p.dropped, p.installs)
}

func (p *nodePage) close() {
	_ = p.stdin.Close() // page.js exits at the end of its input
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		_ = p.cmd.Process.Kill()
	}
	p.ws.Close()
}

// command writes one command to page.js.
func (p *nodePage) command(cmd map[string]any) error {
	line, err := json.Marshal(cmd)
	if err != nil {
		return err
	}
	p.inMu.Lock()
	defer p.inMu.Unlock()
	if _, err := p.stdin.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("writing to node: %w", err)
	}
	return nil
}

func (p *nodePage) show(displayID, html string) error {
	return p.command(map[string]any{"op": "html", "display": displayID, "html": html})
}

func (p *nodePage) click(buttonID string) error {
	status := buttonID[:max(0, strings.LastIndex(buttonID, "_answer_"))] + "_status"
	return p.command(map[string]any{"op": "click", "id": buttonID, "status": status})
}

func (p *nodePage) fail(format string, args ...any) {
	p.mu.Lock()
	console := strings.Join(p.console, "\n")
	p.mu.Unlock()
	select {
	case p.errc <- fmt.Errorf(format+"\n--- the page's console:\n%s", append(args, console)...):
	default:
	}
}

// events handles what page.js reports: it connects the page's WebSocket to the server and
// relays it both ways, and checks that every click reached a listener.
func (p *nodePage) events(stdout io.Reader, host string) {
	lines := bufio.NewScanner(stdout)
	lines.Buffer(make([]byte, 1<<20), 64<<20)
	for lines.Scan() {
		var e struct {
			Op, URL, Data, ID, Text, Status string
			Listeners                       int
		}
		if err := json.Unmarshal(lines.Bytes(), &e); err != nil {
			p.fail("node printed %q: %v", lines.Text(), err)
			return
		}
		switch e.Op {
		case "console":
			p.mu.Lock()
			p.console = append(p.console, e.Text)
			p.mu.Unlock()
			if strings.HasPrefix(e.Text, "error: script threw") {
				p.fail("a script the kernel displayed threw in the page")
				return
			}
		case "ws_open":
			// The browser would send the session cookie; the check adds the token.
			if want := "ws://" + host + "/api/kernels/" + p.kernelID + "/channels"; e.URL != want {
				p.fail("gonb_comm opened its WebSocket on %q, want %q", e.URL, want)
				return
			}
			// The first websocket was opened beforehand (see dialCommSocket); later ones
			// (GoNB reinstalls gonb_comm when the page does not answer its heartbeat)
			// are opened now, as the page does.
			p.mu.Lock()
			ws := p.ws
			if p.installs++; p.installs > 1 {
				ws.Close()
				var err error
				if ws, err = websocket.Dial(e.URL+"?token="+p.token, "", p.base); err != nil {
					p.mu.Unlock()
					p.fail("connecting gonb_comm's WebSocket %s: %v", e.URL, err)
					return
				}
				p.ws = ws
			}
			p.mu.Unlock()
			go p.relay(ws)
		case "ws_send":
			p.mu.Lock()
			ws, opened := p.ws, p.installs > 0
			p.mu.Unlock()
			if !opened {
				p.fail("the page sent on a WebSocket it never opened: %.200s", e.Data)
				return
			}
			if err := websocket.Message.Send(ws, e.Data); err != nil {
				p.fail("relaying the page's message to the server: %v", err)
				return
			}
		case "clicked":
			p.mu.Lock()
			p.console = append(p.console, fmt.Sprintf("(clicked %s; its card's status line says %q)", e.ID, e.Status))
			p.mu.Unlock()
			if e.Listeners <= 0 {
				p.fail("clicked button %s, but no script bound a click listener to it (%d)", e.ID, e.Listeners)
				return
			}
		}
	}
}

// relay hands what the server sends on gonb_comm's WebSocket to the page.
func (p *nodePage) relay(ws *websocket.Conn) {
	for {
		var raw string
		if err := websocket.Message.Receive(ws, &raw); err != nil {
			return // closed: at the end, or replaced by a new one
		}
		if strings.Contains(raw, `"#comm_open_ack"`) {
			p.mu.Lock()
			drop := p.dropped < p.dropAcks
			if drop {
				p.dropped++
			}
			p.mu.Unlock()
			if drop {
				continue
			}
		}
		if err := p.command(map[string]any{"op": "message", "data": raw}); err != nil {
			p.fail("%v", err)
			return
		}
	}
}
