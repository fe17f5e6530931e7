package activeui

import (
	"encoding/json"
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

// clickHarness runs in node before each scenario: a DOM with one card's three buttons
// and its status line, comms that record what is sent on them, and timers that run only
// when the scenario says so. script holds clickScript's output.
const clickHarness = `
const elements = new Map();
const element = (id) => {
  const listeners = [];
  return { id, textContent: "", addEventListener: (type, fn) => { if (type === "click") listeners.push(fn); },
           click: () => listeners.forEach((fn) => fn({})) };
};
for (const id of ["card_answer_0", "card_answer_1", "card_answer_2", "card_status"]) elements.set(id, element(id));
globalThis.document = { getElementById: (id) => elements.get(id) ?? null };
const sent = {};
const install = (name) => { sent[name] = []; globalThis.gonb_comm = { send: (address, value) => sent[name].push([address, value]) }; };
const uninstall = () => { delete globalThis.gonb_comm; };
const timers = [];
globalThis.setTimeout = (fn, ms) => timers.push([fn, ms]);
const fire = () => timers.splice(0).forEach(([fn]) => fn());
const run = () => (0, eval)(script);
const click = (k) => elements.get("card_answer_" + k)?.click();
const replaceCard = () => { for (const k of [0, 1, 2]) elements.delete("card_answer_" + k); };
console.error = () => {};
`

// TestClickScript runs clickScript in node against a fake page: each click must reach
// the gonb_comm installed at the time of the click (GoNB installs a new one when the page
// lost its connection), and the status line must say when it cannot.
func TestClickScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if node, err = exec.LookPath("nodejs"); err != nil {
			t.Skip("node is not installed: clickScript's JavaScript is not run")
		}
	}
	const address = "/dawnchorus/active/answer"
	const sentWaiting = "sent, waiting for the program…"
	const notConnected = "not connected to the kernel yet: click again in a few seconds"
	const noReply = "no reply from the program yet: click again in a few seconds"
	tests := []struct {
		name, steps string
		sent        map[string][][2]any // comm name → (address, value) sent on it
		status      string
	}{
		{"connected", `install("A"); run(); click(1);`,
			map[string][][2]any{"A": {{address, "card:1"}}}, sentWaiting},
		{"each button sends the card and its index", `install("A"); run(); click(2); click(0);`,
			map[string][][2]any{"A": {{address, "card:2"}, {address, "card:0"}}}, sentWaiting},
		{"gonb_comm installed after the script ran", `run(); install("B"); click(2);`,
			map[string][][2]any{"B": {{address, "card:2"}}}, sentWaiting},
		{"gonb_comm replaced between clicks", `install("A"); run(); click(0); install("B"); click(1);`,
			map[string][][2]any{"A": {{address, "card:0"}}, "B": {{address, "card:1"}}}, sentWaiting},
		{"no gonb_comm at the click", `install("A"); run(); uninstall(); click(0);`,
			map[string][][2]any{"A": {}}, notConnected},
		{"no reply within replyWait", `install("A"); run(); click(1); fire();`,
			map[string][][2]any{"A": {{address, "card:1"}}}, noReply},
		{"card replaced by the answer", `install("A"); run(); click(1); replaceCard(); fire();`,
			map[string][][2]any{"A": {{address, "card:1"}}}, sentWaiting},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			script, _ := json.Marshal(clickScript("card", address, 3))
			program := "const script = " + string(script) + ";\n" + clickHarness + tt.steps +
				`
const waits = timers.map(([, ms]) => ms);
console.log(JSON.stringify({ sent, status: elements.get("card_status").textContent, waits }));`
			out, err := exec.Command(node, "-e", program).CombinedOutput()
			if err != nil {
				t.Fatalf("node: %v\n%s", err, out)
			}
			var got struct {
				Sent   map[string][][2]any
				Status string
				Waits  []float64
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("node printed %q: %v", out, err)
			}
			want := map[string][][2]any{}
			for name, msgs := range tt.sent {
				want[name] = append([][2]any{}, msgs...)
			}
			if !reflect.DeepEqual(got.Sent, want) {
				t.Errorf("sent %v, want %v", got.Sent, want)
			}
			if got.Status != tt.status {
				t.Errorf("status line %q, want %q", got.Status, tt.status)
			}
			for _, ms := range got.Waits {
				if ms != replyWait {
					t.Errorf("a click waits %v ms for the reply, want replyWait = %d", ms, replyWait)
				}
			}
			if strings.Contains(tt.steps, "fire()") && len(got.Waits) != 0 {
				t.Errorf("timers left after fire(): %v", got.Waits)
			}
		})
	}
}
