// Command resnetprune evaluates, prunes and benchmarks ResNet20 on CIFAR-10.
//
//	resnetprune import --from study-resnet20-model.pth --out study.safetensors
//	resnetprune eval   --weights study.safetensors --limit 1000 [--json]
//	resnetprune bench  --weights study.safetensors --threads 2
//	resnetprune data   [--dir data]
//	resnetprune train  --epochs 200 --out w.safetensors [--arch B] [--resume]
//	resnetprune finetune --weights pruned.safetensors --epochs 20 --out ft.safetensors
//
// Run a subcommand with -h for its flags.
package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"os"

	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// command is one subcommand: its name, a one-line summary and its entry point.
type command struct {
	name, summary string
	run           func(args []string) error
}

var commands = []command{
	{"import", "convert a PyTorch checkpoint (.pth/.th) to the project's safetensors", runImport},
	{"eval", "evaluate weights on CIFAR-10: accuracy, speed, params, MACs", runEval},
	{"bench", "reproducible inference throughput: warm-up, several runs, median", runBench},
	{"data", "download CIFAR-10 (binary version) and check its MD5", runData},
	{"train", "train ResNet20 from scratch: SGD, schedules, augmentation, checkpoints, --resume", runTrain},
	{"finetune", "fine-tune (pruned) weights with the training loop, typically at a lower LR", runFinetune},
	{"prune", "prune by K-Means filter clustering (method 1 sharing, 2 removal), repair, evaluate", runPrune},
	{"sweep", "prune over methods × ratios × variants: CSV, JSON and plots", runSweep},
	{"export", "write (pruned) weights for PyTorch (.safetensors) or ONNX Runtime (.onnx, BN folded)", runExport},
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: resnetprune <command> [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", c.name, c.summary)
	}
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	for _, c := range commands {
		if c.name == os.Args[1] {
			catchSignals()
			_, err := variant.BaseURL(os.Getenv(variant.EnvBaseURL)) // checked once, before any work (link)
			if err != nil {
				err = fmt.Errorf("$%s: %w", variant.EnvBaseURL, err)
			} else {
				err = c.run(os.Args[2:])
			}
			if errors.Is(err, flag.ErrHelp) {
				os.Exit(0)
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "resnetprune "+c.name+":", err)
				os.Exit(1)
			}
			return
		}
	}
	if a := os.Args[1]; a == "-h" || a == "--help" || a == "help" {
		usage()
		return
	}
	fmt.Fprintf(os.Stderr, "resnetprune: unknown command %q\n", os.Args[1])
	usage()
	os.Exit(2)
}

// newFlags returns a FlagSet that reports errors instead of exiting.
func newFlags(name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: resnetprune %s %s\n", name, usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args and rejects leftover positional arguments and, in every floating-point flag
// given, NaN and infinities.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags go as --name value)", fs.Arg(0))
	}
	var err error
	fs.Visit(func(f *flag.Flag) {
		if g, ok := f.Value.(flag.Getter); ok && err == nil {
			if v, ok := g.Get().(float64); ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
				err = fmt.Errorf("--%s %v: want a finite number", f.Name, v)
			}
		}
	})
	return err
}
