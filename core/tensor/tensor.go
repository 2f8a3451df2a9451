// Package tensor defines the plain float32 tensor that the weight readers and writers exchange.
//
// It is deliberately minimal: a shape and a dense row-major (C order) slice of values. The model
// packages own the meaning of each tensor; this package only carries them.
package tensor

import "fmt"

// Tensor is a dense, row-major float32 array.
type Tensor struct {
	Shape []int
	Data  []float32
}

// New returns a zero tensor of the given shape.
func New(shape ...int) *Tensor {
	return &Tensor{Shape: append([]int(nil), shape...), Data: make([]float32, Numel(shape))}
}

// Numel returns the number of elements of a shape (1 for a scalar shape).
func Numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// ShapeIs reports whether t has exactly the given shape.
func (t *Tensor) ShapeIs(shape ...int) bool {
	if len(t.Shape) != len(shape) {
		return false
	}
	for i := range shape {
		if t.Shape[i] != shape[i] {
			return false
		}
	}
	return true
}

// String describes the shape, e.g. "[16 3 3 3]".
func (t *Tensor) String() string { return fmt.Sprint(t.Shape) }
