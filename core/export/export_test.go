package export

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/resnet20-pruning/resnet20-pruning/core/export/onnxpb"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet/resnettest"
	"github.com/resnet20-pruning/resnet20-pruning/core/safetensors"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// testNet is one network to export and how it was made.
type testNet struct {
	name string
	net  *resnet.Net
	info Info
}

// testNets returns both variants unpruned and pruned by both methods at r = 0.5 (method 1 also as
// the study, whose centroid convolutions carry biases), from seeded random weights.
func testNets(t *testing.T) []testNet {
	t.Helper()
	var out []testNet
	for _, arch := range []resnet.Arch{resnet.ArchA, resnet.ArchB} {
		orig := resnettest.RandomNet(arch, 7)
		out = append(out, testNet{"unpruned " + string(arch), orig, Info{Source: "random"}})
		for _, c := range []struct {
			m    variant.Method
			base string
		}{{variant.Sharing, variant.Fixed}, {variant.Sharing, variant.Study}, {variant.Removal, variant.Fixed}} {
			v, err := variant.Parse(c.base, 0)
			if err != nil {
				t.Fatal(err)
			}
			sp := variant.Spec{Method: c.m, Ratio: 0.5, Seed: 3, Variant: v}
			plan, err := prune.Cluster(orig, sp, prune.ClusterOptions{NInit: 1})
			if err != nil {
				t.Fatal(err)
			}
			n, _, err := prune.Apply(orig, plan, v)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, testNet{"method " + c.m.String() + " " + c.base + " " + string(arch), n, Info{Source: "random", Spec: &sp}})
		}
	}
	return out
}

// The safetensors export reads back, through the project's own reader, as exactly the network
// written, with the narrower shapes of method 2, the centroids and indices of method 1, and
// metadata that says what it is.
func TestSafetensorsRoundTrip(t *testing.T) {
	for _, tn := range testNets(t) {
		var buf bytes.Buffer
		if err := WriteSafetensors(&buf, tn.net, tn.info); err != nil {
			t.Fatalf("%s: %v", tn.name, err)
		}
		f, err := safetensors.ReadBytes(buf.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", tn.name, err)
		}
		got, err := resnet.FromTensors(f.Tensors)
		if err != nil {
			t.Fatalf("%s: %v", tn.name, err)
		}
		want := tn.net.Tensors()
		if len(f.Tensors) != len(want) {
			t.Errorf("%s: %d tensors, want %d", tn.name, len(f.Tensors), len(want))
		}
		for name, w := range want {
			g := got.Tensors()[name]
			if g == nil || !slices.Equal(g.Shape, w.Shape) || !slices.Equal(g.Data, w.Data) {
				t.Errorf("%s: tensor %s differs after the round trip", tn.name, name)
			}
		}
		m := f.Metadata
		if m[resnet.MetaArch] != string(tn.net.Arch) || m[resnet.MetaNorm] != resnet.Normalization || m[MetaLayout] == "" || m["source"] != "random" {
			t.Errorf("%s: metadata %v", tn.name, m)
		}
		b1 := &got.Blocks[0]
		switch {
		case tn.info.Spec == nil:
			if m["method"] != "none" || m["ratio"] != "" {
				t.Errorf("%s: unpruned metadata %v", tn.name, m)
			}
		case tn.info.Spec.Method == variant.Removal:
			if w := f.Tensors[b1.Conv1.Name+".weight"]; !w.ShapeIs(8, 16, 3, 3) || !f.Tensors[b1.Conv2.Name+".weight"].ShapeIs(16, 8, 3, 3) ||
				!f.Tensors[b1.Conv1.BNName+".running_var"].ShapeIs(8) {
				t.Errorf("%s: %s.weight is %v, want the 8 kept filters", tn.name, b1.Conv1.Name, w.Shape)
			}
		case tn.info.Spec.Method == variant.Sharing:
			a := f.Tensors[b1.Conv2.Name+".assign"]
			if a == nil || !a.ShapeIs(16) || !f.Tensors[b1.Conv2.Name+".weight"].ShapeIs(8, 16, 3, 3) {
				t.Errorf("%s: %s: want 8 centroids and 16 indices", tn.name, b1.Conv2.Name)
			}
			if hasBias := f.Tensors[b1.Conv2.Name+".bias"] != nil; hasBias != tn.info.Spec.Variant.Study {
				t.Errorf("%s: conv bias present = %v", tn.name, hasBias)
			}
		}
		if s := tn.info.Spec; s != nil && (m["method"] != s.Method.String() || m["ratio"] != "0.5" || m["seed"] != "3" ||
			m["variant"] != s.Variant.Name() || !strings.HasPrefix(m[MetaArgs], "--method ") || !strings.HasPrefix(m["link"], "#method=")) {
			t.Errorf("%s: pruning metadata %v", tn.name, m)
		}
	}
}

// A network exported as it is keeps its source's pruning keys, and only those; one pruned here
// records its own run.
func TestMetadataSource(t *testing.T) {
	n := resnettest.RandomNet(resnet.ArchA, 1)
	src := map[string]string{"method": "2", "ratio": "0.8", "variant": "fixed+bn", resnet.MetaArch: "B", "other": "x"}
	m := Metadata(n, Info{Source: "p.safetensors", SourceMeta: src})
	if m["method"] != "2" || m["ratio"] != "0.8" || m["variant"] != "fixed+bn" || m[resnet.MetaArch] != "A" || m["other"] != "" || m["source"] != "p.safetensors" {
		t.Errorf("inherited metadata %v", m)
	}
	sp := &variant.Spec{Method: variant.Sharing, Ratio: 0.25, Seed: 9, Variant: variant.Variant{Study: true}}
	m = Metadata(n, Info{Spec: sp, SourceMeta: src})
	if m["method"] != "1" || m["ratio"] != "0.25" || m["seed"] != "9" || m["variant"] != "study" || m[MetaArgs] != strings.Join(sp.Args(), " ") {
		t.Errorf("pruned here: metadata %v", m)
	}
}

// Fold's weights and biases give, on random patches, what the conv (centroid, conv bias) followed
// by the BN computes in float64 from the unfolded parameters.
func TestFold(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, tn := range testNets(t) {
		for _, c := range tn.net.Convs() {
			w, b := Fold(c)
			fl := c.FilterLen()
			if len(w) != c.Cout*fl || len(b) != c.Cout {
				t.Fatalf("%s %s: %d weights, %d biases for %d×%d", tn.name, c.Name, len(w), len(b), c.Cout, fl)
			}
			p := make([]float64, fl)
			for i := range p {
				p[i] = rng.NormFloat64()
			}
			for o := range c.Cout {
				r := o
				if c.Assign != nil {
					r = int(c.Assign[o])
				}
				var z, y float64
				for j, v := range p {
					z += float64(c.W[r*fl+j]) * v
					y += float64(w[o*fl+j]) * v
				}
				if c.Bias != nil {
					z += float64(c.Bias[r])
				}
				bn := &c.BN
				want := float64(bn.Gamma[o])*(z-float64(bn.Mean[o]))/math.Sqrt(float64(bn.Var[o])+resnet.BNEps) + float64(bn.Beta[o])
				y += float64(b[o])
				if math.Abs(y-want) > 1e-5*(1+math.Abs(want)) {
					t.Fatalf("%s %s channel %d: folded %v, conv+BN %v", tn.name, c.Name, o, y, want)
				}
			}
		}
	}
}

// The ONNX export decodes as a well-formed graph: opset and IR version, a dynamic batch, every
// value defined once before use, initializers whose data match their dims, no BatchNormalization,
// each Conv's weights the folded (expanded) ones with the pruned shapes, the variant's shortcuts,
// and the metadata; and it is deterministic.
func TestONNXGraph(t *testing.T) {
	ops := map[string]bool{"Conv": true, "Relu": true, "Add": true, "Slice": true, "Pad": true, "GlobalAveragePool": true, "Flatten": true, "Gemm": true}
	for _, tn := range testNets(t) {
		var buf, again bytes.Buffer
		if err := WriteONNX(&buf, tn.net, tn.info); err != nil {
			t.Fatalf("%s: %v", tn.name, err)
		}
		if err := WriteONNX(&again, tn.net, tn.info); err != nil || !bytes.Equal(buf.Bytes(), again.Bytes()) {
			t.Errorf("%s: two exports differ (%v)", tn.name, err)
		}
		var m onnxpb.ModelProto
		if err := proto.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v", tn.name, err)
		}
		if m.GetIrVersion() < 7 || len(m.OpsetImport) != 1 || m.OpsetImport[0].GetDomain() != "" || m.OpsetImport[0].GetVersion() < 13 {
			t.Errorf("%s: IR %d, opsets %v", tn.name, m.GetIrVersion(), m.OpsetImport)
		}
		g := m.Graph
		checkIO(t, tn.name, g.Input, InputName, 3, 32, 32)
		checkIO(t, tn.name, g.Output, OutputName, 10)

		defined := map[string]bool{InputName: true}
		inits := map[string]*onnxpb.TensorProto{}
		for _, in := range g.Initializer {
			n := 1
			for _, d := range in.Dims {
				n *= int(d)
			}
			if defined[in.GetName()] || (len(in.RawData) != 4*n && len(in.Int64Data) != n) {
				t.Errorf("%s: initializer %s: dims %v, %d raw bytes, %d int64s (or defined twice)", tn.name, in.GetName(), in.Dims, len(in.RawData), len(in.Int64Data))
			}
			defined[in.GetName()] = true
			inits[in.GetName()] = in
		}
		count := map[string]int{}
		for _, nd := range g.Node {
			count[nd.GetOpType()]++
			if !ops[nd.GetOpType()] || nd.GetDomain() != "" {
				t.Errorf("%s: node %s: op %q", tn.name, nd.GetName(), nd.GetOpType())
			}
			for _, in := range nd.Input {
				if !defined[in] {
					t.Errorf("%s: node %s reads %q before it is defined", tn.name, nd.GetName(), in)
				}
			}
			for _, out := range nd.Output {
				if defined[out] {
					t.Errorf("%s: %q defined twice", tn.name, out)
				}
				defined[out] = true
			}
		}
		if !defined[OutputName] {
			t.Errorf("%s: no node computes %s", tn.name, OutputName)
		}
		convs := tn.net.Convs()
		shortcuts := 0
		if tn.net.Arch == resnet.ArchB {
			shortcuts = 2
		}
		if count["Conv"] != len(convs) || count["Relu"] != 1+2*9 || count["Add"] != 9 || count["Slice"] != 2-shortcuts || count["Pad"] != 2-shortcuts || count["Gemm"] != 1 {
			t.Errorf("%s: ops %v", tn.name, count)
		}
		for _, c := range convs {
			w, b := Fold(c)
			wt, bt := inits[c.Name+".weight"], inits[c.Name+".bias"]
			if wt == nil || bt == nil || !slices.Equal(wt.Dims, []int64{int64(c.Cout), int64(c.Cin), int64(c.K), int64(c.K)}) ||
				!slices.Equal(floats(wt.RawData), w) || !slices.Equal(floats(bt.RawData), b) {
				t.Errorf("%s: %s: initializers are not the folded %d×%d×%d×%d conv", tn.name, c.Name, c.Cout, c.Cin, c.K, c.K)
			}
		}
		props := map[string]string{}
		for _, p := range m.MetadataProps {
			props[p.GetKey()] = p.GetValue()
		}
		if props[resnet.MetaArch] != string(tn.net.Arch) || props[MetaInput] != InputDoc || props[resnet.MetaNorm] != resnet.Normalization ||
			props[MetaFolded] == "" || (tn.info.Spec != nil && props["method"] != tn.info.Spec.Method.String()) {
			t.Errorf("%s: metadata %v", tn.name, props)
		}
	}
}

// checkIO checks that vs is one float32 tensor called name of shape [N, dims...], N symbolic.
func checkIO(t *testing.T, what string, vs []*onnxpb.ValueInfoProto, name string, dims ...int64) {
	t.Helper()
	if len(vs) != 1 || vs[0].GetName() != name {
		t.Fatalf("%s: graph inputs/outputs %v, want one %s", what, vs, name)
	}
	tt := vs[0].GetType().GetTensorType()
	d := tt.GetShape().GetDim()
	if tt.GetElemType() != int32(onnxpb.TensorProto_FLOAT) || len(d) != 1+len(dims) || d[0].GetDimParam() == "" {
		t.Fatalf("%s: %s: type %v", what, name, tt)
	}
	for i, want := range dims {
		if d[1+i].GetDimValue() != want {
			t.Errorf("%s: %s: dimension %d is %v, want %d", what, name, 1+i, d[1+i], want)
		}
	}
}

func floats(raw []byte) []float32 {
	v := make([]float32, len(raw)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return v
}

func TestExportErrors(t *testing.T) {
	bad := resnettest.RandomNet(resnet.ArchB, 1)
	bad.FCW = bad.FCW[:10*32]
	ok := resnettest.RandomNet(resnet.ArchB, 1)
	for _, tc := range []struct {
		net  *resnet.Net
		info Info
		want string
	}{
		{nil, Info{}, "nil network"},
		{bad, Info{}, "linear layer"},
		{ok, Info{Spec: &variant.Spec{Method: 3, Ratio: 0.5}}, "unknown method"},
		{ok, Info{Spec: &variant.Spec{Method: 2, Ratio: 1.5}}, "outside [0, 1)"},
	} {
		for name, write := range map[string]func(*bytes.Buffer) error{
			"safetensors": func(b *bytes.Buffer) error { return WriteSafetensors(b, tc.net, tc.info) },
			"onnx":        func(b *bytes.Buffer) error { return WriteONNX(b, tc.net, tc.info) },
		} {
			var buf bytes.Buffer
			if err := write(&buf); err == nil || !strings.Contains(err.Error(), tc.want) || buf.Len() != 0 {
				t.Errorf("%s: error %v (%d bytes written), want one containing %q", name, err, buf.Len(), tc.want)
			}
		}
	}
}
