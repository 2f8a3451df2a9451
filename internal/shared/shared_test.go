package shared

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// fakeTB records what Missing asks of a test.
type fakeTB struct {
	testing.TB
	fatal, skip string
}

func (f *fakeTB) Helper()                        {}
func (f *fakeTB) Name() string                   { return "TestFake/sub" }
func (f *fakeTB) Fatalf(format string, a ...any) { f.fatal = fmt.Sprintf(format, a...) }
func (f *fakeTB) Skipf(format string, a ...any)  { f.skip = fmt.Sprintf(format, a...) }

func TestMissing(t *testing.T) {
	file := filepath.Join(t.TempDir(), "skipped.txt")
	t.Setenv(SkippedFileEnv, file)

	t.Setenv("CI", "")
	var f fakeTB
	Missing(&f, "CIFAR-10 (make data)", errors.New("no such folder"))
	if f.fatal != "" || f.skip != "data not available: CIFAR-10 (make data): no such folder" {
		t.Errorf("without CI: fatal %q, skip %q", f.fatal, f.skip)
	}
	b, err := os.ReadFile(file)
	if want := "internal/shared TestFake/sub\tCIFAR-10 (make data)\n"; err != nil || string(b) != want {
		t.Errorf("record %q (%v), want %q", b, err, want)
	}

	t.Setenv("CI", "true")
	f = fakeTB{}
	Missing(&f, "CIFAR-10 (make data)", errors.New("no such folder"))
	if f.fatal == "" || f.skip != "" {
		t.Errorf("under CI=true: fatal %q, skip %q; want a failure", f.fatal, f.skip)
	}
	if b2, _ := os.ReadFile(file); string(b2) != string(b) {
		t.Errorf("under CI=true the failure was recorded as a skip: %q", b2)
	}
}

func TestCIFAR10DirOrder(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("SHARED_DIR", tmp)
	t.Setenv("CIFAR10_DIR", "/elsewhere")
	if d := CIFAR10Dir(); d != "/elsewhere" {
		t.Errorf("with CIFAR10_DIR: %s", d)
	}
	t.Setenv("CIFAR10_DIR", "")
	sharedData := filepath.Join(tmp, "data", "cifar-10-batches-bin")
	if err := os.MkdirAll(sharedData, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sharedData, "test_batch.bin"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if d := CIFAR10Dir(); d != sharedData {
		t.Errorf("with a shared copy: %s, want %s", d, sharedData)
	}
}
