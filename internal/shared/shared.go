// Package shared finds the read-only development data (../shared beside the repository, or the
// data/ folder that `make data` fills) for tests.
//
// Tests that need the CIFAR-10 folder or the public checkpoints call Path or CIFAR10: they skip the
// test when the data is missing, except under CI=true, where missing data is a failure, never a
// silent skip. Tests that find their data otherwise call Missing when it is absent. Every such skip
// is also appended to the file $RP_SKIPPED_FILE names (when set), one line per test, so that
// `make test` can end with one line naming the tests that ran without their data (Makefile).
package shared

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// SkippedFileEnv names the environment variable holding the file Missing appends its records to.
const SkippedFileEnv = "RP_SKIPPED_FILE"

// repoRoot is the repository's folder, from this file's path.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0) // <repo>/internal/shared/shared.go
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Dir returns the shared folder: $SHARED_DIR, else ../shared beside the repository root.
func Dir() string {
	if d := os.Getenv("SHARED_DIR"); d != "" {
		return d
	}
	return filepath.Join(repoRoot(), "..", "shared")
}

// CIFAR10Dir returns the CIFAR-10 folder in the order `make site` looks (download.Resolve):
// $CIFAR10_DIR if set; else Dir()/data/cifar-10-batches-bin if it holds test_batch.bin; else the
// repository's data/cifar-10-batches-bin (`make data`) if it does; else the shared one.
func CIFAR10Dir() string {
	if d := os.Getenv("CIFAR10_DIR"); d != "" {
		return d
	}
	shared := filepath.Join(Dir(), "data", "cifar-10-batches-bin")
	for _, d := range []string{shared, filepath.Join(repoRoot(), "data", "cifar-10-batches-bin")} {
		if _, err := os.Stat(filepath.Join(d, "test_batch.bin")); err == nil {
			return d
		}
	}
	return shared
}

// Path returns Dir()/rel, or skips t (fails it under CI=true) when that does not exist.
func Path(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(Dir(), rel)
	if _, err := os.Stat(p); err != nil {
		Missing(t, "the PyTorch checkpoint "+rel+" (set SHARED_DIR)", err)
	}
	return p
}

// CIFAR10 returns CIFAR10Dir(), or skips t (fails it under CI=true) when it does not exist.
func CIFAR10(t testing.TB) string {
	t.Helper()
	d := CIFAR10Dir()
	if _, err := os.Stat(d); err != nil {
		Missing(t, "CIFAR-10 (make data, or set CIFAR10_DIR)", err)
	}
	return d
}

// Missing ends t for want of data: what names the data (and how to get it), err says what was not
// found. Under CI=true it fails t; otherwise it records the skip in $RP_SKIPPED_FILE and skips t.
func Missing(t testing.TB, what string, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and required data is missing: %s: %v", what, err)
		return
	}
	record(t.Name(), what)
	t.Skipf("data not available: %s: %v", what, err)
}

// record appends "package-folder TestName<TAB>what" to $RP_SKIPPED_FILE (when set); the package
// folder is the test's working directory relative to the repository. Errors are ignored: the
// record only feeds make test's summary line.
func record(test, what string) {
	name := os.Getenv(SkippedFileEnv)
	if name == "" {
		return
	}
	pkg, err := os.Getwd()
	if err == nil {
		if rel, err := filepath.Rel(repoRoot(), pkg); err == nil {
			pkg = filepath.ToSlash(rel)
		}
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %s\t%s\n", pkg, test, what)
}
