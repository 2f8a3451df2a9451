// Package asmcheck finds legacy (non-VEX) SSE instructions in AVX code, for the kernels' tests.
//
// The Go compiler emits no VZEROUPPER; the AVX kernels end with archsimd.ClearAVXUpperBits. A
// legacy SSE instruction that runs between a kernel's first 256/512-bit instruction and that
// VZEROUPPER (a float argument spilled with MOVSS, an XORPS for a zero vector, a scalar tail)
// pays an SSE/AVX transition: about 160 ns per call on the Sapphire Rapids VMs this project is
// measured on, more than a kernel's work on a short row.
package asmcheck

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Check builds the test binary of the package in the current directory and reports, as errors of
// t, every legacy SSE instruction that a function matching pattern runs after a 256/512-bit one
// and before the next VZEROUPPER.
func Check(t *testing.T, pattern string) {
	t.Helper()
	bin, err := TestBinary(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	hits, err := SSEAfterAVX(bin, pattern)
	if err != nil {
		t.Fatal(err)
	}
	for fn, ins := range hits {
		t.Errorf("%s: legacy SSE before VZEROUPPER: %v", fn, ins)
	}
}

// legacySSE matches the non-VEX SSE instructions the compiler emits for scalar float code.
var legacySSE = regexp.MustCompile(`^(MOVSS|MOVSD|MOVUPS|MOVAPS|MOVO|MOVOU|XORPS|ANDPS|ORPS|PXOR|ADDSS|SUBSS|MULSS|DIVSS|SQRTSS|MAXSS|MINSS|UCOMISS|COMISS|CVT\w+|PSHUFD|SHUFPS|MOVQ X\d+|MOVQ \w+, X\d+|MOVD)\b`)

// wide matches a VEX/EVEX instruction that touches a Y or Z register (dirtying the upper halves).
var wide = regexp.MustCompile(`^V\S*\s.*\b[YZ]\d+\b`)

// TestBinary builds the test binary of the package in the current directory into dir (go test
// itself runs a binary without a symbol table, which objdump cannot read) and returns its path.
func TestBinary(dir string) (string, error) {
	bin := filepath.Join(dir, "pkg.test")
	cmd := exec.Command("go", "test", "-c", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go test -c: %w: %s", err, out)
	}
	return bin, nil
}

// SSEAfterAVX disassembles the functions of binary that match pattern (a go tool objdump -s
// regular expression) and returns, per function, the legacy SSE instructions that follow a
// 256/512-bit instruction before the next VZEROUPPER, in program order.
func SSEAfterAVX(binary, pattern string) (map[string][]string, error) {
	cmd := exec.Command("go", "tool", "objdump", "-s", pattern, binary)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go tool objdump: %w: %s", err, stderr.Bytes())
	}
	hits := map[string][]string{}
	var fn string
	dirty := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "TEXT ") {
			fn, dirty = strings.Fields(line)[1], false
			continue
		}
		// "  file:line  0xaddr  bytes  INSTRUCTION  args": the fourth tab-separated field.
		var fields []string
		for _, f := range strings.Split(line, "\t") {
			if f = strings.TrimSpace(f); f != "" {
				fields = append(fields, f)
			}
		}
		if fn == "" || len(fields) < 4 {
			continue
		}
		ins := fields[3]
		switch {
		case strings.HasPrefix(ins, "VZEROUPPER"):
			dirty = false
		case wide.MatchString(ins):
			dirty = true
		case dirty && legacySSE.MatchString(ins):
			hits[fn] = append(hits[fn], ins)
		}
	}
	return hits, sc.Err()
}
