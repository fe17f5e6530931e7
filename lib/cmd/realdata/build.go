package main

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/internal/filehash"
	"github.com/dawnchorus/dawnchorus/lib/internal/parallel"
)

// Options are the rules every set is built by; the defaults are the ones
// the data sheets describe.
type Options struct {
	// ClipSeconds is the length of each labelled clip (the course's models
	// take 3 s); SampleRateHz the rate recordings are written at (22050, the
	// course's corpora's rate).
	ClipSeconds  float64
	SampleRateHz int
	// MinSeconds drops shorter recordings, and is the shortest leftover after
	// the last whole clip that still makes a clip (zero-padded).
	MinSeconds float64
	// SilenceDBFS drops recordings whose RMS level is below it (dB re full scale).
	SilenceDBFS float64
	// EnvelopeSeconds is the frame of the RMS envelope compared to find copies.
	EnvelopeSeconds float64
	// CopyCorrelation and CopyLengthTolerance: two recordings are one when their
	// lengths differ by at most CopyLengthTolerance (a fraction) and their RMS
	// envelopes correlate at least this much (Pearson, frame by frame).
	CopyCorrelation, CopyLengthTolerance float64
	// Excerpts (excerptOf): the shorter sound's active stretch, at least
	// ExcerptMinSeconds long, slid over the longer's RMS envelope in
	// ExcerptFrameSeconds frames; where the envelopes correlate at least
	// ExcerptEnvelopeCorrelation, the waveforms must correlate at least
	// ExcerptWaveCorrelation in absolute value (a flipped polarity counts).
	ExcerptFrameSeconds, ExcerptMinSeconds             float64
	ExcerptEnvelopeCorrelation, ExcerptWaveCorrelation float64
}

// DefaultOptions are the options of the shipped data sheets.
var DefaultOptions = Options{ClipSeconds: 3, SampleRateHz: 22050, MinSeconds: 0.25, SilenceDBFS: -50,
	EnvelopeSeconds: 0.02, CopyCorrelation: 0.98, CopyLengthTolerance: 0.02,
	ExcerptFrameSeconds: 0.01, ExcerptMinSeconds: 0.5, ExcerptEnvelopeCorrelation: 0.8, ExcerptWaveCorrelation: 0.8}

// Recording is one kept source file, written as one WAV file.
type Recording struct {
	// File is the WAV file, relative to the set's folder: audio/<class>/<stem>.wav.
	File  string
	Class string
	// Package, Version and SourcePath say where it came from (SourcePath inside the package).
	Package, Version, SourcePath string
	// SHA256 is the digest of the source file's bytes.
	SHA256 string
	// SourceRateHz, SourceChannels and SourceSeconds describe the source file.
	SourceRateHz, SourceChannels int
	SourceSeconds                float64
	// RMSDBFS is the level of the mono mix, dB re full scale.
	RMSDBFS float64
	// Clips is the number of labelled clips: the file holds Clips × ClipSeconds
	// seconds (the last clip zero-padded) from clip FirstClip on.
	Clips int
	// Group is the source recording the file belongs to (Set.Group; "" when
	// the set has none); FirstClip is where the file's clips start in its
	// group's WAV file (0 when every file is its own).
	Group     string
	FirstClip int

	envelope []float64
}

// Dropped is a file a set's rule took and the build left out, and why.
type Dropped struct {
	Package, SourcePath, Class, Reason string
}

// Result is a set, selected and decoded.
type Result struct {
	Set        Set
	Recordings []*Recording
	Dropped    []Dropped
	// Candidates counts the files the rule took, per class; NotTaken the
	// distinct recordings left over once a class had MaxPerClass.
	Candidates, NotTaken map[string]int
	Sources              []Source
	Options              Options
	// Merged lists the source files of a grouped set that were put in one
	// group because one is an excerpt of the other (mergeExcerpts).
	Merged []Merge
	// Guarded are the training sets an evaluation set was checked against
	// (guardSets).
	Guarded []Set
}

// candidate is a file a rule took.
type candidate struct {
	src      Source
	rel, abs string
	class    string
	sha      string
}

// collect walks the unpacked packages in path order and applies the set's rule.
func collect(set Set, roots map[string]string) ([]candidate, error) {
	var out []candidate
	for _, pkg := range set.Packages {
		src, err := sourceByName(pkg)
		if err != nil {
			return nil, err
		}
		root, ok := roots[pkg]
		if !ok {
			return nil, fmt.Errorf("realdata: set %s: package %s is not unpacked", set.Name, pkg)
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			rel = filepath.ToSlash(rel)
			class, ok, err := set.Rule(pkg, rel)
			if err != nil {
				return fmt.Errorf("realdata: set %s: %s %s: %w", set.Name, pkg, src.Version, err)
			}
			if ok {
				out = append(out, candidate{src: src, rel: rel, abs: p, class: class})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decoded is a candidate's sound, mono at the target rate.
type decoded struct {
	rec     *Recording
	samples []float32
	drop    string // why it is dropped, or ""
	err     error
}

// decode loads a candidate, mixes it to mono and resamples it; drop is set
// for sound the rules leave out (silent, too short).
func decode(c candidate, o Options) decoded {
	rec := &Recording{Class: c.class, Package: c.src.Package, Version: c.src.Version, SourcePath: c.rel, SHA256: c.sha}
	a, err := audio.Load(c.abs)
	if errors.Is(err, audio.ErrSilent) {
		return decoded{rec: rec, drop: "silent: every sample is zero"}
	}
	if err != nil {
		// A file lib/audio rejects (damaged, or outside what it reads) is left out
		// and listed with the decoder's words; the data sheet counts them.
		return decoded{rec: rec, drop: "does not decode: " + strings.TrimPrefix(err.Error(), c.abs+": ")}
	}
	rec.SourceRateHz, rec.SourceChannels, rec.SourceSeconds = a.SampleRateHz, len(a.Channels), a.DurationSeconds()
	mono, err := audio.Resample(a.Mono(), a.SampleRateHz, o.SampleRateHz)
	if err != nil {
		return decoded{err: fmt.Errorf("realdata: %s %s: %w", c.src.Package, c.rel, err)}
	}
	if rec.SourceSeconds < o.MinSeconds {
		return decoded{rec: rec, drop: fmt.Sprintf("shorter than %g s (%.3f s)", o.MinSeconds, rec.SourceSeconds)}
	}
	rec.RMSDBFS = rmsDBFS(mono)
	if rec.RMSDBFS < o.SilenceDBFS {
		return decoded{rec: rec, drop: fmt.Sprintf("near-silent: RMS %.1f dBFS, below %g", rec.RMSDBFS, o.SilenceDBFS)}
	}
	rec.envelope = envelope(mono, int(math.Round(o.EnvelopeSeconds*float64(o.SampleRateHz))))
	return decoded{rec: rec, samples: mono}
}

// rmsDBFS is the RMS level of samples in dB re full scale (−Inf for silence).
func rmsDBFS(samples []float32) float64 {
	var sum float64
	for _, v := range samples {
		sum += float64(v) * float64(v)
	}
	return 10 * math.Log10(sum/float64(max(1, len(samples))))
}

// envelope is the RMS of each whole frame of frameLen samples.
func envelope(samples []float32, frameLen int) []float64 {
	env := make([]float64, len(samples)/frameLen)
	for i := range env {
		var sum float64
		for _, v := range samples[i*frameLen : (i+1)*frameLen] {
			sum += float64(v) * float64(v)
		}
		env[i] = math.Sqrt(sum / float64(frameLen))
	}
	return env
}

// sameRecording reports whether two envelopes are one recording: lengths
// within the tolerance and a Pearson correlation over the common frames at
// least the threshold. Envelopes shorter than 3 frames are never matched.
func sameRecording(a, b []float64, o Options) bool {
	n := min(len(a), len(b))
	if n < 3 || math.Abs(float64(len(a)-len(b))) > math.Max(1, o.CopyLengthTolerance*float64(max(len(a), len(b)))) {
		return false
	}
	return pearson(a[:n], b[:n]) >= o.CopyCorrelation
}

// pearson is the correlation of x and y (0 when either is constant).
func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// Build selects, decodes and writes one set into dir (datasets/<name>): the
// rule picks files; exact copies (same bytes) and near copies (sameRecording)
// are kept once, and dropped altogether when they carry different classes;
// silent, near-silent and too short files are dropped; classes keep at most
// MaxPerClass recordings (smallest SHA-256 first) and are dropped below
// MinPerClass. Each kept recording is written as a mono 16-bit WAV file at
// o.SampleRateHz, zero-padded to whole clips, with one label row per clip.
// The WAV files are written under a temporary folder whose audio/ replaces
// the set's at the end; labels.csv, written last, marks a finished build.
func Build(set Set, roots map[string]string, dir string, o Options) (*Result, error) {
	cands, err := collect(set, roots)
	if err != nil {
		return nil, err
	}
	res := &Result{Set: set, Options: o, Candidates: map[string]int{}, NotTaken: map[string]int{}}
	for _, p := range set.Packages {
		s, _ := sourceByName(p)
		res.Sources = append(res.Sources, s)
	}
	for i := range cands {
		res.Candidates[cands[i].class]++
		if cands[i].sha, err = filehash.SHA256(cands[i].abs); err != nil {
			return nil, fmt.Errorf("realdata: %w", err)
		}
	}
	// Exact copies: the same bytes under several paths.
	byHash := map[string][]int{}
	for i, c := range cands {
		byHash[c.sha] = append(byHash[c.sha], i)
	}
	var unique []candidate
	for i, c := range cands {
		same := byHash[c.sha]
		classes := map[string]bool{}
		for _, j := range same {
			classes[cands[j].class] = true
		}
		switch {
		case len(classes) > 1:
			res.Dropped = append(res.Dropped, Dropped{c.src.Package, c.rel, c.class,
				fmt.Sprintf("the same bytes are also filed under another class (%s)", strings.Join(slices.Sorted(maps.Keys(classes)), ", "))})
		case same[0] != i:
			res.Dropped = append(res.Dropped, Dropped{c.src.Package, c.rel, c.class, "exact copy of " + cands[same[0]].rel})
		default:
			unique = append(unique, c)
		}
	}
	byClass := map[string][]candidate{}
	for _, c := range unique {
		byClass[c.class] = append(byClass[c.class], c)
	}
	classes := slices.Sorted(maps.Keys(byClass))

	// An evaluation set leaves out every source that is a recording of a
	// training set, or an excerpt of one, or holds one (excerptOf).
	var training []trainingSound
	if set.Use == Evaluation {
		if training, err = trainingSounds(roots, o); err != nil {
			return nil, err
		}
		res.Guarded = guardSets(roots)
	}
	staging := filepath.Join(dir, ".staging") // staging/audio/… replaces audio/ when done
	if err := os.RemoveAll(staging); err != nil {
		return nil, fmt.Errorf("realdata: %w", err)
	}
	var kept []*Recording
	removed := map[*Recording]string{}
	samples := map[*Recording][]float32{} // grouped sets: written once the groups are known
	for _, class := range classes {
		cs := byClass[class]
		sort.Slice(cs, func(a, b int) bool { return cs[a].sha < cs[b].sha })
		taken := 0
		batch := max(8, 2*runtime.NumCPU())
		for start := 0; start < len(cs); start += batch {
			if set.MaxPerClass > 0 && taken >= set.MaxPerClass {
				res.NotTaken[class] = len(cs) - start
				break
			}
			ds := decodeAll(cs[start:min(start+batch, len(cs))], o)
			trainingMatch := matchTraining(ds, training, o)
			for k, d := range ds {
				if d.err != nil {
					return nil, d.err
				}
				if set.MaxPerClass > 0 && taken >= set.MaxPerClass {
					res.NotTaken[class] += len(ds) - k
					break
				}
				if d.drop == "" {
					d.drop = trainingMatch[k]
				}
				if d.drop != "" {
					res.Dropped = append(res.Dropped, Dropped{d.rec.Package, d.rec.SourcePath, class, d.drop})
					continue
				}
				var copyOf *Recording
				for _, r := range kept {
					if sameRecording(r.envelope, d.rec.envelope, o) {
						copyOf = r
						break
					}
				}
				if copyOf != nil {
					res.Dropped = append(res.Dropped, Dropped{d.rec.Package, d.rec.SourcePath, class,
						fmt.Sprintf("near copy of %s (class %s)", copyOf.SourcePath, copyOf.Class)})
					if copyOf.Class != class && removed[copyOf] == "" {
						removed[copyOf] = fmt.Sprintf("near copy of %s, filed under another class (%s)", d.rec.SourcePath, class)
					}
					continue
				}
				if set.Group != nil {
					d.rec.Group = set.Group(d.rec.Package, d.rec.SourcePath)
					samples[d.rec] = d.samples
				} else if err := writeRecording(staging, d, set, o); err != nil {
					return nil, err
				}
				kept = append(kept, d.rec)
				taken++
			}
		}
	}
	if set.Group != nil {
		res.Merged = mergeExcerpts(kept, samples, removed, o)
	}
	perClass := map[string]int{}
	groups := map[string]bool{}
	for _, r := range kept {
		if removed[r] == "" && !groups[r.Class+"\x00"+r.Group] {
			perClass[r.Class]++
			groups[r.Class+"\x00"+r.Group] = set.Group != nil
		}
	}
	for _, r := range kept {
		reason := removed[r]
		if reason == "" && perClass[r.Class] < set.MinPerClass {
			reason = fmt.Sprintf("class %s keeps %d recordings, fewer than %d", r.Class, perClass[r.Class], set.MinPerClass)
		}
		if reason != "" {
			res.Dropped = append(res.Dropped, Dropped{r.Package, r.SourcePath, r.Class, reason})
			if set.Group == nil {
				if err := os.Remove(filepath.Join(staging, filepath.FromSlash(r.File))); err != nil {
					return nil, fmt.Errorf("realdata: %w", err)
				}
			}
			continue
		}
		res.Recordings = append(res.Recordings, r)
	}
	if len(res.Recordings) == 0 {
		return nil, fmt.Errorf("realdata: set %s: no recording kept (%d candidates)", set.Name, len(cands))
	}
	if set.Group != nil {
		if err := writeGroups(staging, res.Recordings, samples, set, o); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(res.Recordings, func(a, b *Recording) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.FirstClip, b.FirstClip))
	})
	slices.SortFunc(res.Dropped, func(a, b Dropped) int {
		return strings.Compare(a.Package+"\x00"+a.SourcePath, b.Package+"\x00"+b.SourcePath)
	})
	if err := res.write(dir, staging); err != nil {
		return nil, err
	}
	return res, nil
}

// decodeAll decodes candidates in parallel, one per CPU, results in order.
func decodeAll(cs []candidate, o Options) []decoded {
	out := make([]decoded, len(cs))
	_ = parallel.For(len(cs), runtime.NumCPU(), func(i int) error {
		out[i] = decode(cs[i], o)
		return nil
	})
	return out
}

// stem names a recording's WAV file: its source's base name and the first 8
// hex digits of its SHA-256, which keeps names apart across folders.
func stem(rel, sha string) string {
	base := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	return className(base) + "-" + sha[:8]
}

// clipCount is how many clips n samples make: every whole clip, and a
// leftover of at least minFrames (zero-padded to a clip).
func clipCount(n, clipFrames, minFrames int) int {
	c := n / clipFrames
	if n-c*clipFrames >= max(1, minFrames) {
		c++
	}
	return c
}

// clipsOf cuts a recording's samples into whole clips, the leftover after
// the last whole clip zero-padded when it is at least MinSeconds long (cut
// off otherwise), and keeps them all, or, as the set says, those whose sound
// is not silent (SkipSilentClips: the RMS of the clip's samples, padding
// aside, at least SilenceDBFS) and at most MaxClipsPerFile of them, the first.
// It returns the kept clips one after the other.
func clipsOf(samples []float32, set Set, o Options) []float32 {
	clipFrames := int(math.Round(o.ClipSeconds * float64(o.SampleRateHz)))
	minFrames := int(math.Ceil(o.MinSeconds * float64(o.SampleRateHz)))
	n := clipCount(len(samples), clipFrames, minFrames)
	padded := audio.PadTo(samples, n*clipFrames)
	if !set.SkipSilentClips && set.MaxClipsPerFile == 0 {
		return padded
	}
	var out []float32
	for k := range n {
		if set.MaxClipsPerFile > 0 && len(out) >= set.MaxClipsPerFile*clipFrames {
			break
		}
		if set.SkipSilentClips && rmsDBFS(samples[k*clipFrames:min(len(samples), (k+1)*clipFrames)]) < o.SilenceDBFS {
			continue
		}
		out = append(out, padded[k*clipFrames:(k+1)*clipFrames]...)
	}
	return out
}

// writeRecording writes a decoded recording, padded or cut to whole clips,
// under staging and sets its File and Clips.
func writeRecording(staging string, d decoded, set Set, o Options) error {
	clipFrames := int(math.Round(o.ClipSeconds * float64(o.SampleRateHz)))
	samples := clipsOf(d.samples, set, o)
	d.rec.Clips = len(samples) / clipFrames
	d.rec.File = path.Join("audio", d.rec.Class, stem(d.rec.SourcePath, d.rec.SHA256)+".wav")
	p := filepath.Join(staging, filepath.FromSlash(d.rec.File))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("realdata: %w", err)
	}
	return audio.WriteWAV(p, [][]float32{samples}, o.SampleRateHz, audio.WAV16)
}

// writeGroups writes the recordings of each group (and class) into one WAV
// file under staging, in the order of their source paths, each padded to
// whole clips, and sets their File, FirstClip and Clips. The file is named
// after the group and the SHA-256 of its first source file.
func writeGroups(staging string, recs []*Recording, samples map[*Recording][]float32, set Set, o Options) error {
	clipFrames := int(math.Round(o.ClipSeconds * float64(o.SampleRateHz)))
	byGroup := map[string][]*Recording{}
	for _, r := range recs {
		key := r.Class + "\x00" + r.Group
		byGroup[key] = append(byGroup[key], r)
	}
	for _, key := range slices.Sorted(maps.Keys(byGroup)) {
		members := byGroup[key]
		slices.SortFunc(members, func(a, b *Recording) int {
			return strings.Compare(a.Package+"\x00"+a.SourcePath, b.Package+"\x00"+b.SourcePath)
		})
		file := path.Join("audio", members[0].Class, className(members[0].Group)+"-"+members[0].SHA256[:8]+".wav")
		var joined []float32
		for _, r := range members {
			r.File, r.FirstClip = file, len(joined)/clipFrames
			clips := clipsOf(samples[r], set, o)
			r.Clips = len(clips) / clipFrames
			if r.Clips == 0 {
				return fmt.Errorf("realdata: %s %s: no clip left once silent clips are skipped", r.Package, r.SourcePath)
			}
			joined = append(joined, clips...)
		}
		p := filepath.Join(staging, filepath.FromSlash(file))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("realdata: %w", err)
		}
		if err := audio.WriteWAV(p, [][]float32{joined}, o.SampleRateHz, audio.WAV16); err != nil {
			return err
		}
	}
	return nil
}

// write swaps the staged audio in and writes metadata.csv, dropped.csv,
// DATASHEET.md and, last, labels.csv.
func (res *Result) write(dir, staging string) error {
	audioDir := filepath.Join(dir, "audio")
	if err := os.RemoveAll(audioDir); err != nil {
		return fmt.Errorf("realdata: %w", err)
	}
	if err := os.Rename(filepath.Join(staging, "audio"), audioDir); err != nil {
		return fmt.Errorf("realdata: %w", err)
	}
	if err := os.RemoveAll(staging); err != nil {
		return fmt.Errorf("realdata: %w", err)
	}
	if err := writeCSV(filepath.Join(dir, "metadata.csv"), res.metadataRows()); err != nil {
		return err
	}
	dropped := [][]string{{"package", "source_path", "class", "reason"}}
	for _, d := range res.Dropped {
		dropped = append(dropped, []string{d.Package, d.SourcePath, d.Class, d.Reason})
	}
	if err := writeCSV(filepath.Join(dir, "dropped.csv"), dropped); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "DATASHEET.md"), []byte(res.Datasheet())); err != nil {
		return fmt.Errorf("realdata: %w", err)
	}
	return res.Labels().WriteCSV(filepath.Join(dir, "labels.csv"))
}

// Classes are the kept classes, sorted.
func (res *Result) Classes() []string {
	set := map[string]bool{}
	for _, r := range res.Recordings {
		set[r.Class] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// Labels is the OpenSoundscape table: one row per clip, single-label.
func (res *Result) Labels() *dataset.LabelTable {
	classes := res.Classes()
	t := &dataset.LabelTable{Classes: classes}
	for _, r := range res.Recordings {
		c := slices.Index(classes, r.Class)
		for k := range r.Clips {
			labels := make([]int, len(classes))
			labels[c] = 1
			start := float64(r.FirstClip+k) * res.Options.ClipSeconds
			t.Rows = append(t.Rows, dataset.Row{File: r.File, StartSeconds: start, EndSeconds: start + res.Options.ClipSeconds, Labels: labels})
		}
	}
	return t
}

func (res *Result) metadataRows() [][]string {
	rows := [][]string{{"file", "class", "clips", "package", "version", "source_path", "source_sha256",
		"source_rate_hz", "source_channels", "source_seconds", "rms_dbfs", "use"}}
	grouped := res.Set.Group != nil
	if grouped {
		rows[0] = append(rows[0], "recording", "first_clip")
	}
	for _, r := range res.Recordings {
		row := []string{r.File, r.Class, strconv.Itoa(r.Clips), r.Package, r.Version, r.SourcePath, r.SHA256,
			strconv.Itoa(r.SourceRateHz), strconv.Itoa(r.SourceChannels), strconv.FormatFloat(r.SourceSeconds, 'f', 3, 64),
			strconv.FormatFloat(r.RMSDBFS, 'f', 1, 64), string(res.Set.Use)}
		if grouped {
			row = append(row, r.Group, strconv.Itoa(r.FirstClip))
		}
		rows = append(rows, row)
	}
	return rows
}

// writeCSV writes rows atomically.
func writeCSV(path string, rows [][]string) error {
	err := atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		return cw.Error()
	})
	if err != nil {
		return fmt.Errorf("realdata: %w", err)
	}
	return nil
}
