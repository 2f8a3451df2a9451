package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func write(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func gz(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// site builds a served folder next to a secret file that must never be reachable.
func site(t *testing.T) (string, http.Handler) {
	t.Helper()
	base := t.TempDir()
	dir := filepath.Join(base, "dist")
	write(t, filepath.Join(base, "secret.txt"), []byte("SECRET"))
	write(t, filepath.Join(dir, "index.html"), []byte("<!doctype html><title>demo</title>"))
	wasm := append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("abc"), 1000)...)
	write(t, filepath.Join(dir, "app.wasm"), wasm)
	write(t, filepath.Join(dir, "app.wasm.gz"), gz(t, wasm))
	write(t, filepath.Join(dir, "style.css"), []byte("body{}"))
	write(t, filepath.Join(dir, "sub", "index.html"), []byte("sub index"))
	write(t, filepath.Join(dir, "empty", "note.txt"), []byte("x"))
	if err := os.Symlink(filepath.Join(base, "secret.txt"), filepath.Join(dir, "link.txt")); err != nil {
		t.Log("no symlink:", err)
	}
	h, err := Handler(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, h
}

func get(h http.Handler, target string, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", "http://127.0.0.1/", nil)
	req.URL.Path = target // raw, so that "..", "%2e%2e" etc. reach the handler unchanged
	req.RequestURI = target
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestMIMEAndHeaders(t *testing.T) {
	_, h := site(t)
	for _, c := range []struct{ path, ctype string }{
		{"/", "text/html; charset=utf-8"},
		{"/index.html", "text/html; charset=utf-8"},
		{"/app.wasm", "application/wasm"},
		{"/style.css", "text/css; charset=utf-8"},
		{"/sub/", "text/html; charset=utf-8"},
	} {
		rec := get(h, c.path, nil)
		if rec.Code != 200 {
			t.Fatalf("%s: status %d", c.path, rec.Code)
		}
		if got := rec.Header().Get("Content-Type"); got != c.ctype {
			t.Errorf("%s: Content-Type %q, want %q", c.path, got, c.ctype)
		}
		for k, want := range map[string]string{
			"Cross-Origin-Opener-Policy":   "same-origin",
			"Cross-Origin-Embedder-Policy": "require-corp",
			"X-Content-Type-Options":       "nosniff",
		} {
			if got := rec.Header().Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", c.path, k, got, want)
			}
		}
		if rec.Header().Get("Content-Security-Policy") == "" {
			t.Errorf("%s: no CSP", c.path)
		}
	}
}

func TestPrecompressed(t *testing.T) {
	dir, h := site(t)
	plain, _ := os.ReadFile(filepath.Join(dir, "app.wasm"))
	rec := get(h, "/app.wasm", map[string]string{"Accept-Encoding": "gzip, deflate, br"})
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", rec.Header().Get("Content-Encoding"))
	}
	if rec.Header().Get("Content-Type") != "application/wasm" {
		t.Fatalf("Content-Type %q", rec.Header().Get("Content-Type"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if !bytes.Equal(got, plain) {
		t.Fatal("gzip body does not decompress to the file")
	}
	if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
		t.Error("no Vary: Accept-Encoding")
	}
	// Without gzip in Accept-Encoding, or with q=0, the plain file.
	for _, ae := range []string{"", "identity", "gzip;q=0, br;q=0"} {
		rec = get(h, "/app.wasm", map[string]string{"Accept-Encoding": ae})
		if rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), plain) {
			t.Errorf("Accept-Encoding %q: got encoding %q, %d bytes", ae, rec.Header().Get("Content-Encoding"), rec.Body.Len())
		}
	}
	// A brotli sibling wins when accepted.
	os.WriteFile(filepath.Join(dir, "app.wasm.br"), []byte("BR"), 0o644)
	rec = get(h, "/app.wasm", map[string]string{"Accept-Encoding": "gzip, br"})
	if rec.Header().Get("Content-Encoding") != "br" || rec.Body.String() != "BR" {
		t.Errorf("br: encoding %q body %q", rec.Header().Get("Content-Encoding"), rec.Body.String())
	}
}

func TestNoTraversal(t *testing.T) {
	_, h := site(t)
	for _, p := range []string{
		"/../secret.txt",
		"/sub/../../secret.txt",
		"/..",
		"/%2e%2e/secret.txt",
		"/..%2fsecret.txt",
		"/..\\secret.txt",
		"/sub\\..\\..\\secret.txt",
		"/link.txt",
		"/secret.txt",
		"/empty/",
		"/empty",
		"/nonexistent.wasm",
		"/index.html\x00.png",
		"relative",
	} {
		rec := get(h, p, nil)
		if rec.Code == 200 || strings.Contains(rec.Body.String(), "SECRET") {
			t.Errorf("%q: status %d body %q", p, rec.Code, rec.Body.String())
		}
		if strings.Contains(rec.Body.String(), "note.txt") {
			t.Errorf("%q: directory listing", p)
		}
	}
	// Through a real server and client as well (the client does not clean the path).
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, p := range []string{"/../secret.txt", "/%2e%2e/secret.txt", "/sub/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt"} {
		req, _ := http.NewRequest("GET", srv.URL, nil)
		req.URL.Opaque = p
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 || strings.Contains(string(body), "SECRET") {
			t.Errorf("server %q: status %d body %q", p, resp.StatusCode, body)
		}
	}
}

func TestMethods(t *testing.T) {
	_, h := site(t)
	req := httptest.NewRequest("POST", "/index.html", strings.NewReader("x"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Fatalf("POST: %d", rec.Code)
	}
	req = httptest.NewRequest("HEAD", "/app.wasm", nil)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Type") != "application/wasm" {
		t.Fatalf("HEAD: %d, %d bytes, %q", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Type"))
	}
}

func TestAccepts(t *testing.T) {
	for _, c := range []struct {
		h, tok string
		want   bool
	}{
		{"gzip", "gzip", true}, {"GZIP", "gzip", true}, {"deflate, gzip;q=0.5", "gzip", true},
		{"gzip;q=0", "gzip", false}, {"br", "gzip", false}, {"", "gzip", false}, {"x-gzip", "gzip", false},
	} {
		if got := accepts(c.h, c.tok); got != c.want {
			t.Errorf("accepts(%q, %q) = %v", c.h, c.tok, got)
		}
	}
}

// servedSite is site's folder served by New with o.
func servedSite(t *testing.T, o Options) http.Handler {
	t.Helper()
	dir, _ := site(t)
	h, err := New(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestFolderRedirect(t *testing.T) {
	_, h := site(t)
	rec := get(h, "/sub", nil)
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/sub/" {
		t.Errorf("/sub: %d to %q, want 301 to /sub/", rec.Code, rec.Header().Get("Location"))
	}
	if rec := get(h, "/empty", nil); rec.Code != 404 {
		t.Errorf("/empty (a folder without index.html): %d, want 404", rec.Code)
	}
}

func TestPrefix(t *testing.T) {
	h := servedSite(t, Options{Prefix: "a/sub/path"})
	for _, c := range []struct {
		path     string
		code     int
		location string
		body     string
	}{
		{"/a/sub/path/", 200, "", "<!doctype html><title>demo</title>"},
		{"/a/sub/path/index.html", 200, "", "<!doctype html><title>demo</title>"},
		{"/a/sub/path/sub/", 200, "", "sub index"},
		{"/a/sub/path", 301, "/a/sub/path/", ""},
		{"/a/sub/path/sub", 301, "/a/sub/path/sub/", ""},
		{"/", 404, "", ""},
		{"/index.html", 404, "", ""},
		{"/a/sub/pathx/index.html", 404, "", ""},
		{"/a/sub/index.html", 404, "", ""},
		{"/a/sub/path/../../../secret.txt", 400, "", ""},
		{"/a/sub/path/nothing.js", 404, "", ""},
	} {
		rec := get(h, c.path, nil)
		if rec.Code != c.code || rec.Header().Get("Location") != c.location || (c.body != "" && rec.Body.String() != c.body) {
			t.Errorf("%s: %d to %q, body %q; want %d to %q, body %q", c.path, rec.Code, rec.Header().Get("Location"), rec.Body.String(), c.code, c.location, c.body)
		}
	}
	if rec := get(h, "/a/sub/path/app.wasm", nil); rec.Header().Get("Content-Type") != "application/wasm" || rec.Header().Get("Content-Security-Policy") != CSP {
		t.Errorf("app.wasm under the prefix: %v", rec.Header())
	}
	for _, bad := range []string{"/a/../b", "a//b", "a/./b", "a%2fb", "a\\b", "a?b", "a#b"} {
		if _, err := New(t.TempDir(), Options{Prefix: bad}); err == nil {
			t.Errorf("prefix %q accepted", bad)
		}
	}
	for in, want := range map[string]string{"": "/", "/": "/", "x": "/x/", "/x/y/": "/x/y/", "//x//": "/x/"} {
		if got, err := NormalizePrefix(in); err != nil || got != want {
			t.Errorf("NormalizePrefix(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestPlain(t *testing.T) {
	h := servedSite(t, Options{Prefix: "/p/", Plain: true})
	rec := get(h, "/p/app.wasm", map[string]string{"Accept-Encoding": "gzip"})
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	allowed := map[string]bool{"Content-Type": true, "Content-Encoding": true, "Vary": true, "Content-Length": true, "Last-Modified": true, "Accept-Ranges": true}
	for k := range rec.Header() {
		if !allowed[k] {
			t.Errorf("plain mode sent %s: %q", k, rec.Header().Get(k))
		}
	}
	if rec.Header().Get("Content-Type") != "application/wasm" || rec.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("plain mode: %v", rec.Header())
	}
}

// TestMetaCSP checks that the site's pages declare the server's policy themselves (as much of it
// as a <meta> can carry), before any script or stylesheet, for hosts that send no headers.
func TestMetaCSP(t *testing.T) {
	meta := MetaCSP()
	if strings.Contains(meta, "frame-ancestors") || !strings.Contains(CSP, "frame-ancestors") || !strings.Contains(meta, "script-src 'self'") {
		t.Fatalf("MetaCSP() = %q from CSP %q", meta, CSP)
	}
	tag := `<meta http-equiv="Content-Security-Policy" content="` + meta + `">`
	for _, page := range []string{"../../index.html", "../static/compare.html"} {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		html := string(b)
		i := strings.Index(html, tag)
		if i < 0 {
			t.Errorf("%s lacks %s", page, tag)
			continue
		}
		for _, later := range []string{"<script", "<link"} {
			if j := strings.Index(html, later); j >= 0 && j < i {
				t.Errorf("%s: %s before the CSP <meta>", page, later)
			}
		}
	}
}

// TestRelativeURLs checks that the site's pages and scripts address the site's files relatively
// (no leading "/"), so that the site works from a sub-path.
func TestRelativeURLs(t *testing.T) {
	abs := regexp.MustCompile(`(?:href|src)\s*=\s*["']/|(?:fetch|Worker|instantiateStreaming|compileStreaming)\(\s*["'` + "`" + `]/`)
	files, _ := filepath.Glob("../static/*")
	for _, f := range append(files, "../../index.html") {
		if !strings.HasSuffix(f, ".html") && !strings.HasSuffix(f, ".js") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m := abs.Find(b); m != nil {
			t.Errorf("%s: absolute URL %q", f, m)
		}
	}
}
