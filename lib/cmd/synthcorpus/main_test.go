package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunWritesCorpus(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"-out", dir, "-seed", "3", "-families", "2", "-species-per-family", "2", "-corpus-families", "2",
		"-corpus-species", "1", "-individuals", "1", "-recordings", "2", "-seconds", "0.5"}
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatal(err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "wrote 4 recordings of 2 species") {
		t.Errorf("stdout %q", stdout.String())
	}
	for _, name := range []string{"labels.csv", "metadata.csv", "DATASHEET.md"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	if err := run(nil, &stdout, &stderr); err != errUsage {
		t.Errorf("no -out: %v, want the usage error", err)
	}
}

func TestRunWritesHardCorpus(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"-hard", "-out", dir, "-seed", "4", "-classes", "cutaites_foaris,lenaella_criosa", "-recordings", "2",
		"-individuals", "1", "-seconds", "0.5", "-rates", "22050,32000", "-snr-min", "5"}
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatal(err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "wrote 4 recordings of 2 classes") {
		t.Errorf("stdout %q", stdout.String())
	}
	sheet, err := os.ReadFile(filepath.Join(dir, "DATASHEET.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"-hard -out DIR -seed 4", "-snr-min 5.00 -snr-max 20.00", "-rates 22050,32000", "-classes cutaites_foaris,lenaella_criosa"} {
		if !strings.Contains(string(sheet), want) {
			t.Errorf("DATASHEET.md lacks %q", want)
		}
	}
	for _, bad := range [][]string{
		{"-hard", "-out", dir, "-rate", "16000"},
		{"-hard", "-out", dir, "-rates", "22k"},
		{"-hard", "-out", dir, "-pool", "train"},
	} {
		if err := run(bad, &stdout, &stderr); err == nil {
			t.Errorf("%v: accepted", bad)
		}
	}
}
