package export

import (
	"encoding/binary"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"

	"google.golang.org/protobuf/proto"

	"github.com/resnet20-pruning/resnet20-pruning/core/export/onnxpb"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
)

// Opset is the ONNX operator set the exported graphs use (the default domain). Every operator in
// them (Conv, Relu, Add, Slice, Pad, GlobalAveragePool, Flatten, Gemm) has had its current
// definition since opset 13, and ONNX Runtime reads it.
const Opset = 13

// The exported graph's input and output names.
const (
	InputName  = "input"
	OutputName = "logits"
)

// foldedDoc is the ONNX MetaFolded entry.
const foldedDoc = "every BatchNorm2d folded into its Conv (weights scaled by gamma/sqrt(var+1e-5), bias = beta - mean*scale [+ scale*conv bias]); " +
	"method-1 centroids expanded to one filter per output channel; initializer <conv>.weight/.bias are the folded values, not PyTorch's"

// WriteONNX writes n as an ONNX model (ONNX's protobuf encoding of the ModelProto that ONNX returns).
func WriteONNX(w io.Writer, n *resnet.Net, info Info) error {
	m, err := ONNX(n, info)
	if err != nil {
		return err
	}
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return fmt.Errorf("export: encoding ONNX: %w", err)
	}
	_, err = w.Write(b)
	return err
}

// ONNX returns n as an ONNX inference graph (IR version 8, opset 13): input InputName, float32
// [N, 3, 32, 32] with a dynamic batch dimension N, already normalised (InputDoc); output
// OutputName, float32 logits [N, 10]. Each ConvBN becomes one Conv with the BN folded in and, under
// weight sharing, its centroids expanded (Fold); ReLU, the residual Add, the shortcuts (a 1×1 Conv;
// the identity; or variant A's subsampling Slice and channel Pad), GlobalAveragePool, Flatten and
// the linear layer as a Gemm follow the engine's forward pass. The model's metadata_props hold
// Metadata(n, info) (without the safetensors layout) plus MetaInput and MetaFolded.
func ONNX(n *resnet.Net, info Info) (*onnxpb.ModelProto, error) {
	if err := check(n, info); err != nil {
		return nil, err
	}
	g := &graph{g: &onnxpb.GraphProto{Name: proto.String("resnet20"), DocString: proto.String(InputDoc)}}
	g.g.Input = []*onnxpb.ValueInfoProto{tensorInfo(InputName, 3, 32, 32)}
	g.g.Output = []*onnxpb.ValueInfoProto{tensorInfo(OutputName, resnet.Classes)}

	x := g.conv(&n.Stem, InputName)
	x = g.node("Relu", "relu", x)
	cin := n.Stem.Cout
	for i := range n.Blocks {
		b := &n.Blocks[i]
		y := g.conv(&b.Conv1, x)
		y = g.node("Relu", b.Name+".relu1", y)
		y = g.conv(&b.Conv2, y)
		res := x
		cout := b.Conv2.Cout
		switch {
		case b.Shortcut != nil:
			res = g.conv(b.Shortcut, x)
		case b.Conv1.Stride == 1 && cin == cout:
		default: // variant A: subsample by the stride, zero-pad the channels (engine's optionA)
			if s := int64(b.Conv1.Stride); s != 1 {
				starts := g.ints(b.Name+".subsample.starts", 0, 0)
				ends := g.ints(b.Name+".subsample.ends", math.MaxInt64, math.MaxInt64)
				axes := g.ints(b.Name+".subsample.axes", 2, 3)
				steps := g.ints(b.Name+".subsample.steps", s, s)
				res = g.node("Slice", b.Name+".subsample", res, starts, ends, axes, steps)
			}
			if cout > cin {
				before, after := int64((cout-cin)/2), int64(cout-cin-(cout-cin)/2)
				pads := g.ints(b.Name+".pad.pads", 0, before, 0, 0, 0, after, 0, 0)
				res = g.node("Pad", b.Name+".pad", res, pads)
			}
		}
		y = g.node("Add", b.Name+".add", y, res)
		x = g.node("Relu", b.Name+".relu", y)
		cin = cout
	}
	x = g.node("GlobalAveragePool", "pool", x)
	x = g.node("Flatten", "flatten", x)
	g.last().Attribute = []*onnxpb.AttributeProto{intAttr("axis", 1)}
	fcW := g.floats(n.FCName+".weight", n.FCW, resnet.Classes, len(n.FCW)/resnet.Classes)
	fcB := g.floats(n.FCName+".bias", n.FCB, resnet.Classes)
	g.node("Gemm", n.FCName, x, fcW, fcB)
	g.last().Output[0] = OutputName
	g.last().Attribute = []*onnxpb.AttributeProto{intAttr("transB", 1)}

	meta := Metadata(n, info)
	delete(meta, MetaLayout)
	meta[MetaInput] = InputDoc
	meta[MetaFolded] = foldedDoc
	var props []*onnxpb.StringStringEntryProto
	for _, k := range slices.Sorted(maps.Keys(meta)) {
		props = append(props, &onnxpb.StringStringEntryProto{Key: proto.String(k), Value: proto.String(meta[k])})
	}
	return &onnxpb.ModelProto{
		IrVersion:       proto.Int64(int64(onnxpb.Version_IR_VERSION)),
		OpsetImport:     []*onnxpb.OperatorSetIdProto{{Domain: proto.String(""), Version: proto.Int64(Opset)}},
		ProducerName:    proto.String("resnet20-pruning"),
		ProducerVersion: proto.String("1"),
		DocString:       proto.String("ResNet20 (variant " + string(n.Arch) + ") for CIFAR-10, BN folded. " + InputDoc),
		Graph:           g.g,
		MetadataProps:   props,
	}, nil
}

// graph accumulates a GraphProto's nodes and initializers.
type graph struct{ g *onnxpb.GraphProto }

// node appends an op node named name whose one output value is also called name, and returns it.
func (g *graph) node(op, name string, inputs ...string) string {
	g.g.Node = append(g.g.Node, &onnxpb.NodeProto{Name: proto.String(name), OpType: proto.String(op), Input: inputs, Output: []string{name}})
	return name
}

// last returns the node appended last.
func (g *graph) last() *onnxpb.NodeProto { return g.g.Node[len(g.g.Node)-1] }

// conv appends c as a Conv with its BN folded in (Fold), reading x, and returns its output's name.
func (g *graph) conv(c *resnet.ConvBN, x string) string {
	w, b := Fold(c)
	wn := g.floats(c.Name+".weight", w, c.Cout, c.Cin, c.K, c.K)
	bn := g.floats(c.Name+".bias", b, c.Cout)
	k, s, p := int64(c.K), int64(c.Stride), int64(c.K/2)
	out := g.node("Conv", c.Name, x, wn, bn)
	g.last().Attribute = []*onnxpb.AttributeProto{
		intsAttr("kernel_shape", k, k), intsAttr("strides", s, s), intsAttr("pads", p, p, p, p),
		intsAttr("dilations", 1, 1), intAttr("group", 1),
	}
	return out
}

// floats adds a float32 initializer (little-endian raw data) and returns its name.
func (g *graph) floats(name string, data []float32, dims ...int) string {
	raw := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	t := &onnxpb.TensorProto{Name: proto.String(name), DataType: proto.Int32(int32(onnxpb.TensorProto_FLOAT)), RawData: raw}
	for _, d := range dims {
		t.Dims = append(t.Dims, int64(d))
	}
	g.g.Initializer = append(g.g.Initializer, t)
	return name
}

// ints adds a 1-D int64 initializer and returns its name.
func (g *graph) ints(name string, v ...int64) string {
	g.g.Initializer = append(g.g.Initializer, &onnxpb.TensorProto{Name: proto.String(name),
		DataType: proto.Int32(int32(onnxpb.TensorProto_INT64)), Dims: []int64{int64(len(v))}, Int64Data: v})
	return name
}

func intAttr(name string, v int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_INT.Enum(), I: proto.Int64(v)}
}

func intsAttr(name string, v ...int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_INTS.Enum(), Ints: v}
}

// tensorInfo describes a float32 tensor [N, dims...] whose first dimension is the dynamic batch N.
func tensorInfo(name string, dims ...int64) *onnxpb.ValueInfoProto {
	shape := &onnxpb.TensorShapeProto{Dim: []*onnxpb.TensorShapeProto_Dimension{
		{Value: &onnxpb.TensorShapeProto_Dimension_DimParam{DimParam: "N"}}}}
	for _, d := range dims {
		shape.Dim = append(shape.Dim, &onnxpb.TensorShapeProto_Dimension{Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: d}})
	}
	return &onnxpb.ValueInfoProto{Name: proto.String(name), Type: &onnxpb.TypeProto{
		Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{
			ElemType: proto.Int32(int32(onnxpb.TensorProto_FLOAT)), Shape: shape}}}}
}
