package main

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf16"
)

// Archive is an archive file inside a package whose members the data sets
// take: some games keep their sounds in one zip file (0 A.D.'s public.zip)
// or in Qt resource files (GCompris' .rcc files). Unpacked replaces each
// matching archive by a folder of the same name holding the members under
// Prefix, so that a member's path reads like a path into the archive
// (usr/share/games/0ad/mods/public/public.zip/audio/…/cattle_01.ogg).
type Archive struct {
	// Glob matches the archive's path inside the package (path.Match).
	Glob string
	// Prefix keeps only the members whose path starts with it ("": all).
	Prefix string
}

// unpackArchives replaces the archives under root that match one of as by
// folders of their members (Archive). A member path that leaves its folder
// ("..", absolute) stops the unpack.
func unpackArchives(root string, as []Archive) error {
	if len(as) == 0 {
		return nil
	}
	var found []string
	var globs []Archive
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		for _, a := range as {
			if ok, _ := path.Match(a.Glob, filepath.ToSlash(rel)); ok {
				found, globs = append(found, p), append(globs, a)
				break
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("realdata: %w", err)
	}
	for _, a := range as {
		if _, err := path.Match(a.Glob, ""); err != nil {
			return fmt.Errorf("realdata: archive pattern %q: %w", a.Glob, err)
		}
	}
	for i, p := range found {
		var members map[string][]byte
		var err error
		switch strings.ToLower(filepath.Ext(p)) {
		case ".zip":
			members, err = zipMembers(p, globs[i].Prefix)
		case ".rcc":
			members, err = rccMembers(p, globs[i].Prefix)
		default:
			err = fmt.Errorf("no reader for this kind of archive (have .zip, .rcc)")
		}
		if err != nil {
			return fmt.Errorf("realdata: %s: %w", p, err)
		}
		dir := p + ".members"
		written := map[string]string{} // cleaned name → member name
		for name, data := range members {
			clean := path.Clean(name)
			if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
				return fmt.Errorf("realdata: %s: member %q leaves the archive's folder", p, name)
			}
			if other, dup := written[clean]; dup {
				return fmt.Errorf("realdata: %s: members %q and %q are one file %q", p, other, name, clean)
			}
			written[clean] = name
			dst := filepath.Join(dir, filepath.FromSlash(clean))
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return fmt.Errorf("realdata: %w", err)
			}
			if err := os.WriteFile(dst, data, 0o644); err != nil {
				return fmt.Errorf("realdata: %w", err)
			}
		}
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("realdata: %w", err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil { // an archive with no member under Prefix
			return fmt.Errorf("realdata: %w", err)
		}
		if err := os.Rename(dir, p); err != nil {
			return fmt.Errorf("realdata: %w", err)
		}
	}
	return nil
}

// zipMembers reads the regular files of a zip archive whose names start with prefix.
func zipMembers(file, prefix string) (map[string][]byte, error) {
	r, err := zip.OpenReader(file)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	out := map[string][]byte{}
	for _, f := range r.File {
		if !strings.HasPrefix(f.Name, prefix) || f.FileInfo().IsDir() {
			continue
		}
		if _, dup := out[f.Name]; dup {
			return nil, fmt.Errorf("%s: two members with this name", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		out[f.Name] = data
	}
	return out, nil
}

// rccMembers reads the files of a Qt binary resource file (rcc format
// versions 1–3, as Qt 5 writes them) whose paths start with prefix. The
// layout: the magic "qres", then the format version, the offsets of the tree,
// the data and the names (big-endian uint32s; version 3 adds a flags word);
// tree nodes of 14 bytes (22 from version 2: a modification time follows),
// each a name offset, flags (2: a folder; 1: zlib-compressed data, 4: zstd)
// and either a child count and first child index, or a locale and a data
// offset; names are a uint16 length in UTF-16 units, a uint32 hash and the
// name in UTF-16BE; data is a uint32 length and the bytes (compressed:
// a uint32 uncompressed length and a zlib stream, Qt's qCompress).
func rccMembers(file, prefix string) (map[string][]byte, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return parseRCC(b, prefix)
}

func parseRCC(b []byte, prefix string) (map[string][]byte, error) {
	be := binary.BigEndian
	if len(b) < 20 || string(b[:4]) != "qres" {
		return nil, fmt.Errorf("not a Qt resource file (no \"qres\" magic)")
	}
	version := be.Uint32(b[4:])
	if version < 1 || version > 3 {
		return nil, fmt.Errorf("rcc format version %d (read: 1–3)", version)
	}
	tree, data, names := int(be.Uint32(b[8:])), int(be.Uint32(b[12:])), int(be.Uint32(b[16:]))
	nodeSize := 14
	if version >= 2 {
		nodeSize = 22
	}
	slice := func(off, n int, what string) ([]byte, error) {
		if off < 0 || n < 0 || off+n > len(b) {
			return nil, fmt.Errorf("%s at byte %d (+%d) lies outside the file's %d bytes", what, off, n, len(b))
		}
		return b[off : off+n], nil
	}
	nameAt := func(off int) (string, error) {
		h, err := slice(names+off, 6, "name")
		if err != nil {
			return "", err
		}
		n := int(be.Uint16(h))
		raw, err := slice(names+off+6, 2*n, "name")
		if err != nil {
			return "", err
		}
		u := make([]uint16, n)
		for i := range u {
			u[i] = be.Uint16(raw[2*i:])
		}
		return string(utf16.Decode(u)), nil
	}
	out := map[string][]byte{}
	visited := map[int]bool{} // a node reached twice: a loop, or shared children
	var walk func(index int, dir string, depth int) error
	walk = func(index int, dir string, depth int) error {
		if depth > 64 {
			return fmt.Errorf("resource tree deeper than 64 folders (a loop?)")
		}
		if visited[index] {
			return fmt.Errorf("tree node %d is reached twice (a loop?)", index)
		}
		visited[index] = true
		node, err := slice(tree+index*nodeSize, nodeSize, fmt.Sprintf("tree node %d", index))
		if err != nil {
			return err
		}
		name := ""
		if index != 0 { // the root has no name
			if name, err = nameAt(int(be.Uint32(node))); err != nil {
				return err
			}
		}
		p := path.Join(dir, name)
		flags := be.Uint16(node[4:])
		if flags&2 != 0 {
			count, first := int(be.Uint32(node[6:])), int(be.Uint32(node[10:]))
			for k := range count {
				if err := walk(first+k, p, depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		if !strings.HasPrefix(p, prefix) {
			return nil
		}
		off := data + int(be.Uint32(node[10:]))
		h, err := slice(off, 4, p+": data length")
		if err != nil {
			return err
		}
		body, err := slice(off+4, int(be.Uint32(h)), p+": data")
		if err != nil {
			return err
		}
		switch {
		case flags&4 != 0:
			return fmt.Errorf("%s: zstd-compressed member (no zstd reader here)", p)
		case flags&1 != 0:
			if len(body) < 4 {
				return fmt.Errorf("%s: compressed member of %d bytes", p, len(body))
			}
			size := int64(be.Uint32(body))
			zr, err := zlib.NewReader(bytes.NewReader(body[4:]))
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			// Never more than the declared size (+1 to see a longer stream).
			if body, err = io.ReadAll(io.LimitReader(zr, size+1)); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			if int64(len(body)) != size {
				return fmt.Errorf("%s: compressed member declares %d bytes, holds %s", p, size, map[bool]string{true: "more", false: fmt.Sprint(len(body))}[int64(len(body)) > size])
			}
		}
		if _, dup := out[p]; dup {
			return fmt.Errorf("%s: two members with this path", p)
		}
		out[p] = bytes.Clone(body)
		return nil
	}
	if err := walk(0, "", 0); err != nil {
		return nil, err
	}
	return out, nil
}
