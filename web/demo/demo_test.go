package demo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/pipeline"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
	"github.com/resnet20-pruning/resnet20-pruning/web/testutil"
)

// testSession builds a session from the study checkpoint imported by the test (or the project's
// weights) and the first images of the shared CIFAR-10 folder; it skips when they are missing.
func testSession(t testing.TB, nTest, nTrain int) *Session {
	t.Helper()
	w := testutil.Weights(t)
	dir, err := cifar.Dir("")
	if err != nil {
		t.Skip("no CIFAR-10 folder:", err)
	}
	test, err := ReadRecords(filepath.Join(dir, "test_batch.bin"), nTest)
	if err != nil {
		t.Skip(err)
	}
	train, err := ReadRecords(filepath.Join(dir, "data_batch_1.bin"), nTrain)
	if err != nil {
		t.Skip(err)
	}
	s, err := NewSession(w, test, train)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPruneAndViews(t *testing.T) {
	s := testSession(t, 64, 64)
	for _, sp := range []variant.Spec{
		{Method: variant.Removal, Ratio: 0.5, Seed: 1},
		{Method: variant.Sharing, Ratio: 0.5, Seed: 1},
		{Method: variant.Removal, Ratio: 0.5, Seed: 1, Variant: variant.Variant{PCA: 4, Recal: 64, Merge: true}},
		{Method: variant.Removal, Ratio: 0.7, Seed: 3, Variant: variant.Variant{Rep: variant.RepClosest, Study: true}},
	} {
		start := time.Now()
		p, err := s.Prune(sp, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("method %d: pruned in %v, %d notes", sp.Method, time.Since(start), len(p.Notes))
		for b, d := range p.Blocks {
			want := s.Orig.Blocks[b].Conv1.Cout - p.Net.Blocks[b].Conv1.Cout
			if d.RemovedCount() != want {
				t.Errorf("block %d: diagram removes %d, network %d", b, d.RemovedCount(), want)
			}
			if sp.Method == variant.Removal && d.Labels == nil && !d.Unchanged {
				t.Errorf("block %d: no labels", b)
			}
		}
		if sp.Method == variant.Removal && sp.Ratio == 0.5 && p.Blocks[0].RemovedCount() != 8 {
			t.Errorf("layer1 removes %d of 16 at ratio 0.5", p.Blocks[0].RemovedCount())
		}
		for _, c := range s.Convs {
			v, err := s.Layer(c.Name, sp, p.Plan, p.Net)
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Labels) != v.N || len(v.Points2) != 2*v.N || len(v.Steps) == 0 {
				t.Fatalf("%s: %d labels, %d coordinates, %d steps for %d points", c.Name, len(v.Labels), len(v.Points2), len(v.Steps), v.N)
			}
			// Without the plan (computed first in the browser), the same clustering.
			v0, err := s.Layer(c.Name, sp, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if v0.Hash != v.Hash || v0.Clustered != v.Clustered || v0.Unchanged != v.Unchanged || fmt.Sprint(v0.Kept) != fmt.Sprint(v.Kept) {
				t.Errorf("%s: without the plan hash %s clustered %v, with it %s %v", c.Name, v0.Hash, v0.Clustered, v.Hash, v.Clustered)
			}
			if !v.AnimSame {
				t.Errorf("%s: the animated K-Means does not end in the plan's clustering", c.Name)
			}
			if v.Clustered != (c.Role == "conv1" || (sp.Method == variant.Sharing && c.Role != "stem")) {
				t.Errorf("%s: clustered %v", c.Name, v.Clustered)
			}
		}
		e, err := resnet.Compile(p.Net)
		if err != nil {
			t.Fatal(err)
		}
		var ev Evaluator
		for first := 0; first < 40; first += resnet.Batch {
			preds, logits := ev.Batch(e, s.Test, first, min(resnet.Batch, 40-first))
			if len(preds) != min(resnet.Batch, 40-first) || len(logits) != len(preds)*resnet.Classes {
				t.Fatalf("batch at %d: %d predictions, %d logits", first, len(preds), len(logits))
			}
		}
	}
}

func TestNetBytesRoundTrip(t *testing.T) {
	s := testSession(t, 16, 0)
	p, err := s.Prune(variant.Spec{Method: variant.Sharing, Ratio: 0.3, Seed: 2, Variant: variant.Variant{Study: true}}, 2)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NetBytes(p.Net)
	if err != nil {
		t.Fatal(err)
	}
	back, err := LoadNet(b)
	if err != nil {
		t.Fatal(err)
	}
	e1, _ := resnet.Compile(p.Net)
	e2, _ := resnet.Compile(back)
	x := make([]float32, 2*cifar.ImageSize)
	s.Test.Batch(x, 0, 2)
	l1, l2 := make([]float32, 20), make([]float32, 20)
	var wk resnet.Worker
	e1.Forward(l1, x, 2, &wk)
	e2.Forward(l2, x, 2, &wk)
	for i := range l1 {
		if l1[i] != l2[i] {
			t.Fatalf("logit %d: %v vs %v", i, l1[i], l2[i])
		}
	}
}

// A variant that needs more calibration images than the pack has is refused as such.
func TestPruneCalibration(t *testing.T) {
	s := testSession(t, 16, 32)
	_, err := s.Prune(variant.Spec{Method: variant.Removal, Ratio: 0.5, Seed: 1, Variant: variant.Variant{Recal: 33}}, 1)
	if !errors.Is(err, pipeline.ErrCalib) {
		t.Fatalf("33 of 32 images: %v", err)
	}
	p, err := s.Prune(variant.Spec{Method: variant.Removal, Ratio: 0.5, Seed: 1, Variant: variant.Variant{Recal: 8, Refit: 32}}, 1)
	if err != nil || p.Repair == nil || p.Repair.Refit != 32 {
		t.Fatalf("32 of 32 images: %v", err)
	}
}

func TestReadRecordsMissing(t *testing.T) {
	if _, err := ReadRecords(filepath.Join(t.TempDir(), "none.bin"), 3); err == nil {
		t.Fatal("no error")
	}
	p := filepath.Join(t.TempDir(), "short.bin")
	os.WriteFile(p, make([]byte, cifar.RecordSize+5), 0o644)
	if _, err := ReadRecords(p, 2); err == nil {
		t.Fatal("short file accepted")
	}
}
