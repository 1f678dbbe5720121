// Package oapicodegen is the oapi-codegen v2.8.2 client of the PipesHub
// connector-instance operations in ../spec.yaml, one of the peers the benchmarks
// measure the SDK against. client.gen.go is generated; do not edit it.
package oapicodegen

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2 -config cfg.yaml ../spec.yaml
