// Package onnxpb holds the Go types of ONNX's protobuf messages (ModelProto, GraphProto, NodeProto,
// TensorProto, …), generated from onnx.proto by protoc-gen-go for google.golang.org/protobuf.
//
// onnx.proto is ONNX's own file, unmodified (Apache-2.0, see its SPDX header), as shipped by
// Debian's libonnx-dev 1.12.0 (/usr/include/onnx/onnx.proto): IR version 8, opsets up to 17.
// Generating the types here adds only google.golang.org/protobuf to the module; the Go modules
// that ship ONNX types either pull in a tensor library and an inference runtime
// (advancedclimatesystems/gonnx) or an unmaintained protobuf runtime (owulveryck/onnx-go, gogo).
//
// To regenerate (protoc from Debian's protobuf-compiler, protoc-gen-go at go.mod's version of
// google.golang.org/protobuf: go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12):
//
//	go generate ./core/export/onnxpb
package onnxpb

//go:generate protoc --go_out=. --go_opt=paths=source_relative --go_opt=Monnx.proto=github.com/resnet20-pruning/resnet20-pruning/core/export/onnxpb onnx.proto
