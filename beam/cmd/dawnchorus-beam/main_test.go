package main

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dawnchorus/dawnchorus/beam/internal/archivetest"
	"github.com/dawnchorus/dawnchorus/beam/pipeline"
	"github.com/dawnchorus/dawnchorus/beam/shards"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/embeddb"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// The command under test, built by TestMain with CGO_ENABLED=0 (as Beam
// builds workers), and Beam's Prism job server, built from the module's
// pinned Beam SDK.
var (
	binDir     string
	commandBin string
	prismBin   string
	buildErr   error
)

const testShardSeconds = 7 // 2 clips per shard

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dawnchorus-beam-cmd-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	commandBin, prismBin = filepath.Join(dir, "dawnchorus-beam"), filepath.Join(dir, "prism")
	build := exec.Command("go", "build", "-o", commandBin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		buildErr = fmt.Errorf("CGO_ENABLED=0 go build: %v\n%s", err, out)
	} else if out, err := exec.Command("go", "build", "-o", prismBin, "github.com/apache/beam/sdks/v2/go/cmd/prism").CombinedOutput(); err != nil {
		buildErr = fmt.Errorf("go build prism: %v\n%s", err, out)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func built(t *testing.T) {
	t.Helper()
	if buildErr != nil {
		t.Fatal(buildErr)
	}
}

// TestWorkerBuildsWithoutCgo: the command — launcher and worker, one binary —
// builds with CGO_ENABLED=0 (TestMain), is statically linked (no ELF
// interpreter, no shared libraries), and its import graph has no XLA binding.
func TestWorkerBuildsWithoutCgo(t *testing.T) {
	built(t)
	f, err := elf.Open(commandBin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s has an ELF interpreter: dynamically linked", commandBin)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("%s needs shared libraries %v", commandBin, libs)
	}
	list := exec.Command("go", "list", "-deps", ".")
	list.Env = append(os.Environ(), "CGO_ENABLED=0")
	deps, err := list.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range strings.Fields(string(deps)) {
		if strings.Contains(d, "go-xla") || strings.HasSuffix(d, "backends/xla") {
			t.Errorf("the pipeline imports %s without cgo", d)
		}
	}
}

// reference is the test archive and embed.EmbedFiles' result on it.
func reference(t *testing.T, dir string) (paths, bad []string, want *embed.Embeddings) {
	t.Helper()
	paths, bad = archivetest.Write(t, dir, 1)
	r, err := pipeline.Resolve(shards.Settings{Model: zoo.BirdsV1, ShardSeconds: testShardSeconds})
	if err != nil {
		t.Fatal(err)
	}
	want, err = embed.EmbedFiles(zoo.MustLoad(zoo.BirdsV1), paths, r.Options())
	if err != nil {
		t.Fatal(err)
	}
	want = archivetest.AsPipeline(want)
	return paths, bad, want
}

// runCommand runs the command and returns its exit status and standard error.
func runCommand(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(commandBin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestJobServer submits the pipeline to a separately started Prism job
// server — the portable path a Flink or Spark cluster takes — with the
// universal runner and loopback workers, all on 127.0.0.1: exit status 1
// (two files failed, named on standard error), the merged .npy + keys are
// EmbedFiles' result bit for bit, and `load` puts the same vectors in an
// embedding database.
func TestJobServer(t *testing.T) {
	built(t)
	dir := t.TempDir()
	paths, bad, want := reference(t, filepath.Join(dir, "archive"))

	port := freePort(t)
	server := exec.Command(prismBin, fmt.Sprintf("--job_port=%d", port), "--serve_http=false", "--log_level=warn")
	var serverLog bytes.Buffer
	server.Stdout, server.Stderr = &serverLog, &serverLog
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { server.Process.Kill(); server.Wait() }()
	endpoint := fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(60 * time.Second); ; {
		c, err := net.Dial("tcp", endpoint)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("prism job server not listening on %s: %v\n%s", endpoint, err, serverLog.String())
		}
		time.Sleep(100 * time.Millisecond)
	}

	out, merged := filepath.Join(dir, "out"), filepath.Join(dir, "merged")
	args := []string{"embed", "-out", out, "-shard-seconds", fmt.Sprint(testShardSeconds), "-to", merged,
		"--runner=universal", "--endpoint=" + endpoint, "--environment_type=LOOPBACK"}
	code, stderr := runCommand(t, append(args, paths...)...)
	if code != 1 {
		t.Fatalf("exit status %d, want 1 (two files failed)\n%s\nprism:\n%s", code, stderr, serverLog.String())
	}
	var failedLines []string
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "dawnchorus-beam: failed: ") {
			failedLines = append(failedLines, line)
		}
	}
	for _, b := range bad {
		if !slices.ContainsFunc(failedLines, func(l string) bool { return strings.Contains(l, b) }) {
			t.Errorf("standard error does not name failed file %s:\n%s", b, stderr)
		}
	}
	got, err := embed.Read(merged)
	if err != nil {
		t.Fatal(err)
	}
	archivetest.Same(t, got, want)

	db := filepath.Join(dir, "archive.db")
	if code, stderr := runCommand(t, "load", "-out", out, "-db", db); code != 1 { // incomplete files left out
		t.Fatalf("load: exit status %d, want 1\n%s", code, stderr)
	}
	d, err := embeddb.Open(db, embeddb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	models, err := d.Models()
	if err != nil || len(models) != 1 {
		t.Fatalf("models %v, %v", models, err)
	}
	fromDB, err := d.Embeddings(models[0])
	if err != nil {
		t.Fatal(err)
	}
	archivetest.Same(t, fromDB, want)
}

// TestKillAndRestart kills a run (SIGKILL, Prism in process) once a few
// shards are written: every shard file left is whole (its record's digest
// matches its vectors), there is no manifest; the run started again computes
// only the shards the first did not finish, leaves the finished ones
// untouched, and its merged result is EmbedFiles' bit for bit.
func TestKillAndRestart(t *testing.T) {
	built(t)
	if testing.Short() {
		t.Skip("embeds 6 minutes of sound twice")
	}
	dir := t.TempDir()
	paths := archivetest.WriteLong(t, filepath.Join(dir, "archive"), 6, 1, 2)
	r, err := pipeline.Resolve(shards.Settings{Model: zoo.BirdsV1, ShardSeconds: testShardSeconds})
	if err != nil {
		t.Fatal(err)
	}
	want, err := embed.EmbedFiles(zoo.MustLoad(zoo.BirdsV1), paths, r.Options())
	if err != nil {
		t.Fatal(err)
	}
	want = archivetest.AsPipeline(want)
	out, merged := filepath.Join(dir, "out"), filepath.Join(dir, "merged")
	args := append([]string{"embed", "-out", out, "-shard-seconds", fmt.Sprint(testShardSeconds), "-to", merged, "--runner=prism"}, paths...)

	cmd := exec.Command(commandBin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	records := func() []string {
		m, _ := filepath.Glob(filepath.Join(out, shards.Dir, "*.json"))
		return m
	}
	for len(records()) < 3 {
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	before := records()
	total := len(paths) * 10 // 60 s files: 20 clips, 2 per shard
	if len(before) >= total {
		t.Fatalf("all %d shards were done before the kill", total)
	}
	type stamp struct {
		mod  time.Time
		size int64
	}
	stamps := map[string]stamp{}
	for _, p := range before {
		id := strings.TrimSuffix(filepath.Base(p), ".json")
		if _, err := shards.ReadRecord(out, id); err != nil {
			t.Errorf("after the kill: %v", err)
		}
		st, _ := os.Stat(p)
		stamps[p] = stamp{st.ModTime(), st.Size()}
	}
	if _, err := os.Stat(filepath.Join(out, shards.ManifestName)); err == nil {
		t.Error("a killed run left a manifest")
	}
	t.Logf("killed with %d of %d shards done", len(before), total)

	code, stderr2 := runCommand(t, args...)
	if code != 0 {
		t.Fatalf("restart: exit status %d\n%s", code, stderr2)
	}
	m, err := shards.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if m.Skipped != len(before) || m.Computed != total-len(before) {
		t.Errorf("restart: %d shards computed, %d skipped; want %d, %d", m.Computed, m.Skipped, total-len(before), len(before))
	}
	for p, s := range stamps {
		st, err := os.Stat(p)
		if err != nil || !st.ModTime().Equal(s.mod) || st.Size() != s.size {
			t.Errorf("%s was rewritten by the restart", p)
		}
	}
	tmp, _ := filepath.Glob(filepath.Join(out, shards.Dir, ".*"))
	if len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
	got, err := embed.Read(merged)
	if err != nil {
		t.Fatal(err)
	}
	archivetest.Same(t, got, want)
}
