package train

import (
	"fmt"
	"math"
)

// SGD is stochastic gradient descent with momentum, optional Nesterov momentum and L2 weight
// decay, exactly as PyTorch's torch.optim.SGD (dampening 0), element-wise in float32:
//
//	g = ∇w + λ·w                 (λ = WeightDecay; 0 for BN γ/β and biases when NoDecayBNBias)
//	v = μ·v + g                  (v starts at 0, so the first step has v = g as in PyTorch)
//	w = w − lr·(g + μ·v)         with Nesterov,   w − lr·v   without.
//
// A parameter with RowStep uses lr·RowStep[r] for the elements of its row r.
type SGD struct {
	Momentum      float64
	WeightDecay   float64
	Nesterov      bool
	NoDecayBNBias bool

	params []*Param
	vel    [][]float32
}

// NewSGD returns an optimizer over params with zero momentum buffers.
func NewSGD(params []*Param, momentum, weightDecay float64, nesterov, noDecayBNBias bool) *SGD {
	o := &SGD{Momentum: momentum, WeightDecay: weightDecay, Nesterov: nesterov, NoDecayBNBias: noDecayBNBias, params: params}
	for _, p := range params {
		o.vel = append(o.vel, make([]float32, len(p.Data)))
	}
	return o
}

// Step updates every parameter from its gradient with learning rate lr.
func (o *SGD) Step(lr float64) {
	mu, l := float32(o.Momentum), float32(lr)
	for k, p := range o.params {
		wd := float32(o.WeightDecay)
		if o.NoDecayBNBias && p.Kind != Weight {
			wd = 0
		}
		v := o.vel[k]
		w, gr := p.Data, p.Grad[:len(p.Data)]
		v = v[:len(w)]
		per := len(w)
		if p.RowStep != nil {
			per = len(w) / len(p.RowStep)
		}
		for i := range w {
			l := l
			if p.RowStep != nil {
				l *= p.RowStep[i/per]
			}
			g := gr[i] + wd*w[i]
			if mu != 0 {
				v[i] = mu*v[i] + g
				if o.Nesterov {
					g += mu * v[i]
				} else {
					g = v[i]
				}
			}
			w[i] -= l * g
		}
	}
}

// Velocity returns the momentum buffer of parameter k (in Params order), aliased.
func (o *SGD) Velocity(k int) []float32 { return o.vel[k] }

// Schedule names a learning-rate schedule.
type Schedule string

// The learning-rate schedules.
const (
	Constant Schedule = "constant" // the base rate throughout (after any warm-up)
	Step     Schedule = "step"     // ×0.1 at 50% and at 75% of the epochs (after any warm-up)
	Cosine   Schedule = "cosine"   // half-cosine from the base rate to 0 over the steps after warm-up
	OneCycle Schedule = "onecycle" // PyTorch OneCycleLR: cosine up from base/25, then down to base/25e4
)

// LRSchedule maps an optimizer step to its learning rate.
type LRSchedule struct {
	Kind          Schedule
	Base          float64 // peak learning rate
	Epochs        int
	StepsPerEpoch int
	// Warmup is the warm-up length in epochs (fractions allowed). For constant, step and cosine
	// the rate rises linearly from Base/WarmupSteps to Base over it; for onecycle it is the rising
	// phase (default 30% of the run, PyTorch's pct_start 0.3).
	Warmup float64
}

// Validate checks the schedule's fields.
func (s LRSchedule) Validate() error {
	switch s.Kind {
	case Constant, Step, Cosine, OneCycle:
	default:
		return fmt.Errorf("train: unknown schedule %q (want constant, step, cosine or onecycle)", s.Kind)
	}
	if s.Base <= 0 || s.Epochs < 1 || s.StepsPerEpoch < 1 || s.Warmup < 0 || s.Warmup >= float64(s.Epochs) && s.Warmup > 0 {
		return fmt.Errorf("train: bad schedule: base %g, %d epochs of %d steps, warm-up %g epochs", s.Base, s.Epochs, s.StepsPerEpoch, s.Warmup)
	}
	return nil
}

// LR returns the learning rate of optimizer step t (0-based; t < Epochs·StepsPerEpoch).
func (s LRSchedule) LR(t int) float64 {
	total := s.Epochs * s.StepsPerEpoch
	warm := int(math.Round(s.Warmup * float64(s.StepsPerEpoch)))
	if s.Kind == OneCycle {
		// torch.optim.lr_scheduler.OneCycleLR, anneal_strategy "cos", div_factor 25,
		// final_div_factor 1e4.
		if warm == 0 {
			warm = int(0.3 * float64(total))
		}
		up := float64(warm) - 1
		initial, final := s.Base/25, s.Base/25/1e4
		cosAnneal := func(start, end, pct float64) float64 { return end + (start-end)/2*(math.Cos(math.Pi*pct)+1) }
		if float64(t) <= up {
			if up <= 0 {
				return s.Base
			}
			return cosAnneal(initial, s.Base, float64(t)/up)
		}
		down := float64(total-1) - up
		if down <= 0 {
			return final
		}
		return cosAnneal(s.Base, final, (float64(t)-up)/down)
	}
	if t < warm {
		return s.Base * float64(t+1) / float64(warm)
	}
	switch s.Kind {
	case Step:
		lr := s.Base
		epoch := float64(t) / float64(s.StepsPerEpoch)
		for _, m := range []float64{0.5, 0.75} {
			if epoch >= math.Floor(m*float64(s.Epochs)) {
				lr *= 0.1
			}
		}
		return lr
	case Cosine:
		rest := total - warm
		if rest <= 0 {
			return s.Base
		}
		return s.Base * 0.5 * (1 + math.Cos(math.Pi*float64(t-warm)/float64(rest)))
	}
	return s.Base
}
