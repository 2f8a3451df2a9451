package torchload

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/tensor"
)

// checkResult checks the invariants of a successful decode.
func checkResult(t *testing.T, c *Checkpoint) {
	t.Helper()
	for name, x := range c.Tensors {
		if x == nil {
			t.Fatalf("tensor %q is nil", name)
		}
		if n := tensor.Numel(x.Shape); n != len(x.Data) {
			t.Fatalf("tensor %q: shape %v has %d elements but Data has %d", name, x.Shape, n, len(x.Data))
		}
	}
}

// FuzzLoad feeds arbitrary bytes to the decoder, seeded with the PyTorch-made checkpoints of
// testdata and hand-made legacy ones. The decoder must never panic (decode has no recover) and
// whatever it accepts must be consistent.
func FuzzLoad(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.pt"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed checkpoints: %v", err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	four := f32le(1, 2, 3, 4)
	f.Add(legacyFile(statePickle(true, w2x2), true, record{"0", 4, four}))
	f.Add(legacyFile(statePickle(true, w2x2), false, record{"0", 4, four}))
	view := w2x2
	view.view, view.key, view.numel, view.size, view.stride = []any{"v", int64(1), int64(2)}, "r", 4, []int64{2}, []int64{1}
	f.Add(legacyFile(statePickle(true, view), true, record{"r", 4, four}))
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := decode(in)
		if err != nil {
			return
		}
		checkResult(t, c)
	})
}

// FuzzZipPickle fuzzes the pickle and storage record of a zip checkpoint, which FuzzLoad rarely
// reaches because of the archive's checksums.
func FuzzZipPickle(f *testing.F) {
	f.Add(statePickle(false, w2x2), f32le(1, 2, 3, 4))
	half := w2x2
	half.class = "HalfStorage"
	f.Add(statePickle(false, half, tdesc{name: "b", class: "BFloat16Storage", key: "1", numel: 3, size: []int64{3}, stride: []int64{1}}), make([]byte, 8))
	f.Add(statePickle(false, tdesc{name: "d", class: "DoubleStorage", key: "0", numel: 2, size: []int64{2, 1}, stride: []int64{1, 0}}), make([]byte, 16))
	f.Fuzz(func(t *testing.T, pkl, rec []byte) {
		in := zipFile(t, false, zipEntry{"a/data.pkl", pkl}, zipEntry{"a/data/0", rec}, zipEntry{"a/data/1", rec[:len(rec)/2]})
		c, err := decode(in)
		if err != nil {
			return
		}
		checkResult(t, c)
	})
}

// FuzzUnpickle runs arbitrary pickle programs, with the checkpoint hooks installed.
func FuzzUnpickle(f *testing.F) {
	f.Add(statePickle(true, w2x2))
	f.Add([]byte("\x80\x02}q\x00(X\x01\x00\x00\x00aq\x01]q\x02(K\x01h\x02eu."))
	f.Add([]byte("(dp0\nVa\np1\n(lp2\nI1\naF1.5\naS'x\\n'\naL12L\nacos\nsystem\n(tRp3\ns."))
	f.Fuzz(func(t *testing.T, in []byte) {
		l := &loader{input: in, storages: make(map[string]*storage)}
		u := &unpickler{data: in, persistentLoad: l.legacyPersistentLoad, call: l.call}
		v, err := u.load()
		if err != nil {
			return
		}
		_ = typeName(v)
		if c, err := l.collect(v); err == nil {
			checkResult(t, c)
		}
	})
}
