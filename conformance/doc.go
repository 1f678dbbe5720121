// Package conformance holds the SDK's spec-conformance suite, in a module of its own
// so that the SDK's users never download the OpenAPI tooling it needs (kin-openapi
// and its dependencies).
//
// The suite runs every SDK method against the vendors' published specs, kept in
// testdata/specs:
//
//   - TestRequestConformance validates every request the SDK sends;
//   - TestResponseDecoding decodes responses generated from the specs;
//   - TestMalformedResponses requires a typed error for bad server output;
//   - TestOperationCoverage fails if a connection operation of a spec has no SDK
//     method, and prints the coverage figure.
//
// Run it from the repository root with `go test ./conformance` (go.work makes it part
// of the workspace), or `go test -run TestOperationCoverage -v ./conformance` for the
// coverage figure. The package has no API: everything is in its tests.
package conformance
