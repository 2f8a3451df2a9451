// Package torchload reads the float tensors of PyTorch checkpoints written by torch.save.
//
// It reads both serialization formats: the zip archive that torch.save writes by default since
// PyTorch 1.6 (a data.pkl pickle plus one data/<key> record per storage), and the older "legacy"
// format (a sequence of pickles followed by the raw storages). A checkpoint wrapped as
// {'state_dict': ..., 'best_prec1': ...} is unwrapped, and the "module." prefix that
// nn.DataParallel adds to every name is removed.
//
// Float32 tensors are returned as they are; float64, float16 and bfloat16 tensors are converted to
// float32 (float64 rounds to nearest). Integer and boolean tensors (e.g. BatchNorm's num_batches_tracked) and entries that are
// not tensors (e.g. best_prec1) are skipped and listed in Checkpoint.Skipped. Tensors that are views
// with strides or a storage offset are gathered into dense row-major data.
//
// The pickles are run by a restricted virtual machine of this package, not by a general unpickler:
// it builds plain values and calls no code, so a checkpoint cannot do anything but describe tensors.
// Input is treated as untrusted: every size read from it is checked against the bytes actually
// present before memory is allocated, and malformed input gives an error naming the tensor, storage
// or byte offset at fault. TorchScript archives, the pre-1.0 tar format and out-of-band pickle
// buffers are not supported.
package torchload

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"path"
	"strings"

	"github.com/resnet20-pruning/resnet20-pruning/core/safetensors"
	"github.com/resnet20-pruning/resnet20-pruning/core/tensor"
)

// MaxPickleSize is the largest data.pkl record of a zip checkpoint that Decode accepts (256 MiB).
const MaxPickleSize = 256 << 20

// Output budget. Tensors may share storages (tied weights, views) or repeat elements (an expanded
// view has zero strides), so a small input could otherwise ask for a huge output. Over a whole
// checkpoint, Decode returns at most outputPerByte float32 elements per byte of input or of
// inflated storage record, plus outputSlack elements.
const (
	outputPerByte = 2
	outputSlack   = 1 << 24
)

// Format is a PyTorch serialization format.
type Format string

// The serialization formats Decode reads.
const (
	// FormatZip is the zip archive torch.save writes by default since PyTorch 1.6.
	FormatZip Format = "zip"
	// FormatLegacy is the older format: pickles followed by raw storages, as written by
	// torch.save(..., _use_new_zipfile_serialization=False) and by PyTorch before 1.6.
	FormatLegacy Format = "legacy"
)

// Skipped names a checkpoint entry that Decode did not return as a tensor, and says why.
type Skipped struct {
	// Name is the entry's name as stored, before any "module." prefix is removed.
	Name string
	// Reason says why the entry was skipped, e.g. "int64 tensor" or "not a tensor (float)".
	Reason string
}

// Checkpoint is what Decode found in a checkpoint.
type Checkpoint struct {
	// Tensors maps names, without a "module." prefix, to float32 tensors.
	Tensors map[string]*tensor.Tensor
	// Format is the serialization format of the file.
	Format Format
	// Wrapper is "state_dict" when the tensors came from a {'state_dict': ...} wrapper, else "".
	Wrapper string
	// Skipped lists the entries that are not float tensors, in file order: those of the state dict
	// and, for a wrapped checkpoint, the wrapper's other entries.
	Skipped []Skipped
}

// Load reads the PyTorch checkpoint at path and returns its float tensors by name. It unwraps a
// {'state_dict': ...} wrapper and strips a leading "module." from the names; entries that are not
// float tensors are skipped (LoadCheckpoint lists them).
func Load(path string) (map[string]*tensor.Tensor, error) {
	c, err := LoadCheckpoint(path)
	if err != nil {
		return nil, err
	}
	return c.Tensors, nil
}

// LoadCheckpoint reads the PyTorch checkpoint at path, like Load, and also tells its format and
// what it skipped. Like safetensors.ReadFile, it reads regular files only, of at most
// safetensors.MaxFileSize bytes.
func LoadCheckpoint(path string) (*Checkpoint, error) {
	b, err := safetensors.ReadFileBytes(path)
	if err != nil {
		return nil, fmt.Errorf("torchload: %w", err)
	}
	c, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// LoadBytes reads a PyTorch checkpoint held in b, like Load.
func LoadBytes(b []byte) (map[string]*tensor.Tensor, error) {
	c, err := Decode(b)
	if err != nil {
		return nil, err
	}
	return c.Tensors, nil
}

// LoadReader reads a PyTorch checkpoint from r, up to its end, like Load; the input may hold at
// most safetensors.MaxFileSize bytes.
func LoadReader(r io.Reader) (map[string]*tensor.Tensor, error) {
	b, err := io.ReadAll(io.LimitReader(r, safetensors.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("torchload: %w", err)
	}
	if len(b) > safetensors.MaxFileSize {
		return nil, fmt.Errorf("torchload: input over the limit of %d bytes for a checkpoint", safetensors.MaxFileSize)
	}
	return LoadBytes(b)
}

// Decode reads a PyTorch checkpoint held in b. The returned tensors do not alias b.
func Decode(b []byte) (c *Checkpoint, err error) {
	// The decoder is meant never to panic; should a bug make it do so on malformed input, report it
	// as an error rather than crash the caller.
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("torchload: internal error on malformed input: %v", r)
		}
	}()
	return decode(b)
}

// decode is Decode without the panic guard, so that fuzzing sees panics.
func decode(b []byte) (*Checkpoint, error) {
	l := &loader{input: b, storages: make(map[string]*storage)}
	var root any
	var err error
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		l.format = FormatZip
		root, err = l.readZip()
	case len(b) >= 2 && b[0] == opProto:
		l.format = FormatLegacy
		root, err = l.readLegacy()
	case len(b) >= 262 && string(b[257:262]) == "ustar":
		return nil, errors.New("torchload: the tar checkpoint format of PyTorch before 0.4 is not supported")
	default:
		n := min(len(b), 8)
		return nil, fmt.Errorf("torchload: not a PyTorch checkpoint: it starts with bytes % x, neither a zip archive nor a pickle", b[:n])
	}
	if err != nil {
		return nil, fmt.Errorf("torchload: %w", err)
	}
	c, err := l.collect(root)
	if err != nil {
		return nil, fmt.Errorf("torchload: %w", err)
	}
	c.Format = l.format
	return c, nil
}

// dtype is the element type of a storage.
type dtype int

const (
	dtOther dtype = iota // Integer, boolean, complex or quantized: not read.
	dtFloat32
	dtFloat64
	dtFloat16
	dtBFloat16
)

// storageClass describes a torch.*Storage class.
type storageClass struct {
	name     string // e.g. "torch.FloatStorage".
	elemSize int64
	dtype    dtype
	elemName string // e.g. "int64", for messages.
}

// storageClasses maps the storage class names that torch.save writes to their element types.
var storageClasses = map[string]storageClass{
	"FloatStorage":         {elemSize: 4, dtype: dtFloat32, elemName: "float32"},
	"DoubleStorage":        {elemSize: 8, dtype: dtFloat64, elemName: "float64"},
	"HalfStorage":          {elemSize: 2, dtype: dtFloat16, elemName: "float16"},
	"BFloat16Storage":      {elemSize: 2, dtype: dtBFloat16, elemName: "bfloat16"},
	"LongStorage":          {elemSize: 8, elemName: "int64"},
	"IntStorage":           {elemSize: 4, elemName: "int32"},
	"ShortStorage":         {elemSize: 2, elemName: "int16"},
	"CharStorage":          {elemSize: 1, elemName: "int8"},
	"ByteStorage":          {elemSize: 1, elemName: "uint8"},
	"BoolStorage":          {elemSize: 1, elemName: "bool"},
	"ComplexFloatStorage":  {elemSize: 8, elemName: "complex64"},
	"ComplexDoubleStorage": {elemSize: 16, elemName: "complex128"},
	"QInt8Storage":         {elemSize: 1, elemName: "qint8"},
	"QUInt8Storage":        {elemSize: 1, elemName: "quint8"},
	"QInt32Storage":        {elemSize: 4, elemName: "qint32"},
	"UntypedStorage":       {elemSize: 1, elemName: "uint8"},
}

// lookupStorageClass resolves a storage class reference of a persistent id.
func lookupStorageClass(v any) (storageClass, error) {
	g, ok := v.(*pyGlobal)
	if !ok {
		return storageClass{}, fmt.Errorf("storage type is a %s, want a torch storage class", typeName(v))
	}
	c, ok := storageClasses[g.name]
	if !ok || (g.module != "torch" && g.module != "torch.cuda") {
		return storageClass{}, fmt.Errorf("unknown storage type %s.%s", g.module, g.name)
	}
	c.name = g.module + "." + g.name
	return c, nil
}

// storage is a typed storage that tensors view.
type storage struct {
	key   string
	class storageClass
	numel int64 // In elements.
	// base and offset describe a view into another storage (legacy format only); base is nil for
	// a root storage.
	base   *storage
	offset int64
	// data holds the raw little- or big-endian bytes once fetched; fetched tells whether it was.
	data    []byte
	fetched bool
}

// tensorRef is a tensor as the pickle describes it: a strided view of a storage.
type tensorRef struct {
	st     *storage
	offset int64
	size   []int64
	stride []int64
}

// loader holds the state of one Decode.
type loader struct {
	input     []byte
	format    Format
	storages  map[string]*storage // Root storages (and legacy views) by key.
	bigEndian bool
	output    int64 // Elements of the tensors materialized so far.
	fetched   int64 // Bytes of zip storage records read so far.

	// Zip format only.
	records  map[string]*zip.File
	prefix   string // Directory of data.pkl, with a trailing slash.
	budget   int64  // Bytes that storage records may still inflate to.
	inflated bool
}

// readZip reads the pickle of a zip checkpoint and returns its root value. Storage records are
// read later, as tensors need them.
func (l *loader) readZip() (any, error) {
	zr, err := zip.NewReader(bytes.NewReader(l.input), int64(len(l.input)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("zip archive: %w", err)
	}
	l.records = make(map[string]*zip.File, len(zr.File))
	var pkl []string
	for _, f := range zr.File {
		if _, dup := l.records[f.Name]; dup {
			return nil, fmt.Errorf("zip archive: duplicate entry %q", f.Name)
		}
		l.records[f.Name] = f
		if path.Base(f.Name) == "data.pkl" {
			pkl = append(pkl, f.Name)
		}
	}
	switch len(pkl) {
	case 0:
		return nil, errors.New("zip archive: no data.pkl entry, so not a torch.save checkpoint")
	case 1:
	default:
		return nil, fmt.Errorf("zip archive: %d data.pkl entries (%q, %q...), want one", len(pkl), pkl[0], pkl[1])
	}
	l.prefix = strings.TrimSuffix(pkl[0], "data.pkl")
	if _, ok := l.records[l.prefix+"constants.pkl"]; ok {
		return nil, errors.New("zip archive: a TorchScript archive (torch.jit.save), not a torch.save checkpoint")
	}
	// Stored entries cannot inflate: their records together fit in the input, shared data aside.
	// Compressed ones inflate at most about 1032-fold with deflate.
	l.budget = 2*int64(len(l.input)) + 1<<20
	for _, f := range zr.File {
		if f.Method != zip.Store {
			l.budget = 1032*int64(len(l.input)) + 1<<20
			break
		}
	}
	if f, ok := l.records[l.prefix+"byteorder"]; ok {
		if f.UncompressedSize64 > 16 {
			return nil, fmt.Errorf("zip archive: %s is %d bytes, want \"little\" or \"big\"", f.Name, f.UncompressedSize64)
		}
		b, err := l.readRecord(f, int64(f.UncompressedSize64))
		if err != nil {
			return nil, err
		}
		switch string(b) {
		case "little":
		case "big":
			l.bigEndian = true
		default:
			return nil, fmt.Errorf("zip archive: %s: unknown byte order %q", f.Name, b)
		}
	}

	f := l.records[pkl[0]]
	if f.UncompressedSize64 > MaxPickleSize {
		return nil, fmt.Errorf("zip archive: %s is %d bytes, more than the limit of %d", f.Name, f.UncompressedSize64, MaxPickleSize)
	}
	data, err := l.readRecord(f, int64(f.UncompressedSize64))
	if err != nil {
		return nil, err
	}
	u := &unpickler{data: data, persistentLoad: l.zipPersistentLoad, call: l.call}
	root, err := u.load()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	return root, nil
}

// readRecord reads a whole zip entry that should hold want bytes. Memory grows with the data
// actually inflated, not with the sizes the archive claims.
func (l *loader) readRecord(f *zip.File, want int64) ([]byte, error) {
	if f.UncompressedSize64 != uint64(want) {
		return nil, fmt.Errorf("zip archive: %s holds %d bytes, want %d", f.Name, f.UncompressedSize64, want)
	}
	if f.Method != zip.Store && f.UncompressedSize64 > 1032*f.CompressedSize64+1024 {
		return nil, fmt.Errorf("zip archive: %s claims to inflate %d bytes to %d, beyond what deflate can", f.Name, f.CompressedSize64, f.UncompressedSize64)
	}
	if want > l.budget {
		return nil, fmt.Errorf("zip archive: %s: its %d bytes exceed what a %d-byte archive can hold", f.Name, want, len(l.input))
	}
	l.budget -= want
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("zip archive: %s: %w", f.Name, err)
	}
	defer rc.Close()
	// Reading one byte past want reaches EOF, where the zip reader checks the CRC.
	b, err := io.ReadAll(io.LimitReader(rc, want+1))
	if err != nil {
		return nil, fmt.Errorf("zip archive: %s: %w", f.Name, err)
	}
	if int64(len(b)) != want {
		return nil, fmt.Errorf("zip archive: %s: read %d bytes, want %d", f.Name, len(b), want)
	}
	return b, nil
}

// zipPersistentLoad resolves the persistent id ('storage', storage_type, key, location, numel)
// of a zip checkpoint.
func (l *loader) zipPersistentLoad(pid any) (any, error) {
	t, ok := pid.(pyTuple)
	if !ok || len(t) == 0 {
		return nil, fmt.Errorf("persistent id is a %s, want a tuple", typeName(pid))
	}
	if kind, _ := t[0].(string); kind != "storage" {
		return nil, fmt.Errorf("persistent id of unknown kind (%s), want 'storage'", typeName(t[0]))
	}
	if len(t) != 5 {
		return nil, fmt.Errorf("storage persistent id has %d fields, want 5", len(t))
	}
	return l.declareStorage(t[1], t[2], t[4])
}

// declareStorage returns the root storage of a persistent id, creating it on first use.
func (l *loader) declareStorage(classV, keyV, numelV any) (*storage, error) {
	key, ok := keyV.(string)
	if !ok {
		return nil, fmt.Errorf("storage key is a %s, want a str", typeName(keyV))
	}
	class, err := lookupStorageClass(classV)
	if err != nil {
		return nil, fmt.Errorf("storage %q: %w", key, err)
	}
	numel, ok := numelV.(int64)
	if !ok || numel < 0 {
		return nil, fmt.Errorf("storage %q: invalid size (%s)", key, typeName(numelV))
	}
	if numel > math.MaxInt64/class.elemSize {
		return nil, fmt.Errorf("storage %q: size of %d elements overflows", key, numel)
	}
	if st, ok := l.storages[key]; ok {
		if st.base != nil || st.class.name != class.name || st.numel != numel {
			return nil, fmt.Errorf("storage %q: declared again with a different type or size", key)
		}
		return st, nil
	}
	st := &storage{key: key, class: class, numel: numel}
	l.storages[key] = st
	return st, nil
}

// legacyMagic is the magic number that starts a legacy checkpoint.
var legacyMagic, _ = new(big.Int).SetString("1950a86a20f9469cfc6c", 16)

// readLegacy reads a legacy checkpoint: magic number, protocol version and system information
// pickles, the main pickle, the list of storage keys, then each storage's element count and data.
func (l *loader) readLegacy() (any, error) {
	u := &unpickler{data: l.input}
	magic, err := u.load()
	if err != nil {
		return nil, fmt.Errorf("legacy format: magic number: %w", err)
	}
	if m, ok := magic.(*big.Int); !ok || m.Cmp(legacyMagic) != 0 {
		return nil, errors.New("legacy format: wrong magic number: not a PyTorch checkpoint")
	}
	u = &unpickler{data: l.input, pos: u.pos}
	version, err := u.load()
	if err != nil {
		return nil, fmt.Errorf("legacy format: protocol version: %w", err)
	}
	if v, ok := version.(int64); !ok || v != 1001 {
		return nil, errors.New("legacy format: unsupported protocol version, want 1001")
	}
	u = &unpickler{data: l.input, pos: u.pos}
	sysInfo, err := u.load()
	if err != nil {
		return nil, fmt.Errorf("legacy format: system information: %w", err)
	}
	if d, ok := sysInfo.(*pyDict); ok {
		if le, ok := d.get("little_endian"); ok && le == false {
			l.bigEndian = true
		}
	}

	start := u.pos
	u = &unpickler{data: l.input, pos: start, persistentLoad: l.legacyPersistentLoad, call: l.call}
	root, err := u.load()
	if err != nil {
		return nil, fmt.Errorf("legacy format: main pickle at byte %d: %w", start, err)
	}

	start = u.pos
	u = &unpickler{data: l.input, pos: start}
	keysV, err := u.load()
	if err != nil {
		return nil, fmt.Errorf("legacy format: storage key list at byte %d: %w", start, err)
	}
	keys, ok := keysV.(*pyList)
	if !ok {
		return nil, fmt.Errorf("legacy format: storage key list at byte %d is a %s, want a list", start, typeName(keysV))
	}
	pos := int64(u.pos)
	for _, k := range keys.items {
		key, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("legacy format: storage key list holds a %s, want str", typeName(k))
		}
		st, ok := l.storages[key]
		if !ok || st.base != nil {
			return nil, fmt.Errorf("legacy format: storage %q is listed but no tensor uses it", key)
		}
		if st.fetched {
			return nil, fmt.Errorf("legacy format: storage %q is listed twice", key)
		}
		if int64(len(l.input))-pos < 8 {
			return nil, fmt.Errorf("legacy format: storage %q: truncated at byte %d, before its size", key, pos)
		}
		n := int64(binary.LittleEndian.Uint64(l.input[pos:]))
		if l.bigEndian {
			n = int64(binary.BigEndian.Uint64(l.input[pos:]))
		}
		if n != st.numel {
			return nil, fmt.Errorf("legacy format: storage %q: the data at byte %d holds %d elements, but the pickle says %d", key, pos, n, st.numel)
		}
		nbytes := st.numel * st.class.elemSize // Checked not to overflow by declareStorage.
		pos += 8
		if nbytes > int64(len(l.input))-pos {
			return nil, fmt.Errorf("legacy format: storage %q: truncated: its %d bytes at byte %d run past the end of the %d-byte input", key, nbytes, pos, len(l.input))
		}
		st.data = l.input[pos : pos+nbytes]
		st.fetched = true
		pos += nbytes
	}
	return root, nil
}

// legacyPersistentLoad resolves the persistent ids of a legacy checkpoint:
// ('storage', storage_type, root_key, location, numel, view_metadata) and ('module', ...).
func (l *loader) legacyPersistentLoad(pid any) (any, error) {
	t, ok := pid.(pyTuple)
	if !ok || len(t) == 0 {
		return nil, fmt.Errorf("persistent id is a %s, want a tuple", typeName(pid))
	}
	kind, _ := t[0].(string)
	switch kind {
	case "module":
		// A pickled nn.Module's class and source: keep it inert.
		return &pyObject{class: &pyGlobal{module: "torch.nn", name: "Module"}}, nil
	case "storage":
	default:
		return nil, fmt.Errorf("persistent id of unknown kind (%s), want 'storage' or 'module'", typeName(t[0]))
	}
	if len(t) != 6 {
		return nil, fmt.Errorf("storage persistent id has %d fields, want 6", len(t))
	}
	root, err := l.declareStorage(t[1], t[2], t[4])
	if err != nil {
		return nil, err
	}
	if t[5] == nil {
		return root, nil
	}
	// A view of part of the root storage: (view_key, offset, view_size).
	vm, ok := t[5].(pyTuple)
	if !ok || len(vm) != 3 {
		return nil, fmt.Errorf("storage %q: view metadata is a %s, want a 3-tuple", root.key, typeName(t[5]))
	}
	viewKey, ok1 := vm[0].(string)
	off, ok2 := vm[1].(int64)
	size, ok3 := vm[2].(int64)
	if !ok1 || !ok2 || !ok3 {
		return nil, fmt.Errorf("storage %q: malformed view metadata", root.key)
	}
	if off < 0 || size < 0 || off > root.numel || size > root.numel-off {
		return nil, fmt.Errorf("storage %q: view %q of elements [%d, %d+%d) is outside its %d elements", root.key, viewKey, off, off, size, root.numel)
	}
	if v, ok := l.storages[viewKey]; ok {
		if v.base != root || v.offset != off || v.numel != size {
			return nil, fmt.Errorf("storage %q: view %q declared again differently", root.key, viewKey)
		}
		return v, nil
	}
	v := &storage{key: viewKey, class: root.class, numel: size, base: root, offset: off}
	l.storages[viewKey] = v
	return v, nil
}

// call gives meaning to the callables that torch.save pickles for tensors.
func (l *loader) call(fn any, args pyTuple) (any, bool, error) {
	g, ok := fn.(*pyGlobal)
	if !ok {
		return nil, false, nil
	}
	switch name := g.module + "." + g.name; name {
	case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor":
		// (storage, storage_offset, size, stride[, requires_grad, backward_hooks[, metadata]])
		if len(args) < 4 {
			return nil, true, fmt.Errorf("%s: %d arguments, want at least 4", name, len(args))
		}
		t, err := newTensorRef(args[0], args[1], args[2], args[3])
		if err != nil {
			return nil, true, fmt.Errorf("%s: %w", name, err)
		}
		return t, true, nil
	case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
		// (data, requires_grad, backward_hooks[, state]): the parameter is its data.
		if len(args) < 1 {
			return nil, true, fmt.Errorf("%s: no arguments", name)
		}
		return args[0], true, nil
	case "torch._tensor._rebuild_from_type_v2":
		// (func, new_type, args, state): a tensor subclass; rebuild the plain tensor.
		if len(args) < 3 {
			return nil, true, fmt.Errorf("%s: %d arguments, want at least 3", name, len(args))
		}
		inner, ok := args[2].(pyTuple)
		if !ok {
			return nil, true, fmt.Errorf("%s: arguments are a %s, want a tuple", name, typeName(args[2]))
		}
		if g2, ok := args[0].(*pyGlobal); ok && g2.module+"."+g2.name == name {
			return nil, true, fmt.Errorf("%s: calls itself", name)
		}
		v, handled, err := l.call(args[0], inner)
		if err != nil || handled {
			return v, true, err
		}
		return &pyObject{class: args[0], args: inner}, true, nil
	}
	return nil, false, nil
}

// newTensorRef checks the arguments of _rebuild_tensor_v2 and builds a tensorRef.
func newTensorRef(st, offset, size, stride any) (*tensorRef, error) {
	s, ok := st.(*storage)
	if !ok {
		return nil, fmt.Errorf("storage argument is a %s", typeName(st))
	}
	off, ok := offset.(int64)
	if !ok || off < 0 {
		return nil, fmt.Errorf("storage %q: invalid storage offset (%s)", s.key, typeName(offset))
	}
	sz, err := intTuple(size)
	if err != nil {
		return nil, fmt.Errorf("storage %q: size: %w", s.key, err)
	}
	sd, err := intTuple(stride)
	if err != nil {
		return nil, fmt.Errorf("storage %q: stride: %w", s.key, err)
	}
	if len(sz) != len(sd) {
		return nil, fmt.Errorf("storage %q: size has %d dimensions but stride has %d", s.key, len(sz), len(sd))
	}
	return &tensorRef{st: s, offset: off, size: sz, stride: sd}, nil
}

// intTuple converts a tuple of non-negative ints.
func intTuple(v any) ([]int64, error) {
	t, ok := v.(pyTuple)
	if !ok {
		return nil, fmt.Errorf("a %s, want a tuple", typeName(v))
	}
	out := make([]int64, len(t))
	for i, x := range t {
		n, ok := x.(int64)
		if !ok || n < 0 {
			return nil, fmt.Errorf("element %d is not a non-negative int", i)
		}
		out[i] = n
	}
	return out, nil
}

// collect finds the state dict in the root value and converts its float tensors.
func (l *loader) collect(root any) (*Checkpoint, error) {
	c := &Checkpoint{Tensors: make(map[string]*tensor.Tensor)}
	sd, ok := root.(*pyDict)
	if !ok {
		if _, isTensor := root.(*tensorRef); isTensor {
			return nil, errors.New("the checkpoint holds a single tensor, not a state dict")
		}
		return nil, fmt.Errorf("the checkpoint holds a %s, not a state dict", typeName(root))
	}
	if inner, ok := sd.get("state_dict"); ok {
		d, ok := inner.(*pyDict)
		if !ok {
			return nil, fmt.Errorf("the checkpoint's state_dict entry is a %s, not a dict", typeName(inner))
		}
		c.Wrapper = "state_dict"
		for i, k := range sd.keys {
			if s, _ := k.(string); s != "state_dict" {
				c.Skipped = append(c.Skipped, Skipped{Name: keyName(k), Reason: "outside the state dict (" + typeName(sd.vals[i]) + ")"})
			}
		}
		sd = d
	}
	origin := make(map[string]string) // Stripped name -> stored name.
	for i, k := range sd.keys {
		name, ok := k.(string)
		if !ok {
			c.Skipped = append(c.Skipped, Skipped{Name: keyName(k), Reason: "name is not a str"})
			continue
		}
		ref, ok := sd.vals[i].(*tensorRef)
		if !ok {
			c.Skipped = append(c.Skipped, Skipped{Name: name, Reason: "not a tensor (" + typeName(sd.vals[i]) + ")"})
			continue
		}
		if ref.st.class.dtype == dtOther {
			c.Skipped = append(c.Skipped, Skipped{Name: name, Reason: ref.st.class.elemName + " tensor"})
			continue
		}
		short := strings.TrimPrefix(name, "module.")
		if prev, dup := origin[short]; dup {
			return nil, fmt.Errorf("tensors %q and %q both become %q once the module. prefix is removed", prev, name, short)
		}
		origin[short] = name
		t, err := l.materialize(ref)
		if err != nil {
			return nil, fmt.Errorf("tensor %q: %w", name, err)
		}
		c.Tensors[short] = t
	}
	return c, nil
}

// keyName renders a non-str dict key for Skipped.Name.
func keyName(k any) string {
	switch k := k.(type) {
	case string:
		return k
	case int64:
		return fmt.Sprint(k)
	default:
		return "<" + typeName(k) + " key>"
	}
}

// materialize gathers a tensor's elements into dense float32 data.
func (l *loader) materialize(ref *tensorRef) (*tensor.Tensor, error) {
	st := ref.st
	root, base := st, int64(0)
	if st.base != nil {
		root, base = st.base, st.offset
	}

	// Element count, overflow-safe: zero if any dimension is zero.
	numel := int64(1)
	for _, d := range ref.size {
		if d == 0 {
			numel = 0
			break
		}
	}
	if numel != 0 {
		for _, d := range ref.size {
			if d > math.MaxInt32 || numel > (math.MaxInt64/4)/d {
				return nil, fmt.Errorf("size %v is too large", ref.size)
			}
			numel *= d
		}
	}
	// The view must stay inside its storage: its last element is offset + Σ (size-1)·stride.
	if numel > 0 {
		last := ref.offset
		for i, d := range ref.size {
			if ref.stride[i] > 0 && d-1 > (math.MaxInt64-last)/ref.stride[i] {
				return nil, fmt.Errorf("view (offset %d, size %v, stride %v) overflows", ref.offset, ref.size, ref.stride)
			}
			last += (d - 1) * ref.stride[i]
		}
		if last >= st.numel {
			return nil, fmt.Errorf("view (offset %d, size %v, stride %v) reaches element %d of storage %q, which holds %d",
				ref.offset, ref.size, ref.stride, last, st.key, st.numel)
		}
	}
	raw, err := l.fetch(root)
	if err != nil {
		return nil, err
	}
	l.output += numel
	if limit := outputPerByte*(int64(len(l.input))+l.fetched) + outputSlack; l.output > limit {
		return nil, fmt.Errorf("size %v brings the checkpoint's output to %d elements, more than the limit of %d for this input size (tensors repeating storage %q?)",
			ref.size, l.output, limit, st.key)
	}

	shape := make([]int, len(ref.size))
	for i, d := range ref.size {
		shape[i] = int(d)
	}
	out := &tensor.Tensor{Shape: shape, Data: make([]float32, numel)}
	if numel == 0 {
		return out, nil
	}
	get := elementReader(root.class.dtype, raw, l.bigEndian)
	start := base + ref.offset
	if contiguous(ref.size, ref.stride) {
		for i := range out.Data {
			out.Data[i] = get(start + int64(i))
		}
		return out, nil
	}
	// General strided gather with an odometer over the indices.
	idx := make([]int64, len(ref.size))
	pos := start
	for i := range out.Data {
		out.Data[i] = get(pos)
		for d := len(idx) - 1; d >= 0; d-- {
			idx[d]++
			pos += ref.stride[d]
			if idx[d] < ref.size[d] {
				break
			}
			pos -= idx[d] * ref.stride[d]
			idx[d] = 0
		}
	}
	return out, nil
}

// contiguous reports whether strides are those of a dense row-major array of the given size,
// ignoring dimensions of size 1, as PyTorch does.
func contiguous(size, stride []int64) bool {
	want := int64(1)
	for i := len(size) - 1; i >= 0; i-- {
		if size[i] == 1 {
			continue
		}
		if stride[i] != want {
			return false
		}
		want *= size[i]
	}
	return true
}

// fetch returns the raw bytes of a root storage, reading its zip record on first use.
func (l *loader) fetch(st *storage) ([]byte, error) {
	if st.fetched {
		return st.data, nil
	}
	if l.format != FormatZip {
		return nil, fmt.Errorf("storage %q has no data: it is missing from the storage key list", st.key)
	}
	name := l.prefix + "data/" + st.key
	f, ok := l.records[name]
	if !ok {
		return nil, fmt.Errorf("storage %q: zip archive has no record %s", st.key, name)
	}
	b, err := l.readRecord(f, st.numel*st.class.elemSize)
	if err != nil {
		return nil, fmt.Errorf("storage %q: %w", st.key, err)
	}
	st.data, st.fetched = b, true
	l.fetched += int64(len(b))
	return b, nil
}

// elementReader returns a function that decodes element i of raw data of type dt as float32.
func elementReader(dt dtype, raw []byte, bigEndian bool) func(i int64) float32 {
	var order binary.ByteOrder = binary.LittleEndian
	if bigEndian {
		order = binary.BigEndian
	}
	switch dt {
	case dtFloat64:
		return func(i int64) float32 { return float32(math.Float64frombits(order.Uint64(raw[8*i:]))) }
	case dtFloat16:
		return func(i int64) float32 { return halfToFloat32(order.Uint16(raw[2*i:])) }
	case dtBFloat16:
		return func(i int64) float32 { return math.Float32frombits(uint32(order.Uint16(raw[2*i:])) << 16) }
	default:
		return func(i int64) float32 { return math.Float32frombits(order.Uint32(raw[4*i:])) }
	}
}

// halfToFloat32 converts the bits of an IEEE 754 binary16 number to float32, exactly.
func halfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN.
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp != 0: // Normal.
		return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
	case mant == 0: // Signed zero.
		return math.Float32frombits(sign)
	default: // Subnormal: mant × 2^-24.
		v := float32(mant) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	}
}
