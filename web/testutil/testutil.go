// Package testutil finds what the browser demo's tests need: the repository root and weights.
package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// DefaultWeights is the project's trained model, relative to the repository root.
const DefaultWeights = "weights/resnet20.safetensors"

// Weights returns safetensors bytes for tests: the project's weights when present, else
// the study checkpoint from $SHARED_DIR (default ../shared) imported with the CLI into a temp
// folder. $WEIGHTS, when set, names the file to use instead (the wasm benchmarks under Node cannot
// run the import). It skips the test when none exists.
func Weights(t testing.TB) []byte {
	t.Helper()
	if p := os.Getenv("WEIGHTS"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	root := RepoRoot(t)
	if b, err := os.ReadFile(filepath.Join(root, DefaultWeights)); err == nil {
		return b
	}
	shared := os.Getenv("SHARED_DIR")
	if shared == "" {
		shared = filepath.Join(root, "..", "shared")
	}
	pth := filepath.Join(shared, "weights", "study-resnet20-model.pth")
	if _, err := os.Stat(pth); err != nil {
		t.Skip("no weights: neither", DefaultWeights, "nor", pth)
	}
	out := filepath.Join(t.TempDir(), "study.safetensors")
	cmd := exec.Command("go", "run", "./cmd/resnetprune", "import", "--from", pth, "--out", out)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// RepoRoot returns the repository root (the folder holding go.mod) above the working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}
