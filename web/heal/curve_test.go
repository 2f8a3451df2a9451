package heal

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/pipeline"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/torchload"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/internal/shared"
)

// study is the study checkpoint pruned by method 2 at r = 0.8 with variant.Best (the issue's
// target run), with its pipeline (whose calibration the Tuner reuses), training images and the
// first 1,000 test images.
type study struct {
	orig, pruned *resnet.Net
	pipe         *pipeline.Pipeline
	train, test  *cifar.Set
	pruneSeconds float64
}

// studyNet is the study checkpoint with the train split and the first 1,000 test images.
type studyNet struct {
	orig        *resnet.Net
	train, test *cifar.Set
}

func loadStudyNet(t *testing.T) *studyNet {
	t.Helper()
	w := shared.Path(t, filepath.Join("weights", "study-resnet20-model.pth"))
	dir := shared.CIFAR10(t)
	ts, err := torchload.Load(w)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := resnet.FromTensors(ts)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := cifar.Open(dir, cifar.Train)
	if err != nil {
		t.Fatal(err)
	}
	te, err := cifar.Open(dir, cifar.Test)
	if err != nil {
		t.Fatal(err)
	}
	return &studyNet{orig: orig, train: tr, test: te.Slice(0, 1000)}
}

func loadStudy(t *testing.T, trainImages int) *study {
	t.Helper()
	sn := loadStudyNet(t)
	s := &study{orig: sn.orig, train: sn.train.Slice(0, trainImages), test: sn.test}
	s.pipe = &pipeline.Pipeline{Orig: sn.orig, Train: sn.train.Slice(0, variant.BestCalib), Threads: envInt("HEAL_THREADS", 1)}
	if c := os.Getenv("HEAL_CACHE"); c != "" { // a pruned network saved by an earlier run
		var err error
		if s.pruned, _, err = resnet.Load(c); err == nil {
			return s
		}
	}
	t0 := time.Now()
	v := variant.Best(variant.Removal)
	if name := os.Getenv("HEAL_VARIANT"); name != "" {
		var err error
		if v, err = variant.Parse(name, 512); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.pipe.Run(variant.Spec{Method: variant.Removal, Ratio: envFloat("HEAL_RATIO", 0.8), Seed: 1, Variant: v})
	if err != nil {
		t.Fatal(err)
	}
	s.pruneSeconds = time.Since(t0).Seconds()
	s.pruned = r.Net
	if c := os.Getenv("HEAL_CACHE"); c != "" {
		if err := s.pruned.Save(c, nil); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func envInt(k string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(k)); err == nil {
		return v
	}
	return def
}

func envFloat(k string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(k), 64); err == nil {
		return v
	}
	return def
}

// TestCurve measures the target (method 2, r = 0.8, Best, study checkpoint: ≥ +3 points
// on the first 1,000 test images within 60 s of fine-tuning) and prints the curve: training
// seconds (evaluations excluded) → test accuracy. It runs only with HEAL_CURVE=1; HEAL_SECONDS,
// HEAL_EVERY (steps between evaluations), HEAL_TRAIN (training images: the first N of the train
// split), HEAL_LR, HEAL_BATCH, HEAL_MOM, HEAL_ALPHA, HEAL_T, HEAL_RECAL, HEAL_RESTD and HEAL_THREADS change the
// run; HEAL_VARIANT (a variant name, counts 512) and HEAL_RATIO prune another way (method 2);
// HEAL_CACHE=FILE keeps the pruned network between runs. Natively:
//
//	HEAL_CURVE=1 go test -run Curve -v -timeout 30m ./web/heal/
//
// In WebAssembly under Node (one thread, as in a worker):
//
//	HEAL_CURVE=1 GOOS=js GOARCH=wasm GOEXPERIMENT=simd go test -exec "$(go env GOROOT)/lib/wasm/go_js_wasm_exec" -run Curve -v -timeout 30m ./web/heal/
func TestCurve(t *testing.T) {
	if os.Getenv("HEAL_CURVE") != "1" {
		t.Skip("a measurement: set HEAL_CURVE=1")
	}
	s := loadStudy(t, envInt("HEAL_TRAIN", 3000))
	o := DefaultOptions()
	o.LR = envFloat("HEAL_LR", o.LR)
	o.Batch = envInt("HEAL_BATCH", o.Batch)
	o.Distill = envFloat("HEAL_ALPHA", o.Distill)
	o.Threads = envInt("HEAL_THREADS", o.Threads)
	o.Momentum = envFloat("HEAL_MOM", o.Momentum)
	o.Temperature = envFloat("HEAL_T", o.Temperature)
	o.Recal = envInt("HEAL_RECAL", o.Recal)
	o.Restandardize = envInt("HEAL_RESTD", o.Restandardize)
	cal, err := s.pipe.Calibration(max(1, o.Restandardize, o.Recal))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	h, err := New(s.orig, s.pruned, s.train, cal, o)
	if err != nil {
		t.Fatal(err)
	}
	setup := time.Since(t0).Seconds()
	t1 := time.Now()
	c0, err := Correct(s.pruned, s.test, o.Threads)
	if err != nil {
		t.Fatal(err)
	}
	evalSec := time.Since(t1).Seconds()
	t.Logf("options %+v, %d training images; pruning took %.1f s, New %.1f s, one evaluation %.1f s",
		o, s.train.Len(), s.pruneSeconds, setup, evalSec)
	t.Logf("seconds  steps  images  loss    train%%  test-1k")
	t.Logf("%7.1f  %5d  %6d  %6s  %6s  %5.1f%%", setup, 0, 0, "", "", float64(c0)/10)
	c, err := h.Evaluate(s.test, o.Threads)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("(after restandardising: %.1f%%)", float64(c)/10)
	budget := envFloat("HEAL_SECONDS", 60)
	every := envInt("HEAL_EVERY", 20)
	best := c0
	for h.Progress().Seconds+setup < budget {
		p, err := h.Step(context.Background(), every)
		if err != nil {
			t.Fatal(err)
		}
		c, err := h.Evaluate(s.test, o.Threads)
		if err != nil {
			t.Fatal(err)
		}
		best = max(best, c)
		t.Logf("%7.1f  %5d  %6d  %6.3f  %5.1f%%  %5.1f%%", setup+p.Seconds, p.Steps, p.Images, p.Loss, p.Acc, float64(c)/10)
	}
	fmt.Printf("heal curve: start %.1f%%, best %.1f%% (%+.1f points)\n", float64(c0)/10, float64(best)/10, float64(best-c0)/10)
}
