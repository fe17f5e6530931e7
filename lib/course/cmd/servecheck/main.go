// Command servecheck checks that `make jupyter` really serves the course: it starts the
// target with a known token on a free port of 127.0.0.1 (lib/course/jupyter), checks that
// the server keeps its runtime files in build/jupyter/runtime, refuses requests without
// the token, lists every notebook, offers the GoNB kernel, and starts a
// GoNB kernel for a lesson and runs a cell on it through the same websocket a browser
// uses. Then it checks that the labelling widget of lesson 04b (activeui.NotebookOracle)
// works when a person clicks it, and stops the server.
//
// The widget check runs the lesson's setup cell, then a cell that asks NotebookOracle
// about 3 clips of a tone (Yes / No / Unsure cards with spectrogram and player) and prints
// the answers, while servecheck plays the notebook page: it reads each card from the
// display_data the kernel sends, waits for the script that binds the card's buttons, and
// double-clicks "no", then "yes", then "unsure" (the second click of each must be ignored:
// it neither answers the next card nor stops it from hearing its own clicks, which with
// GoNB v0.11.1's comms takes one address that is always listened to, see activeui's
// answerAddress). It passes when the cell prints exactly those
// answers, in that order, and each card ends replaced by its answer ("clip 7: no") and its
// clip's player, to replay. The
// page is played three times, on one kernel:
//
//   - by Go, which reads GoNB's gonb_comm installer (its kernel id and comm target) and
//     activeui's click script (its card id, address and buttons) and sends the messages
//     they would: comm_open, "#heartbeat/pong", and comm_msg {address, value: k}, built as
//     GoNB v0.11.1's websocket.js builds them;
//   - by node, when installed, running those scripts as they are (page.js: a fake DOM that
//     knows the elements with an id of the displayed HTML, a fake WebSocket relayed to the
//     server), so the button → gonb_comm.send binding itself is exercised;
//   - by node again, losing GoNB's first "#comm_open_ack" on its way to the page (as the
//     server sometimes does, see dialCommSocket): gonb_comm gives up, the first click is
//     lost, and the widget must recover (GoNB reinstalls gonb_comm, the person clicks
//     again).
//
// What it does not check: no browser renders the card or runs its scripts (node's fake
// DOM is no browser: no layout, no audio, no real <script> insertion by Jupyter's output
// area), the page's login cookie is replaced by the token, gonb_comm's websocket is opened
// while the kernel is idle rather than by the installer (see dialCommSocket), and the
// spectrogram and audio are only checked to be there (lib/active/activeui's tests check
// their content). lib/course/cmd/browsercheck does those in Chromium, with lesson 04b's own
// labelling cell; what only servecheck does is lose an acknowledgement on purpose (the
// third run), which a real browser cannot be made to do on cue.
//
//	go run ./lib/course/cmd/servecheck [-timeout 90s] [-widget-timeout 90s]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/course/jupyter"
	"golang.org/x/net/websocket"
)

func main() {
	timeout := flag.Duration("timeout", 90*time.Second, "how long the server and the kernel may take to start")
	widgetTimeout := flag.Duration("widget-timeout", 90*time.Second, "how long the labelling widget's cell may take, compiling included")
	flag.Parse()
	if err := run(*timeout, *widgetTimeout); err != nil {
		fmt.Fprintln(os.Stderr, "servecheck:", err)
		os.Exit(1)
	}
}

func run(timeout, widgetTimeout time.Duration) error {
	srv, err := jupyter.Start(jupyter.Options{Timeout: timeout})
	if err != nil {
		return err
	}
	defer srv.Stop()
	base, token, fail := srv.Base, srv.Token, srv.Fail
	deadline := time.Now().Add(timeout)
	log := srv.Log()
	if !strings.Contains(log, "127.0.0.1") || !strings.Contains(log, "token=") {
		return fail("make jupyter did not print a URL with a token")
	}
	// Jupyter keeps its runtime files (this server's info, the kernels' connection files)
	// in build/jupyter/runtime, not in the home directory (the Makefile's JUPYTER_RUNTIME_DIR).
	if err := serverInfoIn(filepath.Join("build", "jupyter", "runtime"), base); err != nil {
		return fail("%v", err)
	}

	// Token auth is on.
	resp, err := http.Get(base + "/api/contents")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusUnauthorized {
		return fail("a request without the token got HTTP %d, want 403", resp.StatusCode)
	}

	// Every notebook is served.
	var contents struct {
		Content []struct{ Name string } `json:"content"`
	}
	if err := getJSON(base+"/api/contents?token="+token, &contents); err != nil {
		return fail("listing notebooks: %v", err)
	}
	served := map[string]bool{}
	for _, c := range contents.Content {
		served[c.Name] = true
	}
	want, _ := filepath.Glob("notebooks/*.ipynb")
	if len(want) == 0 {
		return fail("no notebooks in notebooks/")
	}
	sort.Strings(want)
	for _, path := range want {
		if !served[filepath.Base(path)] {
			return fail("the server does not list %s", path)
		}
	}

	// The GoNB kernel is registered, and starts for a lesson.
	var specs struct {
		Kernelspecs map[string]any `json:"kernelspecs"`
	}
	if err := getJSON(base+"/api/kernelspecs?token="+token, &specs); err != nil {
		return fail("listing kernels: %v", err)
	}
	if _, ok := specs.Kernelspecs["gonb"]; !ok {
		return fail("the server offers no gonb kernel")
	}
	body := fmt.Sprintf(`{"path":%q,"type":"notebook","kernel":{"name":"gonb"}}`, filepath.Base(want[0]))
	resp, err = http.Post(base+"/api/sessions?token="+token, "application/json", strings.NewReader(body))
	if err != nil {
		return err
	}
	var session struct {
		ID     string `json:"id"`
		Kernel struct {
			ID string `json:"id"`
		} `json:"kernel"`
	}
	err = json.NewDecoder(resp.Body).Decode(&session)
	resp.Body.Close()
	if err != nil || session.Kernel.ID == "" {
		return fail("starting a gonb session for %s: HTTP %d, %v", want[0], resp.StatusCode, err)
	}
	output, err := executeCell(base, token, session.Kernel.ID, "import \"fmt\"\n%%\nfmt.Println(6 * 7)", time.Until(deadline))
	if err != nil {
		return fail("running a cell on the gonb kernel: %v", err)
	}
	if strings.TrimSpace(output) != "42" {
		return fail("the cell printing 6*7 printed %q", output)
	}

	// The labelling widget works when clicked.
	setup, err := setupCell(want[0])
	if err != nil {
		return fail("%v", err)
	}
	if _, err := executeCell(base, token, session.Kernel.ID, setup, time.Until(deadline)); err != nil {
		return fail("running the setup cell of %s: %v", want[0], err)
	}
	gp, err := newGoPage(base, token, session.Kernel.ID)
	if err != nil {
		return fail("%v", err)
	}
	widget, err := checkWidget(base, token, session.Kernel.ID, gp, widgetTimeout)
	if err != nil {
		return fail("the labelling widget, clicked by the Go stand-in for the page: %v", err)
	}
	widgetJS := []string{"node is not installed: the page's JavaScript was not run"}
	if node := findNode(); node != "" {
		widgetJS = nil
		// Then with the JavaScript run in node, first as it should go, then with GoNB's
		// first "#comm_open_ack" lost on its way to the page.
		for _, dropAcks := range []int{0, 1} {
			// A new page: GoNB notices the old one is gone only when a heartbeat goes
			// unanswered, and it sends one only after 1 s without news from the page
			// (internal/comms.HeartbeatRequestThreshold); sooner, it would not install
			// gonb_comm in the new page.
			time.Sleep(1500 * time.Millisecond)
			p, err := newNodePage(node, base, token, session.Kernel.ID, dropAcks)
			if err != nil {
				return fail("%v", err)
			}
			summary, err := checkWidget(base, token, session.Kernel.ID, p, widgetTimeout)
			if err != nil {
				return fail("the labelling widget, clicked in node running the page's JavaScript (%d acks lost): %v", dropAcks, err)
			}
			widgetJS = append(widgetJS, summary)
		}
	}
	req, _ := http.NewRequest(http.MethodDelete, base+"/api/sessions/"+session.ID+"?token="+token, nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	fmt.Printf("servecheck: make jupyter served %d notebooks on 127.0.0.1 with token auth, and a gonb kernel ran a cell (6*7 = 42) for %s\n",
		len(want), filepath.Base(want[0]))
	for _, summary := range append([]string{widget}, widgetJS...) {
		fmt.Printf("servecheck: %s\n", summary)
	}
	return nil
}

func getJSON(url string, v any) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d", strings.Split(url, "?")[0], resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// serverInfoIn checks that the Jupyter server at base wrote its nbserver-PID.json into dir.
func serverInfoIn(dir, base string) error {
	files, _ := filepath.Glob(filepath.Join(dir, "nbserver-*.json"))
	for _, f := range files {
		var info struct {
			URL string `json:"url"`
		}
		data, err := os.ReadFile(f)
		if err == nil && json.Unmarshal(data, &info) == nil && strings.HasPrefix(info.URL, base) {
			return nil
		}
	}
	return fmt.Errorf("the server's runtime file (nbserver-PID.json for %s) is not in %s", base, dir)
}

// executeCell sends code to the kernel over the server's websocket, as the notebook
// page does, and returns what the cell printed on stdout once the kernel replies.
func executeCell(base, token, kernelID, code string, timeout time.Duration) (string, error) {
	wsURL := "ws" + strings.TrimPrefix(base, "http") + "/api/kernels/" + kernelID + "/channels?token=" + token
	ws, err := websocket.Dial(wsURL, "", base)
	if err != nil {
		return "", err
	}
	defer ws.Close()
	_ = ws.SetDeadline(time.Now().Add(timeout))
	msgID := fmt.Sprintf("servecheck-%d", time.Now().UnixNano())
	request := map[string]any{
		"header": map[string]any{"msg_id": msgID, "username": "servecheck", "session": msgID,
			"msg_type": "execute_request", "version": "5.3"},
		"parent_header": map[string]any{},
		"metadata":      map[string]any{},
		"content": map[string]any{"code": code, "silent": false, "store_history": true,
			"user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true},
		"channel": "shell",
	}
	if err := websocket.JSON.Send(ws, request); err != nil {
		return "", err
	}
	var stdout, stderr strings.Builder
	var replyStatus string
	idle := false
	for {
		var msg struct {
			Channel      string `json:"channel"`
			MsgType      string `json:"msg_type"`
			ParentHeader struct {
				MsgID string `json:"msg_id"`
			} `json:"parent_header"`
			Content map[string]any `json:"content"`
		}
		if err := websocket.JSON.Receive(ws, &msg); err != nil {
			return stdout.String(), fmt.Errorf("waiting for the kernel (stderr so far %q): %w", stderr.String(), err)
		}
		if msg.ParentHeader.MsgID != msgID {
			continue
		}
		switch {
		case msg.MsgType == "stream" && msg.Content["name"] == "stdout":
			stdout.WriteString(fmt.Sprint(msg.Content["text"]))
		case msg.MsgType == "stream":
			stderr.WriteString(fmt.Sprint(msg.Content["text"]))
		case msg.MsgType == "execute_reply":
			replyStatus = fmt.Sprint(msg.Content["status"])
		case msg.MsgType == "status" && msg.Content["execution_state"] == "idle":
			idle = true
		}
		// The reply (shell channel) and the output (iopub) travel apart: the cell is
		// done when both the reply and iopub's "idle" for this request have come.
		if replyStatus != "" && idle {
			if replyStatus != "ok" {
				return stdout.String(), fmt.Errorf("execute_reply %s (stderr %q)", replyStatus, stderr.String())
			}
			return stdout.String(), nil
		}
	}
}
