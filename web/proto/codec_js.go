//go:build js && wasm

package proto

import (
	"fmt"
	"syscall/js"
)

var (
	objectCtor = js.Global().Get("Object")
	u8Ctor     = js.Global().Get("Uint8Array")
)

// Post sends m with target.postMessage (a Worker, or a worker's global scope), transferring the
// binary payloads' buffers.
func Post(target js.Value, m Message) {
	msg := objectCtor.New()
	msg.Set("op", m.Op)
	msg.Set("json", m.JSON)
	var transfer []any
	if len(m.Bin) > 0 {
		arr := make([]any, len(m.Bin))
		for i, p := range m.Bin {
			a := u8Ctor.New(len(p))
			js.CopyBytesToJS(a, p)
			arr[i] = a
			transfer = append(transfer, a.Get("buffer"))
		}
		msg.Set("bin", js.ValueOf(arr))
	}
	target.Call("postMessage", msg, js.ValueOf(transfer))
}

// Receive reads a message event's data ({op, json, bin}) into a Message.
func Receive(data js.Value) (Message, error) {
	var m Message
	if data.Type() != js.TypeObject {
		return m, fmt.Errorf("message is not an object")
	}
	if op := data.Get("op"); op.Type() == js.TypeString {
		m.Op = op.String()
	} else {
		return m, fmt.Errorf("message without an op")
	}
	if j := data.Get("json"); j.Type() == js.TypeString {
		m.JSON = j.String()
	}
	if bin := data.Get("bin"); bin.Truthy() {
		for i := range bin.Length() {
			a := bin.Index(i)
			b := make([]byte, a.Get("byteLength").Int())
			js.CopyBytesToGo(b, a)
			m.Bin = append(m.Bin, b)
		}
	}
	return m, nil
}

// Listen makes handle the onmessage of a worker's global scope self, then hands it the message
// events that worker.js queued in self.rpPending while the module was starting, in order.
func Listen(self js.Value, handle func(event js.Value)) {
	self.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		handle(args[0])
		return nil
	}))
	if q := self.Get("rpPending"); q.Truthy() {
		for i := range q.Length() {
			handle(q.Index(i))
		}
		self.Set("rpPending", js.Undefined())
	}
}
