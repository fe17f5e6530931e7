package plots

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"os"
	"path/filepath"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/celloutput"
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
	inNotebook := gonbui.IsNotebook
	if inNotebook {
		player := `<audio controls src="data:audio/wav;base64,` + base64.StdEncoding.EncodeToString(wav.Bytes()) + `"></audio>`
		if caption != "" {
			player = "<p>" + html.EscapeString(caption) + "<br>" + player + "</p>"
		}
		celloutput.Before() // see showSVG
		gonbui.DisplayHTML(player)
		if err := celloutput.After(fmt.Sprintf("%q", name)); err != nil {
			return fmt.Errorf("plots: %w", err)
		}
	}
	if !inNotebook || os.Getenv(FiguresEnv) != "" {
		path := filepath.Join(Dir, name+".wav")
		if err := os.MkdirAll(Dir, 0o755); err != nil {
			return fmt.Errorf("plots: %w", err)
		}
		if err := atomicfile.WriteFile(path, wav.Bytes()); err != nil {
			return fmt.Errorf("plots: %w", err)
		}
		if !inNotebook {
			fmt.Println("sound saved to", path)
		}
	}
	return nil
}

// MustShowAudio is ShowAudio for notebook cells: it panics on error.
func MustShowAudio(samples []float32, rateHz int, name, caption string) {
	if err := ShowAudio(samples, rateHz, name, caption); err != nil {
		panic(err)
	}
}
