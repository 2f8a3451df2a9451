package ui

import "github.com/vugu/vugu"

// OnUpload hands the chosen file to the browser's decoder, then to the page.
func (c *Samples) OnUpload(e vugu.DOMEvent) {
	files := e.JSEventTarget().Get("files")
	if c.App.Decode == nil || !files.Truthy() || files.Length() == 0 {
		return
	}
	c.App.Decode(files.Index(0), c.P.Uploaded)
}
