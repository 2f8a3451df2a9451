// Package safetensors reads and writes the safetensors weight file format.
//
// A safetensors file is laid out as
//
//	8 bytes      N, the header length, unsigned little-endian
//	N bytes      a JSON object (UTF-8), optionally padded with trailing spaces
//	rest         the byte buffer holding every tensor's data
//
// The JSON object maps each tensor name to {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]},
// where the offsets are relative to the start of the byte buffer, and it may hold an extra
// "__metadata__" entry mapping strings to strings.
//
// Read accepts F32, F16, BF16 and F64 tensors and converts them to float32 (F64 values round to
// nearest, and those beyond float32's range become infinities). It treats its input as
// untrusted: it never panics, it caps the header length at MaxHeaderSize and checks it against the
// input actually present before trusting it, and it requires the tensors' byte ranges to be in range,
// non-overlapping and to cover the whole buffer, as the reference implementation does; ReadFile
// and Read take at most MaxFileSize bytes, and ReadFile regular files only. Write always
// produces F32 tensors, sorted by name, with the header padded so that the buffer starts on an 8-byte
// boundary; its output for a given File is therefore deterministic.
package safetensors

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/resnet20-pruning/resnet20-pruning/core/tensor"
)

// MaxHeaderSize is the largest JSON header, in bytes, that Read accepts (100 MiB, as the reference
// implementation).
const MaxHeaderSize = 100 << 20

// MaxFileSize is the largest file, in bytes, that ReadFile and Read accept (256 MiB: a ResNet20's
// weights take 1.1 MB, a training checkpoint with its momentum twice that). ReadBytes takes input
// of any size, already in memory.
const MaxFileSize = 256 << 20

// metadataKey is the reserved header entry that holds the free-form string metadata.
const metadataKey = "__metadata__"

// File is the content of a safetensors file: named tensors and optional string metadata.
type File struct {
	// Tensors maps tensor names to tensors.
	Tensors map[string]*tensor.Tensor
	// Metadata holds the "__metadata__" entry of the header; it may be nil.
	Metadata map[string]string
}

// dtypes lists every dtype name of the format with its element size in bytes. Only those with a
// decoder in decoders can be read.
var dtypes = map[string]int{
	"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1,
	"I16": 2, "U16": 2, "F16": 2, "BF16": 2,
	"I32": 4, "U32": 4, "F32": 4,
	"I64": 8, "U64": 8, "F64": 8,
}

// decoders converts little-endian raw data of a dtype into float32 values.
var decoders = map[string]func(dst []float32, src []byte){
	"F32": func(dst []float32, src []byte) {
		for i := range dst {
			dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:]))
		}
	},
	"F64": func(dst []float32, src []byte) {
		for i := range dst {
			dst[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(src[8*i:])))
		}
	},
	"F16": func(dst []float32, src []byte) {
		for i := range dst {
			dst[i] = HalfToFloat32(binary.LittleEndian.Uint16(src[2*i:]))
		}
	},
	"BF16": func(dst []float32, src []byte) {
		for i := range dst {
			dst[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(src[2*i:])) << 16)
		}
	},
}

// HalfToFloat32 converts the bits of an IEEE 754 binary16 number to float32, exactly, including
// subnormals, infinities and NaNs.
func HalfToFloat32(h uint16) float32 {
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

// entry is one tensor description of the header, as parsed.
type entry struct {
	name   string
	dtype  string
	shape  []int
	begin  uint64
	end    uint64
	numel  uint64
	nbytes uint64
}

// rawEntry is the JSON form of a tensor description. Pointers tell missing fields from zero values.
type rawEntry struct {
	Dtype       *string   `json:"dtype"`
	Shape       *[]int64  `json:"shape"`
	DataOffsets *[]uint64 `json:"data_offsets"`
}

// ReadFile reads the safetensors file at path. It refuses anything but a regular file (a device
// such as /dev/zero, a named pipe, a directory) and files over MaxFileSize, before reading them.
func ReadFile(path string) (*File, error) {
	b, err := ReadFileBytes(path)
	if err != nil {
		return nil, err
	}
	f, err := ReadBytes(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// ReadFileBytes returns the content of the regular file at path, like os.ReadFile, but refuses
// other kinds of files and files over MaxFileSize, and never reads more than MaxFileSize+1 bytes
// (should the file grow meanwhile). Loaders of other weight formats use it for the same bounds.
func ReadFileBytes(path string) ([]byte, error) {
	// Checked before opening, which would block on a named pipe, and again on the open file.
	check := func(fi os.FileInfo) error {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file: weights are read from regular files only", path)
		}
		if fi.Size() > MaxFileSize {
			return fmt.Errorf("%s: %d bytes, over the limit of %d for a weight file", path, fi.Size(), MaxFileSize)
		}
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := check(fi); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := check(fi); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("%s: grew over the limit of %d bytes for a weight file while it was read", path, MaxFileSize)
	}
	return b, nil
}

// Read reads a safetensors file from r, up to its end. The input must end exactly where the byte
// buffer does, and be at most MaxFileSize bytes long. Memory grows with the data actually read,
// never with sizes the header claims.
func Read(r io.Reader) (*File, error) {
	var lenBuf [8]byte
	if _, err := io.ReadFull(r, lenBuf[:]); err != nil {
		return nil, fmt.Errorf("safetensors: reading header length: %w", noEOF(err))
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	if n > MaxHeaderSize {
		return nil, fmt.Errorf("safetensors: header length %d exceeds the limit of %d bytes", n, MaxHeaderSize)
	}
	header, err := readUpTo(r, int64(n))
	if err != nil {
		return nil, fmt.Errorf("safetensors: reading %d-byte header: %w", n, err)
	}
	if uint64(len(header)) != n {
		return nil, fmt.Errorf("safetensors: truncated header: header length is %d bytes but only %d follow", n, len(header))
	}
	entries, meta, bufLen, err := parseHeader(header)
	if err != nil {
		return nil, err
	}
	if bufLen > MaxFileSize-8-n {
		return nil, fmt.Errorf("safetensors: the tensors need %d bytes, over the limit of %d bytes for a whole file", bufLen, MaxFileSize)
	}
	// Read one byte more than needed to detect trailing data.
	buf, err := readUpTo(r, int64(bufLen)+1)
	if err != nil {
		return nil, fmt.Errorf("safetensors: reading byte buffer at offset %d: %w", 8+n, err)
	}
	if err := checkBufferLen(uint64(len(buf)), bufLen); err != nil {
		return nil, err
	}
	return decode(entries, meta, buf)
}

// ReadBytes reads a safetensors file held in b. The returned tensors do not alias b.
func ReadBytes(b []byte) (*File, error) {
	if len(b) < 8 {
		return nil, fmt.Errorf("safetensors: input is %d bytes, too short for the 8-byte header length", len(b))
	}
	n := binary.LittleEndian.Uint64(b)
	if n > MaxHeaderSize {
		return nil, fmt.Errorf("safetensors: header length %d exceeds the limit of %d bytes", n, MaxHeaderSize)
	}
	if n > uint64(len(b)-8) {
		return nil, fmt.Errorf("safetensors: truncated header: header length is %d bytes but only %d follow", n, len(b)-8)
	}
	entries, meta, bufLen, err := parseHeader(b[8 : 8+n])
	if err != nil {
		return nil, err
	}
	buf := b[8+n:]
	if err := checkBufferLen(uint64(len(buf)), bufLen); err != nil {
		return nil, err
	}
	return decode(entries, meta, buf)
}

// checkBufferLen reports whether the byte buffer holds exactly what the header describes.
func checkBufferLen(have, want uint64) error {
	switch {
	case have < want:
		return fmt.Errorf("safetensors: truncated byte buffer: the tensors need %d bytes but only %d are present", want, have)
	case have > want:
		return fmt.Errorf("safetensors: trailing data: the tensors need %d bytes but the byte buffer has more", want)
	}
	return nil
}

// readUpTo reads at most n bytes from r, stopping early at EOF. Its allocation follows the data read.
func readUpTo(r io.Reader, n int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, n))
	if err != nil {
		return nil, err
	}
	return b, nil
}

// noEOF turns io.EOF into io.ErrUnexpectedEOF: a read that found nothing is still a truncation here.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// parseHeader parses and validates the JSON header. It returns the entries sorted by data offset,
// the metadata and the byte buffer length the entries imply.
func parseHeader(header []byte) ([]entry, map[string]string, uint64, error) {
	if !utf8.Valid(header) {
		return nil, nil, 0, errors.New("safetensors: header is not valid UTF-8")
	}
	if len(header) == 0 || header[0] != '{' {
		return nil, nil, 0, errors.New("safetensors: header does not start with '{'")
	}
	dec := json.NewDecoder(bytes.NewReader(header))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // The opening '{'.
		return nil, nil, 0, fmt.Errorf("safetensors: header: %w", err)
	}
	var (
		entries []entry
		meta    map[string]string
		seen    = make(map[string]bool)
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, 0, fmt.Errorf("safetensors: header at byte %d: %w", dec.InputOffset(), err)
		}
		name, ok := tok.(string)
		if !ok { // Unreachable with a well-behaved decoder: object keys are strings.
			return nil, nil, 0, fmt.Errorf("safetensors: header at byte %d: expected a name", dec.InputOffset())
		}
		if seen[name] {
			return nil, nil, 0, fmt.Errorf("safetensors: header: duplicate entry %q", name)
		}
		seen[name] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, 0, fmt.Errorf("safetensors: header: entry %q: %w", name, err)
		}
		if name == metadataKey {
			meta, err = parseMetadata(raw)
			if err != nil {
				return nil, nil, 0, err
			}
			continue
		}
		e, err := parseEntry(name, raw)
		if err != nil {
			return nil, nil, 0, err
		}
		entries = append(entries, e)
	}
	if _, err := dec.Token(); err != nil { // The closing '}'.
		return nil, nil, 0, fmt.Errorf("safetensors: header at byte %d: %w", dec.InputOffset(), err)
	}
	if rest := header[dec.InputOffset():]; len(bytes.TrimLeft(rest, " \t\r\n")) != 0 {
		return nil, nil, 0, fmt.Errorf("safetensors: header: unexpected data after the JSON object at byte %d", dec.InputOffset())
	}

	// The tensors must tile the buffer: sorted by offset, each begins where the previous ends.
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].begin != entries[j].begin {
			return entries[i].begin < entries[j].begin
		}
		if entries[i].end != entries[j].end {
			return entries[i].end < entries[j].end
		}
		return entries[i].name < entries[j].name
	})
	var pos uint64
	for i, e := range entries {
		if e.begin != pos {
			if e.begin < pos {
				return nil, nil, 0, fmt.Errorf("safetensors: tensor %q: data [%d, %d) overlaps tensor %q, which ends at %d",
					e.name, e.begin, e.end, entries[i-1].name, pos)
			}
			return nil, nil, 0, fmt.Errorf("safetensors: tensor %q: data begins at %d, leaving a gap after offset %d",
				e.name, e.begin, pos)
		}
		pos = e.end
	}
	return entries, meta, pos, nil
}

// parseMetadata parses the "__metadata__" entry, which must map strings to strings.
func parseMetadata(raw json.RawMessage) (map[string]string, error) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("safetensors: header: %s must be an object of strings: %w", metadataKey, err)
	}
	meta := make(map[string]string, len(m))
	for k, v := range m {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("safetensors: header: %s[%q] is not a string", metadataKey, k)
		}
		meta[k] = s
	}
	return meta, nil
}

// parseEntry parses and checks one tensor description.
func parseEntry(name string, raw json.RawMessage) (entry, error) {
	e := entry{name: name}
	var r rawEntry
	if err := json.Unmarshal(raw, &r); err != nil {
		return e, fmt.Errorf("safetensors: tensor %q: malformed description: %w", name, err)
	}
	switch {
	case r.Dtype == nil:
		return e, fmt.Errorf("safetensors: tensor %q: missing dtype", name)
	case r.Shape == nil:
		return e, fmt.Errorf("safetensors: tensor %q: missing shape", name)
	case r.DataOffsets == nil:
		return e, fmt.Errorf("safetensors: tensor %q: missing data_offsets", name)
	}
	e.dtype = *r.Dtype
	size, ok := dtypes[e.dtype]
	if !ok {
		return e, fmt.Errorf("safetensors: tensor %q: unknown dtype %q", name, e.dtype)
	}
	offs := *r.DataOffsets
	if len(offs) != 2 {
		return e, fmt.Errorf("safetensors: tensor %q: data_offsets has %d values, want 2", name, len(offs))
	}
	e.begin, e.end = offs[0], offs[1]
	if e.end < e.begin {
		return e, fmt.Errorf("safetensors: tensor %q: data_offsets [%d, %d] end before they begin", name, e.begin, e.end)
	}

	// The element count, computed without overflow: any zero dimension makes it zero, and otherwise
	// it must stay within the byte range it claims, which bounds it by the offsets' range.
	e.shape = make([]int, len(*r.Shape))
	zero := false
	for i, d := range *r.Shape {
		if d < 0 || d > math.MaxInt {
			return e, fmt.Errorf("safetensors: tensor %q: invalid dimension %d in shape %v", name, d, *r.Shape)
		}
		e.shape[i] = int(d)
		zero = zero || d == 0
	}
	e.numel = 1
	if zero {
		e.numel = 0
	}
	avail := e.end - e.begin
	for _, d := range e.shape {
		if zero {
			break
		}
		if uint64(d) > avail/uint64(size)/e.numel {
			return e, fmt.Errorf("safetensors: tensor %q: shape %v of %s needs more than the %d bytes of data_offsets [%d, %d]",
				name, *r.Shape, e.dtype, avail, e.begin, e.end)
		}
		e.numel *= uint64(d)
	}
	e.nbytes = e.numel * uint64(size)
	if e.nbytes != avail {
		return e, fmt.Errorf("safetensors: tensor %q: shape %v of %s needs %d bytes but data_offsets [%d, %d] hold %d",
			name, *r.Shape, e.dtype, e.nbytes, e.begin, e.end, avail)
	}
	return e, nil
}

// decode converts the validated entries' data in buf into tensors.
func decode(entries []entry, meta map[string]string, buf []byte) (*File, error) {
	f := &File{Tensors: make(map[string]*tensor.Tensor, len(entries)), Metadata: meta}
	for _, e := range entries {
		dec, ok := decoders[e.dtype]
		if !ok {
			return nil, fmt.Errorf("safetensors: tensor %q: dtype %s is not supported (want F32, F16, BF16 or F64)", e.name, e.dtype)
		}
		data := make([]float32, e.numel)
		dec(data, buf[e.begin:e.end])
		f.Tensors[e.name] = &tensor.Tensor{Shape: e.shape, Data: data}
	}
	return f, nil
}

// Write writes f to w in safetensors format, with every tensor stored as F32. Tensors are laid out
// in name order and the header is padded with spaces so that the byte buffer starts at a multiple
// of 8 bytes. Metadata, if any, is written first in the header with its keys sorted.
func Write(w io.Writer, f *File) error {
	if f == nil {
		return errors.New("safetensors: nil File")
	}
	names := make([]string, 0, len(f.Tensors))
	for name, t := range f.Tensors {
		if name == metadataKey {
			return fmt.Errorf("safetensors: tensor name %q is reserved", name)
		}
		if !utf8.ValidString(name) {
			return fmt.Errorf("safetensors: tensor name %q is not valid UTF-8", name)
		}
		if t == nil {
			return fmt.Errorf("safetensors: tensor %q is nil", name)
		}
		n, err := checkedNumel(t.Shape)
		if err != nil {
			return fmt.Errorf("safetensors: tensor %q: %w", name, err)
		}
		if n != len(t.Data) {
			return fmt.Errorf("safetensors: tensor %q: shape %v has %d elements but Data has %d", name, t.Shape, n, len(t.Data))
		}
		names = append(names, name)
	}
	sort.Strings(names)

	var h bytes.Buffer
	h.WriteByte('{')
	sep := ""
	if len(f.Metadata) > 0 {
		keys := make([]string, 0, len(f.Metadata))
		for k, v := range f.Metadata {
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				return fmt.Errorf("safetensors: metadata %q: key or value is not valid UTF-8", k)
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		h.WriteString(quote(metadataKey) + ":{")
		for i, k := range keys {
			if i > 0 {
				h.WriteByte(',')
			}
			h.WriteString(quote(k) + ":" + quote(f.Metadata[k]))
		}
		h.WriteByte('}')
		sep = ","
	}
	var off uint64
	for _, name := range names {
		t := f.Tensors[name]
		end := off + 4*uint64(len(t.Data))
		h.WriteString(sep + quote(name) + `:{"dtype":"F32","shape":[`)
		for i, d := range t.Shape {
			if i > 0 {
				h.WriteByte(',')
			}
			h.WriteString(strconv.Itoa(d))
		}
		h.WriteString(`],"data_offsets":[` + strconv.FormatUint(off, 10) + "," + strconv.FormatUint(end, 10) + "]}")
		sep = ","
		off = end
	}
	h.WriteByte('}')
	for h.Len()%8 != 0 {
		h.WriteByte(' ')
	}
	if h.Len() > MaxHeaderSize {
		return fmt.Errorf("safetensors: header of %d bytes exceeds the limit of %d bytes", h.Len(), MaxHeaderSize)
	}

	bw := bufio.NewWriter(w)
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(h.Len()))
	bw.Write(lenBuf[:])
	bw.Write(h.Bytes())
	var v [4]byte
	for _, name := range names {
		for _, x := range f.Tensors[name].Data {
			binary.LittleEndian.PutUint32(v[:], math.Float32bits(x))
			bw.Write(v[:])
		}
	}
	// bufio.Writer keeps the first error; Flush reports it.
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	return nil
}

// WriteFile writes f to path atomically: it writes a temporary file in the same directory, syncs it
// and renames it over path, so that path holds either its old content or the complete new file.
// It refuses to replace anything but a regular file (a symbolic link, a device, a named pipe), and
// an existing file keeps its permission bits (a new one gets 0644).
func WriteFile(path string, f *File) (err error) {
	mode := os.FileMode(0o644)
	if fi, err := os.Lstat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("safetensors: %s is not a regular file: refusing to replace it", path)
		}
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = Write(tmp, f); err != nil {
		return err
	}
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// checkedNumel returns the element count of shape, failing on negative dimensions or overflow.
func checkedNumel(shape []int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("negative dimension in shape %v", shape)
		}
		if d == 0 {
			return 0, nil
		}
	}
	for _, d := range shape {
		if n > math.MaxInt/4/d {
			return 0, fmt.Errorf("shape %v is too large", shape)
		}
		n *= d
	}
	return n, nil
}

// quote returns s as a JSON string, without HTML escaping.
func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // Encoding a string cannot fail.
	return string(bytes.TrimSuffix(b.Bytes(), []byte{'\n'}))
}
