package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/cifar/download"
	"github.com/resnet20-pruning/resnet20-pruning/core/eval"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/web/demo"
	"github.com/resnet20-pruning/resnet20-pruning/web/site"
)

// randomRecords returns n CIFAR-10 records with random labels and pixels.
func randomRecords(r *rand.Rand, n int) []byte {
	b := make([]byte, n*cifar.RecordSize)
	for i := range n {
		rec := b[i*cifar.RecordSize : (i+1)*cifar.RecordSize]
		rec[0] = byte(r.IntN(cifar.NumClasses))
		for j := 1; j < len(rec); j++ {
			rec[j] = byte(r.Uint32())
		}
	}
	return b
}

// syntheticArchive returns a small archive laid out as the official one: enough test and train
// records for the site's pack, one record in each other batch file.
func syntheticArchive(t *testing.T, test, train []byte) []byte {
	t.Helper()
	r := rand.New(rand.NewPCG(3, 4))
	files := map[string][]byte{
		"batches.meta.txt": []byte(strings.Join(cifar.ClassNames[:], "\n") + "\n"),
		"test_batch.bin":   test,
		"data_batch_1.bin": train,
	}
	for _, n := range cifar.Train.Files()[1:] {
		files[n] = randomRecords(r, 1)
	}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, n := range append(append([]string{"batches.meta.txt"}, cifar.Train.Files()...), cifar.Test.Files()...) {
		if err := tw.WriteHeader(&tar.Header{Name: download.ArchiveDir + "/" + n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(files[n]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestFreshClone runs what `make site` runs on a clone with no data folder: sitegen resolves the
// data set, finds none, downloads the archive from $CIFAR10_URL (a small synthetic one served on
// 127.0.0.1, checked against $CIFAR10_MD5), and builds the site. It checks dist/: the wasm
// programs, the manifest, the packs (byte for byte) and the baseline.
func TestFreshClone(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the three wasm programs (-short)")
	}
	r := rand.New(rand.NewPCG(1, 2))
	test, train := randomRecords(r, 1000), randomRecords(r, 512)
	archive := syntheticArchive(t, test, train)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		hits.Add(1)
		w.Write(archive)
	}))
	defer srv.Close()
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("test server at %s, want 127.0.0.1", srv.URL)
	}
	sum := md5.Sum(archive)
	tmp := t.TempDir()
	t.Setenv(cifar.EnvDir, "")
	t.Setenv("SHARED_DIR", filepath.Join(tmp, "no-shared"))
	t.Setenv(download.EnvURL, srv.URL+"/mirror/cifar-10-binary.tar.gz")
	t.Setenv(download.EnvMD5, hex.EncodeToString(sum[:]))
	t.Setenv("BASE_URL", "https://someone.github.io/resnet20-pruning")

	out, data := filepath.Join(tmp, "dist"), filepath.Join(tmp, "data")
	var stdout, stderr bytes.Buffer
	err := run([]string{"-out", out, "-download", data}, &stdout, &stderr)
	t.Logf("sitegen's log:\n%s\n%s", stderr.String(), stdout.String())
	if err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 1 {
		t.Fatalf("%d downloads, want 1", hits.Load())
	}
	if !strings.Contains(stderr.String(), "cifar: downloading cifar-10-binary.tar.gz") {
		t.Error("no download progress line")
	}
	if _, err := os.Stat(filepath.Join(data, download.ArchiveDir, "test_batch.bin")); err != nil {
		t.Errorf("the data set was not installed in -download: %v", err)
	}

	mb, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m site.Manifest
	if err := json.Unmarshal(mb, &m); err != nil {
		t.Fatal(err)
	}
	if m.BaseURL != "https://someone.github.io/resnet20-pruning/" {
		t.Errorf("baseURL %q", m.BaseURL)
	}
	for _, name := range []string{"app.wasm", "worker.wasm", "anim.wasm"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || !bytes.HasPrefix(b, []byte("\x00asm")) {
			t.Errorf("%s: not a wasm module (%v)", name, err)
		}
		if _, err := os.Stat(filepath.Join(out, name+".gz")); err != nil {
			t.Errorf("%s: no .gz copy", name)
		}
	}
	for _, name := range []string{"index.html", "wasm_exec.js", "boot.js", "worker.js", "compare.html"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if m.Test.Count != 1000 || !bytes.Equal(read(m.Test.File), test) {
		t.Errorf("test pack %+v: not the archive's first 1000 test records", m.Test)
	}
	if m.Train.Count != 512 || !bytes.Equal(read(m.Train.File), train) {
		t.Errorf("train pack %+v: not the archive's first 512 train records", m.Train)
	}
	if len(m.TestParts) != 2 || m.TestParts[0] != (site.Pack{File: "data/test-0.bin", Count: 200}) || m.TestParts[1] != (site.Pack{File: "data/test-1.bin", Count: 800}) {
		t.Fatalf("testParts %+v", m.TestParts)
	}
	if parts := append(read(m.TestParts[0].File), read(m.TestParts[1].File)...); !bytes.Equal(parts, test) {
		t.Error("testParts together are not the test pack")
	}
	for name, size := range map[string]int{m.Test.File: len(test), m.TestParts[0].File: 200 * cifar.RecordSize, "app.wasm": len(read("app.wasm"))} {
		if m.Sizes[name] != size {
			t.Errorf("sizes[%s] = %d, want %d", name, m.Sizes[name], size)
		}
	}

	// The baseline: the shipped weights on the shipped images, recomputed here on one thread.
	if m.Weights == "" || m.Baseline == nil {
		t.Fatalf("weights %q, baseline %v", m.Weights, m.Baseline)
	}
	net, err := demo.LoadNetFile(filepath.Join(out, m.Weights))
	if err != nil {
		t.Fatal(err)
	}
	e, err := resnet.Compile(net)
	if err != nil {
		t.Fatal(err)
	}
	set, err := cifar.ParseBytes(read(m.Test.File), "test.bin")
	if err != nil {
		t.Fatal(err)
	}
	want := eval.Run(e, set, 1, nil)
	if *m.Baseline != (site.Baseline{Correct: want.Correct, Total: 1000, Weights: m.Weights}) {
		t.Errorf("baseline %+v, want %d / 1000 with %s", *m.Baseline, want.Correct, m.Weights)
	}
	if !strings.Contains(stdout.String(), "| total |") {
		t.Error("no budget table in sitegen's output")
	}
	budget(t, out, &m)
}

// budget checks site.MaxCritical: the gzip sizes of the files the page needs before it is
// interactive (site.Critical), from the site just built with the repository's weights (none of
// them depends on the data set: the test images come after the first view).
func budget(t *testing.T, out string, m *site.Manifest) {
	t.Run("Budget", func(t *testing.T) {
		if m.Weights == "" {
			t.Fatal("the site ships no weights: the budget would leave out their megabyte")
		}
		for _, name := range site.Critical(m) {
			if strings.HasPrefix(name, "data/") || name == "worker.wasm" {
				t.Errorf("site.Critical holds %s, which the page loads after the first view", name)
			}
		}
		sizes, total, err := site.Sizes(out, site.Critical(m))
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		b.WriteString("| file | bytes | gzip |\n| --- | ---: | ---: |\n")
		for _, s := range sizes {
			fmt.Fprintf(&b, "| %s | %d | %d |\n", s.Name, s.Bytes, s.Gz)
		}
		fmt.Fprintf(&b, "| total | | %d |\n", total)
		t.Logf("before the page is interactive (site.Critical):\n%s", b.String())
		if total > site.MaxCritical {
			t.Errorf("the page needs %d gzip bytes before it is interactive, over the budget of %d (site.MaxCritical) by %d; "+
				"the table above says which files (web/README.md: Downloads)", total, site.MaxCritical, total-site.MaxCritical)
		}
	})
}
