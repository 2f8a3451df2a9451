package train

import (
	"math/rand/v2"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
)

// Pad is the zero padding of the random crop, in pixels.
const Pad = 4

// Aug is one image's random augmentation: a 32×32 crop at offset (DY, DX) ∈ [0, 2·Pad]² of the
// image padded by Pad black pixels on every side, then a horizontal flip when Flip is set
// (torchvision's RandomCrop(32, padding=4) then RandomHorizontalFlip()).
type Aug struct {
	DY, DX int
	Flip   bool
}

// Identity is the augmentation that leaves an image unchanged.
var Identity = Aug{DY: Pad, DX: Pad}

// DrawAug draws an augmentation from rng: crop row, crop column, then the flip.
func DrawAug(rng *rand.Rand) Aug {
	dy := rng.IntN(2*Pad + 1)
	dx := rng.IntN(2*Pad + 1)
	return Aug{DY: dy, DX: dx, Flip: rng.IntN(2) == 1}
}

// Normalizer turns raw CIFAR-10 bytes into normalised floats exactly as cifar.Set.Normalize does:
// (float32(v)/255 − Mean[c]) / Std[c] in float32.
type Normalizer struct {
	lut [cifar.Channels][256]float32
}

// NewNormalizer returns a Normalizer for cifar.Mean and cifar.Std.
func NewNormalizer() *Normalizer {
	nz := &Normalizer{}
	for c := range cifar.Channels {
		for v := range 256 {
			nz.lut[c][v] = (float32(v)/float32(255) - cifar.Mean[c]) / cifar.Std[c]
		}
	}
	return nz
}

// Apply writes image img (cifar.ImageSize raw planar bytes) augmented by a into dst
// (cifar.ImageSize floats, CHW). Padding pixels are black (byte 0) before normalisation, as
// torchvision pads the PIL image.
func (nz *Normalizer) Apply(dst []float32, img []uint8, a Aug) {
	const H, W = cifar.Height, cifar.Width
	for c := range cifar.Channels {
		lut := &nz.lut[c]
		zero := lut[0]
		plane := img[c*cifar.PlaneSize : (c+1)*cifar.PlaneSize]
		out := dst[c*cifar.PlaneSize : (c+1)*cifar.PlaneSize]
		for y := range H {
			sy := y + a.DY - Pad
			row := out[y*W : (y+1)*W]
			if sy < 0 || sy >= H {
				for x := range row {
					row[x] = zero
				}
				continue
			}
			src := plane[sy*W : (sy+1)*W]
			for x := range W {
				ox := x
				if a.Flip {
					ox = W - 1 - x
				}
				sx := ox + a.DX - Pad
				if sx < 0 || sx >= W {
					row[x] = zero
				} else {
					row[x] = lut[src[sx]]
				}
			}
		}
	}
}
