package main

import (
	"strings"
	"testing"

	"github.com/resnet20-pruning/resnet20-pruning/core/variant"
)

// TestLinkBaseURL: with $RESNETPRUNE_BASE_URL the report's link is the published address followed
// by the fragment, which ParseLink reads back; without it, the fragment alone.
func TestLinkBaseURL(t *testing.T) {
	spec := variant.Spec{Method: variant.Removal, Ratio: 0.5, Seed: 3, Variant: variant.Best(variant.Removal)}
	d := &dataFlags{split: "test", limit: 200}
	t.Setenv(variant.EnvBaseURL, "")
	frag := link(&spec, d)
	if !strings.HasPrefix(frag, "#method=2&") {
		t.Fatalf("link without a base = %q", frag)
	}
	t.Setenv(variant.EnvBaseURL, "https://teacher.github.io/resnet20-pruning")
	got := link(&spec, d)
	if want := "https://teacher.github.io/resnet20-pruning/" + frag; got != want {
		t.Fatalf("link = %q, want %q", got, want)
	}
	back, _, err := variant.ParseLink(got[strings.IndexByte(got, '#'):])
	if err != nil || back.Ratio != 0.5 || back.Seed != 3 || back.Variant.Name() != spec.Variant.Name() {
		t.Fatalf("ParseLink(%q) = %+v, %v", got, back, err)
	}
}
