package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// registered numbers the models TestEmbedCompilesScoresOnlyForScores
// registers, so that a rerun (-count) takes new names.
var registered atomic.Int64

// TestEmbedCompilesScoresOnlyForScores runs 'dawnchorus embed' in this
// process on a model registered here (so that the test holds the loaded
// model) and counts the graphs of the scores layer it built: none for the
// default layer, also when the class list has the wrong length (the head is
// not checked), one for -layer scores; and -layer scores with a class list of
// the wrong length is refused with ClassHeadOf's error.
func TestEmbedCompilesScoresOnlyForScores(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	writeTonesFixture(t, dir, map[string]string{
		"three.model": tonesModel("tones-three", "scores = logits\nclasses = labels.txt\n"),
		"four.model":  tonesModel("tones-four", "scores = logits\nclasses = four.txt\n"),
	})
	writeTones(t, filepath.Join(dir, "rec", "a.wav"), 7, 3, []toneSpan{{2, 1, 2}})
	for _, tc := range []struct {
		config     string
		layer      string
		wantScores int    // graphs of the scores layer built
		wantErr    string // "": embed succeeds
	}{
		{"three.model", "", 0, ""},
		{"four.model", "", 0, ""},
		{"three.model", zoo.ExternalScores, 1, ""},
		{"four.model", zoo.ExternalScores, 1, "four.txt has 4 classes"},
	} {
		t.Run(tc.config+"/"+tc.layer, func(t *testing.T) {
			c, err := zoo.ReadExternalConfig(filepath.Join(dir, tc.config))
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("compile-count-%d", registered.Add(1))
			var loaded []*zoo.ExternalModel
			zoo.Register(name, "test", func() (zoo.Model, error) {
				m, err := zoo.LoadExternal(c)
				if err == nil {
					loaded = append(loaded, m)
				}
				return m, err
			})
			args := []string{"embed", "-model", name, "-db", filepath.Join(t.TempDir(), "e.db")}
			if tc.layer != "" {
				args = append(args, "-layer", tc.layer)
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append(args, filepath.Join(dir, "rec")), nil, &stdout, &stderr)
			if tc.wantErr == "" && code != exitOK {
				t.Fatalf("embed: exit %d\n%s%s", code, stdout.String(), stderr.String())
			}
			if tc.wantErr != "" && (code == exitOK || !strings.Contains(stderr.String(), tc.wantErr)) {
				t.Fatalf("embed: exit %d, want an error naming %q:\n%s", code, tc.wantErr, stderr.String())
			}
			if len(loaded) != 1 {
				t.Fatalf("embed loaded the model %d times, want 1", len(loaded))
			}
			layers := loaded[0].CompiledLayers()
			scores := 0
			for _, l := range layers {
				if l == zoo.ExternalScores {
					scores++
				}
			}
			if scores != tc.wantScores {
				t.Errorf("embed built %d graphs of the scores layer (layers built: %v), want %d", scores, layers, tc.wantScores)
			}
			if tc.layer == "" && !slices.Contains(layers, zoo.ExternalEmbedding) {
				t.Errorf("embed of the default layer built %v, not %q", layers, zoo.ExternalEmbedding)
			}
		})
	}
}
