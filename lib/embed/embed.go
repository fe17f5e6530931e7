package embed

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/internal/filehash"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// Key says where an embedded clip comes from: the file (or the name a caller
// gave its clips) and the clip's start and end, in seconds from the start of the
// file.
type Key struct {
	File                     string
	StartSeconds, EndSeconds float64
}

// Options configures Embed and EmbedFiles. The zero value embeds the model's
// default layer with mean pooling, 32 clips at a time, no overlap, no cache.
type Options struct {
	// EmbedOptions says how the model reads each clip's embedding, as it is
	// passed to the model: the layer (one of its Info().Layers; "" is the
	// model's embedding), the pooling of the layer's time and frequency axes
	// [cnn.MeanPooling], training mode (dropout on, so embeddings vary with
	// Seed) and how many clips go through the model at once [32].
	zoo.EmbedOptions
	// OverlapSeconds is how much consecutive clips of a recording share, in
	// seconds, 0 ≤ overlap < the model's clip length (EmbedFiles only).
	OverlapSeconds float64
	// Final says what EmbedFiles does with the end of a recording left after the
	// last whole clip (and with a whole file shorter than one clip), by
	// lib/audio's rule (audio.FinalClip): audio.FinalPad (the zero value)
	// zero-pads it to a whole clip when it is at least MinFinalSeconds long [a
	// third of the model's clip, audio.DefaultMinFinalFraction; negative: any
	// length]; audio.FinalDrop drops it, as OpenSoundscape does by default;
	// audio.FinalRemainder keeps it as a shorter clip. Sound that gives no clip
	// is listed in Embeddings.Dropped.
	Final           audio.FinalClip
	MinFinalSeconds float64
	// CacheDir, when not "", is the folder of the on-disk cache (created when
	// missing), e.g. "build/embeddings".
	CacheDir string
	// Progress, when not nil, receives a progress line (clips done / total,
	// clips/s) at most once a second and at the end, and notes about the cache.
	Progress io.Writer
}

// WithDefaults returns o with its zero fields filled in for the model info
// describes: Layer names the model's default layer (its last), BatchSize is 32.
// It is what Embed and EmbedFiles embed with, exported for callers that cut and
// embed clips their own way and must agree with them bit for bit (beam/shards).
func (o Options) WithDefaults(info zoo.Info) Options {
	if o.Layer == "" && len(info.Layers) > 0 {
		o.Layer = info.Layers[len(info.Layers)-1] // the model's default, by name
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 32
	}
	return o
}

// Split returns the cut EmbedFiles makes of a recording for the model info
// describes: clips of the model's length at its sample rate, with o's overlap
// and final-clip rule. lib/archive, beam's shards and the dawnchorus command
// cut recordings with it, so that their clips are EmbedFiles'.
func (o Options) Split(info zoo.Info) audio.SplitOptions {
	return audio.SplitOptions{ClipSeconds: info.ClipSeconds, OverlapSeconds: o.OverlapSeconds,
		SampleRateHz: info.SampleRateHz, Final: o.Final, MinFinalSeconds: o.MinFinalSeconds}
}

// Embeddings are vectors with their keys: Vectors[i] is the embedding of the
// clip Keys[i]. Model, Layer and Pooling say what made them (Layer is the
// model's default layer by name when Options.Layer was "").
//
// Dropped, Failures and Warnings are EmbedFiles' report of what it did not
// embed: the sound too short for a clip, the files it could not read, and the
// files cut short (embedded up to the cut).
type Embeddings struct {
	Keys    []Key
	Vectors [][]float32
	Model   string
	Layer   string
	Pooling cnn.Pooling
	// Dropped lists the sound that gave no clip under the final-clip rule
	// (Options.Final, MinFinalSeconds): a whole file shorter than the shortest
	// kept clip, or the tail left after a file's last clip; in file order.
	Dropped []Dropped
	// Failures lists the files EmbedFiles could not read, each with the reason
	// (which names the file), in order; they have no rows.
	Failures []audio.FileError
	// Warnings lists the files EmbedFiles embedded only in part, and why: a file
	// cut short (errors.Is(w, audio.ErrTruncated)) gives the clips before the
	// cut. Each is also written to Options.Progress (or standard error).
	Warnings []audio.FileError
}

// FailuresError is nil when EmbedFiles read every file, and otherwise an error
// that counts the files it could not read and joins their errors (each names
// its file): for callers that need every file.
func (e *Embeddings) FailuresError() error {
	if len(e.Failures) == 0 {
		return nil
	}
	errs := make([]error, len(e.Failures))
	for i, f := range e.Failures {
		errs[i] = f
	}
	return fmt.Errorf("embed: %d files could not be read: %w", len(e.Failures), errors.Join(errs...))
}

// Dropped is sound of a file that gave no clip: from StartSeconds (0 for a
// whole file) to EndSeconds, its end, in seconds.
type Dropped struct {
	File                     string
	StartSeconds, EndSeconds float64
}

// describe says what was dropped, for the progress output.
func (d Dropped) describe() string {
	if d.StartSeconds == 0 {
		return fmt.Sprintf("the whole file (%.3g s) gave no clip: shorter than the shortest final clip kept (Options.MinFinalSeconds, a third of a clip by default)", d.EndSeconds)
	}
	return fmt.Sprintf("its last %.3g s (%.3f–%.3f s) gave no clip: shorter than the shortest final clip kept (Options.MinFinalSeconds, a third of a clip by default)",
		d.EndSeconds-d.StartSeconds, d.StartSeconds, d.EndSeconds)
}

// Len is the number of embeddings.
func (e *Embeddings) Len() int { return len(e.Vectors) }

// Dim is the length of each vector (0 when there are none).
func (e *Embeddings) Dim() int {
	if len(e.Vectors) == 0 {
		return 0
	}
	return len(e.Vectors[0])
}

// Select returns the embeddings at the given rows, in that order; it shares the
// vectors with e.
func (e *Embeddings) Select(rows []int) *Embeddings {
	out := &Embeddings{Model: e.Model, Layer: e.Layer, Pooling: e.Pooling,
		Keys: make([]Key, len(rows)), Vectors: make([][]float32, len(rows))}
	for i, r := range rows {
		out.Keys[i], out.Vectors[i] = e.Keys[r], e.Vectors[r]
	}
	return out
}

// Where returns the embeddings whose key satisfies keep, in order; it shares
// the vectors with e.
func (e *Embeddings) Where(keep func(Key) bool) *Embeddings {
	var rows []int
	for i, k := range e.Keys {
		if keep(k) {
			rows = append(rows, i)
		}
	}
	return e.Select(rows)
}

// Matrix returns the vectors as a Len × Dim gonum matrix (a float64 copy), or
// nil when there are none.
func (e *Embeddings) Matrix() *mat.Dense {
	n, d := e.Len(), e.Dim()
	if n == 0 || d == 0 {
		return nil
	}
	data := make([]float64, 0, n*d)
	for _, v := range e.Vectors {
		for _, x := range v {
			data = append(data, float64(x))
		}
	}
	return mat.NewDense(n, d, data)
}

// Float64s returns the vectors as float64 rows (a copy), the form
// lib/classify, lib/reduce and lib/cluster take.
func (e *Embeddings) Float64s() [][]float64 {
	out := make([][]float64, len(e.Vectors))
	for i, v := range e.Vectors {
		out[i] = make([]float64, len(v))
		for j, x := range v {
			out[i][j] = float64(x)
		}
	}
	return out
}

// Embed embeds clips with model. Clips at another sample rate than the model's
// are resampled; a clip longer than the model's clip length is an error naming
// its file and times. With o.CacheDir set, the same call again (same model,
// settings, clips and keys) is read from the cache.
func Embed(model zoo.Model, clips []audio.Clip, o Options) (*Embeddings, error) {
	info := model.Info()
	if err := checkOptions(info, o); err != nil {
		return nil, err
	}
	o = o.WithDefaults(info)
	out := &Embeddings{Model: info.Name, Layer: o.Layer, Pooling: o.Pooling}
	samples := make([][]float32, len(clips))
	for i, c := range clips {
		s := c.Samples
		if c.SampleRateHz != info.SampleRateHz {
			if c.SampleRateHz <= 0 {
				return nil, fmt.Errorf("embed: clip %d (%s %g–%g s): sample rate %d Hz", i, c.File, c.StartSeconds, c.EndSeconds, c.SampleRateHz)
			}
			var err error
			if s, err = audio.Resample(s, c.SampleRateHz, info.SampleRateHz); err != nil {
				return nil, fmt.Errorf("embed: clip %d (%s %g–%g s): %w", i, c.File, c.StartSeconds, c.EndSeconds, err)
			}
		}
		if err := info.CheckClipLength(len(s)); err != nil {
			return nil, fmt.Errorf("embed: clip %d (%s %g–%g s): %w", i, c.File, c.StartSeconds, c.EndSeconds, err)
		}
		samples[i] = s
		out.Keys = append(out.Keys, Key{c.File, c.StartSeconds, c.EndSeconds})
	}

	var cacheKey string
	if o.CacheDir != "" {
		h := sha256.New()
		h.Write([]byte(settingsKey(info, o, "clips")))
		var buf [8]byte
		for i, s := range samples {
			k := out.Keys[i]
			fmt.Fprintf(h, "\x00%q %v %v %d\x00", k.File, k.StartSeconds, k.EndSeconds, len(s))
			for _, v := range s {
				binary.LittleEndian.PutUint32(buf[:4], math.Float32bits(v))
				h.Write(buf[:4])
			}
		}
		cacheKey = hex.EncodeToString(h.Sum(nil))
		if cached, ok := readCache(o, cacheKey, out); ok {
			return cached, nil
		}
	}

	p := newProgress(o.Progress, len(clips))
	batch := o.BatchSize
	for start := 0; start < len(samples); start += batch {
		end := min(start+batch, len(samples))
		vecs, err := model.Embed(samples[start:end], info.SampleRateHz, o.EmbedOptions)
		if err != nil {
			return nil, fmt.Errorf("embed: clips %d–%d: %w", start, end-1, err)
		}
		if len(vecs) != end-start {
			return nil, fmt.Errorf("embed: model %s returned %d embeddings for %d clips", info.Name, len(vecs), end-start)
		}
		out.Vectors = append(out.Vectors, vecs...)
		p.add(end - start)
	}
	p.done()
	if err := checkDims(out, info.Name); err != nil {
		return nil, err
	}
	if cacheKey != "" {
		writeCache(o, cacheKey, out)
	}
	return out, nil
}

// MustEmbed is Embed that panics on error, for notebooks.
func MustEmbed(model zoo.Model, clips []audio.Clip, o Options) *Embeddings {
	e, err := Embed(model, clips, o)
	if err != nil {
		panic(err)
	}
	return e
}

// EmbedFiles embeds recordings of any length: each file is streamed through
// audio.SplitFile (mixed to mono, resampled to the model's rate), cut into
// clips of the model's length every ClipSeconds − o.OverlapSeconds seconds, and
// embedded a batch at a time, so memory holds one batch of clips. Keys name the
// file as given in paths, and come file by file in the order of paths, each
// file's clips together and in time order.
//
// The end of a file follows lib/audio's rule (audio.FinalClip): by default a
// leftover of at least a third of a clip — a whole file shorter than one clip
// included — becomes a zero-padded clip, and shorter sound gives none. Every
// file or tail that gave no clip is listed in the result's Dropped and on the
// progress output.
//
// A file that cannot be read (missing, not audio, corrupt, empty) does not stop
// the batch: it is listed in the result's Failures with the reason, gives no
// rows, and the other files are embedded and cached as usual. The error is for
// what stops everything: invalid options, no file readable at all, or the
// model failing (the files completed before it are cached).
//
// A file cut short (an error wrapping audio.ErrTruncated: a WAV or FLAC file
// shorter than its header says, an MP3 cut inside a frame, an Ogg file cut inside
// a page) keeps the clips before the cut, when there are any; it is
// listed in the result's Warnings and named on the progress output, and it is
// not cached, so every run says so again.
//
// With o.CacheDir set each file is cached on its own, keyed by its content: a
// re-run reads them back without decoding any audio, and a changed file, or a
// changed setting, is embedded again. The key includes the path as given, since
// the embeddings' keys carry it.
func EmbedFiles(model zoo.Model, paths []string, o Options) (*Embeddings, error) {
	info := model.Info()
	if err := o.CheckFiles(info); err != nil {
		return nil, err
	}
	o = o.WithDefaults(info)
	split := o.Split(info)
	out := &Embeddings{Model: info.Name, Layer: o.Layer, Pooling: o.Pooling}
	p := newProgress(o.Progress, estimateClips(paths, split))
	settings := settingsKey(info, o, "files")
	batch := o.BatchSize
	// Clips of consecutive files share batches, so that many short files cost what
	// their clips cost and not a padded batch each; each file's embeddings are
	// cached on their own once all of its clips are embedded.
	type fileState struct {
		path     string
		e        *Embeddings
		cacheKey string
		split    bool // all of its clips have been read
		failed   bool
	}
	files := make([]*fileState, len(paths))
	var pending [][]float32
	var owners []int // file index of each pending clip
	finish := func(f *fileState) error {
		if err := checkDims(f.e, info.Name); err != nil {
			return fmt.Errorf("embed: %s: %w", f.path, err)
		}
		if f.cacheKey != "" {
			writeCache(o, f.cacheKey, f.e)
		}
		return nil
	}
	complete := func(f *fileState) bool { return f.split && !f.failed && len(f.e.Vectors) == len(f.e.Keys) }
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		vecs, err := model.Embed(pending, info.SampleRateHz, o.EmbedOptions)
		if err == nil && len(vecs) != len(pending) {
			err = fmt.Errorf("model %s returned %d embeddings for %d clips", info.Name, len(vecs), len(pending))
		}
		if err != nil {
			first, last := files[owners[0]].path, files[owners[len(owners)-1]].path
			if first == last {
				return fmt.Errorf("embed: %s: %w", first, err)
			}
			return fmt.Errorf("embed: %s … %s: %w", first, last, err)
		}
		for j, v := range vecs {
			f := files[owners[j]]
			f.e.Vectors = append(f.e.Vectors, v)
			if complete(f) {
				if err := finish(f); err != nil {
					return err
				}
			}
		}
		p.add(len(pending))
		pending, owners = pending[:0], owners[:0]
		return nil
	}
	fail := func(i int, err error) {
		f := files[i]
		f.failed = true
		out.Failures = append(out.Failures, audio.FileError{Path: f.path, Err: err}) // err names the file
		// Its clips still waiting for a batch are not embedded.
		kept := 0
		for j := range pending {
			if owners[j] != i {
				pending[kept], owners[kept] = pending[j], owners[j]
				kept++
			}
		}
		pending, owners = pending[:kept], owners[:kept]
	}
	for i, path := range paths {
		f := &fileState{path: path, e: &Embeddings{Model: info.Name, Layer: o.Layer, Pooling: o.Pooling}}
		files[i] = f
		if o.CacheDir != "" {
			sum, err := filehash.SHA256(path)
			if err != nil {
				fail(i, err)
				continue
			}
			h := sha256.Sum256([]byte(settings + "\x00" + path + "\x00" + sum))
			f.cacheKey = hex.EncodeToString(h[:])
			if cached, ok := readCache(o, f.cacheKey, &Embeddings{Model: info.Name, Layer: o.Layer, Pooling: o.Pooling}); ok {
				f.e, f.split = cached, true
				p.add(len(cached.Keys))
				continue
			}
		}
		var flushErr error // the model's failure, which stops everything
		fileSplit := split
		fileSplit.Dropped = func(s audio.Span) {
			f.e.Dropped = append(f.e.Dropped, Dropped{File: path, StartSeconds: s.StartSeconds, EndSeconds: s.EndSeconds})
		}
		err := audio.SplitFile(path, fileSplit, func(c audio.Clip) error {
			f.e.Keys = append(f.e.Keys, Key{path, c.StartSeconds, c.EndSeconds})
			pending, owners = append(pending, c.Samples), append(owners, i)
			if len(pending) == batch {
				flushErr = flush()
				return flushErr
			}
			return nil
		})
		if flushErr != nil {
			return nil, flushErr
		}
		if err != nil && errors.Is(err, audio.ErrTruncated) && len(f.e.Keys) > 0 {
			// The clips before the cut are good: keep them, say so, cache nothing.
			// (A file cut before its first whole clip stays an error.)
			note(o, "embed: warning: %v (embedded the %d clips before the cut)\n", err, len(f.e.Keys))
			out.Warnings = append(out.Warnings, audio.FileError{Path: path, Err: err})
			f.cacheKey = ""
			err = nil
		}
		if err != nil {
			fail(i, err)
			continue
		}
		f.split = true
		if complete(f) { // no clip of it is pending (or it has none)
			if err := finish(f); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	for _, f := range files {
		if f.failed {
			continue
		}
		out.Keys = append(out.Keys, f.e.Keys...)
		out.Vectors = append(out.Vectors, f.e.Vectors...)
		out.Dropped = append(out.Dropped, f.e.Dropped...)
	}
	p.dropped, p.failed = len(out.Dropped), len(out.Failures)
	p.done()
	reportLosses(o, out)
	if len(paths) > 0 && len(out.Failures) == len(paths) {
		return nil, fmt.Errorf("embed: none of the %d files could be read: %w", len(paths), out.FailuresError())
	}
	if err := checkDims(out, info.Name); err != nil {
		return nil, err
	}
	return out, nil
}

// MustEmbedFiles is EmbedFiles that panics on error, for notebooks — and when
// any file failed (Embeddings.Failures), since a notebook's result must not
// quietly lack files. Dropped sound (files or tails too short for a clip) is
// reported on the progress output, not a panic.
func MustEmbedFiles(model zoo.Model, paths []string, o Options) *Embeddings {
	e, err := EmbedFiles(model, paths, o)
	if err != nil {
		panic(err)
	}
	if err := e.FailuresError(); err != nil {
		panic(err)
	}
	return e
}

// maxNotes is how many dropped files or failures reportLosses names one by one.
const maxNotes = 10

// reportLosses writes a note for each failure and each piece of sound that gave
// no clip (the first maxNotes of each) to o.Progress, or standard error.
func reportLosses(o Options, e *Embeddings) {
	for i, f := range e.Failures {
		if i == maxNotes {
			note(o, "embed: … and %d more files failed (Embeddings.Failures lists them all)\n", len(e.Failures)-maxNotes)
			break
		}
		note(o, "embed: skipped, unreadable: %v\n", f.Err)
	}
	for i, d := range e.Dropped {
		if i == maxNotes {
			note(o, "embed: … and %d more files or tails gave no clip (Embeddings.Dropped lists them all)\n", len(e.Dropped)-maxNotes)
			break
		}
		note(o, "embed: %s: %s\n", d.File, d.describe())
	}
}

// CheckFiles checks o for EmbedFiles with the model info describes, with the
// errors EmbedFiles gives, each naming the bad value: the model's sample rate
// and clip length, the pooling, the layer, the overlap (0 ≤ overlap < the
// clip length) and the final-clip rule (audio.Spans). It is exported for
// callers that cut and embed recordings their own way and must refuse what
// EmbedFiles refuses (beam/shards).
func (o Options) CheckFiles(info zoo.Info) error {
	if err := checkOptions(info, o); err != nil {
		return err
	}
	if o.OverlapSeconds < 0 || o.OverlapSeconds >= info.ClipSeconds {
		return fmt.Errorf("embed: overlap of %g s outside [0, %g s) (model %s's clip length)", o.OverlapSeconds, info.ClipSeconds, info.Name)
	}
	if _, _, err := audio.Spans(0, info.SampleRateHz, o.Split(info)); err != nil {
		return fmt.Errorf("embed: %w", err)
	}
	return nil
}

// checkOptions checks what Embed and EmbedFiles both take: the model's sample
// rate and clip length, the pooling and the layer.
func checkOptions(info zoo.Info, o Options) error {
	switch {
	case info.SampleRateHz <= 0 || info.ClipSeconds <= 0:
		return fmt.Errorf("embed: model %s: sample rate %d Hz, clip length %g s", info.Name, info.SampleRateHz, info.ClipSeconds)
	case o.Pooling.Check() != nil:
		return fmt.Errorf("embed: %w", o.Pooling.Check())
	case o.Layer != "" && len(info.Layers) > 0 && slices.Index(info.Layers, o.Layer) < 0:
		return fmt.Errorf("embed: model %s has no layer %q (layers: %v)", info.Name, o.Layer, info.Layers)
	}
	return nil
}

// checkDims checks that every vector has the same length.
func checkDims(e *Embeddings, model string) error {
	for i, v := range e.Vectors {
		if len(v) != len(e.Vectors[0]) {
			return fmt.Errorf("embed: model %s gave vectors of %d and %d values (clip %d)", model, len(e.Vectors[0]), len(v), i)
		}
	}
	return nil
}

// cacheVersion changes whenever what is cached, or how, changes. 2: the
// final-clip rule's new default (pad a leftover of a third of a clip), cache
// files carrying their key and dropped sound. 3: an MP3 file cut short was
// cached as if whole before audio said it was cut.
const cacheVersion = 3

// settingsKey is the part of a cache key that the model and the options make.
// For an external model's class outputs (o.Layer zoo.ExternalScores) it holds
// the ONNX value the layer reads (info.ScoresValue), which info.Digest leaves
// out: scores = logits and scores = probs are other outputs. Other layers'
// keys are as before (the field is omitted), so their caches stay valid.
func settingsKey(info zoo.Info, o Options, kind string) string {
	scores := ""
	if o.Layer == zoo.ExternalScores {
		scores = info.ScoresValue
	}
	data, _ := json.Marshal(struct {
		Version                        int
		Kind, Model, Digest            string
		Layer, Pooling                 string
		ScoresValue                    string `json:",omitempty"`
		BatchSize                      int
		Training                       bool
		Seed                           uint64
		SampleRateHz                   int
		ClipSeconds, Overlap, MinFinal float64
		Final                          int
	}{cacheVersion, kind, info.Name, info.Digest, o.Layer, o.Pooling.String(), scores, o.BatchSize, o.Training, o.Seed,
		info.SampleRateHz, info.ClipSeconds, o.OverlapSeconds, o.MinFinalSeconds, int(o.Final)})
	return string(data)
}

// estimateClips is the number of clips the files will give, from the frame
// counts their headers announce and audio's rule (audio.Spans, the rule the
// splitter follows); -1 when a header does not say. Files that cannot be
// opened count 0: they will be failures.
func estimateClips(paths []string, o audio.SplitOptions) int {
	total := 0
	for _, path := range paths {
		s, err := audio.Open(path)
		if err != nil {
			continue
		}
		format := s.Format()
		s.Close()
		if format.Frames < 0 {
			return -1
		}
		spans, _, err := audio.Spans(format.Frames, format.SampleRateHz, o)
		if err != nil {
			return -1
		}
		total += len(spans)
	}
	return total
}
