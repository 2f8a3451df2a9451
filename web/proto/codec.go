package proto

import (
	"encoding/json"
	"fmt"
)

// Message is one message between the page and a worker, as it crosses postMessage: {op, json,
// bin}. The same codec (Encode, Message.Decode; Post and Receive in the browser) serves the page
// (wasm/app) and the workers (wasm/worker).
type Message struct {
	Op   string
	JSON string   // the JSON of op's struct (Job, Ready, Layer, Pruned, …)
	Bin  [][]byte // binary payloads (weights, packs, networks, pixels), transferred, not copied
}

// Encode makes the message op with body v. A body that cannot be encoded becomes an OpError
// message saying so.
func Encode(op string, v any, bin [][]byte) Message {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(Error{Op: op, Msg: err.Error()})
		return Message{Op: OpError, JSON: string(b)}
	}
	return Message{Op: op, JSON: string(b), Bin: bin}
}

// Decode reads m's JSON body into v (an empty body leaves v as it is).
func (m Message) Decode(v any) error {
	if m.JSON == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(m.JSON), v); err != nil {
		return fmt.Errorf("%s message: %w", m.Op, err)
	}
	return nil
}
