package kmeans

import (
	"encoding/binary"
	"hash/fnv"
	"math"
)

// Hash returns a 64-bit FNV-1a digest of the labels and the centroids' bits: equal hashes mean
// identical clusterings. Tests use it to compare native and wasm builds.
func Hash(r *Result) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for _, l := range r.Labels {
		binary.LittleEndian.PutUint64(b[:], uint64(l))
		h.Write(b[:])
	}
	for _, v := range r.Centroids {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
	return h.Sum64()
}
