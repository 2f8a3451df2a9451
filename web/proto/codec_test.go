package proto

import (
	"math"
	"testing"
)

func TestCodecRoundTrip(t *testing.T) {
	m := Encode(OpEval, Job{Gen: 3, Net: "pruned", Start: 16, Count: 32}, [][]byte{[]byte("net")})
	if m.Op != OpEval || len(m.Bin) != 1 {
		t.Fatalf("%+v", m)
	}
	var j Job
	if err := m.Decode(&j); err != nil || j.Gen != 3 || j.Net != "pruned" || j.Start != 16 || j.Count != 32 {
		t.Fatalf("decoded %+v, %v", j, err)
	}
	// A body that JSON cannot encode becomes an error message naming the op.
	bad := Encode(OpProgress, Progress{Logits: []float32{float32(math.NaN())}}, nil)
	var e Error
	if bad.Op != OpError || bad.Decode(&e) != nil || e.Op != OpProgress || e.Msg == "" {
		t.Fatalf("unencodable body: %+v (%+v)", bad, e)
	}
	// A malformed body is an error naming the op.
	if err := (Message{Op: OpReady, JSON: "{"}).Decode(&Ready{}); err == nil {
		t.Fatal("malformed JSON accepted")
	}
}
