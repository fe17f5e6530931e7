package main

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// TestRules checks each set's rule on paths as the packages hold them: what
// is taken, its class, and what stops the build.
func TestRules(t *testing.T) {
	cases := []struct {
		name      string
		rule      Rule
		pkg, rel  string
		wantClass string
		wantOK    bool
		wantErr   string
	}{
		{"description", narratorRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/food/fruit/apple_desc_fr.ogg", "fr", true, ""},
		{"description with region", narratorRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/town/x_desc_pt_br.ogg", "pt_br", true, ""},
		{"description without language", narratorRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/food/apple_desc.ogg", "", false, ""},
		{"doubled extension", narratorRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/food/apple_desc_da.ogg.ogg", "", false, ""},
		{"sound effect is no description", narratorRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/crow.ogg", "", false, ""},
		{"description in another package", narratorRule, "scratch", "usr/share/tuxpaint/stamps/food/apple_desc_fr.ogg", "", false, ""},
		{"bird", animalRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/crow.ogg", "bird", true, ""},
		{"mammal, nested folder", animalRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/bovines/cow.ogg", "mammal", true, ""},
		{"marsupial is a mammal", animalRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/marsupials/koala.ogg", "mammal", true, ""},
		{"lizard is a reptile", animalRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/lizards/iguana.ogg", "reptile", true, ""},
		{"animal description is speech", animalRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/crow_desc_fr.ogg", "", false, ""},
		{"animal image", animalRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/crow.png", "", false, ""},
		{"unknown animal folder", animalRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/fish/carp.ogg", "", false, `animal folder "fish"`},
		{"sound in no folder", animalRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/carp.ogg", "", false, "in no group folder"},
		{"klettres letter", pretrainRule, "klettres-data", "usr/share/klettres/fr/alpha/a.ogg", "klettres_fr", true, ""},
		{"klettres syllable", pretrainRule, "klettres-data", "usr/share/klettres/en_GB/syllab/ba.ogg", "klettres_en_gb", true, ""},
		{"klettres other folder", pretrainRule, "klettres-data", "usr/share/klettres/fr/pics/a.ogg", "", false, ""},
		{"ktuberling ogg", pretrainRule, "ktuberling-data", "usr/share/ktuberling/sounds/de/auge.ogg", "ktuberling_de", true, ""},
		{"ktuberling variant", pretrainRule, "ktuberling-data", "usr/share/ktuberling/sounds/sr@latin/oko.ogg", "ktuberling_sr_latin", true, ""},
		{"ktuberling wav", pretrainRule, "ktuberling-data", "usr/share/ktuberling/sounds/nds/oog.wav", "ktuberling_nds", true, ""},
		{"ktuberling opus left out", pretrainRule, "ktuberling-data", "usr/share/ktuberling/sounds/nn/tv.opus", "", false, ""},
		{"ktuberling theme file", pretrainRule, "ktuberling-data", "usr/share/ktuberling/sounds/de.soundtheme", "", false, ""},
		{"scratch animal", pretrainRule, "scratch", "usr/share/scratch/Media/Sounds/Animal/Owl.wav", "scratch_animal", true, ""},
		{"scratch mp3", pretrainRule, "scratch", "usr/share/scratch/Media/Sounds/Human/Slurp.mp3", "scratch_human", true, ""},
		{"scratch music left out", pretrainRule, "scratch", "usr/share/scratch/Media/Sounds/Music Loops/Drum.mp3", "", false, ""},
		{"scratch from another package", pretrainRule, "klettres-data", "usr/share/scratch/Media/Sounds/Animal/Owl.wav", "", false, ""},
		{"tux paint songbird", kindRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/blackbird.ogg", "wild_bird", true, ""},
		{"tux paint cow, nested folder", kindRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/bovines/cow_white.ogg", "cattle", true, ""},
		{"tux paint description is speech", kindRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/crow_desc_fr.ogg", "", false, ""},
		{"tux paint animal with no kind", kindRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/cats/lion.ogg", "", false, ""},
		{"tux paint sound outside animals", kindRule, "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/vehicles/car.ogg", "", false, ""},
		{"widelands bird take", kindRule, "widelands-data", "usr/share/games/widelands/data/sound/animals/bird3_02.ogg", "wild_bird", true, ""},
		{"widelands crickets", kindRule, "widelands-data", "usr/share/games/widelands/data/sound/animals/crickets2_00.ogg", "insect", true, ""},
		{"widelands farm ox", kindRule, "widelands-data", "usr/share/games/widelands/data/sound/farm/ox_01.ogg", "cattle", true, ""},
		{"widelands donkey, no take", kindRule, "widelands-data", "usr/share/games/widelands/data/sound/farm/donkey.ogg", "horse", true, ""},
		{"widelands critter", kindRule, "widelands-data", "usr/share/games/widelands/data/world/critters/duck/duck_01.ogg", "waterfowl", true, ""},
		{"widelands unknown farm sound", kindRule, "widelands-data", "usr/share/games/widelands/data/sound/farm/farm_animal_00.ogg", "", false, ""},
		{"widelands scythe is no animal", kindRule, "widelands-data", "usr/share/games/widelands/data/sound/farm/scythe_00.ogg", "", false, ""},
		{"widelands music", kindRule, "widelands-data", "usr/share/games/widelands/data/music/ingame_01.ogg", "", false, ""},
		{"megaglest unit", kindRule, "megaglest-data", "usr/share/games/megaglest/techs/megapack/factions/indian/units/bull/sounds/bull_attack3.wav", "cattle", true, ""},
		{"megaglest unit, index without action", kindRule, "megaglest-data", "usr/share/games/megaglest/techs/megapack/factions/persian/units/sheep/sounds/sheep10.wav", "sheep_goat", true, ""},
		{"megaglest unit named by its file", kindRule, "megaglest-data", "usr/share/games/megaglest/techs/megapack/factions/norsemen/units/wild_sow/sounds/pig_ack5.wav", "pig", true, ""},
		{"megaglest fantasy unit's other sound", kindRule, "megaglest-data", "usr/share/games/megaglest/techs/megapack/factions/indian/units/thunderbird/sounds/ground_attack1.wav", "", false, ""},
		{"megaglest common animal", kindRule, "megaglest-data", "usr/share/games/megaglest/techs/megapack/commondata/sounds/cow_select2.wav", "cattle", true, ""},
		{"megaglest common human", kindRule, "megaglest-data", "usr/share/games/megaglest/techs/megapack/commondata/sounds/horseman_ack12.wav", "", false, ""},
		{"megaglest landscape", kindRule, "megaglest-data", "usr/share/games/megaglest/tilesets/desert2/sounds/hawk.ogg", "wild_bird", true, ""},
		{"megaglest landscape, index", kindRule, "megaglest-data", "usr/share/games/megaglest/tilesets/pine_peat/sounds/mudchute_cow_1.ogg", "cattle", true, ""},
		{"megaglest ambience", kindRule, "megaglest-data", "usr/share/games/megaglest/tilesets/autumn/sounds/rain.ogg", "", false, ""},
		{"megaglest music", kindRule, "megaglest-data", "usr/share/games/megaglest/data/core/music/intro.ogg", "", false, ""},
		{"kind from another package", kindRule, "scratch", "usr/share/games/widelands/data/sound/animals/bird3_02.ogg", "", false, ""},
		{"0ad cattle", trainingKindRule, "0ad-data", "usr/share/games/0ad/mods/public/public.zip/audio/actor/fauna/animal/cattle_01.ogg", "cattle", true, ""},
		{"0ad death, animal second", trainingKindRule, "0ad-data", "usr/share/games/0ad/mods/public/public.zip/audio/actor/fauna/death/death_horse_10.ogg", "horse", true, ""},
		{"0ad plural", trainingKindRule, "0ad-data", "usr/share/games/0ad/mods/public/public.zip/audio/actor/fauna/animal/chickens.ogg", "poultry", true, ""},
		{"0ad animal not in the table", trainingKindRule, "0ad-data", "usr/share/games/0ad/mods/public/public.zip/audio/actor/fauna/animal/camel_10.ogg", "", false, ""},
		{"0ad generic death", trainingKindRule, "0ad-data", "usr/share/games/0ad/mods/public/public.zip/audio/actor/fauna/death/Animal_death_generic_10.ogg", "", false, ""},
		{"0ad other folder", trainingKindRule, "0ad-data", "usr/share/games/0ad/mods/public/public.zip/audio/attack/weapon/horse_x.ogg", "", false, ""},
		{"0ad sound description", trainingKindRule, "0ad-data", "usr/share/games/0ad/mods/public/public.zip/audio/actor/fauna/animal/cattle_death.xml", "", false, ""},
		{"wesnoth wolf", trainingKindRule, "wesnoth-1.16-data", "usr/share/games/wesnoth/1.16/data/core/sounds/wolf-growl-1.ogg", "canid", true, ""},
		{"wesnoth ambient birds", trainingKindRule, "wesnoth-1.16-data", "usr/share/games/wesnoth/1.16/data/core/sounds/ambient/birds1.ogg", "wild_bird", true, ""},
		{"wesnoth dragon", trainingKindRule, "wesnoth-1.16-data", "usr/share/games/wesnoth/1.16/data/core/sounds/drake-die.ogg", "", false, ""},
		{"wesnoth music", trainingKindRule, "wesnoth-1.16-data", "usr/share/games/wesnoth/1.16/data/core/music/wolf.ogg", "", false, ""},
		{"gcompris farm animal", trainingKindRule, "gcompris-qt-data", "usr/share/gcompris-qt/rcc/explore_farm_animals.rcc/gcompris/src/activities/explore_farm_animals/resource/animals/cow.ogg", "cattle", true, ""},
		{"gcompris word", trainingKindRule, "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc/gcompris/src/activities/memory-sound/resource/LRBark_1_LA_cut.ogg", "", false, ""},
		{"training kind from an evaluation package", trainingKindRule, "widelands-data", "usr/share/games/widelands/data/sound/animals/bird3_02.ogg", "", false, ""},
	}
	for _, c := range cases {
		class, ok, err := c.rule(c.pkg, c.rel)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: %s: error %v, want one containing %q", c.name, c.rel, err, c.wantErr)
			}
			continue
		}
		if err != nil || ok != c.wantOK || class != c.wantClass {
			t.Errorf("%s: %s: got (%q, %v, %v), want (%q, %v, nil)", c.name, c.rel, class, ok, err, c.wantClass, c.wantOK)
		}
	}
}

// TestKindGroup checks which files real-animal-kinds counts as cut from one
// recording: takes of one Widelands sound, a MegaGlest unit's or common
// sound's files, one landscape sound in several landscapes; and what it keeps apart.
func TestKindGroup(t *testing.T) {
	const (
		tux   = "usr/share/tuxpaint/stamps/animals/"
		wl    = "usr/share/games/widelands/data/sound/animals/"
		units = "usr/share/games/megaglest/techs/megapack/factions/"
		tiles = "usr/share/games/megaglest/tilesets/"
	)
	cases := []struct {
		pkg, a, b string
		same      bool
	}{
		{"widelands-data", wl + "bird1_00.ogg", wl + "bird1_02.ogg", true},
		{"widelands-data", wl + "bird1_00.ogg", wl + "bird2_00.ogg", false},
		{"megaglest-data", units + "egypt/units/chicken/sounds/chicken_ack1.wav", units + "egypt/units/chicken/sounds/chicken_die4.wav", true},
		{"megaglest-data", units + "indian/units/bull/sounds/bull_ack1.wav", "usr/share/games/megaglest/techs/megapack/commondata/sounds/cow_ack1.wav", false},
		{"megaglest-data", "usr/share/games/megaglest/techs/megapack/commondata/sounds/pig_ack1.wav", "usr/share/games/megaglest/techs/megapack/commondata/sounds/pig_die3.wav", true},
		{"megaglest-data", tiles + "birch_forest/sounds/wolf.wav", tiles + "desert2/sounds/wolf.wav", true},
		{"tuxpaint-stamps-default", tux + "mammals/pig.ogg", tux + "mammals/pig_golden.ogg", false},
	}
	for _, c := range cases {
		ga, gb := kindGroup(c.pkg, c.a), kindGroup(c.pkg, c.b)
		if (ga == gb) != c.same {
			t.Errorf("%s and %s: recordings %q and %q; want the same: %v", c.a, c.b, ga, gb, c.same)
		}
	}
	if a, b := kindGroup("widelands-data", wl+"wolf_00.ogg"), kindGroup("megaglest-data", tiles+"birch_forest/sounds/wolf.wav"); a == b {
		t.Errorf("two packages' wolves are one recording %q", a)
	}
}

// TestSetsKeepSourcesApart checks the shipped sets and that a package feeding
// both a training and an evaluation set is refused.
func TestSetsKeepSourcesApart(t *testing.T) {
	if err := checkSets(Sets); err != nil {
		t.Fatal(err)
	}
	mixed := append(append([]Set(nil), Sets...), Set{Name: "leak", Use: Training, Packages: []string{"tuxpaint-stamps-default"}})
	if err := checkSets(mixed); err == nil || !strings.Contains(err.Error(), "must stay apart") {
		t.Errorf("a training set on the evaluation package: error %v, want one saying sources must stay apart", err)
	}
	unpinned := []Set{{Name: "x", Use: Training, Packages: []string{"no-such-package"}}}
	if err := checkSets(unpinned); err == nil {
		t.Error("a set on an unpinned package passed")
	}
}

func TestSourceNames(t *testing.T) {
	s := Source{Package: "klettres-data", Version: "4:22.12.3-1"}
	if got := s.DebFile(); got != "klettres-data_4%3a22.12.3-1_all.deb" {
		t.Errorf("DebFile %q", got)
	}
	if got := (Source{Package: "scratch", Version: "1.4.0.6~dfsg1-6.1"}).Dir(); got != "scratch_1.4.0.6_dfsg1-6.1" {
		t.Errorf("Dir %q", got)
	}
}

func TestClassName(t *testing.T) {
	for in, want := range map[string]string{"Animal": "animal", "sr@ijekavianlatin": "sr_ijekavianlatin", "Music Loops": "music_loops", "en_GB": "en_gb", "N_with_tilda": "n_with_tilda", "Cough-female": "cough_female"} {
		if got := className(in); got != want {
			t.Errorf("className(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestClipCount: whole clips, plus a leftover of at least the minimum.
func TestClipCount(t *testing.T) {
	cases := []struct{ n, clip, min, want int }{
		{300, 100, 25, 3}, {301, 100, 25, 3}, {324, 100, 25, 3}, {325, 100, 25, 4},
		{30, 100, 25, 1}, {24, 100, 25, 0}, {100, 100, 0, 1}, {101, 100, 0, 2},
	}
	for _, c := range cases {
		if got := clipCount(c.n, c.clip, c.min); got != c.want {
			t.Errorf("clipCount(%d, %d, %d) = %d, want %d", c.n, c.clip, c.min, got, c.want)
		}
	}
}

// TestSameRecording checks the copy test on hand-made envelopes.
func TestSameRecording(t *testing.T) {
	o := DefaultOptions
	a := []float64{0, 1, 2, 3, 2, 1, 0, 1, 2, 3}
	scaled := make([]float64, len(a))
	for i, v := range a {
		scaled[i] = 0.5*v + 0.01 // a re-encoded, quieter copy correlates exactly
	}
	if !sameRecording(a, scaled, o) {
		t.Error("a scaled copy is not the same recording")
	}
	if !sameRecording(a, append(append([]float64(nil), a...), 0), o) {
		t.Error("one frame longer is within the tolerance of max(1 frame, 2 %)")
	}
	if sameRecording(a, append(append([]float64(nil), a...), 0, 0, 0), o) {
		t.Error("three frames longer (30 %) matched")
	}
	reversed := []float64{3, 2, 1, 0, 1, 2, 3, 2, 1, 0}
	if sameRecording(a, reversed, o) {
		t.Errorf("an anticorrelated envelope matched (r = %.2f)", pearson(a, reversed))
	}
	if sameRecording([]float64{1, 2}, []float64{1, 2}, o) {
		t.Error("envelopes under 3 frames matched")
	}
	if got := pearson([]float64{1, 1, 1}, []float64{1, 2, 3}); got != 0 {
		t.Errorf("pearson with a constant = %v, want 0", got)
	}
	// r for x = 1..4, y = 1,3,2,4 is 0.8 (hand: sxy 4, sxx 5, syy 5).
	if got := pearson([]float64{1, 2, 3, 4}, []float64{1, 3, 2, 4}); math.Abs(got-0.8) > 1e-12 {
		t.Errorf("pearson = %v, want 0.8", got)
	}
}

// TestOnDemandSets: a set on demand is not built by default, and the
// evaluation sets are checked against it only when its packages are unpacked
// (run unpacks them only when it builds it); every other training set is
// always checked.
func TestOnDemandSets(t *testing.T) {
	if slices.Contains(setNames(), "real-pretrain-animals") || !slices.Contains(setNames(), "real-pretrain") {
		t.Errorf("default sets %v", setNames())
	}
	names := func(sets []Set) []string {
		var out []string
		for _, s := range sets {
			out = append(out, s.Name)
		}
		return out
	}
	roots := map[string]string{}
	for _, s := range Sets {
		if !s.OnDemand {
			for _, p := range s.Packages {
				roots[p] = "/x/" + p
			}
		}
	}
	if got := names(guardSets(roots)); !slices.Equal(got, []string{"real-pretrain"}) {
		t.Errorf("guarded without the on-demand packages: %v", got)
	}
	roots["0ad-data"] = "/x/0ad-data"
	if got := names(guardSets(roots)); !slices.Equal(got, []string{"real-pretrain"}) {
		t.Errorf("guarded with one of real-pretrain-animals' three packages: %v", got)
	}
	roots["wesnoth-1.16-data"], roots["gcompris-qt-data"] = "/x/w", "/x/g"
	if got := names(guardSets(roots)); !slices.Equal(got, []string{"real-pretrain", "real-pretrain-animals"}) {
		t.Errorf("guarded with real-pretrain-animals unpacked: %v", got)
	}
}
