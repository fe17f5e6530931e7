package synth

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// TestClipMakerReproducible makes the same clips in parallel with one maker
// and one by one, in reverse order, with another, and compares every sample;
// another seed or index must give other sound.
//
// With -short (the race detector's run: each render is ~15× slower under it)
// the clips are 0.5 s and the batch two: Clips still renders them on
// parallel goroutines.
func TestClipMakerReproducible(t *testing.T) {
	o := ClipsOptions{Seed: 5, Pool: PoolDev, DurationSeconds: 1.5, MaxLabelled: 3}
	n := 4
	if testing.Short() {
		o.DurationSeconds, n = 0.5, 2
	}
	a, err := NewClipMaker(o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewClipMaker(o)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := a.Clips(10, n)
	if err != nil {
		t.Fatal(err)
	}
	for j := n - 1; j >= 0; j-- {
		one, err := b.Clip(10 + j)
		if err != nil {
			t.Fatal(err)
		}
		if one.Index != 10+j || batch[j].Index != 10+j {
			t.Errorf("clip %d: indices %d and %d", 10+j, one.Index, batch[j].Index)
		}
		if !slices.Equal(one.Samples, batch[j].Samples) || !slices.Equal(one.Labels, batch[j].Labels) || one.SampleRateHz != batch[j].SampleRateHz {
			t.Errorf("clip %d differs between makers or between Clip and Clips", 10+j)
		}
	}
	if slices.Equal(batch[0].Samples, batch[1].Samples) {
		t.Error("clips 10 and 11 are the same")
	}
	o.Seed = 6
	c, err := NewClipMaker(o)
	if err != nil {
		t.Fatal(err)
	}
	other, err := c.Clip(10)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(other.Samples, batch[0].Samples) {
		t.Error("seeds 5 and 6 gave the same clip 10")
	}
}

// TestClipLabelsAndScene checks each clip against its own scene: the labels
// name the labelled sources in order, the rate is one of the ranges', the
// length is the duration at that rate, and every labelled animal has units.
func TestClipLabelsAndScene(t *testing.T) {
	r := WideRanges()
	seconds := 2.0
	if testing.Short() { // the race detector's run: each render ~15× slower, the same goroutines
		seconds = 1
	}
	m, err := NewClipMaker(ClipsOptions{Seed: 2, Pool: PoolDev, DurationSeconds: seconds, MaxLabelled: 2, Ranges: &r})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Classes) != 24 {
		t.Fatalf("%d dev classes, want 24", len(m.Classes))
	}
	clips, err := m.Clips(0, 6)
	if err != nil {
		t.Fatal(err)
	}
	multi := 0
	for _, c := range clips {
		if len(c.Labels) < 1 || len(c.Labels) > 2 {
			t.Fatalf("clip %d: labels %v, want 1 or 2", c.Index, c.Labels)
		}
		if len(c.Labels) == 2 {
			multi++
			if c.Labels[0] == c.Labels[1] {
				t.Errorf("clip %d: class %d labelled twice", c.Index, c.Labels[0])
			}
		}
		var labelled []Source
		for _, s := range c.Scene.Sources {
			if s.Role == RoleLabelled {
				labelled = append(labelled, s)
			}
		}
		if len(labelled) != len(c.Labels) {
			t.Fatalf("clip %d: %d labels, %d labelled sources", c.Index, len(c.Labels), len(labelled))
		}
		for k, s := range labelled {
			if s.Voice.Species != m.Classes[c.Labels[k]] || s.Voice.Individual < 0 || s.Voice.Individual >= 10 {
				t.Errorf("clip %d: label %d is class %d, source %+v", c.Index, k, c.Labels[k], s.Voice)
			}
			units := 0
			for _, e := range c.Events {
				if e.Role == RoleLabelled && e.Voice == s.Voice {
					units++
				}
			}
			if units == 0 {
				t.Errorf("clip %d: labelled %s has no units", c.Index, m.World.Animals[s.Voice.Species].Code)
			}
		}
		if c.SampleRateHz != c.Scene.SampleRateHz || !slices.Contains(r.SampleRatesHz, c.SampleRateHz) {
			t.Errorf("clip %d: rate %d Hz, scene %d Hz", c.Index, c.SampleRateHz, c.Scene.SampleRateHz)
		}
		if want := int(math.Round(seconds * float64(c.SampleRateHz))); len(c.Samples) != want {
			t.Errorf("clip %d: %d samples, want %d (%v s at %d Hz)", c.Index, len(c.Samples), want, seconds, c.SampleRateHz)
		}
		peak := 0.0
		for _, x := range c.Samples {
			peak = math.Max(peak, math.Abs(float64(x)))
		}
		if !(peak > 0.05 && peak <= 1) {
			t.Errorf("clip %d: peak %v, want within (0.05, 1]", c.Index, peak)
		}
	}
	t.Logf("%d of %d clips have two labels", multi, len(clips))
}

// TestClipRenderSeedDisjoint: a clip's render seed never equals a hard
// corpus's (Seed<<32|i) nor another clip's.
func TestClipRenderSeedDisjoint(t *testing.T) {
	seen := map[uint64]string{}
	for _, seed := range []uint64{0, 1, 2, 3, 1<<31 - 1} {
		for _, i := range []int{0, 1, 2399, 1<<32 - 1} {
			corpus := seed<<32 | uint64(i)
			clip := clipRenderSeed(seed, i)
			if clip == corpus || clip>>63 != 1 || corpus>>63 != 0 {
				t.Errorf("seed %d, index %d: clip render seed %#x, corpus %#x", seed, i, clip, corpus)
			}
			if prev, ok := seen[clip]; ok {
				t.Errorf("seed %d, index %d: render seed %#x also %s", seed, i, clip, prev)
			}
			seen[clip] = "clip"
		}
	}
}

func TestClipMakerErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    ClipsOptions
		want string
	}{
		{"test pool", ClipsOptions{Pool: PoolTest}, "test pool"},
		{"test class", ClipsOptions{Classes: []string{"ravaeola_sipluosa"}}, "test pool"},
		{"unknown class", ClipsOptions{Classes: []string{"nosuch_animal"}}, "no such animal"},
		{"twice", ClipsOptions{Classes: []string{"cutaites_foaris", "cutaites_foaris"}}, "named twice"},
		{"unknown pool", ClipsOptions{Pool: "train"}, "no pool"},
		{"seed", ClipsOptions{Seed: 1 << 31}, "below 2^31"},
		{"duration", ClipsOptions{DurationSeconds: -1}, "seconds"},
		{"ranges", ClipsOptions{Ranges: &Ranges{}}, "synth:"},
	} {
		_, err := NewClipMaker(tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	m, err := NewClipMaker(ClipsOptions{Pool: PoolDev, DurationSeconds: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Clip(-1); err == nil || !strings.Contains(err.Error(), "index -1") {
		t.Errorf("Clip(-1): %v", err)
	}
	if _, err := m.Clips(0, -1); err == nil {
		t.Error("Clips(0, -1): no error")
	}
}

// TestClipMakerDefaultsToPretrain: the default pool is every pretraining
// animal and none held out.
func TestClipMakerDefaultsToPretrain(t *testing.T) {
	m, err := NewClipMaker(ClipsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Classes) != 272 {
		t.Errorf("%d classes, want the 272 pretraining animals", len(m.Classes))
	}
	for _, c := range m.Classes {
		if m.World.Animals[c].HeldOut {
			t.Errorf("class %s is held out", m.World.Animals[c].Code)
		}
	}
}
