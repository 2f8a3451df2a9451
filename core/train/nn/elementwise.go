package nn

// ReLU, residual addition and the option-A shortcut: parameter-free layers.
//
// ReLU (in place):            y = max(x, 0);           dx = dy·[y > 0]
// Residual add:               y = a + b;               da = db = dy
// Option-A shortcut (stride s, Cin → Cout channels, pad = (Cout−Cin)/2):
//
//	y[c+pad][oy][ox] = x[c][oy·s][ox·s]  (other channels 0);   dx[c][oy·s][ox·s] = dy[c+pad][oy][ox], 0 elsewhere.
//
// The identity shortcut is option A with s = 1 and Cin = Cout.

// ReLUForward applies max(·, 0) in place to x (n images of per floats each).
func ReLUForward(p Parallel, x []float32, n, per int) {
	p.For(n, func(_, lo, hi int) {
		v := x[lo*per : hi*per]
		for i, e := range v {
			v[i] = max(e, 0)
		}
	})
}

// ReLUBackward turns dy into dL/dx in place, given the ReLU's output y: dy[i] = 0 where y[i] ≤ 0.
func ReLUBackward(p Parallel, dy, y []float32, n, per int) {
	p.For(n, func(_, lo, hi int) {
		reluMask(dy[lo*per:hi*per], y[lo*per:hi*per])
	})
}

// AddForward adds b to a in place (n images of per floats each). Its backward pass sends dy
// unchanged to both operands.
func AddForward(p Parallel, a, b []float32, n, per int) {
	p.For(n, func(_, lo, hi int) {
		axpy(a[lo*per:hi*per], b[lo*per:hi*per])
	})
}

// ShortcutOut returns the output size of the option-A shortcut for an h×w input: ⌈h/s⌉×⌈w/s⌉
// (PyTorch's x[:, :, ::s, ::s]).
func ShortcutOut(h, w, stride int) (ho, wo int) {
	return (h + stride - 1) / stride, (w + stride - 1) / stride
}

// ShortcutAForward writes the option-A shortcut of x (n×cin×h×w) into y (n×cout×ho×wo): subsample
// by stride and zero-pad the channels evenly on both sides (F.pad(x[:, :, ::s, ::s], (0,0,0,0,p,p))).
func ShortcutAForward(p Parallel, y, x []float32, n, cin, h, w, cout, stride int) {
	ho, wo := ShortcutOut(h, w, stride)
	pad := (cout - cin) / 2
	p.For(n, func(_, lo, hi int) {
		for img := lo; img < hi; img++ {
			out := y[img*cout*ho*wo : (img+1)*cout*ho*wo]
			clear(out)
			for c := range cin {
				s := x[(img*cin+c)*h*w:]
				d := out[(c+pad)*ho*wo:]
				for oy := range ho {
					for ox := range wo {
						d[oy*wo+ox] = s[oy*stride*w+ox*stride]
					}
				}
			}
		}
	})
}

// ShortcutABackward adds the option-A shortcut's gradient to dx (n×cin×h×w), given dy
// (n×cout×ho×wo).
func ShortcutABackward(p Parallel, dx, dy []float32, n, cin, h, w, cout, stride int) {
	ho, wo := ShortcutOut(h, w, stride)
	pad := (cout - cin) / 2
	p.For(n, func(_, lo, hi int) {
		for img := lo; img < hi; img++ {
			for c := range cin {
				d := dx[(img*cin+c)*h*w:]
				s := dy[(img*cout+c+pad)*ho*wo:]
				for oy := range ho {
					for ox := range wo {
						d[oy*stride*w+ox*stride] += s[oy*wo+ox]
					}
				}
			}
		}
	})
}
