package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/resnet20-pruning/resnet20-pruning/core/resnet"
	"github.com/resnet20-pruning/resnet20-pruning/core/safetensors"
)

// Every file the commands write goes through writeOutput: it refuses to replace an input or
// anything but a regular file, writes a temporary file next to the target, syncs it and renames
// it over the target, so that the target holds either its old content or the complete new one.
// The temporary files in flight are removed when a SIGINT or SIGTERM stops the program
// (catchSignals).

// tempFiles holds the names of the temporary files being written. Its lock is held across each
// final rename, so that a signal never removes a file that has just become the target.
var tempFiles = struct {
	sync.Mutex
	names map[string]bool
}{names: map[string]bool{}}

// graceful holds the cancel function of signalContext's context, if a command asked for one.
var graceful struct {
	sync.Mutex
	cancel context.CancelFunc
}

// signalContext returns a context that the first SIGINT or SIGTERM cancels, instead of ending the
// program at once: for a command whose library code cleans up its own files when cancelled (the
// download). A second signal ends the program as catchSignals does.
func signalContext() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	graceful.Lock()
	graceful.cancel = cancel
	graceful.Unlock()
	return ctx
}

// catchSignals makes a SIGINT or SIGTERM remove the temporary files in flight, print one line and
// exit with status 128+signal, the status a shell reports for a process the signal killed (when a
// signalContext is pending, the first signal cancels it instead).
func catchSignals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-c
		graceful.Lock()
		cancel := graceful.cancel
		graceful.cancel = nil
		graceful.Unlock()
		if cancel != nil {
			cancel()
			s = <-c
		}
		tempFiles.Lock() // Kept: nothing may rename or create a temporary file any more.
		for name := range tempFiles.names {
			os.Remove(name)
		}
		fmt.Fprintf(os.Stderr, "resnetprune: stopped by %v\n", s)
		code := 130
		if s == syscall.SIGTERM {
			code = 143
		}
		os.Exit(code)
	}()
}

// fileKind names a non-regular file's type for an error message.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// checkOutput reports why path must not be written: it exists and is not a regular file (a
// symbolic link, device, named pipe, directory…), or it is one of inputs, by name or as the same
// file (os.SameFile: hard links, symbolic links, other spellings of the path). Empty inputs are
// ignored.
func checkOutput(path string, inputs ...string) error {
	if path == "" {
		return errors.New("empty output file name")
	}
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fi = nil
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		return fmt.Errorf("output %s is %s: refusing to replace it (only regular files are written)", path, fileKind(fi.Mode()))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	for _, in := range inputs {
		if in == "" {
			continue
		}
		same := false
		if inAbs, err := filepath.Abs(in); err == nil && inAbs == abs {
			same = true
		} else if fi != nil {
			if ii, err := os.Stat(in); err == nil && os.SameFile(fi, ii) {
				same = true
			}
		}
		if same {
			return fmt.Errorf("output %s is the input %s: refusing to overwrite it; write to another file", path, in)
		}
	}
	return nil
}

// checkWeightsOutput is checkOutput for weights: it also requires the .safetensors extension, by
// which eval and the other commands recognise the format.
func checkWeightsOutput(path string, inputs ...string) error {
	if !strings.HasSuffix(path, ".safetensors") {
		return fmt.Errorf("output %q: weights are written as safetensors: name a .safetensors file", path)
	}
	return checkOutput(path, inputs...)
}

// writeOutput writes path with write, after checkOutput(path, inputs...): write fills a temporary
// file in path's directory, which is synced and renamed over path. An existing file keeps its
// permission bits; a new one gets 0644. On any error, and on SIGINT or SIGTERM (catchSignals), the
// temporary file is removed and path is left as it was.
func writeOutput(path string, inputs []string, write func(io.Writer) error) (err error) {
	if err := checkOutput(path, inputs...); err != nil {
		return err
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	tempFiles.Lock()
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err == nil {
		tempFiles.names[tmp.Name()] = true
	}
	tempFiles.Unlock()
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		tempFiles.Lock()
		defer tempFiles.Unlock()
		delete(tempFiles.names, tmp.Name())
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return
		}
		// Checked again just before the rename: the target may have changed while write ran.
		if fi, lerr := os.Lstat(path); lerr == nil && !fi.Mode().IsRegular() {
			os.Remove(tmp.Name())
			err = fmt.Errorf("output %s became %s while it was written: refusing to replace it", path, fileKind(fi.Mode()))
			return
		}
		if err = os.Rename(tmp.Name(), path); err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return tmp.Close()
}

// saveNet writes n to path as resnet.Net.Save does (its arch, normalisation and meta recorded),
// through writeOutput and checkWeightsOutput.
func saveNet(n *resnet.Net, path string, meta map[string]string, inputs ...string) error {
	if err := checkWeightsOutput(path, inputs...); err != nil {
		return err
	}
	m := map[string]string{resnet.MetaFormat: "resnet20-pruning/1", resnet.MetaArch: string(n.Arch), resnet.MetaNorm: resnet.Normalization}
	for k, v := range meta {
		m[k] = v
	}
	return writeOutput(path, inputs, func(w io.Writer) error {
		return safetensors.Write(w, &safetensors.File{Tensors: n.Tensors(), Metadata: m})
	})
}

// jsonIndent encodes v as indented JSON without HTML escaping: a report's link keeps its '&'s
// (Go's default writes \u0026, which a person cannot paste).
func jsonIndent(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
