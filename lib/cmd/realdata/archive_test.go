package main

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// rccFile writes a Qt resource file (format version 3) by the layout
// rccMembers documents, independently of the reader: a root folder holding
// folder "a" with file "x.ogg" (stored) and file "y.wav" (zlib-compressed,
// qCompress' form), and file "z.txt" at the root.
func rccFile(t *testing.T) []byte {
	be := binary.BigEndian
	var names, data bytes.Buffer
	name := func(s string) uint32 {
		off := uint32(names.Len())
		u := utf16.Encode([]rune(s))
		binary.Write(&names, be, uint16(len(u)))
		binary.Write(&names, be, uint32(0)) // hash: not read
		binary.Write(&names, be, u)
		return off
	}
	blob := func(b []byte) uint32 {
		off := uint32(data.Len())
		binary.Write(&data, be, uint32(len(b)))
		data.Write(b)
		return off
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte("compressed wav"))
	zw.Close()
	compressed := append(be.AppendUint32(nil, uint32(len("compressed wav"))), z.Bytes()...)

	node := func(nameOff uint32, flags uint16, a, b uint32) []byte {
		n := be.AppendUint32(nil, nameOff)
		n = be.AppendUint16(n, flags)
		n = be.AppendUint32(n, a)
		n = be.AppendUint32(n, b)
		return append(n, make([]byte, 8)...) // modification time
	}
	var tree bytes.Buffer
	tree.Write(node(0, 2, 2, 1))                                      // 0: root, children 1–2
	tree.Write(node(name("a"), 2, 2, 3))                              // 1: folder a, children 3–4
	tree.Write(node(name("z.txt"), 0, 0, blob([]byte("root file"))))  // 2
	tree.Write(node(name("x.ogg"), 0, 0, blob([]byte("stored ogg")))) // 3
	tree.Write(node(name("y.wav"), 1, 0, blob(compressed)))           // 4

	const header = 24
	out := []byte("qres")
	out = be.AppendUint32(out, 3)
	out = be.AppendUint32(out, header)
	out = be.AppendUint32(out, uint32(header+tree.Len()))
	out = be.AppendUint32(out, uint32(header+tree.Len()+data.Len()))
	out = be.AppendUint32(out, 0) // flags
	out = append(out, tree.Bytes()...)
	out = append(out, data.Bytes()...)
	return append(out, names.Bytes()...)
}

func TestParseRCC(t *testing.T) {
	b := rccFile(t)
	got, err := parseRCC(b, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a/x.ogg": "stored ogg", "a/y.wav": "compressed wav", "z.txt": "root file"}
	if len(got) != len(want) {
		t.Errorf("members %v, want %v", got, want)
	}
	for k, v := range want {
		if string(got[k]) != v {
			t.Errorf("member %s: %q, want %q", k, got[k], v)
		}
	}
	if got, err := parseRCC(b, "a/"); err != nil || len(got) != 2 {
		t.Errorf("prefix a/: %d members (%v), want 2", len(got), err)
	}
	for _, bad := range []struct {
		name string
		b    []byte
		want string
	}{
		{"no magic", append([]byte("qrez"), b[4:]...), "magic"},
		{"truncated", b[:len(b)-3], "outside the file"},
		{"version 9", append(append([]byte("qres"), 0, 0, 0, 9), b[8:]...), "version 9"},
		{"loop", rccLoop(b), "reached twice"},
		{"declared size too small", rccDeclared(b, 5), "declares 5 bytes, holds more"},
		{"declared size too large", rccDeclared(b, 99), "declares 99 bytes, holds 14"},
	} {
		if _, err := parseRCC(bad.b, ""); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: error %v, want one containing %q", bad.name, err, bad.want)
		}
	}
}

// rccLoop returns rccFile's bytes with folder a's children starting at
// node 1 (itself) instead of 3: a loop.
func rccLoop(b []byte) []byte {
	out := bytes.Clone(b)
	binary.BigEndian.PutUint32(out[24+22+10:], 1)
	return out
}

// rccDeclared returns rccFile's bytes with y.wav's declared uncompressed size
// set to n (its true size is 14).
func rccDeclared(b []byte, n uint32) []byte {
	out := bytes.Clone(b)
	i := bytes.Index(out, binary.BigEndian.AppendUint32(nil, uint32(len("compressed wav"))))
	binary.BigEndian.PutUint32(out[i:], n)
	return out
}

// FuzzParseRCC: any bytes give members or an error, never a panic or a hang.
func FuzzParseRCC(f *testing.F) {
	b := rccFile(nil)
	f.Add(b)
	f.Add(rccLoop(b))
	f.Add(b[:30])
	f.Fuzz(func(t *testing.T, b []byte) {
		parseRCC(b, "")
	})
}

// TestUnpackArchives: a zip and an rcc file inside an unpacked package are
// replaced by folders of their members (the zip's only under its prefix).
func TestUnpackArchives(t *testing.T) {
	root := t.TempDir()
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for name, body := range map[string]string{"audio/cow.ogg": "moo", "art/cow.png": "png"} {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "usr/share/g"), 0o755))
	must(os.WriteFile(filepath.Join(root, "usr/share/g/public.zip"), zb.Bytes(), 0o644))
	must(os.WriteFile(filepath.Join(root, "usr/share/g/act.rcc"), rccFile(t), 0o644))
	must(unpackArchives(root, []Archive{{Glob: "usr/share/g/*.zip", Prefix: "audio/"}, {Glob: "usr/share/g/*.rcc"}}))
	for p, want := range map[string]string{"usr/share/g/public.zip/audio/cow.ogg": "moo", "usr/share/g/act.rcc/a/y.wav": "compressed wav"} {
		got, err := os.ReadFile(filepath.Join(root, p))
		if err != nil || string(got) != want {
			t.Errorf("%s: %q (%v), want %q", p, got, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "usr/share/g/public.zip/art")); !os.IsNotExist(err) {
		t.Errorf("a zip member outside the prefix was unpacked (%v)", err)
	}
}

// TestUnpackedMark: an unpacked folder is reused only when its mark names
// the same package, version, digest and archives; a folder unpacked with
// other archives is unpacked again (here: the .deb is missing and fetching is
// off, so that is an error).
func TestUnpackedMark(t *testing.T) {
	s := Source{Package: "p", Version: "1", SHA256: "abc", Archives: []Archive{{Glob: "x/*.zip", Prefix: "audio/"}}}
	cache := t.TempDir()
	dir := filepath.Join(cache, s.Dir())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		mark string
		ok   bool
	}{
		{s.mark(), true},
		{"p 1 abc\n", false}, // unpacked before the archives were named
		{"p 1 abc\narchive \"x/*.zip\" prefix \"\"\n", false},
	} {
		if err := os.WriteFile(filepath.Join(dir, unpackedMark), []byte(c.mark), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := Unpacked(s, cache, false)
		if c.ok && (err != nil || got != dir) {
			t.Errorf("mark %q: %q, %v; want the folder reused", c.mark, got, err)
		}
		if !c.ok && !errors.Is(err, ErrNotFetched) {
			t.Errorf("mark %q: %q, %v; want it unpacked again (ErrNotFetched without the .deb)", c.mark, got, err)
		}
	}
}
