// Package resnet defines ResNet20 for CIFAR-10 in its two published variants and runs it.
//
// A Net is plain data: every convolution with its batch normalisation (ConvBN), the nine residual
// blocks and the final linear layer, with PyTorch's names. Pruning rewrites a Net; an Engine
// (engine.go) compiles a Net into prepared kernels for fast inference.
//
// Variant "B" has 1×1-conv projection shortcuts in the two stride-2 blocks (the study's model, blocks
// named layer1…layer9). Variant "A" has identity shortcuts that subsample by 2 and zero-pad channels
// (the akamaster model, blocks named layer1.0…layer3.2).
package resnet

import (
	"fmt"
	"math"
)

// Arch names a ResNet20 variant.
type Arch string

// The two ResNet20 variants.
const (
	ArchA Arch = "A" // identity shortcuts, subsample + zero-pad (option A)
	ArchB Arch = "B" // 1×1 conv + BN projection shortcuts (option B)
)

// Classes is the number of CIFAR-10 classes.
const Classes = 10

// BNEps is PyTorch's default BatchNorm epsilon, used by both checkpoints.
const BNEps = 1e-5

// BatchNorm holds one BatchNorm2d layer's parameters and running statistics.
type BatchNorm struct {
	Gamma, Beta, Mean, Var []float32
}

// NewBatchNorm returns an identity BatchNorm over c channels (γ=1, β=0, mean 0, var 1).
func NewBatchNorm(c int) BatchNorm {
	bn := BatchNorm{make([]float32, c), make([]float32, c), make([]float32, c), make([]float32, c)}
	for i := range c {
		bn.Gamma[i], bn.Var[i] = 1, 1
	}
	return bn
}

// Fold returns the per-channel affine map of inference-mode BN: y = scale·x + shift, where
// scale = γ/√(var+ε) and shift = β − mean·scale.
func (bn *BatchNorm) Fold() (scale, shift []float32) {
	scale = make([]float32, len(bn.Gamma))
	shift = make([]float32, len(bn.Gamma))
	for c := range bn.Gamma {
		s := float64(bn.Gamma[c]) / math.Sqrt(float64(bn.Var[c])+BNEps)
		scale[c] = float32(s)
		shift[c] = float32(float64(bn.Beta[c]) - float64(bn.Mean[c])*s)
	}
	return scale, shift
}

// ConvBN is a bias-free convolution followed by batch normalisation: the unit that pruning acts on.
//
// Normally W holds Cout filters. After method-1 weight sharing, W holds only the K centroid filters
// and Assign maps every output channel to its centroid; each centroid's response is then computed
// once and gathered into its member channels before the per-channel BN.
type ConvBN struct {
	Name       string // PyTorch prefix, e.g. "layer4.conv1" or "layer2.0.shortcut"
	Cin, Cout  int
	K, Stride  int       // kernel size (3 or 1) and stride (1 or 2); padding is K/2
	W          []float32 // Rows()×Cin×K×K, PyTorch layout
	Assign     []int32   // nil, or Cout centroid indices into W's rows (method 1)
	Bias       []float32 // nil, or one conv bias per row of W (the study's method-1 centroid convs)
	BN         BatchNorm
	BNName     string // PyTorch prefix of the BN, e.g. "layer4.bn1"
	Unchanged  bool   // set by pruning when the requested ratio left this layer as it was
	KeptFilter []int  // method 2: for each kept channel, its index in the original layer
}

// Rows returns the number of stored filters: Cout, or the number of centroids when shared.
func (c *ConvBN) Rows() int { return len(c.W) / (c.Cin * c.K * c.K) }

// FilterLen returns the length of one flattened filter, Cin·K·K.
func (c *ConvBN) FilterLen() int { return c.Cin * c.K * c.K }

// Filter returns the stored filter r (a slice into W).
func (c *ConvBN) Filter(r int) []float32 {
	n := c.FilterLen()
	return c.W[r*n : (r+1)*n]
}

// OutSize returns the spatial output size for an h×w input.
func (c *ConvBN) OutSize(h, w int) (int, int) {
	p := c.K / 2
	return (h+2*p-c.K)/c.Stride + 1, (w+2*p-c.K)/c.Stride + 1
}

// Block is one residual block: relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut(x)).
type Block struct {
	Name         string
	Conv1, Conv2 ConvBN
	Shortcut     *ConvBN // variant B projection; nil for identity / option A
}

// Net is a ResNet20 with its weights.
type Net struct {
	Arch     Arch
	Stem     ConvBN
	Blocks   []Block
	FCW, FCB []float32 // Classes×64 and Classes
	FCName   string    // "l" (B) or "linear" (A)
}

// New returns a ResNet20 of the given variant with zero convolution weights and identity BNs.
func New(arch Arch) (*Net, error) {
	if arch != ArchA && arch != ArchB {
		return nil, fmt.Errorf("resnet: unknown arch %q (want A or B)", arch)
	}
	n := &Net{Arch: arch, FCName: "l"}
	if arch == ArchA {
		n.FCName = "linear"
	}
	n.Stem = newConvBN("conv1", "bn1", 3, 16, 3, 1)
	cin := 16
	for stage, width := range []int{16, 32, 64} {
		for i := range 3 {
			stride := 1
			if stage > 0 && i == 0 {
				stride = 2
			}
			name := fmt.Sprintf("layer%d", stage*3+i+1)
			if arch == ArchA {
				name = fmt.Sprintf("layer%d.%d", stage+1, i)
			}
			b := Block{
				Name:  name,
				Conv1: newConvBN(name+".conv1", name+".bn1", cin, width, 3, stride),
				Conv2: newConvBN(name+".conv2", name+".bn2", width, width, 3, 1),
			}
			if arch == ArchB && stride != 1 {
				sc := newConvBN(name+".skipper.0", name+".skipper.1", cin, width, 1, stride)
				b.Shortcut = &sc
			}
			n.Blocks = append(n.Blocks, b)
			cin = width
		}
	}
	n.FCW = make([]float32, Classes*64)
	n.FCB = make([]float32, Classes)
	return n, nil
}

func newConvBN(name, bnName string, cin, cout, k, stride int) ConvBN {
	return ConvBN{Name: name, BNName: bnName, Cin: cin, Cout: cout, K: k, Stride: stride,
		W: make([]float32, cout*cin*k*k), BN: NewBatchNorm(cout)}
}

// Convs returns pointers to every ConvBN in forward order: stem, then per block conv1, conv2 and
// the shortcut when present.
func (n *Net) Convs() []*ConvBN {
	cs := []*ConvBN{&n.Stem}
	for i := range n.Blocks {
		b := &n.Blocks[i]
		cs = append(cs, &b.Conv1, &b.Conv2)
		if b.Shortcut != nil {
			cs = append(cs, b.Shortcut)
		}
	}
	return cs
}

// Clone returns a deep copy of n.
func (n *Net) Clone() *Net {
	m := *n
	m.Stem = n.Stem.clone()
	m.Blocks = make([]Block, len(n.Blocks))
	for i, b := range n.Blocks {
		m.Blocks[i] = Block{Name: b.Name, Conv1: b.Conv1.clone(), Conv2: b.Conv2.clone()}
		if b.Shortcut != nil {
			sc := b.Shortcut.clone()
			m.Blocks[i].Shortcut = &sc
		}
	}
	m.FCW = clone(n.FCW)
	m.FCB = clone(n.FCB)
	return &m
}

func (c *ConvBN) clone() ConvBN {
	d := *c
	d.W, d.Bias = clone(c.W), clone(c.Bias)
	d.Assign = clone(c.Assign)
	d.KeptFilter = clone(c.KeptFilter)
	d.BN = BatchNorm{clone(c.BN.Gamma), clone(c.BN.Beta), clone(c.BN.Mean), clone(c.BN.Var)}
	return d
}

func clone[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append([]T(nil), s...)
}

// Validate checks that every layer's shapes are consistent with its neighbours.
func (n *Net) Validate() error {
	check := func(c *ConvBN) error {
		if c.Cin < 1 || c.Cout < 1 || (c.K != 1 && c.K != 3) || (c.Stride != 1 && c.Stride != 2) {
			return fmt.Errorf("resnet: %s: bad geometry cin=%d cout=%d k=%d stride=%d", c.Name, c.Cin, c.Cout, c.K, c.Stride)
		}
		fl := c.FilterLen()
		if len(c.W) == 0 || len(c.W)%fl != 0 {
			return fmt.Errorf("resnet: %s: weight length %d is not a multiple of cin·k·k = %d", c.Name, len(c.W), fl)
		}
		rows := len(c.W) / fl
		if c.Assign == nil && rows != c.Cout {
			return fmt.Errorf("resnet: %s: %d filters for %d output channels", c.Name, rows, c.Cout)
		}
		if c.Assign != nil {
			if len(c.Assign) != c.Cout {
				return fmt.Errorf("resnet: %s: %d assignments for %d output channels", c.Name, len(c.Assign), c.Cout)
			}
			for ch, a := range c.Assign {
				if a < 0 || int(a) >= rows {
					return fmt.Errorf("resnet: %s: channel %d assigned to centroid %d of %d", c.Name, ch, a, rows)
				}
			}
		}
		if c.Bias != nil && len(c.Bias) != rows {
			return fmt.Errorf("resnet: %s: %d biases for %d filters", c.Name, len(c.Bias), rows)
		}
		bn := &c.BN
		if len(bn.Gamma) != c.Cout || len(bn.Beta) != c.Cout || len(bn.Mean) != c.Cout || len(bn.Var) != c.Cout {
			return fmt.Errorf("resnet: %s: batch norm has %d/%d/%d/%d entries for %d channels",
				c.BNName, len(bn.Gamma), len(bn.Beta), len(bn.Mean), len(bn.Var), c.Cout)
		}
		for ch, v := range bn.Var {
			if !(v >= 0) {
				return fmt.Errorf("resnet: %s: running_var[%d] = %v", c.BNName, ch, v)
			}
		}
		return nil
	}
	if n.Stem.Cin != 3 {
		return fmt.Errorf("resnet: stem takes %d channels, want 3", n.Stem.Cin)
	}
	if err := check(&n.Stem); err != nil {
		return err
	}
	cin := n.Stem.Cout
	for i := range n.Blocks {
		b := &n.Blocks[i]
		for _, c := range []*ConvBN{&b.Conv1, &b.Conv2, b.Shortcut} {
			if c == nil {
				continue
			}
			if err := check(c); err != nil {
				return err
			}
		}
		if b.Conv1.Cin != cin || b.Conv2.Cin != b.Conv1.Cout {
			return fmt.Errorf("resnet: %s: channels %d→%d→%d do not chain from %d", b.Name, b.Conv1.Cin, b.Conv1.Cout, b.Conv2.Cin, cin)
		}
		if b.Shortcut != nil && (b.Shortcut.Cin != cin || b.Shortcut.Cout != b.Conv2.Cout) {
			return fmt.Errorf("resnet: %s: shortcut %d→%d does not match %d→%d", b.Name, b.Shortcut.Cin, b.Shortcut.Cout, cin, b.Conv2.Cout)
		}
		if b.Shortcut == nil && b.Conv2.Cout < cin {
			return fmt.Errorf("resnet: %s: identity shortcut cannot narrow %d→%d channels", b.Name, cin, b.Conv2.Cout)
		}
		cin = b.Conv2.Cout
	}
	if len(n.FCW) != Classes*cin || len(n.FCB) != Classes {
		return fmt.Errorf("resnet: %s: linear layer is %d weights + %d biases, want %d×%d + %d", n.FCName, len(n.FCW), len(n.FCB), Classes, cin, Classes)
	}
	return nil
}
