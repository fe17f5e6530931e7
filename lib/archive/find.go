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
