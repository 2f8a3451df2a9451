package kernels

// nr is the column width of a GEMM micro-tile; every B operand handed to a
// micro-kernel has at least nr readable columns per row.
const nr = 32

// lanes is the number of Winograd tiles transformed together.
const lanes = 16

// kernelSet is one implementation of the inner kernels.
type kernelSet struct {
	name string

	// gemm4 computes the 4×32 tile c[i*ldc+j] = Σ_p a[p*4+i]·b[p*ldb+j]
	// (i < 4, j < 32, p < k), overwriting c.
	gemm4 func(k int, a, b []float32, ldb int, c []float32, ldc int)

	// gemm8, when not nil, computes the 8×32 tile of two packed 4-row blocks
	// a0 and a1 (each [k][4]): c[i*ldc+j] = Σ_p a0[p*4+i]·b[p*ldb+j] and
	// c[(4+i)*ldc+j] = Σ_p a1[p*4+i]·b[p*ldb+j] (i < 4, j < 32, p < k ≥ 1),
	// overwriting c: gemm4 twice, reading b once.
	gemm8 func(k int, a0, a1, b []float32, ldb int, c []float32, ldc int)

	// gemm1 computes the 1×32 tile c[j] = Σ_p a[p]·b[p*ldb+j], overwriting c.
	gemm1 func(k int, a, b []float32, ldb int, c []float32)

	// gemmAcc adds to the 4×32 tile c the product of the packed 4-row block a
	// ([k][4]) with two 16-column B blocks read from separate rows:
	// c[i*ldc+j] += Σ_p a[p*4+i]·b0[p*ldb+j] for j < 16 and
	// c[i*ldc+16+j] += Σ_p a[p*4+i]·b1[p*ldb+j] for j < 16.
	gemmAcc func(k int, a, b0, b1 []float32, ldb int, c []float32, ldc int)

	// winoIn applies the Winograd input transform B^T·d·B to 16 gathered
	// 6×6 tiles, g[(l*6+m)*16+j] = d_j[l][m], writing frequency ξ = i*6+k of
	// tile j to v[ξ*stride+j].
	winoIn func(g, v []float32, stride int)

	// winoOut applies the output transform A^T·M·A to 16 tiles whose 36
	// frequencies are z[ξ*stride+j], writing output pixel (a,b) of tile j to
	// y[(a*4+b)*16+j]; y holds 40*16 floats, y[256:] is scratch.
	winoOut func(z []float32, stride int, y []float32)

	// winoGather gathers the 6×6 input tiles of 16 lanes from a padded plane:
	// g[(l*6+m)*16+j] = p[base[j]+l*pw+m]. kind blockContig promises 4 groups
	// of 4 horizontally consecutive tiles (base[4q+i] = base[4q]+4i), kind
	// blockPairs 8 pairs of consecutive tiles (base[2k+1] = base[2k]+4).
	winoGather func(p []float32, base []int32, pw int, kind int, g []float32)

	// winoGatherIn, when non-nil, does winoGather then winoIn in one call
	// (g is 36·16 floats of scratch); see gatherIn.
	winoGatherIn func(p []float32, base []int32, pw, kind int, g, v []float32, stride int)

	// winoScatter applies the epilogue to the 16 transformed output tiles y
	// (layout of winoOut) of one output channel and stores them; see
	// scatterArgs. y2 is 256 floats of scratch.
	winoScatter func(y, y2 []float32, a *scatterArgs)

	// winoOutStore, when non-nil, does winoOut then winoScatter for each
	// output channel co of cos (scale[co], bias[co], a.ob offsets of channel
	// 0 plus co·hwo) for blocks of kind blockContig or blockPairs; t is
	// 24·16 floats of scratch.
	winoOutStore func(z []float32, stride int, t []float32, a *scatterArgs, cos []int32, scale, bias []float32, hwo int)

	// winoGatherY gathers the 4×4 tiles of 16 lanes from an output-shaped
	// plane (row stride wo): g[(a*4+b)*16+j] = p[base[j]+a*wo+b] for the
	// pixels inside the tile's valid rows<<3|cols and lanes j < nl, 0
	// elsewhere. kind is the block's scatter kind (blockContig and
	// blockPairs promise full tiles in the scatter's lane order).
	winoGatherY func(p []float32, base []int32, wo, kind, nl int, valid []int32, g []float32)

	// winoYIn applies A·Y·A^T (the adjoint of the output transform) to the
	// 16 gathered 4×4 tiles of g (which holds 36*16 floats, the rest
	// scratch), writing frequency ξ = i*6+k of tile j to v[ξ*stride+j].
	winoYIn func(g, v []float32, stride int)

	// dot4 adds to the 4×4 block c (c[i*4+j]) the dot products
	// Σ_{t<n} a[i*lda+t]·b[j*ldb+t]; n is a multiple of 16.
	dot4 func(n int, a []float32, lda int, b []float32, ldb int, c []float32)

	// dconv, when non-nil, is the direct path's micro-kernel: for the 4
	// filters of the packed block a ([tap][cin][4]) and 64 outputs,
	// c[i*ldc+j] = Σ_t Σ_ci a[(t*cin+ci)*4+i]·p[toff[t]+ci*ps+j] (i < 4,
	// j < 64); nil means dconvGemmAcc.
	dconv func(cin int, a, p []float32, ps int, toff []int32, c []float32, ldc int)

	// dconv3, when non-nil, is dconv for the first 3 rows only (blocks of
	// 3 filters, whose fourth packed row is zero: see directBlockRows); it
	// may leave row 3 of c unwritten. nil means dconv.
	dconv3 func(cin int, a, p []float32, ps int, toff []int32, c []float32, ldc int)

	// copyRows copies rows×w floats: dst[r*dp+x] = src[r*w+x].
	copyRows func(dst []float32, dp int, src []float32, rows, w int)

	// decimate2 computes dst[r*dp+i] = src[r*sp+2*i] for r < rows, i < n;
	// src may hold more values than the last one read, which lets the
	// vector path run further.
	decimate2 func(dst []float32, dp int, src []float32, sp, rows, n int)

	// affine computes out[i] = s*z[i] + b (+ res[i] if res != nil), then
	// max(0,·) if relu, for i < len(out).
	affine func(out, z, res []float32, s, b float32, relu bool)

	// affineRows is affine over rows×w values, out and res with row pitch
	// op, z with row pitch zp: out[r*op+x] = s*z[r*zp+x] + b (+ res[r*op+x]),
	// then max(0,·) if relu; nil means one affine call per row.
	affineRows func(out []float32, op int, z []float32, zp int, res []float32, rows, w int, s, b float32, relu bool)

	// scaleShift, when non-nil, is ScaleShift's vector path (product rounded before the sum, no
	// FMA); nil means scaleShiftPortable.
	scaleShift func(z []float32, s, b float32, relu bool)

	// addWiden, when non-nil, is AddWiden's vector path for len(dst) == len(src): it adds a
	// prefix of src and returns its length (the rest is done in Go).
	addWiden func(dst []float64, src []float32) int
}

// gatherIn gathers the 6×6 input tiles of 16 lanes from a padded plane and
// applies the input transform (winoGather then winoIn).
func (K *kernelSet) gatherIn(p []float32, base []int32, pw, kind int, g, v []float32, stride int) {
	if K.winoGatherIn != nil {
		K.winoGatherIn(p, base, pw, kind, g, v, stride)
		return
	}
	K.winoGather(p, base, pw, kind, g)
	K.winoIn(g, v, stride)
}

// directConv runs the direct path's micro-kernel (see dconv) on a block of
// bh (3 or 4) filters.
func (K *kernelSet) directConv(bh, cin int, a, p []float32, ps int, toff []int32, c []float32, ldc int) {
	if bh == 3 && K.dconv3 != nil {
		K.dconv3(cin, a, p, ps, toff, c, ldc)
		return
	}
	if K.dconv != nil {
		K.dconv(cin, a, p, ps, toff, c, ldc)
		return
	}
	dconvGemmAcc(K, cin, a, p, ps, toff, c, ldc)
}

// blockRows returns the rows of the next GEMM row block when left packed rows remain: 8 where the
// kernel set has gemm8 (one read of B for 8 rows), else 4.
func (K *kernelSet) blockRows(left int) int {
	if K.gemm8 != nil && left >= 8 {
		return 8
	}
	return 4
}

// gemmBlock computes the bh-row tile (bh from blockRows) of the packed rows at a ([k][4] per 4
// rows) times b into c (row pitch ldc), with gemm8 or gemm4.
func (K *kernelSet) gemmBlock(k int, a []float32, bh int, b []float32, ldb int, c []float32, ldc int) {
	if bh == 8 {
		K.gemm8(k, a[:4*k], a[4*k:8*k], b, ldb, c, ldc)
		return
	}
	K.gemm4(k, a[:4*k], b, ldb, c, ldc)
}

// affineRowsOf runs K.affineRows, or K.affine row by row (see affineRows).
func (K *kernelSet) affineRowsOf(out []float32, op int, z []float32, zp int, res []float32, rows, w int, s, b float32, relu bool) {
	if K.affineRows != nil {
		K.affineRows(out, op, z, zp, res, rows, w, s, b, relu)
		return
	}
	for r := range rows {
		var rr []float32
		if res != nil {
			rr = res[r*op : r*op+w]
		}
		K.affine(out[r*op:r*op+w], z[r*zp:r*zp+w], rr, s, b, relu)
	}
}

// forcePortable selects the portable kernels even when SIMD ones exist
// (tests run every path in both states).
var forcePortable bool

// simdSets lists the SIMD implementations the CPU supports, best first
// (filled at init by the platform's SIMD files).
var simdSets []*kernelSet

// kernOverride, when non-nil, is used instead of the automatic choice
// (tests use it to run every supported implementation).
var kernOverride *kernelSet

func kern() *kernelSet {
	switch {
	case kernOverride != nil:
		return kernOverride
	case forcePortable || len(simdSets) == 0:
		return &portableKernels
	}
	return simdSets[0]
}

// KernelName reports which kernel implementation Forward and Sgemm use
// ("avx512", "avx2", "wasm128" or "portable").
func KernelName() string { return kern().name }
