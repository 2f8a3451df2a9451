// Package server serves the browser demo's static files (the dist/ folder that `make site` writes):
// correct MIME types (application/wasm for WebAssembly, so that instantiateStreaming works),
// precompressed .br / .gz siblings when the browser accepts them, cross-origin isolation headers
// (COOP/COEP) and a restrictive Content-Security-Policy. Files are opened through an os.Root, so no
// request path, "..", symlink or encoded separator can reach outside the served folder; directory
// listings are never produced.
package server

import (
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
const CSP = "default-src 'self'; script-src 'self' blob: 'unsafe-eval' 'wasm-unsafe-eval'; " +
	"style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; " +
	"connect-src 'self' blob: data:; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"

// Handler returns an http.Handler that serves the files under dir.
func Handler(dir string) (http.Handler, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &handler{root: root}, nil
}

type handler struct {
	root *os.Root
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	hd.Set("Cross-Origin-Embedder-Policy", "require-corp")
	hd.Set("Cross-Origin-Resource-Policy", "same-origin")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Content-Security-Policy", CSP)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hd.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, ok := cleanPath(r.URL.Path)
	if !ok {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	if name == "" || strings.HasSuffix(r.URL.Path, "/") {
		name = path.Join(name, "index.html")
	}
	fi, err := h.root.Stat(name)
	if err == nil && fi.IsDir() {
		name = path.Join(name, "index.html")
		fi, err = h.root.Stat(name)
	}
	if err != nil || !fi.Mode().IsRegular() {
		notFound(w)
		return
	}
	hd.Set("Content-Type", ContentType(name))
	hd.Set("Cache-Control", "no-cache")
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
