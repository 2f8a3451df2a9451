package cifar

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir returns the folder holding the real data set: $CIFAR10_DIR, else the shared
// development copy next to the project. It skips the test when the data is missing, except
// under CI=true, where missing data is a failure.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv(EnvDir)
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data", "cifar-10-batches-bin")
	}
	if _, err := os.Stat(filepath.Join(dir, "test_batch.bin")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CIFAR-10 data missing under CI=true: %v (set %s)", err, EnvDir)
		}
		t.Skipf("CIFAR-10 data not found (%v); set %s to run this test", err, EnvDir)
	}
	return dir
}

// record builds one record with the given label and pixel bytes pix(j) for j in 0 … ImageSize-1.
func record(label byte, pix func(j int) byte) []byte {
	r := make([]byte, RecordSize)
	r[0] = label
	for j := 0; j < ImageSize; j++ {
		r[1+j] = pix(j)
	}
	return r
}

// records concatenates n records, record k having label labels[k%len(labels)] and pixel j
// equal to byte(k+j).
func records(n int, labels ...byte) []byte {
	var b []byte
	for k := 0; k < n; k++ {
		k := k
		b = append(b, record(labels[k%len(labels)], func(j int) byte { return byte(k + j) })...)
	}
	return b
}

func TestParse(t *testing.T) {
	valid3 := records(3, 0, 9, 4)
	badLabel := records(3, 1)
	badLabel[2*RecordSize] = 10
	tests := []struct {
		name    string
		in      []byte
		wantN   int
		wantOff int64 // byte offset in the error, when wantErr
		wantErr string
	}{
		{name: "one record", in: records(1, 7), wantN: 1},
		{name: "three records", in: valid3, wantN: 3},
		{name: "empty", in: nil, wantErr: "no records", wantOff: 0},
		{name: "label only", in: []byte{3}, wantErr: "truncated", wantOff: 0},
		{name: "truncated second record", in: valid3[:RecordSize+100], wantErr: "record 1 truncated", wantOff: RecordSize},
		{name: "one byte short", in: valid3[:len(valid3)-1], wantErr: "record 2 truncated", wantOff: 2 * RecordSize},
		{name: "label 10 in third record", in: badLabel, wantErr: "label 10 out of range", wantOff: 2 * RecordSize},
		{name: "label 255", in: records(1, 255), wantErr: "label 255 out of range", wantOff: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseBytes(tt.in, "fake.bin")
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseBytes succeeded, want error containing %q", tt.wantErr)
				}
				var fe *FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("error %v is %T, want *FormatError", err, err)
				}
				if fe.File != "fake.bin" || fe.Offset != tt.wantOff || !strings.Contains(err.Error(), tt.wantErr) ||
					!strings.Contains(err.Error(), "fake.bin") {
					t.Fatalf("error %q (offset %d), want file fake.bin, offset %d, text %q", err, fe.Offset, tt.wantOff, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseBytes: %v", err)
			}
			if s.Len() != tt.wantN || len(s.Pixels) != tt.wantN*ImageSize {
				t.Fatalf("Len %d, %d pixel bytes, want %d images", s.Len(), len(s.Pixels), tt.wantN)
			}
			for i := 0; i < s.Len(); i++ {
				if s.Label(i) != int(tt.in[i*RecordSize]) {
					t.Errorf("Label(%d) = %d, want %d", i, s.Label(i), tt.in[i*RecordSize])
				}
				if !bytes.Equal(s.Image(i), tt.in[i*RecordSize+1:(i+1)*RecordSize]) {
					t.Errorf("Image(%d) differs from the input record", i)
				}
			}
		})
	}
}

// writeSplitFiles writes n records per file for every file of split into dir and returns dir.
func writeSplitFiles(t *testing.T, dir string, split Split, n int) {
	t.Helper()
	for _, name := range split.Files() {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		// A sparse file of zeros is n valid records (label 0, black image).
		if err := f.Truncate(int64(n) * RecordSize); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name    string
		split   Split
		setup   func(t *testing.T, dir string)
		wantErr []string // substrings of the error
	}{
		{
			name:    "missing file",
			split:   Test,
			setup:   func(t *testing.T, dir string) {},
			wantErr: []string{"missing data file", "test_batch.bin", "make data", EnvDir},
		},
		{
			name:  "missing fourth train file",
			split: Train,
			setup: func(t *testing.T, dir string) {
				writeSplitFiles(t, dir, Train, RecordsPerFile)
				os.Remove(filepath.Join(dir, "data_batch_4.bin"))
			},
			wantErr: []string{"data_batch_4.bin"},
		},
		{
			name:  "truncated",
			split: Test,
			setup: func(t *testing.T, dir string) {
				writeSplitFiles(t, dir, Test, RecordsPerFile)
				os.Truncate(filepath.Join(dir, "test_batch.bin"), RecordsPerFile*RecordSize-10)
			},
			wantErr: []string{"test_batch.bin", "byte offset 30726927", "not a multiple of the record size 3073"},
		},
		{
			name:  "wrong record count",
			split: Test,
			setup: func(t *testing.T, dir string) {
				writeSplitFiles(t, dir, Test, 2)
			},
			wantErr: []string{"test_batch.bin", "holds 2 records, want 10000"},
		},
		{
			name:  "bad label",
			split: Test,
			setup: func(t *testing.T, dir string) {
				writeSplitFiles(t, dir, Test, RecordsPerFile)
				f, err := os.OpenFile(filepath.Join(dir, "test_batch.bin"), os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if _, err := f.WriteAt([]byte{42}, 5*RecordSize); err != nil {
					t.Fatal(err)
				}
			},
			wantErr: []string{"test_batch.bin", "byte offset 15365", "record 5: label 42"},
		},
		{
			name:    "unknown split",
			split:   Split(7),
			setup:   func(t *testing.T, dir string) {},
			wantErr: []string{"unknown split Split(7)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)
			s, err := Open(dir, tt.split)
			if err == nil {
				t.Fatalf("Open succeeded with %d images, want an error", s.Len())
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestOpenSynthetic(t *testing.T) {
	dir := t.TempDir()
	writeSplitFiles(t, dir, Train, RecordsPerFile)
	// Mark the first record of each train file so that the file order can be checked.
	for k, name := range Train.Files() {
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt([]byte{byte(k + 1), byte(10 * k)}, 0); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	s, err := Open(dir, Train)
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != TrainLen {
		t.Fatalf("Len = %d, want %d", s.Len(), TrainLen)
	}
	for k := range Train.Files() {
		i := k * RecordsPerFile
		if s.Label(i) != k+1 || s.Image(i)[0] != byte(10*k) || s.Label(i+1) != 0 {
			t.Errorf("file %d: first label %d pixel %d, want %d and %d", k, s.Label(i), s.Image(i)[0], k+1, 10*k)
		}
	}
}

func TestOpenShared(t *testing.T) {
	dir := sharedDir(t)
	tests := []struct {
		split     Split
		wantLen   int
		wantFirst int
	}{
		{split: Test, wantLen: TestLen, wantFirst: 3}, // the first test image is a cat
		{split: Train, wantLen: TrainLen, wantFirst: 6},
	}
	for _, tt := range tests {
		t.Run(tt.split.String(), func(t *testing.T) {
			s, err := Open(dir, tt.split)
			if err != nil {
				t.Fatal(err)
			}
			if s.Len() != tt.wantLen || len(s.Pixels) != tt.wantLen*ImageSize {
				t.Fatalf("Len = %d (%d pixel bytes), want %d", s.Len(), len(s.Pixels), tt.wantLen)
			}
			if s.Label(0) != tt.wantFirst {
				t.Errorf("first label %d (%s), want %d (%s)", s.Label(0), ClassNames[s.Label(0)], tt.wantFirst, ClassNames[tt.wantFirst])
			}
			var counts [NumClasses]int
			for _, l := range s.Labels {
				counts[l]++
			}
			for c, n := range counts {
				if n != tt.wantLen/NumClasses {
					t.Errorf("class %d (%s): %d images, want %d", c, ClassNames[c], n, tt.wantLen/NumClasses)
				}
			}
		})
	}
}

func TestClassNamesMatchMeta(t *testing.T) {
	dir := sharedDir(t)
	b, err := os.ReadFile(filepath.Join(dir, "batches.meta.txt"))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(string(b))
	if len(got) != NumClasses {
		t.Fatalf("batches.meta.txt has %d names, want %d", len(got), NumClasses)
	}
	for i, name := range got {
		if name != ClassNames[i] {
			t.Errorf("class %d: meta %q, ClassNames %q", i, name, ClassNames[i])
		}
	}
}

func TestNormalize(t *testing.T) {
	// Two images: the first has value 0 in R, 255 in G and 128 in B everywhere; the second
	// has pixel j equal to byte(1+j).
	in := append(record(2, func(j int) byte { return [3]byte{0, 255, 128}[j/PlaneSize] }),
		record(5, func(j int) byte { return byte(1 + j) })...)
	s, err := ParseBytes(in, "norm.bin")
	if err != nil {
		t.Fatal(err)
	}
	want := func(img, j int) float64 {
		v := float64(s.Image(img)[j])
		c := j / PlaneSize
		return (v/255 - float64(Mean[c])) / float64(Std[c])
	}
	tests := []struct {
		name string
		img  int
		j    int
		want float64
	}{
		{"R=0", 0, 0, -0.485 / 0.229},
		{"G=255", 0, PlaneSize + 17, (1 - 0.456) / 0.224},
		{"B=128", 0, 2*PlaneSize + 1023, (128.0/255 - 0.406) / 0.225},
		{"second image first", 1, 0, want(1, 0)},
		{"second image middle", 1, 1500, want(1, 1500)},
		{"second image last", 1, ImageSize - 1, want(1, ImageSize-1)},
	}
	one := make([]float32, ImageSize)
	batch := make([]float32, 2*ImageSize+5)
	s.Batch(batch, 0, 2)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.Normalize(one, tt.img)
			got := one[tt.j]
			if math.Abs(float64(got)-tt.want) > 1e-6 {
				t.Errorf("Normalize: %v, want %v", got, tt.want)
			}
			if b := batch[tt.img*ImageSize+tt.j]; b != got {
				t.Errorf("Batch gives %v, Normalize %v", b, got)
			}
			// The exact float32 recipe of torchvision (ToTensor then Normalize).
			c := tt.j / PlaneSize
			x := float32(s.Image(tt.img)[tt.j]) / float32(255)
			if exact := (x - Mean[c]) / Std[c]; got != exact {
				t.Errorf("Normalize: %v, float32 recipe %v", got, exact)
			}
		})
	}
	if batch[2*ImageSize] != 0 {
		t.Error("Batch wrote past n images")
	}
}

func TestNormalizePanicsOnShortDst(t *testing.T) {
	s, err := ParseBytes(records(1, 0), "x.bin")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if recover() == nil {
			t.Error("Normalize into a short slice did not panic")
		}
	}()
	s.Normalize(make([]float32, ImageSize-1), 0)
}

func TestSlice(t *testing.T) {
	s, err := ParseBytes(records(5, 0, 1, 2, 3, 4), "x.bin")
	if err != nil {
		t.Fatal(err)
	}
	sub := s.Slice(1, 4)
	if sub.Len() != 3 || sub.Label(0) != 1 || sub.Label(2) != 3 || !bytes.Equal(sub.Image(2), s.Image(3)) {
		t.Errorf("Slice(1, 4) = %d images, labels %v", sub.Len(), sub.Labels)
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		split Split
		name  string
		files int
		len   int
	}{
		{Train, "train", 5, TrainLen},
		{Test, "test", 1, TestLen},
		{Split(9), "Split(9)", 0, 0},
	}
	for _, tt := range tests {
		if tt.split.String() != tt.name || len(tt.split.Files()) != tt.files || tt.split.Len() != tt.len {
			t.Errorf("%d: %q %d files %d images, want %q %d %d", int(tt.split), tt.split, len(tt.split.Files()), tt.split.Len(), tt.name, tt.files, tt.len)
		}
	}
}

func TestDir(t *testing.T) {
	withData := t.TempDir()
	writeSplitFiles(t, withData, Test, 1)
	empty := t.TempDir()
	tests := []struct {
		name    string
		flag    string
		env     string
		want    string
		wantErr []string
	}{
		{name: "flag wins", flag: withData, env: empty, want: withData},
		{name: "env", env: withData, want: withData},
		{name: "flag without data", flag: empty, env: withData, want: empty, wantErr: []string{"-data flag", "make data", EnvDir}},
		{name: "env without data", env: empty, want: empty, wantErr: []string{"$" + EnvDir, "make data"}},
		{name: "default", want: DefaultDir, wantErr: []string{"default location", "make data", EnvDir}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvDir, tt.env)
			t.Chdir(t.TempDir()) // no data/ folder here
			got, err := Dir(tt.flag)
			if got != tt.want {
				t.Errorf("Dir = %q, want %q", got, tt.want)
			}
			if (err != nil) != (tt.wantErr != nil) {
				t.Fatalf("Dir error %v, want error %v", err, tt.wantErr != nil)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func BenchmarkBatch(b *testing.B) {
	s, err := ParseBytes(records(100, 1), "x.bin")
	if err != nil {
		b.Fatal(err)
	}
	dst := make([]float32, 100*ImageSize)
	b.SetBytes(100 * ImageSize)
	for b.Loop() {
		s.Batch(dst, 0, 100)
	}
}
