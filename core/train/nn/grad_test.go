package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Gradient checks: every layer's float32 Backward against central finite differences of an
// independent float64 reference forward. For a random upstream gradient r the scalar
// L = Σ r·f(inputs) is differentiated numerically with step gradEps in float64, and each analytic
// gradient element g must satisfy |g − ĝ| ≤ gradTol·max(1, |ĝ|). The float32 forward must match
// the reference to fwdTol·max(1, max|ref|).
const (
	gradEps = 1e-6
	gradTol = 1e-4
	fwdTol  = 1e-5
)

// gradCase is one layer under test. inputs are the tensors differentiated (input x first, then
// parameters); forward runs the float32 layer on them; backward returns dL/d(input k) for each k
// given dy; ref is the float64 reference of forward.
type gradCase struct {
	name     string
	inputs   [][]float32
	forward  func(in [][]float32) []float32
	backward func(dy []float32) [][]float32
	ref      func(in [][]float64) []float64
}

func randVec(rng *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.Float64()*2 - 1)
	}
	return v
}

// awayFromZero returns values with |v| ∈ [0.1, 1] so that ReLU kinks are never within gradEps.
func awayFromZero(rng *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(0.1 + 0.9*rng.Float64())
		if rng.IntN(2) == 0 {
			v[i] = -v[i]
		}
	}
	return v
}

func to64(in [][]float32) [][]float64 {
	out := make([][]float64, len(in))
	for k, v := range in {
		out[k] = make([]float64, len(v))
		for i, x := range v {
			out[k][i] = float64(x)
		}
	}
	return out
}

func checkGradients(t *testing.T, tc gradCase) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 7))
	y := tc.forward(tc.inputs)
	in64 := to64(tc.inputs)
	yref := tc.ref(in64)
	if len(y) != len(yref) {
		t.Fatalf("forward gives %d values, reference %d", len(y), len(yref))
	}
	var maxRef, maxErr float64
	for i := range y {
		maxRef = math.Max(maxRef, math.Abs(yref[i]))
		maxErr = math.Max(maxErr, math.Abs(float64(y[i])-yref[i]))
	}
	if maxErr > fwdTol*math.Max(1, maxRef) {
		t.Errorf("forward differs from the float64 reference by %g (max |ref| %g)", maxErr, maxRef)
	}
	r := randVec(rng, len(y))
	grads := tc.backward(append([]float32(nil), r...))
	loss := func() float64 {
		out := tc.ref(in64)
		var s float64
		for i, v := range out {
			s += float64(r[i]) * v
		}
		return s
	}
	for k := range tc.inputs {
		if grads[k] == nil {
			continue
		}
		var worst float64
		for i := range in64[k] {
			orig := in64[k][i]
			in64[k][i] = orig + gradEps
			lp := loss()
			in64[k][i] = orig - gradEps
			lm := loss()
			in64[k][i] = orig
			num := (lp - lm) / (2 * gradEps)
			e := math.Abs(float64(grads[k][i])-num) / math.Max(1, math.Abs(num))
			if e > worst {
				worst = e
			}
			if e > gradTol {
				t.Errorf("input %d element %d: analytic %g, numerical %g", k, i, grads[k][i], num)
				return
			}
		}
		t.Logf("input %d: %d elements, worst relative error %.2g", k, len(in64[k]), worst)
	}
}

// refConv is the float64 direct convolution with optional bias and gather.
func refConv(x, w, b []float64, assign []int32, n, cin, h, wd, rows, k, s, pad int) []float64 {
	ho, wo := (h+2*pad-k)/s+1, (wd+2*pad-k)/s+1
	cout := rows
	if assign != nil {
		cout = len(assign)
	}
	y := make([]float64, n*cout*ho*wo)
	for img := range n {
		for c := range cout {
			r := c
			if assign != nil {
				r = int(assign[c])
			}
			for oy := range ho {
				for ox := range wo {
					var acc float64
					if b != nil {
						acc = b[r]
					}
					for ci := range cin {
						for ky := range k {
							for kx := range k {
								iy, ix := oy*s-pad+ky, ox*s-pad+kx
								if iy < 0 || iy >= h || ix < 0 || ix >= wd {
									continue
								}
								acc += x[((img*cin+ci)*h+iy)*wd+ix] * w[((r*cin+ci)*k+ky)*k+kx]
							}
						}
					}
					y[((img*cout+c)*ho+oy)*wo+ox] = acc
				}
			}
		}
	}
	return y
}

func convCase(name string, threads, n, cin, h, w, rows, k, s, pad int, bias bool, assign []int32) gradCase {
	rng := rand.New(rand.NewPCG(uint64(len(name)), uint64(n*h*w)))
	in := [][]float32{randVec(rng, n*cin*h*w), randVec(rng, rows*cin*k*k)}
	if bias {
		in = append(in, randVec(rng, rows))
	}
	var c *Conv
	p := Parallel{threads}
	return gradCase{
		name:   name,
		inputs: in,
		forward: func(in [][]float32) []float32 {
			var b []float32
			if bias {
				b = in[2]
			}
			c = NewConv(cin, rows, k, s, pad, in[1], b, assign)
			ho, wo := c.OutSize(h, w)
			y := make([]float32, n*c.Cout()*ho*wo)
			c.Forward(p, y, in[0], n, h, w)
			return y
		},
		backward: func(dy []float32) [][]float32 {
			dx := make([]float32, n*cin*h*w)
			c.Backward(p, dx, dy)
			if bias {
				return [][]float32{dx, c.DW, c.DB}
			}
			return [][]float32{dx, c.DW}
		},
		ref: func(in [][]float64) []float64 {
			var b []float64
			if bias {
				b = in[2]
			}
			return refConv(in[0], in[1], b, assign, n, cin, h, w, rows, k, s, pad)
		},
	}
}

func refBN(x, gamma, beta []float64, n, C, hw int, mean, variance []float64) []float64 {
	y := make([]float64, len(x))
	for ch := range C {
		mu, v := 0.0, 0.0
		if mean != nil {
			mu, v = mean[ch], variance[ch]
		} else {
			for img := range n {
				for p := range hw {
					mu += x[(img*C+ch)*hw+p]
				}
			}
			mu /= float64(n * hw)
			for img := range n {
				for p := range hw {
					d := x[(img*C+ch)*hw+p] - mu
					v += d * d
				}
			}
			v /= float64(n * hw)
		}
		r := 1 / math.Sqrt(v+1e-5)
		for img := range n {
			for p := range hw {
				i := (img*C+ch)*hw + p
				y[i] = gamma[ch]*(x[i]-mu)*r + beta[ch]
			}
		}
	}
	return y
}

func bnCase(name string, threads, n, C, hw int, frozen bool) gradCase {
	rng := rand.New(rand.NewPCG(3, uint64(n*C*hw)))
	x := randVec(rng, n*C*hw)
	for i := range x {
		x[i] = 3*x[i] + 0.5 // a mean and spread different from 0 and 1
	}
	gamma, beta := randVec(rng, C), randVec(rng, C)
	mean, variance := randVec(rng, C), randVec(rng, C)
	for i := range variance {
		variance[i] = 0.5 + variance[i]*variance[i]
	}
	var bn *BatchNorm
	p := Parallel{threads}
	return gradCase{
		name:   name,
		inputs: [][]float32{x, gamma, beta},
		forward: func(in [][]float32) []float32 {
			bn = NewBatchNorm(in[1], in[2], append([]float32(nil), mean...), append([]float32(nil), variance...))
			bn.Frozen = frozen
			y := make([]float32, len(in[0]))
			bn.Forward(p, y, in[0], n, hw, true)
			return y
		},
		backward: func(dy []float32) [][]float32 {
			dx := make([]float32, len(dy))
			bn.Backward(p, dx, dy)
			if frozen {
				return [][]float32{dx, nil, nil}
			}
			return [][]float32{dx, bn.DGamma, bn.DBeta}
		},
		ref: func(in [][]float64) []float64 {
			if frozen {
				m, v := to64([][]float32{mean, variance})[0], to64([][]float32{variance})[0]
				return refBN(in[0], in[1], in[2], n, C, hw, m, v)
			}
			return refBN(in[0], in[1], in[2], n, C, hw, nil, nil)
		},
	}
}

// bnActCase checks the fused BN (+ residual) + ReLU of ForwardAct/BackwardAct. Inputs are chosen
// so that no pre-activation lies within gradEps of the ReLU's kink. With fused set it checks
// BackwardReLU (no residual) instead; the residual's gradient is dy through the ReLU's mask.
func bnActCase(name string, threads, hw int, residual, fused bool) gradCase {
	const n, C = 3, 2
	rng := rand.New(rand.NewPCG(13, uint64(threads)))
	in := [][]float32{randVec(rng, n*C*hw), randVec(rng, C), randVec(rng, C)}
	if residual {
		in = append(in, awayFromZero(rng, n*C*hw))
	}
	var bn *BatchNorm
	var y []float32
	p := Parallel{threads}
	ref := func(in [][]float64) []float64 {
		out := refBN(in[0], in[1], in[2], n, C, hw, nil, nil)
		for i := range out {
			if residual {
				out[i] += in[3][i]
			}
			out[i] = math.Max(out[i], 0)
		}
		return out
	}
	// Move inputs whose pre-activation is near 0 away from the kink.
	pre := func() []float64 {
		in64 := to64(in)
		out := refBN(in64[0], in64[1], in64[2], n, C, hw, nil, nil)
		if residual {
			for i := range out {
				out[i] += in64[3][i]
			}
		}
		return out
	}
	for i, v := range pre() {
		if math.Abs(v) < 0.05 && residual {
			in[3][i] += 0.2
		}
	}
	return gradCase{
		name:   name,
		inputs: in,
		forward: func(in [][]float32) []float32 {
			bn = NewBatchNorm(in[1], in[2], make([]float32, C), make([]float32, C))
			y = make([]float32, n*C*hw)
			var res []float32
			if residual {
				res = in[3]
			}
			bn.ForwardAct(p, y, in[0], n, hw, true, res, true)
			return y
		},
		backward: func(dy []float32) [][]float32 {
			dx := make([]float32, len(dy))
			if fused && !residual {
				bn.BackwardReLU(p, dx, dy)
			} else {
				bn.BackwardAct(p, dx, dy, y)
			}
			grads := [][]float32{dx, bn.DGamma, bn.DBeta}
			if residual {
				dres := append([]float32(nil), dy...)
				ReLUBackward(p, dres, y, n, C*hw)
				grads = append(grads, dres)
			}
			return grads
		},
		ref: ref,
	}
}

func TestGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	p2 := Parallel{2}
	cases := []gradCase{
		convCase("conv3x3/s1", 2, 3, 3, 5, 5, 4, 3, 1, 1, false, nil),
		convCase("conv3x3/s2/even", 2, 2, 2, 6, 6, 3, 3, 2, 1, false, nil),
		convCase("conv3x3/s2/odd", 3, 3, 2, 5, 7, 3, 3, 2, 1, false, nil),
		convCase("conv1x1/s2", 2, 3, 4, 5, 6, 3, 1, 2, 0, false, nil),
		convCase("conv1x1/s1", 2, 2, 3, 4, 4, 2, 1, 1, 0, false, nil),
		convCase("conv3x3/bias", 1, 2, 2, 4, 4, 3, 3, 1, 1, true, nil),
		convCase("conv3x3/shared", 2, 3, 2, 4, 5, 3, 3, 1, 1, true, []int32{2, 0, 2, 1, 0}),
		convCase("conv3x3/s2/shared", 2, 2, 3, 6, 6, 2, 3, 2, 1, false, []int32{1, 1, 0, 1}),
		convCase("conv3x3/s1/large", 2, 2, 2, 9, 8, 3, 3, 1, 1, true, nil),
		// Cin ≥ 8 takes the channels-last colᵀ path of the weight gradient.
		convCase("conv3x3/s1/cin8", 2, 2, 8, 5, 4, 3, 3, 1, 1, false, nil),
		convCase("conv3x3/s2/cin9", 2, 3, 9, 5, 6, 2, 3, 2, 1, true, nil),
		convCase("conv1x1/s2/cin8", 2, 2, 8, 5, 5, 3, 1, 2, 0, false, nil),
		convCase("conv3x3/cin8/shared", 3, 3, 8, 4, 4, 2, 3, 1, 1, true, []int32{1, 0, 1}),
		convCase("conv3x3/s1/cin8/even", 2, 3, 8, 6, 8, 5, 3, 1, 1, false, nil),
		convCase("conv3x3/s1/cin9/1thread", 1, 2, 9, 2, 4, 3, 3, 1, 1, true, nil),
		bnCase("batchnorm/train", 2, 3, 4, 5, false),
		bnCase("batchnorm/train/1thread", 1, 4, 2, 3, false),
		bnCase("batchnorm/frozen", 2, 3, 4, 5, true),
		bnCase("batchnorm/train/hw37", 2, 2, 3, 37, false), // rows past one 16-float vector
		bnActCase("batchnorm+relu", 2, 6, false, false),
		bnActCase("batchnorm+residual+relu", 3, 6, true, false),
		bnActCase("batchnorm+residual+relu/hw35", 2, 35, true, false),
		bnActCase("batchnorm+relu/recomputed-mask", 2, 6, false, true),
		bnActCase("batchnorm+relu/recomputed-mask/hw37", 2, 37, false, true),
		bnActCase("batchnorm+residual+relu/masked-add/hw35", 2, 35, true, true),
		func() gradCase {
			n, per := 3, 10
			var y []float32
			return gradCase{
				name:   "relu",
				inputs: [][]float32{awayFromZero(rng, n*per)},
				forward: func(in [][]float32) []float32 {
					y = append([]float32(nil), in[0]...)
					ReLUForward(p2, y, n, per)
					return y
				},
				backward: func(dy []float32) [][]float32 {
					ReLUBackward(p2, dy, y, n, per)
					return [][]float32{dy}
				},
				ref: func(in [][]float64) []float64 {
					out := make([]float64, len(in[0]))
					for i, v := range in[0] {
						out[i] = math.Max(v, 0)
					}
					return out
				},
			}
		}(),
		func() gradCase {
			n, per := 3, 7
			return gradCase{
				name:   "residual-add",
				inputs: [][]float32{randVec(rng, n*per), randVec(rng, n*per)},
				forward: func(in [][]float32) []float32 {
					y := append([]float32(nil), in[0]...)
					AddForward(p2, y, in[1], n, per)
					return y
				},
				backward: func(dy []float32) [][]float32 { return [][]float32{dy, dy} },
				ref: func(in [][]float64) []float64 {
					out := make([]float64, len(in[0]))
					for i := range out {
						out[i] = in[0][i] + in[1][i]
					}
					return out
				},
			}
		}(),
		shortcutCase("shortcutA/s2", rng, 3, 2, 5, 6, 6, 2),
		shortcutCase("shortcutA/s2/even", rng, 2, 4, 4, 4, 8, 2),
		shortcutCase("shortcutA/s1/pad", rng, 2, 2, 3, 3, 4, 1),
		shortcutCase("shortcut/identity", rng, 3, 3, 3, 2, 3, 1),
		func() gradCase {
			n, c, hw := 3, 4, 6
			return gradCase{
				name:   "avgpool",
				inputs: [][]float32{randVec(rng, n*c*hw)},
				forward: func(in [][]float32) []float32 {
					y := make([]float32, n*c)
					AvgPoolForward(p2, y, in[0], n, c, hw)
					return y
				},
				backward: func(dy []float32) [][]float32 {
					dx := make([]float32, n*c*hw)
					AvgPoolBackward(p2, dx, dy, n, c, hw)
					return [][]float32{dx}
				},
				ref: func(in [][]float64) []float64 {
					out := make([]float64, n*c)
					for i := range out {
						for p := range hw {
							out[i] += in[0][i*hw+p] / float64(hw)
						}
					}
					return out
				},
			}
		}(),
		func() gradCase {
			n, din, dout := 3, 5, 4
			var l *Linear
			return gradCase{
				name:   "linear",
				inputs: [][]float32{randVec(rng, n*din), randVec(rng, dout*din), randVec(rng, dout)},
				forward: func(in [][]float32) []float32 {
					l = NewLinear(din, dout, in[1], in[2])
					y := make([]float32, n*dout)
					l.Forward(y, in[0], n)
					return y
				},
				backward: func(dy []float32) [][]float32 {
					dx := make([]float32, n*din)
					l.Backward(dx, dy)
					return [][]float32{dx, l.DW, l.DB}
				},
				ref: func(in [][]float64) []float64 {
					out := make([]float64, n*dout)
					for i := range n {
						for o := range dout {
							s := in[2][o]
							for j := range din {
								s += in[0][i*din+j] * in[1][o*din+j]
							}
							out[i*dout+o] = s
						}
					}
					return out
				},
			}
		}(),
		ceCase("cross-entropy", rng, 0),
		ceCase("cross-entropy/smoothing", rng, 0.1),
		distillCase("distillation", rng, 0.7, 4),
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkGradients(t, tc) })
	}
}

func shortcutCase(name string, rng *rand.Rand, n, cin, h, w, cout, s int) gradCase {
	p := Parallel{2}
	ho, wo := ShortcutOut(h, w, s)
	return gradCase{
		name:   name,
		inputs: [][]float32{randVec(rng, n*cin*h*w)},
		forward: func(in [][]float32) []float32 {
			y := make([]float32, n*cout*ho*wo)
			ShortcutAForward(p, y, in[0], n, cin, h, w, cout, s)
			return y
		},
		backward: func(dy []float32) [][]float32 {
			dx := make([]float32, n*cin*h*w)
			ShortcutABackward(p, dx, dy, n, cin, h, w, cout, s)
			return [][]float32{dx}
		},
		ref: func(in [][]float64) []float64 {
			out := make([]float64, n*cout*ho*wo)
			pad := (cout - cin) / 2
			for img := range n {
				for c := range cin {
					for y := range ho {
						for x := range wo {
							out[((img*cout+c+pad)*ho+y)*wo+x] = in[0][((img*cin+c)*h+y*s)*w+x*s]
						}
					}
				}
			}
			return out
		},
	}
}

func ceCase(name string, rng *rand.Rand, eps float64) gradCase {
	n, k := 4, 5
	labels := []int{0, 3, 4, 3}
	var grad []float32
	return gradCase{
		name:   name,
		inputs: [][]float32{randVec(rng, n*k)},
		forward: func(in [][]float32) []float32 {
			grad = make([]float32, n*k)
			loss, _ := SoftmaxCrossEntropy(grad, in[0], labels, n, k, eps)
			return []float32{float32(loss)}
		},
		backward: func(dy []float32) [][]float32 {
			for i := range grad {
				grad[i] *= dy[0]
			}
			return [][]float32{grad}
		},
		ref: func(in [][]float64) []float64 {
			var loss float64
			for i := range n {
				z := in[0][i*k : (i+1)*k]
				var sum float64
				for _, v := range z {
					sum += math.Exp(v)
				}
				for j, v := range z {
					q := eps / float64(k)
					if j == labels[i] {
						q += 1 - eps
					}
					loss -= q * (v - math.Log(sum))
				}
			}
			return []float64{loss / float64(n)}
		},
	}
}

// distillCase checks Distill's gradient with respect to the student's logits (the teacher's are
// constants) against the loss written out directly.
func distillCase(name string, rng *rand.Rand, alpha, T float64) gradCase {
	n, k := 3, 4
	labels := []int{1, 0, 3}
	teacher := randVec(rng, n*k)
	var grad []float32
	return gradCase{
		name:   name,
		inputs: [][]float32{randVec(rng, n*k)},
		forward: func(in [][]float32) []float32 {
			grad = make([]float32, n*k)
			ce, _ := SoftmaxCrossEntropy(grad, in[0], labels, n, k, 0)
			return []float32{float32(Distill(grad, ce, in[0], teacher, n, k, alpha, T))}
		},
		backward: func(dy []float32) [][]float32 {
			for i := range grad {
				grad[i] *= dy[0]
			}
			return [][]float32{grad}
		},
		ref: func(in [][]float64) []float64 {
			logSoftmax := func(z []float64, T float64) []float64 {
				var sum float64
				for _, v := range z {
					sum += math.Exp(v / T)
				}
				out := make([]float64, len(z))
				for j, v := range z {
					out[j] = v/T - math.Log(sum)
				}
				return out
			}
			var ce, kl float64
			for i := range n {
				z := in[0][i*k : (i+1)*k]
				tz := make([]float64, k)
				for j := range k {
					tz[j] = float64(teacher[i*k+j])
				}
				ce -= logSoftmax(z, 1)[labels[i]]
				lp, lr := logSoftmax(z, T), logSoftmax(tz, T)
				for j := range k {
					kl += math.Exp(lr[j]) * (lr[j] - lp[j])
				}
			}
			return []float64{(1-alpha)*ce/float64(n) + alpha*T*T*kl/float64(n)}
		},
	}
}

// TestBatchNormRunningStats checks the running-statistics update against PyTorch's rule:
// biased variance to normalise, unbiased variance (M/(M−1)) into the running estimate, momentum 0.1.
func TestBatchNormRunningStats(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n, C, hw := 3, 2, 4
	x := randVec(rng, n*C*hw)
	bn := NewBatchNorm([]float32{1, 1}, []float32{0, 0}, []float32{0.5, -1}, []float32{2, 0.25})
	y := make([]float32, len(x))
	bn.Forward(Parallel{2}, y, x, n, hw, true)
	M := float64(n * hw)
	for ch, m0 := range []float64{0.5, -1} {
		var mu, v float64
		for img := range n {
			for p := range hw {
				mu += float64(x[(img*C+ch)*hw+p]) / M
			}
		}
		for img := range n {
			for p := range hw {
				d := float64(x[(img*C+ch)*hw+p]) - mu
				v += d * d / (M - 1)
			}
		}
		v0 := []float64{2, 0.25}[ch]
		if got, want := float64(bn.Mean[ch]), 0.9*m0+0.1*mu; math.Abs(got-want) > 1e-6 {
			t.Errorf("running mean[%d] = %g, want %g", ch, got, want)
		}
		if got, want := float64(bn.Var[ch]), 0.9*v0+0.1*v; math.Abs(got-want) > 1e-6 {
			t.Errorf("running var[%d] = %g, want %g", ch, got, want)
		}
	}
	// Inference mode leaves the running statistics alone.
	m, v := append([]float32(nil), bn.Mean...), append([]float32(nil), bn.Var...)
	bn.Forward(Parallel{2}, y, x, n, hw, false)
	if fmt.Sprint(m, v) != fmt.Sprint(bn.Mean, bn.Var) {
		t.Errorf("inference forward changed the running statistics")
	}
}

// TestParallelShards checks the shard split and that results do not depend on scheduling.
func TestParallelShards(t *testing.T) {
	for _, tc := range []struct{ threads, n, want int }{{0, 5, 1}, {1, 5, 1}, {2, 5, 2}, {8, 3, 3}, {4, 0, 1}} {
		if got := (Parallel{tc.threads}).Shards(tc.n); got != tc.want {
			t.Errorf("Parallel{%d}.Shards(%d) = %d, want %d", tc.threads, tc.n, got, tc.want)
		}
		seen := make([]int, tc.n)
		(Parallel{tc.threads}).For(tc.n, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				seen[i]++
			}
		})
		for i, c := range seen {
			if c != 1 {
				t.Errorf("Parallel{%d}.For(%d): image %d visited %d times", tc.threads, tc.n, i, c)
			}
		}
	}
}

// TestBatchNormStatsOffset checks the batch variance (one pass, shifted by the first image's
// channel mean) on data whose mean is large against its spread and differs between images.
func TestBatchNormStatsOffset(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	n, C, hw := 4, 2, 1024
	x := make([]float32, n*C*hw)
	for img := range n {
		for ch := range C {
			for p := range hw {
				x[(img*C+ch)*hw+p] = float32(1000*float64(ch+1) + 3*float64(img) + 0.01*rng.NormFloat64())
			}
		}
	}
	bn := NewBatchNorm([]float32{1, 1}, []float32{0, 0}, []float32{0, 0}, []float32{1, 1})
	bn.Momentum = 1 // running statistics = batch statistics (variance unbiased)
	y := make([]float32, len(x))
	bn.Forward(Parallel{2}, y, x, n, hw, true)
	M := float64(n * hw)
	for ch := range C {
		var mu, v float64
		for img := range n {
			for p := range hw {
				mu += float64(x[(img*C+ch)*hw+p]) / M
			}
		}
		for img := range n {
			for p := range hw {
				d := float64(x[(img*C+ch)*hw+p]) - mu
				v += d * d / (M - 1)
			}
		}
		if got := float64(bn.Var[ch]); math.Abs(got-v) > 1e-4*v {
			t.Errorf("channel %d: batch variance %g, want %g", ch, got, v)
		}
		if got := float64(bn.Mean[ch]); math.Abs(got-mu) > 1e-6*mu {
			t.Errorf("channel %d: batch mean %g, want %g", ch, got, mu)
		}
	}
}
