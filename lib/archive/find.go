package archive

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Extensions are the file name endings Find takes for audio (compared without
// case): the containers lib/audio decodes. lib/audio recognizes a file by its
// first bytes, so a file named otherwise can still be given by name.
var Extensions = []string{".wav", ".wave", ".flac", ".mp3", ".ogg", ".oga"}

// IsAudioName reports whether name ends in one of Extensions.
func IsAudioName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return slices.Contains(Extensions, ext)
}

// Find returns the audio files named by paths: a file is taken as it is
// (whatever its name), a folder is walked recursively for files whose names end
// in one of Extensions, skipping hidden files and folders (names starting with
// "."). The result is cleaned, without duplicates, folders' files in lexical
// order after the files given by name, in the order given. A path that does not
// exist is an error naming it.
func Find(paths []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		p = filepath.Clean(p)
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("archive: %w", err)
		}
		if !info.IsDir() {
			add(root)
			continue
		}
		var found []string
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if p != root && strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() && IsAudioName(name) {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("archive: walking %s: %w", root, err)
		}
		slices.Sort(found)
		for _, p := range found {
			add(p)
		}
	}
	return out, nil
}

// Annotated is a recording and its Raven selection table.
type Annotated struct {
	Audio, Table string
}

// PairTables pairs Raven selection tables (.txt files) with recordings by
// name, as Raven names a table after its recording: a table belongs to the
// recording whose name without extension starts its name up to a "." —
// site1_0600.Table.1.selections.txt and site1_0600.selections.txt belong to
// site1_0600.wav — in the same folder first, else anywhere among audio (the
// longest such name wins). Tables that match no recording are returned in
// unmatched; a recording with two tables is an error naming both.
func PairTables(audio, tables []string) (pairs []Annotated, unmatched []string, err error) {
	stem := func(p string) string { return strings.TrimSuffix(filepath.Base(p), filepath.Ext(p)) }
	byTable := map[string]string{}
	for _, t := range tables {
		name := filepath.Base(t)
		best, bestLocal := "", false
		for _, a := range audio {
			s := stem(a)
			if !strings.HasPrefix(name, s+".") {
				continue
			}
			local := filepath.Dir(a) == filepath.Dir(t)
			if best == "" || (local && !bestLocal) || (local == bestLocal && len(s) > len(stem(best))) {
				best, bestLocal = a, local
			}
		}
		if best == "" {
			unmatched = append(unmatched, t)
			continue
		}
		if other, dup := byTable[best]; dup {
			return nil, nil, fmt.Errorf("archive: %s has two selection tables, %s and %s", best, other, t)
		}
		byTable[best] = t
		pairs = append(pairs, Annotated{Audio: best, Table: t})
	}
	slices.SortFunc(pairs, func(a, b Annotated) int { return strings.Compare(a.Audio, b.Audio) })
	return pairs, unmatched, nil
}

// FindTables returns the .txt files under root (recursively, skipping hidden
// names), sorted: the candidates for Raven selection tables.
func FindTables(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".txt") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	slices.Sort(out)
	return out, nil
}
