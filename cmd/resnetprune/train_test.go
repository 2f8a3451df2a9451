package main

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/train"
)

func TestParseTrain(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		finetune bool
		err      string
	}{
		{[]string{"--out", "w.safetensors", "--epochs", "3"}, false, ""},
		{[]string{"--out", "w.safetensors", "--schedule", "onecycle", "--nesterov", "--label-smoothing", "0.1"}, false, ""},
		{[]string{"--epochs", "3"}, false, "--out"},
		{[]string{"--out", "w.pt"}, false, "--out"},
		{[]string{"--out", "w.safetensors", "--schedule", "linear"}, false, "schedule"},
		{[]string{"--out", "w.safetensors", "--epochs", "0"}, false, "epochs"},
		{[]string{"--out", "w.safetensors", "--label-smoothing", "1"}, false, "smoothing"},
		{[]string{"--out", "w.safetensors"}, true, "--weights"},
		{[]string{"--out", "w.safetensors", "--weights", "p.safetensors", "--method", "1"}, true, "--ratio"},
		{[]string{"--out", "w.safetensors", "--weights", "p.safetensors"}, true, ""},
		{[]string{"--out", "w.safetensors", "--weights", "p.safetensors", "--method", "2", "--ratio", "0.5", "--variant", "fixed+bn+merge+refit"}, true, ""},
		{[]string{"--out", "w.safetensors", "--weights", "p.safetensors", "--method", "3", "--ratio", "0.5"}, true, "method"},
		{[]string{"--out", "w.safetensors", "--weights", "p.safetensors", "--method", "1", "--ratio", "1"}, true, "ratio"},
		{[]string{"--out", "w.safetensors", "--weights", "p.safetensors", "--method", "1", "--ratio", "0.5", "--variant", "bogus"}, true, "bogus"},
		{[]string{"--out", "w.safetensors", "--weights", "p.safetensors", "--method", "1", "--ratio", "0.5", "--ninit", "0"}, true, "ninit"},
		{[]string{"--out", "w.safetensors", "--lr", "NaN"}, false, "--lr"},
		{[]string{"--out", "w.safetensors", "--warmup", "Inf"}, false, "--warmup"},
		{[]string{"--out", "w.safetensors", "--batch", "9223372036854775807"}, false, "--batch"},
		{[]string{"--out", "w.safetensors", "--epochs", "10001"}, false, "--epochs"},
		{[]string{"--out", "w.safetensors", "--epochs", "10000", "--batch", "50000"}, false, ""},
		{[]string{"--out", "w.safetensors", "--weights", "./w.safetensors"}, true, "is the input"},
		{[]string{"--out", "w.safetensors", "--weights", "w.ckpt.safetensors"}, true, "is the input"},
	} {
		_, err := parseTrain("train", tc.args, tc.finetune)
		if (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%v: error %v, want one mentioning %q", tc.args, err, tc.err)
		}
	}
}

func synthSet(n int, seed uint64) *cifar.Set {
	rng := rand.New(rand.NewPCG(seed, 2))
	s := &cifar.Set{Labels: make([]uint8, n), Pixels: make([]uint8, n*cifar.ImageSize)}
	for i := range s.Labels {
		s.Labels[i] = uint8(rng.IntN(cifar.NumClasses))
	}
	for i := range s.Pixels {
		s.Pixels[i] = uint8(rng.IntN(256))
	}
	return s
}

// TestTrainResume runs a tiny training twice, once straight and once stopped after the first
// epoch and resumed, and checks that the weights, checkpoints and logs agree.
func TestTrainResume(t *testing.T) {
	trainSet, testSet := synthSet(24, 1), synthSet(8, 2)
	dir := t.TempDir()
	runOnce := func(out string, extra ...string) {
		args := append([]string{"--out", out, "--epochs", "2", "--batch", "12", "--threads", "2", "--arch", "A",
			"--schedule", "onecycle", "--seed", "5", "--quiet"}, extra...)
		o, err := parseTrain("train", args, false)
		if err != nil {
			t.Fatal(err)
		}
		err = o.run(trainSet, testSet, io.Discard, func() (*resnet.Net, map[string]string, error) {
			net, err := resnet.New(resnet.ArchA)
			train.Init(net, o.seed)
			return net, nil, err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	a, b := filepath.Join(dir, "a.safetensors"), filepath.Join(dir, "b.safetensors")
	runOnce(a)
	runOnce(b, "--stop-after", "1")
	if logs := readLog(t, strings.TrimSuffix(b, ".safetensors")+".log.jsonl"); len(logs) != 1 {
		t.Fatalf("after --stop-after 1 the log has %d epochs", len(logs))
	}
	runOnce(b, "--resume")
	// The weights files match byte for byte (the checkpoints differ only in logged wall-clock seconds).
	wa, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	wb, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(wa, wb) {
		t.Errorf("weights differ between the straight and the resumed run")
	}
	la := readLog(t, strings.TrimSuffix(a, ".safetensors")+".log.jsonl")
	lb := readLog(t, strings.TrimSuffix(b, ".safetensors")+".log.jsonl")
	if len(la) != 2 || len(lb) != 2 {
		t.Fatalf("logs have %d and %d epochs, want 2", len(la), len(lb))
	}
	for i := range la {
		la[i].Seconds, la[i].ImagesSec, lb[i].Seconds, lb[i].ImagesSec = 0, 0, 0, 0
	}
	if !slices.Equal(la, lb) {
		t.Errorf("logs differ:\n%+v\n%+v", la, lb)
	}
	csvLog, err := os.ReadFile(strings.TrimSuffix(b, ".safetensors") + ".log.csv")
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(csvLog)), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[0], "epoch,lr,") {
		t.Errorf("CSV log:\n%s", csvLog)
	}
	if _, _, err := resnet.Load(b); err != nil {
		t.Errorf("trained weights do not load: %v", err)
	}
}

func readLog(t *testing.T, path string) []train.EpochStats {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []train.EpochStats
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line == "" {
			continue
		}
		var s train.EpochStats
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestTrainDiverges checks that a learning rate that blows the loss up stops the run with an
// error naming the cause, and writes no weights of the diverged epoch.
func TestTrainDiverges(t *testing.T) {
	out := filepath.Join(t.TempDir(), "w.safetensors")
	o, err := parseTrain("train", []string{"--out", out, "--epochs", "1", "--batch", "12", "--threads", "2",
		"--arch", "A", "--schedule", "constant", "--lr", "1e30", "--quiet"}, false)
	if err != nil {
		t.Fatal(err)
	}
	err = o.run(synthSet(24, 1), synthSet(8, 2), io.Discard, func() (*resnet.Net, map[string]string, error) {
		net, err := resnet.New(resnet.ArchA)
		train.Init(net, o.seed)
		return net, nil, err
	})
	if err == nil || !strings.Contains(err.Error(), "diverged") {
		t.Fatalf("error %v, want one saying the training diverged", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("weights of the diverged epoch were written (%v)", err)
	}
}
