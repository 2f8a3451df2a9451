//go:build !unix

package repair

import "time"

// processCPU is 0 where getrusage is missing (wasm).
func processCPU() time.Duration { return 0 }
