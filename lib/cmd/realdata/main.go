// Command realdata builds the course's real-recording data sets from freely
// licensed Debian packages: it fetches each pinned package when missing
// (`apt-get download <package>=<version>` into -debs, its SHA-256 checked,
// then `dpkg -x` — no installation, no root), and builds each set under -out
// by rules written in code (sources.go): which files a set takes, and their
// labels, follow from the files' paths in the package; copies, silent and too
// short files are dropped; each kept recording is written as a mono 16-bit
// WAV file at 22050 Hz, zero-padded to whole 3 s clips, with one label row per
// clip (OpenSoundscape's CSV form), its provenance (metadata.csv), what was
// dropped and why (dropped.csv) and its data sheet (DATASHEET.md).
//
// Training and evaluation sets never share a source package:
//
//   - real-narrators (evaluation; tuxpaint-stamps-default): spoken
//     descriptions, labelled by language;
//   - real-animals (evaluation; tuxpaint-stamps-default): animal calls,
//     labelled by animal group;
//   - real-animal-kinds (evaluation; tuxpaint-stamps-default, widelands-data,
//     megaglest-data): animal sounds labelled by kind (wild bird, cattle, …),
//     the files cut from one recording written as one WAV file;
//   - real-pretrain (training; klettres-data, ktuberling-data, scratch):
//     spoken letters and words, animal, human and everyday sounds.
//   - real-pretrain-animals (training; 0ad-data, wesnoth-1.16-data,
//     gcompris-qt-data): animal sounds labelled by the kinds of
//     real-animal-kinds; 0 A.D.'s sounds come out of a zip file and
//     GCompris' out of Qt resource files inside the packages (Archive).
//
// Run from the repository root (or `make realdata`):
//
//	go run ./lib/cmd/realdata [-set real-narrators,real-animals] [-debs build/debian] [-out datasets] [-offline]
//
// Once the packages are unpacked under -debs, a run uses no network.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

func main() {
	log.SetFlags(0)
	var (
		setList = flag.String("set", strings.Join(setNames(), ","), "data sets to build, comma-separated")
		debs    = flag.String("debs", filepath.Join("build", "debian"), "cache of downloaded and unpacked packages")
		out     = flag.String("out", "datasets", "folder that holds the data sets")
		offline = flag.Bool("offline", false, "never download: fail when a package is not already in -debs")
	)
	flag.Parse()
	if err := run(strings.Split(*setList, ","), *debs, *out, !*offline); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(names []string, debs, out string, fetch bool) error {
	if err := checkSets(Sets); err != nil {
		return err
	}
	var sets []Set
	for _, name := range names {
		s, err := setByName(strings.TrimSpace(name))
		if err != nil {
			return err
		}
		sets = append(sets, s)
	}
	// Evaluation sets are checked against the guarded training sets'
	// recordings (Build): the packages of those not on demand are unpacked
	// too (guardSets of no roots); one on demand is guarded when it is built.
	unpack := sets
	if slices.ContainsFunc(sets, func(s Set) bool { return s.Use == Evaluation }) {
		unpack = append(unpack, guardSets(nil)...)
	}
	roots := map[string]string{}
	for _, s := range unpack {
		for _, pkg := range s.Packages {
			if roots[pkg] != "" {
				continue
			}
			src, err := sourceByName(pkg)
			if err != nil {
				return err
			}
			if roots[pkg], err = Unpacked(src, debs, fetch); err != nil {
				return err
			}
		}
	}
	for _, s := range sets {
		start := time.Now()
		dir := filepath.Join(out, s.Name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("realdata: %w", err)
		}
		res, err := Build(s, roots, dir, DefaultOptions)
		if err != nil {
			return err
		}
		clips := len(res.Labels().Rows)
		wavs := map[string]bool{}
		for _, r := range res.Recordings {
			wavs[r.File] = true
		}
		log.Printf("realdata: %s (%s): %d recordings (WAV files) of %d source files, %d clips, %d classes, %d source files dropped, %d merged; %s in %.0f s",
			s.Name, s.Use, len(wavs), len(res.Recordings), clips, len(res.Classes()), len(res.Dropped), len(res.Merged), dir, time.Since(start).Seconds())
	}
	return nil
}
