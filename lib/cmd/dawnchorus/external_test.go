package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/detector"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// melnetConfig is an external model's config for lib/zoo's test network with
// its own mel front end (waveform in, 1 s at 16 kHz, 16 values out).
const melnetConfig = `# lib/zoo/testdata/melnet.onnx, exported by make_onnx_archs.py
name = melnet-ext
onnx = models/melnet.onnx
sample_rate_hz = 16000
clip_seconds = 1
input = waveform
embedding = embedding
description = a test network with its own STFT and mel front end
`

// TestExternalModelCommands registers an external ONNX model from its config
// file and uses it end to end: models lists it, embed fills the database with
// its windows, search finds a recording's own window first — by the config's
// path, or by name once $DAWNCHORUS_MODELS lists it; train makes a detector on
// its embeddings, and analyze runs it given the config.
func TestExternalModelCommands(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	onnxData, err := os.ReadFile("../../zoo/testdata/melnet.onnx")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "models"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "models", "melnet.onnx"), onnxData, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "melnet.model"), []byte(melnetConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.model"), []byte(strings.Replace(melnetConfig, "clip_seconds = 1", "clip_seconds = one", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	paths, _, _ := writeArchive(t, dir, "recordings", 3, 300, 4, false)

	r := dc(t, dir, "models", "-model", "melnet.model").want(t, exitOK, "models -model")
	var line string
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(l, "melnet-ext ") {
			line = l
		}
	}
	for _, w := range []string{"16000 Hz", "1 s", " 16 ", "melnet.model"} {
		if !strings.Contains(line, w) {
			t.Errorf("models: the melnet-ext line %q does not say %q\n%s", line, w, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, zoo.BirdsV1) {
		t.Errorf("models -model no longer lists the zoo:\n%s", r.stdout)
	}
	r = dc(t, dir, "models", "-model", "bad.model").want(t, exitFailed, "models with a bad config")
	if !strings.Contains(r.stderr, "bad.model:5: clip_seconds") {
		t.Errorf("bad config: stderr does not name file, line and key:\n%s", r.stderr)
	}

	dc(t, dir, "embed", "-model", "melnet.model", "recordings/").want(t, exitOK, "embed with an external model")
	db, err := embeddb.Open(filepath.Join(dir, defaultDB), embeddb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	models, err := db.Models()
	db.Close()
	if err != nil || len(models) != 1 || models[0].Name != "melnet-ext" || models[0].Dim != 16 {
		t.Fatalf("database models %+v, %v", models, err)
	}

	// The query is the first second of a recording: its own first window ranks first.
	query := paths[1]
	r = dc(t, dir, "search", "-model", "melnet.model", "-end", "1", query).want(t, exitOK, "search -model CONFIG")
	rows := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(rows) < 2 || !strings.Contains(rows[1], query) || !strings.Contains(rows[1], "1.0000") || !strings.Contains(rows[1], "0.00") {
		t.Errorf("search: the first hit is not the query's own window:\n%s", r.stdout)
	}

	// Without the config, the name alone is not known ...
	r = dc(t, dir, "search", "-end", "1", query).want(t, exitFailed, "search without the config")
	if !strings.Contains(r.stderr, `"melnet-ext"`) || !strings.Contains(r.stderr, zoo.ModelsEnv) {
		t.Errorf("search without the config: %s", r.stderr)
	}
	// ... until $DAWNCHORUS_MODELS lists the folder of configs.
	if err := os.MkdirAll(filepath.Join(dir, "configs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "configs", "melnet.model"), []byte(strings.Replace(melnetConfig, "models/", "../models/", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "search", "-end", "1", query)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), zoo.ModelsEnv+"="+filepath.Join(dir, "configs"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil || !strings.Contains(out.String(), query) {
		t.Errorf("search with $%s: %v\n%s", zoo.ModelsEnv, err, out.String())
	}

	// A broken config in $DAWNCHORUS_MODELS is reported by models.
	cmd = exec.Command(binary, "models")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), zoo.ModelsEnv+"="+filepath.Join(dir, "bad.model"))
	out.Reset()
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err == nil || !strings.Contains(out.String(), "bad.model:5: clip_seconds") || !strings.Contains(out.String(), zoo.ModelsEnv) {
		t.Errorf("models with a bad config in $%s: %v\n%s", zoo.ModelsEnv, err, out.String())
	}

	// A detector on the external model's embeddings; analyze needs its config.
	for i := range 3 {
		writeRecording(t, filepath.Join(dir, "classes", "alpha", fmt.Sprintf("a%d.wav", i)), uint64(900+i), 0, 2, false)
		writeRecording(t, filepath.Join(dir, "classes", "beta", fmt.Sprintf("b%d.wav", i)), uint64(910+i), 2, 2, false)
	}
	dc(t, dir, "train", "-model", "melnet.model", "-folders", "classes", "-classifier", "knn").want(t, exitOK, "train -model CONFIG")
	d, err := detector.Load(filepath.Join(dir, "detector"))
	if err != nil || d.Config.Extractor != "melnet-ext" || d.Config.Dim != 16 {
		t.Fatalf("detector %+v, %v", d, err)
	}
	r = dc(t, dir, "analyze", "-formats", "csv", "classes").want(t, exitFailed, "analyze without the config")
	if !strings.Contains(r.stderr, `"melnet-ext"`) {
		t.Errorf("analyze without the config: %s", r.stderr)
	}
	dc(t, dir, "analyze", "-model", "melnet.model", "-formats", "csv", "classes").want(t, exitOK, "analyze -model CONFIG")
	if _, err := os.Stat(filepath.Join(dir, "detections", "scores")); err != nil {
		t.Errorf("analyze -model wrote no scores: %v", err)
	}
}
