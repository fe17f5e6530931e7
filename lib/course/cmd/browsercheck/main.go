// Command browsercheck runs the course's notebooks as a student does: in Chromium, in the
// Jupyter that `make jupyter` serves. It starts `make jupyter` as lib/course/cmd/servecheck does
// (a free port of 127.0.0.1, a token it knows) with DAWNCHORUS_INTERACTIVE=1 (so lesson
// 04b's labelling cell waits for a person's clicks), starts headless Chromium (with
// --no-sandbox when run as root) through the DevTools protocol (chromedp), and for each
// notebook:
//
//   - opens it, waits for its GoNB kernel, and turns the page's autosave off, so the run
//     never writes outputs into notebooks/ (the file is compared before and after);
//   - checks that tabs in code cells are drawn as plain space, not as the arrows of
//     Jupyter's ipython theme (the course's Jupyter configuration turns them off);
//   - clicks Cell ▸ Run All with the mouse and waits until every code cell has run and
//     the kernel is idle; meanwhile it answers every labelling card of
//     lib/active/activeui by clicking its buttons with the mouse (no, yes, unsure, no, …),
//     clicking again when the card asks to;
//   - checks the notebook the page holds with lib/course/notebook's Check (no error output, no
//     failed program), that every figure in the outputs is drawn with a nonzero size (and
//     every <img> decoded), that every <audio> player loads (duration > 0) and plays (also
//     inside shadow roots, and each labelling card's, answered or not: a card keeps as many
//     players once answered as it showed before, and a failure names the lesson, cell and
//     card), that each card clicked ends showing its answer and that the cell printed the answers
//     clicked ("you answered N questions (U unsure), said yes Y times", summed over the
//     labelling cells that print it);
//   - saves screenshots of the whole notebook, top to bottom, as NN.png under -out/NAME/.
//
// With -site DIR it then serves the course's site (`make site`: every executed lesson,
// also those it does not run itself) over HTTP on 127.0.0.1, opens each page, and checks
// that every figure decodes and is drawn with a nonzero size and every audio player loads
// a sound longer than 0 s; the index's screenshot is -out/site-index.jpg.
//
// Usage:
//
//	go run ./lib/course/cmd/browsercheck [-out build/browser] [-timeout 10m] [-site build/site] [NAME ...]
//
// NAME is a notebook's name without .ipynb (e.g. 01-sound-and-spectrograms), or "all"
// for every notebook in notebooks/; with -site and no NAME only the site is checked. Chromium is $CHROMIUM, else the first of
// chromium, chromium-browser, google-chrome on PATH.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dawnchorus/dawnchorus/lib/course/jupyter"
)

func main() {
	out := flag.String("out", "build/browser", "directory for the screenshots (one sub-directory per notebook)")
	timeout := flag.Duration("timeout", 10*time.Minute, "how long one notebook may take to run in the browser")
	siteDir := flag.String("site", "", "also open every page of the course's site in this directory (`make site`) and check its figures and sounds")
	flag.Parse()
	var names []string
	for _, name := range flag.Args() {
		if name != "all" {
			names = append(names, strings.TrimSuffix(filepath.Base(name), ".ipynb"))
			continue
		}
		paths, _ := filepath.Glob("notebooks/*.ipynb")
		if len(paths) == 0 {
			fmt.Fprintln(os.Stderr, "browsercheck: no notebooks in notebooks/")
			os.Exit(1)
		}
		for _, p := range paths {
			names = append(names, strings.TrimSuffix(filepath.Base(p), ".ipynb"))
		}
	}
	if len(names) == 0 && *siteDir == "" {
		fmt.Fprintln(os.Stderr, "usage: browsercheck [-out build/browser] [-timeout 10m] [-site build/site] NAME ... (or all)")
		os.Exit(2)
	}
	if err := run(names, *out, *timeout, *siteDir); err != nil {
		fmt.Fprintln(os.Stderr, "browsercheck:", err)
		os.Exit(1)
	}
}

// startBrowser starts headless Chromium and returns a context of its first tab, a
// function that stops it, and the browser's user agent.
func startBrowser() (ctx context.Context, stop func(), version string, err error) {
	chromium, err := findChromium()
	if err != nil {
		return nil, nil, "", err
	}
	// Chromium's profile, cache and the rest go to a temporary directory that chromedp
	// removes; HOME points there too, so nothing lands in the user's home.
	home, err := os.MkdirTemp("", "browsercheck-home-")
	if err != nil {
		return nil, nil, "", err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.WindowSize(1280, 1000),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Env("HOME="+home),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	stop = func() {
		cancel()
		cancelAlloc()
		_ = os.RemoveAll(home)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		stop()
		return nil, nil, "", fmt.Errorf("starting %s: %w", chromium, err)
	}
	version, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.userAgent`))
	return ctx, stop, version, nil
}

// findChromium returns the browser to drive: $CHROMIUM, else the first of Debian's
// chromium and its other names on PATH.
func findChromium() (string, error) {
	if path := os.Getenv("CHROMIUM"); path != "" {
		return path, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("no chromium on PATH (Debian: apt-get install chromium; or set CHROMIUM)")
}

func run(names []string, outDir string, timeout time.Duration, siteDir string) error {
	ctx, stop, version, err := startBrowser()
	if err != nil {
		return err
	}
	defer stop()

	var srv *jupyter.Server
	if len(names) > 0 {
		srv, err = jupyter.Start(jupyter.Options{Env: []string{"DAWNCHORUS_INTERACTIVE=1"}})
		if err != nil {
			return err
		}
		defer srv.Stop()
		// The first visit with the token logs the browser in (a cookie), as the URL that
		// `make jupyter` prints does.
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL("/tree"))); err != nil {
			return fmt.Errorf("opening Jupyter in %s: %w", version, err)
		}
	}

	failed := 0
	start := time.Now()
	for _, name := range names {
		r := checkNotebook(ctx, srv, name, filepath.Join(outDir, name), timeout)
		status := "ok"
		if len(r.problems) > 0 {
			status = "FAILED"
			failed++
		}
		fmt.Printf("%-6s %s in Chromium: %s\n", status, name, r.line())
		for _, p := range r.problems {
			fmt.Printf("         %s\n", p)
		}
	}
	if len(names) > 0 {
		fmt.Printf("browsercheck: %d notebooks in %s, %.0f s; screenshots in %s\n",
			len(names), version, time.Since(start).Seconds(), outDir)
	}
	var problems []string
	if failed > 0 {
		problems = append(problems, fmt.Sprintf("%d of %d notebooks failed in the browser", failed, len(names)))
	}
	if siteDir != "" {
		siteStart := time.Now()
		s := checkSite(ctx, siteDir, outDir)
		status := "ok"
		if len(s.problems) > 0 {
			status = "FAILED"
			problems = append(problems, fmt.Sprintf("the site in %s failed in the browser", siteDir))
		}
		fmt.Printf("%-6s the site %s in %s: %d pages, %d figures drawn, %d audio players (%s), %.0f s; index in %s\n",
			status, siteDir, version, s.pages, s.figures, len(s.audio), strings.Join(s.audio, "; "),
			time.Since(siteStart).Seconds(), filepath.Join(outDir, "site-index.jpg"))
		for _, p := range s.problems {
			fmt.Printf("         %s\n", p)
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}
