// Package server serves the browser demo's static files (the dist/ folder that `make site` writes):
// correct MIME types (application/wasm for WebAssembly, so that instantiateStreaming works),
// precompressed .br / .gz siblings when the browser accepts them, cross-origin isolation headers
// (COOP/COEP) and a restrictive Content-Security-Policy. Files are opened through an os.Root, so no
// request path, "..", symlink or encoded separator can reach outside the served folder; directory
// listings are never produced.
//
// Options.Prefix serves the folder under a sub-path, as GitHub Pages serves a project's site
// (https://user.github.io/repo/), and Options.Plain leaves out every header a plain static host
// may not send (COOP, COEP, CORP, CSP, nosniff, Referrer-Policy, Cache-Control), to check that the
// site works there: the pages carry their CSP as a <meta> too (MetaCSP), and the comparison page
// falls back to one thread without cross-origin isolation.
package server

import (
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"
)

// MIME types by extension. Anything else is served as application/octet-stream (with nosniff).
var mimeTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".json":        "application/json",
	".wasm":        "application/wasm",
	".png":         "image/png",
	".svg":         "image/svg+xml",
	".ico":         "image/x-icon",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/plain; charset=utf-8",
	".bin":         "application/octet-stream",
	".safetensors": "application/octet-stream",
}

// ContentType returns the MIME type the server sends for a file name.
func ContentType(name string) string {
	if t, ok := mimeTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// CSP is the Content-Security-Policy of every response. Scripts come only from the site itself
// (blob: too, which only the site's own scripts can create: TensorFlow.js starts its wasm threads
// from blob URLs); 'wasm-unsafe-eval' lets WebAssembly compile and 'unsafe-eval' is needed by
// vugu's DOM renderer, which installs its helper with eval. Images may be data: and blob: URLs (the heatmaps and
// uploaded pictures). Inline styles are allowed (vugu sets style attributes), inline scripts not.
// Only pages of the same site may frame it (the animation's iframe).
const CSP = "default-src 'self'; script-src 'self' blob: 'unsafe-eval' 'wasm-unsafe-eval'; " +
	"style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; " +
	"connect-src 'self' blob: data:; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
	"frame-ancestors 'self'"

// MetaCSP returns CSP without the directives a <meta http-equiv="Content-Security-Policy"> cannot
// carry (frame-ancestors, sandbox, report-uri, report-to): the policy the site's HTML pages
// declare themselves, for hosts that send no headers.
func MetaCSP() string {
	var keep []string
	for _, d := range strings.Split(CSP, ";") {
		d = strings.TrimSpace(d)
		switch strings.ToLower(strings.Fields(d)[0]) {
		case "frame-ancestors", "sandbox", "report-uri", "report-to":
			continue
		}
		keep = append(keep, d)
	}
	return strings.Join(keep, "; ")
}

// Options configures New.
type Options struct {
	// Prefix is the URL path the folder is served under, such as "/a/sub/path/" ("" or "/": the
	// root). Requests outside it get 404; the prefix without its final slash is redirected to it.
	Prefix string
	// Plain sends only what any static file host sends (Content-Type, Content-Encoding for the
	// precompressed copies, Vary, Content-Length, Last-Modified): no isolation or security headers.
	Plain bool
}

// Handler returns an http.Handler that serves the files under dir at the root, with every header.
func Handler(dir string) (http.Handler, error) {
	return New(dir, Options{})
}

// New returns an http.Handler that serves the files under dir as o says.
func New(dir string, o Options) (http.Handler, error) {
	prefix, err := NormalizePrefix(o.Prefix)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &handler{root: root, prefix: prefix, plain: o.Plain}, nil
}

// NormalizePrefix returns a sub-path as Options.Prefix uses it: "/" or "/a/b/" (leading and final
// slashes added). It refuses empty, "." and ".." segments and any backslash, NUL, "%", "?" or "#".
func NormalizePrefix(p string) (string, error) {
	t := strings.Trim(p, "/")
	if t == "" {
		return "/", nil
	}
	for _, seg := range strings.Split(t, "/") {
		if seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, "\\\x00%?#") {
			return "", fmt.Errorf("server: bad sub-path %q", p)
		}
	}
	return "/" + t + "/", nil
}

type handler struct {
	root   *os.Root
	prefix string // "/" or "/a/b/"
	plain  bool
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	if !h.plain {
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Embedder-Policy", "require-corp")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Content-Security-Policy", CSP)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hd.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if h.prefix != "/" {
		if p+"/" == h.prefix {
			redirect(w, r, h.prefix)
			return
		}
		if !strings.HasPrefix(p, h.prefix) {
			notFound(w)
			return
		}
		p = p[len(h.prefix)-1:]
	}
	name, ok := cleanPath(p)
	if !ok {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	if name == "" || strings.HasSuffix(p, "/") {
		name = path.Join(name, "index.html")
	}
	fi, err := h.root.Stat(name)
	if err == nil && fi.IsDir() {
		// A folder's index.html, at the folder's address with its slash, so that relative
		// links in it resolve inside the folder.
		if _, err := h.root.Stat(path.Join(name, "index.html")); err == nil {
			redirect(w, r, h.prefix+name+"/")
			return
		}
		notFound(w)
		return
	}
	if err != nil || !fi.Mode().IsRegular() {
		notFound(w)
		return
	}
	hd.Set("Content-Type", ContentType(name))
	if !h.plain {
		hd.Set("Cache-Control", "no-cache")
	}
	hd.Add("Vary", "Accept-Encoding")
	serveName := name
	for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if !accepts(r.Header.Get("Accept-Encoding"), enc.token) || strings.HasSuffix(name, enc.ext) {
			continue
		}
		if cfi, err := h.root.Stat(name + enc.ext); err == nil && cfi.Mode().IsRegular() {
			serveName, fi = name+enc.ext, cfi
			hd.Set("Content-Encoding", enc.token)
			break
		}
	}
	f, err := h.root.Open(serveName)
	if err != nil {
		notFound(w)
		return
	}
	defer f.Close()
	http.ServeContent(w, r, "", fi.ModTime(), f)
}

// redirect answers 301 to the same address at path to (keeping the query).
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, to, http.StatusMovedPermanently)
}

// notFound answers 404 for a missing file, a directory without index.html, something that is not
// a regular file or a path os.Root refuses (for example a symlink leading outside the folder).
func notFound(w http.ResponseWriter) {
	http.Error(w, "404 page not found", http.StatusNotFound)
}

// cleanPath turns a URL path into a slash-separated name relative to the served folder ("" for the
// folder itself). It refuses, rather than cleans, anything suspicious: ".." segments, backslashes,
// NUL bytes and names os.Root would not accept anyway.
func cleanPath(p string) (string, bool) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return "", false
		}
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if name == "." {
		name = ""
	}
	if name != "" && !fs.ValidPath(name) {
		return "", false
	}
	return name, true
}

// accepts reports whether an Accept-Encoding header allows coding token (q=0 refuses it).
func accepts(header, token string) bool {
	for _, part := range strings.Split(header, ",") {
		fields := strings.Split(part, ";")
		if !strings.EqualFold(strings.TrimSpace(fields[0]), token) {
			continue
		}
		for _, p := range fields[1:] {
			p = strings.ReplaceAll(strings.TrimSpace(p), " ", "")
			if p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000" {
				return false
			}
		}
		return true
	}
	return false
}
