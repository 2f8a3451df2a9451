package repair

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/eval"
	"github.com/resnet20-pruning/resnet20-pruning/core/kernels"
	"github.com/resnet20-pruning/resnet20-pruning/core/prune"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/tensor"
	"github.com/resnet20-pruning/resnet20-pruning/core/torchload"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/internal/shared"
)

// Data-backed checks and timings of the repair on the study's checkpoint: the PyTorch file in the
// shared folder (weights/study-resnet20-model.pth, imported as the CLI imports it; $REPAIR_WEIGHTS
// names another .pth or .safetensors) and CIFAR-10. Without them they skip (fail under CI=true,
// see internal/shared); under wasm they skip.

// studyData is the study checkpoint, the first calibration train images and the first 1,000 test
// images.
type studyData struct {
	net  *resnet.Net
	x    []float32 // calibration images, normalised
	n    int
	test *cifar.Set
}

func loadStudy(tb testing.TB, calib int) *studyData {
	tb.Helper()
	if runtime.GOOS == "js" {
		tb.Skip("the study's data is not read under wasm")
	}
	w := os.Getenv("REPAIR_WEIGHTS")
	if w == "" {
		w = shared.Path(tb, filepath.Join("weights", "study-resnet20-model.pth"))
	}
	dir := shared.CIFAR10(tb)
	var net *resnet.Net
	var err error
	if strings.HasSuffix(w, ".safetensors") {
		net, _, err = resnet.Load(w)
	} else {
		var ts map[string]*tensor.Tensor
		if ts, err = torchload.Load(w); err == nil {
			net, err = resnet.FromTensors(ts)
		}
	}
	if err != nil {
		tb.Fatal(err)
	}
	train, err := cifar.Open(dir, cifar.Train)
	if err != nil {
		tb.Fatal(err)
	}
	test, err := cifar.Open(dir, cifar.Test)
	if err != nil {
		tb.Fatal(err)
	}
	x := make([]float32, calib*cifar.ImageSize)
	train.Batch(x, 0, calib)
	return &studyData{net: net, x: x, n: calib, test: test.Slice(0, 1000)}
}

// plan clusters the study network for method m at ratio r (seed 1) with variant name.
func (d *studyData) plan(tb testing.TB, m prune.Method, r float64, name string, calib int) (*prune.Plan, prune.Variant) {
	tb.Helper()
	v, err := variant.Parse(name, calib)
	if err != nil {
		tb.Fatal(err)
	}
	spec := prune.Spec{Method: m, Ratio: r, Seed: 1, Variant: v}
	plan, err := prune.Cluster(d.net, spec, prune.ClusterOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	return plan, v
}

// repairOnce applies v to plan and repairs it with cal (opt adjusts the options); it returns the
// network and the repair's wall and process CPU time.
func repairOnce(tb testing.TB, d *studyData, cal *Calibration, plan *prune.Plan, v prune.Variant, opt func(*Options)) (*resnet.Net, time.Duration, time.Duration) {
	tb.Helper()
	net, _, err := prune.Apply(d.net, plan, v)
	if err != nil {
		tb.Fatal(err)
	}
	o := ForPlan(v, plan)
	if opt != nil {
		opt(&o)
	}
	start, cpu := time.Now(), processCPU()
	if _, err := cal.Repair(net, o); err != nil {
		tb.Fatal(err)
	}
	return net, time.Since(start), processCPU() - cpu
}

func (d *studyData) accuracy(tb testing.TB, net *resnet.Net) float64 {
	tb.Helper()
	e, err := resnet.Compile(net)
	if err != nil {
		tb.Fatal(err)
	}
	return eval.Run(e, d.test, 2, nil).Accuracy()
}

// TestStudyRepair times the best method-2 pipeline's repair at r = 0.5 on 2,048 calibration images
// (a fresh Calibration, so the original network's forward passes are counted) and checks its accuracy
// on the first 1,000 test images. $REPAIR_RUNS sets how many repairs are timed (default 1).
func TestStudyRepair(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	if kernels.KernelName() == "portable" { // make test-native checks it with the SIMD kernels
		t.Skip("portable kernels: the repair takes about 7× as long (145 s of CPU); the SIMD build checks it")
	}
	const calib = 2048
	d := loadStudy(t, calib)
	plan, v := d.plan(t, prune.Removal, 0.5, variant.Best(prune.Removal).Name(), calib)
	runs := 1
	if s := os.Getenv("REPAIR_RUNS"); s != "" {
		runs, _ = strconv.Atoi(s)
	}
	var net *resnet.Net
	for range runs {
		cal, err := NewCalibration(d.net, d.x, d.n, 2)
		if err != nil {
			t.Fatal(err)
		}
		var el, cpu time.Duration
		net, el, cpu = repairOnce(t, d, cal, plan, v, nil)
		t.Logf("repair %s r=0.5 on %d images: %.2f s wall, %.2f s CPU", v.Name(), calib, el.Seconds(), cpu.Seconds())
	}
	acc := d.accuracy(t, net)
	t.Logf("accuracy on the first 1,000 test images: %.1f%%", acc)
	if acc < 82 {
		t.Fatalf("accuracy %.1f%% < 82%%", acc)
	}
}

// TestStudyCalibCurve reports accuracy against the number of calibration images ($REPAIR_CURVE=1;
// method $REPAIR_METHOD, default 2; ratios 0.5 and 0.8; variant $REPAIR_VARIANT, default Best).
func TestStudyCalibCurve(t *testing.T) {
	if os.Getenv("REPAIR_CURVE") == "" {
		t.Skip("set REPAIR_CURVE=1")
	}
	m := prune.Removal
	if os.Getenv("REPAIR_METHOD") == "1" {
		m = prune.Sharing
	}
	name := os.Getenv("REPAIR_VARIANT")
	if name == "" {
		name = variant.Best(m).Name()
	}
	sizes := []int{512, 1024, 2048, 4096}
	d := loadStudy(t, sizes[len(sizes)-1])
	cal, err := NewCalibration(d.net, d.x, d.n, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []float64{0.5, 0.8} {
		plan, _ := d.plan(t, m, r, name, sizes[0])
		for _, n := range sizes {
			v, err := variant.Parse(name, n) // the same clustering: only the counts differ
			if err != nil {
				t.Fatal(err)
			}
			net, el, cpu := repairOnce(t, d, cal, plan, v, nil)
			fmt.Printf("method %d r=%.1f %s calib %d: %.1f%% (repair %.2f s wall, %.2f s CPU)\n", m, r, name, n, d.accuracy(t, net), el.Seconds(), cpu.Seconds())
		}
	}
}

// TestStudyOptions compares repair settings on the study checkpoint ($REPAIR_EXP=1): accuracy on
// the first 1,000 test images and the repair's wall and CPU time (a fresh Calibration each time,
// $REPAIR_THREADS goroutines, default 2), at r = 0.5 and 0.8 with Best's steps. A setting is
// calib/positions/select positions/ReLU passes, e.g. 2048/32/16/1;
// $REPAIR_CONFIGS lists them (comma-separated), $REPAIR_METHOD picks method 1 (default 2).
func TestStudyOptions(t *testing.T) {
	if os.Getenv("REPAIR_EXP") == "" {
		t.Skip("set REPAIR_EXP=1")
	}
	m := prune.Removal
	if os.Getenv("REPAIR_METHOD") == "1" {
		m = prune.Sharing
	}
	threads := 2
	if s := os.Getenv("REPAIR_THREADS"); s != "" {
		threads, _ = strconv.Atoi(s)
	}
	type config struct{ calib, positions, selPos, passes int }
	var configs []config
	maxCalib := 0
	for _, s := range strings.Split(os.Getenv("REPAIR_CONFIGS"), ",") {
		var c config
		if _, err := fmt.Sscanf(s, "%d/%d/%d/%d", &c.calib, &c.positions, &c.selPos, &c.passes); err != nil {
			t.Fatalf("setting %q: want calib/positions/select positions/passes", s)
		}
		configs = append(configs, c)
		maxCalib = max(maxCalib, c.calib)
	}
	d := loadStudy(t, maxCalib)
	name := variant.Best(m).Name()
	ratios := []float64{0.5, 0.8}
	if s := os.Getenv("REPAIR_RATIOS"); s != "" {
		ratios = nil
		for _, f := range strings.Split(s, ",") {
			r, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatal(err)
			}
			ratios = append(ratios, r)
		}
	}
	for _, r := range ratios {
		plan, _ := d.plan(t, m, r, name, maxCalib)
		for _, c := range configs {
			v, err := variant.Parse(name, c.calib) // the same clustering: only the counts differ
			if err != nil {
				t.Fatal(err)
			}
			cal, err := NewCalibration(d.net, d.x[:c.calib*cifar.ImageSize], c.calib, threads)
			if err != nil {
				t.Fatal(err)
			}
			net, el, cpu := repairOnce(t, d, cal, plan, v, func(o *Options) {
				o.Positions, o.SelectPositions = c.positions, c.selPos
				if o.ReLUPasses > 0 {
					o.ReLUPasses = c.passes
				}
			})
			fmt.Printf("method %d r=%.1f %d/%d/%d/%d %.1f%%  %.2f s wall, %.2f s CPU\n", m, r, c.calib, c.positions, c.selPos, c.passes, d.accuracy(t, net), el.Seconds(), cpu.Seconds())
		}
	}
}
