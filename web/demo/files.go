package demo

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// ReadRecords returns the first n raw records (label byte + 3,072 pixel bytes each) of a CIFAR-10
// batch file, checked with cifar.ParseBytes: the sample pack's format.
func ReadRecords(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, n*cifar.RecordSize)
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, fmt.Errorf("%s: want %d records: %w", path, n, err)
	}
	if _, err := cifar.ParseBytes(b, filepath.Base(path)); err != nil {
		return nil, err
	}
	return b, nil
}

// LoadNetFile reads a safetensors file into a Net (the site builder checks the weights it ships).
func LoadNetFile(path string) (*resnet.Net, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return LoadNet(b)
}

// DefaultWeights is the project's trained model, relative to the repository root (and to the site).
const DefaultWeights = "weights/resnet20.safetensors"
