package plots

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/janpfeifer/gonb/gonbui"
)

// ShowAudio shows an audio player for mono samples at rateHz, under an optional
// caption (plain text), inline in a GoNB notebook. The sound is embedded in the
// notebook as a 16-bit WAV, so the player works in the saved notebook and its HTML
// rendering too. Outside a notebook (or when FiguresEnv is set) it saves Dir/name.wav
// and, outside one, prints where. name follows Show's rule.
func ShowAudio(samples []float32, rateHz int, name, caption string) error {
	if err := checkName(name); err != nil {
		return err
	}
	var wav bytes.Buffer
	if err := audio.EncodeWAV(&wav, [][]float32{samples}, rateHz, audio.WAV16); err != nil {
		return fmt.Errorf("plots: encoding %q: %w", name, err)
	}
	return show(name, "sound", ".wav", wav.Bytes(), func() {
		player := `<audio controls src="data:audio/wav;base64,` + base64.StdEncoding.EncodeToString(wav.Bytes()) + `"></audio>`
		if caption != "" {
			player = "<p>" + html.EscapeString(caption) + "<br>" + player + "</p>"
		}
		gonbui.DisplayHTML(player)
	})
}

// MustShowAudio is ShowAudio for notebook cells: it panics on error.
func MustShowAudio(samples []float32, rateHz int, name, caption string) {
	if err := ShowAudio(samples, rateHz, name, caption); err != nil {
		panic(err)
	}
}
