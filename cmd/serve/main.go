// Command serve serves the browser demo's static site (dist/, written by `make site`) on the
// loopback interface:
//
//	go run ./cmd/serve [-dir dist] [-addr 127.0.0.1:8080]
//
// PORT in the environment sets the port when -addr is not given. See package web/server for the
// headers, MIME types and precompressed files.
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
	flag.Parse()
	if _, err := os.Stat(*dir + "/index.html"); err != nil {
		log.Fatalf("serve: %s/index.html not found: run `make site` first", *dir)
	}
	h, err := server.Handler(*dir)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("serving %s at http://%s/\n", *dir, ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}
