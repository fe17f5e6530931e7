package shards

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/archive"
	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/zoo"
)

// DefaultShardSeconds is the length of sound a shard holds when
// Settings.ShardSeconds is 0: one minute, about 20 clips of a 3 s model — a
// few seconds of work, so that a lost worker loses little and a file of hours
// spreads over many workers.
const DefaultShardSeconds = 60

// Settings are everything that changes a shard's vectors or its cut: the model
// (by its registered name in lib/zoo), how it reads an embedding
// (zoo.EmbedOptions, the type embed.Options embeds), embed.Options' fields
// of the cut that EmbedFiles honours, plus the shard length. Their JSON is part
// of every shard's ID (in Resolved.Key's fixed layout) and of the embedding
// database's model settings.
type Settings struct {
	// Model is the zoo model's name, e.g. "birds-v1".
	Model string
	// EmbedOptions are embed.Options' own: Layer, Pooling, Training, Seed and
	// BatchSize, with its defaults (embed.Options.WithDefaults).
	zoo.EmbedOptions
	// OverlapSeconds, Final and MinFinalSeconds are embed.Options' fields of
	// the same names.
	OverlapSeconds  float64
	Final           audio.FinalClip
	MinFinalSeconds float64
	// ShardSeconds is how much sound a shard holds, at least one clip
	// [DefaultShardSeconds].
	ShardSeconds float64
	// Engine is the GoMLX engine configuration every worker must run
	// (lib/backend's choice, or $GOMLX_BACKEND) [backend.PureGo]: vectors
	// agree bit for bit only on one engine, so a worker on another refuses to
	// start rather than mix them.
	Engine string
}

// Options returns the embed.Options that embed the same vectors with
// embed.EmbedFiles.
func (s Settings) Options() embed.Options {
	return embed.Options{EmbedOptions: s.EmbedOptions, OverlapSeconds: s.OverlapSeconds, Final: s.Final, MinFinalSeconds: s.MinFinalSeconds}
}

func (s Settings) withDefaults(info zoo.Info) Settings {
	s.EmbedOptions = s.Options().WithDefaults(info).EmbedOptions // EmbedFiles' defaults, as it fills them in
	if s.ShardSeconds == 0 {
		s.ShardSeconds = DefaultShardSeconds
	}
	if s.Engine == "" {
		s.Engine = backend.PureGo
	}
	return s
}

// split is the cut EmbedFiles makes for this model and these settings.
func (s Settings) split(info zoo.Info) audio.SplitOptions {
	return s.Options().Split(info)
}

// Resolved is Settings with its defaults filled in for model, checked, plus
// what identifies the model's weights: what a shard's ID and a database's
// model settings are made of.
type Resolved struct {
	Settings
	// Digest is the model's weight digest (zoo.Info.Digest).
	Digest string
	// SampleRateHz and ClipSeconds are the model's.
	SampleRateHz int
	ClipSeconds  float64
	// ClipsPerShard is how many clips a shard holds (the last of a file: the rest).
	ClipsPerShard int
}

// Resolve fills in s's defaults for model and checks them (the shard length here,
// the rest by embed.Options.CheckFiles, as EmbedFiles does), with errors naming
// the bad value.
func Resolve(s Settings, info zoo.Info) (Resolved, error) {
	s = s.withDefaults(info)
	if s.Model != info.Name {
		return Resolved{}, fmt.Errorf("shards: settings name model %q, the model is %q", s.Model, info.Name)
	}
	if err := s.Options().CheckFiles(info); err != nil { // EmbedFiles' own check
		return Resolved{}, fmt.Errorf("shards: %w", err)
	}
	hop := info.ClipSeconds - s.OverlapSeconds
	if !(s.ShardSeconds >= info.ClipSeconds) || math.IsInf(s.ShardSeconds, 0) {
		return Resolved{}, fmt.Errorf("shards: shard length %v s, want at least one clip (%g s)", s.ShardSeconds, info.ClipSeconds)
	}
	// Whole clips whose starts fit in the shard's length.
	perShard := max(1, int(math.Floor((s.ShardSeconds-info.ClipSeconds)/hop+1e-9))+1)
	return Resolved{Settings: s, Digest: info.Digest, SampleRateHz: info.SampleRateHz, ClipSeconds: info.ClipSeconds, ClipsPerShard: perShard}, nil
}

// Key is the JSON of r: the same settings always give the same string. Its
// layout (which fields, in which order) is fixed here, apart from the Go
// types', since every shard's ID is made of it: an output folder written
// before a change of Settings' type keeps its shards.
func (r Resolved) Key() string {
	data, err := json.Marshal(struct {
		Model, Layer    string
		Pooling         cnn.Pooling
		BatchSize       int
		OverlapSeconds  float64
		Final           audio.FinalClip
		MinFinalSeconds float64
		Training        bool
		Seed            uint64
		ShardSeconds    float64
		Engine, Digest  string
		SampleRateHz    int
		ClipSeconds     float64
		ClipsPerShard   int
	}{r.Model, r.Layer, r.Pooling, r.BatchSize, r.OverlapSeconds, r.Final, r.MinFinalSeconds, r.Training, r.Seed,
		r.ShardSeconds, r.Engine, r.Digest, r.SampleRateHz, r.ClipSeconds, r.ClipsPerShard})
	if err != nil {
		panic(err) // plain fields only
	}
	return string(data)
}

// Shard is a run of consecutive clips of one recording: the unit of work of
// the pipeline, and the element its stages pass on.
type Shard struct {
	// ID is the hex SHA-256 of the settings, File, ContentSHA256, FirstClip
	// and Clips: the name of the shard's result files.
	ID string
	// File is the recording's path as the user gave it (the clips' key).
	File string
	// FileIndex is the file's position in the input list: results come out in
	// that order, as EmbedFiles returns them.
	FileIndex int
	// ContentSHA256 is the hex SHA-256 of the file's bytes when it was planned.
	ContentSHA256 string
	// Index is the shard's position in its file, of NumShards.
	Index, NumShards int
	// FirstClip is the index of its first clip in the file; Clips is how many
	// it holds, −1 for the file's last shard (to the end of the file).
	FirstClip, Clips int
	// DurationSeconds is the file's length by its header (−1 when unknown).
	DurationSeconds float64
}

// String names the shard for errors: file, shard number and clips.
func (s Shard) String() string {
	last := "end"
	if s.Clips >= 0 {
		last = fmt.Sprint(s.FirstClip + s.Clips - 1)
	}
	return fmt.Sprintf("%s shard %d/%d (clips %d–%s)", s.File, s.Index+1, s.NumShards, s.FirstClip, last)
}

// PlanFile cuts the file at path (the fileIndex-th input) into shards: it
// reads the file whole once, for its SHA-256, and its header for its length
// (decoding it when the header does not say, as for some MP3s). The error
// names the file.
func PlanFile(r Resolved, path string, fileIndex int) ([]Shard, error) {
	sum, err := archive.FileSHA256(path) // the digest lib/archive records of a recording in an embedding database
	if err != nil {
		return nil, err
	}
	frames, rateHz, err := countFrames(path)
	if err != nil {
		return nil, err
	}
	info := zoo.Info{Name: r.Model, SampleRateHz: r.SampleRateHz, ClipSeconds: r.ClipSeconds}
	spans, _, err := audio.Spans(frames, rateHz, r.split(info))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	n := max(1, (len(spans)+r.ClipsPerShard-1)/r.ClipsPerShard)
	out := make([]Shard, n)
	for i := range out {
		s := Shard{File: path, FileIndex: fileIndex, ContentSHA256: sum, Index: i, NumShards: n,
			FirstClip: i * r.ClipsPerShard, Clips: r.ClipsPerShard, DurationSeconds: float64(frames) / float64(rateHz)}
		if i == n-1 {
			s.Clips = -1
		}
		s.ID = shardID(r, s)
		out[i] = s
	}
	return out, nil
}

func shardID(r Resolved, s Shard) string {
	h := sha256.New()
	fmt.Fprintf(h, "dawnchorus-beam shard v1\x00%s\x00%q\x00%s\x00%d\x00%d", r.Key(), s.File, s.ContentSHA256, s.FirstClip, s.Clips)
	return hex.EncodeToString(h.Sum(nil))
}

// countFrames returns the file's frames and sample rate: from the header, or
// by decoding when the header does not say.
func countFrames(path string) (frames int64, rateHz int, err error) {
	s, err := audio.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer s.Close()
	f := s.Format()
	if f.Frames >= 0 {
		if f.Frames == 0 {
			return 0, 0, fmt.Errorf("%s: %w", path, audio.ErrEmpty)
		}
		return f.Frames, f.SampleRateHz, nil
	}
	buf := make([]float32, 1<<15*max(1, f.NumChannels))
	for {
		n, err := s.Read(buf)
		frames += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, 0, err
		}
	}
	if frames == 0 {
		return 0, 0, fmt.Errorf("%s: %w", path, audio.ErrEmpty)
	}
	return frames, f.SampleRateHz, nil
}

// errShardEnd stops audio.SplitFile after a shard's last clip.
var errShardEnd = errors.New("end of shard")

// EmbedShard embeds the shard's clips with model, bit for bit as
// embed.EmbedFiles embeds them within the whole file (see the package doc).
// A file that cannot be read, or that ends before the shard's first clip
// (it changed since it was planned), is an error naming the shard.
func EmbedShard(model zoo.Model, r Resolved, s Shard) (*embed.Embeddings, error) {
	if err := CheckEngine(r); err != nil {
		return nil, fmt.Errorf("shards: %s: %w", s, err)
	}
	info := model.Info()
	if info.Name != r.Model || info.Digest != r.Digest {
		return nil, fmt.Errorf("shards: %s: model %s (%.12s) is not the planned %s (%.12s)", s, info.Name, info.Digest, r.Model, r.Digest)
	}
	out := &embed.Embeddings{Model: info.Name, Layer: r.Layer, Pooling: r.Pooling}
	var clips [][]float32
	split := r.split(info)
	split.Dropped = func(d audio.Span) {
		out.Dropped = append(out.Dropped, embed.Dropped{File: s.File, StartSeconds: d.StartSeconds, EndSeconds: d.EndSeconds})
	}
	next := s.FirstClip
	err := audio.SplitFileFrom(s.File, split, s.FirstClip, func(c audio.Clip) error {
		i := next
		next++
		if s.Clips >= 0 && i >= s.FirstClip+s.Clips {
			return errShardEnd
		}
		out.Keys = append(out.Keys, embed.Key{File: s.File, StartSeconds: c.StartSeconds, EndSeconds: c.EndSeconds})
		clips = append(clips, c.Samples)
		return nil
	})
	if err != nil && !errors.Is(err, errShardEnd) {
		return nil, fmt.Errorf("shards: %s: %w", s, err)
	}
	if s.FirstClip > 0 && next <= s.FirstClip {
		return nil, fmt.Errorf("shards: %s: the file gives no clip from clip %d on; it changed since it was planned (sha256 %.12s)", s, s.FirstClip, s.ContentSHA256)
	}
	for start := 0; start < len(clips); start += r.BatchSize {
		end := min(start+r.BatchSize, len(clips))
		vecs, err := model.Embed(clips[start:end], info.SampleRateHz, r.EmbedOptions)
		if err == nil && len(vecs) != end-start {
			err = fmt.Errorf("model %s returned %d embeddings for %d clips", info.Name, len(vecs), end-start)
		}
		if err != nil {
			return nil, fmt.Errorf("shards: %s: %w", s, err)
		}
		out.Vectors = append(out.Vectors, vecs...)
	}
	for i, v := range out.Vectors {
		if len(v) != len(out.Vectors[0]) {
			return nil, fmt.Errorf("shards: %s: vector %d has %d values, vector 0 %d", s, i, len(v), len(out.Vectors[0]))
		}
	}
	return out, nil
}

// CheckEngine is nil when this process runs (or will run) the engine r names:
// lib/backend's choice, made once per process.
func CheckEngine(r Resolved) error {
	if engine := backend.Engine(); engine != r.Engine {
		return fmt.Errorf("this worker runs engine %q, the run's settings say engine %q (set $%s=%s, or build the worker with CGO_ENABLED=0)",
			engine, r.Engine, backend.EnvVar, r.Engine)
	}
	return nil
}
