package site

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestCritical(t *testing.T) {
	m := &Manifest{Weights: "weights/w.safetensors", TestParts: []Pack{{"data/test-0.bin", 200}, {"data/test-1.bin", 800}}}
	c := Critical(m)
	for _, want := range []string{"index.html", "boot.js", "worker.js", "wasm_exec.js", "app.wasm", "manifest.json", "weights/w.safetensors"} {
		if !slices.Contains(c, want) {
			t.Errorf("Critical lacks %s: %v", want, c)
		}
	}
	for _, later := range []string{"worker.wasm", "data/test-0.bin", "data/test-1.bin", "data/train.bin", "anim.wasm", "compare.html", "assets/sweep.json"} {
		if slices.Contains(c, later) {
			t.Errorf("Critical holds %s, which the page loads later: %v", later, c)
		}
	}
}

func TestSizes(t *testing.T) {
	dir := t.TempDir()
	a, b := bytes.Repeat([]byte("abc"), 1000), []byte{1, 2, 3}
	os.WriteFile(filepath.Join(dir, "a.js"), a, 0o644)
	os.MkdirAll(filepath.Join(dir, "d"), 0o755)
	os.WriteFile(filepath.Join(dir, "d", "b.bin"), b, 0o644)
	sizes, total, err := Sizes(dir, []string{"a.js", "d/b.bin"})
	if err != nil {
		t.Fatal(err)
	}
	gz := func(p []byte) int {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(p)
		zw.Close()
		return buf.Len()
	}
	want := []FileSize{{"a.js", 3000, gz(a)}, {"d/b.bin", 3, gz(b)}}
	if !slices.Equal(sizes, want) || total != gz(a)+gz(b) {
		t.Errorf("Sizes = %v, %d; want %v, %d", sizes, total, want, gz(a)+gz(b))
	}
	if _, _, err := Sizes(dir, []string{"missing.js"}); err == nil {
		t.Error("no error for a missing file")
	}
}
