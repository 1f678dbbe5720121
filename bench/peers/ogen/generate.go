// Package ogen is the ogen v1.24.0 client of the PipesHub connector-instance
// operations in ../spec.yaml, one of the peers the benchmarks measure the SDK
// against. The oas_*_gen.go files are generated; do not edit them. The module pins
// ogen's runtime to the generator's version.
package ogen

//go:generate go run github.com/ogen-go/ogen/cmd/ogen@v1.24.0 --config ogen.yml --target . --package ogen --clean ../spec.yaml
