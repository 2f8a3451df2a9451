package viz

import (
	"encoding/base64"
	"image"
	"image/color"
	"math"
)

// gapColor separates the kernels of a filter in its heatmap.
var gapColor = color.RGBA{200, 200, 200, 255}

// FilterLayout returns how a filter's cin kernels are tiled: cols × rows kernels.
func FilterLayout(cin int) (cols, rows int) {
	cols = int(math.Ceil(math.Sqrt(float64(cin))))
	rows = (cin + cols - 1) / cols
	return cols, rows
}

// FilterImage draws one filter (cin×k×k weights, PyTorch layout) as its kernels tiled with a
// one-pixel gap, each weight one pixel coloured by Diverging(w/scale). With rgb (the stem, cin = 3)
// the three input kernels become one k×k colour image instead: pixel = ½ + ½·(wR, wG, wB)/scale.
func FilterImage(w []float32, cin, k int, scale float64, rgb bool) *image.RGBA {
	if scale <= 0 {
		scale = 1
	}
	if rgb && cin == 3 {
		img := image.NewRGBA(image.Rect(0, 0, k, k))
		for y := range k {
			for x := range k {
				var c [3]uint8
				for ch := range 3 {
					v := 0.5 + 0.5*float64(w[(ch*k+y)*k+x])/scale
					c[ch] = uint8(math.Round(255 * math.Max(0, math.Min(1, v))))
				}
				img.SetRGBA(x, y, color.RGBA{c[0], c[1], c[2], 255})
			}
		}
		return img
	}
	cols, rows := FilterLayout(cin)
	W, H := cols*(k+1)-1, rows*(k+1)-1
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y := range H {
		for x := range W {
			if (x+1)%(k+1) == 0 || (y+1)%(k+1) == 0 {
				img.SetRGBA(x, y, gapColor)
			}
		}
	}
	for ch := range cin {
		ox, oy := (ch%cols)*(k+1), (ch/cols)*(k+1)
		for y := range k {
			for x := range k {
				img.SetRGBA(ox+x, oy+y, Diverging(float64(w[(ch*k+y)*k+x])/scale))
			}
		}
	}
	return img
}

// MaxAbs returns the largest |w|, the symmetric colour scale of a layer's heatmaps.
func MaxAbs(w []float32) float64 {
	m := 0.0
	for _, v := range w {
		m = math.Max(m, math.Abs(float64(v)))
	}
	return m
}

// DataURL encodes img as a BMP data: URL (safe to put in an img src attribute).
func DataURL(img *image.RGBA) string {
	return "data:image/bmp;base64," + base64.StdEncoding.EncodeToString(BMP(img))
}

// BMP encodes img as an uncompressed 24-bit Windows bitmap (opaque: alpha is dropped). The
// images are tiny and stay in the page (blob URLs); BMP needs no compressor, which keeps
// image/png and compress/flate out of the page's program (its download budget, issue 12).
func BMP(img *image.RGBA) []byte {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	stride := (3*w + 3) &^ 3 // rows are padded to 4 bytes
	const header = 14 + 40
	out := make([]byte, header+stride*h)
	le32 := func(o, v int) {
		out[o], out[o+1], out[o+2], out[o+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
	}
	out[0], out[1] = 'B', 'M'
	le32(2, len(out))
	le32(10, header)
	le32(14, 40) // BITMAPINFOHEADER
	le32(18, w)
	le32(22, h)              // positive: rows bottom-up
	out[26], out[28] = 1, 24 // planes, bits per pixel; compression 0 = BI_RGB
	le32(34, stride*h)
	le32(38, 2835) // 72 dpi
	le32(42, 2835)
	for y := range h {
		row := out[header+(h-1-y)*stride:]
		for x := range w {
			c := img.RGBAAt(b.Min.X+x, b.Min.Y+y)
			row[3*x], row[3*x+1], row[3*x+2] = c.B, c.G, c.R
		}
	}
	return out
}

// Thumbnail draws a CIFAR-10 image (planar R, G, B bytes, 32×32).
func Thumbnail(pixels []byte) *image.RGBA {
	const n = 32 * 32
	img := image.NewRGBA(image.Rect(0, 0, 32, 32))
	if len(pixels) < 3*n {
		return img
	}
	for i := range n {
		img.Pix[4*i] = pixels[i]
		img.Pix[4*i+1] = pixels[n+i]
		img.Pix[4*i+2] = pixels[2*n+i]
		img.Pix[4*i+3] = 255
	}
	return img
}
