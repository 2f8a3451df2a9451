// Package cifar reads the CIFAR-10 data set in its official binary layout
// (cifar-10-batches-bin) and turns its images into normalized float32 CHW tensors.
//
// Each record of a batch file is RecordSize (3,073) bytes: one label byte (0–9), then
// 1,024 red, 1,024 green and 1,024 blue bytes, each plane row-major 32×32. The train split
// is data_batch_1.bin … data_batch_5.bin (50,000 records), the test split is
// test_batch.bin (10,000 records).
//
// The package never ships the data: Download fetches the official archive on a user's
// machine, and Dir finds a folder that holds it.
package cifar

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Image geometry and file layout of the binary CIFAR-10 format.
const (
	// Height is the height of an image in pixels.
	Height = 32
	// Width is the width of an image in pixels.
	Width = 32
	// Channels is the number of colour planes (red, green, blue).
	Channels = 3
	// PlaneSize is the number of bytes of one colour plane.
	PlaneSize = Height * Width
	// ImageSize is the number of pixel bytes (and of normalized floats) of one image.
	ImageSize = Channels * PlaneSize
	// RecordSize is the size in bytes of one record: a label byte and ImageSize pixel bytes.
	RecordSize = 1 + ImageSize
	// NumClasses is the number of classes; labels are 0 … NumClasses-1.
	NumClasses = 10
	// RecordsPerFile is the number of records in each official batch file.
	RecordsPerFile = 10000
	// TrainLen is the number of images of the train split.
	TrainLen = 50000
	// TestLen is the number of images of the test split.
	TestLen = 10000
)

// ClassNames are the names of the ten classes, indexed by label (as in batches.meta.txt).
var ClassNames = [NumClasses]string{
	"airplane", "automobile", "bird", "cat", "deer",
	"dog", "frog", "horse", "ship", "truck",
}

// Mean is the per-channel (R, G, B) mean subtracted by Normalize after scaling to [0, 1].
var Mean = [Channels]float32{0.485, 0.456, 0.406}

// Std is the per-channel (R, G, B) standard deviation Normalize divides by.
var Std = [Channels]float32{0.229, 0.224, 0.225}

// Split selects the train or the test part of the data set.
type Split int

const (
	// Train is the 50,000-image train split (data_batch_1.bin … data_batch_5.bin).
	Train Split = iota
	// Test is the 10,000-image test split (test_batch.bin).
	Test
)

// String returns "train" or "test".
func (s Split) String() string {
	switch s {
	case Train:
		return "train"
	case Test:
		return "test"
	}
	return fmt.Sprintf("Split(%d)", int(s))
}

// Files returns the batch file names of the split, in order.
func (s Split) Files() []string {
	switch s {
	case Train:
		return []string{"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"}
	case Test:
		return []string{"test_batch.bin"}
	}
	return nil
}

// Len returns the number of images of the split (0 for an unknown split).
func (s Split) Len() int {
	return len(s.Files()) * RecordsPerFile
}

// Set is a decoded list of CIFAR-10 records held in memory.
type Set struct {
	// Labels holds one label (0–9) per image.
	Labels []uint8
	// Pixels holds the raw image bytes, ImageSize per image, in record order (planar R, G, B).
	Pixels []uint8
}

// Len returns the number of images.
func (s *Set) Len() int { return len(s.Labels) }

// Image returns the ImageSize raw bytes of image i (planar R, G, B, each row-major 32×32).
// The slice aliases the set's memory.
func (s *Set) Image(i int) []uint8 {
	return s.Pixels[i*ImageSize : (i+1)*ImageSize : (i+1)*ImageSize]
}

// Label returns the label (0–9) of image i.
func (s *Set) Label(i int) int { return int(s.Labels[i]) }

// Slice returns the images start … end-1 as a Set sharing memory with s
// (for example s.Slice(0, 1000) is the lossless "test-1k" subset of the shared test split).
func (s *Set) Slice(start, end int) *Set {
	return &Set{
		Labels: s.Labels[start:end:end],
		Pixels: s.Pixels[start*ImageSize : end*ImageSize : end*ImageSize],
	}
}

// normLUT maps a byte value of each channel to its normalized float, computed in float32
// exactly as torchvision does: (float32(v)/255 - Mean[c]) / Std[c].
func normLUT(lut *[Channels][256]float32) {
	for c := 0; c < Channels; c++ {
		m, sd := Mean[c], Std[c]
		for v := 0; v < 256; v++ {
			x := float32(v) / float32(255)
			lut[c][v] = (x - m) / sd
		}
	}
}

// Normalize writes image i into dst[:ImageSize] as CHW float32: each byte x becomes
// (x/255 − Mean[c]) / Std[c], computed in float32. It panics if len(dst) < ImageSize.
func (s *Set) Normalize(dst []float32, i int) {
	var lut [Channels][256]float32
	normLUT(&lut)
	normalizeInto(&lut, dst[:ImageSize], s.Image(i))
}

// Batch writes images start … start+n-1 into dst[:n*ImageSize] as NCHW float32, each one
// as Normalize does. It panics if len(dst) < n*ImageSize or the range is out of bounds.
func (s *Set) Batch(dst []float32, start, n int) {
	var lut [Channels][256]float32
	normLUT(&lut)
	dst = dst[:n*ImageSize]
	for k := 0; k < n; k++ {
		normalizeInto(&lut, dst[k*ImageSize:(k+1)*ImageSize], s.Image(start+k))
	}
}

func normalizeInto(lut *[Channels][256]float32, dst []float32, img []uint8) {
	for c := 0; c < Channels; c++ {
		t := &lut[c]
		d := dst[c*PlaneSize : (c+1)*PlaneSize]
		src := img[c*PlaneSize : (c+1)*PlaneSize]
		for j, v := range src {
			d[j] = t[v]
		}
	}
}

// FormatError reports a malformed batch file: its name, the byte offset of the problem
// and what is wrong there.
type FormatError struct {
	// File is the name of the file (or stream) being read.
	File string
	// Offset is the byte offset, within File, of the bad record or byte.
	Offset int64
	// Msg says what is wrong.
	Msg string
}

// Error implements error.
func (e *FormatError) Error() string {
	return fmt.Sprintf("cifar: %s: byte offset %d: %s", e.File, e.Offset, e.Msg)
}

// Open reads every batch file of split from dir. Each file must hold exactly RecordsPerFile
// valid records; a missing, truncated or malformed file gives an error naming the file
// (and, for format errors, the byte offset; see FormatError).
func Open(dir string, split Split) (*Set, error) {
	files := split.Files()
	if files == nil {
		return nil, fmt.Errorf("cifar: unknown split %v", split)
	}
	total := split.Len()
	s := &Set{
		Labels: make([]uint8, 0, total),
		Pixels: make([]uint8, 0, total*ImageSize),
	}
	for _, name := range files {
		if err := s.readFile(filepath.Join(dir, name), RecordsPerFile); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// readFile appends the want records of the file at path to s.
func (s *Set) readFile(path string, want int) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("cifar: missing data file %s: %w (run `make data` or set CIFAR10_DIR)", path, err)
		}
		return fmt.Errorf("cifar: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("cifar: %w", err)
	}
	size := fi.Size()
	if rem := size % RecordSize; rem != 0 {
		return &FormatError{File: path, Offset: size - rem,
			Msg: fmt.Sprintf("file size %d is not a multiple of the record size %d (truncated record of %d bytes)", size, RecordSize, rem)}
	}
	if n := size / RecordSize; n != int64(want) {
		return &FormatError{File: path, Offset: size,
			Msg: fmt.Sprintf("holds %d records, want %d (file size %d, want %d)", n, want, size, int64(want)*RecordSize)}
	}
	n, err := s.parse(bufio.NewReaderSize(f, 1<<20), path)
	if err != nil {
		return err
	}
	if n != want { // the file changed under us
		return &FormatError{File: path, Offset: int64(n) * RecordSize, Msg: fmt.Sprintf("read %d records, want %d", n, want)}
	}
	return nil
}

// Parse decodes a stream of whole CIFAR-10 records (any positive number of them) from r.
// name is used in error messages only. A trailing partial record, an empty stream or a
// label above 9 gives a *FormatError.
func Parse(r io.Reader, name string) (*Set, error) {
	s := &Set{}
	n, err := s.parse(r, name)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, &FormatError{File: name, Offset: 0, Msg: "no records (empty input)"}
	}
	return s, nil
}

// ParseBytes is Parse on an in-memory buffer.
func ParseBytes(b []byte, name string) (*Set, error) {
	return Parse(bytes.NewReader(b), name)
}

// parse appends records read from r to s and returns how many it read.
func (s *Set) parse(r io.Reader, name string) (int, error) {
	var label [1]byte
	n := 0
	for {
		off := int64(n) * RecordSize
		if _, err := io.ReadFull(r, label[:]); err != nil {
			if err == io.EOF {
				return n, nil
			}
			return n, &FormatError{File: name, Offset: off, Msg: fmt.Sprintf("reading label: %v", err)}
		}
		if label[0] >= NumClasses {
			return n, &FormatError{File: name, Offset: off,
				Msg: fmt.Sprintf("record %d: label %d out of range 0–%d", n, label[0], NumClasses-1)}
		}
		start := len(s.Pixels)
		s.Pixels = growBytes(s.Pixels, ImageSize)
		got, err := io.ReadFull(r, s.Pixels[start:])
		if err != nil {
			s.Pixels = s.Pixels[:start]
			if err == io.ErrUnexpectedEOF || err == io.EOF {
				return n, &FormatError{File: name, Offset: off,
					Msg: fmt.Sprintf("record %d truncated: %d of %d bytes (input size is not a multiple of %d)", n, 1+got, RecordSize, RecordSize)}
			}
			return n, &FormatError{File: name, Offset: off + 1 + int64(got), Msg: fmt.Sprintf("reading pixels: %v", err)}
		}
		s.Labels = append(s.Labels, label[0])
		n++
	}
}

// growBytes extends b by n bytes, reallocating geometrically when needed.
func growBytes(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), 2*cap(b)+n)
		copy(nb, b)
		b = nb
	}
	return b[:len(b)+n]
}
