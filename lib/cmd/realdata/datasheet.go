package main

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Datasheet is the set's DATASHEET.md: the same bytes for the same packages
// and options (the test in data_test.go compares it with the committed one).
func (res *Result) Datasheet() string {
	var b strings.Builder
	set, o := res.Set, res.Options
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Data sheet: %s (real recordings, %s)\n\n", set.Name, set.Use)
	p("Built by `lib/cmd/realdata` (dawnchorus) from Debian packages, pinned by version and SHA-256; rebuild with\n\n")
	p("```\nmake %s   # or: go run ./lib/cmd/realdata -set %s\n```\n\n", "realdata", set.Name)
	p("(`apt-get download` and `dpkg -x` into `build/debian/` when missing — no installation, no root — then offline).\n\n")

	p("## Motivation\n\n%s\n\n", set.Summary)

	p("## Use: %s only\n\n", set.Use)
	switch set.Use {
	case Evaluation:
		p("This set measures feature extractors. Nothing in it — and nothing from its source package")
		p(" (%s) — may train, tune or choose an extractor, a front end or a hyperparameter; a number measured", pkgList(res.Sources))
		p(" on it claims transfer only for extractors that never saw these packages. Clips of one recording")
		p(" (one WAV file) must stay on one side of every split: group by `file`.\n\n")
	case Training:
		p("This set may train and choose feature extractors (self-supervised, contrastive or supervised on its")
		p(" labels). It never measures transfer: the evaluation sets (`real-narrators`, `real-animals`, `real-animal-kinds`) come from")
		p(" other packages. Clips of one recording must stay on one side of a validation split: group by `file`.\n\n")
		if set.OnDemand {
			p("Built only on demand (`go run ./lib/cmd/realdata -set %s`, or the make target that trains on it), not by", set.Name)
			p(" `make realdata`: no shipped extractor trained on it. The evaluation sets are checked against it (the excerpt")
			p(" guard) only when it is built in the same run; a set that trains a shipped extractor must not be on demand.\n\n")
		}
	}

	p("## Sources\n\n| package | version | .deb | licence of the sounds | what |\n|---|---|---|---|---|\n")
	for _, s := range res.Sources {
		p("| `%s` | `%s` | %.1f MB, SHA-256 `%s…` | %s | %s |\n", s.Package, s.Version, float64(s.DebBytes)/1e6, s.SHA256[:16], s.Licence, s.What)
	}
	p("\n")

	classes := res.Classes()
	recs, clips, sourceFiles := map[string]int{}, map[string]int{}, map[string]int{}
	files := map[string]bool{}
	secs := map[string]float64{}
	rates, channels, formats := map[string]int{}, map[string]int{}, map[string]int{}
	var total float64
	var totalClips int
	for _, r := range res.Recordings {
		if !files[r.File] {
			files[r.File] = true
			recs[r.Class]++
		}
		sourceFiles[r.Class]++
		clips[r.Class] += r.Clips
		secs[r.Class] += r.SourceSeconds
		total += r.SourceSeconds
		totalClips += r.Clips
		rates[fmt.Sprintf("%d Hz", r.SourceRateHz)]++
		channels[map[bool]string{true: "mono", false: fmt.Sprintf("%d channels", r.SourceChannels)}[r.SourceChannels == 1]]++
		formats[strings.TrimPrefix(extOf(r.SourcePath), ".")]++
	}
	p("## Composition\n\n")
	grouped := set.Group != nil
	if grouped {
		p("- %d recordings of %d source files (%.1f s of sound in all), %d labelled clips of %g s; %d classes, single-label.\n",
			len(files), len(res.Recordings), total, totalClips, o.ClipSeconds, len(classes))
		p("- Each recording is one WAV file, `audio/<class>/<recording>-<sha8>.wav`, holding the source files cut from one")
		p(" recording one after the other: mono (channels averaged), %d Hz, 16-bit PCM, each source file zero-padded at its", o.SampleRateHz)
		p(" end to whole %g s clips (a leftover shorter than %g s after its last whole clip is cut off), so no clip mixes two files.\n", o.ClipSeconds, o.MinSeconds)
	} else {
		p("- %d recordings (%.1f s of sound in all), %d labelled clips of %g s; %d classes, single-label.\n",
			len(res.Recordings), total, totalClips, o.ClipSeconds, len(classes))
		p("- Each recording is one WAV file, `audio/<class>/<name>-<sha8>.wav`: mono (channels averaged), %d Hz, 16-bit PCM,", o.SampleRateHz)
		p(" zero-padded at the end to whole %g s clips (a leftover shorter than %g s after the last whole clip is cut off).\n", o.ClipSeconds, o.MinSeconds)
	}
	p("- Source files: %s; %s; %s.\n\n", countList(formats), countList(rates), countList(channels))
	if grouped {
		p("| class | recordings | clips | seconds | source files | candidates | not taken (cap %s) |\n|---|---|---|---|---|---|---|\n", capText(set.MaxPerClass))
	} else {
		p("| class | recordings | clips | seconds | candidates | not taken (cap %s) |\n|---|---|---|---|---|---|\n", capText(set.MaxPerClass))
	}
	for _, c := range classes {
		if grouped {
			p("| %s | %d | %d | %.1f | %d | %d | %d |\n", c, recs[c], clips[c], secs[c], sourceFiles[c], res.Candidates[c], res.NotTaken[c])
		} else {
			p("| %s | %d | %d | %.1f | %d | %d |\n", c, recs[c], clips[c], secs[c], res.Candidates[c], res.NotTaken[c])
		}
	}
	p("\nClasses: %s.\n\n", set.Classes)

	p("## Selection (the rules, in lib/cmd/realdata)\n\n")
	p("1. The set's rule takes files by their path in the package (%s) and labels them by it: no hand-made list of files or labels.\n", pkgList(res.Sources))
	p("2. Files with the same bytes are kept once; when they are filed under different classes, all of them are dropped.\n")
	p("3. Files that lib/audio cannot decode (`dropped.csv` quotes its error), silent files (every sample zero), files shorter than %g s and files whose RMS level is below %g dBFS are dropped.\n", o.MinSeconds, o.SilenceDBFS)
	p("4. Near copies (lengths within %g %%, RMS envelopes in %g ms frames correlated ≥ %g) count as one recording:", 100*o.CopyLengthTolerance, 1000*o.EnvelopeSeconds, o.CopyCorrelation)
	p(" the later one is dropped, and both when they carry different classes.\n")
	if set.MaxPerClass > 0 {
		p("5. Each class keeps its first %d recordings in the order of their SHA-256 (a fixed, content-defined draw).\n", set.MaxPerClass)
	} else {
		p("5. Every remaining recording is kept.\n")
	}
	if grouped {
		p("6. Files cut from one recording (%s) are one recording; classes left with fewer than %d recordings are dropped.\n", set.GroupName, set.MinPerClass)
		if set.SkipSilentClips || set.MaxClipsPerFile > 0 {
			p("7. Each source file's clips are written")
			if set.SkipSilentClips {
				p(" less those whose sound (padding aside) has an RMS level below %g dBFS (silent stretches of long ambience recordings)", o.SilenceDBFS)
			}
			if set.MaxClipsPerFile > 0 {
				p(", at most its first %d (%g s), so that a long recording does not outweigh its class's short ones", set.MaxClipsPerFile, float64(set.MaxClipsPerFile)*o.ClipSeconds)
			}
			p("; the seconds above count the source files whole.\n")
		}
		p("\n")
	} else {
		p("6. Classes left with fewer than %d recordings are dropped.\n\n", set.MinPerClass)
	}
	if set.Use == Evaluation {
		p("%s source file that is a recording of the training sets (%s), an excerpt of one or holds one is dropped,", map[bool]string{true: "8. A", false: "7. A"}[grouped && (set.SkipSilentClips || set.MaxClipsPerFile > 0)], trainingSetList(res.Guarded))
		p(" whatever its class, with the training file it matches in `dropped.csv`: the shorter sound's active stretch (at least %g s) slid over", o.ExcerptMinSeconds)
		p(" the longer's RMS envelope in %g ms frames, envelopes correlated ≥ %g somewhere and waveforms there ≥ %g in absolute value", 1000*o.ExcerptFrameSeconds, o.ExcerptEnvelopeCorrelation, o.ExcerptWaveCorrelation)
		p(" (gain, trims and a flipped polarity do not hide a copy).")
		if grouped {
			p(" Source files of the set that match one another the same way are put in one recording (one WAV file), so that they never straddle a split; both are dropped when their classes differ.")
		}
		p("\n\n")
		if len(res.Merged) > 0 {
			p("Merged into one recording (one is an excerpt of the other):\n\n")
			for _, m := range res.Merged {
				p("- `%s %s` with `%s` (%s)\n", m.Package, m.SourcePath, m.Of, m.Relation)
			}
			p("\n")
		}
	}
	reasons := map[string]int{}
	for _, d := range res.Dropped {
		reasons[reasonKind(d.Reason)]++
	}
	if len(reasons) > 0 {
		p("Dropped (each file and its reason in `dropped.csv`): %s.\n\n", countList(reasons))
	}

	p("## Files\n\n")
	p("- `labels.csv`: OpenSoundscape form, `file,start_time,end_time` then one 0/1 column per class; one row per %g s clip.\n", o.ClipSeconds)
	if grouped {
		p("- `metadata.csv`: per source file: the recording's WAV file, class, clips, source package, version and path, the source's SHA-256, rate,")
		p(" channels and duration, RMS level (dBFS), the set's use (%s), the recording it was cut from and its first clip in the WAV file.\n", set.Use)
	} else {
		p("- `metadata.csv`: per recording: file, class, clips, source package, version and path, the source's SHA-256, rate,")
		p(" channels and duration, RMS level (dBFS), and the set's use (%s).\n", set.Use)
	}
	p("- `dropped.csv`: every file the rule took and the build left out, with the reason.\n\n")

	p("## Collection process\n\n")
	p("Recorded by the packages' contributors for their programs, with their own microphones and rooms; the packages")
	p(" record neither the equipment, the places, the dates nor (mostly) the speakers or the original sources of the")
	p(" sound effects, and some were edited (trimmed, normalised, re-encoded) for use in a program. Nothing is known of")
	p(" their recording conditions beyond what the files show: their rates, channels and levels, counted above.\n\n")

	p("## Uses and limits\n\n")
	switch set.Name {
	case "real-narrators":
		p("Few-shot classification (10 recordings per class leaves at least %d per class to test) and nearest-neighbour", max(0, minCount(recs, classes)-10))
		p(" retrieval of real voices. A class mixes language and narrator, so a classifier may use either; utterances are")
		p(" short (about 1 s), so most clips are mostly padding. Not a speech-recognition set.\n\n")
	case "real-animals":
		p("One recording per species, so classes are animal groups, not species; only birds and mammals have enough")
		p(" recordings for 10-shot classification. Origins and processing are unknown; some are studio sound effects.")
		p(" Use it to see whether an extractor's neighbourhoods follow animal groups, not to rank extractors finely.\n\n")
	case "real-animal-kinds":
		p("Classes are kinds of animal, each with recordings from at least two of the three packages; a recording is")
		p(" a source file or the files cut from one source, and clips of one recording must stay on one side of a")
		p(" split (group by `file`). %d to %d recordings per class: enough for few-shot classification with a", minCount(recs, classes), maxCount(recs, classes))
		p(" few clips per class and nearest-neighbour retrieval, not for 10-shot classification by recording. Origins")
		p(" and processing are unknown; many are edited game sound effects, some may share an original recording that")
		p(" the packages do not name. Use it to rank extractors on real animal sound, with intervals.\n\n")
	default:
		p("Labels say where a recording came from, not what it contains beyond that; use them for supervised")
		p(" auxiliary objectives or to check an embedding's structure, and the audio for self-supervised training.\n\n")
	}

	p("## Licence\n\n")
	p("The sounds keep their packages' licences (above); the WAV files are derived works under the same terms. They")
	p(" are not committed to this repository: `make realdata` rebuilds them from the pinned packages.\n")
	return b.String()
}

func extOf(p string) string {
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[i:]
	}
	return ""
}

func pkgList(sources []Source) string {
	var names []string
	for _, s := range sources {
		names = append(names, "`"+s.Package+"`")
	}
	return strings.Join(names, ", ")
}

// countList writes "12 ogg, 3 wav", largest count first, then by name.
func countList(m map[string]int) string {
	keys := slices.Sorted(maps.Keys(m))
	sort.SliceStable(keys, func(a, b int) bool { return m[keys[a]] > m[keys[b]] })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d %s", m[k], k))
	}
	return strings.Join(parts, ", ")
}

func capText(n int) string {
	if n == 0 {
		return "none"
	}
	return fmt.Sprint(n)
}

func maxCount(m map[string]int, keys []string) int {
	most := 0
	for _, k := range keys {
		most = max(most, m[k])
	}
	return most
}

func minCount(m map[string]int, keys []string) int {
	least := -1
	for _, k := range keys {
		if least < 0 || m[k] < least {
			least = m[k]
		}
	}
	return least
}

// reasonKind is a drop reason without its particulars, for counting.
func reasonKind(reason string) string {
	for _, kind := range []string{"matches training recording", "excerpt of, or holds", "does not decode", "exact copy", "near copy", "the same bytes", "silent", "near-silent", "shorter than", "class "} {
		if strings.HasPrefix(reason, kind) {
			switch kind {
			case "the same bytes":
				return "same bytes under several classes"
			case "class ":
				return "class too small"
			case "matches training recording":
				return "copy or excerpt of a training recording"
			case "excerpt of, or holds":
				return "excerpt across classes"
			}
			return kind
		}
	}
	return reason
}

// trainingSetList names training sets and their packages, for the
// evaluation sets' data sheets: `real-pretrain`'s packages (…), ….
func trainingSetList(sets []Set) string {
	var parts []string
	for _, t := range sets {
		pkgs := make([]string, len(t.Packages))
		for i, p := range t.Packages {
			pkgs[i] = "`" + p + "`"
		}
		parts = append(parts, fmt.Sprintf("`%s`'s packages: %s", t.Name, strings.Join(pkgs, ", ")))
	}
	return strings.Join(parts, "; ")
}
