package activeui_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/active/activeui"
	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/janpfeifer/gonb/gonbui"
)

func TestLabelOutsideNotebookDoesNotWait(t *testing.T) {
	if gonbui.IsNotebook {
		t.Skip("running inside a notebook")
	}
	var o activeui.NotebookOracle
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	answers, err := o.Label(ctx, []active.Item{{Index: 3}})
	if !errors.Is(err, activeui.ErrNotNotebook) || answers != nil {
		t.Fatalf("Label outside a notebook = %v, %v; want nil, ErrNotNotebook", answers, err)
	}
	if !strings.Contains(err.Error(), "SimulatedOracle") {
		t.Errorf("error %q does not point at the simulated oracle", err)
	}
	if ctx.Err() != nil {
		t.Error("Label waited for the context to end")
	}
}

// dataURI finds the base64 data URI of the given media type in html and decodes it.
func dataURI(t *testing.T, html, mediaType string) []byte {
	t.Helper()
	m := regexp.MustCompile(`src="data:` + regexp.QuoteMeta(mediaType) + `;base64,([A-Za-z0-9+/=]+)"`).FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no %s data URI in the card", mediaType)
	}
	data, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil {
		t.Fatalf("%s data URI: %v", mediaType, err)
	}
	return data
}

func TestCardHTML(t *testing.T) {
	const rateHz, toneHz = 16000, 2000.0
	samples := make([]float32, rateHz/2) // 0.5 s of a 2 kHz tone at amplitude 0.5
	for i := range samples {
		samples[i] = float32(0.5 * math.Sin(2*math.Pi*toneHz*float64(i)/rateHz))
	}
	item := active.Item{Index: 7, Key: embed.Key{File: "dawn<1>&.wav", StartSeconds: 3, EndSeconds: 3.5},
		Samples: samples, SampleRateHz: rateHz, Score: 0.1}

	o := activeui.NotebookOracle{Question: `Is this a "song thrush"?`}
	card, err := o.CardHTML(item, "card1", "clip 2 of 5")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<div id="card1"`,
		"clip 7 (dawn&lt;1&gt;&amp;.wav 3.0–3.5 s)", // escaped file name and the clip's span
		"clip 2 of 5",
		"Is this a &#34;song thrush&#34;?",
		`<button id="card1_answer_0" type="button" style="margin-right:6px">yes</button>`,
		`<button id="card1_answer_1" type="button" style="margin-right:6px">no</button>`,
		`<button id="card1_answer_2" type="button" style="margin-right:6px">unsure</button>`,
		`<span id="card1_status" style="color:#888"></span>`, // where the buttons say a click got no reply
		"<audio controls",
	} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q", want)
		}
	}
	if strings.Contains(card, "dawn<1>") {
		t.Error("card holds the file name unescaped")
	}

	// The spectrogram is an SVG with an embedded raster heat map and axes labelled in Hz.
	svg := dataURI(t, card, "image/svg+xml")
	for _, want := range []string{"<svg", "<image ", "frequency (Hz)", "time (s)"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("spectrogram SVG lacks %q", want)
		}
	}

	// The audio is a 16-bit WAV of the same samples: decode it and compare with the tone.
	wav := dataURI(t, card, "audio/wav")
	stream, err := audio.NewWAVStream(bytes.NewReader(wav), "card audio")
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := audio.ReadAll(stream)
	if err != nil {
		t.Fatal(err)
	}
	if decoded.SampleRateHz != rateHz || len(decoded.Channels) != 1 || len(decoded.Channels[0]) != len(samples) {
		t.Fatalf("WAV holds %d channels of %d samples at %d Hz; want 1 of %d at %d",
			len(decoded.Channels), len(decoded.Channels[0]), decoded.SampleRateHz, len(samples), rateHz)
	}
	for i, v := range decoded.Channels[0] {
		if math.Abs(float64(v-samples[i])) > 1.0/32768 {
			t.Fatalf("WAV sample %d = %v, want %v within one 16-bit step", i, v, samples[i])
		}
	}

	// Class names give one button per class, answering its index, then unsure.
	classes := activeui.NotebookOracle{ClassNames: []string{"wren", "robin", "thrush"}}
	card, err = classes.CardHTML(active.Item{Index: 1}, "c", "")
	if err != nil {
		t.Fatal(err)
	}
	for k, label := range []string{"wren", "robin", "thrush", "unsure"} {
		want := `id="c_answer_` + string(rune('0'+k)) + `" type="button" style="margin-right:6px">` + label + "<"
		if !strings.Contains(card, want) {
			t.Errorf("class card lacks button %d %q", k, label)
		}
	}
	if strings.Contains(card, "<audio") || strings.Contains(card, "<img") || !strings.Contains(card, "no samples") {
		t.Error("a card without samples should say so, with no player and no image")
	}

	// Samples without a rate are an error naming the clip.
	if _, err := o.CardHTML(active.Item{Index: 4, Samples: samples}, "x", ""); err == nil || !strings.Contains(err.Error(), "clip 4") {
		t.Errorf("samples without rate: error %v, want one naming clip 4", err)
	}
}

// TestAnsweredHTML: an answered card keeps its id and the clip's player (the same samples,
// decoded independently), shows the answer in one line, and has no buttons left to click.
func TestAnsweredHTML(t *testing.T) {
	const rateHz = 8000
	samples := make([]float32, rateHz/4) // 0.25 s of a 440 Hz tone at amplitude 0.3
	for i := range samples {
		samples[i] = float32(0.3 * math.Sin(2*math.Pi*440*float64(i)/rateHz))
	}
	var o activeui.NotebookOracle
	for _, tc := range []struct {
		name     string
		item     active.Item
		answer   string
		line     string // the record's line, exactly
		withClip bool
	}{
		{"with samples", active.Item{Index: 12, Key: embed.Key{File: "a<b>.wav", StartSeconds: 3, EndSeconds: 6},
			Samples: samples, SampleRateHz: rateHz}, "yes",
			`<p style="margin:0">clip 12 (a&lt;b&gt;.wav 3.0–6.0 s): <b>yes</b></p>`, true},
		{"escaped answer", active.Item{Index: 2, Samples: samples, SampleRateHz: rateHz}, "<unsure>",
			`<p style="margin:0">clip 2: <b>&lt;unsure&gt;</b></p>`, true},
		{"no samples", active.Item{Index: 5}, "no", `<p style="margin:0">clip 5: <b>no</b></p>`, false},
	} {
		done, err := o.AnsweredHTML(tc.item, "card9", tc.answer)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !strings.HasPrefix(done, `<div id="card9"`) || !strings.Contains(done, tc.line) {
			t.Errorf("%s: answered card %.200q lacks its id or the line %q", tc.name, done, tc.line)
		}
		if strings.Contains(done, "<button") || strings.Contains(done, "<img") {
			t.Errorf("%s: answered card still holds buttons or the spectrogram", tc.name)
		}
		if got := strings.Count(done, "<audio controls"); got != map[bool]int{true: 1, false: 0}[tc.withClip] {
			t.Errorf("%s: answered card holds %d audio players", tc.name, got)
		}
		if !tc.withClip {
			continue
		}
		stream, err := audio.NewWAVStream(bytes.NewReader(dataURI(t, done, "audio/wav")), "answered card audio")
		if err != nil {
			t.Fatal(err)
		}
		decoded, err := audio.ReadAll(stream)
		if err != nil {
			t.Fatal(err)
		}
		if decoded.SampleRateHz != rateHz || len(decoded.Channels) != 1 || len(decoded.Channels[0]) != len(samples) {
			t.Fatalf("%s: the player's WAV holds %d channels at %d Hz, want 1 of %d samples at %d", tc.name,
				len(decoded.Channels), decoded.SampleRateHz, len(samples), rateHz)
		}
		for i, v := range decoded.Channels[0] {
			if math.Abs(float64(v-samples[i])) > 1.0/32768 {
				t.Fatalf("%s: WAV sample %d = %v, want %v within one 16-bit step", tc.name, i, v, samples[i])
			}
		}
	}
	// The same card before its answer held the same clip.
	card, err := o.CardHTML(active.Item{Index: 12, Samples: samples, SampleRateHz: rateHz}, "card9", "")
	if err != nil {
		t.Fatal(err)
	}
	done, _ := o.AnsweredHTML(active.Item{Index: 12, Samples: samples, SampleRateHz: rateHz}, "card9", "no")
	if !bytes.Equal(dataURI(t, card, "audio/wav"), dataURI(t, done, "audio/wav")) {
		t.Error("the answered card's clip differs from the one the card asked about")
	}
	if _, err := o.AnsweredHTML(active.Item{Index: 4, Samples: samples}, "x", "yes"); err == nil || !strings.Contains(err.Error(), "clip 4") {
		t.Errorf("samples without rate: error %v, want one naming clip 4", err)
	}
}
