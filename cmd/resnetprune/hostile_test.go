package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/core/safetensors"
	"github.com/resnet20-pruning/resnet20-pruning/core/train"
	"github.com/resnet20-pruning/resnet20-pruning/internal/shared"
)

// The test binary doubles as the CLI: with asCLIEnv=1 it runs main on its arguments (so the
// hostile-input tests run exactly this package's code, built once), and with interruptEnv set it
// runs the helper of TestInterruptRemovesTemp.
const (
	asCLIEnv     = "RESNETPRUNE_TEST_AS_CLI"
	interruptEnv = "RESNETPRUNE_TEST_INTERRUPT"
)

func TestMain(m *testing.M) {
	if os.Getenv(asCLIEnv) == "1" {
		os.Args = append([]string{"resnetprune"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	if path := os.Getenv(interruptEnv); path != "" {
		interruptHelper(path)
	}
	os.Exit(m.Run())
}

// interruptHelper writes path through writeOutput, says "writing" on stdout in the middle of it and
// waits there for the signal that TestInterruptRemovesTemp sends.
func interruptHelper(path string) {
	catchSignals()
	err := writeOutput(path, nil, func(w io.Writer) error {
		if _, err := io.WriteString(w, "partial content"); err != nil {
			return err
		}
		fmt.Println("writing")
		time.Sleep(time.Minute)
		return errors.New("no signal came")
	})
	fmt.Fprintln(os.Stderr, "interruptHelper:", err)
	os.Exit(3)
}

// cliResult is what one run of the CLI did.
type cliResult struct {
	code           int // exit status; -1 when killed by a signal
	stdout, stderr string
}

// memLimitKiB caps the address space of each CLI run (ulimit -v), so that a command that grows
// without bound fails quickly instead of taking the machine's memory.
const memLimitKiB = 4 << 20

// runCLI runs the CLI with args in dir, with CIFAR-10 at data, for at most a minute.
func runCLI(t *testing.T, dir, data string, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", append([]string{"-c", fmt.Sprintf(`ulimit -v %d && exec "$0" "$@"`, memLimitKiB), os.Args[0]}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), asCLIEnv+"=1", "CIFAR10_DIR="+data)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%v: still running after a minute (stderr %q)", args, stderr.String())
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("%v: %v", args, err)
	}
	return cliResult{cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()}
}

// entry describes one directory entry for before/after comparisons: its type and permissions, and
// its content's hash (regular files) or target (symbolic links).
type entry struct {
	mode fs.FileMode
	sum  string
}

// snapshot describes every entry of dir, recursively, by path relative to dir.
func snapshot(t *testing.T, dir string) map[string]entry {
	t.Helper()
	m := map[string]entry{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		e := entry{mode: fi.Mode()}
		switch {
		case fi.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			e.sum = fmt.Sprintf("%x", sha256.Sum256(b))
		case fi.Mode()&fs.ModeSymlink != 0:
			if e.sum, err = os.Readlink(p); err != nil {
				return err
			}
		}
		rel, _ := filepath.Rel(dir, p)
		m[rel] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// diff lists the differences between two snapshots.
func diff(before, after map[string]entry) []string {
	var d []string
	for k, b := range before {
		if a, ok := after[k]; !ok {
			d = append(d, k+" removed")
		} else if a != b {
			d = append(d, fmt.Sprintf("%s changed (%v → %v)", k, b.mode, a.mode))
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			d = append(d, k+" appeared")
		}
	}
	slices.Sort(d)
	return d
}

func copyFile(t *testing.T, src, dst string, mode fs.FileMode) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, mode); err != nil {
		t.Fatal(err)
	}
}

// editConfig changes one field of the checkpoint's JSON training configuration.
func editConfig(key string, value any) func(map[string]string) {
	return func(meta map[string]string) {
		var cfg map[string]any
		if err := json.Unmarshal([]byte(meta[train.MetaConfig]), &cfg); err != nil {
			panic(err)
		}
		cfg[key] = value
		b, _ := json.Marshal(cfg)
		meta[train.MetaConfig] = string(b)
	}
}

// TestHostileInput runs commands as a careless user might and checks that each fails with exactly
// one clear line on stderr (no panic, no goroutine dump), leaving every file in its folder as it
// was and no file behind. Each runs in a fresh folder holding w.safetensors (the project's weights),
// x.pth (the same bytes), other.safetensors and what its setup adds. A few cases check that
// extreme but legal input is accepted instead (ok).
func TestHostileInput(t *testing.T) {
	weights := filepath.Join("..", "..", DefaultWeights)
	if _, err := os.Stat(weights); err != nil {
		t.Fatal(err)
	}
	const maxInt = "9223372036854775807"
	// The resume cases start from a checkpoint of one epoch of a tiny run (the first 16 training
	// images), trained once, with its metadata edited.
	fixture := t.TempDir()
	trainFixture := sync.OnceValue(func() error {
		cmd := exec.Command(os.Args[0], "train", "--out", "r.safetensors", "--epochs", "2", "--stop-after", "1",
			"--train-limit", "16", "--batch", "16", "--test-limit", "0", "--threads", "1", "--arch", "A", "--quiet")
		cmd.Dir = fixture
		cmd.Env = append(os.Environ(), asCLIEnv+"=1", "CIFAR10_DIR="+shared.CIFAR10Dir())
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("training the resume fixture: %v: %s", err, out)
		}
		return nil
	})
	editedCheckpoint := func(t *testing.T, dir string, edit func(meta map[string]string)) {
		t.Helper()
		if err := trainFixture(); err != nil {
			t.Fatal(err)
		}
		f, err := safetensors.ReadFile(filepath.Join(fixture, "r.ckpt.safetensors"))
		if err != nil {
			t.Fatal(err)
		}
		edit(f.Metadata)
		if err := safetensors.WriteFile(filepath.Join(dir, "r.ckpt.safetensors"), f); err != nil {
			t.Fatal(err)
		}
	}
	prune := []string{"prune", "--weights", "w.safetensors", "--method", "2", "--ratio", "0.5", "--variant", "study", "--limit", "10", "--threads", "1"}
	symlink := func(target, name string) func(*testing.T, string) {
		return func(t *testing.T, dir string) {
			if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	fifo := func(name string) func(*testing.T, string) {
		return func(t *testing.T, dir string) {
			if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		name  string
		args  []string
		setup func(t *testing.T, dir string)
		data  bool   // needs CIFAR-10
		want  string // in the one line on stderr
		ok    bool   // legal input: must succeed
		check func(t *testing.T, dir string, r cliResult)
	}{
		// --out naming an input.
		{name: "import onto its input", args: []string{"import", "--from", "w.safetensors", "--out", "./w.safetensors"}, want: "is the input"},
		{name: "import onto its .pth input", args: []string{"import", "--from", "x.pth", "--out", "x.pth"}, want: ".safetensors"},
		{name: "import onto a hard link of its input", args: []string{"import", "--from", "w.safetensors", "--out", "h.safetensors"},
			setup: func(t *testing.T, dir string) {
				if err := os.Link(filepath.Join(dir, "w.safetensors"), filepath.Join(dir, "h.safetensors")); err != nil {
					t.Fatal(err)
				}
			}, want: "is the input"},
		{name: "import from a link to its output", args: []string{"import", "--from", "l.safetensors", "--out", "w.safetensors"},
			setup: symlink("w.safetensors", "l.safetensors"), want: "is the input"},
		{name: "finetune onto its input", args: []string{"finetune", "--weights", "w.safetensors", "--out", "w.safetensors"}, want: "is the input"},
		{name: "finetune's checkpoint onto its input", args: []string{"finetune", "--weights", "a.ckpt.safetensors", "--out", "a.safetensors"},
			setup: func(t *testing.T, dir string) { copyFile(t, weights, filepath.Join(dir, "a.ckpt.safetensors"), 0o644) }, want: "is the input"},
		{name: "prune onto its input", args: append(slices.Clone(prune), "--out", "w.safetensors"), data: true, want: "input"},

		// --out onto something that is not a regular file.
		{name: "import onto a symlink", args: []string{"import", "--from", "w.safetensors", "--out", "l.safetensors"},
			setup: symlink("other.safetensors", "l.safetensors"), want: "symbolic link"},
		{name: "import onto a dangling symlink", args: []string{"import", "--from", "w.safetensors", "--out", "l.safetensors"},
			setup: symlink("nowhere.safetensors", "l.safetensors"), want: "symbolic link"},
		{name: "import onto a FIFO", args: []string{"import", "--from", "w.safetensors", "--out", "p.safetensors"},
			setup: fifo("p.safetensors"), want: "named pipe"},
		{name: "import onto a directory", args: []string{"import", "--from", "w.safetensors", "--out", "d.safetensors"},
			setup: func(t *testing.T, dir string) {
				if err := os.Mkdir(filepath.Join(dir, "d.safetensors"), 0o755); err != nil {
					t.Fatal(err)
				}
			}, want: "directory"},
		{name: "import onto a device", args: []string{"import", "--from", "w.safetensors", "--out", "null.safetensors"},
			setup: func(t *testing.T, dir string) {
				// A device node like /dev/null (1, 3): harmless should it be written.
				if err := syscall.Mknod(filepath.Join(dir, "null.safetensors"), syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
					t.Skipf("cannot create a device node here (%v): needs root", err)
				}
			}, want: "device"},
		{name: "import into a missing folder", args: []string{"import", "--from", "w.safetensors", "--out", "no/such/w2.safetensors"}, want: "no such file"},
		{name: "train with a symlinked log", args: []string{"train", "--out", "t.safetensors"},
			setup: symlink("other.safetensors", "t.log.jsonl"), want: "symbolic link"},
		{name: "train with a FIFO checkpoint", args: []string{"train", "--out", "t.safetensors"},
			setup: fifo("t.ckpt.safetensors"), want: "named pipe"},
		{name: "prune onto a FIFO", args: append(slices.Clone(prune), "--out", "p.safetensors"), setup: fifo("p.safetensors"), data: true, want: "regular file"},
		{name: "prune to a file eval rejects", args: append(slices.Clone(prune), "--out", "p.bin"), data: true, want: ".safetensors"},

		// Numbers that overflowed or allocated without bound.
		{name: "eval limit past the end", args: []string{"eval", "--weights", "w.safetensors", "--offset", "9995", "--limit", maxInt, "--json", "--threads", "1"},
			data: true, ok: true, check: func(t *testing.T, dir string, r cliResult) {
				var rep evalReport
				if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.Images != 5 {
					t.Errorf("report %q (%v): want the last 5 images", r.stdout, err)
				}
			}},
		{name: "eval offset past the end", args: []string{"eval", "--weights", "w.safetensors", "--offset", maxInt}, data: true, want: "--offset"},
		{name: "eval threads", args: []string{"eval", "--weights", "w.safetensors", "--threads", "99999999999"}, want: "--threads"},
		{name: "bench images", args: []string{"bench", "--images", "99999999999999"}, want: "--images"},
		{name: "bench runs", args: []string{"bench", "--images", "1", "--runs", maxInt}, want: "--runs"},
		{name: "train batch", args: []string{"train", "--out", "t.safetensors", "--batch", maxInt}, want: "--batch"},
		{name: "train epochs", args: []string{"train", "--out", "t.safetensors", "--epochs", maxInt}, want: "--epochs"},
		{name: "sweep ratios", args: []string{"sweep", "--weights", "w.safetensors", "--out", "sw", "--ratios", "0:0.9:1e-12", "--limit", "10"}, want: "--ratios"},
		{name: "prune ratio -1", args: []string{"prune", "--weights", "w.safetensors", "--method", "2", "--ratio", "-1"}, want: "-1"},

		// Weight files that are not files, or too large to be weights.
		{name: "eval /dev/zero", args: []string{"eval", "--weights", "/dev/zero"}, want: "not a regular file"},
		{name: "eval a FIFO", args: []string{"eval", "--weights", "p.safetensors"}, setup: fifo("p.safetensors"), want: "not a regular file"},
		{name: "eval a directory", args: []string{"eval", "--weights", "."}, want: "not a regular file"},
		{name: "eval a huge file", args: []string{"eval", "--weights", "big.safetensors"},
			setup: func(t *testing.T, dir string) {
				p := filepath.Join(dir, "big.safetensors")
				copyFile(t, weights, p, 0o644)
				if err := os.Truncate(p, safetensors.MaxFileSize+1); err != nil { // Sparse.
					t.Fatal(err)
				}
			}, want: "over the limit"},
		{name: "import a huge .pth", args: []string{"import", "--from", "big.pth", "--out", "w2.safetensors"},
			setup: func(t *testing.T, dir string) {
				if err := os.Truncate(filepath.Join(dir, "x.pth"), safetensors.MaxFileSize+1); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(filepath.Join(dir, "x.pth"), filepath.Join(dir, "big.pth")); err != nil {
					t.Fatal(err)
				}
			}, want: "over the limit"},

		// NaN and infinities, rejected before any work.
		{name: "lr NaN", args: []string{"train", "--out", "t.safetensors", "--lr", "NaN"}, want: "--lr"},
		{name: "momentum Inf", args: []string{"train", "--out", "t.safetensors", "--momentum", "Inf"}, want: "--momentum"},
		{name: "wd -Inf", args: []string{"train", "--out", "t.safetensors", "--wd", "-Inf"}, want: "--wd"},
		{name: "label smoothing NaN", args: []string{"train", "--out", "t.safetensors", "--label-smoothing", "nan"}, want: "--label-smoothing"},
		{name: "warmup Inf", args: []string{"train", "--out", "t.safetensors", "--warmup", "+Inf"}, want: "--warmup"},
		{name: "finetune distill NaN", args: []string{"finetune", "--weights", "w.safetensors", "--out", "f.safetensors", "--distill", "NaN"}, want: "--distill"},
		{name: "prune ratio NaN", args: []string{"prune", "--weights", "w.safetensors", "--method", "2", "--ratio", "NaN"}, want: "--ratio"},

		// Resumed checkpoints whose metadata lies.
		{name: "resume huge batch", args: []string{"train", "--out", "r.safetensors", "--resume", "--train-limit", "16", "--test-limit", "0"},
			setup: func(t *testing.T, dir string) { editedCheckpoint(t, dir, editConfig("batch", 1<<62)) }, data: true, want: "batch"},
		{name: "resume huge thread count", args: []string{"train", "--out", "r.safetensors", "--resume", "--train-limit", "16", "--test-limit", "0"},
			setup: func(t *testing.T, dir string) { editedCheckpoint(t, dir, editConfig("threads", 1<<40)) }, data: true, want: "threads"},
		{name: "resume negative epoch", args: []string{"train", "--out", "r.safetensors", "--resume", "--train-limit", "16", "--test-limit", "0"},
			setup: func(t *testing.T, dir string) {
				editedCheckpoint(t, dir, func(m map[string]string) { m[train.MetaEpoch] = "-1" })
			}, data: true, want: train.MetaEpoch},
		{name: "resume wrong steps", args: []string{"train", "--out", "r.safetensors", "--resume", "--train-limit", "16", "--test-limit", "0"},
			setup: func(t *testing.T, dir string) {
				editedCheckpoint(t, dir, func(m map[string]string) { m[train.MetaSteps] = maxInt })
			}, data: true, want: train.MetaSteps},

		// A legal write: the existing file is replaced, keeps its mode, and nothing else appears.
		{name: "import keeps the mode", args: []string{"import", "--from", "w.safetensors", "--out", "other.safetensors"}, ok: true,
			setup: func(t *testing.T, dir string) {
				if err := os.Chmod(filepath.Join(dir, "other.safetensors"), 0o600); err != nil {
					t.Fatal(err)
				}
			}, check: func(t *testing.T, dir string, r cliResult) {
				fi, err := os.Stat(filepath.Join(dir, "other.safetensors"))
				if err != nil || fi.Mode() != 0o600 {
					t.Errorf("other.safetensors: mode %v (%v), want -rw-------", fi.Mode(), err)
				}
			}},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			data := shared.CIFAR10Dir()
			if tc.data {
				data = shared.CIFAR10(t)
			}
			dir := t.TempDir()
			copyFile(t, weights, filepath.Join(dir, "w.safetensors"), 0o644)
			copyFile(t, weights, filepath.Join(dir, "x.pth"), 0o644)
			copyFile(t, weights, filepath.Join(dir, "other.safetensors"), 0o644)
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			before := snapshot(t, dir)
			r := runCLI(t, dir, data, tc.args...)
			after := snapshot(t, dir)
			if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") || r.code < 0 {
				t.Fatalf("%v: crashed (status %d):\n%s", tc.args, r.code, r.stderr)
			}
			if tc.ok {
				if r.code != 0 {
					t.Fatalf("%v: status %d, want success; stderr:\n%s", tc.args, r.code, r.stderr)
				}
				for k := range after {
					if _, ok := before[k]; !ok {
						t.Errorf("%s appeared", k)
					}
				}
				if tc.check != nil {
					tc.check(t, dir, r)
				}
				return
			}
			line, rest, _ := strings.Cut(r.stderr, "\n")
			switch {
			case r.code == 0:
				t.Errorf("%v: succeeded, want a failure (stdout %q)", tc.args, r.stdout)
			case rest != "" || line == "":
				t.Errorf("%v: stderr is not one line:\n%s", tc.args, r.stderr)
			case !strings.HasPrefix(line, "resnetprune "+tc.args[0]+": ") || !strings.Contains(line, tc.want):
				t.Errorf("%v: stderr %q, want one line from resnetprune %s mentioning %q", tc.args, line, tc.args[0], tc.want)
			}
			if d := diff(before, after); len(d) > 0 {
				t.Errorf("%v: the folder changed: %s", tc.args, strings.Join(d, "; "))
			}
		})
	}
}

// TestInterruptRemovesTemp interrupts a process in the middle of writeOutput, with SIGINT and
// SIGTERM, and checks that it exits with 128+signal and one line, leaving the target's old content
// and no temporary file.
func TestInterruptRemovesTemp(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.safetensors")
			if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, dir)
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), interruptEnv+"="+path)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(stdout).ReadString('\n')
			if err != nil || line != "writing\n" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("helper said %q (%v), stderr %q", line, err, stderr.String())
			}
			if n := len(snapshot(t, dir)); n != 2 {
				t.Errorf("%d entries while writing, want the target and its temporary file", n)
			}
			cmd.Process.Signal(sig)
			cmd.Wait()
			if code, want := cmd.ProcessState.ExitCode(), 128+int(sig); code != want {
				t.Errorf("status %d, want %d", code, want)
			}
			if want := fmt.Sprintf("resnetprune: stopped by %v\n", sig); stderr.String() != want {
				t.Errorf("stderr %q, want %q", stderr.String(), want)
			}
			if d := diff(before, snapshot(t, dir)); len(d) > 0 {
				t.Errorf("the folder changed: %s", strings.Join(d, "; "))
			}
		})
	}
}

// TestInterruptTraining stops a real training run with SIGINT right after its first epoch and
// checks that no temporary file is left and that what was written is complete.
func TestInterruptTraining(t *testing.T) {
	data := shared.CIFAR10(t)
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "train", "--out", "t.safetensors", "--epochs", "1000", "--train-limit", "32", "--batch", "8",
		"--test-limit", "0", "--threads", "1", "--arch", "A")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), asCLIEnv+"=1", "CIFAR10_DIR="+data)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	sc.Scan() // One epoch, then a signal, likely in the middle of the next epoch or its writes.
	cmd.Process.Signal(os.Interrupt)
	io.Copy(io.Discard, stdout)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("status %d, want 130; stderr %q", code, stderr.String())
	}
	if stderr.String() != "resnetprune: stopped by interrupt\n" {
		t.Errorf("stderr %q, want one line", stderr.String())
	}
	var names []string
	for name := range snapshot(t, dir) {
		names = append(names, name)
	}
	slices.Sort(names)
	want := []string{"t.ckpt.safetensors", "t.log.csv", "t.log.jsonl", "t.safetensors"}
	if !slices.Equal(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
	for _, name := range []string{"t.safetensors", "t.ckpt.safetensors"} {
		if _, err := safetensors.ReadFile(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestInterruptDownload stops `data` with SIGINT in the middle of a download (from a local server
// that sends part of an archive and stalls) and checks that the partial file is removed.
func TestInterruptDownload(t *testing.T) {
	started := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000000")
		w.Write(make([]byte, 1000))
		w.(http.Flusher).Flush()
		close(started)
		<-r.Context().Done()
	}))
	defer srv.Close()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "data", "--dir", "d")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), asCLIEnv+"=1", "CIFAR10_URL="+srv.URL+"/cifar.tar.gz", "CIFAR10_MD5="+strings.Repeat("0", 32))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-started:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("no request came; stderr %q", stderr.String())
	}
	time.Sleep(100 * time.Millisecond) // Let the first bytes reach the partial file.
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.HasPrefix(lines[len(lines)-1], "resnetprune data: interrupted") {
		t.Errorf("status %d, stderr %q: want 1 and an interruption as the last line", code, stderr.String())
	}
	if after := snapshot(t, dir); len(after) != 1 {
		t.Errorf("files left: %v, want the empty folder d only", after)
	}
}
