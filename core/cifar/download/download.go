// Package download fetches the official CIFAR-10 binary archive, checks its MD5 checksum and
// installs its batch files, and finds the data set for the programs run from the repository root
// (Resolve: `make site`, `make serve`). It is apart from package cifar so that programs that only
// read the files (the browser's WebAssembly) do not carry an HTTP client.
//
// $CIFAR10_URL and $CIFAR10_MD5 override the archive's address and checksum (a mirror, or the
// small archive of an offline test).
package download

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
)

// The official CIFAR-10 binary archive and its published MD5 checksum.
const (
	// ArchiveURL is where CIFAR10 fetches the data set from.
	ArchiveURL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
	// ArchiveMD5 is the published MD5 checksum of the archive at ArchiveURL.
	ArchiveMD5 = "c32a1d4ab5d03f1284b67883e8d87530"
	// ArchiveDir is the folder the archive unpacks to, and that CIFAR10 creates in its
	// destination.
	ArchiveDir = "cifar-10-batches-bin"
	// EnvURL names the environment variable that overrides ArchiveURL.
	EnvURL = "CIFAR10_URL"
	// EnvMD5 names the environment variable that overrides ArchiveMD5.
	EnvMD5 = "CIFAR10_MD5"
)

// The defaults of Source, overridable in tests, so that they never reach the real server.
var (
	downloadURL = ArchiveURL
	downloadMD5 = ArchiveMD5
	httpClient  = http.DefaultClient
)

// maxEntrySize bounds the size of one extracted file (the official ones are 30,730,000 bytes).
const maxEntrySize = 64 << 20

// archiveFiles are the only archive members CIFAR10 extracts (inside ArchiveDir), and
// whether each one is required.
var archiveFiles = map[string]bool{
	"data_batch_1.bin": true,
	"data_batch_2.bin": true,
	"data_batch_3.bin": true,
	"data_batch_4.bin": true,
	"data_batch_5.bin": true,
	"test_batch.bin":   true,
	"batches.meta.txt": true,
	"readme.html":      false,
}

// Source returns the archive's address and MD5 checksum: $CIFAR10_URL and $CIFAR10_MD5 where set,
// else ArchiveURL and ArchiveMD5. A URL that is not http(s) or a checksum that is not 32 hex
// digits is an error.
func Source() (archiveURL, md5sum string, err error) {
	archiveURL, md5sum = downloadURL, downloadMD5
	if v := os.Getenv(EnvURL); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", "", fmt.Errorf("cifar: $%s=%q is not an http(s) URL", EnvURL, v)
		}
		archiveURL = v
	}
	if v := os.Getenv(EnvMD5); v != "" {
		if b, err := hex.DecodeString(v); err != nil || len(b) != md5.Size {
			return "", "", fmt.Errorf("cifar: $%s=%q is not an MD5 checksum (32 hex digits)", EnvMD5, v)
		}
		md5sum = v
	}
	return archiveURL, md5sum, nil
}

// Resolve finds the CIFAR-10 folder for a program run from the repository root, downloading the
// data set when there is none: $CIFAR10_DIR if set (an error if it lacks the files); else
// sharedDir/data/cifar-10-batches-bin if it holds them (sharedDir may be ""); else
// dataDir/cifar-10-batches-bin if it does; else CIFAR10 downloads the archive (Source) into
// dataDir. Progress lines (which folder, the download's progress) go to progress, which may be
// nil.
func Resolve(ctx context.Context, sharedDir, dataDir string, progress io.Writer) (string, error) {
	if progress == nil {
		progress = io.Discard
	}
	if os.Getenv(cifar.EnvDir) != "" {
		return cifar.Dir("")
	}
	var candidates []string
	if sharedDir != "" {
		candidates = append(candidates, filepath.Join(sharedDir, "data", ArchiveDir))
	}
	local := filepath.Join(dataDir, ArchiveDir)
	for _, dir := range append(candidates, local) {
		if d, err := cifar.Dir(dir); err == nil {
			fmt.Fprintf(progress, "cifar: using %s\n", d)
			return d, nil
		}
	}
	fmt.Fprintf(progress, "cifar: no CIFAR-10 folder (%s unset; none in %s): downloading it\n", cifar.EnvDir, strings.Join(append(candidates, local), ", "))
	if err := CIFAR10(ctx, dataDir, progress); err != nil {
		return "", err
	}
	return cifar.Dir(local)
}

// CIFAR10 fetches the CIFAR-10 binary archive (Source: ArchiveURL unless overridden) and installs its batch
// files into destDir/cifar-10-batches-bin. The archive is streamed to a temporary file in
// destDir while its MD5 is computed; on a checksum mismatch the temporary file is deleted and
// nothing is installed. Only the expected file names are extracted: a member with an absolute
// path or a ".." component makes CIFAR10 refuse the whole archive. The files are unpacked
// into a temporary folder first and renamed into place, so destDir/cifar-10-batches-bin is
// either left as it was or replaced whole. If that folder already holds all batch files at
// their full size, CIFAR10 does nothing. Progress lines go to progress, which may be nil.
func CIFAR10(ctx context.Context, destDir string, progress io.Writer) error {
	if progress == nil {
		progress = io.Discard
	}
	final := filepath.Join(destDir, ArchiveDir)
	if complete(final) {
		fmt.Fprintf(progress, "cifar: %s already holds the data set\n", final)
		return nil
	}
	if err := os.MkdirAll(destDir, 0o755); err != nil {
		return fmt.Errorf("cifar: download: %w", err)
	}

	tmp, err := os.CreateTemp(destDir, ".cifar-10-binary-*.tar.gz.part")
	if err != nil {
		return fmt.Errorf("cifar: download: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	if err := fetch(ctx, tmp, progress); err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("cifar: download: %w", err)
	}

	staging, err := os.MkdirTemp(destDir, "."+ArchiveDir+"-*.tmp")
	if err != nil {
		return fmt.Errorf("cifar: download: %w", err)
	}
	defer os.RemoveAll(staging) // a no-op once renamed into place
	fmt.Fprintf(progress, "cifar: extracting into %s\n", final)
	if err := extract(ctx, tmp, staging); err != nil {
		return err
	}
	if err := install(staging, final); err != nil {
		return err
	}
	fmt.Fprintf(progress, "cifar: CIFAR-10 is ready in %s\n", final)
	return nil
}

// fetch downloads the archive (Source) into w, checking its MD5 checksum.
func fetch(ctx context.Context, w io.Writer, progress io.Writer) error {
	src, sum, err := Source()
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return fmt.Errorf("cifar: download: %w", err)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return fmt.Errorf("cifar: download %s: %w", src, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("cifar: download %s: HTTP status %s", src, resp.Status)
	}
	h := md5.New()
	pw := &progressWriter{out: progress, total: resp.ContentLength, name: path.Base(src)}
	n, err := io.Copy(io.MultiWriter(w, h, pw), resp.Body)
	pw.finish()
	if err != nil {
		return fmt.Errorf("cifar: download %s: after %d bytes: %w", src, n, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); !strings.EqualFold(got, sum) {
		return fmt.Errorf("cifar: download %s: MD5 checksum mismatch: got %s, want %s (%d bytes); refusing the archive", src, got, sum, n)
	}
	return nil
}

// memberName checks an archive member name and returns the expected file name it stands
// for, or "" for a member to skip. Unsafe names (absolute, "..", backslashes) are errors.
func memberName(name string) (string, error) {
	if name == "" {
		return "", nil
	}
	if strings.HasPrefix(name, "/") || strings.ContainsRune(name, '\\') || filepath.IsAbs(name) || filepath.VolumeName(name) != "" {
		return "", fmt.Errorf("unsafe absolute path %q", name)
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "", fmt.Errorf("unsafe path %q (contains ..)", name)
		}
	}
	clean := path.Clean(name)
	dir, base := path.Split(clean)
	if dir != ArchiveDir+"/" {
		return "", nil
	}
	if _, ok := archiveFiles[base]; !ok {
		return "", nil
	}
	return base, nil
}

// extract unpacks the expected members of the gzip-compressed tar stream r into dir.
func extract(ctx context.Context, r io.Reader, dir string) error {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("cifar: extract: %w", err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	seen := map[string]bool{}
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("cifar: extract: %w", err)
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("cifar: extract: %w", err)
		}
		base, err := memberName(hdr.Name)
		if err != nil {
			return fmt.Errorf("cifar: extract: refusing archive: %w", err)
		}
		if base == "" {
			continue
		}
		if hdr.Typeflag != tar.TypeReg {
			return fmt.Errorf("cifar: extract: refusing archive: %s is not a regular file", hdr.Name)
		}
		if seen[base] {
			return fmt.Errorf("cifar: extract: refusing archive: %s appears twice", hdr.Name)
		}
		seen[base] = true
		if hdr.Size < 0 || hdr.Size > maxEntrySize {
			return fmt.Errorf("cifar: extract: refusing archive: %s has size %d (limit %d)", hdr.Name, hdr.Size, maxEntrySize)
		}
		if err := writeFile(filepath.Join(dir, base), tr, hdr.Size); err != nil {
			return fmt.Errorf("cifar: extract %s: %w", hdr.Name, err)
		}
	}
	for name, required := range archiveFiles {
		if required && !seen[name] {
			return fmt.Errorf("cifar: extract: archive lacks %s/%s", ArchiveDir, name)
		}
	}
	for _, name := range append(cifar.Train.Files(), cifar.Test.Files()...) {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("cifar: extract: %w", err)
		}
		if fi.Size() == 0 || fi.Size()%cifar.RecordSize != 0 {
			return fmt.Errorf("cifar: extract: %s/%s has size %d, not a positive multiple of %d", ArchiveDir, name, fi.Size(), cifar.RecordSize)
		}
	}
	return nil
}

// writeFile creates path with exactly size bytes read from r.
func writeFile(path string, r io.Reader, size int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	n, err := io.CopyN(f, r, size)
	if err != nil {
		f.Close()
		return fmt.Errorf("wrote %d of %d bytes: %w", n, size, err)
	}
	return f.Close()
}

// install renames the staging folder to final, replacing whatever final was.
func install(staging, final string) error {
	if _, err := os.Lstat(final); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(staging, final); err != nil {
			return fmt.Errorf("cifar: install: %w", err)
		}
		return nil
	}
	old := staging + ".old"
	if err := os.Rename(final, old); err != nil {
		return fmt.Errorf("cifar: install: moving the previous %s aside: %w", final, err)
	}
	if err := os.Rename(staging, final); err != nil {
		if rerr := os.Rename(old, final); rerr != nil {
			return fmt.Errorf("cifar: install: %w (and restoring the previous folder from %s failed: %v)", err, old, rerr)
		}
		return fmt.Errorf("cifar: install: %w", err)
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("cifar: install: removing the previous folder %s: %w", old, err)
	}
	return nil
}

// complete reports whether dir holds every batch file at its full official size.
func complete(dir string) bool {
	for _, name := range append(cifar.Train.Files(), cifar.Test.Files()...) {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || !fi.Mode().IsRegular() || fi.Size() != cifar.RecordsPerFile*cifar.RecordSize {
			return false
		}
	}
	fi, err := os.Stat(filepath.Join(dir, "batches.meta.txt"))
	return err == nil && fi.Mode().IsRegular()
}

// progressWriter prints download progress about every 5% (or every 8 MiB when the size is
// unknown) and at most twice a second.
type progressWriter struct {
	out        io.Writer
	name       string
	total, n   int64
	lastN      int64
	lastT      time.Time
	printedAny bool
}

func (p *progressWriter) Write(b []byte) (int, error) {
	p.n += int64(len(b))
	step := int64(8 << 20)
	if p.total > 0 {
		step = p.total / 20
	}
	if p.n-p.lastN >= step && time.Since(p.lastT) >= 500*time.Millisecond {
		p.print()
	}
	return len(b), nil
}

func (p *progressWriter) print() {
	p.lastN, p.lastT, p.printedAny = p.n, time.Now(), true
	if p.total > 0 {
		fmt.Fprintf(p.out, "cifar: downloading %s: %.1f / %.1f MB (%d%%)\n", p.name, float64(p.n)/1e6, float64(p.total)/1e6, p.n*100/p.total)
	} else {
		fmt.Fprintf(p.out, "cifar: downloading %s: %.1f MB\n", p.name, float64(p.n)/1e6)
	}
}

func (p *progressWriter) finish() {
	if p.n != p.lastN || !p.printedAny {
		p.print()
	}
}
