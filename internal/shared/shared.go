// Package shared finds the read-only development data (../shared beside the repository) for tests.
//
// Tests that need the CIFAR-10 folder or the public checkpoints call Path: it skips the test when
// the file is missing, except under CI=true, where missing data is a failure, never a silent skip.
package shared

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Dir returns the shared folder: $SHARED_DIR, else ../shared beside the repository root.
func Dir() string {
	if d := os.Getenv("SHARED_DIR"); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0) // <repo>/internal/shared/shared.go
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "shared")
}

// CIFAR10Dir returns $CIFAR10_DIR, else Dir()/data/cifar-10-batches-bin.
func CIFAR10Dir() string {
	if d := os.Getenv("CIFAR10_DIR"); d != "" {
		return d
	}
	return filepath.Join(Dir(), "data", "cifar-10-batches-bin")
}

// Path returns Dir()/rel, or skips t (fails it under CI=true) when that does not exist.
func Path(t testing.TB, rel string) string {
	t.Helper()
	return need(t, filepath.Join(Dir(), rel))
}

// CIFAR10 returns CIFAR10Dir(), or skips t (fails it under CI=true) when it does not exist.
func CIFAR10(t testing.TB) string {
	t.Helper()
	return need(t, CIFAR10Dir())
}

func need(t testing.TB, p string) string {
	t.Helper()
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and required data is missing: %v", err)
		}
		t.Skipf("data not available (%v); set SHARED_DIR / CIFAR10_DIR", err)
	}
	return p
}
