package nn

import (
	"math"

	"github.com/resnet20-pruning/resnet20-pruning/core/kernels"
)

// AvgPoolForward is global average pooling: y[i][c] = (1/hw) Σ_p x[i][c][p] for x n×c×hw, y n×c.
// Its backward pass is AvgPoolBackward: dx[i][c][p] = dy[i][c]/hw.
func AvgPoolForward(p Parallel, y, x []float32, n, c, hw int) {
	p.For(n, func(_, lo, hi int) {
		for i := lo * c; i < hi*c; i++ {
			y[i] = float32(sum32(x[i*hw:(i+1)*hw]) / float64(hw))
		}
	})
}

// AvgPoolBackward writes dL/dx (n×c×hw) for global average pooling given dy (n×c).
func AvgPoolBackward(p Parallel, dx, dy []float32, n, c, hw int) {
	p.For(n, func(_, lo, hi int) {
		for i := lo * c; i < hi*c; i++ {
			g := dy[i] / float32(hw)
			d := dx[i*hw : (i+1)*hw]
			for j := range d {
				d[j] = g
			}
		}
	})
}

// Linear is a fully connected layer y = x·Wᵀ + b for x n×In, W Out×In, b Out.
//
// Backward: dW = dyᵀ·x,  db = Σ_i dy[i],  dx = dy·W.
// It is small (64→10 in ResNet20) and runs on the calling goroutine.
type Linear struct {
	In, Out int
	W, B    []float32 // aliased parameters
	DW, DB  []float32 // gradients after Backward
	x       []float32
	n       int
}

// NewLinear returns a linear layer over w (out×in) and b (out), aliased.
func NewLinear(in, out int, w, b []float32) *Linear {
	if len(w) != in*out || len(b) != out {
		panic("nn: linear layer shapes do not match")
	}
	return &Linear{In: in, Out: out, W: w, B: b, DW: make([]float32, len(w)), DB: make([]float32, out)}
}

// Forward computes y (n×Out) from x (n×In) and remembers x.
func (l *Linear) Forward(y, x []float32, n int) {
	l.x, l.n = x[:n*l.In], n
	kernels.Sgemm(false, true, n, l.Out, l.In, 1, x, l.In, l.W, l.In, 0, y, l.Out)
	for i := range n {
		axpy(y[i*l.Out:(i+1)*l.Out], l.B)
	}
}

// Backward sets DW and DB and, when dx is not nil, writes dL/dx (n×In).
func (l *Linear) Backward(dx, dy []float32) {
	n := l.n
	kernels.Sgemm(true, false, l.Out, l.In, n, 1, dy, l.Out, l.x, l.In, 0, l.DW, l.In)
	for o := range l.Out {
		var s float64
		for i := range n {
			s += float64(dy[i*l.Out+o])
		}
		l.DB[o] = float32(s)
	}
	if dx != nil {
		kernels.Sgemm(false, false, n, l.In, l.Out, 1, dy, l.Out, l.W, l.In, 0, dx, l.In)
	}
}

// SoftmaxCrossEntropy returns the mean cross-entropy loss of n rows of logits (n×classes) against
// labels, with label smoothing ε as PyTorch's CrossEntropyLoss(label_smoothing=ε), the number of
// rows whose arg-max equals the label, and writes dL/dlogits into grad (n×classes):
//
//	p = softmax(z),   q = (1−ε)·onehot(label) + ε/K,   L = −(1/n) Σ_i Σ_k q_ik·log p_ik,
//	dL/dz_ik = (p_ik − q_ik)/n.
//
// Everything is computed in float64.
func SoftmaxCrossEntropy(grad, logits []float32, labels []int, n, classes int, smoothing float64) (loss float64, correct int) {
	p := make([]float64, classes)
	for i := range n {
		z := logits[i*classes : (i+1)*classes]
		zmax, arg := float64(z[0]), 0
		for k, v := range z {
			if float64(v) > zmax {
				zmax, arg = float64(v), k
			}
		}
		if arg == labels[i] {
			correct++
		}
		var sum float64
		for k, v := range z {
			p[k] = math.Exp(float64(v) - zmax)
			sum += p[k]
		}
		logSum := math.Log(sum)
		for k := range classes {
			q := smoothing / float64(classes)
			if k == labels[i] {
				q += 1 - smoothing
			}
			logp := float64(z[k]) - zmax - logSum
			loss -= q * logp
			if grad != nil {
				grad[i*classes+k] = float32((p[k]/sum - q) / float64(n))
			}
		}
	}
	return loss / float64(n), correct
}

// Distill mixes knowledge distillation from a teacher's logits into a hard-label loss: given grad
// and loss from SoftmaxCrossEntropy of the student's logits z (n×classes), it rewrites grad and
// returns the mixed loss
//
//	p = softmax(z/T),   r = softmax(t/T),   KL = (1/n) Σ_i Σ_k r_ik·(log r_ik − log p_ik),
//	L = (1−α)·CE + α·T²·KL,
//	dL/dz_ik = (1−α)·dCE/dz_ik + α·T·(p_ik − r_ik)/n
//
// (Hinton et al.'s T² keeps the soft term's gradient scale independent of T). Everything is
// computed in float64.
func Distill(grad []float32, ce float64, logits, teacher []float32, n, classes int, alpha, T float64) (loss float64) {
	p, r := make([]float64, classes), make([]float64, classes)
	softmax := func(dst []float64, z []float32) {
		zmax := math.Inf(-1)
		for _, v := range z {
			zmax = math.Max(zmax, float64(v)/T)
		}
		var sum float64
		for k, v := range z {
			dst[k] = math.Exp(float64(v)/T - zmax)
			sum += dst[k]
		}
		for k := range dst {
			dst[k] /= sum
		}
	}
	var kl float64
	for i := range n {
		softmax(p, logits[i*classes:(i+1)*classes])
		softmax(r, teacher[i*classes:(i+1)*classes])
		for k := range classes {
			if r[k] > 0 {
				kl += r[k] * (math.Log(r[k]) - math.Log(math.Max(p[k], 1e-300)))
			}
			g := &grad[i*classes+k]
			*g = float32((1-alpha)*float64(*g) + alpha*T*(p[k]-r[k])/float64(n))
		}
	}
	return (1-alpha)*ce + alpha*T*T*kl/float64(n)
}
