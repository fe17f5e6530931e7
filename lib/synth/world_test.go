package synth

import (
	"math"
	"slices"
	"testing"
)

// TestWorldKeepsTheCatalogue: the world's birds are NewCatalogue(1, 40, 8),
// unchanged (species, codes, songs), so its held-out birds are exactly those
// birds-v1 never heard (the first 3 of every family).
func TestWorldKeepsTheCatalogue(t *testing.T) {
	cat, _ := NewCatalogue(1, 40, 8)
	w := testWorld
	if len(w.Birds.Species) != 320 || len(w.Animals) != 320+3*40 {
		t.Fatalf("%d birds, %d animals; want 320 and 440", len(w.Birds.Species), len(w.Animals))
	}
	codes := map[string]bool{}
	for i, a := range w.Animals {
		if codes[a.Code] {
			t.Errorf("code %q used twice", a.Code)
		}
		codes[a.Code] = true
		if a.Index != i {
			t.Errorf("animal %d has index %d", i, a.Index)
		}
		if i < 320 {
			sp := cat.Species[i]
			if a.Code != sp.Code || a.Taxon != Bird || a.HeldOut != (i%8 < 3) || w.Birds.Species[i].Song.DurationSeconds() != sp.Song.DurationSeconds() {
				t.Fatalf("bird %d: %+v differs from the catalogue's %s", i, a, sp.Code)
			}
		} else if a.Taxon == Bird || a.HeldOut != (a.InGroup < 2) {
			t.Errorf("animal %d: %+v", i, a)
		}
	}
	if h, p := len(w.HeldOut()), len(w.Pretrain()); h != 120+3*16 || p != 200+3*24 {
		t.Errorf("%d held out, %d pretraining; want 168 and 272", h, p)
	}
	again, _ := NewWorld(WorldOptions{})
	for i := range w.Animals {
		if again.Animals[i].Code != w.Animals[i].Code {
			t.Fatal("two worlds with the same options differ")
		}
	}
}

// TestPoolsAreHeldOutAndDisjoint: the dev and test pools' classes are held
// out, share nothing with each other, and nothing with the pools of
// synth-birds (families 0–3) and synth-transfer (families 0–9).
func TestPoolsAreHeldOutAndDisjoint(t *testing.T) {
	dev, err := testWorld.PoolClasses(PoolDev)
	if err != nil {
		t.Fatal(err)
	}
	test, err := testWorld.PoolClasses(PoolTest)
	if err != nil {
		t.Fatal(err)
	}
	if len(dev) != 24 || len(test) != 24 {
		t.Fatalf("%d dev and %d test classes, want 24 each", len(dev), len(test))
	}
	for _, a := range append(slices.Clone(dev), test...) {
		animal := testWorld.Animals[a]
		if !animal.HeldOut || (animal.Taxon == Bird && animal.Group < 10) {
			t.Errorf("%s (%s, group %d, held out %v) in a held-out pool", animal.Code, animal.Taxon, animal.Group, animal.HeldOut)
		}
		if slices.Contains(dev, a) && slices.Contains(test, a) {
			t.Errorf("%s in both pools", animal.Code)
		}
	}
	pre, _ := testWorld.PoolClasses(PoolPretrain)
	for _, a := range pre {
		if testWorld.Animals[a].HeldOut {
			t.Errorf("%s is held out but in the pretraining pool", testWorld.Animals[a].Code)
		}
	}
	if _, err := testWorld.PoolClasses("train"); err == nil {
		t.Error("an unknown pool was accepted")
	}
	small, _ := NewWorld(WorldOptions{BirdFamilies: 12})
	if _, err := small.PoolClasses(PoolTest); err == nil {
		t.Error("a world of 12 families gave the test pool (families 20–25)")
	}
}

// TestDialectsAndCalls, measured on rendered sound: individuals of one dialect
// sing more alike than individuals of different dialects of the same species;
// calls are short and simple (one syllable type, at most 4 notes, ≤ 1.2 s).
func TestDialectsAndCalls(t *testing.T) {
	w := testWorld
	var same, different float64
	var ns, nd int
	for sp := 0; sp < 320; sp += 23 {
		songOf := func(ind int) Song {
			return varySong(w.birdDialects[sp][ind%w.Options.Dialects], rngFor(w.Options.Seed, streamHardIndividual, uint64(sp), uint64(ind)), individualVariation)
		}
		v0, v3, v1 := songVector(t, songOf(0), 1), songVector(t, songOf(3), 1), songVector(t, songOf(1), 1)
		same += dist(v0, v3) // individuals 0 and 3: dialect 0
		different += dist(v0, v1)
		ns++
		nd++
		for k, call := range w.birdCalls[sp] {
			if len(call.Syllables) != 1 || len(call.Pattern) > 4 || call.DurationSeconds() > 1.2 {
				t.Errorf("%s call %d: %d syllable types, pattern %v, %.2f s", w.Animals[sp].Code, k+1, len(call.Syllables), call.Pattern, call.DurationSeconds())
			}
			if lo, hi := call.Band(MaxHz); lo < MinHz || hi > MaxHz {
				t.Errorf("%s call %d: band %.0f–%.0f Hz", w.Animals[sp].Code, k+1, lo, hi)
			}
		}
		if n := len(w.Animals[sp].CallTypes); n < 2 || n > 4 {
			t.Errorf("%s: call types %v", w.Animals[sp].Code, w.Animals[sp].CallTypes)
		}
	}
	same, different = same/float64(ns), different/float64(nd)
	t.Logf("mean distance between individuals: same dialect %.3f, different dialects %.3f", same, different)
	if !(same < different) {
		t.Errorf("same-dialect distance %.3f not below different-dialect %.3f", same, different)
	}
}

// TestVocaliseEveryAnimal renders every call type of every animal (every
// seventh with -short) once: no
// NaN, no silence, within full scale, and deterministic.
func TestVocaliseEveryAnimal(t *testing.T) {
	w := testWorld
	step := 1
	if testing.Short() {
		step = 7 // every taxon still, a seventh of the animals
	}
	for k := 0; k < len(w.Animals); k += step {
		a := w.Animals[k]
		for ct := range a.CallTypes {
			u, err := w.Vocalise(a.Index, 4, ct, RenderRateHz, rngFor(1, uint64(a.Index), uint64(ct)))
			if err != nil {
				t.Fatal(err)
			}
			again, _ := w.Vocalise(a.Index, 4, ct, RenderRateHz, rngFor(1, uint64(a.Index), uint64(ct)))
			if !slices.Equal(u.Samples, again.Samples) {
				t.Fatalf("%s %s: not deterministic", a.Code, a.CallTypes[ct])
			}
			var peak float64
			for _, v := range u.Samples {
				if math.IsNaN(v) {
					t.Fatalf("%s %s: NaN", a.Code, a.CallTypes[ct])
				}
				peak = math.Max(peak, math.Abs(v))
			}
			if peak == 0 || peak > 4 || !(u.GapSeconds > 0) || len(u.Samples) > 3*RenderRateHz {
				t.Errorf("%s %s: peak %v, gap %v s, %d samples", a.Code, a.CallTypes[ct], peak, u.GapSeconds, len(u.Samples))
			}
		}
	}
	if _, err := w.Vocalise(0, 0, 9, RenderRateHz, rngFor(1)); err == nil {
		t.Error("call type 9 of a bird accepted")
	}
	if _, err := w.Vocalise(0, 0, 0, 16000, rngFor(1)); err == nil {
		t.Error("rendering at 16 kHz accepted")
	}
}
