package safetensors

import (
	"bytes"
	"testing"
)

// FuzzRead checks that Read and ReadBytes never panic, agree with each other, and that whatever
// they accept survives a Write/Read round trip.
func FuzzRead(f *testing.F) {
	var b bytes.Buffer
	if err := Write(&b, sample()); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add(build(`{}`, nil))
	f.Add(build(`{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"d":{"dtype":"F64","shape":[1],"data_offsets":[4,12]}}`, make([]byte, 12)))
	f.Add(build(`{"b":{"dtype":"BF16","shape":[1,1],"data_offsets":[0,2]},"__metadata__":{"k":"v"}}`, make([]byte, 2)))
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := ReadBytes(in)
		got2, err2 := Read(bytes.NewReader(in))
		if (err == nil) != (err2 == nil) {
			t.Fatalf("ReadBytes error %v but Read error %v", err, err2)
		}
		if err != nil {
			return
		}
		checkFile(t, got2, got)
		var out bytes.Buffer
		if err := Write(&out, got); err != nil {
			t.Fatalf("Write of a file just read: %v", err)
		}
		again, err := ReadBytes(out.Bytes())
		if err != nil {
			t.Fatalf("ReadBytes of a file just written: %v", err)
		}
		checkFile(t, again, got)
	})
}
