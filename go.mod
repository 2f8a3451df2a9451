module github.com/resnet20-pruning/resnet20-pruning

go 1.27

toolchain go1.27.3
