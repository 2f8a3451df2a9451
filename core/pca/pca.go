// Package pca projects points onto their principal components (gonum's thin SVD).
//
// Pruning clusters filters in this space (the study's proposed upgrade), and the browser demo draws
// the filters on their first two components; both use this one implementation so that the
// animation runs on the same numbers as the pruning.
package pca

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Basis is the affine map of a PCA projection: the data mean μ (D) and the first d principal
// directions V (D×d, orthonormal columns).
type Basis struct {
	Mean      []float64
	V         *mat.Dense
	Explained float64 // share of the total variance the d components keep, in [0, 1]
}

// Fit returns the n points of x (n×D) in the space of their first d principal components,
// y_i = Vᵀ(x_i − μ), with V the top-d right singular vectors of the centred data X − 1μᵀ
// (thin SVD X − 1μᵀ = U Σ Vᵀ, singular values in decreasing order). Distances between projected
// points are the original distances with the discarded components' contribution removed, so
// K-Means in this space ignores the directions in which the points barely vary.
func Fit(x []float64, n, D, d int) ([]float64, *Basis, error) {
	if n < 1 || D < 1 || len(x) != n*D || d < 1 || d > min(n, D) {
		return nil, nil, fmt.Errorf("pca: %d components of %d points in %d dimensions (%d values)", d, n, D, len(x))
	}
	mean := make([]float64, D)
	for i := range n {
		for t := range D {
			mean[t] += x[i*D+t]
		}
	}
	for t := range mean {
		mean[t] /= float64(n)
	}
	xc := make([]float64, n*D)
	for i := range n {
		for t := range D {
			xc[i*D+t] = x[i*D+t] - mean[t]
		}
	}
	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(n, D, xc), mat.SVDThin) {
		return nil, nil, errors.New("pca: SVD did not converge")
	}
	var vAll mat.Dense
	svd.VTo(&vAll) // D × min(n, D)
	v := mat.DenseCopyOf(vAll.Slice(0, D, 0, d))
	var y mat.Dense
	y.Mul(mat.NewDense(n, D, xc), v) // n × d
	var total, kept float64
	for i, s := range svd.Values(nil) {
		total += s * s
		if i < d {
			kept += s * s
		}
	}
	b := &Basis{Mean: mean, V: v}
	if total > 0 {
		b.Explained = kept / total
	}
	return y.RawMatrix().Data, b, nil
}

// Project returns the principal coordinates Vᵀ(x − μ) of one point x of the original space.
func (b *Basis) Project(x []float64) []float64 {
	D, d := b.V.Dims()
	out := make([]float64, d)
	for j := range d {
		var s float64
		for t := range D {
			s += b.V.At(t, j) * (x[t] - b.Mean[t])
		}
		out[j] = s
	}
	return out
}

// Back writes μ + V·c, the point of the original space whose projection is c, into dst.
func (b *Basis) Back(dst, c []float64) {
	D, d := b.V.Dims()
	for t := range D {
		s := b.Mean[t]
		for j := range d {
			s += b.V.At(t, j) * c[j]
		}
		dst[t] = s
	}
}
