package heal

import (
	"fmt"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
)

// The training pack is the live fine-tuning's opt-in download: raw CIFAR-10 binary records (one
// label byte, then the 3,072 bytes of a 32×32 image, planar R, G, B), the same format as the
// site's calibration pack, so cifar.ParseBytes reads it. It holds the PackImages train images
// that follow the calibration pack in data_batch_1.bin (records Train … Train+PackImages−1 of the
// site's Options.Train), so that the fine-tuning sees both packs' images (Concat) without
// repeating one. Nothing of it is committed: the site builder cuts it from the CIFAR-10 folder.
const (
	// PackBytes is the most the training pack may weigh (the issue: "at most 3 MB").
	PackBytes = 3_000_000
	// PackImages is how many records fit in PackBytes: 976 (2,999,248 bytes).
	PackImages = PackBytes / cifar.RecordSize
)

// ParsePack reads a training pack: whole CIFAR-10 records, at least one, at most PackBytes.
func ParsePack(b []byte) (*cifar.Set, error) {
	if len(b) > PackBytes {
		return nil, fmt.Errorf("heal: training pack of %d bytes, more than %d", len(b), PackBytes)
	}
	return cifar.ParseBytes(b, "training pack")
}

// Concat returns one set holding the images of sets in order (copied; nil sets are skipped).
func Concat(sets ...*cifar.Set) *cifar.Set {
	out := &cifar.Set{}
	for _, s := range sets {
		if s != nil {
			out.Labels = append(out.Labels, s.Labels...)
			out.Pixels = append(out.Pixels, s.Pixels...)
		}
	}
	return out
}
