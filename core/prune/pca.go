package prune

import (
	"errors"

	"gonum.org/v1/gonum/mat"
)

// pcaBasis is the affine map of a PCA projection: the data mean μ (D) and the first d principal
// directions V (D×d, orthonormal columns).
type pcaBasis struct {
	mean []float64
	v    *mat.Dense
}

// project returns the n points of x (n×D) in the space of their first d principal components,
// y_i = Vᵀ(x_i − μ), with V the top-d right singular vectors of the centred data X − 1μᵀ
// (thin SVD X − 1μᵀ = U Σ Vᵀ, singular values in decreasing order). Distances between projected
// points are the original distances with the discarded components' contribution removed, so
// K-Means in this space ignores the directions in which the filters barely vary.
func project(x []float64, n, D, d int) ([]float64, *pcaBasis, error) {
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
		return nil, nil, errors.New("PCA: SVD did not converge")
	}
	var vAll mat.Dense
	svd.VTo(&vAll) // D × min(n, D)
	v := mat.DenseCopyOf(vAll.Slice(0, D, 0, d))
	var y mat.Dense
	y.Mul(mat.NewDense(n, D, xc), v) // n × d
	return y.RawMatrix().Data, &pcaBasis{mean: mean, v: v}, nil
}

// back writes μ + V·c, the point of the original space whose projection is c, into dst.
func (b *pcaBasis) back(dst, c []float64) {
	D, d := b.v.Dims()
	for t := range D {
		s := b.mean[t]
		for j := range d {
			s += b.v.At(t, j) * c[j]
		}
		dst[t] = s
	}
}
