// Command serve serves the browser demo's static site (dist/, written by `make site`) on the
// loopback interface:
//
//	go run ./cmd/serve [-dir dist] [-addr 127.0.0.1:8080] [-prefix /a/sub/path/] [-plain]
//
// PORT in the environment sets the port when -addr is not given. -prefix serves the site under a
// sub-path, as GitHub Pages serves a project (https://user.github.io/repo/); -plain sends none of
// the isolation and security headers, as a plain static host, to check a copy before publishing
// it. See package web/server for the headers, MIME types and precompressed files.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/resnet20-pruning/resnet20-pruning/web/server"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	dir := flag.String("dir", "dist", "folder to serve")
	addr := flag.String("addr", net.JoinHostPort("127.0.0.1", port), "listen address (loopback by default)")
	prefix := flag.String("prefix", "/", "URL path to serve the site under, e.g. /repo/")
	plain := flag.Bool("plain", false, "send no COOP/COEP/CSP/security headers (as a plain static host)")
	flag.Parse()
	if flag.NArg() > 0 {
		log.Fatalf("serve: unexpected arguments %q", flag.Args())
	}
	if _, err := os.Stat(*dir + "/index.html"); err != nil {
		log.Fatalf("serve: %s/index.html not found: run `make site` first", *dir)
	}
	h, err := server.New(*dir, server.Options{Prefix: *prefix, Plain: *plain})
	if err != nil {
		log.Fatal(err)
	}
	p, _ := server.NormalizePrefix(*prefix) // New checked it
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	mode := ""
	if *plain {
		mode = " (plain: no COOP/COEP/CSP headers)"
	}
	fmt.Printf("serving %s at http://%s%s%s\n", *dir, ln.Addr(), p, mode)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}
