package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
)

// siteResult is what Chromium showed of the course's site (`make site`): the executed
// lessons as pages, with the figures and sounds of every lesson, including those whose
// notebooks browsercheck does not run itself.
type siteResult struct {
	pages, figures int
	audio          []string // each player: "page: 3.00 s"
	problems       []string
}

// jsSiteMedia waits (up to 15 s each) for every picture of the page to decode and every
// audio player to load its metadata, then describes them: each <img> with its size on the
// page and its decoded size in pixels, each <audio> with its duration (s) and error code.
const jsSiteMedia = `(async () => {
  const wait = (el, ok, events) => new Promise(resolve => {
    if (ok()) { resolve(); return; }
    for (const e of events) { el.addEventListener(e, resolve, {once: true}); }
    setTimeout(resolve, 15000);
  });
  const imgs = [...document.querySelectorAll('img')];
  for (const img of imgs) { await wait(img, () => img.complete, ['load', 'error']); }
  const players = [...document.querySelectorAll('audio')];
  for (const a of players) { await wait(a, () => a.readyState >= 1 || a.error, ['loadedmetadata', 'error']); }
  return {
    images: imgs.map(img => {
      const r = img.getBoundingClientRect();
      return {src: img.getAttribute('src'), width: r.width, height: r.height,
              naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight};
    }),
    audio: players.map(a => ({src: a.getAttribute('src') || '', duration: a.duration,
                              error: a.error ? a.error.code : 0})),
  };
})()`

// checkSite serves the site in dir over HTTP on 127.0.0.1, opens every page in Chromium,
// and checks that every picture decodes and is drawn with a nonzero size and every audio
// player loads a sound longer than 0 s. It screenshots the index as shotsDir/site-index.png.
func checkSite(parent context.Context, dir, shotsDir string) *siteResult {
	r := &siteResult{}
	fail := func(format string, args ...any) { r.problems = append(r.problems, fmt.Sprintf(format, args...)) }
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		fail("%v: build the site first (`make site`)", err)
		return r
	}
	var pages []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".html") {
			rel, _ := filepath.Rel(dir, path)
			pages = append(pages, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		fail("%v", err)
		return r
	}
	sort.Strings(pages)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("%v", err)
		return r
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dir))}
	go func() { _ = srv.Serve(l) }()
	defer srv.Close()
	base := "http://" + l.Addr().String() + "/"

	type image struct {
		Src                         string
		Width, Height               float64
		NaturalWidth, NaturalHeight int
	}
	type media struct {
		Images []image
		Audio  []struct {
			Src      string
			Duration any // a number, or null for NaN
			Error    int
		}
	}
	for _, page := range pages {
		ctx, cancel := context.WithTimeout(parent, 2*time.Minute)
		err := chromedp.Do(ctx, chromedp.Navigate(base+page))
		var m media
		if err == nil {
			m, err = chromedp.Run(ctx, chromedp.Evaluate[media](jsSiteMedia, chromedp.EvalAwaitPromise))
		}
		if err == nil && page == "index.html" {
			var shot []byte
			shot, err = chromedp.Run(ctx, chromedp.FullScreenshot(90))
			if err == nil {
				err = errors.Join(os.MkdirAll(shotsDir, 0o755), atomicfile.WriteFile(filepath.Join(shotsDir, "site-index.jpg"), shot))
			}
		}
		cancel()
		if err != nil {
			fail("%s: %v", page, err)
			continue
		}
		r.pages++
		for _, img := range m.Images {
			switch {
			case img.NaturalWidth == 0 || img.NaturalHeight == 0:
				fail("%s: the picture %s does not decode", page, img.Src)
			case img.Width <= 0 || img.Height <= 0:
				fail("%s: the picture %s is drawn %.0f×%.0f px", page, img.Src, img.Width, img.Height)
			default:
				r.figures++
			}
		}
		for _, a := range m.Audio {
			duration, _ := a.Duration.(float64)
			r.audio = append(r.audio, fmt.Sprintf("%s: %.2f s", strings.TrimSuffix(page, ".html"), duration))
			switch {
			case a.Error != 0:
				fail("%s: the audio player of %s failed to load (MediaError %d)", page, a.Src, a.Error)
			case !(duration > 0):
				fail("%s: the audio player of %s has duration %v", page, a.Src, a.Duration)
			}
		}
	}
	return r
}
