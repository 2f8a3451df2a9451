package torchload

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/safetensors"
	"github.com/resnet20-pruning/resnet20-pruning/core/tensor"
)

// expectedFile is one entry of testdata/expected.json, written by testdata/gen.py.
type expectedFile struct {
	Tensors map[string]struct {
		Shape []int     `json:"shape"`
		Data  []float64 `json:"data"`
	} `json:"tensors"`
	Skipped []string `json:"skipped"`
}

func readExpected(t testing.TB) map[string]expectedFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]expectedFile
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTestdata loads the checkpoints that testdata/gen.py made with PyTorch and compares every
// tensor with the values PyTorch reported.
func TestTestdata(t *testing.T) {
	exp := readExpected(t)
	if len(exp) == 0 {
		t.Fatal("expected.json lists no files")
	}
	for _, tc := range []struct {
		file    string
		format  Format
		wrapper string
	}{
		{"zip_basic.pt", FormatZip, ""},
		{"zip_proto4.pt", FormatZip, ""},
		{"legacy_basic.pt", FormatLegacy, ""},
		{"legacy_wrapped.pt", FormatLegacy, "state_dict"},
		{"zip_wrapped.pt", FormatZip, "state_dict"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			want, ok := exp[tc.file]
			if !ok {
				t.Fatalf("%s missing from expected.json", tc.file)
			}
			c, err := LoadCheckpoint(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if c.Format != tc.format || c.Wrapper != tc.wrapper {
				t.Errorf("format %q, wrapper %q; want %q, %q", c.Format, c.Wrapper, tc.format, tc.wrapper)
			}
			var skipped []string
			for _, s := range c.Skipped {
				skipped = append(skipped, s.Name)
			}
			if !reflect.DeepEqual(skipped, want.Skipped) {
				t.Errorf("skipped %v, want %v", c.Skipped, want.Skipped)
			}
			if len(c.Tensors) != len(want.Tensors) {
				t.Errorf("%d tensors, want %d", len(c.Tensors), len(want.Tensors))
			}
			for name, w := range want.Tensors {
				got, ok := c.Tensors[name]
				if !ok {
					t.Errorf("tensor %q missing", name)
					continue
				}
				if !got.ShapeIs(w.Shape...) {
					t.Errorf("tensor %q: shape %v, want %v", name, got.Shape, w.Shape)
				}
				if len(got.Data) != len(w.Data) {
					t.Errorf("tensor %q: %d values, want %d", name, len(got.Data), len(w.Data))
					continue
				}
				for i, v := range w.Data {
					if got.Data[i] != float32(v) {
						t.Errorf("tensor %q: value %d = %v, want %v", name, i, got.Data[i], v)
						break
					}
				}
			}
		})
	}
}

// sharedWeights returns the path of a shared checkpoint, skipping the test when it is absent,
// except in CI (CI=true), where its absence is a failure.
func sharedWeights(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv("SHARED_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	p := filepath.Join(dir, "weights", name)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared checkpoint missing in CI: %v", err)
		}
		t.Skipf("shared checkpoint not available: %v", err)
	}
	return p
}

// sum adds a tensor's values in float64.
func sum(t *tensor.Tensor) float64 {
	var s float64
	for _, v := range t.Data {
		s += float64(v)
	}
	return s
}

func TestSharedWeights(t *testing.T) {
	type check struct {
		name  string
		shape []int
		sum   float64 // As PyTorch computes it: v.double().sum().
	}
	for _, tc := range []struct {
		file     string
		format   Format
		wrapper  string
		tensors  int
		skipped  int
		skipWhy  string
		contains []string
		checks   []check
	}{
		{
			file: "study-resnet20-model.pth", format: FormatZip, tensors: 107, skipped: 21, skipWhy: "int64 tensor",
			contains: []string{"bn1.running_var", "layer9.bn2.bias", "layer7.skipper.1.running_mean", "l.bias"},
			checks: []check{
				{"conv1.weight", []int{16, 3, 3, 3}, -1.351569946295058},
				{"layer4.skipper.0.weight", []int{32, 16, 1, 1}, -7.796845000979374},
				{"layer9.conv2.weight", []int{64, 64, 3, 3}, 28.563360594765697},
				{"layer7.skipper.1.weight", []int{64}, 56.712199211120605},
				{"l.weight", []int{10, 64}, -1.2429825875442475},
				{"l.bias", []int{10}, 0.30055016838014126},
			},
		},
		{
			file: "akamaster-resnet20-12fca82f.th", format: FormatLegacy, wrapper: "state_dict", tensors: 97, skipped: 1, skipWhy: "outside the state dict (float)",
			contains: []string{"bn1.running_var", "layer3.2.bn2.bias", "linear.bias"},
			checks: []check{
				{"conv1.weight", []int{16, 3, 3, 3}, 1.3100982000032673},
				{"layer1.0.bn1.running_var", []int{16}, 24.223069393250626},
				{"layer2.0.conv1.weight", []int{32, 16, 3, 3}, -24.616129788733815},
				{"layer3.2.conv2.weight", []int{64, 64, 3, 3}, 1.509974816668091},
				{"linear.weight", []int{10, 64}, -0.04562738863751292},
			},
		},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := sharedWeights(t, tc.file)
			c, err := LoadCheckpoint(path)
			if err != nil {
				t.Fatal(err)
			}
			if c.Format != tc.format || c.Wrapper != tc.wrapper {
				t.Errorf("format %q, wrapper %q; want %q, %q", c.Format, c.Wrapper, tc.format, tc.wrapper)
			}
			if len(c.Tensors) != tc.tensors {
				t.Errorf("%d tensors, want %d", len(c.Tensors), tc.tensors)
			}
			if len(c.Skipped) != tc.skipped {
				t.Errorf("%d skipped, want %d", len(c.Skipped), tc.skipped)
			}
			for _, s := range c.Skipped {
				if s.Reason != tc.skipWhy {
					t.Errorf("skipped %q because %q, want %q", s.Name, s.Reason, tc.skipWhy)
				}
			}
			for name := range c.Tensors {
				if strings.HasPrefix(name, "module.") {
					t.Errorf("name %q keeps its module. prefix", name)
				}
			}
			for _, name := range tc.contains {
				if _, ok := c.Tensors[name]; !ok {
					t.Errorf("tensor %q missing", name)
				}
			}
			for _, ch := range tc.checks {
				got, ok := c.Tensors[ch.name]
				if !ok {
					t.Errorf("tensor %q missing", ch.name)
					continue
				}
				if !got.ShapeIs(ch.shape...) {
					t.Errorf("tensor %q: shape %v, want %v", ch.name, got.Shape, ch.shape)
				}
				if s := sum(got); math.Abs(s-ch.sum) > 1e-9*math.Max(1, math.Abs(ch.sum)) {
					t.Errorf("tensor %q: sum %.17g, want %.17g", ch.name, s, ch.sum)
				}
			}
			m, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(m, c.Tensors) {
				t.Error("Load and LoadCheckpoint disagree")
			}
		})
	}
}

func TestLoadVariants(t *testing.T) {
	path := filepath.Join("testdata", "zip_basic.pt")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("LoadBytes disagrees with Load")
	}
	got, err = LoadReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("LoadReader disagrees with Load")
	}
	// The tensors must not alias the input.
	for i := range b {
		b[i] = 0xff
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("tensors alias the input bytes")
	}
	if _, err := Load(filepath.Join("testdata", "missing.pt")); err == nil {
		t.Error("Load of a missing file succeeded")
	}
	// Devices, directories and endless input are refused, not read until memory runs out.
	for _, p := range []string{"/dev/zero", "testdata"} {
		if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Load(%s): error %v, want a refusal of a non-regular file", p, err)
		}
	}
	if _, err := LoadReader(io.LimitReader(endless{}, safetensors.MaxFileSize+2)); err == nil || !strings.Contains(err.Error(), "over the limit") {
		t.Errorf("LoadReader of %d bytes: error %v, want one over the limit", safetensors.MaxFileSize+2, err)
	}
	if _, err := LoadReader(errReader{}); err == nil {
		t.Error("LoadReader of a failing reader succeeded")
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, os.ErrClosed }

// pk assembles pickle programs for the hand-made checkpoints of the tests.
type pk struct{ b []byte }

func (p *pk) raw(s string) *pk { p.b = append(p.b, s...); return p }

// str pushes a str (BINUNICODE).
func (p *pk) str(s string) *pk {
	p.b = append(p.b, opBinUnicode)
	p.b = binary.LittleEndian.AppendUint32(p.b, uint32(len(s)))
	p.b = append(p.b, s...)
	return p
}

// int pushes an int (LONG1 of 8 bytes).
func (p *pk) int(n int64) *pk {
	p.b = append(p.b, opLong1, 8)
	p.b = binary.LittleEndian.AppendUint64(p.b, uint64(n))
	return p
}

// ints pushes a tuple of ints.
func (p *pk) ints(v ...int64) *pk {
	p.raw("(")
	for _, n := range v {
		p.int(n)
	}
	return p.raw("t")
}

func (p *pk) global(module, name string) *pk { return p.raw("c" + module + "\n" + name + "\n") }

// tdesc describes a tensor for tensorPickle.
type tdesc struct {
	name, class, key string
	numel            int64
	view             []any // Legacy view metadata (key, offset, size), or nil.
	offset           int64
	size, stride     []int64
}

// statePickle assembles a pickle of a dict of tensors. legacy selects the 6-field persistent ids
// of the legacy format.
func statePickle(legacy bool, ts ...tdesc) []byte {
	p := &pk{}
	p.raw("\x80\x02}")
	for _, t := range ts {
		p.str(t.name)
		p.global("torch._utils", "_rebuild_tensor_v2").raw("(")
		p.raw("(").str("storage").global("torch", t.class).str(t.key).str("cpu").int(t.numel)
		if legacy {
			if t.view == nil {
				p.raw("N")
			} else {
				p.raw("(").str(t.view[0].(string)).int(t.view[1].(int64)).int(t.view[2].(int64)).raw("t")
			}
		}
		p.raw("tQ")
		p.int(t.offset).ints(t.size...).ints(t.stride...).raw("\x89")
		p.global("collections", "OrderedDict").raw(")R")
		p.raw("tR")
		p.raw("s")
	}
	return p.raw(".").b
}

// record is the data of one storage.
type record struct {
	key   string
	numel int64 // As written before the data in the legacy format.
	data  []byte
}

// legacyFile assembles a legacy checkpoint around a main pickle.
func legacyFile(main []byte, littleEndian bool, recs ...record) []byte {
	var b []byte
	// Magic number 0x1950a86a20f9469cfc6c as LONG1.
	b = append(b, "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19."...)
	b = append(b, "\x80\x02M\xe9\x03."...)
	si := &pk{}
	si.raw("\x80\x02}").str("little_endian")
	if littleEndian {
		si.raw("\x88")
	} else {
		si.raw("\x89")
	}
	b = append(b, si.raw("s.").b...)
	b = append(b, main...)
	keys := &pk{}
	keys.raw("\x80\x02(")
	for _, r := range recs {
		keys.str(r.key)
	}
	b = append(b, keys.raw("l.").b...)
	for _, r := range recs {
		if littleEndian {
			b = binary.LittleEndian.AppendUint64(b, uint64(r.numel))
		} else {
			b = binary.BigEndian.AppendUint64(b, uint64(r.numel))
		}
		b = append(b, r.data...)
	}
	return b
}

// zipEntry is one entry of zipFile.
type zipEntry struct {
	name string
	data []byte
}

// zipFile assembles a zip archive of uncompressed (or, with deflate, compressed) entries.
func zipFile(t testing.TB, deflate bool, entries ...zipEntry) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Store}
		if deflate {
			h.Method = zip.Deflate
		}
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// f32le returns the little-endian bytes of float32 values.
func f32le(v ...float32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return b
}

// w2x2 describes a 2×2 float tensor "w" over storage "0" of 4 elements.
var w2x2 = tdesc{name: "w", class: "FloatStorage", key: "0", numel: 4, size: []int64{2, 2}, stride: []int64{2, 1}}

func TestCrafted(t *testing.T) {
	four := f32le(1, 2, 3, 4)
	with := func(d tdesc, f func(*tdesc)) tdesc { f(&d); return d }
	for _, tc := range []struct {
		name string
		in   []byte
		want map[string][]float32 // Expected tensors, when err is "".
		err  string
	}{
		{
			name: "legacy",
			in:   legacyFile(statePickle(true, w2x2), true, record{"0", 4, four}),
			want: map[string][]float32{"w": {1, 2, 3, 4}},
		},
		{
			name: "legacy big-endian",
			in: legacyFile(statePickle(true, w2x2), false, record{"0", 4,
				binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil,
					math.Float32bits(1)), math.Float32bits(2)), math.Float32bits(3)), math.Float32bits(4))}),
			want: map[string][]float32{"w": {1, 2, 3, 4}},
		},
		{
			name: "legacy storage view",
			in: legacyFile(statePickle(true, with(w2x2, func(d *tdesc) {
				d.view, d.key, d.numel, d.size, d.stride = []any{"v", int64(2), int64(2)}, "root", 6, []int64{2}, []int64{1}
			})), true, record{"root", 6, f32le(0, 0, 5, 6, 0, 0)}),
			want: map[string][]float32{"w": {5, 6}},
		},
		{
			name: "zip",
			in:   zipFile(t, false, zipEntry{"x/data.pkl", statePickle(false, w2x2)}, zipEntry{"x/data/0", four}),
			want: map[string][]float32{"w": {1, 2, 3, 4}},
		},
		{
			name: "zip deflated",
			in:   zipFile(t, true, zipEntry{"x/data.pkl", statePickle(false, w2x2)}, zipEntry{"x/data/0", four}),
			want: map[string][]float32{"w": {1, 2, 3, 4}},
		},
		{
			name: "zip big-endian",
			in: zipFile(t, false, zipEntry{"x/byteorder", []byte("big")}, zipEntry{"x/data.pkl", statePickle(false, w2x2)},
				zipEntry{"x/data/0", []byte{0x3f, 0x80, 0, 0, 0x40, 0, 0, 0, 0x40, 0x40, 0, 0, 0x40, 0x80, 0, 0}}),
			want: map[string][]float32{"w": {1, 2, 3, 4}},
		},
		{
			name: "zero-size view of an empty storage",
			in: legacyFile(statePickle(true, with(w2x2, func(d *tdesc) {
				d.numel, d.offset, d.size, d.stride = 0, 9, []int64{0, 1 << 40}, []int64{1 << 62, 1}
			})), true, record{"0", 0, nil}),
			want: map[string][]float32{"w": {}},
		},
		{
			name: "transposed",
			in:   legacyFile(statePickle(true, with(w2x2, func(d *tdesc) { d.stride = []int64{1, 2} })), true, record{"0", 4, four}),
			want: map[string][]float32{"w": {1, 3, 2, 4}},
		},

		{name: "not a checkpoint", in: []byte("hello, world"), err: "not a PyTorch checkpoint"},
		{name: "empty", in: nil, err: "not a PyTorch checkpoint"},
		{name: "tar", in: append(make([]byte, 257), "ustar\x00"...), err: "tar checkpoint format"},
		{name: "truncated zip", in: []byte("PK\x03\x04\x00\x00"), err: "zip archive"},
		{name: "zip without data.pkl", in: zipFile(t, false, zipEntry{"x/data/0", four}), err: "no data.pkl"},
		{
			name: "two data.pkl",
			in:   zipFile(t, false, zipEntry{"x/data.pkl", statePickle(false)}, zipEntry{"y/data.pkl", statePickle(false)}),
			err:  "2 data.pkl entries",
		},
		{
			name: "TorchScript",
			in:   zipFile(t, false, zipEntry{"x/data.pkl", statePickle(false)}, zipEntry{"x/constants.pkl", nil}),
			err:  "TorchScript",
		},
		{
			name: "bad byte order",
			in:   zipFile(t, false, zipEntry{"x/byteorder", []byte("middle")}, zipEntry{"x/data.pkl", statePickle(false)}),
			err:  `unknown byte order "middle"`,
		},
		{
			name: "zip record missing",
			in:   zipFile(t, false, zipEntry{"x/data.pkl", statePickle(false, w2x2)}),
			err:  `tensor "w": storage "0": zip archive has no record x/data/0`,
		},
		{
			name: "zip forged storage size",
			in: zipFile(t, false, zipEntry{"x/data.pkl", statePickle(false, with(w2x2, func(d *tdesc) { d.numel = 1 << 60 }))},
				zipEntry{"x/data/0", four}),
			err: `tensor "w": storage "0": zip archive: x/data/0 holds 16 bytes, want 4611686018427387904`,
		},
		{
			name: "zip storage size overflow",
			in:   zipFile(t, false, zipEntry{"x/data.pkl", statePickle(false, with(w2x2, func(d *tdesc) { d.numel = math.MaxInt64 / 2 }))}),
			err:  `storage "0": size of 4611686018427387903 elements overflows`,
		},
		{
			name: "zip 6-field persistent id",
			in:   zipFile(t, false, zipEntry{"x/data.pkl", statePickle(true, w2x2)}),
			err:  "x/data.pkl: pickle byte",
		},
		{
			name: "legacy wrong magic",
			in:   append([]byte("\x80\x02K\x01."), legacyFile(statePickle(true, w2x2), true)[15:]...),
			err:  "wrong magic number",
		},
		{
			name: "legacy forged storage size",
			in:   legacyFile(statePickle(true, with(w2x2, func(d *tdesc) { d.numel = 1 << 60 })), true, record{"0", 1 << 60, four}),
			err:  `storage "0": truncated: its 4611686018427387904 bytes`,
		},
		{
			name: "legacy size mismatch",
			in:   legacyFile(statePickle(true, w2x2), true, record{"0", 3, four}),
			err:  `storage "0": the data at byte`,
		},
		{
			name: "legacy truncated before size",
			in: func() []byte {
				b := legacyFile(statePickle(true, w2x2), true, record{"0", 4, four})
				return b[:len(b)-20]
			}(),
			err: `storage "0": truncated at byte`,
		},
		{
			name: "legacy storage not listed",
			in:   legacyFile(statePickle(true, w2x2), true),
			err:  `tensor "w": storage "0" has no data`,
		},
		{
			name: "legacy unknown storage listed",
			in:   legacyFile(statePickle(true, w2x2), true, record{"0", 4, four}, record{"9", 0, nil}),
			err:  `storage "9" is listed but no tensor uses it`,
		},
		{
			name: "legacy storage listed twice",
			in:   legacyFile(statePickle(true, w2x2), true, record{"0", 4, four}, record{"0", 4, four}),
			err:  `storage "0" is listed twice`,
		},
		{
			name: "legacy view out of range",
			in: legacyFile(statePickle(true, with(w2x2, func(d *tdesc) { d.view = []any{"v", int64(3), int64(4)} })), true,
				record{"0", 4, four}),
			err: `view "v" of elements [3, 3+4) is outside its 4 elements`,
		},
		{
			name: "storage redeclared",
			in: legacyFile(statePickle(true, w2x2, with(w2x2, func(d *tdesc) { d.name, d.numel = "w2", 5 })), true,
				record{"0", 4, four}),
			err: `storage "0": declared again with a different type or size`,
		},
		{
			name: "unknown storage type",
			in:   legacyFile(statePickle(true, with(w2x2, func(d *tdesc) { d.class = "FooStorage" })), true, record{"0", 4, four}),
			err:  `storage "0": unknown storage type torch.FooStorage`,
		},
		{
			name: "view past the storage",
			in:   legacyFile(statePickle(true, with(w2x2, func(d *tdesc) { d.offset = 1 })), true, record{"0", 4, four}),
			err:  `tensor "w": view (offset 1, size [2 2], stride [2 1]) reaches element 4 of storage "0", which holds 4`,
		},
		{
			name: "stride overflow",
			in:   legacyFile(statePickle(true, with(w2x2, func(d *tdesc) { d.stride = []int64{1 << 62, 1 << 62} })), true, record{"0", 4, four}),
			err:  `tensor "w": view (offset 0, size [2 2], stride [4611686018427387904 4611686018427387904]) overflows`,
		},
		{
			name: "size too large",
			in:   legacyFile(statePickle(true, with(w2x2, func(d *tdesc) { d.size, d.stride = []int64{1 << 40, 1 << 40}, []int64{0, 0} })), true, record{"0", 4, four}),
			err:  `tensor "w": size [1099511627776 1099511627776] is too large`,
		},
		{
			name: "expanded beyond the limit",
			in:   legacyFile(statePickle(true, with(w2x2, func(d *tdesc) { d.size, d.stride = []int64{1 << 13, 1 << 13}, []int64{0, 0} })), true, record{"0", 4, four}),
			err:  `tensor "w": size [8192 8192] brings the checkpoint's output to 67108864 elements, more than the limit`,
		},
		{
			name: "expanded within the limit",
			in:   legacyFile(statePickle(true, with(w2x2, func(d *tdesc) { d.size, d.stride = []int64{3, 2}, []int64{0, 1} })), true, record{"0", 4, four}),
			want: map[string][]float32{"w": {1, 2, 1, 2, 1, 2}},
		},
		{
			name: "size and stride lengths differ",
			in:   legacyFile(statePickle(true, with(w2x2, func(d *tdesc) { d.stride = []int64{1} })), true, record{"0", 4, four}),
			err:  `storage "0": size has 2 dimensions but stride has 1`,
		},
		{
			name: "negative size",
			in:   legacyFile(statePickle(true, with(w2x2, func(d *tdesc) { d.size = []int64{-2, 2} })), true, record{"0", 4, four}),
			err:  `storage "0": size: element 0 is not a non-negative int`,
		},
		{
			name: "negative offset",
			in:   legacyFile(statePickle(true, with(w2x2, func(d *tdesc) { d.offset = -1 })), true, record{"0", 4, four}),
			err:  `storage "0": invalid storage offset`,
		},
		{
			name: "prefix collision",
			in: legacyFile(statePickle(true, with(w2x2, func(d *tdesc) { d.name = "module.w" }), w2x2), true,
				record{"0", 4, four}),
			err: `tensors "module.w" and "w" both become "w"`,
		},
		{name: "root is a list", in: legacyFile([]byte("\x80\x02]."), true), err: "the checkpoint holds a list, not a state dict"},
		{
			name: "state_dict is not a dict",
			in:   legacyFile((&pk{}).raw("}").str("state_dict").raw("K\x01s.").b, true),
			err:  "state_dict entry is a int, not a dict",
		},
		{
			name: "persistent id of unknown kind",
			in:   legacyFile((&pk{}).raw("}").str("w").raw("(").str("thing").raw("tQs.").b, true),
			err:  "persistent id of unknown kind",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Decode(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Tensors) != len(tc.want) {
				t.Fatalf("%d tensors, want %d", len(c.Tensors), len(tc.want))
			}
			for name, w := range tc.want {
				got := c.Tensors[name]
				if got == nil || !reflect.DeepEqual(got.Data, w) {
					t.Errorf("tensor %q = %v, want %v", name, got, w)
				}
			}
		})
	}
}

// TestSingleTensor checks the error for a checkpoint that holds one tensor rather than a dict.
func TestSingleTensor(t *testing.T) {
	p := statePickle(true, w2x2)
	// Drop the dict: "\x80\x02}" + name, then the tensor, then SETITEM and STOP.
	name := (&pk{}).str("w").b
	body := p[3+len(name) : len(p)-2]
	main := append(append([]byte("\x80\x02"), body...), '.')
	_, err := Decode(legacyFile(main, true, record{"0", 4, f32le(1, 2, 3, 4)}))
	if err == nil || !strings.Contains(err.Error(), "single tensor") {
		t.Errorf("error %v, want one about a single tensor", err)
	}
}

// TestCorrupted truncates the test checkpoints at every length and flips every byte: each must
// give a result or an error, never a panic (decode has no recover).
func TestCorrupted(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.pt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test checkpoints: %v", err)
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n < len(b); n++ {
			if _, err := decode(b[:n]); err == nil {
				t.Errorf("%s cut to %d bytes: no error", f, n)
			}
		}
		c := append([]byte(nil), b...)
		for i := range c {
			c[i] ^= 0x55
			decode(c)
			c[i] ^= 0x55
		}
	}
}

// TestOutputBudget checks that many names for one large tensor cannot make a small file ask for a
// huge output.
func TestOutputBudget(t *testing.T) {
	const n = 1 << 16
	big := tdesc{name: "t0", class: "FloatStorage", key: "0", numel: n, size: []int64{n}, stride: []int64{1}}
	build := func(names int) []byte {
		p := statePickle(true, big)
		q := &pk{b: append([]byte(nil), p[:len(p)-2]...)} // Up to the tensor, before SETITEM and STOP.
		q.raw("q\x00s")                                   // Memoize the tensor, then set t0.
		for i := 1; i < names; i++ {
			q.str(fmt.Sprint("t", i)).raw("h\x00s")
		}
		return legacyFile(q.raw(".").b, true, record{"0", n, make([]byte, 4*n)})
	}
	c, err := Decode(build(10))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Tensors) != 10 {
		t.Errorf("%d tensors, want 10", len(c.Tensors))
	}
	_, err = Decode(build(300))
	if err == nil || !strings.Contains(err.Error(), "more than the limit") {
		t.Errorf("error %v, want one about the output limit", err)
	}
}

// endless reads as an endless stream of 'x' bytes.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}
