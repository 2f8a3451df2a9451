package cifar

import (
	"fmt"
	"os"
	"path/filepath"
)

// EnvDir is the environment variable Dir reads when no flag value is given.
const EnvDir = "CIFAR10_DIR"

// DefaultDir is the folder, relative to the working directory, that Dir falls back to and
// that `make data` downloads into.
var DefaultDir = filepath.Join("data", "cifar-10-batches-bin")

// Dir resolves the folder holding the CIFAR-10 batch files: flag if it is not empty, else the
// CIFAR10_DIR environment variable if set, else DefaultDir relative to the working directory.
// It checks that the folder holds test_batch.bin; if not, it returns the folder it tried with
// an error that says where the path came from and how to get the data (`make data`, or
// CIFAR10_DIR pointing at an existing copy).
func Dir(flag string) (string, error) {
	dir, from := flag, "the -data flag"
	if dir == "" {
		if env := os.Getenv(EnvDir); env != "" {
			dir, from = env, "$"+EnvDir
		} else {
			dir, from = DefaultDir, "the default location"
		}
	}
	probe := filepath.Join(dir, Test.Files()[0])
	if fi, err := os.Stat(probe); err != nil || !fi.Mode().IsRegular() {
		return dir, fmt.Errorf("cifar: no CIFAR-10 data in %s (from %s): %s not found; "+
			"run `make data` to download the data set into %s, or set %s to a folder holding the cifar-10-batches-bin files",
			dir, from, probe, DefaultDir, EnvDir)
	}
	return dir, nil
}
