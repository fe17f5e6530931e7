package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// wavSeconds is a 16-bit mono WAV file of silence, seconds long at 8 kHz.
func wavSeconds(seconds float64) []byte {
	n := int(seconds * 8000)
	var b bytes.Buffer
	w := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	w(uint32(36 + 2*n))
	b.WriteString("WAVEfmt ")
	w(uint32(16))
	w(uint16(1))
	w(uint16(1))
	w(uint32(8000))
	w(uint32(16000))
	w(uint16(2))
	w(uint16(16))
	b.WriteString("data")
	w(uint32(2 * n))
	b.Write(make([]byte, 2*n))
	return b.Bytes()
}

// TestCheckSiteInChromium builds a small site with a good and a broken picture, a
// picture drawn with no size, and a good and a broken sound, and checks that checkSite
// reports exactly the broken ones, in a real Chromium (skipped when there is none).
func TestCheckSiteInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	if _, err := findChromium(); err != nil {
		t.Skipf("no browser: %v", err)
	}
	dir := t.TempDir()
	files := map[string][]byte{
		"index.html": []byte(`<!DOCTYPE html><html><body>
<img src="good.svg"><img src="broken.png"><img src="good.svg" style="display:none">
<audio controls src="good.wav"></audio><audio controls src="broken.wav"></audio>
<a href="page.html">a page</a></body></html>`),
		"page.html":  []byte(`<!DOCTYPE html><html><body><img src="good.svg"></body></html>`),
		"good.svg":   []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="red"/></svg>`),
		"broken.png": []byte("not a picture"),
		"good.wav":   wavSeconds(1.5),
		"broken.wav": []byte("RIFF but nothing else"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, stop, _, err := startBrowser()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	shots := t.TempDir()
	r := checkSite(ctx, dir, shots)
	want := []string{
		"index.html: the picture broken.png does not decode",
		"index.html: the picture good.svg is drawn 0×0 px",
	}
	var got []string
	audioFailed := false
	for _, p := range r.problems {
		if strings.HasPrefix(p, "index.html: the audio player of broken.wav ") {
			audioFailed = true // its MediaError code, or a NaN duration, depends on the browser
			continue
		}
		got = append(got, p)
	}
	if !reflect.DeepEqual(got, want) || !audioFailed {
		t.Errorf("problems = %q, want %q and one for broken.wav", r.problems, want)
	}
	if r.pages != 2 || r.figures != 2 {
		t.Errorf("%d pages, %d figures drawn; want 2 and 2", r.pages, r.figures)
	}
	if len(r.audio) != 2 || r.audio[0] != "index: 1.50 s" {
		t.Errorf("audio players %q, want index: 1.50 s first", r.audio)
	}
	if info, err := os.Stat(filepath.Join(shots, "site-index.jpg")); err != nil || info.Size() == 0 {
		t.Errorf("no screenshot of the index: %v", err)
	}
}
