package archive

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sync"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/internal/filehash"
	"github.com/dawnchorus/dawnchorus/lib/progress"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// Window is one window of a recording and its embedding: the clip spans
// [StartSeconds, EndSeconds) from the start of the file (a padded final clip
// may end after the end of the file).
type Window struct {
	StartSeconds, EndSeconds float64
	Embedding                []float32
}

// File is one recording with all of its windows, as Embed hands it to a Sink.
type File struct {
	// Path is the file as Find or the caller named it: the recording's key.
	Path string
	// DurationSeconds is the recording's length as its header gives it (0 when
	// the header does not say).
	DurationSeconds float64
	// SHA256 is the hex SHA-256 of the file's bytes (set when Options.Hash).
	SHA256 string
	// Windows are in time order; empty when the file is shorter than the
	// shortest final clip kept (Dropped says so).
	Windows []Window
	// Dropped is sound that gave no window under the final-clip rule.
	Dropped []audio.Span
}

// Sink receives embedded files. Embed calls Done from one goroutine and Put
// from another, each call after the previous one returned.
type Sink interface {
	// Done reports whether file is complete in the sink already (it is then
	// skipped).
	Done(file string) (bool, error)
	// Put stores a file's windows, all or none (see the package doc). An error
	// fails that file only.
	Put(f File) error
}

// ErrSkip, wrapped in a Put error, says the file turned out done already
// (another process stored it meanwhile): it is counted as skipped, not failed.
var ErrSkip = errors.New("already done")

// Options configures Embed.
type Options struct {
	// Embed holds the model settings: Layer, Pooling, BatchSize [32],
	// OverlapSeconds, Final and MinFinalSeconds (lib/embed's meanings;
	// CacheDir, Progress, Training and Seed are not used).
	Embed embed.Options
	// Workers is the number of decoding workers [runtime.NumCPU()].
	Workers int
	// Hash computes each file's SHA-256 (File.SHA256), reading it twice.
	Hash bool
	// Progress, when not nil, is told the seconds of audio embedded and the
	// files done, skipped and failed; Embed sets its Total and Files.
	Progress *progress.Meter
	// FileError, when not nil, is called (from one goroutine) for each file
	// that failed, with an error naming it.
	FileError func(file string, err error)
}

// Report says what Embed did.
type Report struct {
	// Files is the number of files given; Embedded, Skipped and Failed add up
	// to it when Embed returns no error.
	Files, Embedded, Skipped int
	Failed                   []audio.FileError
	// Windows and AudioSeconds count what was embedded in this run.
	Windows      int
	AudioSeconds float64
}

// SplitOptions are the options that cut a recording into model's windows:
// o.Split(info), EmbedFiles' cut.
func SplitOptions(info zoo.Info, o embed.Options) audio.SplitOptions {
	return o.Split(info)
}

// Settings returns what, besides the model's name, makes its windows: the
// weights' digest, layer, pooling, clip length, overlap and final-clip rule,
// and, for an external model's class outputs (layer zoo.ExternalScores),
// "scores_value": the ONNX value the layer reads. Windows made with other
// settings are other windows (the embedding database keeps them under another
// model entry). "layer" is always a layer name, so OptionsFromSettings gives
// it back to Embed as it is.
func Settings(info zoo.Info, o embed.Options) map[string]any {
	layer := o.Layer
	if layer == "" && len(info.Layers) > 0 {
		layer = info.Layers[len(info.Layers)-1]
	}
	s := map[string]any{
		"digest": info.Digest, "layer": layer, "pooling": o.Pooling.String(),
		"sample_rate_hz": info.SampleRateHz, "clip_seconds": info.ClipSeconds,
		"overlap_seconds": o.OverlapSeconds, "final": int(o.Final), "min_final_seconds": o.MinFinalSeconds,
	}
	if layer == zoo.ExternalScores && info.ScoresValue != "" {
		// Info.Digest leaves an external model's class head out (a detector
		// trained on its embedding stays valid when `scores` is added), so
		// the windows of its class outputs are told apart by the ONNX value.
		s["scores_value"] = info.ScoresValue
	}
	return s
}

// message is what a decoding worker sends the embedding stage: a window's
// samples, or (end) the end of a file.
type message struct {
	file    int
	samples []float32
	span    audio.Span
	end     bool
	err     error // with end: the file failed
	sha256  string
	dropped []audio.Span
}

// job is one file to decode.
type job struct {
	index int
	path  string
}

// state is a file in the embedding stage.
type state struct {
	f       File
	order   int     // its place among the files to embed (todo)
	filled  int     // windows with their embedding
	covered float64 // seconds of the file its embedded windows cover
	ended   bool
	failed  error
}

func (st *state) complete() bool {
	return st.ended && (st.failed != nil || st.filled == len(st.f.Windows))
}

// Embed embeds files with model into sink (see the package doc). It returns
// when every file is embedded, skipped or failed, or with an error when the
// model fails or ctx is cancelled; the report counts what was done either way.
func Embed(ctx context.Context, model zoo.Model, files []string, sink Sink, o Options) (Report, error) {
	info := model.Info()
	rep := Report{Files: len(files)}
	split := SplitOptions(info, o.Embed)
	if _, _, err := audio.Spans(0, info.SampleRateHz, split); err != nil {
		return rep, fmt.Errorf("archive: model %s: %w", info.Name, err)
	}
	batch := o.Embed.BatchSize
	if batch <= 0 {
		batch = 32
	}
	zo := zoo.EmbedOptions{Layer: o.Embed.Layer, Pooling: o.Embed.Pooling, BatchSize: batch}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	meter := o.Progress
	if meter == nil {
		meter = &progress.Meter{}
	}
	fileError := func(path string, err error) {
		rep.Failed = append(rep.Failed, audio.FileError{Path: path, Err: err})
		meter.FileFailed()
		if o.FileError != nil {
			o.FileError(path, err)
		}
	}

	// What is left to do, and how much audio it holds. order[i] is file i's
	// place in todo: the order in which the writer hands files to the sink.
	var todo []job
	order := make([]int, len(files))
	durations := make([]float64, len(files))
	total := 0.0
	for i, path := range files {
		done, err := sink.Done(path)
		if err != nil {
			return rep, fmt.Errorf("archive: %s: %w", path, err)
		}
		if done {
			rep.Skipped++
			meter.FileSkipped()
			continue
		}
		durations[i] = HeaderDuration(path)
		total += durations[i]
		order[i] = len(todo)
		todo = append(todo, job{i, path})
	}
	meter.Total, meter.Files = total, len(files)
	meter.Start()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job)
	msgs := make(chan message, 2*batch)
	// ahead holds a token for each file dispatched and not yet written: the
	// writer stores files in todo order, so the files done while an earlier,
	// longer one is still decoding wait in memory, at most cap(ahead) of them.
	ahead := make(chan struct{}, filesAhead*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if beforeDecode != nil {
					beforeDecode(j.index)
				}
				decode(ctx, j, split, o.Hash, msgs)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, j := range todo {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(msgs) }()

	// The writing stage: files in todo order (so that a store numbering its
	// windows as they come, like the embedding database, numbers them the same
	// whatever the number of workers and their timing), each as soon as it and
	// every file before it are complete.
	complete := make(chan *state, 16)
	writerDone := make(chan struct{})
	dropped, unfinished := 0, "" // complete files not stored, as they waited behind the unfinished one
	write := func(st *state) {
		if st.failed != nil {
			fileError(st.f.Path, st.failed)
			return
		}
		if err := sink.Put(st.f); err != nil {
			if errors.Is(err, ErrSkip) {
				rep.Skipped++
				meter.FileSkipped()
				return
			}
			fileError(st.f.Path, err)
			return
		}
		rep.Embedded++
		rep.Windows += len(st.f.Windows)
		rep.AudioSeconds += st.covered
		meter.FileDone()
	}
	go func() {
		defer close(writerDone)
		waiting := map[int]*state{} // complete files after the next one, by order
		next := 0
		for st := range complete {
			waiting[st.order] = st
			for st, ok := waiting[next]; ok; st, ok = waiting[next] {
				delete(waiting, next)
				write(st)
				next++
				<-ahead
			}
		}
		// The run stopped (an error, or cancelled) while files complete in memory
		// waited behind one that never completed: they are dropped, not stored.
		// Storing them would number their windows before the unfinished file's,
		// which a resumed run adds after them, so the resumed database would
		// differ from an uninterrupted run's (window ids, and with them the order
		// of Embeddings, exports and clip numbers). What is lost is at most
		// cap(ahead) files of work, redone by the resumed run, as after a kill.
		// Files that failed store nothing, so they are reported as failures
		// (in todo order) and not counted among the dropped.
		for _, i := range slices.Sorted(maps.Keys(waiting)) {
			if st := waiting[i]; st.failed != nil {
				fileError(st.f.Path, st.failed)
			} else {
				dropped++
			}
		}
		if dropped > 0 {
			unfinished = todo[next].path
		}
	}()

	// The embedding stage. head is the first file in todo order not yet sent
	// to the writer, which waits for it. When cap(ahead) files are dispatched
	// and not written, the dispatch of new files waits too: no window may come
	// to fill the batch, so once head is decoded its windows still waiting for
	// a full batch are embedded at once. (Checked at every file's end: the end
	// of the last file dispatched comes after its token was taken, so a stall
	// is always seen. Otherwise batches stay full, as before.)
	states := map[int]*state{}
	var pending [][]float32
	var owners []int
	sent := make([]bool, len(todo))
	head := 0
	send := func(i int, st *state) {
		delete(states, i)
		complete <- st
		sent[st.order] = true
		for head < len(todo) && sent[head] {
			head++
		}
	}
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		vecs, err := model.Embed(pending, info.SampleRateHz, zo)
		if err == nil && len(vecs) != len(pending) {
			err = fmt.Errorf("model %s returned %d embeddings for %d windows", info.Name, len(vecs), len(pending))
		}
		if err != nil {
			return fmt.Errorf("archive: %s: model %s: %w", files[owners[0]], info.Name, err)
		}
		for j, v := range vecs {
			st := states[owners[j]]
			w := &st.f.Windows[st.filled]
			w.Embedding = v
			st.filled++
			end := w.EndSeconds
			if d := st.f.DurationSeconds; d > 0 {
				end = min(end, d)
			}
			if added := end - max(w.StartSeconds, st.covered); added > 0 {
				st.covered += added
				meter.Add(added)
			}
		}
		for _, i := range owners {
			if st := states[i]; st != nil && st.complete() {
				send(i, st)
			}
		}
		pending, owners = pending[:0], owners[:0]
		return nil
	}
	var runErr error
	for m := range msgs {
		if runErr != nil {
			continue // drain, so that the workers can stop
		}
		st := states[m.file]
		if st == nil {
			st = &state{f: File{Path: files[m.file], DurationSeconds: durations[m.file]}, order: order[m.file]}
			states[m.file] = st
		}
		if m.end {
			st.ended, st.failed, st.f.SHA256, st.f.Dropped = true, m.err, m.sha256, m.dropped
			if m.err != nil { // its windows still waiting for a batch are not embedded
				kept := 0
				for j := range pending {
					if owners[j] != m.file {
						pending[kept], owners[kept] = pending[j], owners[j]
						kept++
					}
				}
				pending, owners = pending[:kept], owners[:kept]
			}
			if st.complete() {
				send(m.file, st)
			}
			if head < len(todo) && len(ahead) == cap(ahead) {
				if hs := states[todo[head].index]; hs != nil && hs.ended && !hs.complete() {
					runErr = flush()
				}
			}
			if runErr != nil {
				cancel()
			}
			continue
		}
		st.f.Windows = append(st.f.Windows, Window{StartSeconds: m.span.StartSeconds, EndSeconds: m.span.EndSeconds})
		pending, owners = append(pending, m.samples), append(owners, m.file)
		if len(pending) == batch {
			runErr = flush()
		}
		if runErr == nil {
			runErr = ctx.Err()
		}
		if runErr != nil {
			cancel()
		}
	}
	if runErr == nil {
		if runErr = ctx.Err(); runErr == nil {
			runErr = flush()
		}
	}
	close(complete)
	<-writerDone
	meter.Done()
	if runErr != nil && dropped > 0 {
		runErr = fmt.Errorf("%w (%d embedded files after the unfinished %s were not stored, so that a resumed run numbers the windows as an uninterrupted one)", runErr, dropped, unfinished)
	}
	return rep, runErr
}

// filesAhead × the number of workers is how many files may be dispatched
// beyond the first one not yet written (their embeddings wait in memory); a
// variable for the tests.
var filesAhead = 8

// beforeDecode, when not nil, is called by a worker before it decodes file
// index (tests delay files with it, to shuffle the order they complete in).
var beforeDecode func(index int)

// errCancelled stops a file's decoding when the run is cancelled.
var errCancelled = errors.New("cancelled")

// decode splits one file and sends its windows, then its end, to msgs.
func decode(ctx context.Context, j job, split audio.SplitOptions, hash bool, msgs chan<- message) {
	end := message{file: j.index, end: true}
	defer func() {
		if ctx.Err() == nil {
			msgs <- end
		}
	}()
	if hash {
		sum, err := FileSHA256(j.path)
		if err != nil {
			end.err = err
			return
		}
		end.sha256 = sum
	}
	split.Dropped = func(s audio.Span) { end.dropped = append(end.dropped, s) }
	err := audio.SplitFile(j.path, split, func(c audio.Clip) error {
		select {
		case msgs <- message{file: j.index, samples: c.Samples, span: audio.Span{StartSeconds: c.StartSeconds, EndSeconds: c.EndSeconds}}:
			return nil
		case <-ctx.Done():
			return errCancelled
		}
	})
	if err != nil {
		end.err = err
	}
}

// HeaderDuration is a file's length in seconds as its header says, or 0 when
// it cannot be opened or its header does not say.
func HeaderDuration(path string) float64 {
	s, err := audio.Open(path)
	if err != nil {
		return 0
	}
	defer s.Close()
	return max(0, s.Format().DurationSeconds())
}

// FileSHA256 returns the hex SHA-256 of a file's bytes.
func FileSHA256(path string) (string, error) {
	sum, err := filehash.SHA256(path)
	if err != nil {
		return "", fmt.Errorf("archive: %w", err)
	}
	return sum, nil
}

// OptionsFromSettings reads back the embedding options Settings recorded (as
// JSON decodes them: numbers as float64), so that a query or a new recording
// is embedded as the stored windows were.
func OptionsFromSettings(settings map[string]any) (embed.Options, error) {
	var o embed.Options
	if layer, ok := settings["layer"].(string); ok {
		o.Layer = layer
	}
	switch settings["pooling"] {
	case nil, "mean":
	case "max":
		o.Pooling = cnn.MaxPooling
	default:
		return o, fmt.Errorf("archive: pooling %v in the settings", settings["pooling"])
	}
	num := func(key string) float64 {
		x, _ := settings[key].(float64)
		return x
	}
	o.OverlapSeconds = num("overlap_seconds")
	o.MinFinalSeconds = num("min_final_seconds")
	o.Final = audio.FinalClip(int(num("final")))
	return o, nil
}

// CheckSettings reports an error when model's weights or clip, or (for the
// layer zoo.ExternalScores) its scores value, differ from those settings were
// recorded with.
func CheckSettings(info zoo.Info, settings map[string]any) error {
	if d, _ := settings["digest"].(string); d != info.Digest {
		return fmt.Errorf("archive: the windows were made by %s with weights %q; the installed %s has weights %q", info.Name, d, info.Name, info.Digest)
	}
	if c, _ := settings["clip_seconds"].(float64); c != info.ClipSeconds {
		return fmt.Errorf("archive: the windows are %g s long; %s's clips are %g s", c, info.Name, info.ClipSeconds)
	}
	if l, _ := settings["layer"].(string); l == zoo.ExternalScores {
		if v, _ := settings["scores_value"].(string); v != info.ScoresValue {
			return fmt.Errorf("archive: the windows are %s's layer %q read from the ONNX value %q; the installed %s's config says scores = %q", info.Name, l, v, info.Name, info.ScoresValue)
		}
	}
	return nil
}
