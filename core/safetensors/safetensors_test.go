package safetensors

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"

	"github.com/resnet20-pruning/resnet20-pruning/core/tensor"
)

// build assembles a safetensors file from a header and a byte buffer.
func build(header string, buf []byte) []byte {
	b := make([]byte, 8, 8+len(header)+len(buf))
	binary.LittleEndian.PutUint64(b, uint64(len(header)))
	b = append(b, header...)
	return append(b, buf...)
}

// f32 returns the little-endian bytes of float32 values.
func f32(v ...float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// u16 returns the little-endian bytes of 16-bit values.
func u16(v ...uint16) []byte {
	b := make([]byte, 2*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint16(b[2*i:], x)
	}
	return b
}

// f64 returns the little-endian bytes of float64 values.
func f64(v ...float64) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return b
}

func TestReadValid(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header string
		buf    []byte
		want   *File
	}{
		{
			name:   "empty",
			header: `{}`,
			want:   &File{Tensors: map[string]*tensor.Tensor{}},
		},
		{
			name:   "f32 with metadata and padding",
			header: `{"__metadata__":{"format":"pt","a":"b"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}   `,
			buf:    f32(1, 2, 3, -4),
			want: &File{
				Tensors:  map[string]*tensor.Tensor{"w": {Shape: []int{2, 2}, Data: []float32{1, 2, 3, -4}}},
				Metadata: map[string]string{"format": "pt", "a": "b"},
			},
		},
		{
			name:   "offsets not in name order",
			header: `{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`,
			buf:    f32(1, 2),
			want: &File{Tensors: map[string]*tensor.Tensor{
				"a": {Shape: []int{1}, Data: []float32{2}},
				"b": {Shape: []int{1}, Data: []float32{1}},
			}},
		},
		{
			name:   "scalar and zero-size",
			header: `{"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"z":{"dtype":"F32","shape":[0,4611686018427387904],"data_offsets":[4,4]}}`,
			buf:    f32(7),
			want: &File{Tensors: map[string]*tensor.Tensor{
				"s": {Shape: []int{}, Data: []float32{7}},
				"z": {Shape: []int{0, 1 << 62}, Data: []float32{}},
			}},
		},
		{
			name: "f16",
			// 1, -2, 65504 (max), 2^-24 (smallest subnormal), +Inf, -0.
			header: `{"h":{"dtype":"F16","shape":[6],"data_offsets":[0,12]}}`,
			buf:    u16(0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x8000),
			want: &File{Tensors: map[string]*tensor.Tensor{
				"h": {Shape: []int{6}, Data: []float32{1, -2, 65504, 1.0 / (1 << 24), float32(math.Inf(1)), float32(math.Copysign(0, -1))}},
			}},
		},
		{
			name:   "bf16",
			header: `{"b":{"dtype":"BF16","shape":[3],"data_offsets":[0,6]}}`,
			buf:    u16(0x3f80, 0xc040, 0x0000),
			want:   &File{Tensors: map[string]*tensor.Tensor{"b": {Shape: []int{3}, Data: []float32{1, -3, 0}}}},
		},
		{
			name:   "f64",
			header: `{"d":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}`,
			buf:    f64(0.5, -1e300),
			want:   &File{Tensors: map[string]*tensor.Tensor{"d": {Shape: []int{2}, Data: []float32{0.5, float32(math.Inf(-1))}}}},
		},
		{
			name:   "escaped name and unknown field",
			header: `{"a\u002eb":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}}`,
			buf:    f32(3),
			want:   &File{Tensors: map[string]*tensor.Tensor{"a.b": {Shape: []int{1}, Data: []float32{3}}}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := build(tc.header, tc.buf)
			got, err := ReadBytes(in)
			if err != nil {
				t.Fatalf("ReadBytes: %v", err)
			}
			checkFile(t, got, tc.want)
			got, err = Read(iotest.OneByteReader(bytes.NewReader(in)))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			checkFile(t, got, tc.want)
		})
	}
}

// checkFile compares two Files, treating a nil and an empty Metadata as equal and comparing
// float values bit for bit.
func checkFile(t *testing.T, got, want *File) {
	t.Helper()
	if len(got.Metadata) != 0 || len(want.Metadata) != 0 {
		if !reflect.DeepEqual(got.Metadata, want.Metadata) {
			t.Errorf("metadata = %v, want %v", got.Metadata, want.Metadata)
		}
	}
	if len(got.Tensors) != len(want.Tensors) {
		t.Fatalf("got %d tensors, want %d", len(got.Tensors), len(want.Tensors))
	}
	for name, w := range want.Tensors {
		g, ok := got.Tensors[name]
		if !ok {
			t.Errorf("tensor %q missing", name)
			continue
		}
		if !g.ShapeIs(w.Shape...) {
			t.Errorf("tensor %q: shape %v, want %v", name, g.Shape, w.Shape)
		}
		if len(g.Data) != len(w.Data) {
			t.Errorf("tensor %q: %d values, want %d", name, len(g.Data), len(w.Data))
			continue
		}
		for i := range w.Data {
			if math.Float32bits(g.Data[i]) != math.Float32bits(w.Data[i]) {
				t.Errorf("tensor %q: value %d = %v, want %v", name, i, g.Data[i], w.Data[i])
			}
		}
	}
}

func TestReadInvalid(t *testing.T) {
	tooLong := make([]byte, 8)
	binary.LittleEndian.PutUint64(tooLong, MaxHeaderSize+1)
	huge := make([]byte, 8)
	binary.LittleEndian.PutUint64(huge, math.MaxUint64)
	truncatedHeader := make([]byte, 8, 12)
	binary.LittleEndian.PutUint64(truncatedHeader, 1000)
	truncatedHeader = append(truncatedHeader, "{}  "...)

	one := `{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`
	for _, tc := range []struct {
		name string
		in   []byte
		want string // A substring of the error; "ReadBytes's|Read's" where they differ.
	}{
		{"empty input", nil, "too short"},
		{"short length", []byte{1, 2, 3}, "too short"},
		{"header too long", tooLong, "exceeds the limit"},
		{"header length overflow", huge, "exceeds the limit"},
		{"truncated header", truncatedHeader, "truncated header"},
		{"empty header", build("", nil), "does not start with '{'"},
		{"not an object", build(`[1]`, nil), "does not start with '{'"},
		{"not utf-8", build("{\"\xff\":1}", nil), "UTF-8"},
		{"malformed json", build(`{"w":`, nil), "header"},
		{"unterminated object", build(`{"w":{"dtype":"F32","shape":[],"data_offsets":[0,4]}`, f32(1)), "header"},
		{"trailing json", build(`{}{}`, nil), "after the JSON object"},
		{"duplicate name", build(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, f32(1, 2)), `duplicate entry "w"`},
		{"duplicate metadata", build(`{"__metadata__":{},"__metadata__":{}}`, nil), "duplicate"},
		{"entry not object", build(`{"w":3}`, nil), `tensor "w": malformed`},
		{"missing dtype", build(`{"w":{"shape":[1],"data_offsets":[0,4]}}`, f32(1)), `tensor "w": missing dtype`},
		{"missing shape", build(`{"w":{"dtype":"F32","data_offsets":[0,4]}}`, f32(1)), `tensor "w": missing shape`},
		{"missing offsets", build(`{"w":{"dtype":"F32","shape":[1]}}`, f32(1)), `tensor "w": missing data_offsets`},
		{"unknown dtype", build(`{"w":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}}`, f32(1)), `tensor "w": unknown dtype "F31"`},
		{"unsupported dtype", build(`{"w":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}`, f32(1)), `tensor "w": dtype I32 is not supported`},
		{"three offsets", build(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}`, f32(1)), "has 3 values"},
		{"negative offset", build(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}`, f32(1)), `tensor "w": malformed`},
		{"reversed offsets", build(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}`, f32(1)), "end before they begin"},
		{"negative dimension", build(`{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, f32(1)), "invalid dimension -1"},
		{"fractional dimension", build(`{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}`, f32(1)), `tensor "w": malformed`},
		{"dimension overflow", build(`{"w":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,4]}}`, f32(1)), `tensor "w": malformed`},
		{"shape product overflow", build(`{"w":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,4]}}`, f32(1)), "needs more than"},
		{"shape product wraps to size", build(`{"w":{"dtype":"F32","shape":[4611686018427387905,4],"data_offsets":[0,16]}}`, f32(1, 2, 3, 4)), "needs more than"},
		{"shape too small", build(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}`, f32(1, 2)), "needs 4 bytes but data_offsets [0, 8] hold 8"},
		{"shape too large", build(`{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, f32(1, 2)), "needs more than the 8 bytes"},
		{"gap", build(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, f32(1, 2)), `tensor "w": data begins at 4, leaving a gap after offset 0`},
		{"overlap", build(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, f32(1, 2)), `overlaps tensor "a"`},
		{"huge offsets", build(`{"w":{"dtype":"F32","shape":[1000000000000],"data_offsets":[0,4000000000000]}}`, f32(1)), "truncated byte buffer|over the limit"},
		{"truncated buffer", build(one, f32(1)[:3]), "truncated byte buffer: the tensors need 4 bytes but only 3"},
		{"trailing data", build(one, f32(1, 2)), "trailing data"},
		{"metadata not object", build(`{"__metadata__":[]}`, nil), "__metadata__ must be an object"},
		{"metadata not string", build(`{"__metadata__":{"k":1}}`, nil), `__metadata__["k"] is not a string`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, readWant, ok := strings.Cut(tc.want, "|")
			if !ok {
				readWant = want
			}
			_, err := ReadBytes(tc.in)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("ReadBytes: error %v, want one containing %q", err, want)
			}
			_, err = Read(bytes.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), readWant) {
				// Read reports a too-short input as a failed read of the length.
				if !(len(tc.in) < 8 && err != nil) {
					t.Errorf("Read: error %v, want one containing %q", err, readWant)
				}
			}
		})
	}
}

// sample returns a File with a few tensors of varied shapes.
func sample() *File {
	return &File{
		Tensors: map[string]*tensor.Tensor{
			"conv1.weight": {Shape: []int{2, 1, 3, 3}, Data: []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, -3, -4, -5, -6, -7, -8, -9}},
			"bn1.bias":     {Shape: []int{2}, Data: []float32{0.5, float32(math.NaN())}},
			"scalar":       {Shape: []int{}, Data: []float32{42}},
			"empty":        {Shape: []int{0, 3}, Data: []float32{}},
			`odd "name"<>`: {Shape: []int{1}, Data: []float32{float32(math.Inf(-1))}},
		},
		Metadata: map[string]string{"format": "pt", "note": "ünïcode & <html>"},
	}
}

func TestRoundTrip(t *testing.T) {
	f := sample()
	var b1, b2 bytes.Buffer
	if err := Write(&b1, f); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b2, f); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		t.Error("Write is not deterministic")
	}
	n := binary.LittleEndian.Uint64(b1.Bytes())
	if n%8 != 0 {
		t.Errorf("header length %d is not a multiple of 8", n)
	}
	got, err := ReadBytes(b1.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	checkFile(t, got, f)

	// The reader must not alias its input.
	in := b1.Bytes()
	for i := range in[8+n:] {
		in[8+n+uint64(i)] = 0xff
	}
	checkFile(t, got, f)

	// The writer lays tensors out in name order.
	h := string(b1.Bytes()[8 : 8+n])
	if i, j := strings.Index(h, `"bn1.bias"`), strings.Index(h, `"conv1.weight"`); i < 0 || j < i {
		t.Errorf("tensors not in name order in header %s", h)
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.safetensors")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := sample()
	if err := WriteFile(path, f); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	checkFile(t, got, f)

	// A failed write leaves the old file and no temporary behind.
	bad := &File{Tensors: map[string]*tensor.Tensor{"w": {Shape: []int{2}, Data: []float32{1}}}}
	if err := WriteFile(path, bad); err == nil {
		t.Fatal("WriteFile succeeded with an inconsistent tensor")
	}
	got, err = ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	checkFile(t, got, f)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after a failed write, want 1", len(entries))
	}
	if _, err := ReadFile(filepath.Join(dir, "missing")); err == nil {
		t.Error("ReadFile of a missing file succeeded")
	}
}

// TestFileLimits checks that ReadFile refuses non-regular files and files over MaxFileSize before
// reading them, and that Read refuses a header whose tensors need more than MaxFileSize.
func TestFileLimits(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.safetensors")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.safetensors")
	if err := os.WriteFile(big, build(`{}`, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, MaxFileSize+1); err != nil { // Sparse: takes no space.
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{"/dev/zero", "not a regular file"},
		{fifo, "not a regular file"}, // Refused before opening, which would block without a writer.
		{dir, "not a regular file"},
		{big, "over the limit"},
	} {
		_, err := ReadFile(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadFile(%s): error %v, want one containing %q", tc.path, err, tc.want)
		}
	}
	huge := fmt.Sprintf(`{"w":{"dtype":"F32","shape":[%d],"data_offsets":[0,%d]}}`, MaxFileSize/4, MaxFileSize)
	if _, err := Read(io.MultiReader(bytes.NewReader(build(huge, nil)), zeros{})); err == nil || !strings.Contains(err.Error(), "over the limit") {
		t.Errorf("Read of a header claiming %d bytes of tensors: error %v, want one containing %q", MaxFileSize, err, "over the limit")
	}
}

// zeros is an endless reader of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestWriteFileTargets checks that WriteFile replaces only regular files and keeps their mode.
func TestWriteFileTargets(t *testing.T) {
	dir := t.TempDir()
	f := sample()
	kept := filepath.Join(dir, "kept.safetensors")
	if err := os.WriteFile(kept, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(kept, f); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(kept); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after WriteFile over a 0600 file: %v (%v), want 0600", fi.Mode(), err)
	}
	link := filepath.Join(dir, "link.safetensors")
	if err := os.Symlink(kept, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.safetensors")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{link, fifo, dir} {
		before, _ := os.Lstat(p)
		if err := WriteFile(p, f); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("WriteFile(%s): error %v, want a refusal", p, err)
		}
		if after, err := os.Lstat(p); err != nil || after.Mode() != before.Mode() {
			t.Errorf("%s changed from %v to %v (%v)", p, before.Mode(), after.Mode(), err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("directory holds %d entries, want 3: no temporary file left behind", len(entries))
	}
}

func TestWriteInvalid(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    *File
		want string
	}{
		{"nil file", nil, "nil File"},
		{"nil tensor", &File{Tensors: map[string]*tensor.Tensor{"w": nil}}, `tensor "w" is nil`},
		{"reserved name", &File{Tensors: map[string]*tensor.Tensor{"__metadata__": tensor.New(1)}}, "reserved"},
		{"bad utf-8 name", &File{Tensors: map[string]*tensor.Tensor{"\xff": tensor.New(1)}}, "UTF-8"},
		{"bad utf-8 metadata", &File{Metadata: map[string]string{"k": "\xff"}}, "UTF-8"},
		{"data mismatch", &File{Tensors: map[string]*tensor.Tensor{"w": {Shape: []int{2, 2}, Data: make([]float32, 3)}}}, "has 4 elements but Data has 3"},
		{"negative dimension", &File{Tensors: map[string]*tensor.Tensor{"w": {Shape: []int{-1}, Data: nil}}}, "negative dimension"},
		{"overflow", &File{Tensors: map[string]*tensor.Tensor{"w": {Shape: []int{1 << 40, 1 << 40}, Data: nil}}}, "too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Write(&bytes.Buffer{}, tc.f)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestWriteError(t *testing.T) {
	w := &limitWriter{n: 20}
	if err := Write(w, sample()); err == nil {
		t.Error("Write to a failing writer succeeded")
	}
}

// limitWriter accepts n bytes and then fails.
type limitWriter struct{ n int }

func (w *limitWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, os.ErrClosed
	}
	w.n -= len(p)
	return len(p), nil
}

func TestHalfToFloat32(t *testing.T) {
	// Every finite half converts exactly: check against the defining formula.
	for h := 0; h < 1<<16; h++ {
		exp := (h >> 10) & 0x1f
		mant := float64(h & 0x3ff)
		var want float64
		switch exp {
		case 0x1f:
			if mant == 0 {
				want = math.Inf(1)
			} else {
				want = math.NaN()
			}
		case 0:
			want = mant * math.Pow(2, -24)
		default:
			want = (1 + mant/1024) * math.Pow(2, float64(exp-15))
		}
		if h&0x8000 != 0 {
			want = -want
		}
		got := HalfToFloat32(uint16(h))
		if math.IsNaN(want) {
			if !math.IsNaN(float64(got)) {
				t.Fatalf("HalfToFloat32(%#04x) = %v, want NaN", h, got)
			}
			continue
		}
		if float64(got) != want || math.Signbit(float64(got)) != (h&0x8000 != 0) {
			t.Fatalf("HalfToFloat32(%#04x) = %v, want %v", h, got, want)
		}
	}
}
