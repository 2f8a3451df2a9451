// Command sitegen writes the browser demo's static site (see package web/site); `make site` and
// `make serve` run it from the repository root:
//
//	go run ./web/sitegen -out dist [-data DIR] [-weights W.safetensors] [-base-url https://user.github.io/repo/]
//
// Without -data it finds CIFAR-10 as download.Resolve does: $CIFAR10_DIR, else
// $SHARED_DIR/data/cifar-10-batches-bin (SHARED_DIR defaults to ../shared beside the repository),
// else data/cifar-10-batches-bin, else it downloads the official archive into data/
// ($CIFAR10_URL and $CIFAR10_MD5 override its address and checksum). -base-url (default
// $BASE_URL) is the site's public address, written into the manifest for the page's links. It
// prints every file's size and the download budget of the files the page needs first
// (site.Critical).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/resnet20-pruning/resnet20-pruning/core/cifar"
	"github.com/resnet20-pruning/resnet20-pruning/core/cifar/download"
	"github.com/resnet20-pruning/resnet20-pruning/web/site"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "sitegen:", err)
		os.Exit(1)
	}
}

// run is the whole command, for the test that runs it as `make site` does.
func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sitegen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", "", "repository root (default: the folder holding go.mod, from the working directory up)")
	out := fs.String("out", "dist", "output folder")
	data := fs.String("data", "", "CIFAR-10 binary folder (default: $"+cifar.EnvDir+", ../shared's, data/'s, else download into -download)")
	dl := fs.String("download", "data", "where to download CIFAR-10 when no folder has it (relative to -root)")
	weights := fs.String("weights", "", "weights to ship (default weights/resnet20.safetensors when present)")
	baseURL := fs.String("base-url", os.Getenv("BASE_URL"), "the site's public address, e.g. https://user.github.io/repo/ (default $BASE_URL)")
	test := fs.Int("test", 1000, "test images in the sample pack")
	first := fs.Int("test-first", 200, "test images in the pack's first part (loaded first)")
	train := fs.Int("train", 512, "train images in the sample pack (calibration)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *root == "" {
		r, err := moduleRoot()
		if err != nil {
			return err
		}
		*root = r
	}
	if !filepath.IsAbs(*dl) {
		*dl = filepath.Join(*root, *dl)
	}
	dir := *data
	if dir != "" {
		d, err := cifar.Dir(dir)
		if err != nil {
			return err
		}
		dir = d
	} else {
		shared := os.Getenv("SHARED_DIR")
		if shared == "" {
			shared = filepath.Join(*root, "..", "shared")
		}
		d, err := download.Resolve(context.Background(), shared, *dl, stderr)
		if err != nil {
			return err
		}
		dir = d
	}
	m, err := site.Build(site.Options{Root: *root, Out: *out, CIFAR: dir, Weights: *weights, BaseURL: *baseURL,
		Test: *test, TestFirst: *first, Train: *train, Log: stderr})
	if err != nil {
		return err
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
		fmt.Fprintf(stdout, "%-32s %8.2f MB%s\n", n, float64(m.Sizes[n])/1e6, extra)
	}
	if err := printBudget(stdout, *out, m); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "site written to %s", *out)
	if m.BaseURL != "" {
		fmt.Fprintf(stdout, " (to publish at %s)", m.BaseURL)
	}
	fmt.Fprintln(stdout)
	return nil
}

// printBudget prints the gzip sizes of the files the page needs before it is interactive, as a
// Markdown table, and their sum against site.MaxCritical.
func printBudget(w io.Writer, dir string, m *site.Manifest) error {
	sizes, total, err := site.Sizes(dir, site.Critical(m))
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nbefore the page is interactive (site.Critical):\n\n| file | bytes | gzip |\n| --- | ---: | ---: |")
	for _, s := range sizes {
		fmt.Fprintf(w, "| %s | %d | %d |\n", s.Name, s.Bytes, s.Gz)
	}
	verdict := "within"
	if total > site.MaxCritical {
		verdict = "OVER"
	}
	fmt.Fprintf(w, "| total | | %d (%.2f MB: %s the %.1f MB budget) |\n\n", total, float64(total)/1e6, verdict, float64(site.MaxCritical)/1e6)
	return nil
}

// moduleRoot returns the working directory or the nearest folder above it that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("no go.mod in the working directory or above it: run from the repository (or pass -root)")
		}
		dir = up
	}
}
