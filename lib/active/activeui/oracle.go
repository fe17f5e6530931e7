package activeui

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/celloutput"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
	"github.com/dawnchorus/dawnchorus/lib/spectro/spectroplots"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
	"github.com/janpfeifer/gonb/gonbui/dom"
)

// ErrNotNotebook is returned by NotebookOracle.Label outside a GoNB notebook, where no one
// can click.
var ErrNotNotebook = errors.New("activeui: NotebookOracle needs a GoNB notebook to show clips and wait for clicks " +
	"(gonbui.IsNotebook is false); use active.NewSimulatedOracle for tests and headless runs")

// NotebookOracle asks a person in a GoNB notebook about each clip: it shows the clip's
// spectrogram and an audio player with answer buttons, and waits for a click. It
// implements active.Oracle. The zero value asks Yes / No / Unsure questions.
type NotebookOracle struct {
	// ClassNames, when set, gives one button per class (answering its index) instead of
	// Yes and No; use it when active.Options.YesNo is false.
	ClassNames []string
	// Question is shown above the buttons ("Is this a song thrush?").
	Question string
	// Spectrogram is how the clip is drawn (lib/spectro/spectroplots.DecibelSVG); the zero
	// value means NFFT 512, hop 128, centred frames. It is shown in dB over an 80 dB range.
	Spectrogram spectro.Options
}

// choice is one answer button.
type choice struct {
	label  string
	answer active.Answer
}

func (n *NotebookOracle) choices() []choice {
	var cs []choice
	if n.ClassNames == nil {
		cs = []choice{{"yes", active.Yes}, {"no", active.No}}
	} else {
		for c, name := range n.ClassNames {
			cs = append(cs, choice{name, active.Answer(c)})
		}
	}
	return append(cs, choice{"unsure", active.Unsure})
}

// Label implements active.Oracle: it asks about the items one at a time, in order. It
// returns ErrNotNotebook outside a notebook, and ctx's error when ctx ends before every
// item is answered.
func (n *NotebookOracle) Label(ctx context.Context, items []active.Item) ([]active.Answer, error) {
	if !gonbui.IsNotebook {
		return nil, ErrNotNotebook
	}
	comms.Start() // installs the notebook's side of GoNB's comms, as %widgets does.
	answers := make([]active.Answer, len(items))
	for k, it := range items {
		a, err := n.ask(ctx, it, fmt.Sprintf("clip %d of %d", k+1, len(items)))
		if err != nil {
			return nil, err
		}
		answers[k] = a
	}
	return answers, nil
}

// answerAddress is the one GoNB comms address every card's buttons send to, as the
// string "<card id>:<button index>"; answers holds what arrives there.
const answerAddress = "/dawnchorus/active/answer"

// answers is the process's one listener on answerAddress, started by listenAnswers and
// never closed. GoNB v0.11.1 leaves its subscriptions locked for good when a message
// arrives for an address nobody listens to any more (gonbui/comms.dispatchValueUpdates
// returns without unlocking), which would hang the next card: a second click on a card
// already answered, or a click on a card from an earlier run, would do it. With one
// address that always has a listener, such clicks arrive here and are dropped by ask.
var answers struct {
	once sync.Once
	c    chan string
}

// listenAnswers starts the listener on answerAddress, once, and returns its messages.
func listenAnswers() <-chan string {
	answers.once.Do(func() {
		answers.c = make(chan string, 64)
		in := comms.Listen[string](answerAddress)
		go func() {
			for v := range in.C {
				select {
				case answers.c <- v:
				default: // Nobody is asking and the buffer is full: a stale click, dropped.
				}
			}
		}()
	})
	return answers.c
}

// ask shows one card and waits for its answer.
func (n *NotebookOracle) ask(ctx context.Context, it active.Item, progress string) (active.Answer, error) {
	id := "dawnchorus_active_" + gonbui.UniqueId()
	card, err := n.CardHTML(it, id, progress)
	if err != nil {
		return 0, err
	}
	choices := n.choices()
	clicks := listenAnswers()
	celloutput.Before() // the card goes below the text printed before it
	gonbui.UpdateHTML(id, card)
	dom.TransientJavascript(clickScript(id, answerAddress, len(choices)))
	recheck := time.NewTicker(recheckEvery)
	defer recheck.Stop()
	for {
		select {
		case <-recheck.C:
			// GoNB checks the page's connection only when the program talks to it: this
			// makes it ping the page and, when the page lost gonb_comm, install a new one,
			// which the buttons use at their next click.
			comms.Start()
		case <-ctx.Done():
			if done, err := n.recordHTML(it, id, "not answered ("+ctx.Err().Error()+")", false); err == nil {
				gonbui.UpdateHTML(id, done)
			}
			_ = celloutput.After("a labelling card")
			return 0, fmt.Errorf("activeui: waiting for an answer about clip %d: %w", it.Index, ctx.Err())
		case msg := <-clicks:
			card, button, ok := strings.Cut(msg, ":")
			k, err := strconv.Atoi(button)
			if !ok || card != id || err != nil || k < 0 || k >= len(choices) {
				continue // Another card's click (answered already, or from an earlier run).
			}
			done, err := n.AnsweredHTML(it, id, choices[k].label)
			if err != nil {
				return 0, err
			}
			gonbui.UpdateHTML(id, done)
			// The answered card reaches the notebook before the cell prints the answers
			// (servecheck once saw card 3's answer arrive after the cell's text).
			if err := celloutput.After("a labelling card"); err != nil {
				return 0, fmt.Errorf("activeui: %w", err)
			}
			return choices[k].answer, nil
		}
	}
}

// recheckEvery is how often ask, while it waits for a click, has GoNB check that the page
// still holds its end of the connection (gonb_comm). The page can lose it: gonb_comm gives
// up when GoNB's "#comm_open_ack" does not reach it within 0.5 s, which happens when the
// notebook server (6.4) has not yet subscribed gonb_comm's new websocket to the kernel's
// output while a cell runs (lib/course/cmd/servecheck lost 1 in 10 that way), or the page was
// reloaded. GoNB only notices on its next message from the program.
const recheckEvery = 2 * time.Second

// replyWait is how long, in milliseconds, a clicked card waits for the program to replace
// it before telling the person to click again.
const replyWait = 3000

// clickScript makes button k of the card id send "<id>:<k>" to address when clicked. It looks
// gonb_comm up at each click, not once: GoNB installs a new one when the page lost its
// connection (see recheckEvery). The card's status line (id+"_status") says when a click
// could not be sent, or got no reply within replyWait.
func clickScript(id, address string, numChoices int) string {
	return fmt.Sprintf(`(() => {
  const id = %q, address = %q;
  const say = (text) => { const s = document.getElementById(id + "_status"); if (s) { s.textContent = text; } };
  for (let k = 0; k < %d; k++) {
    const button = document.getElementById(id + "_answer_" + k);
    if (!button) { continue; }
    button.addEventListener("click", () => {
      const comm = globalThis.gonb_comm;
      if (!comm) {
        console.error("dawnchorus: GoNB comms are not set up (yet); the answer cannot reach the program.");
        say("not connected to the kernel yet: click again in a few seconds");
        return;
      }
      comm.send(address, id + ":" + k);
      say("sent, waiting for the program…");
      setTimeout(() => {
        if (document.getElementById(id + "_answer_" + k)) { say("no reply from the program yet: click again in a few seconds"); }
      }, %d);
    });
  }
})();`, id, address, numChoices, replyWait)
}

// describe names a clip in one line: "clip 12 (a.wav 3.0–6.0 s)".
func describe(it active.Item) string {
	s := fmt.Sprintf("clip %d", it.Index)
	if it.Key.File != "" || it.Key.EndSeconds > 0 {
		s += fmt.Sprintf(" (%s %.1f–%.1f s)", it.Key.File, it.Key.StartSeconds, it.Key.EndSeconds)
	}
	return s
}

// CardHTML returns the HTML card NotebookOracle shows for it: a header naming the clip
// and progress, its spectrogram as an SVG image and an audio player (both data URIs;
// left out when the item has no samples), the question, one button per answer with
// HTML ids id+"_answer_0", id+"_answer_1", …, and an empty status line (id+"_status")
// the buttons write to when a click could not reach the program. Text is HTML-escaped.
func (n *NotebookOracle) CardHTML(it active.Item, id, progress string) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, `<div id="%s" style="border:1px solid #ccc;padding:8px;margin:4px 0;max-width:40em">`, html.EscapeString(id))
	fmt.Fprintf(&b, "<div><b>%s</b>", html.EscapeString(describe(it)))
	if progress != "" {
		fmt.Fprintf(&b, " — %s", html.EscapeString(progress))
	}
	b.WriteString("</div>\n")
	if len(it.Samples) > 0 {
		svg, err := n.spectrogramSVG(it)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, `<img alt="spectrogram of %s" style="width:100%%" src="data:image/svg+xml;base64,%s">`+"\n",
			html.EscapeString(describe(it)), base64.StdEncoding.EncodeToString(svg))
		player, err := playerHTML(it, "auto", "")
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "<div>%s</div>\n", player)
	} else {
		b.WriteString("<div><i>no samples to show or play</i></div>\n")
	}
	if n.Question != "" {
		fmt.Fprintf(&b, "<div>%s</div>\n", html.EscapeString(n.Question))
	}
	b.WriteString("<div>")
	for k, c := range n.choices() {
		fmt.Fprintf(&b, `<button id="%s_answer_%d" type="button" style="margin-right:6px">%s</button>`,
			html.EscapeString(id), k, html.EscapeString(c.label))
	}
	fmt.Fprintf(&b, `<span id="%s_status" style="color:#888"></span>`, html.EscapeString(id))
	b.WriteString("</div></div>\n")
	return b.String(), nil
}

// AnsweredHTML returns what the card id becomes once answered: one line naming the clip and
// the answer, "<p>clip 12 (a.wav 3.0–6.0 s): <b>yes</b></p>", after the clip's audio player
// (left out when the item has no samples), in one row: a div that keeps the card's id. The
// player stays so the person can listen again to what they answered, as a labelling tool
// lets one; the spectrogram, the question and the buttons go, so a finished cell reads as a
// short log. Text is HTML-escaped.
func (n *NotebookOracle) AnsweredHTML(it active.Item, id, answer string) (string, error) {
	return n.recordHTML(it, id, answer, true)
}

// recordHTML is AnsweredHTML's card, with what (bold when answered) after the clip's name.
func (n *NotebookOracle) recordHTML(it active.Item, id, what string, answered bool) (string, error) {
	// One row per card, the player (short) before the line, so 24 answered cards stay compact.
	var b strings.Builder
	fmt.Fprintf(&b, `<div id="%s" style="display:flex;align-items:center;gap:8px;margin:2px 0">`, html.EscapeString(id))
	if len(it.Samples) > 0 {
		player, err := playerHTML(it, "metadata", "height:32px;flex:none")
		if err != nil {
			return "", err
		}
		b.WriteString(player)
	}
	what = html.EscapeString(what)
	if answered {
		what = "<b>" + what + "</b>"
	}
	fmt.Fprintf(&b, `<p style="margin:0">%s: %s</p>`, html.EscapeString(describe(it)), what)
	b.WriteString("</div>\n")
	return b.String(), nil
}

// playerHTML is an HTML5 audio player for the item's samples, embedded as a 16-bit WAV data
// URI, with the given preload ("auto", "metadata") and CSS style (none when "").
func playerHTML(it active.Item, preload, style string) (string, error) {
	if it.SampleRateHz <= 0 {
		return "", fmt.Errorf("activeui: %s has samples but sample rate %d Hz", describe(it), it.SampleRateHz)
	}
	var wav bytes.Buffer
	if err := audio.EncodeWAV(&wav, [][]float32{it.Samples}, it.SampleRateHz, audio.WAV16); err != nil {
		return "", fmt.Errorf("activeui: encoding %s as WAV: %w", describe(it), err)
	}
	if style != "" {
		style = fmt.Sprintf(` style="%s"`, style)
	}
	return fmt.Sprintf(`<audio controls preload="%s"%s src="data:audio/wav;base64,%s"></audio>`,
		preload, style, base64.StdEncoding.EncodeToString(wav.Bytes())), nil
}

// spectrogramSVG is the clip's spectrogram as the card shows it, drawn by
// lib/spectro/spectroplots (DecibelSVG): this package lays out the card, the plots package
// draws.
func (n *NotebookOracle) spectrogramSVG(it active.Item) ([]byte, error) {
	if it.SampleRateHz <= 0 {
		return nil, fmt.Errorf("activeui: %s has samples but sample rate %d Hz", describe(it), it.SampleRateHz)
	}
	svg, err := spectroplots.DecibelSVG(it.Samples, it.SampleRateHz, n.Spectrogram, 14, 6)
	if err != nil {
		return nil, fmt.Errorf("activeui: %s: %w", describe(it), err)
	}
	return svg, nil
}
