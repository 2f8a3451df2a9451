package torchload

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// This file holds a small, restricted pickle virtual machine. It builds plain Go values and never
// runs code: a global reference becomes a *pyGlobal, and calling one that it does not know (REDUCE,
// NEWOBJ, INST, OBJ) builds an inert *pyObject. Only the few callables that torch.save emits for
// tensors and state dicts get a meaning, through the unpickler's call hook.
//
// It reads from a byte slice, so every length field is checked against the bytes that remain before
// anything is allocated, and it keeps no recursion, so deeply nested input cannot exhaust the stack.

// maxDigits caps the length of a decimal integer in the text opcodes (as CPython's default
// int_max_str_digits does), keeping their conversion cost linear.
const maxDigits = 4300

// Python values, as the unpickler builds them.
type (
	// pyTuple is an immutable Python tuple.
	pyTuple []any
	// pyList is a mutable Python list.
	pyList struct{ items []any }
	// pyDict is a Python dict (or OrderedDict), keeping insertion order.
	pyDict struct {
		keys, vals []any
		index      map[string]int // Position of each string key.
	}
	// pySet is a Python set or frozenset.
	pySet struct{ items []any }
	// pyGlobal is a reference to a module-level name, e.g. collections.OrderedDict.
	pyGlobal struct{ module, name string }
	// pyObject is an instance of a class the unpickler does not model.
	pyObject struct {
		class any // Usually a *pyGlobal.
		args  any
		state any
		items []any // What APPEND(S) added.
		dict  *pyDict
	}
	// pyPersistent is the value PERSID/BINPERSID get when no persistent loader is set.
	pyPersistent struct{ pid any }
)

// newDict returns an empty dict.
func newDict() *pyDict { return &pyDict{index: make(map[string]int)} }

// set sets d[k] = v, replacing the value of an existing string key.
func (d *pyDict) set(k, v any) {
	if s, ok := k.(string); ok {
		if i, ok := d.index[s]; ok {
			d.vals[i] = v
			return
		}
		d.index[s] = len(d.keys)
	}
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
}

// get returns d[k] for a string key.
func (d *pyDict) get(k string) (any, bool) {
	i, ok := d.index[k]
	if !ok {
		return nil, false
	}
	return d.vals[i], true
}

// typeName names the Python type of a value for error messages. It never prints the value itself,
// which may be cyclic or huge.
func typeName(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		return "bool"
	case int64, *big.Int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []byte:
		return "bytes"
	case pyTuple:
		return "tuple"
	case *pyList:
		return "list"
	case *pyDict:
		return "dict"
	case *pySet:
		return "set"
	case *pyGlobal:
		return "global " + v.module + "." + v.name
	case *pyObject:
		if g, ok := v.class.(*pyGlobal); ok {
			return g.module + "." + g.name + " object"
		}
		return "object"
	case *tensorRef:
		return "tensor"
	case *storage:
		return "storage"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// unpickler runs one pickle program.
type unpickler struct {
	data  []byte
	pos   int
	stack []any
	marks [][]any // Saved stacks below each MARK.
	memo  map[int64]any

	// persistentLoad resolves a persistent id (PERSID, BINPERSID).
	persistentLoad func(pid any) (any, error)
	// call applies a callable to its arguments (REDUCE). It returns handled=false to let the
	// unpickler build an inert *pyObject.
	call func(fn any, args pyTuple) (v any, handled bool, err error)
}

// pickleError is an error at a byte offset of a pickle.
type pickleError struct {
	pos int
	op  byte
	err error
}

func (e *pickleError) Error() string {
	return fmt.Sprintf("pickle byte %d, opcode %s: %v", e.pos, opName(e.op), e.err)
}

func (e *pickleError) Unwrap() error { return e.err }

var (
	errTruncated  = errors.New("unexpected end of pickle data")
	errStackEmpty = errors.New("stack underflow")
	errNoMark     = errors.New("no MARK on the stack")
)

// load runs the pickle that starts at u.pos up to its STOP opcode and returns the value it leaves.
// u.pos is then just past the STOP.
func (u *unpickler) load() (any, error) {
	if u.memo == nil {
		u.memo = make(map[int64]any)
	}
	u.stack = nil
	u.marks = nil
	for {
		start := u.pos
		if u.pos >= len(u.data) {
			return nil, &pickleError{pos: start, op: 0, err: errTruncated}
		}
		op := u.data[u.pos]
		u.pos++
		done, err := u.step(op)
		if err != nil {
			return nil, &pickleError{pos: start, op: op, err: err}
		}
		if done {
			if len(u.stack) != 1 {
				return nil, &pickleError{pos: start, op: op, err: fmt.Errorf("STOP with %d values on the stack, want 1", len(u.stack))}
			}
			return u.stack[0], nil
		}
	}
}

// next returns the next n bytes.
func (u *unpickler) next(n int) ([]byte, error) {
	if n < 0 || n > len(u.data)-u.pos {
		return nil, errTruncated
	}
	b := u.data[u.pos : u.pos+n]
	u.pos += n
	return b, nil
}

// nextLen reads a little-endian length of size bytes (1, 4 or 8) and then that many bytes.
func (u *unpickler) nextLen(size int) ([]byte, error) {
	b, err := u.next(size)
	if err != nil {
		return nil, err
	}
	var n uint64
	switch size {
	case 1:
		n = uint64(b[0])
	case 4:
		n = uint64(binary.LittleEndian.Uint32(b))
	case 8:
		n = binary.LittleEndian.Uint64(b)
	}
	if n > uint64(len(u.data)-u.pos) {
		return nil, fmt.Errorf("length %d runs past the end of the pickle data (%d bytes left)", n, len(u.data)-u.pos)
	}
	return u.next(int(n))
}

// line returns the bytes up to the next newline, which it consumes.
func (u *unpickler) line() (string, error) {
	i := bytes.IndexByte(u.data[u.pos:], '\n')
	if i < 0 {
		return "", errTruncated
	}
	s := string(u.data[u.pos : u.pos+i])
	u.pos += i + 1
	return s, nil
}

func (u *unpickler) push(v any) { u.stack = append(u.stack, v) }

func (u *unpickler) pop() (any, error) {
	if len(u.stack) == 0 {
		return nil, errStackEmpty
	}
	v := u.stack[len(u.stack)-1]
	u.stack = u.stack[:len(u.stack)-1]
	return v, nil
}

func (u *unpickler) top() (any, error) {
	if len(u.stack) == 0 {
		return nil, errStackEmpty
	}
	return u.stack[len(u.stack)-1], nil
}

// popMark returns the values pushed since the last MARK and restores the stack below it.
func (u *unpickler) popMark() ([]any, error) {
	if len(u.marks) == 0 {
		return nil, errNoMark
	}
	items := u.stack
	u.stack = u.marks[len(u.marks)-1]
	u.marks = u.marks[:len(u.marks)-1]
	return items, nil
}

func (u *unpickler) popString() (string, error) {
	v, err := u.pop()
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("want a str, got %s", typeName(v))
	}
	return s, nil
}

func (u *unpickler) memoGet(i int64) error {
	v, ok := u.memo[i]
	if !ok {
		return fmt.Errorf("memo key %d not found", i)
	}
	u.push(v)
	return nil
}

func (u *unpickler) memoPut(i int64) error {
	v, err := u.top()
	if err != nil {
		return err
	}
	if i < 0 {
		return fmt.Errorf("negative memo key %d", i)
	}
	u.memo[i] = v
	return nil
}

// apply calls fn with args, through the call hook if it handles fn.
func (u *unpickler) apply(fn any, args pyTuple) (any, error) {
	if u.call != nil {
		v, handled, err := u.call(fn, args)
		if err != nil {
			return nil, err
		}
		if handled {
			return v, nil
		}
	}
	if g, ok := fn.(*pyGlobal); ok {
		switch g.module + "." + g.name {
		case "collections.OrderedDict", "builtins.dict", "__builtin__.dict":
			d := newDict()
			if len(args) == 0 {
				return d, nil
			}
			if len(args) == 1 {
				if l, ok := args[0].(*pyList); ok {
					for _, it := range l.items {
						kv, ok := it.(pyTuple)
						if !ok || len(kv) != 2 {
							return nil, fmt.Errorf("%s: items must be pairs", g.name)
						}
						d.set(kv[0], kv[1])
					}
					return d, nil
				}
			}
			return nil, fmt.Errorf("%s: unsupported arguments", g.name)
		}
	}
	return &pyObject{class: fn, args: args}, nil
}

// setItems adds key/value pairs to a dict (or an unmodelled object, e.g. a dict subclass).
func setItems(target any, kv []any) error {
	if len(kv)%2 != 0 {
		return fmt.Errorf("odd number of items (%d) for SETITEMS", len(kv))
	}
	var d *pyDict
	switch t := target.(type) {
	case *pyDict:
		d = t
	case *pyObject:
		if t.dict == nil {
			t.dict = newDict()
		}
		d = t.dict
	default:
		return fmt.Errorf("cannot set items on a %s", typeName(target))
	}
	for i := 0; i < len(kv); i += 2 {
		switch kv[i].(type) {
		case *pyList, *pyDict, *pySet:
			return fmt.Errorf("unhashable dict key of type %s", typeName(kv[i]))
		}
		d.set(kv[i], kv[i+1])
	}
	return nil
}

// appendItems appends values to a list (or an unmodelled object, e.g. a list subclass).
func appendItems(target any, items []any) error {
	switch t := target.(type) {
	case *pyList:
		t.items = append(t.items, items...)
	case *pyObject:
		t.items = append(t.items, items...)
	default:
		return fmt.Errorf("cannot append to a %s", typeName(target))
	}
	return nil
}

// decodeLong decodes a little-endian two's-complement integer.
func decodeLong(b []byte) any {
	if len(b) <= 8 {
		var v uint64
		for i := len(b) - 1; i >= 0; i-- {
			v = v<<8 | uint64(b[i])
		}
		if len(b) > 0 && len(b) < 8 && b[len(b)-1]&0x80 != 0 {
			v |= math.MaxUint64 << (8 * uint(len(b)))
		}
		return int64(v)
	}
	be := make([]byte, len(b))
	for i := range b {
		be[len(b)-1-i] = b[i]
	}
	n := new(big.Int).SetBytes(be)
	if b[len(b)-1]&0x80 != 0 {
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return n
}

// parseInt parses a decimal integer of the text opcodes, allowing a Python 2 "L" suffix.
func parseInt(s string) (any, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "L")
	if len(s) > maxDigits {
		return nil, fmt.Errorf("integer literal of %d digits is too long", len(s))
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, nil
	}
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return nil, fmt.Errorf("invalid integer literal %q", s)
	}
	return n, nil
}

// unquote decodes the quoted Python 2 str literal of the STRING opcode.
func unquote(s string) (string, error) {
	if len(s) < 2 || (s[0] != '\'' && s[0] != '"') || s[len(s)-1] != s[0] {
		return "", errors.New("STRING argument is not quoted")
	}
	s = s[1 : len(s)-1]
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(s) {
			return "", errors.New("STRING argument ends in a backslash")
		}
		switch c = s[i]; c {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'x':
			if i+2 >= len(s) {
				return "", errors.New("truncated \\x escape in STRING argument")
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", errors.New("invalid \\x escape in STRING argument")
			}
			b.WriteByte(byte(v))
			i += 2
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v, j := 0, i
			for ; j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7'; j++ {
				v = v*8 + int(s[j]-'0')
			}
			b.WriteByte(byte(v))
			i = j - 1
		default: // \\, \', \" and unknown escapes, which Python keeps.
			if c != '\\' && c != '\'' && c != '"' {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// rawUnicodeUnescape decodes the raw-unicode-escape text of the UNICODE opcode.
func rawUnicodeUnescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') {
			n := 4
			if s[i+1] == 'U' {
				n = 8
			}
			if i+2+n > len(s) {
				return "", errors.New("truncated \\u escape in UNICODE argument")
			}
			v, err := strconv.ParseUint(s[i+2:i+2+n], 16, 32)
			if err != nil {
				return "", errors.New("invalid \\u escape in UNICODE argument")
			}
			b.WriteRune(rune(v))
			i += 1 + n
			continue
		}
		b.WriteRune(rune(s[i])) // Other bytes are Latin-1.
	}
	return b.String(), nil
}

// step executes one opcode. It reports done at STOP.
func (u *unpickler) step(op byte) (done bool, err error) {
	switch op {
	case opProto:
		b, err := u.next(1)
		if err != nil {
			return false, err
		}
		if b[0] > 5 {
			return false, fmt.Errorf("unsupported pickle protocol %d", b[0])
		}
	case opFrame:
		// Frames only group opcodes for buffered reading; the data is already in memory.
		b, err := u.next(8)
		if err != nil {
			return false, err
		}
		if n := binary.LittleEndian.Uint64(b); n > uint64(len(u.data)-u.pos) {
			return false, fmt.Errorf("frame of %d bytes runs past the end of the pickle data", n)
		}
	case opStop:
		return true, nil

	case opMark:
		u.marks = append(u.marks, u.stack)
		u.stack = make([]any, 0, 8)
	case opPop:
		if len(u.stack) == 0 {
			// POP may drop a MARK, as CPython allows.
			if _, err := u.popMark(); err != nil {
				return false, errStackEmpty
			}
			return false, nil
		}
		u.stack = u.stack[:len(u.stack)-1]
	case opPopMark:
		if _, err := u.popMark(); err != nil {
			return false, err
		}
	case opDup:
		v, err := u.top()
		if err != nil {
			return false, err
		}
		u.push(v)

	case opNone:
		u.push(nil)
	case opNewTrue:
		u.push(true)
	case opNewFalse:
		u.push(false)
	case opInt:
		s, err := u.line()
		if err != nil {
			return false, err
		}
		switch s {
		case "00":
			u.push(false)
		case "01":
			u.push(true)
		default:
			v, err := parseInt(s)
			if err != nil {
				return false, err
			}
			u.push(v)
		}
	case opLong:
		s, err := u.line()
		if err != nil {
			return false, err
		}
		v, err := parseInt(s)
		if err != nil {
			return false, err
		}
		u.push(v)
	case opBinInt:
		b, err := u.next(4)
		if err != nil {
			return false, err
		}
		u.push(int64(int32(binary.LittleEndian.Uint32(b))))
	case opBinInt1:
		b, err := u.next(1)
		if err != nil {
			return false, err
		}
		u.push(int64(b[0]))
	case opBinInt2:
		b, err := u.next(2)
		if err != nil {
			return false, err
		}
		u.push(int64(binary.LittleEndian.Uint16(b)))
	case opLong1:
		b, err := u.nextLen(1)
		if err != nil {
			return false, err
		}
		u.push(decodeLong(b))
	case opLong4:
		b, err := u.next(4)
		if err != nil {
			return false, err
		}
		n := int32(binary.LittleEndian.Uint32(b))
		if n < 0 {
			return false, fmt.Errorf("negative LONG4 length %d", n)
		}
		u.pos -= 4
		b, err = u.nextLen(4)
		if err != nil {
			return false, err
		}
		u.push(decodeLong(b))
	case opFloat:
		s, err := u.line()
		if err != nil {
			return false, err
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return false, fmt.Errorf("invalid float literal %q", s)
		}
		u.push(v)
	case opBinFloat:
		b, err := u.next(8)
		if err != nil {
			return false, err
		}
		u.push(math.Float64frombits(binary.BigEndian.Uint64(b)))

	case opString:
		s, err := u.line()
		if err != nil {
			return false, err
		}
		v, err := unquote(s)
		if err != nil {
			return false, err
		}
		u.push(v)
	case opBinString, opBinUnicode:
		b, err := u.nextLen(4)
		if err != nil {
			return false, err
		}
		u.push(string(b))
	case opShortBinString, opShortBinUnicode:
		b, err := u.nextLen(1)
		if err != nil {
			return false, err
		}
		u.push(string(b))
	case opBinUnicode8:
		b, err := u.nextLen(8)
		if err != nil {
			return false, err
		}
		u.push(string(b))
	case opUnicode:
		s, err := u.line()
		if err != nil {
			return false, err
		}
		v, err := rawUnicodeUnescape(s)
		if err != nil {
			return false, err
		}
		u.push(v)
	case opBinBytes:
		b, err := u.nextLen(4)
		if err != nil {
			return false, err
		}
		u.push(append([]byte(nil), b...))
	case opShortBinBytes:
		b, err := u.nextLen(1)
		if err != nil {
			return false, err
		}
		u.push(append([]byte(nil), b...))
	case opBinBytes8, opByteArray8:
		b, err := u.nextLen(8)
		if err != nil {
			return false, err
		}
		u.push(append([]byte(nil), b...))

	case opEmptyTuple:
		u.push(pyTuple{})
	case opTuple:
		items, err := u.popMark()
		if err != nil {
			return false, err
		}
		u.push(pyTuple(items))
	case opTuple1, opTuple2, opTuple3:
		n := int(op-opTuple1) + 1
		if len(u.stack) < n {
			return false, errStackEmpty
		}
		t := append(pyTuple(nil), u.stack[len(u.stack)-n:]...)
		u.stack = u.stack[:len(u.stack)-n]
		u.push(t)
	case opEmptyList:
		u.push(&pyList{})
	case opList:
		items, err := u.popMark()
		if err != nil {
			return false, err
		}
		u.push(&pyList{items: items})
	case opAppend:
		v, err := u.pop()
		if err != nil {
			return false, err
		}
		t, err := u.top()
		if err != nil {
			return false, err
		}
		if err := appendItems(t, []any{v}); err != nil {
			return false, err
		}
	case opAppends:
		items, err := u.popMark()
		if err != nil {
			return false, err
		}
		t, err := u.top()
		if err != nil {
			return false, err
		}
		if err := appendItems(t, items); err != nil {
			return false, err
		}
	case opEmptyDict:
		u.push(newDict())
	case opDict:
		items, err := u.popMark()
		if err != nil {
			return false, err
		}
		d := newDict()
		if err := setItems(d, items); err != nil {
			return false, err
		}
		u.push(d)
	case opSetItem:
		if len(u.stack) < 3 {
			return false, errStackEmpty
		}
		kv := u.stack[len(u.stack)-2:]
		if err := setItems(u.stack[len(u.stack)-3], kv); err != nil {
			return false, err
		}
		u.stack = u.stack[:len(u.stack)-2]
	case opSetItems:
		items, err := u.popMark()
		if err != nil {
			return false, err
		}
		t, err := u.top()
		if err != nil {
			return false, err
		}
		if err := setItems(t, items); err != nil {
			return false, err
		}
	case opEmptySet:
		u.push(&pySet{})
	case opAddItems:
		items, err := u.popMark()
		if err != nil {
			return false, err
		}
		t, err := u.top()
		if err != nil {
			return false, err
		}
		s, ok := t.(*pySet)
		if !ok {
			return false, fmt.Errorf("cannot add items to a %s", typeName(t))
		}
		s.items = append(s.items, items...)
	case opFrozenSet:
		items, err := u.popMark()
		if err != nil {
			return false, err
		}
		u.push(&pySet{items: items})

	case opGet:
		s, err := u.line()
		if err != nil {
			return false, err
		}
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return false, fmt.Errorf("invalid memo key %q", s)
		}
		return false, u.memoGet(i)
	case opBinGet:
		b, err := u.next(1)
		if err != nil {
			return false, err
		}
		return false, u.memoGet(int64(b[0]))
	case opLongBinGet:
		b, err := u.next(4)
		if err != nil {
			return false, err
		}
		return false, u.memoGet(int64(binary.LittleEndian.Uint32(b)))
	case opPut:
		s, err := u.line()
		if err != nil {
			return false, err
		}
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return false, fmt.Errorf("invalid memo key %q", s)
		}
		return false, u.memoPut(i)
	case opBinPut:
		b, err := u.next(1)
		if err != nil {
			return false, err
		}
		return false, u.memoPut(int64(b[0]))
	case opLongBinPut:
		b, err := u.next(4)
		if err != nil {
			return false, err
		}
		return false, u.memoPut(int64(binary.LittleEndian.Uint32(b)))
	case opMemoize:
		return false, u.memoPut(int64(len(u.memo)))

	case opGlobal:
		module, err := u.line()
		if err != nil {
			return false, err
		}
		name, err := u.line()
		if err != nil {
			return false, err
		}
		u.push(&pyGlobal{module: module, name: name})
	case opStackGlobal:
		name, err := u.popString()
		if err != nil {
			return false, err
		}
		module, err := u.popString()
		if err != nil {
			return false, err
		}
		u.push(&pyGlobal{module: module, name: name})
	case opReduce:
		a, err := u.pop()
		if err != nil {
			return false, err
		}
		fn, err := u.pop()
		if err != nil {
			return false, err
		}
		args, ok := a.(pyTuple)
		if !ok {
			return false, fmt.Errorf("REDUCE arguments are a %s, want a tuple", typeName(a))
		}
		v, err := u.apply(fn, args)
		if err != nil {
			return false, err
		}
		u.push(v)
	case opNewObj:
		a, err := u.pop()
		if err != nil {
			return false, err
		}
		cls, err := u.pop()
		if err != nil {
			return false, err
		}
		u.push(&pyObject{class: cls, args: a})
	case opNewObjEx:
		kw, err := u.pop()
		if err != nil {
			return false, err
		}
		a, err := u.pop()
		if err != nil {
			return false, err
		}
		cls, err := u.pop()
		if err != nil {
			return false, err
		}
		u.push(&pyObject{class: cls, args: pyTuple{a, kw}})
	case opInst:
		module, err := u.line()
		if err != nil {
			return false, err
		}
		name, err := u.line()
		if err != nil {
			return false, err
		}
		items, err := u.popMark()
		if err != nil {
			return false, err
		}
		u.push(&pyObject{class: &pyGlobal{module: module, name: name}, args: pyTuple(items)})
	case opObj:
		items, err := u.popMark()
		if err != nil {
			return false, err
		}
		if len(items) == 0 {
			return false, errStackEmpty
		}
		u.push(&pyObject{class: items[0], args: pyTuple(items[1:])})
	case opBuild:
		state, err := u.pop()
		if err != nil {
			return false, err
		}
		t, err := u.top()
		if err != nil {
			return false, err
		}
		// Instances of unmodelled classes keep their state; elsewhere (e.g. the _metadata
		// attribute of a state dict's OrderedDict) it carries nothing this package needs.
		if o, ok := t.(*pyObject); ok {
			o.state = state
		}

	case opPersID:
		s, err := u.line()
		if err != nil {
			return false, err
		}
		v, err := u.persistent(s)
		if err != nil {
			return false, err
		}
		u.push(v)
	case opBinPersID:
		pid, err := u.pop()
		if err != nil {
			return false, err
		}
		v, err := u.persistent(pid)
		if err != nil {
			return false, err
		}
		u.push(v)

	case opExt1, opExt2, opExt4:
		return false, errors.New("extension registry codes are not supported")
	case opNextBuffer, opReadOnlyBuffer:
		return false, errors.New("out-of-band buffers are not supported")
	default:
		return false, fmt.Errorf("unknown opcode 0x%02x", op)
	}
	return false, nil
}

// persistent resolves a persistent id.
func (u *unpickler) persistent(pid any) (any, error) {
	if u.persistentLoad == nil {
		return &pyPersistent{pid: pid}, nil
	}
	return u.persistentLoad(pid)
}

// Pickle opcodes (see CPython's Lib/pickle.py).
const (
	opMark            = '('
	opStop            = '.'
	opPop             = '0'
	opPopMark         = '1'
	opDup             = '2'
	opFloat           = 'F'
	opInt             = 'I'
	opBinInt          = 'J'
	opBinInt1         = 'K'
	opLong            = 'L'
	opBinInt2         = 'M'
	opNone            = 'N'
	opPersID          = 'P'
	opBinPersID       = 'Q'
	opReduce          = 'R'
	opString          = 'S'
	opBinString       = 'T'
	opShortBinString  = 'U'
	opUnicode         = 'V'
	opBinUnicode      = 'X'
	opAppend          = 'a'
	opBuild           = 'b'
	opGlobal          = 'c'
	opDict            = 'd'
	opEmptyDict       = '}'
	opAppends         = 'e'
	opGet             = 'g'
	opBinGet          = 'h'
	opInst            = 'i'
	opLongBinGet      = 'j'
	opList            = 'l'
	opEmptyList       = ']'
	opObj             = 'o'
	opPut             = 'p'
	opBinPut          = 'q'
	opLongBinPut      = 'r'
	opSetItem         = 's'
	opTuple           = 't'
	opEmptyTuple      = ')'
	opSetItems        = 'u'
	opBinFloat        = 'G'
	opProto           = 0x80
	opNewObj          = 0x81
	opExt1            = 0x82
	opExt2            = 0x83
	opExt4            = 0x84
	opTuple1          = 0x85
	opTuple2          = 0x86
	opTuple3          = 0x87
	opNewTrue         = 0x88
	opNewFalse        = 0x89
	opLong1           = 0x8a
	opLong4           = 0x8b
	opBinBytes        = 'B'
	opShortBinBytes   = 'C'
	opShortBinUnicode = 0x8c
	opBinUnicode8     = 0x8d
	opBinBytes8       = 0x8e
	opEmptySet        = 0x8f
	opAddItems        = 0x90
	opFrozenSet       = 0x91
	opNewObjEx        = 0x92
	opStackGlobal     = 0x93
	opMemoize         = 0x94
	opFrame           = 0x95
	opByteArray8      = 0x96
	opNextBuffer      = 0x97
	opReadOnlyBuffer  = 0x98
)

// opName names an opcode for error messages.
func opName(op byte) string {
	if op >= 0x20 && op < 0x7f {
		return fmt.Sprintf("%q", rune(op))
	}
	return fmt.Sprintf("0x%02x", op)
}
