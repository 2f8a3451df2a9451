package download

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
)

// member is one entry of a fake archive.
type member struct {
	name     string
	body     []byte
	typeflag byte // tar.TypeReg when zero
	linkname string
}

// fakeFiles returns small but well-formed stand-ins for the archive's files: each batch file
// holds 2 records whose labels encode the file.
func fakeFiles() map[string][]byte {
	m := map[string][]byte{
		"batches.meta.txt": []byte(strings.Join(cifar.ClassNames[:], "\n") + "\n"),
		"readme.html":      []byte("<html>fake</html>"),
	}
	for k, name := range append(cifar.Train.Files(), cifar.Test.Files()...) {
		m[name] = records(2, byte(k))
	}
	return m
}

// fakeMembers lists the fake files under cifar-10-batches-bin/, in a stable order, after a
// directory entry, as the official archive does.
func fakeMembers(files map[string][]byte) []member {
	ms := []member{{name: ArchiveDir + "/", typeflag: tar.TypeDir}}
	var names []string
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ms = append(ms, member{name: ArchiveDir + "/" + name, body: files[name]})
	}
	return ms
}

// targz builds a gzip-compressed tar archive of ms.
func targz(t *testing.T, ms []member) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, m := range ms {
		hdr := &tar.Header{Name: m.name, Mode: 0o644, Typeflag: m.typeflag, Linkname: m.linkname}
		if hdr.Typeflag == 0 {
			hdr.Typeflag = tar.TypeReg
		}
		if hdr.Typeflag == tar.TypeReg {
			hdr.Size = int64(len(m.body))
		}
		if hdr.Typeflag == tar.TypeDir {
			hdr.Mode = 0o755
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if hdr.Typeflag == tar.TypeReg {
			if _, err := tw.Write(m.body); err != nil {
				t.Fatal(err)
			}
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

func md5hex(b []byte) string {
	h := md5.Sum(b)
	return hex.EncodeToString(h[:])
}

// serve starts a local server answering every request with status and body, points
// downloadURL and downloadMD5 at it, and counts the requests in hits.
func serve(t *testing.T, status int, body []byte, sum string, hits *atomic.Int32) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if !strings.HasSuffix(r.URL.Path, "/cifar-10-binary.tar.gz") {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("test server at %s, want 127.0.0.1", srv.URL)
	}
	t.Setenv(EnvURL, "") // the package defaults below, not the caller's overrides
	t.Setenv(EnvMD5, "")
	oldURL, oldMD5, oldClient := downloadURL, downloadMD5, httpClient
	downloadURL, downloadMD5, httpClient = srv.URL+"/~kriz/cifar-10-binary.tar.gz", sum, srv.Client()
	t.Cleanup(func() { downloadURL, downloadMD5, httpClient = oldURL, oldMD5, oldClient })
}

// listDir returns the names in dir, sorted.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestCIFAR10(t *testing.T) {
	files := fakeFiles()
	good := targz(t, fakeMembers(files))
	with := func(extra ...member) []member { return append(fakeMembers(files), extra...) }
	without := func(name string) []member {
		f := fakeFiles()
		delete(f, name)
		return fakeMembers(f)
	}
	tests := []struct {
		name     string
		archive  []byte
		sum      string // "" means the archive's own MD5
		status   int    // 0 means 200
		existing bool   // an older, partial cifar-10-batches-bin is already there
		cancel   bool
		wantErr  []string
	}{
		{name: "ok", archive: good},
		{name: "ok with extra members skipped", archive: targz(t, with(
			member{name: ArchiveDir + "/extra.txt", body: []byte("x")},
			member{name: "other/data_batch_1.bin", body: []byte("y")},
			member{name: "./" + ArchiveDir + "/notes/readme.html", body: []byte("z")},
		))},
		{name: "replaces an older folder", archive: good, existing: true},
		{name: "upper-case checksum", archive: good, sum: strings.ToUpper(md5hex(good))},
		{name: "checksum mismatch", archive: good, sum: "00000000000000000000000000000000", wantErr: []string{"MD5 checksum mismatch", md5hex(good)}},
		{name: "checksum mismatch keeps the old folder", archive: good, sum: "0123", existing: true, wantErr: []string{"MD5 checksum mismatch"}},
		{name: "corrupt gzip", archive: []byte("not a gzip stream"), wantErr: []string{"extract", "gzip"}},
		{name: "parent traversal", archive: targz(t, with(member{name: "../data_batch_1.bin", body: []byte("evil")})), wantErr: []string{"unsafe", ".."}},
		{name: "nested traversal", archive: targz(t, with(member{name: ArchiveDir + "/../../evil.bin", body: []byte("evil")})), wantErr: []string{"unsafe", ".."}},
		{name: "absolute path", archive: targz(t, with(member{name: "/tmp/" + ArchiveDir + "/data_batch_1.bin", body: []byte("evil")})), wantErr: []string{"unsafe absolute path"}},
		{name: "symlink", archive: targz(t, append(without("test_batch.bin"),
			member{name: ArchiveDir + "/test_batch.bin", typeflag: tar.TypeSymlink, linkname: "/etc/passwd"})), wantErr: []string{"not a regular file"}},
		{name: "duplicate", archive: targz(t, with(member{name: ArchiveDir + "/test_batch.bin", body: records(1, 0)})), wantErr: []string{"appears twice"}},
		{name: "missing file", archive: targz(t, without("test_batch.bin")), wantErr: []string{"lacks", "test_batch.bin"}},
		{name: "truncated batch file", archive: targz(t, append(without("data_batch_3.bin"),
			member{name: ArchiveDir + "/data_batch_3.bin", body: records(1, 0)[:100]})), wantErr: []string{"data_batch_3.bin", "not a positive multiple of 3073"}},
		{name: "http 404", archive: good, status: http.StatusNotFound, wantErr: []string{"HTTP status 404"}},
		{name: "canceled", archive: good, cancel: true, wantErr: []string{"context canceled"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, status := tt.sum, tt.status
			if sum == "" {
				sum = md5hex(tt.archive)
			}
			if status == 0 {
				status = http.StatusOK
			}
			var hits atomic.Int32
			serve(t, status, tt.archive, sum, &hits)
			parent := t.TempDir()
			dest := filepath.Join(parent, "data") // created by CIFAR10
			final := filepath.Join(dest, ArchiveDir)
			if tt.existing {
				if err := os.MkdirAll(final, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(final, "old.txt"), []byte("old"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				cancel()
			}
			var progress bytes.Buffer
			err := CIFAR10(ctx, dest, &progress)

			if tt.wantErr != nil {
				if err == nil {
					t.Fatal("CIFAR10 succeeded, want an error")
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not contain %q", err, w)
					}
				}
				// Nothing but the previous folder (if any) is left behind, and nothing escaped.
				want := []string(nil)
				if tt.existing {
					want = []string{ArchiveDir}
					if got := listDir(t, final); len(got) != 1 || got[0] != "old.txt" {
						t.Errorf("previous folder now holds %v, want it untouched", got)
					}
				}
				if _, err := os.Stat(dest); err == nil {
					if got := listDir(t, dest); strings.Join(got, ",") != strings.Join(want, ",") {
						t.Errorf("%s holds %v after a failed download, want %v", dest, got, want)
					}
				}
				if got := listDir(t, parent); len(got) > 1 || (len(got) == 1 && got[0] != "data") {
					t.Errorf("%s holds %v, want only data/", parent, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("CIFAR10: %v", err)
			}
			if hits.Load() != 1 {
				t.Errorf("%d requests, want 1", hits.Load())
			}
			if got := listDir(t, dest); len(got) != 1 || got[0] != ArchiveDir {
				t.Errorf("%s holds %v, want only %s (temporary files left behind?)", dest, got, ArchiveDir)
			}
			got := listDir(t, final)
			if len(got) != len(files) {
				t.Errorf("%s holds %v, want the %d expected files", final, got, len(files))
			}
			for name, body := range files {
				b, err := os.ReadFile(filepath.Join(final, name))
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				if !bytes.Equal(b, body) {
					t.Errorf("%s: extracted content differs", name)
				}
			}
			s, err := cifar.ParseBytes(files["test_batch.bin"], "test_batch.bin")
			if err != nil || s.Len() != 2 {
				t.Errorf("extracted test_batch.bin does not parse: %v", err)
			}
			if !strings.Contains(progress.String(), "downloading cifar-10-binary.tar.gz") || !strings.Contains(progress.String(), "ready") {
				t.Errorf("progress output %q lacks the download and ready lines", progress.String())
			}
		})
	}
}

func TestCIFAR10AlreadyPresent(t *testing.T) {
	var hits atomic.Int32
	serve(t, http.StatusOK, nil, "", &hits)
	dest := t.TempDir()
	final := filepath.Join(dest, ArchiveDir)
	if err := os.Mkdir(final, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range append(cifar.Train.Files(), cifar.Test.Files()...) {
		// A sparse file of zeros is a full batch of valid records (label 0, black image).
		f, err := os.Create(filepath.Join(final, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(cifar.RecordsPerFile * cifar.RecordSize); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(final, "batches.meta.txt"), []byte("airplane\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	if err := CIFAR10(context.Background(), dest, &progress); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 0 {
		t.Errorf("%d requests, want none for a complete folder", hits.Load())
	}
	if !strings.Contains(progress.String(), "already holds") {
		t.Errorf("progress %q", progress.String())
	}
	if _, err := cifar.Open(final, cifar.Test); err != nil {
		t.Errorf("Open after CIFAR10: %v", err)
	}
}

func TestMemberName(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{in: ArchiveDir + "/test_batch.bin", want: "test_batch.bin"},
		{in: "./" + ArchiveDir + "/data_batch_2.bin", want: "data_batch_2.bin"},
		{in: ArchiveDir + "//batches.meta.txt", want: "batches.meta.txt"},
		{in: ArchiveDir + "/", want: ""},
		{in: ArchiveDir + "/other.bin", want: ""},
		{in: "test_batch.bin", want: ""},
		{in: "x/" + ArchiveDir + "/test_batch.bin", want: ""},
		{in: "", want: ""},
		{in: "../test_batch.bin", wantErr: true},
		{in: ArchiveDir + "/../" + ArchiveDir + "/test_batch.bin", wantErr: true},
		{in: ArchiveDir + "/..", wantErr: true},
		{in: "/" + ArchiveDir + "/test_batch.bin", wantErr: true},
		{in: ArchiveDir + "\\..\\evil", wantErr: true},
		{in: "C:\\evil", wantErr: true},
	}
	for _, tt := range tests {
		got, err := memberName(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("memberName(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// records returns n valid records with the given label and varying pixels.
func records(n int, label byte) []byte {
	b := make([]byte, 0, n*cifar.RecordSize)
	for k := range n {
		b = append(b, label)
		for j := range cifar.RecordSize - 1 {
			b = append(b, byte(k+j))
		}
	}
	return b
}

func TestSource(t *testing.T) {
	t.Setenv(EnvURL, "")
	t.Setenv(EnvMD5, "")
	u, sum, err := Source()
	if err != nil || u != ArchiveURL || sum != ArchiveMD5 {
		t.Fatalf("defaults: %q %q %v, want the official archive", u, sum, err)
	}
	t.Setenv(EnvURL, "http://127.0.0.1:1/mirror/c.tar.gz")
	t.Setenv(EnvMD5, "0123456789abcdef0123456789ABCDEF")
	if u, sum, err := Source(); err != nil || u != "http://127.0.0.1:1/mirror/c.tar.gz" || sum != "0123456789abcdef0123456789ABCDEF" {
		t.Fatalf("overrides: %q %q %v", u, sum, err)
	}
	for _, bad := range [][2]string{{"ftp://host/x", ""}, {"/local/file.tar.gz", ""}, {"http://", ""}, {"", "0123"}, {"", "zz23456789abcdef0123456789abcdef"}} {
		t.Setenv(EnvURL, bad[0])
		t.Setenv(EnvMD5, bad[1])
		if _, _, err := Source(); err == nil {
			t.Errorf("Source with %s=%q %s=%q: no error", EnvURL, bad[0], EnvMD5, bad[1])
		}
	}
}

// TestResolve checks the order Resolve looks in, and that it downloads from $CIFAR10_URL (checked
// against $CIFAR10_MD5) when no folder holds the data.
func TestResolve(t *testing.T) {
	archive := targz(t, fakeMembers(fakeFiles()))
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write(archive)
	}))
	t.Cleanup(srv.Close)
	tmp := t.TempDir()
	shared, data := filepath.Join(tmp, "shared"), filepath.Join(tmp, "data")
	t.Setenv(cifar.EnvDir, "")
	t.Setenv(EnvURL, srv.URL+"/c.tar.gz")
	t.Setenv(EnvMD5, md5hex(archive))
	ctx := context.Background()

	// Nothing anywhere: download into data.
	var log strings.Builder
	dir, err := Resolve(ctx, shared, data, &log)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(data, ArchiveDir); dir != want || hits.Load() != 1 {
		t.Fatalf("Resolve = %s after %d downloads, want %s after 1", dir, hits.Load(), want)
	}
	if !strings.Contains(log.String(), "downloading") {
		t.Errorf("no progress line in %q", log.String())
	}
	// data/ now holds it: no second download.
	if dir, err := Resolve(ctx, shared, data, nil); err != nil || dir != filepath.Join(data, ArchiveDir) || hits.Load() != 1 {
		t.Fatalf("second Resolve = %s, %v after %d downloads", dir, err, hits.Load())
	}
	// The shared folder comes before data/.
	sharedData := filepath.Join(shared, "data", ArchiveDir)
	if err := os.MkdirAll(sharedData, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sharedData, "test_batch.bin"), records(2, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	if dir, err := Resolve(ctx, shared, data, nil); err != nil || dir != sharedData {
		t.Fatalf("Resolve = %s, %v, want the shared folder %s", dir, err, sharedData)
	}
	// $CIFAR10_DIR comes first, and a wrong one is an error, not a fall-back.
	t.Setenv(cifar.EnvDir, filepath.Join(data, ArchiveDir))
	if dir, err := Resolve(ctx, shared, data, nil); err != nil || dir != filepath.Join(data, ArchiveDir) {
		t.Fatalf("Resolve with $%s = %s, %v", cifar.EnvDir, dir, err)
	}
	t.Setenv(cifar.EnvDir, filepath.Join(tmp, "missing"))
	if _, err := Resolve(ctx, shared, data, nil); err == nil || !strings.Contains(err.Error(), cifar.EnvDir) {
		t.Fatalf("Resolve with a missing $%s: %v", cifar.EnvDir, err)
	}
	// A wrong checksum installs nothing.
	t.Setenv(cifar.EnvDir, "")
	t.Setenv(EnvMD5, "00000000000000000000000000000000")
	if _, err := Resolve(ctx, "", filepath.Join(tmp, "other"), nil); err == nil || !strings.Contains(err.Error(), "MD5 checksum mismatch") {
		t.Fatalf("Resolve with a wrong $%s: %v", EnvMD5, err)
	}
}

// TestPagesWorkflowKey checks that the Pages workflow caches the data set under the archive's MD5.
func TestPagesWorkflowKey(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", ".github", "workflows", "pages.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "key: cifar-10-binary-" + ArchiveMD5 + "\n"; !strings.Contains(string(b), want) {
		t.Errorf("pages.yml lacks %q", want)
	}
}
