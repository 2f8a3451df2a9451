package torchload

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"testing"
)

// pyRepr renders an unpickled value in a Python-like notation, for comparisons.
func pyRepr(v any) string {
	var b strings.Builder
	writeRepr(&b, v)
	return b.String()
}

func writeRepr(b *strings.Builder, v any) {
	list := func(open, close string, items []any) {
		b.WriteString(open)
		for i, it := range items {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, it)
		}
		if open == "(" && len(items) == 1 {
			b.WriteString(",")
		}
		b.WriteString(close)
	}
	switch v := v.(type) {
	case nil:
		b.WriteString("None")
	case bool:
		if v {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case *big.Int:
		b.WriteString(v.String())
	case float64:
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	case string:
		fmt.Fprintf(b, "%q", v)
	case []byte:
		fmt.Fprintf(b, "b%q", v)
	case pyTuple:
		list("(", ")", v)
	case *pyList:
		list("[", "]", v.items)
	case *pySet:
		list("set{", "}", v.items)
	case *pyDict:
		b.WriteString("{")
		for i := range v.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, v.keys[i])
			b.WriteString(": ")
			writeRepr(b, v.vals[i])
		}
		b.WriteString("}")
	case *pyGlobal:
		b.WriteString(v.module + "." + v.name)
	case *pyObject:
		b.WriteString("obj(")
		writeRepr(b, v.class)
		b.WriteString(", ")
		writeRepr(b, v.args)
		if v.state != nil {
			b.WriteString(", state=")
			writeRepr(b, v.state)
		}
		b.WriteString(")")
	case *pyPersistent:
		b.WriteString("persid(")
		writeRepr(b, v.pid)
		b.WriteString(")")
	default:
		fmt.Fprintf(b, "<%T>", v)
	}
}

// unpickleHex runs the hex-encoded pickle program.
func unpickleHex(t *testing.T, h string) (any, error) {
	t.Helper()
	data, err := hex.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	u := &unpickler{data: data}
	v, err := u.load()
	if err == nil && u.pos != len(data) {
		t.Errorf("load stopped at byte %d of %d", u.pos, len(data))
	}
	return v, err
}

// TestUnpicklerProtocols checks one object pickled by CPython 3 at every protocol, 0 to 5, so
// that the text, binary, framed and memoized opcode families all decode the same.
func TestUnpicklerProtocols(t *testing.T) {
	// pickle.dumps(obj, protocol=p) for
	// obj = {"a": [1, -2, 300, 70000, -(2**40), 2**70, -(2**70), 1.5, -0.0, True, False, None,
	//              "h\u00e9llo \u2603\n", (1,), (1, 2), (1, 2, 3), (), (1, 2, 3, 4)],
	//        "b": collections.OrderedDict([("x", 1), ("y", [2])]), "c": [[]] * 2}
	const want = `{"a": [1, -2, 300, 70000, -1099511627776, 1180591620717411303424, -1180591620717411303424, 1.5, -0, True, False, None, "héllo ☃\n", (1,), (1, 2), (1, 2, 3), (), (1, 2, 3, 4)], "b": {"x": 1, "y": [2]}, "c": [[], []]}`
	pickles := []string{
		"286470300a56610a70310a286c70320a49310a61492d320a61493330300a614937303030300a614c2d313039393531313632373737364c0a614c313138303539313632303731373431313330333432344c0a614c2d313138303539313632303731373431313330333432344c0a6146312e350a61462d302e300a614930310a614930300a614e615668e96c6c6f205c75323630335c75303030610a70330a612849310a7470340a612849310a49320a7470350a612849310a49320a49330a7470360a612874612849310a49320a49330a49340a7470370a617356620a70380a63636f6c6c656374696f6e730a4f726465726564446963740a70390a2874527031300a56780a7031310a49310a7356790a7031320a286c7031330a49320a61737356630a7031340a286c7031350a286c7031360a616731360a61732e",
		"7d71002858010000006171015d7102284b014afeffffff4d2c014a701101004c2d313039393531313632373737364c0a4c313138303539313632303731373431313330333432344c0a4c2d313138303539313632303731373431313330333432344c0a473ff80000000000004780000000000000004930310a4930300a4e580b00000068c3a96c6c6f20e298830a7103284b01747104284b014b02747105284b014b024b0374710629284b014b024b034b0474710765580100000062710863636f6c6c656374696f6e730a4f726465726564446963740a71092952710a28580100000078710b4b01580100000079710c5d710d4b026175580100000063710e5d710f285d7110681065752e",
		"80027d71002858010000006171015d7102284b014afeffffff4d2c014a701101008a060000000000ff8a090000000000000000408a090000000000000000c0473ff800000000000047800000000000000088894e580b00000068c3a96c6c6f20e298830a71034b018571044b014b028671054b014b024b0387710629284b014b024b034b0474710765580100000062710863636f6c6c656374696f6e730a4f726465726564446963740a71092952710a28580100000078710b4b01580100000079710c5d710d4b026175580100000063710e5d710f285d7110681065752e",
		"80037d71002858010000006171015d7102284b014afeffffff4d2c014a701101008a060000000000ff8a090000000000000000408a090000000000000000c0473ff800000000000047800000000000000088894e580b00000068c3a96c6c6f20e298830a71034b018571044b014b028671054b014b024b0387710629284b014b024b034b0474710765580100000062710863636f6c6c656374696f6e730a4f726465726564446963740a71092952710a28580100000078710b4b01580100000079710c5d710d4b026175580100000063710e5d710f285d7110681065752e",
		"800495bd000000000000007d94288c0161945d94284b014afeffffff4d2c014a701101008a060000000000ff8a090000000000000000408a090000000000000000c0473ff800000000000047800000000000000088894e8c0b68c3a96c6c6f20e298830a944b0185944b014b0286944b014b024b03879429284b014b024b034b047494658c0162948c0b636f6c6c656374696f6e73948c0b4f72646572656444696374949394295294288c0178944b018c0179945d944b0261758c0163945d94285d94681265752e",
		"800595bd000000000000007d94288c0161945d94284b014afeffffff4d2c014a701101008a060000000000ff8a090000000000000000408a090000000000000000c0473ff800000000000047800000000000000088894e8c0b68c3a96c6c6f20e298830a944b0185944b014b0286944b014b024b03879429284b014b024b034b047494658c0162948c0b636f6c6c656374696f6e73948c0b4f72646572656444696374949394295294288c0178944b018c0179945d944b0261758c0163945d94285d94681265752e",
	}
	for proto, h := range pickles {
		t.Run(fmt.Sprint("protocol ", proto), func(t *testing.T) {
			v, err := unpickleHex(t, h)
			if err != nil {
				t.Fatal(err)
			}
			if got := pyRepr(v); got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

func TestUnpicklerOpcodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		hex  string
		want string
	}{
		{
			// pickle.dumps([b"by\x00tes", bytearray(b"x"), {1}, frozenset([2])], protocol=5)
			name: "bytes and sets",
			hex:  "80059524000000000000005d942843066279007465739496010000000000000078948f94284b0190284b029194652e",
			want: `[b"by\x00tes", b"x", set{1}, set{2}]`,
		},
		{
			// Python 2 str with escapes: S'a\'b\x41\101\n'
			name: "STRING",
			hex:  hex.EncodeToString([]byte(`S'a\'b\x41\101\n\q'` + "\n.")),
			want: `"a'bAA\n\\q"`,
		},
		{name: "SHORT_BINSTRING", hex: "55036162632e", want: `"abc"`},
		{name: "BINSTRING", hex: "54030000006162632e", want: `"abc"`},
		{name: "BINBYTES", hex: "420200000061622e", want: `b"ab"`},
		{name: "BINUNICODE8", hex: "8d0100000000000000612e", want: `"a"`},
		{name: "BINBYTES8", hex: "8e0100000000000000612e", want: `b"a"`},
		{name: "LONG4", hex: "8b02000000ff7f2e", want: "32767"},
		{name: "LONG1 negative", hex: "8a01ff2e", want: "-1"},
		{name: "LONG1 zero", hex: "8a002e", want: "0"},
		{name: "LONG1 eight bytes", hex: "8a08ffffffffffffff7f2e", want: "9223372036854775807"},
		{name: "BININT negative", hex: "4afeffffff2e", want: "-2"},
		{name: "BININT2", hex: "4dffff2e", want: "65535"},
		{name: "INT large", hex: hex.EncodeToString([]byte("I123456789012345678901234567890\n.")), want: "123456789012345678901234567890"},
		{name: "FLOAT", hex: hex.EncodeToString([]byte("F-2.5e3\n.")), want: "-2500"},
		{name: "POP and DUP", hex: hex.EncodeToString([]byte("K\x01K\x022\x30\x30.")), want: "1"},
		{name: "POP_MARK", hex: hex.EncodeToString([]byte("K\x01(K\x02K\x031.")), want: "1"},
		{name: "POP drops an empty MARK", hex: hex.EncodeToString([]byte("K\x01(0.")), want: "1"},
		{name: "LIST and APPENDS", hex: hex.EncodeToString([]byte("(K\x01l(K\x02K\x03e.")), want: "[1, 2, 3]"},
		{name: "DICT", hex: hex.EncodeToString([]byte("(K\x01K\x02X\x01\x00\x00\x00aK\x03d.")), want: `{1: 2, "a": 3}`},
		{name: "duplicate dict key keeps the last value", hex: hex.EncodeToString([]byte("}(X\x01\x00\x00\x00aK\x01X\x01\x00\x00\x00aK\x02u.")), want: `{"a": 2}`},
		{name: "GLOBAL", hex: hex.EncodeToString([]byte("cos\nsystem\n.")), want: "os.system"},
		{name: "REDUCE of an unknown callable is inert", hex: hex.EncodeToString([]byte("cos\nsystem\nX\x02\x00\x00\x00ls\x85R.")), want: `obj(os.system, ("ls",))`},
		{name: "NEWOBJ and BUILD", hex: hex.EncodeToString([]byte("\x80\x02c__main__\nC\n)\x81}X\x01\x00\x00\x00xK\x01sb.")), want: `obj(__main__.C, (), state={"x": 1})`},
		{name: "NEWOBJ_EX", hex: hex.EncodeToString([]byte("c__main__\nC\n)}\x92.")), want: `obj(__main__.C, ((), {}))`},
		{name: "INST", hex: hex.EncodeToString([]byte("(K\x01i__main__\nC\n.")), want: `obj(__main__.C, (1,))`},
		{name: "OBJ", hex: hex.EncodeToString([]byte("(c__main__\nC\nK\x01o.")), want: `obj(__main__.C, (1,))`},
		{name: "SETITEMS on an object", hex: hex.EncodeToString([]byte("c__main__\nD\n)R(X\x01\x00\x00\x00kK\x01u.")), want: `obj(__main__.D, ())`},
		{name: "OrderedDict from pairs", hex: hex.EncodeToString([]byte("ccollections\nOrderedDict\n(X\x01\x00\x00\x00kK\x01\x86l\x85R.")), want: `{"k": 1}`},
		{name: "STACK_GLOBAL and MEMOIZE", hex: hex.EncodeToString([]byte("\x8c\x01m\x94\x8c\x01n\x94\x93h\x01\x86.")), want: "(m.n, \"n\")"},
		{name: "PUT and GET", hex: hex.EncodeToString([]byte("K\x07p5\n0g5\n.")), want: "7"},
		{name: "LONG_BINPUT and LONG_BINGET", hex: hex.EncodeToString([]byte("K\x07r\x00\x01\x00\x000j\x00\x01\x00\x00.")), want: "7"},
		{name: "persistent ids without a loader", hex: hex.EncodeToString([]byte("Pabc\nK\x01Q\x86.")), want: `(persid("abc"), persid(1))`},
		{name: "UNICODE escapes", hex: hex.EncodeToString([]byte(`V\u00e9\U0001F600` + "\n.")), want: `"é😀"`},
		{name: "LONG with suffix", hex: hex.EncodeToString([]byte("L-5L\n.")), want: "-5"},
		{name: "INT booleans", hex: hex.EncodeToString([]byte("I00\nI01\n\x86.")), want: "(False, True)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := unpickleHex(t, tc.hex)
			if err != nil {
				t.Fatal(err)
			}
			if got := pyRepr(v); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestUnpicklerErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		prog string
		want string
	}{
		{"empty", "", "unexpected end"},
		{"no STOP", "K\x01", "unexpected end"},
		{"unknown opcode", "\xff", "unknown opcode 0xff"},
		{"protocol too new", "\x80\x06", "unsupported pickle protocol 6"},
		{"stack underflow", "0", "stack underflow"},
		{"STOP with empty stack", ".", "STOP with 0 values"},
		{"STOP with two values", "K\x01K\x02.", "STOP with 2 values"},
		{"TUPLE without MARK", "K\x01t.", "no MARK"},
		{"TUPLE2 underflow", "K\x01\x86.", "stack underflow"},
		{"huge BINUNICODE8", "\x8d\xff\xff\xff\xff\xff\xff\xff\x7f", "runs past the end"},
		{"huge BINBYTES", "B\xff\xff\xff\xff", "runs past the end"},
		{"huge FRAME", "\x95\x00\x00\x00\x00\x00\x00\x00\x01", "frame of"},
		{"truncated BININT", "J\x01\x02", "unexpected end"},
		{"negative LONG4", "\x8b\xff\xff\xff\xff", "negative LONG4"},
		{"memo miss", "h\x05.", "memo key 5 not found"},
		{"negative PUT", "K\x01p-1\n.", "negative memo key"},
		{"bad PUT", "K\x01px\n.", "invalid memo key"},
		{"PUT on empty stack", "q\x01", "stack underflow"},
		{"APPEND to a dict", "}K\x01a.", "cannot append to a dict"},
		{"SETITEM on a list", "]K\x01K\x02s.", "cannot set items on a list"},
		{"SETITEMS odd", "}(K\x01u.", "odd number of items"},
		{"unhashable key", "}]K\x01s.", "unhashable dict key"},
		{"ADDITEMS to a list", "](K\x01\x90.", "cannot add items"},
		{"REDUCE with a non-tuple", "cos\nsystem\nK\x01R.", "REDUCE arguments are a int"},
		{"STACK_GLOBAL of non-strings", "K\x01K\x02\x93.", "want a str"},
		{"OrderedDict with bad args", "ccollections\nOrderedDict\nK\x01\x85R.", "unsupported arguments"},
		{"OrderedDict with bad pairs", "ccollections\nOrderedDict\n(K\x01l\x85R.", "items must be pairs"},
		{"long INT literal", "I" + strings.Repeat("9", maxDigits+1) + "\n.", "too long"},
		{"bad INT literal", "Ixyz\n.", "invalid integer literal"},
		{"bad FLOAT literal", "Fxyz\n.", "invalid float literal"},
		{"unterminated line", "I12", "unexpected end"},
		{"unquoted STRING", "Sabc\n.", "not quoted"},
		{"STRING with a trailing backslash", "S'a\\'\n.", "ends in a backslash"},
		{"STRING with a truncated escape", "S'\\x4'\n.", "truncated \\x escape"},
		{"STRING with a bad escape", "S'\\xzz'\n.", "invalid \\x escape"},
		{"UNICODE with a truncated escape", "V\\u12\n.", "truncated \\u escape"},
		{"UNICODE with a bad escape", "V\\uzzzz\n.", "invalid \\u escape"},
		{"extension code", "\x82\x01", "extension registry"},
		{"out-of-band buffer", "\x97", "out-of-band buffers"},
		{"OBJ without class", "(o.", "stack underflow"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := &unpickler{data: []byte(tc.prog)}
			_, err := u.load()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
