package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The page program draws; the workers compute: app.wasm must not link the engine (a download
// budget of issue 12: the page's program was 1.8 MB gzip with it).
func TestPageDoesNotLinkTheEngine(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range []string{"/core/prune", "/core/resnet", "/core/kernels", "/core/kmeans", "/core/pca", "/core/repair", "/web/demo", "gonum.org/"} {
			if strings.Contains(dep, bad) {
				t.Errorf("app.wasm links %s", dep)
			}
		}
	}
}
