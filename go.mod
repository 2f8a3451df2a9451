module github.com/resnet20-pruning/resnet20-pruning

go 1.27

toolchain go1.27.3

require (
	github.com/nlpodyssey/gopickle v0.2.0
	gonum.org/v1/gonum v0.17.0 // indirect
)
