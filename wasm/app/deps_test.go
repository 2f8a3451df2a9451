package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The page program draws and, as the view worker, clusters one layer's filters; pruning and
// evaluation are worker.wasm's. app.wasm must not link the repair, the calibration, the
// evaluation or the full demo (a download budget of issue 12: every byte of app.wasm is on the
// critical path, web/site.Critical).
func TestPageDoesNotLinkTheEngine(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	const mod = "github.com/resnet20-pruning/resnet20-pruning/"
	bad := map[string]bool{}
	for _, p := range []string{"core/repair", "core/pipeline", "core/eval", "core/measure", "core/cifar", "core/torchload", "core/export", "web/demo"} {
		bad[mod+p] = true
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps printed %d packages", len(deps))
	}
	for _, dep := range deps {
		if bad[dep] || strings.Contains(dep, "image/png") || strings.Contains(dep, "compress/") || dep == "regexp" {
			t.Errorf("app.wasm links %s", dep)
		}
	}
}
