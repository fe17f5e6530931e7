package main

import (
	"path"
	"regexp"
	"strings"
)

// animalKinds maps an animal's name, as kindSource reads it from a path, to
// the class of real-animal-kinds. A name not listed is not taken.
var animalKinds = map[string]string{
	// Wild birds: songbirds and the calls of other wild birds.
	"blackbird": "wild_bird", "lark": "wild_bird", "cuckoo": "wild_bird", "crow": "wild_bird",
	"owl": "wild_bird", "seagull": "wild_bird", "vulture": "wild_bird", "quetzal": "wild_bird",
	"tucan": "wild_bird", "penguin": "wild_bird", "nandou": "wild_bird", "bird": "wild_bird",
	"hawk": "wild_bird", "eagle": "wild_bird",
	"hen": "poultry", "rooster": "poultry", "turkey": "poultry", "chicken": "poultry",
	"duck": "waterfowl", "drake": "waterfowl", "gander": "waterfowl",
	"cattle": "cattle", "cow": "cattle", "cow_white": "cattle", "bull": "cattle", "bison": "cattle", "ox": "cattle", "mudchute_cow": "cattle",
	"pig": "pig", "pig_golden": "pig", "pig_golden2": "pig", "boar": "pig",
	"sheep": "sheep_goat", "sheep_lamb": "sheep_goat", "ram": "sheep_goat", "goat": "sheep_goat", "mountaingoat": "sheep_goat",
	"horse": "horse", "donkey": "horse", "zebra": "horse",
	"dog": "canid", "fox": "canid", "wolf": "canid", "coyote": "canid",
	"deer": "deer", "doe": "deer", "caribou": "deer", "stag": "deer", "moose": "deer",
	"bee": "insect", "hornet": "insect", "mosquito": "insect", "grasshopper": "insect", "xanthia": "insect", "crickets": "insect",
	"frog": "frog",
}

// fantasyUnits are MegaGlest units that are not real animals, though their
// sounds carry an animal's name (the thunderbird's are eagle_*.wav): a
// recording of a real animal is not a claim the set can make for them.
var fantasyUnits = map[string]bool{"thunderbird": true}

const (
	widelandsData  = "usr/share/games/widelands/data/"
	megaglestTechs = "usr/share/games/megaglest/techs/megapack/"
	megaglestTiles = "usr/share/games/megaglest/tilesets/"
)

var (
	// takeRE is a Widelands take number: bird1_00.ogg is take 00 of bird1.
	takeRE = regexp.MustCompile(`_[0-9]+$`)
	// trailingDigitsRE is an index at the end of a name: bird1, sheep10, mudchute_cow_1.
	trailingDigitsRE = regexp.MustCompile(`_?[0-9]+$`)
)

// kindSource reads an animal's name and its source recording from a path of
// the packages of real-animal-kinds; ok is false for paths that hold no
// animal sound of theirs (images, music, other folders, descriptions).
//
//   - tuxpaint-stamps-default: stamps/animals/…/<name>.ogg; each stamp is one recording.
//   - widelands-data: sound/animals/, sound/farm/ and world/critters/<x>/, <name><n>_<take>.ogg;
//     the recording is the name with its index (bird1), without the take.
//   - megaglest-data: a unit's sounds (techs/…/units/<unit>/sounds/<name>_<action><n>.wav: the
//     recording is the unit), the common sounds (techs/…/commondata/sounds/<name>_<action><n>.wav:
//     the recording is the name) and the landscapes' sounds (tilesets/<set>/sounds/<name>.{wav,ogg}:
//     the recording is the name, whichever landscape holds it).
func kindSource(pkg, rel string) (name, recording string, ok bool) {
	ext := path.Ext(rel)
	base := strings.ToLower(strings.TrimSuffix(path.Base(rel), ext))
	parts := strings.Split(rel, "/")
	switch pkg {
	case "tuxpaint-stamps-default":
		if !strings.HasPrefix(rel, tuxpaintStamps+"animals/") || ext != ".ogg" || strings.Contains(base, "_desc") {
			return "", "", false
		}
		return base, base, true
	case "widelands-data":
		inSound := strings.HasPrefix(rel, widelandsData+"sound/animals/") || strings.HasPrefix(rel, widelandsData+"sound/farm/")
		inCritters := strings.HasPrefix(rel, widelandsData+"world/critters/")
		if !(inSound || inCritters) || ext != ".ogg" {
			return "", "", false
		}
		recording = takeRE.ReplaceAllString(base, "")
		return trailingDigitsRE.ReplaceAllString(recording, ""), recording, true
	case "megaglest-data":
		if ext != ".wav" && ext != ".ogg" {
			return "", "", false
		}
		switch {
		case strings.HasPrefix(rel, megaglestTechs+"factions/") && len(parts) == 12 && parts[8] == "units" && parts[10] == "sounds":
			if fantasyUnits[parts[9]] {
				return "", "", false
			}
			prefix, _, _ := strings.Cut(base, "_")
			return trailingDigitsRE.ReplaceAllString(prefix, ""), "unit " + parts[9], true
		case strings.HasPrefix(rel, megaglestTechs+"commondata/sounds/") && len(parts) == 9:
			prefix, _, _ := strings.Cut(base, "_")
			return prefix, "common " + prefix, true
		case strings.HasPrefix(rel, megaglestTiles) && len(parts) == 8 && parts[6] == "sounds":
			name = trailingDigitsRE.ReplaceAllString(base, "")
			return name, "landscape " + name, true
		}
	}
	return "", "", false
}

// kindRule takes the sounds of the animals in animalKinds, labelled by kind.
func kindRule(pkg, rel string) (string, bool, error) {
	name, _, ok := kindSource(pkg, rel)
	if !ok {
		return "", false, nil
	}
	class, ok := animalKinds[name]
	return class, ok, nil
}

// kindGroup is the source recording of a file kindRule takes: the package
// and the recording kindSource reads.
func kindGroup(pkg, rel string) string {
	_, recording, _ := kindSource(pkg, rel)
	return pkg + " " + recording
}

// Paths of the packages of real-pretrain-animals that hold animal sounds.
const (
	zeroADFauna   = "usr/share/games/0ad/mods/public/public.zip/audio/actor/fauna/"
	zeroADMounted = "usr/share/games/0ad/mods/public/public.zip/audio/actor/mounted/"
	wesnothSounds = "usr/share/games/wesnoth/1.16/data/core/sounds/"
	gcomprisRCC   = "usr/share/gcompris-qt/rcc/"
)

// wesnothFantasy are Wesnoth's creatures whose sounds carry a name of the
// kinds table but are no real animal: its drakes are dragons.
var wesnothFantasy = map[string]bool{"drake": true}

// nameTokenRE splits a sound's file name into words: cattle_01, death_horse_10,
// wolf-growl-1, LRBark_1_LA_cut.
var nameTokenRE = regexp.MustCompile(`[_\-. ]+`)

// trainingAnimal reads the animal's name from a file name for
// real-pretrain-animals: the first word of the name (words split at "_",
// "-", "."; digits at a word's end dropped; a plural "s" dropped when the
// singular is in animalKinds) that names an animal of animalKinds, or "".
func trainingAnimal(base string) string {
	for _, w := range nameTokenRE.Split(strings.ToLower(base), -1) {
		w = strings.TrimRight(w, "0123456789")
		if _, ok := animalKinds[w]; ok {
			return w
		}
		if s := strings.TrimSuffix(w, "s"); s != w {
			if _, ok := animalKinds[s]; ok {
				return s
			}
		}
	}
	return ""
}

// trainingKindSource reads an animal's name from a path of the packages of
// real-pretrain-animals (ok false for paths that hold no sound of theirs, or
// no animal of animalKinds):
//
//   - 0ad-data: the sounds of its fauna and mounted units in public.zip
//     (audio/actor/fauna/…, audio/actor/mounted/…: cattle_01.ogg, death_horse_10.ogg);
//   - wesnoth-1.16-data: data/core/sounds/ and its ambient/ folder
//     (wolf-growl-1.ogg, horse-die.ogg, ambient/birds1.ogg), its dragons (drake-*) left out;
//   - gcompris-qt-data: the sounds of its activities inside its Qt resource
//     files (rcc/<activity>.rcc/gcompris/src/activities/…: explore_farm_animals' cow.ogg).
func trainingKindSource(pkg, rel string) (name string, ok bool) {
	ext := strings.ToLower(path.Ext(rel))
	if ext != ".ogg" && ext != ".wav" {
		return "", false
	}
	base := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	switch pkg {
	case "0ad-data":
		if !strings.HasPrefix(rel, zeroADFauna) && !strings.HasPrefix(rel, zeroADMounted) {
			return "", false
		}
	case "wesnoth-1.16-data":
		if !strings.HasPrefix(rel, wesnothSounds) {
			return "", false
		}
		if first, _, _ := strings.Cut(strings.ToLower(base), "-"); wesnothFantasy[first] {
			return "", false
		}
	case "gcompris-qt-data":
		if !strings.HasPrefix(rel, gcomprisRCC) || !strings.Contains(rel, ".rcc/gcompris/src/activities/") {
			return "", false
		}
	default:
		return "", false
	}
	name = trainingAnimal(base)
	return name, name != ""
}

// trainingKindRule labels the sounds of real-pretrain-animals by kind, with
// the table of real-animal-kinds (animalKinds).
func trainingKindRule(pkg, rel string) (string, bool, error) {
	name, ok := trainingKindSource(pkg, rel)
	if !ok {
		return "", false, nil
	}
	return animalKinds[name], true, nil
}

// trainingKindGroup is the source recording of a file of
// real-pretrain-animals, counted cautiously: every sound of one animal in one
// package (0 A.D.'s cattle_01 … cattle_07, Wesnoth's wolf-growl and wolf-die)
// is taken to come from one recording, so that a split by recording never
// puts takes of one recording on both sides.
func trainingKindGroup(pkg, rel string) string {
	name, _ := trainingKindSource(pkg, rel)
	return pkg + " " + name
}
