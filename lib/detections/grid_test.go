package detections

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/embed"
)

// gridKeys lays out the windows of files recordings of the given lengths
// (seconds) as lib/audio cuts them: windows of window s every hop s, the last
// one padded (or, with remainder, a shorter final clip), shuffled with seed.
func gridKeys(window, hop float64, lengths []float64, remainder bool, seed uint64) []embed.Key {
	var keys []embed.Key
	for f, length := range lengths {
		for j := 0; ; j++ {
			start := float64(j) * hop
			end := start + window
			if end > length && remainder {
				end = length
			}
			keys = append(keys, embed.Key{File: fmt.Sprintf("r%d.wav", f), StartSeconds: start, EndSeconds: end})
			if start+window >= length {
				break
			}
		}
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	rng.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	return keys
}

func TestWindowGrid(t *testing.T) {
	for _, c := range []struct {
		name              string
		window, hop       float64
		lengths           []float64
		remainder         bool
		wantWindow, wantH float64
	}{
		{"3 s windows, no overlap", 3, 3, []float64{30, 12.5, 7}, false, 3, 3},
		{"3 s windows every second", 3, 1, []float64{20, 9.2}, false, 3, 1},
		{"overlap 2.5 s, shorter final clips", 3, 0.5, []float64{10.2, 4.1}, true, 3, 0.5},
		{"5 s windows every 2.5 s", 5, 2.5, []float64{60}, false, 5, 2.5},
		{"one window per recording", 3, 1, []float64{2, 3, 1.5}, false, 3, 0},
		{"one shorter window per recording", 3, 1, []float64{2, 1.5}, true, 2, 0},
	} {
		for seed := range uint64(3) {
			window, hop, err := WindowGrid(gridKeys(c.window, c.hop, c.lengths, c.remainder, seed))
			if err != nil || window != c.wantWindow || hop != c.wantH {
				t.Errorf("%s (seed %d): window %g hop %g (%v), want %g and %g", c.name, seed, window, hop, err, c.wantWindow, c.wantH)
			}
		}
	}

	regular := gridKeys(3, 1, []float64{10, 8}, false, 1)
	for _, c := range []struct {
		name string
		edit func([]embed.Key) []embed.Key
		want string
	}{
		{"a missing window", func(k []embed.Key) []embed.Key { return dropStart(k, "r0.wav", 4) }, "r0.wav: windows start at 3 and 5 s, 2 s apart, where the smallest step is 1 s"},
		{"a window twice", func(k []embed.Key) []embed.Key {
			return append(k, embed.Key{File: "r1.wav", StartSeconds: 2, EndSeconds: 5})
		}, "r1.wav: two windows start at 2 s"},
		{"recordings disagree", func(k []embed.Key) []embed.Key {
			for _, x := range gridKeys(3, 2, []float64{9}, false, 0) {
				x.File = "other.wav"
				k = append(k, x)
			}
			return k
		}, "other.wav: windows every 2 s; those of r"},
		{"a longer window", func(k []embed.Key) []embed.Key {
			return append(k, embed.Key{File: "x.wav", StartSeconds: 0, EndSeconds: 4}, embed.Key{File: "x.wav", StartSeconds: 1, EndSeconds: 4})
		}, "x.wav: the window at 0 s is 4 s long"},
		{"a longer last window", func(k []embed.Key) []embed.Key {
			return append(k, embed.Key{File: "x.wav", StartSeconds: 0, EndSeconds: 5})
		}, "x.wav: its last window is 5 s long"},
	} {
		keys := c.edit(append([]embed.Key(nil), regular...))
		_, _, err := WindowGrid(keys)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

// dropStart returns keys without file's window at start.
func dropStart(keys []embed.Key, file string, start float64) []embed.Key {
	var out []embed.Key
	for _, k := range keys {
		if k.File != file || k.StartSeconds != start {
			out = append(out, k)
		}
	}
	return out
}
