// Command sitegen writes the browser demo's static site (see package web/site):
//
//	go run ./web/sitegen -out dist [-data $CIFAR10_DIR] [-weights W.safetensors]
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/web/site"
)

func main() {
	out := flag.String("out", "dist", "output folder")
	data := flag.String("data", "", "CIFAR-10 binary folder (default $"+cifar.EnvDir+", else "+cifar.DefaultDir+")")
	weights := flag.String("weights", "", "weights to ship (default weights/resnet20.safetensors when present)")
	test := flag.Int("test", 1000, "test images in the sample pack")
	train := flag.Int("train", 512, "train images in the sample pack (calibration)")
	flag.Parse()
	dir, err := cifar.Dir(*data)
	if err != nil {
		log.Fatal(err)
	}
	root, err := os.Getwd()
	if err != nil {
		log.Fatal(err)
	}
	m, err := site.Build(site.Options{Root: root, Out: *out, CIFAR: dir, Weights: *weights, Test: *test, Train: *train, Log: os.Stderr})
	if err != nil {
		log.Fatal(err)
	}
	names := make([]string, 0, len(m.Sizes))
	for n := range m.Sizes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		extra := ""
		if fi, err := os.Stat(filepath.Join(*out, n+".gz")); err == nil {
			extra = fmt.Sprintf("  (gzip %.2f MB", float64(fi.Size())/1e6)
			if fb, err := os.Stat(filepath.Join(*out, n+".br")); err == nil {
				extra += fmt.Sprintf(", brotli %.2f MB", float64(fb.Size())/1e6)
			}
			extra += ")"
		}
		fmt.Printf("%-32s %8.2f MB%s\n", n, float64(m.Sizes[n])/1e6, extra)
	}
	fmt.Printf("site written to %s\n", *out)
}
