package main

import (
	"fmt"
	"path"
	"regexp"
	"strings"
)

// Source is one Debian package, pinned: the data sets are built from exactly
// this version, whose .deb must have this SHA-256 (as `apt-get download`
// writes it), so that every count in the data sheets follows from it.
type Source struct {
	Package string
	Version string
	// SHA256 is the digest of the .deb file, hex.
	SHA256 string
	// DebBytes is the size of the .deb download.
	DebBytes int64
	// Licence is the licence of the sound files, from the package's
	// debian/copyright (the paragraph that covers them).
	Licence string
	// What says what the package is and what its sounds are.
	What string
	// Archives inside the package whose members are unpacked (Archive).
	Archives []Archive
}

// DebFile is the file name `apt-get download` gives the package's .deb (an
// epoch's colon is written %3a).
func (s Source) DebFile() string {
	return s.Package + "_" + strings.ReplaceAll(s.Version, ":", "%3a") + "_all.deb"
}

// Dir is the folder, under the packages' cache, that the .deb unpacks into.
func (s Source) Dir() string {
	return s.Package + "_" + strings.NewReplacer(":", "_", "~", "_").Replace(s.Version)
}

// Sources are the packages the real-recording data sets come from, measured
// on Debian 12 (bookworm), main. Training and evaluation sets never share a
// package (checkSets).
var Sources = []Source{
	{
		Package: "tuxpaint-stamps-default", Version: "2022.06.04-1", DebBytes: 160880444,
		SHA256:  "6db6c1bfc870a47f1499d6203b083522eacb57c5f9c87d468f2e92eb6d9d5f34",
		Licence: "GPL-2 (debian/copyright, Files: *, © 2002–2022 Bill Kendrick and contributors)",
		What: "the rubber stamps of Tux Paint, a children's drawing program: each stamp may carry a sound " +
			"effect (for animal stamps, the animal's call) and spoken descriptions of the stamp, one file per language",
	},
	{
		Package: "klettres-data", Version: "4:22.12.3-1", DebBytes: 39529084,
		SHA256:  "1186d257a19e84230856baea0b0b1ded8be9195080fcdb2588970b5cd937f5a8",
		Licence: "GPL-2+ (debian/copyright, Files: *)",
		What:    "KLettres (KDE Education): letters and syllables spoken by native speakers, one folder per language",
	},
	{
		Package: "ktuberling-data", Version: "4:22.12.3-1", DebBytes: 46661752,
		SHA256:  "fba44c875bfa31ea488dadd9263e87a4dcaea0bd47d28817f6c0dc6d2af970ed",
		Licence: "GPL-2+ (debian/copyright, Files: *)",
		What:    "KTuberling (KDE Games): the names of the toy's parts spoken in many languages, one folder per language",
	},
	{
		Package: "scratch", Version: "1.4.0.6~dfsg1-6.1", DebBytes: 25654320,
		SHA256:  "36c582eb93110f64f06c4e685c41e933ccba2fa68db12f79b10bfe840b21fc10",
		Licence: "CC-BY-SA-3.0 (debian/copyright, Files: Help/* Media/* Projects, © 2011 MIT)",
		What:    "Scratch 1.4's sound library: animal calls, human sounds (laughs, coughs, footsteps), voices and effects",
	},
	{
		Package: "widelands-data", Version: "2:1.1-3", DebBytes: 381353540,
		SHA256:  "0e23d645b15bcfb9e3bcae0de9bc1bdfa75a6ecb36b2e449759d6eb0b4bbd8fb",
		Licence: "GPL-2+ (debian/copyright, Files: *, © 2002–2019 the Widelands Development Team)",
		What: "Widelands, a settlement-building game: the calls of the wild animals of its landscapes (birds, " +
			"crickets, wolves, deer, a frog) and of its farm animals, played as ambience",
	},
	{
		Package: "megaglest-data", Version: "3.13.0-3", DebBytes: 242024888,
		SHA256:  "ed4783d9fc78e201a548b266f7c30325eb16cfd58a20bf4597dd6e622f84a07e",
		Licence: "CC-BY-SA-3.0 (debian/copyright, Files: *, © 2001–2008 the Glest Team)",
		What: "MegaGlest, a real-time strategy game: the sounds of its animal units (cows, bulls, pigs, sheep, " +
			"chickens, bees) and the animals of its landscapes' ambience (wolf, owl, hawk, rooster)",
	},
	{
		Package: "0ad-data", Version: "0.0.26-1", DebBytes: 1377557908,
		SHA256:  "53745ae74d05bccf6783400fa98f3932b21729ab9d2e86151aa2c331c3455178",
		Licence: "CC-BY-SA-3.0 (debian/copyright, Files: *, © 2010 Wildfire Games)",
		What: "0 A.D., a historical real-time strategy game: the sounds of its animals (cattle, chickens, goats, " +
			"horses, pigs, sheep, camels, elephants, lions, …), kept in one 3.3 GB zip file (public.zip) of which " +
			"only audio/ is unpacked",
		Archives: []Archive{{Glob: "usr/share/games/0ad/mods/public/public.zip", Prefix: "audio/"}},
	},
	{
		Package: "wesnoth-1.16-data", Version: "1:1.16.9-1", DebBytes: 146229044,
		SHA256:  "1012b964bd412a6770685e3324ae3b61e176caff7846192d1ee63d55cd621e26",
		Licence: "GPL-2+ (debian/copyright, © 2003–2009 David White and the Wesnoth contributors)",
		What:    "Battle for Wesnoth, a turn-based strategy game: the sounds of its units (wolves, horses) and ambience (birds)",
	},
	{
		Package: "gcompris-qt-data", Version: "3.1-2", DebBytes: 44196292,
		SHA256:  "e9cf06ab2105529068df73085784e835d2ff03f870d2a8091f09125d40abac9f",
		Licence: "GPL-3 (debian/copyright, Files: src/activities/explore_farm_animals/resource/animals/*, © 2000, 2008 Bruno Coudoin and others)",
		What: "GCompris, educational activities for children: the farm animals' calls of its explore_farm_animals " +
			"activity (cow, horse, chickens, duck, dog, owl, pig, sheep), kept in Qt resource files (.rcc)",
		Archives: []Archive{{Glob: "usr/share/gcompris-qt/rcc/*.rcc"}},
	},
}

// sourceByName returns the pinned source of a package.
func sourceByName(pkg string) (Source, error) {
	for _, s := range Sources {
		if s.Package == pkg {
			return s, nil
		}
	}
	return Source{}, fmt.Errorf("realdata: no pinned source %q", pkg)
}

// Use says what a data set may be used for.
type Use string

const (
	// Evaluation sets measure extractors; nothing in them may train or choose one.
	Evaluation Use = "evaluation"
	// Training sets may train and choose extractors; they never measure transfer.
	Training Use = "training"
)

// Rule labels one file of an unpacked package: rel is its path inside the
// package (slash-separated, e.g. usr/share/klettres/fr/alpha/a.ogg). ok is
// false for files the set does not take; an error means the package holds a
// file the rule cannot place (a new folder, say), which stops the build rather
// than silently dropping or mislabelling it.
type Rule func(pkg, rel string) (class string, ok bool, err error)

// Set is one data set built from the sources.
type Set struct {
	// Name is the folder under datasets/.
	Name string
	Use  Use
	// Packages are the sources it takes files from.
	Packages []string
	Rule     Rule
	// MaxPerClass keeps at most this many recordings per class (0: all),
	// chosen by the SHA-256 of their bytes, smallest first.
	MaxPerClass int
	// MinPerClass drops the classes left with fewer recordings.
	MinPerClass int
	// Group, when set, names the source recording a file may share with other
	// files (takes cut from one recording: bird1_00.ogg, bird1_01.ogg): the
	// files of one group and class are written into one WAV file, one after
	// the other, each padded to whole clips, so that a recording is one file
	// (what splits group by) and MinPerClass counts groups. Nil: every file
	// is its own recording.
	Group func(pkg, rel string) string
	// GroupName names the Group function for the data sheet (kindGroup).
	GroupName string
	// OnDemand: a training set built only when named (-set), and not among
	// the sets the evaluation sets are checked against (guardSets): one that
	// no shipped extractor trained on, whose download every build need not
	// pay. A set that trains a shipped extractor must not be on demand.
	OnDemand bool
	// SkipSilentClips leaves out of a recording's WAV file (and labels) its
	// clips whose sound (the source's samples in the clip, padding aside) has
	// an RMS level below Options.SilenceDBFS: long ambience recordings hold
	// silent stretches. MaxClipsPerFile keeps at most that many clips of
	// each source file, its first (0: all), so that a long recording does not
	// outweigh its class's short ones.
	SkipSilentClips bool
	MaxClipsPerFile int
	// Summary is the data sheet's first paragraph; Classes explains the labels.
	Summary, Classes string
}

// Sets are the real-recording data sets, by name.
var Sets = []Set{
	{
		Name: "real-narrators", Use: Evaluation, Packages: []string{"tuxpaint-stamps-default"},
		Rule: narratorRule, MaxPerClass: 40, MinPerClass: 20,
		Summary: "Real human voices: spoken descriptions of Tux Paint's stamps (\"a red apple\", \"a fire truck\"), " +
			"recorded by the volunteers who translated Tux Paint, labelled by the language of the recording. Telling " +
			"one language's narrator(s) from another's by voice, microphone and room is the speech analogue of telling " +
			"individuals or populations apart by their calls: an evaluation of transfer to sounds no extractor here was trained on.",
		Classes: "the language code in the file name (`…_desc_<code>.ogg`); the package does not record how many " +
			"people narrated each language (often one translator), so a class is a language and its narrator(s), " +
			"recorded with their own microphone and room",
	},
	{
		Name: "real-animals", Use: Evaluation, Packages: []string{"tuxpaint-stamps-default"},
		Rule: animalRule, MinPerClass: 5,
		Summary: "Real animal sounds: the calls that Tux Paint's animal stamps play (a crow, a lion, a bee), one " +
			"recording per species, labelled by the animal group of the stamp's folder. Few recordings, short, of " +
			"unknown origin and processing: an evaluation of transfer to real animal sound (few-shot classification " +
			"of birds against mammals, nearest-neighbour retrieval), not a benchmark.",
		Classes: "the stamp's folder under `stamps/animals/` through a fixed table in lib/cmd/realdata " +
			"(birds → bird, mammals and marsupials → mammal, insects → insect, amphibians → amphibian, lizards → reptile)",
	},
	{
		Name: "real-animal-kinds", Use: Evaluation, Packages: []string{"tuxpaint-stamps-default", "widelands-data", "megaglest-data"},
		Rule: kindRule, Group: kindGroup, GroupName: "kindGroup", MinPerClass: 5, SkipSilentClips: true, MaxClipsPerFile: 4,
		Summary: "Real animal sounds labelled by the kind of animal (wild birds, poultry, cattle, pigs, sheep and goats, " +
			"horses, dogs and wolves, deer, insects), gathered from three programs that recorded or collected them " +
			"independently: Tux Paint's animal stamps, the wild and farm animals of Widelands' landscapes and " +
			"MegaGlest's animal units and ambience. Each class holds recordings of several animals from at least two " +
			"packages, so telling the kinds apart takes the animal's sound, not one program's microphone: an " +
			"evaluation of transfer to real animal sound, with enough classes to rank extractors.",
		Classes: "the animal named by the file's name (or, for MegaGlest's units, its folder), through a fixed table " +
			"in lib/cmd/realdata (`animalKinds`): `wild_bird` (song and calls of wild birds: blackbird, lark, cuckoo, " +
			"crow, owl, gull, hawk, eagle, …), `poultry` (hen, rooster, turkey), " +
			"`cattle` (cow, bull, ox, bison), `pig` (pig, boar), `sheep_goat`, `horse` (horse, donkey, zebra), " +
			"`canid` (dog, fox, wolf, coyote), `deer` (deer, doe, caribou, stag, moose) and `insect` (bee, hornet, " +
			"mosquito, grasshopper, crickets, …); the table's `waterfowl` (duck, drake, gander) and `frog` are taken " +
			"but keep too few recordings and are dropped (`dropped.csv`). Names not in the table (people, machines, " +
			"animals with one recording) are not taken, nor are MegaGlest's fantasy units, though their sounds carry " +
			"an animal's name (the thunderbird's `eagle_*.wav`: `fantasyUnits`). A recording is a group of files cut from one " +
			"source (kindGroup): a Tux Paint stamp; a Widelands sound without its take number (`bird1_00`, " +
			"`bird1_01` → `bird1`); a MegaGlest unit folder, common sound prefix (`cow_ack1`, `cow_die2` → `cow`) " +
			"or landscape sound name; source files that are excerpts of one another are one recording too",
	},
	{
		Name: "real-pretrain", Use: Training, Packages: []string{"klettres-data", "ktuberling-data", "scratch"},
		Rule: pretrainRule, MinPerClass: 1,
		Summary: "Real recordings for training feature extractors (self-supervised or supervised): letters, syllables " +
			"and words spoken in many languages (KLettres, KTuberling) and Scratch's library of animal, human and " +
			"everyday sounds. None of these packages feeds an evaluation set.",
		Classes: "the source and its folder: `klettres_<language>`, `ktuberling_<language>` (the folder's " +
			"language code, `@` written `_`), `scratch_<category>` (Animal, Effects, Human, Vocals; Scratch's " +
			"music, instrument and electronic folders are left out)",
	},
	{
		Name: "real-pretrain-animals", Use: Training, OnDemand: true, Packages: []string{"0ad-data", "wesnoth-1.16-data", "gcompris-qt-data"},
		Rule: trainingKindRule, Group: trainingKindGroup, GroupName: "trainingKindGroup", MinPerClass: 1, SkipSilentClips: true,
		Summary: "Real animal sounds for training feature extractors, labelled by the kinds of real-animal-kinds (wild birds, " +
			"poultry, cattle, pigs, sheep and goats, horses, dogs and wolves, …): the animals of 0 A.D. and Battle for " +
			"Wesnoth and GCompris' farm animals. None of these packages feeds an evaluation set, and every evaluation set " +
			"leaves out the sounds that are recordings, excerpts or holders of these (the excerpt guard).",
		Classes: "the animal named by the file's name through the table of real-animal-kinds (`animalKinds`): the first " +
			"word of the name that names an animal of the table (`cattle_01` → cattle, `death_horse_10` → horse, " +
			"`chickens` → chicken → poultry, `birds1` → bird → wild_bird); names not in the table (camel, elephant, lion, " +
			"cat, …) are not taken, nor are Wesnoth's dragons (`drake-*`). A recording is every sound of one animal in " +
			"one package (all of 0 A.D.'s cattle sounds are one WAV file), so that a split by recording never puts takes of " +
			"one recording on both sides",
	},
}

// setByName returns a set by its name.
func setByName(name string) (Set, error) {
	for _, s := range Sets {
		if s.Name == name {
			return s, nil
		}
	}
	return Set{}, fmt.Errorf("realdata: no data set %q (have %s)", name, strings.Join(setNames(), ", "))
}

// setNames names the sets built by default: all but those on demand.
func setNames() []string {
	var names []string
	for _, s := range Sets {
		if !s.OnDemand {
			names = append(names, s.Name)
		}
	}
	return names
}

// guardSets are the training sets that the evaluation sets are checked
// against (the excerpt guard): every training set that is not on demand, and
// each one on demand whose packages are all unpacked in roots (run unpacks
// them only when it builds that set).
func guardSets(roots map[string]string) []Set {
	var out []Set
	for _, t := range Sets {
		if t.Use != Training {
			continue
		}
		if t.OnDemand && !allUnpacked(t, roots) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// allUnpacked says whether every package of set has a root.
func allUnpacked(set Set, roots map[string]string) bool {
	for _, p := range set.Packages {
		if roots[p] == "" {
			return false
		}
	}
	return true
}

// checkSets enforces that no package feeds both a training and an
// evaluation set, and that every set's packages are pinned.
func checkSets(sets []Set) error {
	useOf := map[string]Use{}
	setOf := map[string]string{}
	for _, s := range sets {
		for _, p := range s.Packages {
			if _, err := sourceByName(p); err != nil {
				return fmt.Errorf("set %s: %w", s.Name, err)
			}
			if u, ok := useOf[p]; ok && u != s.Use {
				return fmt.Errorf("realdata: package %s feeds %s set %s and %s set %s: training and evaluation sources must stay apart",
					p, u, setOf[p], s.Use, s.Name)
			}
			useOf[p], setOf[p] = s.Use, s.Name
		}
	}
	return nil
}

const tuxpaintStamps = "usr/share/tuxpaint/stamps/"

// descRE matches a stamp's spoken description: <stamp>_desc_<language>.ogg.
var descRE = regexp.MustCompile(`^(.+)_desc_([a-z]{2,3}(?:_[a-z]{2,4})?)\.ogg$`)

// narratorRule takes Tux Paint's spoken descriptions that name their language.
func narratorRule(pkg, rel string) (string, bool, error) {
	if pkg != "tuxpaint-stamps-default" || !strings.HasPrefix(rel, tuxpaintStamps) {
		return "", false, nil
	}
	m := descRE.FindStringSubmatch(path.Base(rel))
	if m == nil {
		return "", false, nil
	}
	return m[2], true, nil
}

// animalGroups maps a folder under stamps/animals/ to its class. A folder not
// listed here that holds a sound stops the build (animalRule).
var animalGroups = map[string]string{
	"birds":      "bird",
	"mammals":    "mammal",
	"marsupials": "mammal",
	"insects":    "insect",
	"amphibians": "amphibian",
	"lizards":    "reptile",
}

// animalRule takes the sound effects (not the spoken descriptions) of the
// stamps under stamps/animals/.
func animalRule(pkg, rel string) (string, bool, error) {
	const prefix = tuxpaintStamps + "animals/"
	if pkg != "tuxpaint-stamps-default" || !strings.HasPrefix(rel, prefix) || path.Ext(rel) != ".ogg" {
		return "", false, nil
	}
	base := path.Base(rel)
	if strings.Contains(base, "_desc") {
		return "", false, nil
	}
	folder, _, found := strings.Cut(strings.TrimPrefix(rel, prefix), "/")
	if !found {
		return "", false, fmt.Errorf("%s: a sound directly under animals/, in no group folder", rel)
	}
	class, ok := animalGroups[folder]
	if !ok {
		return "", false, fmt.Errorf("%s: animal folder %q is not in the table of groups (lib/cmd/realdata animalGroups)", rel, folder)
	}
	return class, true, nil
}

// classNameRE is what a class column name may hold.
var classNameRE = regexp.MustCompile(`[^a-z0-9_]+`)

// className lower-cases s and writes any run of other characters as "_".
func className(s string) string {
	return strings.Trim(classNameRE.ReplaceAllString(strings.ToLower(s), "_"), "_")
}

// scratchCategories are the folders of Scratch's sound library that hold
// recorded sounds of animals, people and things (its Electronic, Instruments,
// Music Loops and Percussion folders hold music).
var scratchCategories = map[string]bool{"Animal": true, "Effects": true, "Human": true, "Vocals": true}

// pretrainRule takes the spoken letters and syllables of KLettres, the
// spoken words of KTuberling (Ogg and WAV; its Opus files are left out: no
// Opus decoder in lib/audio) and Scratch's recorded sounds.
func pretrainRule(pkg, rel string) (string, bool, error) {
	ext := path.Ext(rel)
	parts := strings.Split(rel, "/")
	switch pkg {
	case "klettres-data":
		// usr/share/klettres/<language>/{alpha,syllab}/<x>.ogg
		if len(parts) == 6 && strings.Join(parts[:3], "/") == "usr/share/klettres" && ext == ".ogg" &&
			(parts[4] == "alpha" || parts[4] == "syllab") {
			return "klettres_" + className(parts[3]), true, nil
		}
	case "ktuberling-data":
		// usr/share/ktuberling/sounds/<language>/<word>.{ogg,wav}
		if len(parts) == 6 && strings.Join(parts[:4], "/") == "usr/share/ktuberling/sounds" && (ext == ".ogg" || ext == ".wav") {
			return "ktuberling_" + className(parts[4]), true, nil
		}
	case "scratch":
		// usr/share/scratch/Media/Sounds/<category>/<name>.{wav,mp3}
		if len(parts) == 7 && strings.Join(parts[:5], "/") == "usr/share/scratch/Media/Sounds" &&
			scratchCategories[parts[5]] && (ext == ".wav" || ext == ".mp3") {
			return "scratch_" + className(parts[5]), true, nil
		}
	}
	return "", false, nil
}
