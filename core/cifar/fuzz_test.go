package cifar

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3})
	f.Add(records(1, 3))
	f.Add(records(2, 9, 0))
	f.Add(records(2, 1)[:RecordSize+7])
	f.Add(records(1, 10))
	f.Add(append(records(1, 0), 200))
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := ParseBytes(in, "fuzz.bin")
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is %T, want *FormatError", err, err)
			}
			if fe.Offset < 0 || fe.Offset > int64(len(in)) || !strings.Contains(err.Error(), "fuzz.bin") {
				t.Fatalf("bad error %q (offset %d, input %d bytes)", err, fe.Offset, len(in))
			}
			if len(in) > 0 && len(in)%RecordSize == 0 {
				// Whole records: only a bad label can be wrong, and it sits at the offset.
				if fe.Offset%RecordSize != 0 || in[fe.Offset] < NumClasses {
					t.Fatalf("error %q on whole records, but byte %d is %d", err, fe.Offset, in[fe.Offset])
				}
			}
			return
		}
		if len(in) == 0 || len(in)%RecordSize != 0 || s.Len()*RecordSize != len(in) || len(s.Pixels) != s.Len()*ImageSize {
			t.Fatalf("parsed %d records from %d bytes", s.Len(), len(in))
		}
		dst := make([]float32, ImageSize)
		for i := 0; i < s.Len(); i++ {
			rec := in[i*RecordSize : (i+1)*RecordSize]
			if s.Label(i) != int(rec[0]) || s.Label(i) >= NumClasses || !bytes.Equal(s.Image(i), rec[1:]) {
				t.Fatalf("record %d decoded wrongly", i)
			}
			s.Normalize(dst, i)
			for j, v := range dst {
				if v != v || v < -2.2 || v > 2.7 {
					t.Fatalf("record %d value %d normalized to %v", i, j, v)
				}
			}
		}
	})
}
