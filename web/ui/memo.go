package ui

import "github.com/vugu/vugu"

// Memo draws a view again only when its key changes. vugu (v0.4) builds every component and
// sends every node of the page to the DOM on each render; a Memo whose key has not moved since the
// last render returns its root element without children instead, and vugu leaves the children of
// an element it is given none of as they are in the DOM (their event handlers stay registered).
// So an unchanged view costs one element per render, and a progress message, which moves only the
// accuracy card's key, redraws the accuracy card alone.
//
// A Memo must keep its position among its siblings (no vg-if before it in the same parent), or
// vugu would hand its children-less root to another element. The other side of the same rule:
// an element whose children all went away (a wrapper of one vg-if element that is now false)
// would keep showing them, so such wrappers hold a text node too (`<div class="x-box"> <p
// vg-if=…>`): hiding a control from the link's NAME_hide=true did not remove it without one.
type Memo struct {
	View vugu.Builder // the view (a generated vugu component)
	Key  func() any   // the view's inputs' version; compared with ==

	key   any
	drawn bool
	out   *vugu.BuildOut // the last full build
	shell *vugu.BuildOut // its root element without children
}

// Build implements vugu.Builder.
func (m *Memo) Build(in *vugu.BuildIn) *vugu.BuildOut {
	k := m.Key()
	if m.drawn && k == m.key {
		return m.shell
	}
	m.key, m.drawn = k, true
	m.out = m.View.Build(in)
	if len(m.out.Out) != 1 || len(m.out.Components) > 0 {
		// Views are single elements without nested components; anything else is rebuilt each time.
		m.drawn = false
		return m.out
	}
	root := *m.out.Out[0]
	root.FirstChild, root.LastChild, root.Parent, root.PrevSibling, root.NextSibling = nil, nil, nil, nil, nil
	root.InnerHTML = nil
	m.shell = &vugu.BuildOut{Out: []*vugu.VGNode{&root}, CSS: m.out.CSS}
	return m.out
}

// Redraw makes the next render build the view whatever its key.
func (m *Memo) Redraw() { m.drawn = false }
