package cnn

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/dawnchorus/dawnchorus/lib/atomicfile"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// The file format of weights and checkpoints: the magic line, the length of
// the JSON header as a little-endian uint64, the header, then the raw
// little-endian values of each variable in the header's order, then (from
// format v2 on) the SHA-256 of everything before it, so that a damaged file —
// one changed digit, a flipped weight, a cut end — is refused ("checkpoint
// damaged") instead of loaded. Format v1 files (birds-v1's shipped weights
// among them) carry no checksum: LoadFSDigest reads them against a digest
// kept elsewhere; LoadFS and Train refuse them.
const (
	fileMagic   = "dawnchorus-cnn v2\n"
	fileMagicV1 = "dawnchorus-cnn v1\n"
)

// ErrDamaged says a weights or checkpoint file does not match its checksum
// (or the digest it was loaded against).
var ErrDamaged = errors.New("checkpoint damaged")

// ErrNoChecksum says a file is of format v1, which carries no checksum, so
// its damage cannot be detected.
var ErrNoChecksum = errors.New("written before checkpoints carried a checksum (format v1)")

// WeightsFile is the name of the weights file Save writes in its directory.
const WeightsFile = "weights.dcnn"

// fileHeader is the JSON header of a weights or checkpoint file.
type fileHeader struct {
	Config    Config          `json:"config"`
	Variables []fileVariable  `json:"variables"`
	State     json.RawMessage `json:"state,omitempty"`
}

// fileVariable describes one variable of a file.
type fileVariable struct {
	Scope string `json:"scope"`
	Name  string `json:"name"`
	DType string `json:"dtype"`
	Shape []int  `json:"shape"`
}

// rngStateName is where GoMLX keeps a context's random state (root scope).
const rngStateName = context.RNGStateVariableName

// writeModelFile writes the model's variables (only the network's when
// withTraining is false: no optimizer state, no random state) and state.
func (m *Model) writeModelFile(path string, withTraining bool, state any) error {
	header := fileHeader{Config: m.cfg}
	var vars []*context.Variable
	for v := range m.ctx.IterVariables() {
		if !IsNetworkScope(v.Scope()) && !withTraining {
			continue
		}
		vars = append(vars, v)
		header.Variables = append(header.Variables, fileVariable{v.Scope(), v.Name(), v.Shape().DType.String(), append([]int{}, v.Shape().Dimensions...)})
	}
	if state != nil {
		raw, err := json.Marshal(state)
		if err != nil {
			return fmt.Errorf("cnn: save %s: %w", path, err)
		}
		header.State = raw
	}
	headerJSON, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("cnn: save %s: %w", path, err)
	}
	err = atomicfile.Write(path, func(w io.Writer) error {
		sum := sha256.New()
		bw := bufio.NewWriter(io.MultiWriter(w, sum))
		bw.WriteString(fileMagic)
		binary.Write(bw, binary.LittleEndian, uint64(len(headerJSON)))
		bw.Write(headerJSON)
		for _, v := range vars {
			value, err := v.Value()
			if err != nil {
				return err
			}
			var werr error
			if err := value.ConstBytes(func(data []byte) { _, werr = bw.Write(data) }); err != nil {
				return err
			}
			if werr != nil {
				return werr
			}
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		_, err := w.Write(sum.Sum(nil))
		return err
	})
	if err != nil {
		return fmt.Errorf("cnn: save %s: %w", path, err)
	}
	return nil
}

// readModelFile parses a weights or checkpoint file into its header and one
// tensor per variable, after checking its checksum. vouched says the caller
// has checked the whole file against a digest kept elsewhere, which lets a
// format v1 file (no checksum of its own) through.
func readModelFile(name string, data []byte, vouched bool) (fileHeader, []*tensors.Tensor, error) {
	var header fileHeader
	bad := func(format string, args ...any) (fileHeader, []*tensors.Tensor, error) {
		return header, nil, fmt.Errorf("cnn: read %s: %s", name, fmt.Sprintf(format, args...))
	}
	switch {
	case bytes.HasPrefix(data, []byte(fileMagic)):
		if len(data) < len(fileMagic)+sha256.Size {
			return header, nil, fmt.Errorf("cnn: read %s: %w: %d bytes, too short to hold its checksum", name, ErrDamaged, len(data))
		}
		body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
		if want := sha256.Sum256(body); !bytes.Equal(want[:], sum) {
			return header, nil, fmt.Errorf("cnn: read %s: %w: its SHA-256 does not match the one written with it (the file was changed or cut after it was saved)", name, ErrDamaged)
		}
		data = body[len(fileMagic):]
	case bytes.HasPrefix(data, []byte(fileMagicV1)):
		if !vouched {
			return header, nil, fmt.Errorf("cnn: read %s: %w, so damage to it cannot be detected: load it with LoadFSDigest and its known SHA-256, "+
				"or delete it (a checkpoint: training then starts from step 0)", name, ErrNoChecksum)
		}
		data = data[len(fileMagicV1):]
	default:
		return header, nil, errNotCNNFile(name)
	}
	header, data, err := decodeHeader(name, data)
	if err != nil {
		return header, nil, err
	}
	values := make([]*tensors.Tensor, len(header.Variables))
	for i, fv := range header.Variables {
		dtype, err := dtypes.DTypeString(fv.DType)
		if err != nil {
			return bad("variable %s/%s: dtype %q: %v", fv.Scope, fv.Name, fv.DType, err)
		}
		shape := shapes.Make(dtype, fv.Shape...)
		size := int(shape.Memory())
		if size > len(data) {
			return bad("variable %s/%s %s: file truncated", fv.Scope, fv.Name, shape)
		}
		t := tensors.FromShape(shape)
		if err := t.MutableBytes(func(dst []byte) { copy(dst, data[:size]) }); err != nil {
			return bad("variable %s/%s: %v", fv.Scope, fv.Name, err)
		}
		values[i] = t
		data = data[size:]
	}
	if len(data) != 0 {
		return bad("%d bytes left after the last variable", len(data))
	}
	return header, values, nil
}

// errNotCNNFile says the file name does not start with either format's magic line.
func errNotCNNFile(name string) error {
	return fmt.Errorf("cnn: read %s: not a dawnchorus CNN file (no %q header)", name, strings.TrimSpace(fileMagic))
}

// decodeHeader parses the header length and the JSON header at the start of
// data (a file after its magic line) and returns the header and the bytes after it.
func decodeHeader(name string, data []byte) (fileHeader, []byte, error) {
	var header fileHeader
	if len(data) < 8 {
		return header, nil, fmt.Errorf("cnn: read %s: truncated header", name)
	}
	n := binary.LittleEndian.Uint64(data)
	data = data[8:]
	if n > uint64(len(data)) {
		return header, nil, fmt.Errorf("cnn: read %s: header of %d bytes in a file of %d", name, n, len(data))
	}
	if err := json.Unmarshal(data[:n], &header); err != nil {
		return header, nil, fmt.Errorf("cnn: read %s: header: %v", name, err)
	}
	return header, data[n:], nil
}

// maxHeaderBytes bounds the header ReadConfigFS reads: far above any real
// header (a few kilobytes), far below what a damaged length could ask for.
const maxHeaderBytes = 64 << 20

// ReadConfigFS returns the configuration of the network in the weights or
// checkpoint file at path in fsys — as the loaded model's Config would give
// it, defaults filled in — read from the file's header alone: the
// weights are neither read nor checked, and no network is built, so it costs
// a few kilobytes where LoadFS reads and checks the whole file. Use it to learn
// a saved network's architecture (cnn.New with it gives the same network with
// fresh weights); use LoadFS or LoadFSDigest to use the network itself.
func ReadConfigFS(fsys fs.FS, path string) (Config, error) {
	f, err := fsys.Open(path)
	if err != nil {
		return Config{}, fmt.Errorf("cnn: read config: %w", err)
	}
	defer f.Close()
	start := make([]byte, len(fileMagic)+8)
	if _, err := io.ReadFull(f, start); err != nil {
		if bytes.HasPrefix(start, []byte(fileMagic)) || bytes.HasPrefix(start, []byte(fileMagicV1)) {
			return Config{}, fmt.Errorf("cnn: read %s: truncated header", path)
		}
		return Config{}, errNotCNNFile(path)
	}
	if !bytes.HasPrefix(start, []byte(fileMagic)) && !bytes.HasPrefix(start, []byte(fileMagicV1)) {
		return Config{}, errNotCNNFile(path)
	}
	lengthAndHeader := start[len(fileMagic):]
	if n := binary.LittleEndian.Uint64(lengthAndHeader); n <= maxHeaderBytes {
		header := make([]byte, n)
		got, _ := io.ReadFull(f, header)
		lengthAndHeader = append(lengthAndHeader, header[:got]...)
	}
	header, _, err := decodeHeader(path, lengthAndHeader)
	if err != nil {
		return Config{}, err
	}
	cfg, _, err := header.Config.resolve()
	if err != nil {
		return Config{}, fmt.Errorf("cnn: read %s: %w", path, err)
	}
	return cfg, nil
}

// setVariables replaces the model's variables by the file's; every network
// variable must be there with its shape.
func (m *Model) setVariables(name string, header fileHeader, values []*tensors.Tensor) error {
	for i, fv := range header.Variables {
		v := m.ctx.GetVariableByScopeAndName(fv.Scope, fv.Name)
		if v == nil {
			v = m.ctx.InAbsPath(fv.Scope).Checked(false).VariableWithValue(fv.Name, values[i])
			if fv.Name != rngStateName {
				v.SetTrainable(false)
			}
			continue
		}
		if !v.Shape().Equal(values[i].Shape()) {
			return fmt.Errorf("cnn: read %s: variable %s/%s is %s, the model's is %s", name, fv.Scope, fv.Name, values[i].Shape(), v.Shape())
		}
		if err := v.SetValue(values[i]); err != nil {
			return fmt.Errorf("cnn: read %s: variable %s/%s: %w", name, fv.Scope, fv.Name, err)
		}
	}
	m.resetExecs()
	return nil
}

// Save writes the network's weights (and its configuration) to dir/WeightsFile,
// atomically, creating dir if needed. Optimizer state is not saved: use a
// checkpoint (TrainOptions.CheckpointDir) to resume training.
func (m *Model) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cnn: save: %w", err)
	}
	return m.writeModelFile(dir+string(os.PathSeparator)+WeightsFile, false, nil)
}

// Load reads a model saved by Save from the directory dir.
func Load(dir string) (*Model, error) {
	return LoadFS(os.DirFS(dir), WeightsFile)
}

// LoadFS reads the weights file at path in fsys (for example an embedded
// directory), builds the model it describes and sets its weights. A checkpoint
// file (TrainOptions.CheckpointDir) loads too, as the network it holds. A file
// whose checksum does not match is an error wrapping ErrDamaged ("checkpoint
// damaged", naming the file); a format v1 file, which has no checksum, one
// wrapping ErrNoChecksum (see LoadFSDigest).
func LoadFS(fsys fs.FS, path string) (*Model, error) {
	return loadFS(fsys, path, "")
}

// LoadFSDigest is LoadFS for a file whose SHA-256 (hex, cnn.Digest of its
// bytes) is known from elsewhere — a training record, say: the file must have
// exactly that digest (else an error wrapping ErrDamaged), and then loads even
// in format v1, which carries no checksum of its own (birds-v1's shipped
// weights are such a file).
func LoadFSDigest(fsys fs.FS, path, sha256Hex string) (*Model, error) {
	if sha256Hex == "" {
		return nil, fmt.Errorf("cnn: load %s: no digest given", path)
	}
	return loadFS(fsys, path, sha256Hex)
}

func loadFS(fsys fs.FS, path, digest string) (*Model, error) {
	data, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("cnn: load: %w", err)
	}
	if digest != "" {
		if got := Digest(data); got != digest {
			return nil, fmt.Errorf("cnn: load %s: %w: SHA-256 %s, want %s", path, ErrDamaged, got, digest)
		}
	}
	header, values, err := readModelFile(path, data, digest != "")
	if err != nil {
		return nil, err
	}
	// A checkpoint also holds the optimizer's and the random state: keep the network.
	var network []*tensors.Tensor
	var networkVars []fileVariable
	for i, fv := range header.Variables {
		if IsNetworkScope(fv.Scope) {
			network = append(network, values[i])
			networkVars = append(networkVars, fv)
		}
	}
	header.Variables, values = networkVars, network
	m, err := New(header.Config, 0)
	if err != nil {
		return nil, fmt.Errorf("cnn: load %s: %w", path, err)
	}
	for _, fv := range header.Variables {
		if m.ctx.GetVariableByScopeAndName(fv.Scope, fv.Name) == nil {
			return nil, fmt.Errorf("cnn: load %s: variable %s/%s is not in the network its config describes", path, fv.Scope, fv.Name)
		}
	}
	if n := m.countNetworkVariables(); n != len(header.Variables) {
		return nil, fmt.Errorf("cnn: load %s: %d variables, the network has %d", path, len(header.Variables), n)
	}
	if err := m.setVariables(path, header, values); err != nil {
		return nil, err
	}
	return m, nil
}

// MustLoad is Load that panics on error, for notebooks.
func MustLoad(dir string) *Model {
	m, err := Load(dir)
	if err != nil {
		panic(err)
	}
	return m
}

// countNetworkVariables counts the extractor's and classifier's variables.
func (m *Model) countNetworkVariables() int {
	n := 0
	for v := range m.ctx.IterVariables() {
		if IsNetworkScope(v.Scope()) {
			n++
		}
	}
	return n
}

// Digest returns the hex SHA-256 of the data (of weight files, say).
func Digest(data ...[]byte) string {
	h := sha256.New()
	for _, d := range data {
		h.Write(d)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// errNoCheckpoint says a checkpoint directory holds no checkpoint yet.
var errNoCheckpoint = errors.New("no checkpoint")

// CheckpointHistory returns the history recorded in a checkpoint file (the
// records up to its step) and the step it was written at.
func CheckpointHistory(path string) (History, int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return History{}, 0, fmt.Errorf("cnn: %w", err)
	}
	header, _, err := readModelFile(path, data, false)
	if err != nil {
		return History{}, 0, err
	}
	var state trainState
	if err := json.Unmarshal(header.State, &state); err != nil {
		return History{}, 0, fmt.Errorf("cnn: %s: no training state: %w", path, err)
	}
	return state.History, state.Step, nil
}
