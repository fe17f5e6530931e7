package zoo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/onnx-gomlx/onnx"

	"github.com/dawnchorus/dawnchorus/lib/backend"
	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/spectro"
)

// ONNXOptions configures FromONNX: which ONNX values are the clips' input and
// which are the layers Embed reads.
type ONNXOptions struct {
	// InputName is the ONNX graph input that receives the clips; "" takes the
	// model's only input.
	InputName string
	// FrequencyFirst says an image input's axes are [mel, time] (the usual torch
	// audio layout) instead of [time, mel] (lib/spectro's FrontEnd). It is detected
	// when the input declares both sizes and they differ.
	FrequencyFirst bool
	// ChannelsLast says the layers' rank-3 and rank-4 values hold channels on
	// their last axis ([batch, time, mel, channels], TensorFlow's layout) instead of
	// their second ([batch, channels, time, mel], PyTorch's), so pooling reduces the
	// axes in between. (A rank-4 image input's own layout, [batch, 1, time, mel] or
	// [batch, time, mel, 1], is detected from where its axis of 1 is.)
	ChannelsLast bool
	// LayerValues maps each name of Info.Layers to the ONNX value (a graph output
	// or any node's output) it reads; a name missing from the map reads the ONNX
	// value of the same name.
	LayerValues map[string]string
}

// InputKind says what an ONNX model's input holds.
type InputKind int

const (
	// InputImage is the FrontEnd's image: the model starts at the spectrogram.
	InputImage InputKind = iota
	// InputWaveform is the clip's samples, [batch, samples]: the model computes
	// its own spectrogram (as BirdNET and Perch exports do).
	InputWaveform
)

// String returns "image" or "waveform".
func (k InputKind) String() string {
	if k == InputWaveform {
		return "waveform"
	}
	return "image"
}

// ONNXModel is a model imported from an ONNX file: the graph runs on the
// engine of lib/backend (GoMLX, through github.com/gomlx/onnx-gomlx), the
// spectrogram front end (for image models) in Go. It implements Model and is safe
// for concurrent use (calls are serialised).
//
// ONNX exports are inference graphs, so Embed rejects EmbedOptions.Training.
//
// Every batch runs with exactly EmbedOptions.BatchSize rows (the last one padded
// with silence), so a clip's embedding is the same bit for bit whatever clips
// come with it; across different BatchSize values the engine may round
// differently (about 1e-7 relative). A call with a handful of clips still pays
// for a whole batch: pass a smaller BatchSize then.
type ONNXModel struct {
	info     Info
	path     string
	onnx     *onnx.Model
	opts     ONNXOptions
	input    string
	kind     InputKind
	inDims   []int // declared input dimensions, -1 where dynamic
	inNHWC   bool  // a rank-4 image input has its channel axis last
	front    *spectro.FrontEnd
	backend  backends.Backend
	mu       sync.Mutex
	ctx      *context.Context
	execs    map[string]*context.Exec
	numCalls int
	// embeddingPooling, when set, is the default layer's pooling whatever
	// EmbedOptions.Pooling says.
	embeddingPooling *cnn.Pooling
}

// FromONNX loads the ONNX model in the file at path. info describes it; zero
// fields are filled in: Name from the file name, Digest with the SHA-256 of the
// file, SampleRateHz, ClipSeconds and Spectrogram with the FrontEnd's defaults
// (22050 Hz, 3 s, NFFT 1024, hop 512, 64 mel bands from 500 Hz to Nyquist),
// Layers with the model's first output, EmbeddingSize by running a silent clip.
//
// The input's declared shape is checked against the clips (waveform) or the
// FrontEnd's image (image), so a model built for other settings fails here,
// with an error naming the file, the input and both shapes.
func FromONNX(path string, info Info, o ONNXOptions) (*ONNXModel, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("zoo: onnx: %w", err)
	}
	if info.Name == "" {
		info.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return FromONNXBytes(data, path, info, o)
}

// FromONNXBytes is FromONNX on the file's contents (for models embedded with
// go:embed); name is what errors call the model.
func FromONNXBytes(data []byte, name string, info Info, o ONNXOptions) (m *ONNXModel, err error) {
	return fromONNXBytes(data, name, info, o, nil)
}

// fromONNXBytes is FromONNXBytes; a non-nil embeddingPooling fixes the
// pooling of the default layer (an external model's config sets it).
func fromONNXBytes(data []byte, name string, info Info, o ONNXOptions, embeddingPooling *cnn.Pooling) (m *ONNXModel, err error) {
	fail := func(format string, args ...any) (*ONNXModel, error) {
		return nil, fmt.Errorf("zoo: onnx %s: %w", name, fmt.Errorf(format, args...))
	}
	if len(data) == 0 {
		return fail("empty file")
	}
	if info.Name == "" {
		info.Name = name
	}
	if info.Digest == "" {
		sum := sha256.Sum256(data)
		info.Digest = hex.EncodeToString(sum[:])
	}
	om, err := parseONNX(data)
	if err != nil {
		return fail("not a readable ONNX model: %w", err)
	}
	if om, err = lowerONNX(om); err != nil {
		return fail("%w", err)
	}
	inputs, inShapes := om.Inputs()
	input := o.InputName
	var inShape onnx.DynamicShape
	switch idx := slices.Index(inputs, input); {
	case input == "" && len(inputs) == 1:
		input, inShape = inputs[0], inShapes[0]
	case input == "":
		return fail("the model has %d inputs %v: say which takes the clips (ONNXOptions.InputName)", len(inputs), inputs)
	case idx < 0:
		return fail("no input %q (inputs: %v)", input, inputs)
	default:
		inShape = inShapes[idx]
	}
	outputs, _ := om.Outputs()
	if len(info.Layers) == 0 {
		if len(outputs) == 0 {
			return fail("the model has no outputs")
		}
		info.Layers = []string{outputs[0]}
	}

	// The front end, and the Info fields that describe it.
	fo := spectro.FrontEndOptions{
		SampleRateHz: info.SampleRateHz, ClipSeconds: info.ClipSeconds,
		NFFT: info.Spectrogram.NFFT, Hop: info.Spectrogram.HopLength, NumMels: info.Spectrogram.NumMels,
		FMinHz: info.Spectrogram.FMinHz, FMaxHz: info.Spectrogram.FMaxHz,
		Level: info.Spectrogram.Level, FloorDBFS: info.Spectrogram.FloorDBFS,
	}
	front, err := spectro.NewFrontEnd(fo)
	if err != nil {
		return fail("%w", err)
	}
	fo = front.Options
	info.SampleRateHz, info.ClipSeconds = fo.SampleRateHz, fo.ClipSeconds

	m = &ONNXModel{path: name, onnx: om, opts: o, input: input, inDims: inShape.Dimensions, front: front, execs: map[string]*context.Exec{}, embeddingPooling: embeddingPooling}
	switch inShape.Rank() {
	case 2:
		m.kind = InputWaveform
		if d := inShape.Dimensions[1]; d > 0 && d != front.ClipSamples() {
			return fail("input %q takes %d samples (shape %v), but %g s at %d Hz are %d samples: set Info.SampleRateHz and ClipSeconds to the model's",
				input, d, inShape, fo.ClipSeconds, fo.SampleRateHz, front.ClipSamples())
		}
	case 3, 4:
		m.kind = InputImage
		// The settings in use: the caller's, defaults where they were zero.
		info.Spectrogram.NFFT, info.Spectrogram.HopLength, info.Spectrogram.NumMels = fo.NFFT, fo.Hop, fo.NumMels
		info.Spectrogram.FMinHz, info.Spectrogram.FMaxHz = fo.FMinHz, fo.FMaxHz
		info.Spectrogram.Level, info.Spectrogram.FloorDBFS = fo.Level, fo.FloorDBFS
		if info.Spectrogram.Scale == "" {
			info.Spectrogram.Scale = ScaleDescription(fo)
		}
		if err := m.checkImageInput(inShape); err != nil {
			return fail("%w", err)
		}
	default:
		return fail("input %q has shape %v: want [batch, samples] (waveform), [batch, time, mel] or [batch, 1, time, mel] (image)", input, inShape)
	}
	m.info = info

	if m.backend, err = backend.New(); err != nil {
		return fail("%w", err)
	}
	m.ctx = context.New()
	if err := om.VariablesToContext(m.ctx); err != nil {
		return fail("reading the weights: %w", err)
	}
	for _, layer := range info.Layers {
		if !hasValue(om, m.layerValue(layer)) {
			return fail("layer %q reads ONNX value %q, which the graph does not have (outputs: %v)", layer, m.layerValue(layer), outputs)
		}
		if bad := unsupportedOps(om, m.layerValue(layer)); len(bad) > 0 {
			return fail("layer %q needs ONNX operators that onnx-gomlx %s does not convert: %s (supported: lib/zoo/ONNX_OPS.md, or zoo.ONNXOps)",
				layer, onnxGoMLXVersion, strings.Join(bad, ", "))
		}
	}
	// A silent clip checks that the graph runs with these shapes, and measures the
	// embedding.
	probe, err := m.Embed([][]float32{nil}, info.SampleRateHz, EmbedOptions{BatchSize: 1})
	if err != nil {
		return nil, fmt.Errorf("zoo: onnx %s: running a silent clip: %w", name, err)
	}
	if m.info.EmbeddingSize == 0 {
		m.info.EmbeddingSize = len(probe[0])
	} else if m.info.EmbeddingSize != len(probe[0]) {
		return fail("Info.EmbeddingSize is %d but layer %q gives %d values", m.info.EmbeddingSize, m.defaultLayer(), len(probe[0]))
	}
	return m, nil
}

// parseONNX parses a model, turning onnx-gomlx's panics into errors.
func parseONNX(data []byte) (m *onnx.Model, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return onnx.Parse(data)
}

// checkImageInput decides the image layout and checks the declared sizes.
func (m *ONNXModel) checkImageInput(s onnx.DynamicShape) error {
	frames, mels := m.front.Shape()[0], m.front.Shape()[1]
	d := s.Dimensions
	var tf []int // the two image axes, as declared
	if s.Rank() == 3 {
		tf = d[1:3]
	} else {
		switch {
		case d[1] == 1:
			tf = d[2:4]
		case d[3] == 1:
			tf = d[1:3]
			m.inNHWC = true
		default:
			return fmt.Errorf("input %q has shape %v: a rank-4 image input needs one channel, on axis 1 or 3", m.input, s)
		}
	}
	if tf[0] > 0 && tf[1] > 0 && tf[0] == mels && tf[1] == frames && frames != mels {
		m.opts.FrequencyFirst = true
	}
	want := []int{frames, mels}
	if m.opts.FrequencyFirst {
		want = []int{mels, frames}
	}
	if (tf[0] > 0 && tf[0] != want[0]) || (tf[1] > 0 && tf[1] != want[1]) {
		return fmt.Errorf("input %q has shape %v, but the front end makes %d frames × %d mel bands (%g s at %d Hz, hop %d): set Info.Spectrogram, SampleRateHz and ClipSeconds to the model's",
			m.input, s, frames, mels, m.front.Options.ClipSeconds, m.front.Options.SampleRateHz, m.front.Options.Hop)
	}
	return nil
}

// hasValue reports whether an ONNX value of that name exists: a graph output or
// a node's output.
func hasValue(m *onnx.Model, name string) bool {
	for _, n := range m.Proto.Graph.Node {
		if slices.Index(n.Output, name) >= 0 {
			return true
		}
	}
	outputs, _ := m.Outputs()
	return slices.Index(outputs, name) >= 0
}

// Info describes the model.
func (m *ONNXModel) Info() Info {
	info := m.info
	info.Layers = append([]string(nil), m.info.Layers...)
	info.Classes = append([]string(nil), m.info.Classes...)
	return info
}

// Input says whether the model takes waveforms or FrontEnd images.
func (m *ONNXModel) Input() InputKind { return m.kind }

// FrontEnd is the spectrogram front end that makes the model's image inputs.
func (m *ONNXModel) FrontEnd() *spectro.FrontEnd { return m.front }

// NumGraphCalls counts the batches run through the graph since loading (the
// silent probe of FromONNX included); tests use it.
func (m *ONNXModel) NumGraphCalls() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.numCalls
}

func (m *ONNXModel) defaultLayer() string { return m.info.Layers[len(m.info.Layers)-1] }

func (m *ONNXModel) layerValue(layer string) string {
	if v, ok := m.opts.LayerValues[layer]; ok {
		return v
	}
	return layer
}

// Embed returns one embedding per clip: the clip goes through the front end
// (image models) or as it is (waveform models), then through the ONNX graph up
// to the layer o.Layer, whose time and frequency axes are pooled with o.Pooling.
// A value without such axes ([batch, features]) is returned as it is.
func (m *ONNXModel) Embed(clips [][]float32, sampleRateHz int, o EmbedOptions) ([][]float32, error) {
	clips, err := AtModelRate(m.info, clips, sampleRateHz)
	if err != nil {
		return nil, err
	}
	if o.Training {
		return nil, fmt.Errorf("zoo: onnx %s: Training is not supported: an ONNX export is an inference graph", m.path)
	}
	layer := o.Layer
	if layer == "" {
		layer = m.defaultLayer()
	}
	if slices.Index(m.info.Layers, layer) < 0 {
		return nil, fmt.Errorf("zoo: onnx %s: no layer %q (layers: %s)", m.path, layer, strings.Join(m.info.Layers, ", "))
	}
	if o.Pooling.Check() != nil {
		return nil, fmt.Errorf("zoo: onnx %s: unknown pooling %v", m.path, o.Pooling)
	}
	if err := checkClipLengths(m.info, clips); err != nil {
		return nil, err
	}
	inputs := make([][]float32, len(clips))
	n := m.front.ClipSamples()
	for i, clip := range clips {
		if m.kind == InputWaveform {
			inputs[i] = make([]float32, n)
			copy(inputs[i], clip)
			continue
		}
		image, err := m.front.Image(clip)
		if err != nil {
			return nil, fmt.Errorf("zoo: onnx %s: clip %d: %w", m.path, i, err)
		}
		inputs[i] = image
	}
	return m.run(inputs, layer, o)
}

// EmbedImages is Embed on ready-made FrontEnd images (frame-major, FrontEnd.Shape
// values each), skipping the front end: for comparing with the exporter on the
// same inputs, and for images made elsewhere.
func (m *ONNXModel) EmbedImages(images [][]float32, o EmbedOptions) ([][]float32, error) {
	if m.kind != InputImage {
		return nil, fmt.Errorf("zoo: onnx %s: EmbedImages on a model whose input is a waveform", m.path)
	}
	size := m.front.Shape()[0] * m.front.Shape()[1]
	for i, im := range images {
		if len(im) != size {
			return nil, fmt.Errorf("zoo: onnx %s: image %d has %d values, want %d (%d frames × %d mel bands)", m.path, i, len(im), size, m.front.Shape()[0], m.front.Shape()[1])
		}
	}
	layer := o.Layer
	if layer == "" {
		layer = m.defaultLayer()
	}
	if slices.Index(m.info.Layers, layer) < 0 {
		return nil, fmt.Errorf("zoo: onnx %s: no layer %q (layers: %s)", m.path, layer, strings.Join(m.info.Layers, ", "))
	}
	return m.run(images, layer, o)
}

// run sends the inputs through the graph in batches of exactly BatchSize rows,
// the last one padded with zeros: the engine may pick its algorithms (and so
// its float32 rounding) by the batch's shape, so a fixed shape makes a clip's
// embedding independent of how many clips come with it and of their order —
// bit for bit, for a given BatchSize. One graph is compiled per layer and
// pooling.
func (m *ONNXModel) run(inputs [][]float32, layer string, o EmbedOptions) ([][]float32, error) {
	batch := o.BatchSize
	if batch <= 0 {
		batch = 32
	}
	pooling := o.Pooling
	if m.embeddingPooling != nil && layer == m.defaultLayer() {
		pooling = *m.embeddingPooling
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	exec, err := m.exec(layer, pooling)
	if err != nil {
		return nil, err
	}
	width := m.front.ClipSamples()
	var dims []int
	if m.kind == InputImage {
		dims = []int{m.front.Shape()[0], m.front.Shape()[1]}
		width = dims[0] * dims[1]
	} else {
		dims = []int{width}
	}
	out := make([][]float32, 0, len(inputs))
	for start := 0; start < len(inputs); start += batch {
		end := min(start+batch, len(inputs))
		rows := batch
		flat := make([]float32, rows*width)
		for i := start; i < end; i++ {
			copy(flat[(i-start)*width:], inputs[i])
		}
		t := tensors.FromFlatDataAndDimensions(flat, append([]int{rows}, dims...)...)
		results, err := execSafely(exec, t)
		m.numCalls++
		if err != nil {
			return nil, fmt.Errorf("zoo: onnx %s: layer %q: %w", m.path, layer, err)
		}
		res := results[0]
		values := tensors.MustCopyFlatData[float32](res)
		res.FinalizeAll()
		dim := len(values) / rows
		for i := 0; i < end-start; i++ {
			out = append(out, append([]float32(nil), values[i*dim:(i+1)*dim]...))
		}
	}
	return out, nil
}

func execSafely(exec *context.Exec, t *tensors.Tensor) (results []*tensors.Tensor, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return exec.Exec(t)
}

// CompiledLayers returns the layers whose graphs m has built so far, one
// entry per layer and pooling, sorted: what a run cost in compilations (tests
// check that a command builds only the layers it reads).
func (m *ONNXModel) CompiledLayers() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var layers []string
	for key := range m.execs {
		layers = append(layers, key[:strings.IndexByte(key, 0)])
	}
	sort.Strings(layers)
	return layers
}

// exec returns the compiled graph for a layer and pooling, building it once.
func (m *ONNXModel) exec(layer string, pooling cnn.Pooling) (*context.Exec, error) {
	key := layer + "\x00" + pooling.String()
	if e, ok := m.execs[key]; ok {
		return e, nil
	}
	value := m.layerValue(layer)
	e, err := context.NewExec(m.backend, m.ctx.Reuse(), func(ctx *context.Context, x *graph.Node) *graph.Node {
		x = m.toInputLayout(x)
		y := m.onnx.CallGraph(ctx, x.Graph(), map[string]*graph.Node{m.input: x}, value)[0]
		return m.pool(y, pooling)
	})
	if err != nil {
		return nil, fmt.Errorf("zoo: onnx %s: layer %q: %w", m.path, layer, err)
	}
	m.execs[key] = e
	return e, nil
}

// toInputLayout turns [batch, frames, mels] (or [batch, samples]) into the
// model's declared input layout.
func (m *ONNXModel) toInputLayout(x *graph.Node) *graph.Node {
	if m.kind == InputWaveform {
		return x
	}
	if m.opts.FrequencyFirst {
		x = graph.Transpose(x, 1, 2)
	}
	if len(m.inDims) == 4 {
		if m.inNHWC {
			return graph.InsertAxes(x, -1)
		}
		return graph.InsertAxes(x, 1)
	}
	return x
}

// pool reduces a layer's value to [batch, features]: a rank-3 or rank-4 value
// is pooled over its non-channel axes.
func (m *ONNXModel) pool(y *graph.Node, pooling cnn.Pooling) *graph.Node {
	rank := y.Rank()
	if rank <= 2 {
		return y
	}
	axes := make([]int, 0, rank-2)
	if m.opts.ChannelsLast {
		for a := 1; a < rank-1; a++ {
			axes = append(axes, a)
		}
	} else {
		for a := 2; a < rank; a++ {
			axes = append(axes, a)
		}
	}
	if pooling == cnn.MaxPooling {
		return graph.ReduceMax(y, axes...)
	}
	return graph.ReduceMean(y, axes...)
}

// ONNXValues lists the values an ONNX model's nodes compute (every node's
// outputs, the graph's outputs among them), sorted: the names ONNXOptions.LayerValues
// can read.
func ONNXValues(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("zoo: onnx: %w", err)
	}
	om, err := parseONNX(data)
	if err != nil {
		return nil, fmt.Errorf("zoo: onnx %s: not a readable ONNX model: %w", path, err)
	}
	seen := map[string]bool{}
	for _, n := range om.Proto.Graph.Node {
		for _, v := range n.Output {
			seen[v] = true
		}
	}
	names := make([]string, 0, len(seen))
	for v := range seen {
		names = append(names, v)
	}
	sort.Strings(names)
	return names, nil
}

var _ Model = (*ONNXModel)(nil)
