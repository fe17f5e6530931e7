package notebook

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// A notebook is in sync with its lesson when it has the lesson's cells — the same kinds
// and sources, in the same order — and runs on the same kernel. Everything else that
// Jupyter writes when a student runs and saves it (outputs, execution counts, cell and
// notebook metadata such as language_info's version or a cell's "scrolled") is the
// student's, and does not make it stale.

// cellsKey is the notebook metadata key that records what the generator wrote.
const cellsKey = "dawnchorus"

// CellsDigest is the SHA-256 (hex) of the notebook's cells as the lesson decides them:
// each cell's kind and source, in order.
func (nb *Notebook) CellsDigest() string {
	h := sha256.New()
	for _, c := range nb.Cells {
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00", c.CellType, len(c.Text()), c.Text())
	}
	return hex.EncodeToString(h.Sum(nil))
}

// generatedDigest is the CellsDigest the generator recorded in the notebook's metadata
// when it wrote it, or "" when there is none.
func (nb *Notebook) generatedDigest() string {
	m, _ := nb.Metadata[cellsKey].(map[string]any)
	s, _ := m["cells_sha256"].(string)
	return s
}

// EditedByHand tells whether the notebook's cells differ from those the generator wrote
// into it (edited, added or removed in Jupyter), by the digest it recorded. A notebook
// without the record counts as edited.
func (nb *Notebook) EditedByHand() bool {
	return nb.generatedDigest() != nb.CellsDigest()
}

// OutputCells is the number of code cells holding outputs (from a run in Jupyter).
func (nb *Notebook) OutputCells() int {
	n := 0
	for _, c := range nb.Cells {
		if c.CellType == "code" && c.Outputs != nil && len(*c.Outputs) > 0 {
			n++
		}
	}
	return n
}

// kernelOf is the kernel a notebook's metadata asks for: kernelspec's name and language.
func kernelOf(nb *Notebook) string {
	spec, _ := nb.Metadata["kernelspec"].(map[string]any)
	name, _ := spec["name"].(string)
	language, _ := spec["language"].(string)
	return name + " (" + language + ")"
}

// Differences lists how have differs from want in what the lesson decides: the kernel,
// the number of cells, and each cell whose kind or source differs (numbered from 1, as
// Jupyter's interface counts them). It is empty when have is in sync with want.
func Differences(have, want *Notebook) []string {
	var diffs []string
	if h, w := kernelOf(have), kernelOf(want); h != w {
		diffs = append(diffs, fmt.Sprintf("its kernel is %s, want %s", h, w))
	}
	if have.NBFormat != want.NBFormat {
		diffs = append(diffs, fmt.Sprintf("nbformat %d, want %d", have.NBFormat, want.NBFormat))
	}
	if len(have.Cells) != len(want.Cells) {
		diffs = append(diffs, fmt.Sprintf("%d cells, the lesson has %d", len(have.Cells), len(want.Cells)))
	}
	var changed []string
	for i := range min(len(have.Cells), len(want.Cells)) {
		h, w := have.Cells[i], want.Cells[i]
		if h.CellType != w.CellType || h.Text() != w.Text() {
			changed = append(changed, fmt.Sprint(i+1))
		}
	}
	switch {
	case len(changed) == 1:
		diffs = append(diffs, "cell "+changed[0]+" differs")
	case len(changed) > 1:
		diffs = append(diffs, "cells "+strings.Join(changed, ", ")+" differ")
	}
	return diffs
}
