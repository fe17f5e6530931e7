//go:build ignore

// jupytersaved makes the fixtures of a student's workflow that lib/course/cmd/notebooks's tests
// read: the notebook of testdata/jupyter-saved/lessons/01-fixture.md as `notebooks write`
// generates it, then opened in the course's Jupyter (`make jupyter`, Notebook 6) in
// headless Chromium, run with Cell ▸ Run All, and saved with File ▸ Save and Checkpoint
// (ran.ipynb); then with its fourth cell's code changed by typing and saved again
// (edited.ipynb). Run from the repository's root after `make setup`:
//
//	go run lib/course/cmd/notebooks/testdata/jupytersaved.go
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/course/jupyter"
	"github.com/dawnchorus/dawnchorus/lib/course/notebook"
)

const dir = "lib/course/cmd/notebooks/testdata/jupyter-saved"

func main() {
	lesson, err := os.ReadFile(filepath.Join(dir, "lessons", "01-fixture.md"))
	if err != nil {
		log.Fatal(err)
	}
	nb, err := notebook.FromLesson("01-fixture", string(lesson))
	if err != nil {
		log.Fatal(err)
	}
	data, _ := nb.Marshal()
	// The kernel's setup cell uses the folder above the notebook's as the repository.
	root, err := os.MkdirTemp("", "jupytersaved-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	nbDir := filepath.Join(root, "notebooks")
	must(os.MkdirAll(nbDir, 0o755))
	must(os.WriteFile(filepath.Join(root, "go.mod"), []byte("module fixture\n\ngo 1.26\n"), 0o644))
	path := filepath.Join(nbDir, "01-fixture.ipynb")
	must(os.WriteFile(path, data, 0o644))

	srv, err := jupyter.Start(jupyter.Options{NotebookDir: nbDir})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Stop()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.WindowSize(1280, 1000))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 10*time.Minute)
	defer cancelTimeout()

	must(chromedp.Do(ctx, chromedp.Navigate(srv.URL("/notebooks/01-fixture.ipynb"))))
	waitFor(ctx, `Jupyter.notebook && Jupyter.notebook._fully_loaded && Jupyter.notebook.kernel &&
		Jupyter.notebook.kernel.is_connected() && !!document.querySelector('#kernel_indicator_icon.kernel_idle_icon')`)
	must(chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#celllink")), chromedp.Click(chromedp.CSS("#run_all_cells > a"))))
	time.Sleep(time.Second)
	waitFor(ctx, `Jupyter.notebook.get_cells().every(c => c.cell_type !== 'code' || typeof c.input_prompt_number === 'number') &&
		!!document.querySelector('#kernel_indicator_icon.kernel_idle_icon')`)
	save(ctx, path, filepath.Join(dir, "ran.ipynb"))

	// A student changes the fourth cell: click into its editor, go to its end, type.
	must(chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#notebook .cell:nth-child(4) .CodeMirror-lines`)),
		chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.KeyEvent("\n// and one more line\n"),
	))
	save(ctx, path, filepath.Join(dir, "edited.ipynb"))
}

// save clicks File ▸ Save and Checkpoint, waits for the page to say it saved, and copies
// the notebook Jupyter wrote to dst.
func save(ctx context.Context, path, dst string) {
	must(chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#filelink")), chromedp.Click(chromedp.CSS("#save_checkpoint > a"))))
	time.Sleep(time.Second)
	waitFor(ctx, `!Jupyter.notebook.dirty`)
	data, err := os.ReadFile(path)
	must(err)
	must(atomicfile.WriteFile(dst, data))
	fmt.Println("wrote", dst)
}

func waitFor(ctx context.Context, condition string) {
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("(() => { try { return !!("+condition+"); } catch (e) { return false; } })()"))
		must(err)
		if ok {
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
