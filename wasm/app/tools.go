//go:build tools

package main

// vugugen (make vugugen) runs as `go run github.com/vugu/vugu/cmd/vugugen` from inside the module;
// this import keeps its packages in go.mod and go.sum when the module is tidied.
import _ "github.com/vugu/vugu/cmd/vugugen"
