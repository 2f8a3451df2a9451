//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main exists so that the package builds natively (the page's logic, web/page, is tested
// natively there); the page only runs in a browser.
func main() {
	fmt.Fprintln(os.Stderr, "app: the demo page runs in a browser: make serve")
	os.Exit(2)
}
